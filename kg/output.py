"""Deterministic serialisation and atomic writes: a failed run leaves old outputs intact."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import rdflib
from rdflib.term import Literal, Node, URIRef

from kg.errors import OutputError

CONTEXT = {
    "coop": "https://w3id.org/coopkg/ontology#",
    "id": "https://w3id.org/coopkg/id/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_RDF_TYPE = str(rdflib.RDF.type)


_UMASK: int | None = None


def umask() -> int:
    """The process's umask, read once without changing it where the kernel says it."""
    global _UMASK
    if _UMASK is None:
        try:  # Linux >= 4.7: reading it this way cannot race another thread
            with open("/proc/self/status", encoding="ascii") as status:
                line = next(x for x in status if x.startswith("Umask:"))
            _UMASK = int(line.split()[1], 8)
        except (OSError, StopIteration, ValueError, IndexError):
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
    return _UMASK


def file_mode() -> int:
    """The mode a new file gets from open(): mkstemp's 0600 is for secrets, not outputs."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    return 0o777 & ~umask()


def temp_prefix(name: str) -> str:
    """A temporary file's prefix for `name`, short enough that a long name still fits
    NAME_MAX (255 bytes) with mkstemp's random part and suffix added."""
    return "." + name.encode("utf-8", "surrogateescape")[:40].decode("utf-8", "ignore") + "."


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, then rename it over `path`.

    Any OSError (a full disk, no permission, a parent that is a file) becomes an
    `OutputError` naming `path`; the temporary file is removed.
    """
    with atomic_file(path) as handle:
        handle.write(data)
    return Path(path)


def atomic_write_chunks(path: str | Path, chunks: Iterable[bytes]) -> Path:
    """`atomic_write_bytes` for data that arrives in pieces: never all in memory at once."""
    with atomic_file(path) as handle:
        handle.writelines(chunks)
    return Path(path)


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file to write that appears at `path` whole when the block ends (errors as
    in `atomic_write_bytes`; nothing appears if the block fails)."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            os.fchmod(handle.fileno(), file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(str(path), exc.strerror or str(exc)) from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: str | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def to_turtle(graph: rdflib.Graph) -> bytes:
    """Canonical long-form Turtle: rdflib's one serialiser whose output is stable."""
    return graph.serialize(format="longturtle", encoding="utf-8")


def to_ntriples(graph: rdflib.Graph | Iterable[tuple[Node, Node, Node]]) -> bytes:
    lines = sorted({_nt_line(s, p, o) for s, p, o in graph})
    return "".join(lines).encode("utf-8")


def to_nquads(graphs: dict[str, rdflib.Graph]) -> bytes:
    """Named graphs as sorted N-Quads: each document's facts keep their origin."""
    lines: set[str] = set()
    for name, graph in graphs.items():
        g = URIRef(name).n3()
        for s, p, o in graph:
            lines.add(f"{s.n3()} {p.n3()} {_n3(o)} {g} .\n")
    return "".join(sorted(lines)).encode("utf-8")


def _n3(term: Node) -> str:
    # rdflib writes some literals with Turtle shorthands; N-Triples needs the long form.
    if isinstance(term, Literal):
        if term.language:
            return f"{_quote(str(term))}@{term.language}"
        if term.datatype:
            return f"{_quote(str(term))}^^<{term.datatype}>"
        return _quote(str(term))
    return term.n3()


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _nt_line(s: Node, p: Node, o: Node) -> str:
    return f"{s.n3()} {p.n3()} {_n3(o)} .\n"


def to_jsonld(graph: rdflib.Graph) -> bytes:
    """Flattened JSON-LD with a compact context, subjects and values sorted."""
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in graph:
        node = nodes.setdefault(_compact(s), {"@id": _compact(s)})
        if str(p) == _RDF_TYPE:
            node.setdefault("@type", []).append(_compact(o))
            continue
        node.setdefault(_compact(p), []).append(_jsonld_value(o))
    out = []
    for key in sorted(nodes):
        node = nodes[key]
        ordered: dict[str, Any] = {"@id": node["@id"]}
        if "@type" in node:
            ordered["@type"] = sorted(node["@type"])
        for prop in sorted(k for k in node if not k.startswith("@")):
            values = sorted(node[prop], key=lambda v: json.dumps(v, sort_keys=True))
            ordered[prop] = values
        out.append(ordered)
    doc = {"@context": CONTEXT, "@graph": out}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _compact(term: Node) -> str:
    text = str(term)
    for prefix, ns in CONTEXT.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _jsonld_value(term: Node) -> dict[str, Any]:
    if isinstance(term, Literal):
        value: dict[str, Any] = {"@value": str(term)}
        if term.language:
            value["@language"] = term.language
        elif term.datatype:
            value["@type"] = _compact(term.datatype)
        return value
    return {"@id": _compact(term)}
