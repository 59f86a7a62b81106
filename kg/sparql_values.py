"""Parameters for an engine that cannot bind them: a VALUES block written into the text.

The block opens the WHERE group, so that FILTERs and aggregates inside it see the bound
values (as Oxigraph's substitutions and rdflib's initBindings do). Which `{` opens that
group is read from the tokens (kg.sparql_guard.TOKEN: comments, strings and IRIs are one
token each, so a brace or the word WHERE inside them counts for nothing):

- the first `{` at the top level after the keyword WHERE;
- without the keyword, the first top-level `{` after the query form, or the second one
  for CONSTRUCT, whose first is its template;
- `CONSTRUCT WHERE { ... }` holds triples only (no VALUES inside): the block follows the
  query instead, which joins the same values with its solutions.

kg/static/query-page.js (the query page) finds the group by the same rule in JavaScript;
tests/test_query_page_values.py holds the two to the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.sparql_guard import TOKEN
from kg.store import QueryError, _rdflib_term

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
AFTER_QUERY = -2  # where_group's answer for the short CONSTRUCT form


def with_values(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """`sparql` with `bindings` as a VALUES block of N-Triples terms (none: unchanged).

    Examples
    --------
    >>> with_values('CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }', {"o": "x"})
    'CONSTRUCT { ?s ?p "{" } WHERE { VALUES (?o) { ("x") }  ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    names = list(bindings)
    terms = [_rdflib_term(bindings[n]).n3() for n in names]
    values = "VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(terms) + ") }"
    at = where_group(sparql)
    if at == AFTER_QUERY:
        return sparql + "\n" + values + "\n"
    if at < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return sparql[: at + 1] + " " + values + " " + sparql[at + 1 :]


def where_group(sparql: str) -> int:
    """Index of the `{` that opens the WHERE group; AFTER_QUERY for `CONSTRUCT WHERE {`,
    -1 when there is none (e.g. `DESCRIBE <iri>`)."""
    form = None
    depth = 0
    groups = 0  # top-level groups seen after the form
    after_where = False
    for match in TOKEN.finditer(sparql):
        kind, token = match.lastgroup, match.group()
        if kind == "open":
            if token == "{" and depth == 0 and form is not None:
                if after_where:
                    return match.start()
                groups += 1
                if groups == (2 if form == "CONSTRUCT" else 1):
                    return match.start()
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word" and depth == 0:
            word = token.upper()
            if form is None and word in _FORMS:
                form = word
            elif form is not None and word == "WHERE":
                if form == "CONSTRUCT" and groups == 0:
                    return AFTER_QUERY
                after_where = True
    return -1
