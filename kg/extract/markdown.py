"""Pages copied as Markdown: links to their sites ("[Invest Hong Kong](https://...)"), titles
and datelines marked as emphasis ("*Memorandum on ...*", "**Shenzhen, 18 July 2025**"), tables
between bars ("| Trade | Organise a fair ... | HKTDC |"), and a release forwarded in a message
or quoted as a block, its lines led by "> ". The extractor reads such a text with those marks
blanked (a row's inner bars as tabs: a table turned into text), so that names read as names
and rows as rows; every offset stays the source's (`kg.extract.reading`)."""

from __future__ import annotations

import re

# "[text](address)": the text on one line, an address with no space.
_LINK = re.compile(r"\[(?P<text>[^\[\]\n]{1,300})\]\((?P<address>[^()\s]{1,2000})\)")


# "**text**", "__text__", "*text*" within a line: marks that touch the words they hold and
# no word outside them (not a bullet's "* ", not "5 * 3", not "snake_case_name").
_EMPHASIS = re.compile(
    r"(?<![\w*])(?P<mark>\*\*|__|\*)(?=[^\s*_])(?P<text>[^\n*]{1,300}?)(?<=[^\s*_])(?P=mark)(?![\w*])"
)

# What may stand before emphasis that is a whole line: a list's marker, a heading's hashes.
_LINE_START = re.compile(r"[ \t]*(?:(?:[-*+•]|#{1,6}|\d{1,2}[.)])[ \t]+)?")
_LINE_END = re.compile(r"[ \t\r]*(?:\n|$)")
_PREFIX_REACH = 40


def unmarked(text: str) -> str:
    """`text` with each Markdown link's "[", "](" and address, each emphasis's marks, each
    table row's outer bars and each quoted line's ">" turned into spaces, and a row's inner
    bars into tabs (the same length, so offsets agree); the text itself when it has none."""
    # First: a quoted line's rows and emphasis are read as the line's.
    if ">" in text:  # a quoted message's or a block quote's marks: "> The two sides ..."
        text = _QUOTED_LINE.sub(lambda m: " " * len(m.group()), text)
    if "](" in text:

        def blank(m: re.Match[str]) -> str:
            return " " + m.group("text") + " " * (len(m.group()) - len(m.group("text")) - 1)

        text = _LINK.sub(blank, text)
    if "*" in text or "__" in text:

        def plain(m: re.Match[str]) -> str:
            # Looked for near the marks only: a long line of emphasis stays linear.
            start = text.rfind("\n", max(0, m.start() - _PREFIX_REACH), m.start()) + 1
            whole = (start > 0 or m.start() <= _PREFIX_REACH) and _LINE_START.fullmatch(
                text, start, m.start()
            )
            if whole and _LINE_END.match(text, m.end()):
                return m.group()  # a whole line's ("- **Finance**"): kg.extract.segment's
            marks = " " * len(m.group("mark"))
            return marks + m.group("text") + marks

        text = _EMPHASIS.sub(plain, text)
    if "|" in text:
        text = _ROW.sub(_cells, text)
    return text


_QUOTED_LINE = re.compile(r"^[ \t]*>(?:[ \t]*>)*[ \t]?", re.MULTILINE)


# "| Trade | Organise a fair | HKTDC |": a row with its outer bars, two cells or more; a
# separator row ("|---|:--:|") is no text at all.
_ROW = re.compile(r"^[ \t]*\|(?:[^|\n]*\|){2,}[ \t]*$", re.MULTILINE)
_SEPARATOR_ROW = re.compile(r"[\s|:+=-]+")


def _cells(m: re.Match[str]) -> str:
    row = m.group()
    if _SEPARATOR_ROW.fullmatch(row):
        return " " * len(row)
    outer = row.index("|"), row.rindex("|")
    return "".join((" " if i in outer else "\t") if c == "|" else c for i, c in enumerate(row))
