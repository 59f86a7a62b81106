"""Named SPARQL queries: package data with a header, run with parameters the engine binds.

A query file starts with comment lines that say what it is::

    # title: Commitments of a body
    # description: What one body committed to ...
    # param: body — the body's label, alias or IRI (default: …)

A parameter without a default is required. Values are never pasted into the query text:
the store binds them (Oxigraph substitutions, rdflib initBindings, or a VALUES block of
N-Triples terms for an endpoint), so a value such as ``x" || true || "`` is only a string.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from kg.cells import csv_row
from kg.errors import InputError
from kg.source import read_text
from kg.sparql_guard import SparqlRefused, check_query
from kg.sparql_text import FORMS as FORMS_RUN
from kg.sparql_text import Prepared, SparqlSyntax, prepare, query_form
from kg.store import IRI, QueryError, Store, Table, Value, derived, is_frozen

FORMATS = ("csv", "json", "tsv")
_HEADER = re.compile(r"^#\s*(title|description|param|internal)\s*:\s*(.*?)\s*$")
# "name — what it is (kind: body) (default: x)"; an em dash, en dash, hyphen or colon
# may separate; the kind and the default are optional, in either order.
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:—|–|-|:)?\s*(?P<text>.*?)"
    r"(?P<notes>(?:\s*\((?:kind|default|one of):[^()]*\))*)\s*$"
)
_NOTE = re.compile(r"\((kind|default|one of):\s*([^()]*?)\s*\)")
KINDS = ("text", "body")  # a "body" parameter must name a body of the graph
# Text that is SPARQL rather than a name or a path: a keyword of a query form or prologue.
_SPARQL = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", re.IGNORECASE)
# An update ("CLEAR ALL", "DROP GRAPH <g>") is SPARQL too, to be refused as one; the
# keyword must be followed by more words, so that a name like "load-stats" is a name.
_UPDATE = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\s+\S", re.IGNORECASE
)


@dataclass(frozen=True)
class Param:
    """A named parameter of a query; `default` None means the caller must give it."""

    name: str
    description: str = ""
    default: str | None = None
    kind: str = "text"
    choices: tuple[str, ...] = ()  # "(one of: a, b)": any other value is refused

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its title, description and parameters.

    `name` is the file stem for package and file queries and ``"<query>"`` for text
    given on the command line; `path` is the file it was read from, if any; `packaged`
    says it ships with coopkg (then a failure is coopkg's bug, not the user's input).
    """

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str | None = None
    packaged: bool = False
    internal: bool = False  # used by coopkg's own code; `kg query --list` leaves it out

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_query(text: str, name: str = "<query>", path: str | None = None) -> NamedQuery:
    """Read the header comments of a query's text into a `NamedQuery`.

    Parameters
    ----------
    text : str
        The SPARQL text, optionally starting with ``# title:``, ``# description:`` and
        ``# param:`` comment lines (other comments are ignored).
    name, path : str
        How the query is called and where it came from.

    Examples
    --------
    >>> q = parse_query("# title: T\\n# param: body — a body (default: x)\\nSELECT ?body {}")
    >>> q.title, q.params[0].name, q.params[0].default
    ('T', 'body', 'x')
    """
    title, description, params, internal = "", "", [], False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break  # the header ends where the query starts
        match = _HEADER.match(stripped)
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            title = value
        elif key == "description":
            description = value
        elif key == "internal":
            internal = value.lower() in ("true", "yes")
        else:
            params.append(_param(value, stripped, path or name))
    return NamedQuery(name, title, description, tuple(params), text, path, internal=internal)


def _param(value: str, line: str, where: str) -> Param:
    spec = _PARAM.match(value)
    if spec is None:
        raise InputError(where, f"cannot read the parameter line {line!r}")
    notes = dict(_NOTE.findall(spec["notes"]))
    kind = notes.get("kind", "text")
    if kind not in KINDS:
        raise InputError(where, f"unknown parameter kind {kind!r} ({', '.join(KINDS)})")
    choices = tuple(c.strip() for c in notes.get("one of", "").split(",") if c.strip())
    default = notes.get("default")
    if choices and default is not None and default not in choices:
        raise InputError(where, f"the default {default!r} is not one of {', '.join(choices)}")
    return Param(spec["name"], spec["text"], default, kind, choices)


