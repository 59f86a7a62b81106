"""Files for other tools: GraphML and GEXF (Gephi), sorted N-Triples, CSV tables.

Every file is written atomically (a temporary file beside it, then a rename) and is
byte-identical for the same graph: nodes, edges, attributes and rows are sorted, and
nothing carries the date of the run. The N-Triples and the CSV tables are streamed: the
triples go through an external sort (kg.linesort), never into one in-memory graph.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kg.analyze import project_bodies, to_networkx
from kg.cells import xml_safe
from kg.diskstore import sorted_ntriples, term_text
from kg.drawing import annotate_both
from kg.graphxml import gexf_chunks, graphml_chunks
from kg.linesort import sorted_unique
from kg.output import atomic_file, atomic_write_chunks
from kg.query import iter_query, resolve_query, write_rows
from kg.store import IRI, OxigraphStore, Store, open_store

# GEXF reads node attributes named start/end as a time interval (Gephi's timeline); the
# character offsets of a quote are no such thing.
_RENAMED = {"start": "start_offset", "end": "end_offset"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Every distinct triple, with the parts of its object, so that any Store (an endpoint
# too) can give exact N-Triples: Store.select returns literals as Python values.
_TRIPLES = """SELECT DISTINCT ?s ?p ?o (isIRI(?o) AS ?o_iri) (isBlank(?o) AS ?o_blank)
  (STR(?o) AS ?o_text) (LANG(?o) AS ?o_lang) (DATATYPE(?o) AS ?o_type)
