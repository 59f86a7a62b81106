"""Text from documents made safe for where it goes: a spreadsheet, an XML file, a terminal.

A release is hostile input. Its text is stored in the graph exactly as written; only the
copies written for other programs change, each by the rule of the program that reads it:

- CSV: a cell that begins like a formula (`=`, `+`, `-`, `@`, tab, carriage return, and
  their full-width forms, which some spreadsheets also read as formulas) gets a leading
  `'` (OWASP's rule), unless the whole cell is a plain number such as "-3" or "1e5".
- XML 1.0 cannot hold most C0 controls (form feed, ESC, NUL...), lone surrogates or
  U+FFFE/U+FFFF even as character references: each becomes U+FFFD, one character for
  one, so that a quote keeps its length and its offsets still measure it.
- A terminal obeys control characters (ESC sequences retitle windows, clear screens,
  hide text; a carriage return overwrites a line; bidi overrides reorder it): each is
  shown as an escape (`\\x1b`) or, for layout controls, as a space.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = ["csv_row", "csv_text", "neutralise_csv_cell", "terminal_safe", "xml_safe"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A plain decimal number a spreadsheet reads as a number, never as a formula.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def neutralise_csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula; numbers and non-text pass as they are.

    Examples
    --------
    >>> neutralise_csv_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> [neutralise_csv_cell(v) for v in ("@SUM(1)", "-3", "+1.5", "1e5", -2, "a-b")]
    ["'@SUM(1)", '-3', '+1.5', '1e5', -2, 'a-b']
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_row(cells: Sequence[Any], delimiter: str = ",") -> str:
    r'''One CSV (or TSV) line, "\n"-terminated, every cell neutralised.

    As csv.writer's minimal quoting (None is an empty cell, a lone empty cell is `""`),
    except that a cell holding a carriage return is quoted too: csv.writer leaves it bare
    when lines end in "\n", and readers (Python's own) then fail or split the row.

    >>> row = csv_row(["a,b", 'say "x"', "cr\rlf", None, 1.5, "=1+1", "-2"])
    >>> print(row.replace("\r", "<CR>"), end="")
    "a,b","say ""x""","cr<CR>lf",,1.5,'=1+1,-2
    '''
    if len(cells) == 1 and cells[0] in ("", None):
        return '""\n'
    return delimiter.join(_csv_cell(c, delimiter) for c in cells) + "\n"


def csv_text(rows: Iterable[Sequence[Any]], delimiter: str = ",") -> str:
    """Rows (the header first) as CSV text; see `csv_row`."""
    return "".join(csv_row(row, delimiter) for row in rows)


def _csv_cell(value: Any, delimiter: str) -> str:
    text = "" if value is None else str(neutralise_csv_cell(value))
    if _quoted(delimiter)(text):
        return '"' + text.replace('"', '""') + '"'
    return text


# One search per cell, not one per character to look for: a query's CSV writes
# hundreds of thousands of cells (0.13 s of 11,251 rows at 2,500 releases before).
@functools.cache
def _quoted(delimiter: str) -> Callable[[str], Any]:
    return re.compile(f'[{re.escape(delimiter)}"\n\r]').search


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by U+FFFD (same length).

    >>> xml_safe("page\\x0cbreak\\x1b[0m") == "page\\ufffdbreak\\ufffd[0m"
    True
    """
    return _NOT_XML.sub("\ufffd", text)


def _terminal_table() -> dict[int, str]:
    table = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
    table.update({c: " " for c in b"\t\n\r\x0b\x0c"})
    # Bidi embeddings, overrides and isolates reorder what is shown ("Trojan Source");
    # the line and paragraph separators break lines in some terminals.
    for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029):
        table[c] = f"\\u{c:04x}"
    # Lone surrogates (from undecodable bytes) cannot even be encoded for output.
    table.update({c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)})
    return table


_TERMINAL = _terminal_table()
_TERMINAL_MULTILINE = {**_TERMINAL, ord("\n"): "\n"}


def terminal_safe(text: str, keep: str = "") -> str:
    """`text` with no character a terminal would obey: tab, newline, carriage return,
    vertical tab and form feed become a space, every other control (C0, DEL, C1, bidi
    override, line separator) and lone surrogate its escape, except the characters in
    `keep` (e.g. "\\n" for a report whose lines the program itself wrote).

    >>> terminal_safe("\\x1b]0;pwned\\x07 a\\tb\\r\\n")
    '\\\\x1b]0;pwned\\\\x07 a b  '
    >>> terminal_safe("one\\ntwo", keep="\\n")
    'one\\ntwo'
    """
    if text.isprintable():  # the common case: nothing to do
        return text
    table = _TERMINAL_MULTILINE if keep == "\n" else _TERMINAL
    if keep not in ("", "\n"):
        table = {**_TERMINAL, **{ord(c): c for c in keep}}
    return text.translate(table)
