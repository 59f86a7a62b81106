"""Pages copied as Markdown link names to their sites: "[Invest Hong Kong](https://...)".
The extractor reads such a text with each link's marks and address blanked, so that the
name reads as a name; every offset stays the source's, and every quote is then taken
again from the source, so that it is exactly what the document says."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from kg.model import Span

T = TypeVar("T")

# "[text](address)": the text on one line, an address with no space.
_LINK = re.compile(r"\[(?P<text>[^\[\]\n]{1,300})\]\((?P<address>[^()\s]{1,2000})\)")


def unlinked(text: str) -> str:
    """`text` with each Markdown link's "[", "](" and address turned into spaces (the same
    length, so offsets agree); the text itself when it has no link."""
    if "](" not in text:
        return text

    def blank(m: re.Match[str]) -> str:
        return " " + m.group("text") + " " * (len(m.group()) - len(m.group("text")) - 1)

    return _LINK.sub(blank, text)


def requoted(value: T, text: str) -> T:
    """`value` with every Span in it (however deep in dataclasses, lists and tuples) quoting
    `text` at its offsets."""
    return _requote(value, text)  # type: ignore[no-any-return]


def _requote(value: Any, text: str) -> Any:
    if isinstance(value, Span):
        return Span(value.start, value.end, text[value.start : value.end])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _requote(getattr(value, f.name), text)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [_requote(v, text) for v in value]
    if isinstance(value, tuple):
        return tuple(_requote(v, text) for v in value)
    return value
