"""The text the extractor reads, and the way back to the source's offsets.

A page copied as Markdown is read with its marks blanked (`kg.extract.markdown`: the same
length), and a page copied from the web without the invisible characters it may hold: soft
hyphens ("Memo\u00adrandum"), zero-width spaces and joiners, word joiners, a byte-order mark
inside the text. Those are taken out, not blanked (a blank would split the word they stand
in), so the reading is shorter than the source; every Span found in it is mapped back, and
its quote taken again from the source, so that it is exactly what the document says.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

from kg.extract.markdown import unmarked
from kg.model import Span

T = TypeVar("T")

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@dataclasses.dataclass(frozen=True)
class Reading:
    """What the extractor reads (`text`) and, for each place where characters of the
    source were taken out, the offset in `text` where they were (`gaps`, ascending)."""

    text: str
    gaps: tuple[int, ...] = ()

    def start(self, at: int) -> int:
        """The source's offset of the character at `at` in the reading."""
        return at + bisect.bisect_right(self.gaps, at)

    def end(self, at: int) -> int:
        """The source's offset just after the character before `at` (a Span's end)."""
        return self.start(at - 1) + 1 if at > 0 else 0


def reading(text: str) -> Reading:
    """`text` as the extractor reads it; `Reading.text` is `text` itself when nothing was
    blanked or taken out."""
    text = unmarked(text)
    removed = [m.start() for m in _INVISIBLE.finditer(text)]
    if not removed:
        return Reading(text)
    # The k-th removed character stood where the reading's offset removed[k] - k is.
    return Reading(_INVISIBLE.sub("", text), tuple(r - k for k, r in enumerate(removed)))


def requoted(value: T, text: str, read: Reading | None = None) -> T:
    """`value` with every Span in it (however deep in dataclasses, lists and tuples) quoting
    `text`, its offsets those of `read`'s source when given (else they are `text`'s)."""
    if read is None or not read.gaps:
        return _requote(value, lambda s: Span(s.start, s.end, text[s.start : s.end]))

    def back(span: Span) -> Span:
        start, end = read.start(span.start), read.end(span.end)
        return Span(start, max(start, end), text[start : max(start, end)])

    return _requote(value, back)  # type: ignore[no-any-return]


def _requote(value: Any, span: Callable[[Span], Span]) -> Any:
    if isinstance(value, Span):
        return span(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _requote(getattr(value, f.name), span)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [_requote(v, span) for v in value]
    if isinstance(value, tuple):
        return tuple(_requote(v, span) for v in value)
    return value
