"""Synthetic press releases, as text, for measuring the whole pipeline at scale.

Release k is the k-th plenary of a co-operation conference between Hong Kong and an
invented province (a new province every `PLENARIES` releases, so partners, their bodies
and their people grow with N). Its text follows the HKSAR house style of the seed release:
a dateline, a lead paragraph naming the two leaders, area headings with commitments that
name Hong Kong's bodies (the hubs, taken from the registry) and the province's own bodies
(which the registry lacks, so the extractor finds them by their shape), a signing
paragraph and a closing list of officials. Names are made from syllables by the release's
number alone: the same N gives the same corpus, byte for byte.

    python benchmarks/synth.py DIR --releases 1000     # writes DIR/{registry,...,sources}
"""

from __future__ import annotations

import argparse
import datetime
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLENARIES = 3  # plenaries per invented province

# fmt: off
_SYLLABLES = [
    "lan", "feng", "ming", "shan", "tai", "jin", "hua", "long", "qiao", "yun", "he", "ping",
    "an", "kang", "rui", "xiang", "bao", "cheng", "de", "fu", "guang", "hai", "hong", "jia",
    "li", "lin", "mei", "ning", "qing", "song", "wen", "xin", "yang", "yong", "zhen", "zhi",
]
_SURNAMES = [
    "Zhao", "Qian", "Sun", "Li", "Zhou", "Wu", "Zheng", "Wang", "Feng", "Chen", "Chu", "Wei",
    "Jiang", "Shen", "Han", "Yang", "Zhu", "Qin", "You", "Xu", "He", "Lu", "Shi", "Zhang",
    "Kong", "Cao", "Yan", "Hua", "Jin", "Tao",
]
# fmt: on
# Hong Kong's bodies from the registry: every release names some of them (the hubs).
_HK = [
    "Hong Kong Trade Development Council",
    "Invest Hong Kong",
    "Hong Kong Productivity Council",
    "Hong Kong Science and Technology Parks Corporation",
    "Hong Kong Tourism Board",
    "Hong Kong Monetary Authority",
    "Airport Authority Hong Kong",
    "Vocational Training Council",
    "Hong Kong Arts Development Council",
    "Hospital Authority",
]
# (heading, commitment with {hk} and {own} for the bodies, the province's body)
_AREAS = [
    (
        "Economic, Trade and Investment Co-operation",
        "Support the {hk} and the {own} to jointly organise investment promotion activities, "
        "and encourage enterprises of the two places to explore markets along the Belt and Road.",
        "Department of Commerce",
    ),
    (
        "Innovation and Technology",
        "Encourage the {hk} and the {own} to establish an exchange mechanism on science and "
        "technology, and promote the transformation of research results.",
        "Department of Science and Technology",
    ),
    (
        "Cultural Exchange and Tourism",
        "Support the {hk} and the {own} to strengthen tourism promotion and carry out cultural "
        "exchanges and performances in the two places.",
        "Department of Culture and Tourism",
    ),
    (
        "Education",
        "Promote co-operation between the {hk} and the {own} in vocational training, and "
        "support exchanges between teachers and students of the two places.",
        "Department of Education",
    ),
    (
        "Health and Chinese Medicine",
        "Strengthen exchanges between the {hk} and the {own} on public health, and promote "
        "co-operation in the field of Chinese medicine.",
        "Health Commission",
    ),
    (
        "Financial Services",
        "Support the {hk} and the {own} to deepen financial co-operation, and encourage "
        "enterprises of the province to issue bonds and list in Hong Kong.",
        "Local Financial Supervision and Administration Bureau",
    ),
]


def _word(n: int, parts: int = 2) -> str:
    """A pronounceable name for the number `n` (distinct for distinct `n`)."""
    out = []
    for _ in range(parts):
        n, r = divmod(n, len(_SYLLABLES))
        out.append(_SYLLABLES[r])
    word = "".join(out)
    if n:
        word += _SYLLABLES[n % len(_SYLLABLES)]
    return word.capitalize()


def _person(n: int) -> str:
    return f"{_SURNAMES[n % len(_SURNAMES)]} {_word(n * 7 + 3, 2)}"


def release(k: int) -> tuple[str, dict[str, str]]:
    """The text of synthetic release `k` and its sidecar's fields."""
    p = k // PLENARIES
    place = _word(p + 50)
    plenary = ("First", "Second", "Third", "Fourth")[k % PLENARIES]
    date = datetime.date(2010, 1, 4) + datetime.timedelta(days=5 * k)
    day = date.strftime("%A, %B ") + str(date.day) + date.strftime(", %Y")
    leader, vice = _person(p * 3), _person(p * 3 + 1)
    conference = f"Hong Kong/{place} Co-operation Conference"
    title = f"{plenary} Plenary Session of {conference} held in Hong Kong"
    lines = [
        title,
        f"     The Chief Executive, Mr John Lee, and the Governor of {place} Province, "
        f"Mr {leader}, leading the delegations of the governments of the Hong Kong Special "
        f"Administrative Region (HKSAR) and {place} respectively, held the {plenary} Plenary "
        f"Session of the {conference} in Hong Kong today ({date.strftime('%B')} {date.day}). "
        f"Both sides agreed to deepen co-operation in the following areas:",
    ]
    for i, (heading, text, own) in enumerate(_AREAS):
        if (k + i) % 4 == 3:
            continue  # not every plenary covers every area
        hk = _HK[(k + i) % len(_HK)]
        lines += [heading, "     " + text.format(hk=hk, own=f"{place} Provincial {own}")]
    hk = _HK[k % len(_HK)]
    lines += [
        "Co-operation Memorandum Signing Ceremony",
        f"     At the meeting, the Chief Secretary for Administration, Mr Chan Kwok-ki, and "
        f'Vice Governor of {place} Province Ms {vice}, signed the "Co-operation Memorandum '
        f'of the {plenary} Plenary Session of the {conference}". The {hk} and the {place} '
        f'Provincial Department of Commerce signed the "Strategic Co-operation Memorandum '
        f'between {place} Provincial Department of Commerce and {hk}".',
        f"Ends/{day}",
        "Issued at HKT 18:30",
    ]
    side = {
        "id": f"synth{k:05d}",
        "title": title,
        "date": date.isoformat(),
        "publisher": "The Government of the Hong Kong Special Administrative Region",
        "kind": "press_release",
    }
    return "\n".join(lines) + "\n", side


def write_corpus(folder: str | Path, releases: int) -> Path:
    """A data folder (the project's registry, corrections, areas) with `releases` releases."""
    folder = Path(folder)
    for part in ("registry", "corrections", "areas"):
        if (ROOT / "data" / part).is_dir() and not (folder / part).exists():
            shutil.copytree(ROOT / "data" / part, folder / part)
    sources = folder / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    for k in range(releases):
        text, side = release(k)
        stem = side["id"]
        (sources / f"{stem}.txt").write_text(text, encoding="utf-8")
        meta = "".join(f"{key}: {_yaml(value)}\n" for key, value in side.items())
        (sources / f"{stem}.yaml").write_text(meta + "url: null\nlanguage: en\n", encoding="utf-8")
    return folder


def _yaml(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--releases", type=int, default=100)
    args = parser.parse_args()
    write_corpus(args.folder, args.releases)
    print(f"{args.releases} synthetic releases in {args.folder}/sources")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
