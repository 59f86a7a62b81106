"""A place where the text names a body, and span helpers shared by the body finders."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Span

_WS = re.compile(r"[\s\u00a0]+")
_NORM = str.maketrans({"’": "'", "‘": "'"})


@dataclass
class Mention:
    """One place where the text names a body."""

    span: Span
    label: str
    kind: str
    jurisdiction: str | None
    known: bool
    alias: str | None = None  # the name as written, when a name (not a pattern) matched
    parent: str | None = None
    chinese_name: str | None = None


def clean(text: str) -> str:
    """A name as a label: one space between words, straight apostrophes."""
    return _WS.sub(" ", text).translate(_NORM).strip()


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def free(m: Mention, taken: list[Mention]) -> bool:
    """Whether `m` overlaps none of `taken`."""
    return not any(overlaps(m.span, t.span) for t in taken)
