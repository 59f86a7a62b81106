"""Look at SPARQL text before an engine does: nesting, updates and SERVICE.

Oxigraph's parser and evaluator recurse: 5,000 nested brackets, or 30,000 chained `!`
or `||`, overflow the stack and kill the process (signal 11) where no Python code can
catch it. So the text is scanned first, by a tokenizer that skips strings, IRIs,
comments, variables, prefixed names and language tags: a literal that contains the word
SERVICE, or a prefix called `service:`, is not a SERVICE clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import KgError

MAX_DEPTH = 256  # brackets; hand-written queries stay under 20
MAX_OPERATORS = 20_000  # chained operators; the engine's stack holds ~3,000 on 8 MB

_UPDATE = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
UPDATE_WORDS = _UPDATE  # the first word of every SPARQL Update operation
_CHAIN_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS"})
# Each alternative always matches (an unterminated string runs to the end of its line or
# of the text), so the scan is linear whatever the input.
TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z))
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"?|'(?:[^'\\\n\r]|\\.)*'?)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%.-]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<op>\|\||&&|!=|<=|>=|\^\^|[|&!/^+*=<>-])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class SparqlRefused(KgError):
    """A query kg will not hand to an engine: too deep, an update, or SERVICE."""


@dataclass
class Scan:
    """What the tokenizer saw: the deepest nesting, chained operators, words and services."""

    depth: int = 0
    operators: int = 0
    words: set[str] = field(default_factory=set)
    services: list[str] = field(default_factory=list)


def scan(text: str) -> Scan:
    """Tokenize `text` once, skipping strings, IRIs, comments, variables and names."""
    found = Scan()
    depth = 0
    after_service = False
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind in ("space", "comment"):
            continue
        if after_service:
            if kind == "word" and token.upper() == "SILENT":
                continue
            found.services.append(token)
            after_service = False
        if kind == "open":
            depth += 1
            found.depth = max(found.depth, depth)
        elif kind == "close":
            depth -= 1
        elif kind == "op" and token not in ("^^", "!=", "<=", ">=", "=", "<", ">"):
            found.operators += 1
        elif kind == "word":
            upper = token.upper()
            found.words.add(upper)
            if upper in _CHAIN_WORDS:
                found.operators += 1
            elif upper == "SERVICE":
                after_service = True
    if after_service:
        found.services.append("")
    return found


def check_shape(text: str) -> Scan:
    """Refuse text whose nesting or operator chains would overflow the engine's stack."""
    found = scan(text)
    if found.depth > MAX_DEPTH:
        raise SparqlRefused(
            f"the query nests brackets {found.depth} deep; at most {MAX_DEPTH} are accepted"
        )
    if found.operators > MAX_OPERATORS:
        raise SparqlRefused(
            f"the query chains {found.operators} operators; at most {MAX_OPERATORS} are accepted"
        )
    return found


def check_query(text: str, allow_service: bool = False) -> Scan:
    """What `kg query` runs: a read-only query, SERVICE only when allowed.

    Examples
    --------
    >>> check_query('SELECT ?s { ?s ?p "SERVICE <http://x>" }').services
    []
    >>> check_query("INSERT DATA { <a:b> <a:c> 1 }")
    Traceback (most recent call last):
    ...
    kg.sparql_guard.SparqlRefused: updates are not supported by kg query
    """
    found = check_shape(text)
    if found.words & _UPDATE:
        raise SparqlRefused("updates are not supported by kg query")
    if found.services and not allow_service:
        target = found.services[0] or "(no target)"
        raise SparqlRefused(
            f"SERVICE {target} is not allowed: kg query does not send requests "
            "unless --allow-service"
        )
    return found
