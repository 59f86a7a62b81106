"""The graph files written from sorted N-Triples lines, with no rdflib graph of the whole.

A build keeps each document's triples as sorted N-Triples (`kg.output.to_ntriples`);
the files are made from those lines by merging, so the same inputs give the same bytes
and memory holds lines, not a graph: graph.nq (every quad, sorted), graph.nt (the union,
sorted), graph.ttl (the union grouped by subject and predicate, in the lines' order) and
graph.jsonld (`kg.output.to_jsonld`'s exact layout).
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kg.output import CONTEXT

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r", "\\t": "\t"}


def lines_of(triples: bytes) -> list[str]:
    """The lines of sorted N-Triples bytes (only "\n" ends one: str.splitlines would also
    split at U+2028 or a form feed inside a literal)."""
    text = triples.decode("utf-8")
    return [line + "\n" for line in text.split("\n")[:-1]]


def nquads(graphs: Mapping[str, bytes]) -> Iterator[str]:
    """Every graph's lines as N-Quads, in sorted order (each graph's lines are sorted:
    adding the same graph term before " .\\n" keeps their order)."""

    def quads(name: str, data: bytes) -> Iterator[str]:
        tail = f" <{name}> .\n"
        for line in lines_of(data):
            yield line[:-3] + tail

    return heapq.merge(*(quads(name, data) for name, data in graphs.items()))


def union_lines(graphs: Mapping[str, bytes]) -> list[str]:
    """The union's triples as sorted, distinct N-Triples lines."""
    out: list[str] = []
    last = None
    for line in heapq.merge(*(lines_of(data) for data in graphs.values())):
        if line != last:
            out.append(line)
            last = line
    return out


def split(line: str) -> tuple[str, str, str]:
    """Subject, predicate, object of one N-Triples line (IRIs hold no spaces)."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-3]


def turtle(lines: Iterable[str]) -> Iterator[str]:
    """Turtle, one block per subject in the lines' order, compact names where safe."""
    for prefix, ns in sorted(CONTEXT.items()):
        yield f"@prefix {prefix}: <{ns}> .\n"
    subject = predicate = None
    for line in lines:
        s, p, o = split(line)
        if s != subject:
            if subject is not None:
                yield " .\n"
            yield f"\n{_short(s)}\n    {'a' if p == _RDF_TYPE else _short(p)} {_object(o)}"
            subject, predicate = s, p
        elif p != predicate:
            yield f" ;\n    {'a' if p == _RDF_TYPE else _short(p)} {_object(o)}"
            predicate = p
        else:
            yield f" ,\n        {_object(o)}"
    if subject is not None:
        yield " .\n"


def _short(term: str) -> str:
    if not term.startswith("<"):
        return term
    iri = term[1:-1]
    for prefix, ns in CONTEXT.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return term


def _object(term: str) -> str:
    if term.startswith('"'):
        match = _LITERAL.fullmatch(term)
        if match and match.group(3):
            head = term[: -len(match.group(3)) - 4]
            return f"{head}^^{_short('<' + match.group(3) + '>')}"
        return term
    return _short(term)


def _compact(iri: str) -> str:
    for prefix, ns in CONTEXT.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _value(term: str) -> dict[str, Any]:
    if not term.startswith('"'):
        return {"@id": _compact(term[1:-1])}
    match = _LITERAL.fullmatch(term)
    assert match is not None, term
    text = re.sub(r"\\.", lambda m: _UNESCAPE.get(m.group(), m.group()), match.group(1))
    value: dict[str, Any] = {"@value": text}
    if match.group(2):
        value["@language"] = match.group(2)
    elif match.group(3):
        value["@type"] = _compact(match.group(3))
    return value


def jsonld(lines: list[str]) -> Iterator[str]:
    """`kg.output.to_jsonld` of the union, from its sorted lines."""
    # Subjects are contiguous in sorted lines; the file orders them by their compact id.
    starts: list[tuple[str, int, int]] = []
    begin = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or split(lines[i])[0] != split(lines[begin])[0]:
            starts.append((_compact(split(lines[begin])[0][1:-1]), begin, i))
            begin = i
    yield from _document_head()
    for n, (key, start, end) in enumerate(sorted(starts)):
        node: dict[str, Any] = {"@id": key}
        props: dict[str, list[dict[str, Any]]] = {}
        types = []
        for line in lines[start:end]:
            _, p, o = split(line)
            if p == _RDF_TYPE:
                types.append(_compact(o[1:-1]))
            else:
                props.setdefault(_compact(p[1:-1]), []).append(_value(o))
        if types:
            node["@type"] = sorted(types)
        for prop in sorted(props):
            node[prop] = sorted(props[prop], key=lambda v: json.dumps(v, sort_keys=True))
        text = json.dumps(node, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        yield ("" if n == 0 else ",") + "\n  " + text
    yield "\n ]\n}\n" if starts else "]\n}\n"


def _document_head() -> Iterator[str]:
    """The file up to the first node, as json.dumps(indent=1) lays it out."""
    head = json.dumps({"@context": CONTEXT, "@graph": []}, ensure_ascii=False, indent=1)
    yield head[: head.rindex("[]") + 1]
