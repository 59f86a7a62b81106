"""GraphML and GEXF text of a plain graph, written as strings.

The graph is the copy `kg.export._plain_graph` makes: an undirected nx.Graph, nodes and
edges in sorted order, values str, int, float or bool, one type per key, no character XML
cannot hold, a node's drawing in `viz`. The text is byte for byte what networkx's
GraphMLWriter and GEXFWriter give (through ElementTree, as kg.export used them), without
their element trees: strings are cheaper to make and are written as they are made.

>>> import networkx as nx
>>> graph = nx.Graph([("a", "b", {"weight": 2})])
>>> print(b"".join(gexf_chunks(graph)).decode().splitlines()[-5])
      <edge source="a" target="b" id="0" weight="2" />
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

# What both networkx writers declare each value type as (their type tables, in which the
# last entry for a type wins).
_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}

_GRAPHML_HEAD = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_GEXF_VIZ = ' xmlns:viz="http://www.gexf.net/1.2draft/viz"'
_GEXF_HEAD = (
    ' xmlns="http://www.gexf.net/1.2draft"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd"'
    ' version="1.2">\n'
)
# GEXFWriter takes these keys out of the attributes and writes them as XML attributes.
_NODE_OWN = ("id", "label", "pid", "viz")
_EDGE_OWN = ("id", "label", "weight", "type", "viz")
# ... and these as a time span (which makes the graph dynamic), parents or spells. They are
# refused, not mirrored: kg.export renames start and end, and a scalar parents or spells
# made networkx fail or write one parent per character.
_NOT_WRITTEN = ("start", "end", "parents", "spells")
_VIZ_PARTS = ("color", "size", "thickness", "shape", "position")
_LINES_PER_CHUNK = 4096


def graphml_chunks(graph: nx.Graph) -> Iterator[bytes]:
    """The GraphML file of `graph` in pieces, as `str(GraphMLWriter)` writes it (ASCII, no
    XML declaration); node attribute `viz`, the drawing, is left out."""
    _check_plain(graph)
    return _encoded(_graphml_lines(graph), "ascii")


def gexf_chunks(graph: nx.Graph) -> Iterator[bytes]:
    """The GEXF 1.2 file of `graph` in pieces, as GEXFWriter's tree written by ElementTree
    (UTF-8, with its declaration), without the date it was made and with a last newline."""
    _check_plain(graph)
    for node, data in graph.nodes(data=True):
        _refuse_reserved(data, node)
    for u, v, data in graph.edges(data=True):
        _refuse_reserved(data, (u, v))
    return _encoded(_gexf_lines(graph), "utf-8")


def _check_plain(graph: nx.Graph) -> None:
    # networkx writes these otherwise (direction, edge keys, graph data); no plain graph is.
    if graph.is_directed() or graph.is_multigraph() or graph.graph:
        raise ValueError("a plain graph is undirected, has single edges, no graph attributes")


def _refuse_reserved(data: dict[str, Any], where: object) -> None:
    for key in _NOT_WRITTEN:
        if key in data:
            raise ValueError(f"GEXF reserves the attribute {key!r} ({where!r})")


def _encoded(lines: Iterable[str], encoding: str) -> Iterator[bytes]:
    # A character the encoding lacks becomes a character reference, as in ElementTree.
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= _LINES_PER_CHUNK:
            yield "".join(batch).encode(encoding, "xmlcharrefreplace")
            batch.clear()
    yield "".join(batch).encode(encoding, "xmlcharrefreplace")


# How ElementTree escapes element text (and CR as a reference: a parser reads a raw CR as
# LF; kg.export did this to GraphMLWriter's text, which holds no CR of its own) and
# attribute values (xml.etree.ElementTree._escape_attrib). "&" first.
_TEXT_REFS = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_ATTR_REFS = (*_TEXT_REFS[:3], ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _text(value: str) -> str:
    return _escaped(value, _TEXT_REFS)


def _attr(value: str) -> str:
    return _escaped(value, _ATTR_REFS)


def _escaped(value: str, refs: tuple[tuple[str, str], ...]) -> str:
    for char, ref in refs:
        if char in value:  # most values hold none: the test is cheaper than the copy
            value = value.replace(char, ref)
    return value


def _type_name(kind: type) -> str:
    try:
        return _TYPES[kind]
    except KeyError:
        raise TypeError(f"no GraphML or GEXF type for {kind.__name__} values") from None


# GraphML


def _graphml_lines(graph: nx.Graph) -> Iterator[str]:
    keys = _graphml_keys(graph)
    yield _GRAPHML_HEAD
    # GraphMLWriter inserts each new key first, so the last made comes first.
    for (name, kind, scope), key in reversed(keys.items()):
        declared = f'attr.name="{_attr(name)}" attr.type="{_type_name(kind)}"'
        yield f'  <key id="{key}" for="{scope}" {declared} />\n'
    if not graph:
        yield '  <graph edgedefault="undirected" />\n</graphml>\n'
        return
    yield '  <graph edgedefault="undirected">\n'
    for node, data in graph.nodes(data=True):
        yield _graphml_element(f'node id="{_attr(str(node))}"', "node", data, keys)
    for u, v, data in graph.edges(data=True):
        ends = f'edge source="{_attr(str(u))}" target="{_attr(str(v))}"'
        yield _graphml_element(ends, "edge", data, keys)
    yield "  </graph>\n</graphml>\n"


def _graphml_keys(graph: nx.Graph) -> dict[tuple[str, type, str], str]:
    """Key ids by (name, value type, scope), numbered in the order GraphMLWriter meets them
    (it keys by GraphML type, which is one to one with the value types written)."""
    keys: dict[tuple[str, type, str], str] = {}
    scoped = itertools.chain(
        (("node", data) for _, data in graph.nodes(data=True)),
        (("edge", data) for _, _, data in graph.edges(data=True)),
    )
    for scope, data in scoped:
        for name, value in data.items():
            found = (name, type(value), scope)
            if found not in keys and name != "viz":
                keys[found] = f"d{len(keys)}"
    return keys


def _graphml_element(start: str, scope: str, data: dict[str, Any], keys: dict) -> str:
    parts = []
    for name, value in data.items():
        if name == "viz":
            continue
        key = keys[name, type(value), scope]
        text = _text(str(value))
        # ElementTree shortens an element without text, so that of an empty value too.
        parts.append(f'      <data key="{key}">{text}</data>\n' if text else _empty_data(key))
    if not parts:
        return f"    <{start} />\n"
    return f"    <{start}>\n{''.join(parts)}    </{scope}>\n"


def _empty_data(key: str) -> str:
    return f'      <data key="{key}" />\n'


# GEXF


def _gexf_lines(graph: nx.Graph) -> Iterator[str]:
    node_ids, edge_ids = _gexf_attribute_ids(graph)
    drawings = itertools.chain(
        (data.get("viz") for _, data in graph.nodes(data=True)),
        (data.get("viz") for _, _, data in graph.edges(data=True)),
    )
    drawn = any(viz and any(viz.get(part) is not None for part in _VIZ_PARTS) for viz in drawings)
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    # ElementTree declares the viz namespace, before the root's own attributes, if used.
    yield f"<gexf{_GEXF_VIZ if drawn else ''}{_GEXF_HEAD}"
    yield f"  <meta>\n    <creator>{_text(f'NetworkX {nx.__version__}')}</creator>\n  </meta>\n"
    yield '  <graph defaultedgetype="undirected" mode="static" name="">\n'
    # GEXFWriter inserts each class's <attributes> first: the edges' come before the nodes'.
    yield from _gexf_attributes("edge", edge_ids)
    yield from _gexf_attributes("node", node_ids)
    yield from _gexf_group("nodes", _gexf_nodes(graph, node_ids))
    yield from _gexf_group("edges", _gexf_edges(graph, edge_ids))
    yield "  </graph>\n</gexf>\n\n"


def _gexf_attribute_ids(graph: nx.Graph) -> tuple[dict, dict]:
    """(id, type) of each node and each edge attribute title: one counter for both classes,
    the first value met giving the type, as GEXFWriter numbers them."""
    counter = itertools.count()
    found: tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]] = ({}, {})
    records = itertools.chain(
        ((found[0], _NODE_OWN, data) for _, data in graph.nodes(data=True)),
        ((found[1], _EDGE_OWN, data) for _, _, data in graph.edges(data=True)),
    )
    for ids, own, data in records:
        for title, value in _gexf_values(data, own):
            if title not in ids:
                ids[title] = (str(next(counter)), _type_name(type(value)))
    return found


def _gexf_values(data: dict[str, Any], own: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if key not in own:
            yield ("networkx_key" if key == "key" else key), value


def _gexf_attributes(scope: str, ids: dict[str, tuple[str, str]]) -> Iterator[str]:
    if not ids:
        return
    yield f'    <attributes mode="static" class="{scope}">\n'
    for title, (number, kind) in ids.items():
        yield f'      <attribute id="{number}" title="{_attr(title)}" type="{kind}" />\n'
    yield "    </attributes>\n"


def _gexf_group(tag: str, elements: Iterator[str]) -> Iterator[str]:
    first = next(elements, None)
    if first is None:
        yield f"    <{tag} />\n"
        return
    yield f"    <{tag}>\n"
    yield first
    yield from elements
    yield f"    </{tag}>\n"


def _gexf_nodes(graph: nx.Graph, ids: dict[str, tuple[str, str]]) -> Iterator[str]:
    for node, data in graph.nodes(data=True):
        start = f'node id="{_attr(str(data.get("id", node)))}"'
        start += f' label="{_attr(str(data.get("label", node)))}"'
        if "pid" in data:
            start += f' pid="{_attr(str(data["pid"]))}"'
        children = _viz_lines(data.get("viz")) + _attvalues(data, _NODE_OWN, ids)
        yield _gexf_element(start, "node", children)


def _gexf_edges(graph: nx.Graph, ids: dict[str, tuple[str, str]]) -> Iterator[str]:
    nodes = graph.nodes
    taken = {str(d["id"]) for *_, d in graph.edges(data=True) if d.get("id") is not None}
    counter = (n for n in itertools.count() if str(n) not in taken)
    for u, v, data in graph.edges(data=True):
        number = data.get("id")
        source, target = str(nodes[u].get("id", u)), str(nodes[v].get("id", v))
        start = f'edge source="{_attr(source)}" target="{_attr(target)}"'
        start += f' id="{_attr(str(next(counter) if number is None else number))}"'
        for name in ("label", "weight", "type"):
            if name in data:
                start += f' {name}="{_attr(str(data[name]))}"'
        children = _viz_lines(data.get("viz")) + _attvalues(data, _EDGE_OWN, ids)
        yield _gexf_element(start, "edge", children)


def _gexf_element(start: str, tag: str, children: list[str]) -> str:
    if not children:
        return f"      <{start} />\n"
    return f"      <{start}>\n{''.join(children)}      </{tag}>\n"


def _attvalues(data: dict[str, Any], own: tuple[str, ...], ids: dict) -> list[str]:
    lines = [
        f'          <attvalue for="{ids[title][0]}" value="{_attr(_gexf_value(value))}" />\n'
        for title, value in _gexf_values(data, own)
    ]
    return ["        <attvalues>\n", *lines, "        </attvalues>\n"] if lines else []


def _gexf_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, float):
        return {"inf": "INF", "-inf": "-INF", "nan": "NaN"}.get(text, text)
    return text


def _viz_lines(viz: dict[str, Any] | None) -> list[str]:
    """A drawing's viz elements in GEXFWriter's order; a part that is absent (None) is left
    out, a colour's missing channel is written "None" and its alpha defaults to 1.0."""
    if not viz:
        return []
    parts = [(name, viz.get(name)) for name in _VIZ_PARTS]
    return [f"        <viz:{_viz_element(n, part)} />\n" for n, part in parts if part is not None]


def _viz_element(name: str, part: Any) -> str:
    if name == "color":
        channels = {c: part.get(c) for c in "rgb"} | {"a": part.get("a", 1.0)}
        return f"color {_viz_attrs(channels)}"
    if name == "position":
        return f"position {_viz_attrs({c: part.get(c) for c in 'xyz'})}"
    if name == "shape" and part.startswith("http"):
        return f'shape value="image" uri="{_attr(str(part))}"'
    return f'{name} value="{_attr(str(part))}"'


def _viz_attrs(values: dict[str, Any]) -> str:
    return " ".join(f'{name}="{_attr(str(value))}"' for name, value in values.items())
