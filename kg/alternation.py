"""One regex alternation of many names, laid out as a tree of their first letters.

`A1|A2|...|An` makes the regex engine try every alternative at every position of the text:
the registry's few hundred body names cost about a second a megabyte. Grouped by first
letter (then second, ...), and each group opened by a plain character class, the engine
skips a group on one test of the class, so a position costs a few tests, not hundreds.

The tree matches exactly what the flat alternation matches, in the same order: two
alternatives land in different groups only when they need different characters at one
place, so no text lets both match; an alternative whose letters end at a node of the tree
cuts the node's groups in two (those before it stay before it). The classes are the
characters `(?i:c)` matches, read from the regex engine itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["alternation_tree"]

# Case mappings stop before plane 2 (ideographs, tags, private use: none is cased);
# tests/test_alternation.py checks it against this Python's Unicode tables.
CASED_BELOW = 0x20000
_ALL: list[str] = []  # every character below CASED_BELOW, built once, on first need
_CLASSES: dict[str, frozenset[str]] = {}


@dataclass(frozen=True)
class Alternative:
    """One alternative: `letters` (word characters, matched one by one, ignoring case when
    `ignore_case`) then the regex source `rest`; together they match what
    `(?i:letters rest)` (or `letters rest`) does."""

    letters: str
    rest: str
    ignore_case: bool


def alternation_tree(alternatives: list[tuple[str, bool]]) -> str:
    """A regex source matching what the alternation of `alternatives` matches, the same
    way: each is (a regex source, whether it ignores case), `(?i:source)` or `source`."""
    alts = [_split(source, ignore_case) for source, ignore_case in alternatives]
    mixed = any(a.ignore_case for a in alts)
    letters = {c for a in alts if mixed for c in a.letters}
    _case_classes(letters)
    classes = {_CLASSES[c] for c in letters}
    if sum(map(len, classes)) != len(set().union(*classes)):
        # Two letters whose classes overlap without being one: no tree keeps the order.
        return "|".join(f"(?i:{s})" if i else s for s, i in alternatives) or r"(?!x)x"
    return _node(alts, 0, mixed) or r"(?!x)x"


def _split(source: str, ignore_case: bool) -> Alternative:
    # Letters and digits stand for themselves in a regex source: escapes start with "\".
    n = 0
    while n < len(source) and source[n].isalnum():
        n += 1
    return Alternative(source[:n], source[n:], ignore_case)


def _node(alts: list[Alternative], depth: int, mixed: bool) -> str:
    parts: list[str] = []
    run: list[Alternative] = []  # alternatives going on past `depth`, since the last that ends

    def close_run() -> None:
        groups: dict[frozenset[str], list[Alternative]] = {}
        for a in run:
            groups.setdefault(_key(a.letters[depth], mixed), []).append(a)
        for key, members in groups.items():
            parts.append(f"{_class(key)}(?:{_node(members, depth + 1, mixed)})")
        run.clear()

    for a in alts:
        if len(a.letters) > depth:
            run.append(a)
            continue
        close_run()
        parts.append(_tail(a, mixed))
    close_run()
    return "|".join(parts)


def _tail(a: Alternative, mixed: bool) -> str:
    if a.ignore_case:
        return f"(?i:{a.rest})" if a.rest else ""
    if mixed and a.letters:
        # Its letters were matched by classes that ignore case: it is case-sensitive.
        return f"(?<={re.escape(a.letters)}){a.rest}"
    return a.rest


def _key(ch: str, mixed: bool) -> frozenset[str]:
    return _CLASSES[ch] if mixed else frozenset(ch)


def _class(chars: frozenset[str]) -> str:
    if len(chars) == 1:
        return re.escape(next(iter(chars)))
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _case_classes(chars: set[str]) -> None:
    """For each of `chars`, the characters `(?i:c)` matches (cached for the process)."""
    missing = sorted(chars - _CLASSES.keys())
    if not missing:
        return
    if not _ALL:
        _ALL.append("".join(map(chr, range(CASED_BELOW))))
    either = "".join(re.escape(c) for c in missing)
    found = set(re.findall(f"(?i:[{either}])", _ALL[0]))
    for c in missing:
        one = re.compile(f"(?i:{re.escape(c)})")
        _CLASSES[c] = frozenset({c} | {x for x in found if one.fullmatch(x)})
