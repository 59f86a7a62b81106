"""Measures set out in a table: a header row with a column of areas ("Area", "Field") and one
of measures ("Measure", "Action", "Co-operation item"), each row below one commitment in its
area. A fact sheet in Markdown ("| Area | Measure | Lead |", read with its bars as tabs:
kg.extract.markdown) or a table copied as text, its cells apart by tabs or runs of spaces;
the commitment quotes its row from the measure's cell on (the bodies that lead it too)."""

from __future__ import annotations

import re

from kg.extract.doctable import (
    ALIGNED,
    CSV,
    PIPE,
    Cell,
    column,
    csv_row,
    row_cells,
    separator_row,
)
from kg.extract.headings import Layout
from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary
from kg.model import Area, Span


def measures_table(blocks: list[Block], vocab: Vocabulary) -> Layout | None:
    """The areas and commitments of the first table of measures in `blocks`, None when
    there is none (or it has no row)."""
    area_words = vocab.words("table_area_columns")
    measure_words = vocab.words("table_measure_columns")
    for i, block in enumerate(blocks):
        if len(block.text) > _HEADER_CHARS:
            continue  # a long paragraph is not looked at for a header
        separator = _separator(block.text)
        if separator is None:
            continue  # one cell
        cells = row_cells(block, separator)
        if separator is CSV and len(cells) < 3:
            continue  # "Areas, measures and ..." is a sentence, not a header
        # The measures' column after the areas' ("Item, Field, Action": the first column
        # numbers the rows).
        area_at = column(cells, area_words)
        after = None if area_at is None else column(cells[area_at + 1 :], measure_words)
        if area_at is None or after is None:
            continue
        measure_at = area_at + 1 + after
        layout = Layout()
        area: str | None = None
        for j in range(i + 1, len(blocks)):
            row = blocks[j]
            if separator_row(row.text):
                continue
            found = row_cells(row, separator) if _separator(row.text) is separator else []
            if separator is CSV and not any(c.text for c in found):
                break  # a spreadsheet's empty row ends its table
            found = found or [Cell(row.span.start, row.span.end, row.text)]
            # A row whose first cells were merged with the row above has fewer cells: its
            # area is the last one (trimmed, a row loses its empty first cells).
            shift = len(cells) - len(found)
            if shift == 0 and len(found) > measure_at:
                label, measure = found[area_at], found[measure_at]
            elif 0 < shift <= measure_at and layout.commitments and row.blank_before == 0:
                label, measure = None, found[measure_at - shift]
            else:
                break
            if not measure.text:
                continue
            if label is not None and label.text:
                area = label.text
                if all(a.label != area for a in layout.areas):
                    span = Span(label.start, label.end, label.text)
                    layout.areas.append(Area(area, False, span))
            end = found[-1].end
            text = row.span.text[measure.start - row.span.start : end - row.span.start]
            layout.commitments.append(
                (Block(Span(measure.start, end, text), row.line, 0, None, row.chrome), area)
            )
            layout.end = j + 1
        if layout.commitments:
            return layout
    return None


_HEADER_CHARS = 200  # a header row names its columns in a few words


def _separator(text: str) -> re.Pattern[str] | None:
    if "|" in text:
        return PIPE
    if "\t" in text or "   " in text:
        return ALIGNED
    return CSV if csv_row(text) else None
