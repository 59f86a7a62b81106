"""Long lists and long lines extract whole: every name of a 2,000-name paragraph, at its
offsets (issue 8, part 6). The speed is benchmarks/hostile_extract.py's business: no
timing here."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.model import Source
from kg.registry import load_corrections, load_registry

ROOT = Path(__file__).resolve().parents[1]
SURNAMES = ("Chan", "Wong", "Cheung", "Lau", "Yip", "Tsang", "Kwok", "Fung", "Mak", "Chow")
SYLLABLES = (
    "tai",
    "man",
    "siu",
    "ling",
    "fai",
    "wing",
    "kit",
    "shing",
    "hoi",
    "chun",
    "keung",
    "yan",
    "ming",
    "kwan",
    "hung",
)
HONORIFICS = ("Mr", "Ms", "Dr")


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "data" / "registry")


@pytest.fixture(scope="module")
def corrections():
    return load_corrections(ROOT / "data" / "corrections")


def names(n: int) -> list[str]:
    """`n` distinct names: "Chan Tai-man"."""
    given = [f"{a.capitalize()}-{b}" for a, b in itertools.product(SYLLABLES, repeat=2)]
    pool = [f"{s} {g}" for g, s in itertools.product(given, SURNAMES)]
    assert len(pool) >= n
    return pool[:n]


def extract(text: str, registry, corrections):
    return extract_document(
        Source(path="list.txt", doc_id="list", text=text), registry, corrections
    )


def test_a_paragraph_of_2000_names_yields_2000_people_at_their_offsets(registry, corrections):
    listed = names(2000)
    text = "The meeting was attended by " + ", ".join(
        f"{HONORIFICS[i % 3]} {name}" for i, name in enumerate(listed)
    ) + ".\n"  # fmt: skip
    ex = extract(text, registry, corrections)
    assert [p.name for p in ex.people] == listed
    for i, person in enumerate(ex.people):
        (span,) = person.mentions
        assert text[span.start : span.end] == span.text == f"{HONORIFICS[i % 3]} {listed[i]}"
        assert person.honorific == HONORIFICS[i % 3]


def test_names_named_again_in_later_sentences_refer_to_the_same_people(registry, corrections):
    listed = names(300)
    first = "Attending were " + ", ".join(f"Mr {n}" for n in listed) + "."
    later = " ".join(f"Mr {n.split()[0]} {n.split()[1]} spoke." for n in reversed(listed))
    text = f"{first} {later}\n"
    ex = extract(text, registry, corrections)
    assert [p.name for p in ex.people] == listed
    assert all(len(p.mentions) == 2 for p in ex.people)
    for person in ex.people:
        assert all(text[s.start : s.end] == s.text for s in person.mentions)
        assert person.mentions[0].start < len(first) < person.mentions[1].start


def test_a_long_line_of_repeated_bodies_names_each_mention(registry, corrections):
    body = "the Hong Kong Trade Development Council"
    text = "The meeting was attended by " + ", ".join([body] * 1500) + ".\n"
    ex = extract(text, registry, corrections)
    (org,) = [o for o in ex.organizations if o.label == "Hong Kong Trade Development Council"]
    assert len(org.mentions) == 1500
    assert {text[s.start : s.end] for s in org.mentions} == {"Hong Kong Trade Development Council"}


@pytest.mark.parametrize(
    "run", ["a", " ", ",", '"', "(", "“", "Aaa ", "Mr A, ", "of the ", "Chan Tai-man, "]
)
def test_a_long_run_of_one_thing_extracts_nothing_and_does_not_fail(run, registry, corrections):
    ex = extract(run * (50_000 // len(run)), registry, corrections)
    assert (ex.people, ex.organizations, ex.commitments, ex.documents) == ([], [], [], [])


def test_a_post_after_a_long_capitalised_run_still_names_its_holder(registry, corrections):
    text = "Aaa " * 20_000 + ", said governor Wang Weizhong.\n"
    ex = extract(text, registry, corrections)
    (person,) = ex.people
    assert person.name == "Wang Weizhong"
    (span,) = person.mentions
    assert (span.start, span.end) == (80_016, 80_016 + len("Wang Weizhong"))
    assert text[span.start : span.end] == span.text