def list_queries() -> list[NamedQuery]:
    """Every named query shipped in `kg/queries/`, sorted by name."""
    folder = resources.files("kg").joinpath("queries")
    queries = []
    for entry in folder.iterdir():
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            named = parse_query(entry.read_text(encoding="utf-8"), name)
            queries.append(replace(named, packaged=True))
    return sorted(queries, key=lambda q: q.name)


def resolve_query(spec: str) -> NamedQuery:
    """Find the query `spec` names: a named query, a path to a ``.rq`` file, or SPARQL text.

    Raises
    ------
    InputError
        An unknown name (with the closest names), or a file that is missing, empty,
        binary or not UTF-8.
    """
    known = {q.name: q for q in list_queries()}
    if spec in known:
        return known[spec]
    path = Path(spec)
    if spec.endswith(".rq") or _is_file(path):
        return parse_query(_read_query_file(path), path.stem, str(path))
    if _SPARQL.search(spec) or _UPDATE.search(spec) or "{" in spec:
        return parse_query(spec)
    close = difflib.get_close_matches(spec, list(known), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(
        None, f"unknown query {spec!r}{hint} (`kg query --list` shows the named queries)"
    )


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # SPARQL text is no file name (too long, NUL bytes)
        return False


def _read_query_file(path: Path) -> str:
    return read_text(path, "query file")


def run_query(
    store: Store,
    query: NamedQuery | str,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
    allow_service: bool = False,
) -> Table:
    """Run `query` on `store`, its parameters bound by the engine.

    Parameters
    ----------
    store : Store
        Where the graph lives.
    query : NamedQuery or str
        A resolved query, or anything `resolve_query` accepts.
    params : mapping of str to str
        Parameter values. A value starting with ``http://`` or ``https://`` is bound as
        an IRI, any other as a plain literal. Parameters left out take their default.
    timeout : float, optional
        Seconds after which the query is stopped (`kg.bounded.QueryTimeout`); None for
        no limit. With a limit, a local engine runs in a child process.
    allow_service : bool
        Let a ``SERVICE`` clause send its request (refused by default).

    Raises
    ------
    InputError
        A parameter the query does not declare or a required one left out; SPARQL from
        a file or the command line that the engine cannot parse or run (naming the file
        or ``<query>``, the line and the column); an update; SERVICE not allowed; text
        nested too deep for the engine.
    QueryError
        A packaged query the engine cannot run: coopkg's bug, not the user's.
    """
    named = query if isinstance(query, NamedQuery) else None
    if named and named.packaged and not params and timeout is None and is_frozen(store):
        # A graph that cannot change answers a packaged query once: the page, the analysis,
        # the report and the exports of a build ask several of the same (the rows are
        # tuples of plain values; each caller gets its own list). Packaged only: a
        # server's store is frozen too, and the texts it is sent are without number.
        key = f"query:{allow_service}:{named.text}"
        columns, rows = derived(store, key, lambda: _table(store, named, allow_service))
        return Table(list(columns), list(rows))
    columns, rows = iter_query(store, query, params, timeout, allow_service, isolate=False)
    return Table(columns, list(rows))


def _table(store: Store, query: NamedQuery, allow_service: bool) -> tuple[list[str], list[Any]]:
    columns, rows = iter_query(store, query, None, None, allow_service, isolate=False)
    return columns, list(rows)


def bound_text(query: NamedQuery | str, params: Mapping[str, str] | None = None) -> str:
    """The query's text with its parameters bound in it, for a server that takes only text.

    The values go in as a VALUES block of N-Triples terms (escaped by rdflib), never
    pasted into the query: what `kg query` does against an endpoint.
    """
    from kg.sparql_values import with_values

    named = query if isinstance(query, NamedQuery) else resolve_query(query)
    return with_values(named.text, _bindings(named, params or {}))


def iter_query(
    store: Store,
    query: NamedQuery | str,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
    allow_service: bool = False,
    isolate: bool | None = None,
) -> tuple[list[str], Iterator[tuple[Value, ...]]]:
    """`run_query`, streamed: the columns and an iterator over the rows as they come.

    With `isolate` (the default when there is a timeout) a local engine runs in a child
    process: the deadline and Ctrl-C stop it wherever it is, a crash is one error, and
    closing the iterator early (``rows.close()``) stops it too.
    """
    result = open_result(store, query, params, timeout, allow_service, isolate, forms=("SELECT",))
    return result.columns, result.rows


@dataclass
class Result:
    """A running query: its form (SELECT, ASK, CONSTRUCT, DESCRIBE), columns and rows.

    ASK gives one row ``(True,)`` or ``(False,)`` under the column ``boolean``;
    CONSTRUCT and DESCRIBE give one row per triple, each term in its N-Triples form.
    """

    form: str
    columns: list[str]
    rows: Iterator[tuple[Value, ...]]


def open_result(
    store: Store,
    query: NamedQuery | str,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
    allow_service: bool = False,
    isolate: bool | None = None,
    forms: tuple[str, ...] = FORMS_RUN,
) -> Result:
    """Run a query of any form in `forms`, bounded like `iter_query`.

    Text from the command line or a user's file gets the predeclared prefixes
    (kg/queries/prefixes.sparql) it uses and does not declare; error positions point
    into the text as the user wrote it.
    """
    named = resolve_query(query) if isinstance(query, str) else query
    where = named.path or named.name
    bindings = _bindings(named, params or {})
    _check_utf8(named.text, "the query text", where)
    try:
        check_query(named.text, allow_service)
        prepared = Prepared(named.text, 0) if named.packaged else prepare(named.text)
    except SparqlRefused as exc:
        raise InputError(where, str(exc)) from None
    except SparqlSyntax as exc:
        raise InputError(where, exc.message, exc.line, exc.column) from None
    if any(p.kind == "body" for p in named.params):
        _check_bodies(store, named, bindings, timeout)
    form = query_form(named.text) or "SELECT"
    if form not in forms:
        raise InputError(where, f"a {form} query cannot be run here (only {', '.join(forms)})")
    if isolate is False and timeout is not None:
        isolate = None
    try:
        if form == "SELECT":
            columns, rows = _iter_select(store, prepared.text, bindings, timeout, isolate)
        elif form == "ASK":
            answer = store.ask(prepared.text, bindings, timeout)
            columns, rows = ["boolean"], iter([(answer,)])
        else:
            iter_triples = getattr(store, "iter_triples", None)
            if iter_triples is None:
                raise InputError(where, f"this store cannot run a {form} query")
            columns, rows = iter_triples(prepared.text, bindings, timeout, isolate)
    except QueryError as exc:
        if named.packaged:
            raise
        # The user's own SPARQL is bad input: name the file (or "<query>") and the line.
        line = prepared.shift_line(exc.line)
        raise InputError(where, exc.message, line, exc.column) from None
    return Result(form, columns, rows)


def _check_bodies(
    store: Store, named: NamedQuery, bindings: Mapping[str, Any], timeout: float | None
) -> None:
    """A body parameter that names no body is a mistake, not an empty answer."""
    where = named.path or named.name
    lookup = next(q for q in list_queries() if q.name == "body-names")
    rows = store.select(lookup.text, None, timeout).rows
    bodies = {str(body) for body, _ in rows}
    names: dict[str, str] = {}
    for _, name in rows:
        names.setdefault(str(name).casefold(), str(name))
    for param in named.params:
        value = str(bindings[param.name])
        if param.kind != "body" or value in bodies or value.casefold() in names:
            continue
        close = difflib.get_close_matches(value.casefold(), list(names), n=3, cutoff=0.6)
        if close:
            hint = "; did you mean " + ", ".join(repr(names[c]) for c in close) + "?"
        else:
            hint = " (`kg query bodies` lists them)"
        raise InputError(where, f"no body is called {value!r}{hint}")


def _iter_select(
    store: Store,
    text: str,
    bindings: dict[str, Any],
    timeout: float | None,
    isolate: bool | None,
) -> tuple[list[str], Iterator[tuple[Value, ...]]]:
    iter_select = getattr(store, "iter_select", None)
    if iter_select is None:  # a store written before streaming: rows come all at once
        table = store.select(text, bindings)
        return table.columns, iter(table.rows)
    return iter_select(text, bindings, timeout, isolate)


def _bindings(named: NamedQuery, given: Mapping[str, str]) -> dict[str, Any]:
    where = named.path or named.name
    declared = {p.name for p in named.params}
    for name in sorted(given):
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise InputError(where, f"unknown parameter {name!r} (parameters: {known})")
    bindings: dict[str, Any] = {}
    for param in named.params:
        value = given.get(param.name, param.default)
        if value is None:
            raise InputError(where, f"missing parameter {param.name!r}: {param.description}")
        _check_utf8(value, f"parameter {param.name!r}", where)
        if param.choices and value not in param.choices:
            raise InputError(
                where,
                f"parameter {param.name!r} is one of {', '.join(param.choices)}, not {value!r}",
            )
        bindings[param.name] = _term(value, where, param.name)
    return bindings


def _check_utf8(text: str, what: str, where: str) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no engine takes."""
    for index, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            raise InputError(
                where,
                f"{what} is not UTF-8 text: {char!a} at character {index + 1}",
            )


def _term(value: str, where: str, name: str) -> str:
    if not value.startswith(("http://", "https://")):
        return value
    # An IRI may not hold spaces, quotes, angle brackets and the like (RFC 3987); the
    # engines would raise their own errors deep inside.
    bad = sorted({c for c in value if c in _NOT_IN_IRI or ord(c) < 0x21 or 0x7F <= ord(c) < 0xA0})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise InputError(
            where, f"parameter {name!r}: {value!r} is not a valid IRI (it holds {shown})"
        )
    return IRI(value)


_NOT_IN_IRI = frozenset('<>"{}|^`\\ ')


def format_table(table: Table, fmt: str) -> str:
    """Write a result as CSV, TSV or JSON (a list of objects, one per row).

    Empty cells are empty strings in CSV/TSV and ``null`` in JSON; booleans are written
    ``true``/``false`` in all three.

    Examples
    --------
    >>> t = Table(["a", "b"], [(1, None), ("x,y", True)])
    >>> print(format_table(t, "csv"), end="")
    a,b
    1,
    "x,y",true
    """
    buffer = io.StringIO()
    write_rows(table.columns, table.rows, fmt, buffer)
    return buffer.getvalue()


def write_rows(columns: list[str], rows: Iterable[tuple[Any, ...]], fmt: str, out: TextIO) -> int:
    """Write rows to `out` as they come (CSV, TSV or a JSON array); return how many.

    Nothing is collected: the JSON array is written one object at a time, byte for byte
    what ``json.dumps(list_of_rows, indent=2)`` gives.
    """
    if fmt == "json":
        return _write_json(columns, rows, out)
    if fmt not in ("csv", "tsv"):
        raise InputError(None, f"unknown format {fmt!r} ({', '.join(FORMATS)})")
    # Cells a spreadsheet would run as formulas get a leading ' (kg.cells, OWASP's rule).
    delimiter = "," if fmt == "csv" else "\t"
    out.write(csv_row(columns, delimiter))
    count = 0
    for row in rows:
        out.write(csv_row([_cell(v) for v in row], delimiter))
        count += 1
    return count


# default=str: xsd:decimal values arrive as Decimal, which JSON cannot hold exactly. Each
# value on its own, without indent: json's C encoder (its indenting one is pure Python,
# 0.4 s of the 11,255 rows of shared-commitments at 2,500 releases).
_json_value = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _write_json(columns: list[str], rows: Iterable[tuple[Any, ...]], out: TextIO) -> int:
    keys = [f"    {_json_value(c)}: " for c in columns]
    count = 0
    for row in rows:
        members = ",\n".join(k + _json_value(v) for k, v in zip(keys, row, strict=True))
        item = "  {\n" + members + "\n  }" if keys else "  {}"
        out.write(("[\n" if count == 0 else ",\n") + item)
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
