"""SPARQL as people type it: the usual prefixes predeclared, the query form, short errors.

The predeclared prefixes are data (kg/queries/prefixes.sparql). They are added on one
line before the user's text, and only those the text uses and does not declare itself,
so an engine's line numbers are one more than the user's: `shift_line` takes it back.
A prefix that is neither declared nor predeclared is reported here, with the line and
column of its first use, before an engine answers with a page of grammar.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from kg.errors import KgError
from kg.sparql_guard import TOKEN

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_DECLARATION = re.compile(r"^\s*PREFIX\s+([^\s:]*):\s*<([^>]*)>\s*$", re.IGNORECASE)
_ENGINE_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


class SparqlSyntax(KgError):
    """Text that is not SPARQL: one short message and, where known, the line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)


@dataclass(frozen=True)
class Prepared:
    """The text an engine gets and how many lines were put before the user's."""

    text: str
    added_lines: int

    def shift_line(self, line: int | None) -> int | None:
        """The user's line for an engine's `line` (None stays None)."""
        if line is None or line <= self.added_lines:
            return line
        return line - self.added_lines


@functools.lru_cache(maxsize=1)
def predeclared() -> dict[str, str]:
    """Prefix -> namespace, as kg/queries/prefixes.sparql lists them, in its order."""
    text = resources.files("kg").joinpath("queries/prefixes.sparql").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        match = _DECLARATION.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def _tokens(text: str) -> list[tuple[str, str, int]]:
    return [
        (m.lastgroup or "", m.group(), m.start())
        for m in TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of character `offset` of `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword after the prologue.

    Examples
    --------
    >>> query_form("PREFIX select: <a:> ASK { ?s select:p 1 }")
    'ASK'
    """
    for kind, token, _ in _tokens(text):
        if kind == "word" and token.upper() in FORMS:
            return token.upper()
    return None


def prepare(text: str, prefixes: dict[str, str] | None = None) -> Prepared:
    """`text` with the predeclared prefixes it uses and does not declare, on one line.

    Raises
    ------
    SparqlSyntax
        A prefixed name whose prefix is neither declared nor predeclared.

    Examples
    --------
    >>> prepare("SELECT * { ?s a coop:Government }").text.split("\\n")[0]
    'PREFIX coop: <https://w3id.org/coopkg/ontology#>'
    >>> prepare("SELECT * { ?s a x:Y }")
    Traceback (most recent call last):
    ...
    kg.sparql_text.SparqlSyntax: unknown prefix 'x:'
    """
    known = predeclared() if prefixes is None else prefixes
    tokens = _tokens(text)
    declared: set[str] = set()
    used: dict[str, int] = {}
    for index, (kind, token, start) in enumerate(tokens):
        if kind != "pname":
            continue
        before = tokens[index - 1] if index else ("", "", 0)
        prefix = token.split(":", 1)[0]
        if before[0] == "word" and before[1].upper() == "PREFIX":
            declared.add(prefix)
        else:
            used.setdefault(prefix, start)
    missing = [p for p in used if p not in declared]
    for prefix in missing:
        if prefix not in known:
            line, column = position(text, used[prefix])
            raise SparqlSyntax(f"unknown prefix '{prefix}:'", line, column)
    if not missing:
        return Prepared(text, 0)
    # In the predeclared order, so the same text always gives the same prologue.
    prologue = " ".join(f"PREFIX {p}: <{known[p]}>" for p in known if p in missing)
    return Prepared(prologue + "\n" + text, 1)


def short_error(message: str, text: str) -> SparqlSyntax:
    """One short line for an engine's syntax error on `text` (the text it was given).

    Oxigraph lists every character class it expected; the user needs the position and
    what stands there.
    """
    first = message.strip().splitlines()[0] if message.strip() else "syntax error"
    match = _ENGINE_POSITION.match(first)
    if match is None:
        return SparqlSyntax(f"syntax error: {first[:120]}")
    line, column = int(match.group(1)), int(match.group(2))
    detail = first[match.end() :]
    lines = text.split("\n")
    near = ""
    if 0 < line <= len(lines):
        rest = lines[line - 1][column - 1 :].strip()
        word = re.match(r"\S{1,30}", rest)
        last = re.search(r"\S{1,30}$", lines[line - 1][: column - 1].rstrip())
        if word:
            near = f" near {word.group()!r}"
        elif last:
            near = f" after {last.group()!r}"
        else:
            near = " at the end of the line"
    else:
        near = " at the end of the query"
    if detail.startswith("expected") and "one of" not in detail and len(detail) < 60:
        return SparqlSyntax(f"syntax error{near} ({detail})", line, column)
    return SparqlSyntax(f"syntax error{near}", line, column)
