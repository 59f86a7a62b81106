"""The registry's alternation laid out as a tree, and the literal phrase scan, match what
the flat patterns they replace match (issue 8: a 5 MB line in seconds, results unchanged)."""

from __future__ import annotations

import random
import re

from kg.alternation import CASED_BELOW, alternation_tree
from kg.extract.scan import find_phrases
from kg.registry import _name_body, load_registry

_PIECES = ["Ho", "Hong", "HK", "hk", "Kong", "KS", "s", "ſ", "İ", "ı", "the", "of", "O'", "Le"]
_PIECES += ["Lee", "1", "A-B", "(", "ß", "ẞ", "ς", "Σ", "K"]


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?<![\w])(?:{pattern})(?![\w])", text)]


def test_tree_matches_the_flat_alternation_on_random_names_and_texts() -> None:
    rnd = random.Random(7)
    for _ in range(1500):
        names = {" ".join(rnd.choices(_PIECES, k=rnd.randint(1, 3))) for _ in range(6)}
        names = sorted((n for n in names if n.split()[-1] != "the"), key=len, reverse=True)
        bodies = [_name_body(n) for n in names]
        flat = "|".join(b if one else f"(?i:{b})" for b, one in bodies)
        tree = alternation_tree([(b, not one) for b, one in bodies])
        for _ in range(4):
            words = rnd.choices([*_PIECES, " ", ",", "x", "-"], k=rnd.randint(0, 14))
            text = "".join(w + rnd.choice(["", " ", "’"]) for w in words)
            assert _spans(tree, text) == _spans(flat, text), (names, text)
            # Inside a longer pattern the engine backtracks into it in the same order.
            inside = [m.span() for m in re.finditer(rf"(?:{tree})\s*,", text)]
            assert inside == [m.span() for m in re.finditer(rf"(?:{flat})\s*,", text)]


def test_tree_keeps_the_first_listed_name_where_two_fit() -> None:
    # "Hong Kong" listed first wins over "Hong" at one start; "HK" matches case-sensitively.
    tree = alternation_tree([(r"Hong\s+Kong", True), ("Hong", True), ("HK", False)])
    assert tree.startswith("[Hh]")
    assert _spans(tree, "hong  KONG, Hong, hk, HK") == [(0, 10), (12, 16), (22, 24)]


def test_registry_bodies_pattern_is_a_tree_with_the_flat_matches() -> None:
    registry = load_registry("data/registry")
    text = (
        "The Hong Kong Trade Development Council (HKTDC), the hong kong trade development "
        "council and the HKSAR Government met the Chongqing Municipal People's Government; "
        "hktdc is not an abbreviation the registry knows in lower case."
    )
    found = [(s, e, b.name) for s, e, b in registry.find_bodies(text)]
    assert [text[s:e] for s, e, _ in found] == [
        "Hong Kong Trade Development Council",
        "HKTDC",
        "hong kong trade development council",
        "HKSAR Government",
        "Chongqing Municipal People's Government",
    ]
    assert registry._bodies.regex().pattern.count("|") < 3 * len(registry.bodies)


def test_no_character_from_plane_2_up_has_a_case() -> None:
    # The classes are read below CASED_BELOW only: nothing above may match another case.
    for code in range(CASED_BELOW, 0x110000, 1):
        ch = chr(code)
        assert ch.lower() == ch == ch.upper(), hex(code)


def test_find_phrases_matches_the_alternation_it_replaces() -> None:
    rnd = random.Random(1)
    words = ["Lam", "La", "Lu", "Lam-Tin", "Tin", "Wong", "O'Neil", "Chan", "Tai-man"]
    seps = [" ", "  ", "\n", "-", "'", "’", ",", "", "\u3000", "_"]
    names = ["Lam", "La", "Lu", "Lam Tin", "Chan Tai-man", "Tai-man", "Tin", "O'Neil", "Wong Lam"]
    for _ in range(3000):
        text = "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(0, 12)))
        ordered = rnd.sample(names, rnd.randint(1, 6))
        alts = "|".join(r"\s+".join(map(re.escape, w.split())) for w in ordered)
        want = [m.span() for m in re.finditer(rf"(?<![\w'’-])(?:{alts})(?![\w'’-])", text)]
        assert find_phrases(text, ordered) == want, (text, ordered)
