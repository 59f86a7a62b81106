"""The answer of a CONSTRUCT or DESCRIBE as Turtle, N-Triples or JSON-LD, in a fixed order.

Triples arrive from the engine as N-Triples terms in whatever order it found them; they
are collected (a graph result has no row-by-row form in Turtle), made distinct and
sorted, so that the same graph and query always print the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

import rdflib
from rdflib.namespace import RDF

from kg.namespace import bind_prefixes
from kg.sparql_text import predeclared

GRAPH_FORMATS = ("turtle", "nt", "jsonld")


def _graph(rows: Iterable[tuple[Any, ...]]) -> tuple[rdflib.Graph, list[str]]:
    lines = sorted({f"{s} {p} {o} ." for s, p, o in rows})
    graph = rdflib.Graph()
    if lines:
        graph.parse(data="\n".join(lines) + "\n", format="nt")
    return graph, lines


def write_graph(rows: Iterable[tuple[Any, ...]], fmt: str, out: TextIO) -> int:
    """Write the triples `rows` (N-Triples terms) to `out` as `fmt`; return how many.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> write_graph([("<https://x.org/a>", "<https://x.org/p>", '"b"')], "nt", buffer)
    1
    >>> buffer.getvalue()
    '<https://x.org/a> <https://x.org/p> "b" .\\n'
    """
    graph, lines = _graph(rows)
    if fmt == "nt":
        out.write("".join(line + "\n" for line in lines))
    elif fmt == "turtle":
        bind_prefixes(graph)
        out.write(graph.serialize(format="turtle"))
    elif fmt == "jsonld":
        out.write(json.dumps(_jsonld(graph), ensure_ascii=False, indent=2) + "\n")
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
    return len(lines)


def _jsonld(graph: rdflib.Graph) -> dict[str, Any]:
    """Flattened JSON-LD: nodes sorted by @id, properties and values sorted."""
    context = dict(predeclared())
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in graph:
        node = nodes.setdefault(_id(s), {"@id": _id(s)})
        if p == RDF.type and not isinstance(o, rdflib.Literal):
            node.setdefault("@type", []).append(_compact(str(o), context))
        else:
            node.setdefault(_compact(str(p), context), []).append(_value(o))
    graph_nodes = []
    for key in sorted(nodes):
        node = nodes[key]
        ordered = {"@id": node.pop("@id")}
        for name in sorted(node):
            ordered[name] = sorted(node[name], key=lambda v: json.dumps(v, sort_keys=True))
        graph_nodes.append(ordered)
    return {"@context": context, "@graph": graph_nodes}


def _id(term: Any) -> str:
    return f"_:{term}" if isinstance(term, rdflib.BNode) else str(term)


def _compact(iri: str, context: dict[str, str]) -> str:
    for prefix, namespace in context.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _value(term: Any) -> dict[str, str]:
    if not isinstance(term, rdflib.Literal):
        return {"@id": _id(term)}
    value: dict[str, str] = {"@value": str(term)}
    if term.language:
        value["@language"] = term.language
    elif term.datatype is not None:
        value["@type"] = str(term.datatype)
    return value
