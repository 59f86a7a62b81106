"""Extraction on hostile texts: long lists of names and bodies, a 5 MB line, runs of one
character. Every step of extraction should grow linearly (or n log n) with the number of
names and the length of a line (issue 8, part 6).

    .venv/bin/python benchmarks/hostile_extract.py [--only SUBSTRING] [--timeout SECONDS]

Each case is timed twice: in a child forked from a process that has already extracted one
release (the patterns compiled: that one-off cost, about 3 s here, is printed apart), and
as `kg extract FILE --json` in a fresh process (start-up included). It prints both, the
growth ratio of the list series (20,000 names over 5,000: 4 is linear, 16 quadratic), and
exits 1 when a target case's extraction takes 10 s or more, or a case fails or times out.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import multiprocessing
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10.0
LINE_BYTES = 5_000_000
RUN_BYTES = 100_000

# Syllables of romanised Cantonese and Putonghua names: enough for 20,000 distinct names.
_SURNAMES = [
    "Chan",
    "Wong",
    "Lee",
    "Cheung",
    "Lau",
    "Ho",
    "Ng",
    "Lam",
    "Leung",
    "Yip",
    "Tsang",
    "Kwok",
    "Fung",
    "Tang",
    "Mak",
    "Chow",
    "Lo",
    "Yuen",
    "Hui",
    "Tse",
    "Poon",
    "Yeung",
    "Siu",
    "Kwan",
    "Chu",
    "Wan",
    "Ma",
    "So",
    "Choi",
    "Tam",
    "Zhang",
    "Wang",
    "Liu",
    "Zhao",
    "Sun",
    "Zhou",
    "Xu",
    "Hu",
]
_SYLLABLES = [
    "tai",
    "man",
    "siu",
    "ling",
    "ka",
    "fai",
    "yin",
    "wai",
    "mei",
    "chi",
    "hung",
    "ming",
    "kin",
    "sum",
    "lok",
    "wing",
    "kit",
    "shing",
    "yee",
    "ping",
    "hoi",
    "chun",
    "kwan",
    "yan",
    "fong",
    "suk",
    "tak",
    "keung",
    "lai",
]
_HONORIFICS = ("Mr", "Ms", "Mrs", "Dr", "Professor")
_PLACES = ("Hong Kong", "Chongqing", "Guangdong", "Sichuan", "Fujian", "Shenzhen", "Macao")
_KINDS = (
    "Trade Development Council",
    "Municipal Commission of Commerce",
    "Bureau of Culture and Tourism",
    "Development and Reform Commission",
    "Science and Technology Parks Corporation",
    "Productivity Council",
)


def names(n: int) -> list[str]:
    """`n` distinct synthetic names, "Chan Tai-man" or "Wong Siu", in a fixed order."""
    given = [f"{a.capitalize()}-{b}" for a, b in itertools.product(_SYLLABLES, repeat=2)]
    given += [s.capitalize() for s in _SYLLABLES]
    pool = [f"{s} {g}" for s, g in itertools.product(_SURNAMES, given)]
    if n > len(pool):
        raise ValueError(f"at most {len(pool)} names")
    return random.Random(8).sample(pool, n)


def people_paragraph(n: int) -> str:
    """One paragraph listing `n` people with honorifics."""
    r = random.Random(n)
    listed = ", ".join(f"{r.choice(_HONORIFICS)} {name}" for name in names(n))
    return f"The meeting was attended by {listed}.\n"


def bodies_paragraph(n: int) -> str:
    """One paragraph listing `n` bodies ("the Hong Kong Trade Development Council")."""
    r = random.Random(n)
    listed = ", ".join(f"the {r.choice(_PLACES)} {r.choice(_KINDS)}" for _ in range(n))
    return f"The meeting was attended by {listed}.\n"


def _release_texts() -> list[str]:
    docs = sorted((ROOT / "data" / "sources").glob("*.txt"))
    docs += sorted((ROOT / "tests" / "devset" / "docs").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in docs]


def release_line(size: int = LINE_BYTES) -> str:
    """The releases' texts, their line breaks turned into spaces, repeated: one line of
    `size` characters."""
    one = " ".join(" ".join(t.split()) for t in _release_texts())
    return ((one + " ") * (size // (len(one) + 1) + 1))[:size]


def random_words_line(size: int = LINE_BYTES) -> str:
    """Words drawn at random from the releases (case kept, punctuation too): one line."""
    vocab = sorted({w for t in _release_texts() for w in t.split()})
    r = random.Random(5)
    out, length = [], 0
    while length < size:
        word = r.choice(vocab)
        out.append(word)
        length += len(word) + 1
    return " ".join(out) + "\n"


def runs() -> dict[str, str]:
    """Runs of one character or word, the usual triggers of regex backtracking."""
    out = {ch: ch * RUN_BYTES for ch in ("a", "A", " ", ",", '"', "“", "(", "[", "-", ".")}
    words = ("Aaa ", "the ", "and ", "Mr A, ", "of the ", "Hong Kong and ", "Chan Tai-man, ")
    # Signing words, each read against its whole sentence: 'signed the "' took 109 s at
    # 60 KB before kg/extract/documents.py read at most 50 of them per sentence.
    words += ('signed the "', "had signed the Agreement on X ", "which signed ")
    # Markdown's marks, read before extraction (kg/extract/markdown.py, reading.py).
    words += ("*ab* ", "Bu-\nreau ")
    # Posts' heads with no name after them: each was read back to the run's start, or on to
    # its end, until stop 28 bounded how far a post and its tail reach (29 s at 100 KB).
    words += ("Director of the Bureau ", "Mayor Wang Li ")
    for word in words:
        out[word] = (word * (RUN_BYTES // len(word))).rstrip() + "."
    # A capitalised run a lower-case post follows: its words are looked back over.
    out["Aaa ... governor"] = "Aaa " * (RUN_BYTES // 4) + ", said governor Wang Weizhong."
    # A commitment and no meeting named: the opening is searched for where a delegation was
    # "received ... in X on ..." (18 s at 100 KB before that search's gap was bounded).
    out["will ... received"] = "Title\n\nThe Bureau will promote trade. " + "received " * (
        RUN_BYTES // 9
    )
    # Areas led sentence by sentence in one paragraph, posts in brackets, signature blocks,
    # an agenda and a held meeting's long name (stop 27's readings).
    out["On x, A will y."] = "Title\n\nThe two sides met. " + "On trade, Hong Kong will act. " * (
        RUN_BYTES // 29
    )
    out["Mr A (Director, "] = "Mr Wang Li (Director, " * (RUN_BYTES // 22)
    out["For the X: (signed)"] = "JOINT DECLARATION\n" + "For the Government of X:\n(signed)\n" * (
        RUN_BYTES // 34
    )
    out["Item 1: "] = "Item 1: Agreed actions\n" * (RUN_BYTES // 23)
    out["First, x. "] = "Title\n\nThe two sides met. " + "First, trade. " * (RUN_BYTES // 14)
    out["| Area | Measure | rows"] = "| Area | Measure |\n|---|---|\n" + "| Trade | Act |\n" * (
        RUN_BYTES // 16
    )
    out["held its ... on"] = "It held its " + "first " * (RUN_BYTES // 6) + "meeting on 2 May."
    # Stop 28's readings: items between semicolons after "agreed to:", headings over "o"
    # items, a post before the next "Mr.", "H.E.", "met ... on", "travelled to X for the", a
    # numbered item's long first sentence.
    out["agreed to: x; y;"] = "Title\n\nThe two sides agreed to: " + "promote trade; " * (
        RUN_BYTES // 15
    )
    out["• Head / o item"] = "The sides agreed on these areas:\n" + (
        "• Trade\n  o the Bureau will promote trade;\n" * (RUN_BYTES // 44)
    )
    out["Chairman of X Mr. A"] = "Mr. Wang Li" + ", the Chairman of Aaa Mr. Wang Li" * (
        RUN_BYTES // 33
    )
    out["H.E. Mr. "] = "H.E. Mr. " * (RUN_BYTES // 9)
    out["met the Mayor ... on"] = "Title\n\nThe Bureau will promote trade. The Secretary met " + (
        "the Mayor " * (RUN_BYTES // 10) + "on 3 May."
    )
    out["travelled to X for the"] = "travelled to Aaa " * (RUN_BYTES // 17)
    out["1. Strengthening x. Y will"] = "Areas:\n" + (
        "1. Strengthening " + "trade and " * 40 + ". Hong Kong will act.\n"
    ) * (RUN_BYTES // 420)
    return {f"run {k!r}": v for k, v in out.items()}


def cases() -> list[tuple[str, Callable[[], str], bool]]:
    """(label, what makes its text, whether it is a target case of the issue); the texts
    are made in the child that times them, so the parent stays small."""
    out: list[tuple[str, Callable[[], str], bool]] = []
    for n in (5_000, 10_000, 20_000):
        out.append((f"people {n:,}", functools.partial(people_paragraph, n), n == 20_000))
    for n in (5_000, 10_000, 20_000):
        out.append((f"bodies {n:,}", functools.partial(bodies_paragraph, n), n == 20_000))
    out += [("5 MB release line", release_line, True)]
    out += [("5 MB random words", random_words_line, True)]
    out += [(label, functools.partial(str, text), True) for label, text in runs().items()]
    return out


def _extract(text: str) -> tuple[int, int]:
    from kg.extract import extract_document
    from kg.model import Source
    from kg.registry import load_corrections, load_registry

    registry = load_registry(ROOT / "data" / "registry")
    corrections = load_corrections(ROOT / "data" / "corrections")
    ex = extract_document(Source(path="hostile.txt", doc_id="hostile", text=text), registry,
                          corrections)  # fmt: skip
    return len(ex.people), len(ex.organizations)


def _child(make: Callable[[], str], conn) -> None:  # type: ignore[no-untyped-def]
    text = make()
    start = time.perf_counter()
    people, bodies = _extract(text)
    conn.send((time.perf_counter() - start, len(text.encode("utf-8")) / 1000, people, bodies))


def timed(make: Callable[[], str], timeout: float) -> tuple[float, float, int, int] | None:
    """Seconds, kilobytes, people and bodies of one extraction in a forked child; None
    on time-out or failure."""
    ctx = multiprocessing.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(make, there))
    child.start()
    there.close()  # so that a child that dies ends the wait
    result = None
    if here.poll(timeout):
        try:
            result = here.recv()
        except EOFError:
            result = None
    if child.is_alive() and result is None:
        child.kill()
    child.join()
    return result


def cli_seconds(make: Callable[[], str], timeout: float) -> float | None:
    """Wall time of `kg extract FILE --json` on the text in a fresh process (start-up and
    the patterns' compilation included); None on time-out, a traceback or a crash."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hostile.txt"
        path.write_text(make(), encoding="utf-8")
        cmd = [sys.executable, "-m", "kg.cli", "extract", str(path), "--json"]
        start = time.perf_counter()
        try:
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return None
        took = time.perf_counter() - start
        # 2 is the typed refusal ("file holds only whitespace"): one line, a sound answer.
        return took if done.returncode in (0, 2) and not done.stderr.count(b"\n") > 1 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose label holds this")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    _extract(_release_texts()[0])  # compiles the patterns once, as a long build does
    print(f"first extraction (patterns compiled): {time.perf_counter() - start:.2f} s\n")
    print(f"{'case':<28} {'KB':>8} {'seconds':>9} {'kg extract':>11} {'people':>8} {'bodies':>7}")
    seconds: dict[str, float] = {}
    failed = 0
    for label, make, target in cases():
        if args.only not in label:
            continue
        result = timed(make, args.timeout)
        cli = cli_seconds(make, args.timeout) if result is not None else None
        if result is None or cli is None:
            failed += 1
            print(
                f"{label:<28} {'':>8} {'>' + format(args.timeout, '.0f'):>9}  <-- TIMEOUT OR FAILED"
            )
            continue
        took, kb, people, bodies = result
        seconds[label] = took
        mark = "  <-- OVER" if target and took >= TARGET_SECONDS else ""
        failed += bool(mark)
        print(f"{label:<28} {kb:>8.0f} {took:>9.2f} {cli:>11.2f} {people:>8} {bodies:>7}{mark}")
    for series in ("people", "bodies"):
        small, big = seconds.get(f"{series} 5,000"), seconds.get(f"{series} 20,000")
        if small and big:
            print(f"{series}: 20,000 / 5,000 = {big / small:.1f} (4 is linear, 16 quadratic)")
    print(f"\ntarget: under {TARGET_SECONDS:.0f} s a case; {failed} over, failed or timed out")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