WHERE { ?s ?p ?o }"""


def _plain_graph(graph: nx.Graph, viz: bool = False) -> nx.Graph:
    """A copy holding only what GraphML and GEXF can hold, in sorted order.

    None values are left out (both formats allow a missing value), lists become one
    "; "-joined string, and an attribute whose values are of mixed types is written as
    text everywhere, so that each attribute has a single declared type. Characters XML
    cannot hold (a form feed from a PDF, ESC) become U+FFFD in this copy only: the graph
    keeps the quote as written, and the copy keeps its length, so offsets still measure it.
    A node's drawing (`viz`: position, colour, size) is kept only when `viz` is true (GEXF).
    """
    nodes = {n: _plain_attrs(d) for n, d in graph.nodes(data=True)}
    drawing = {n: d["viz"] for n, d in graph.nodes(data=True) if "viz" in d}
    edges = {tuple(sorted((u, v))): _plain_attrs(d) for u, v, d in graph.edges(data=True)}
    _one_type_per_key(nodes.values())
    _one_type_per_key(edges.values())
    plain = nx.Graph()
    for node in sorted(nodes):
        plain.add_node(xml_safe(str(node)), **dict(sorted(nodes[node].items())))
        if node in drawing and viz:
            plain.nodes[xml_safe(str(node))]["viz"] = drawing[node]
    for u, v in sorted(edges):
        plain.add_edge(xml_safe(str(u)), xml_safe(str(v)), **dict(sorted(edges[u, v].items())))
    return plain


def _plain_attrs(data: dict[str, Any]) -> dict[str, Any]:
    attrs = {}
    for key, value in data.items():
        if value is None or key == "viz":
            continue
        if isinstance(value, str):  # the most common, so tested first
            value = xml_safe(str(value))  # str(): kg.store.IRI becomes a plain str
        elif isinstance(value, set | frozenset):
            value = xml_safe("; ".join(sorted(map(str, value))))  # a set has no order
        elif isinstance(value, list | tuple):
            value = xml_safe("; ".join(map(str, value)))
        elif isinstance(value, bool):
            value = bool(value)
        elif isinstance(value, int | float):
            value = int(value) if isinstance(value, int) else float(value)
        else:
            value = xml_safe(str(value))
        attrs[xml_safe(_RENAMED.get(key, key))] = value
    return attrs


def _one_type_per_key(records: Iterable[dict[str, Any]]) -> None:
    records = list(records)
    types: dict[str, set[type]] = {}
    for attrs in records:
        for key, value in attrs.items():
            types.setdefault(key, set()).add(type(value))
    mixed = {key for key, seen in types.items() if len(seen) > 1}
    for attrs in records:
        for key in mixed & attrs.keys():
            attrs[key] = _text(attrs[key])


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def export_graphml(graph: nx.Graph, path: str | Path) -> Path:
    """Write `graph` as GraphML; see `_plain_graph` for how attributes are made legal.

    Examples
    --------
    >>> import tempfile
    >>> g = nx.Graph([("a", "b", {"areas": ["Finance", "Trade"]})])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     back = nx.read_graphml(export_graphml(g, Path(tmp) / "g.graphml"))
    >>> back.edges["a", "b"]["areas"]
    'Finance; Trade'
    """
    return atomic_write_chunks(path, graphml_chunks(_plain_graph(graph)))


def export_gexf(graph: nx.Graph, path: str | Path) -> Path:
    """Write `graph` as GEXF 1.2 for Gephi: node `label` is the label Gephi shows, `weight`
    the edge weight; `start`/`end` become `start_offset`/`end_offset`."""
    return atomic_write_chunks(path, gexf_chunks(_plain_graph(graph, viz=True)))


def _graph_files(graph: nx.Graph, out: Path, name: str) -> list[Path]:
    """`export_graphml` and `export_gexf` from one plain copy (GraphML leaves out `viz`)."""
    plain = _plain_graph(graph, viz=True)
    return [
        atomic_write_chunks(out / f"{name}.graphml", graphml_chunks(plain)),
        atomic_write_chunks(out / f"{name}.gexf", gexf_chunks(plain)),
    ]


def export_ntriples(source: Store | str | Path, path: str | Path) -> Path:
    """Write every distinct triple of a store (or of a graph file) as sorted N-Triples.

    Named graphs fold into one. The lines are sorted, so two builds of the same graph give
    the same file (provided it has no blank nodes, whose labels the engine chooses).
    Oxigraph's triples are read from the store itself; another store's through SELECT.
    """
    store = open_store(source) if isinstance(source, str | Path) else source
    if isinstance(store, OxigraphStore):
        lines = sorted_ntriples(store._store, union=store.union)
    else:
        lines = sorted_unique(_selected_lines(store))
    return atomic_write_chunks(path, _batched(lines))


def _selected_lines(store: Store) -> Iterator[bytes]:
    columns, rows = store.iter_select(_TRIPLES)
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        line = f"{_node(values['s'])} <{values['p']}> {_object(values)} .\n"
        yield line.encode("utf-8")


def _batched(lines: Iterable[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield b"".join(batch)
            batch.clear()
    yield b"".join(batch)


def _node(value: Any) -> str:
    if not isinstance(value, IRI) and str(value).startswith("_:"):
        return str(value)
    return f"<{value}>"


def _object(row: dict[str, Any]) -> str:
    import pyoxigraph as ox

    if row["o_iri"]:
        return f"<{row['o']}>"
    if row["o_blank"]:
        return _node(row["o"])
    text, lang, datatype = str(row["o_text"]), row["o_lang"] or None, row["o_type"]
    if lang:
        return term_text(ox.Literal(text, language=str(lang)))
    # RDF 1.1: "x" and "x"^^xsd:string are one; the lexical form is kept as stated.
    kind = ox.NamedNode(str(datatype or _XSD_STRING))
    return term_text(ox.Literal(text, datatype=kind))


# file -> (named query, its IRI column (written as "iri"), the other columns kept)
_CSV_TABLES = {
    "commitments.csv": (
        "commitments",
        "commitment",
        ("area", "verbs", "bodies", "quote", "start", "end", "source", "meeting", "date"),
    ),
    "bodies.csv": (
        "bodies",
        "body",
        ("label", "class", "kind", "jurisdiction", "reviewed", "parent", "aliases", "commitments"),
    ),
    "people.csv": ("people", "person", ("name", "title", "posts", "bodies")),
}


def export_csv(store: Store, out_dir: str | Path) -> list[Path]:
    """Write commitments.csv, bodies.csv and people.csv ("; " joins several values)."""
    paths = []
    for name, (query, iri, columns) in _CSV_TABLES.items():
        found, rows = iter_query(store, resolve_query(query), {})
        index = [found.index(c) for c in (iri, *columns)]
        path = Path(out_dir) / name
        with atomic_file(path) as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            write_rows(["iri", *columns], (tuple(r[i] for i in index) for r in rows), "csv", text)
            text.detach()  # flushes; the handle stays open for atomic_file to finish
        paths.append(path)
    return paths


def export_all(
    store: Store,
    source: str | Path | None = None,
    out_dir: str | Path = "out",
    *,
    have_ntriples: bool = False,
) -> list[Path]:
    """Write every export of `store` into `out_dir` and return the paths.

    graph.graphml / graph.gexf hold bodies and commitments; bodies.graphml / bodies.gexf
    the bodies joined by shared commitments (weighted); graph.nt the triples; and the CSV
    tables of `export_csv`. `source` (where the store was read from) is not needed:
    everything is read through `store`, so an endpoint works as well as a file.
    `have_ntriples`: `out_dir`/graph.nt holds the store's triples already (a build
    writes it from its sorted lines with the other graph files), so it is not read again.
    """
    out = Path(out_dir)
    nt = out / "graph.nt"
    bipartite = to_networkx(store)
    projection = project_bodies(bipartite)
    annotate_both(store, bipartite, projection)
    return [
        *_graph_files(bipartite, out, "graph"),
        *_graph_files(projection, out, "bodies"),
        nt if have_ntriples and nt.is_file() else export_ntriples(store, nt),
        *export_csv(store, out),
    ]
