"""A place where the text names a body, and span helpers shared by the body finders."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from kg.model import Span

_WS = re.compile(r"[\s\u00a0]+")
_CURLY = ("’", "‘")
T = TypeVar("T")


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
    text = _WS.sub(" ", text)
    for mark in _CURLY:  # not str.translate: a dict lookup per character
        text = text.replace(mark, "'")
    return text.strip()


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def free(m: Mention, taken: list[Mention]) -> bool:
    """Whether `m` overlaps none of `taken`."""
    return not any(overlaps(m.span, t.span) for t in taken)


class SpanIndex(Generic[T]):
    """Items with spans, kept in the order they were added, that answer "which overlap this
    span" by looking only at spans that start near it: comparing each name with every
    other one is quadratic in a paragraph listing 20,000 of them."""

    def __init__(self, items: Iterable[tuple[Span, T]] = ()) -> None:
        self._keys: list[tuple[int, int]] = []  # (start, order), sorted
        self._items: dict[int, tuple[Span, T]] = {}  # order -> item, in the order added
        self._orders: dict[int, list[int]] = {}  # id(item) -> its orders
        self._longest = 0
        self._next = 0
        for span, item in items:
            self.add(span, item)

    def add(self, span: Span, item: T) -> None:
        order, self._next = self._next, self._next + 1
        self._items[order] = (span, item)
        self._orders.setdefault(id(item), []).append(order)
        self._longest = max(self._longest, span.end - span.start)
        key = (span.start, order)
        if not self._keys or self._keys[-1] < key:
            self._keys.append(key)  # the usual case: added in the order of the text
        else:
            insort(self._keys, key)

    def overlapping(self, span: Span) -> list[T]:
        """The items whose span overlaps `span`, in the order they were added."""
        lo = bisect_right(self._keys, (span.start - self._longest, self._next))
        hi = bisect_left(self._keys, (span.end, -1))
        orders = sorted(
            order for _, order in self._keys[lo:hi] if overlaps(self._items[order][0], span)
        )
        return [self._items[order][1] for order in orders]

    def free(self, span: Span) -> bool:
        """Whether no item overlaps `span`."""
        return not self.overlapping(span)

    def remove(self, item: T) -> None:
        """Removes every entry that is `item`."""
        for order in self._orders.pop(id(item), []):
            span, _ = self._items.pop(order)
            del self._keys[bisect_left(self._keys, (span.start, order))]

    def items(self) -> list[T]:
        return [item for _, item in self._items.values()]
