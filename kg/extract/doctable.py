"""Signed documents listed in a plain-text table: a header row that names a column of
documents ("Document", "Title") and usually one of signatories ("Signatories", "Signed
by", "Parties"), then one row per document. Cells are separated by "|" (Markdown or a
page copied as text) or by tabs or runs of spaces (a table aligned by hand)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary
from kg.model import SignedDocument, Span

PIPE = re.compile(r"\s*\|\s*")
# Tabs, or three spaces or more: "\t+\s*|\s{3,}", starting with a space (its class lets the
# engine skip to the next one at C speed).
ALIGNED = re.compile(r"\s(?:(?<=\t)\s*|\s{2,})")
_QUOTES = "\"'“”‘’"


@dataclass(frozen=True)
class Cell:
    start: int  # offsets in the document
    end: int
    text: str


def cells_of(block: Block, separator: re.Pattern[str]) -> list[Cell]:
    """A row's cells, each with its offsets in the document (the outer bars' empty cells
    left out)."""
    text, base = block.text, block.span.start
    cells, at = [], 0
    for m in [*separator.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        raw = text[at:end]
        lead = len(raw) - len(raw.lstrip())
        value = raw.strip()
        cells.append(Cell(base + at + lead, base + at + lead + len(value), value))
        if m is not None:
            at = m.end()
    # "| a | b |": the empty cells outside the outer bars are not columns.
    if cells and not cells[0].text:
        cells = cells[1:]
    if cells and not cells[-1].text:
        cells = cells[:-1]
    return cells


# A spreadsheet saved as CSV ("No.,Document,Signed by,..."): its cells are read by
# `csv_cells`, quotes and all, not split at a pattern.
CSV = re.compile(",")


def row_cells(block: Block, separator: re.Pattern[str]) -> list[Cell]:
    """A row's cells under `separator`: PIPE, ALIGNED or CSV."""
    return csv_cells(block) if separator is CSV else cells_of(block, separator)


def csv_row(text: str) -> bool:
    """Whether a line may be a row of comma-separated values: two commas or more, no bar,
    no tab."""
    return text.count(",") >= 2 and not any(c in text for c in "|\t\n")


def csv_cells(block: Block) -> list[Cell]:
    """A CSV row's cells, every one kept (an empty first cell is a column too), a quoted
    cell without its quotes ("Culture, tourism and ..."; a doubled quote inside it stays as
    printed). Read in one pass: a long line costs its length, never more."""
    text, base = block.text, block.span.start
    cells: list[Cell] = []
    at, n = 0, len(text)
    while True:
        if at < n and text[at] == '"':
            close = at + 1
            while True:
                close = text.find('"', close)
                if close < 0 or text.startswith('""', close):
                    if close < 0:
                        close = n
                        break
                    close += 2
                    continue
                break
            start, end = at + 1, close
            comma = text.find(",", close)
        else:
            comma = text.find(",", at)
            start, end = at, (comma if comma >= 0 else n)
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip())
        value = raw.strip()
        cells.append(Cell(base + start + lead, base + start + lead + len(value), value))
        if comma < 0:
            return cells
        at = comma + 1


_SIDE_NOTE = re.compile(r"\s*\([^()]*\)$")  # "Signed by (HK)", "Lead (Qinghai)"


def column(cells: list[Cell], words: Iterable[str]) -> int | None:
    """The first cell that is one of `words`, with or without a note in brackets."""
    wanted = {w.casefold() for w in words}
    for i, cell in enumerate(cells):
        name = cell.text.rstrip(":").strip()
        if name.casefold() in wanted or _SIDE_NOTE.sub("", name).casefold() in wanted:
            return i
    return None


_HEADER_CHARS = 500


def separator_row(text: str) -> bool:
    return bool(text.strip()) and not re.search(r"[^\s|+:=-]", text)


@dataclass(frozen=True)
class Table:
    """A table of signed documents: the indices of its header and of its rows in the
    document's blocks, how its cells are separated, and which columns hold what."""

    header: int
    rows: tuple[int, ...]
    separator: re.Pattern[str]
    title_at: int
    signers_at: int | None

    @property
    def blocks(self) -> set[int]:
        return {self.header, *self.rows}


def find_tables(blocks: list[Block], vocab: Vocabulary) -> list[Table]:
    """The tables of signed documents among `blocks` (page chrome included: a header row
    looks like a menu bar, and a row of short cells like one too)."""
    doc_words = vocab.words("table_document_columns")
    signer_words = vocab.words("table_signatory_columns")
    tables: list[Table] = []
    i = 0
    while i < len(blocks):
        found = None
        if len(blocks[i].text) > _HEADER_CHARS:
            i += 1  # a header row names its columns in a few words: no paragraph is one
            continue
        for separator in (PIPE, ALIGNED, CSV):
            if separator is PIPE and "|" not in blocks[i].text:
                continue  # one cell: not looked for at every space of a long paragraph
            if separator is CSV and not csv_row(blocks[i].text):
                continue
            cells = row_cells(blocks[i], separator)
            title_at = column(cells, doc_words) if len(cells) >= 2 else None
            if title_at is not None:
                found = separator, len(cells), title_at, column(cells, signer_words)
                break
        if found is None:
            i += 1
            continue
        separator, width, title_at, signers_at = found
        if signers_at is None and not _signing_before(blocks, i, vocab):
            i += 1
            continue
        rows = []
        j = i + 1
        while j < len(blocks):
            if separator_row(blocks[j].text):
                j += 1
                continue
            cells = row_cells(blocks[j], separator)
            if not 2 <= len(cells) <= width or not any(c.text for c in cells):
                break  # another shape, or a spreadsheet's empty row
            rows.append(j)
            j += 1
        if rows:
            tables.append(Table(i, tuple(rows), separator, title_at, signers_at))
        i = max(j, i + 1)
    return tables


def table_documents(
    blocks: list[Block],
    tables: list[Table],
    people_in: Callable[[int, int], list[str]],
    bodies_in: Callable[[str], list[str]],
) -> list[SignedDocument]:
    """The documents the rows of `tables` list. `people_in(start, end)` gives the names of
    the people the document mentions in that span; `bodies_in(text)` the bodies a text
    names. A row's signatories are its people; a row that names none is signed by its
    bodies."""
    docs: list[SignedDocument] = []
    for table in tables:
        for row in table.rows:
            cells = row_cells(blocks[row], table.separator)
            if table.title_at >= len(cells) or not cells[table.title_at].text.strip(_QUOTES):
                continue
            cell = cells[table.title_at]
            title = cell.text.strip(_QUOTES).strip()
            offset = cell.start + cell.text.index(title)
            doc = SignedDocument(title, span=Span(offset, offset + len(title), title))
            if table.signers_at is not None and table.signers_at < len(cells):
                signer = cells[table.signers_at]
                doc.signatories = list(dict.fromkeys(people_in(signer.start, signer.end)))
                if not doc.signatories:
                    doc.parties = bodies_in(signer.text)
            docs.append(doc)
    return docs


def _signing_before(blocks: list[Block], i: int, vocab: Vocabulary) -> bool:
    """Whether the paragraph before a table without a column of signatories is about a
    signing ("... witnessed the signing of the following documents:")."""
    before = [b for b in blocks[:i] if not b.chrome]
    return bool(before) and vocab.sign.search(before[-1].text) is not None
