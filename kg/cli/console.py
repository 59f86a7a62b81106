"""Everything the `kg` command prints goes through here: no markup, no control characters.

Document text, file names and arguments may hold ESC sequences, carriage returns or bidi
overrides; `terminal_safe` (kg.cells) shows them escaped.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from kg.cells import terminal_safe

out = Console(highlight=False, soft_wrap=True)


def _print_table(columns: list[str], rows: list[tuple[Any, ...]], title: str | None = None) -> None:
    table = RichTable(title=_cell(title) if title else None, title_justify="left")
    for column in columns:
        table.add_column(_cell(column), overflow="fold")
    for row in rows:
        # Document text may hold [brackets]: print it as text, never as rich markup.
        table.add_row(*(_cell(v) for v in row))
    out.print(table)


def _readable(
    columns: list[str], rows: list[tuple[Any, ...]], hidden: set[str]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """For the terminal: every column but those in `hidden`, IRIs as prefixed names.

    `hidden` is the echo of a named query's bound parameters (the same value on every
    row); a column the user's own SELECT names always shows.
    """
    from kg.namespace import curie
    from kg.store import IRI

    keep = [i for i, name in enumerate(columns) if name not in hidden] or list(range(len(columns)))

    def short(value: Any) -> Any:
        return curie(value) if isinstance(value, IRI) else value

    return [columns[i] for i in keep], [tuple(short(r[i]) for i in keep) for r in rows]


def _cell(value: Any) -> Any:
    """One line of text for the terminal, never read as rich markup, with no control
    character in it (a newline in document text is shown as a space)."""
    from rich.text import Text

    return Text("" if value is None else terminal_safe(str(value)))


def _say(text: str) -> None:
    """Print one line to stdout (no markup, no control characters)."""
    out.print(_cell(text))


def _err(text: str) -> None:
    """Write to stderr; `text` may hold the program's own newlines, nothing else."""
    sys.stderr.write(terminal_safe(text, keep="\n"))


def _print_section(columns: list[str], rows: list[tuple[Any, ...]], title: str = "") -> None:
    if rows:
        _print_table(columns, rows, title or None)


def _one_line(text: str) -> str:
    """One line with no control character (an error message may quote a document)."""
    return " ".join(terminal_safe(text).split())
