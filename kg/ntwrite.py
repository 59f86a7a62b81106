"""The graph files written from sorted N-Triples lines, with no rdflib graph of the whole.

A build keeps each document's triples as sorted N-Triples (`kg.output.to_ntriples`);
the files are made from those lines by merging, so the same inputs give the same bytes
and memory holds lines, not a graph: graph.nq (every quad, sorted), graph.nt (the union,
sorted), graph.ttl (the union grouped by subject and predicate, in the lines' order) and
graph.jsonld (`kg.output.to_jsonld`'s exact layout).
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from kg import ntblocks
from kg.errors import OutputError
from kg.output import CONTEXT, atomic_file

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r", "\\t": "\t"}


def lines_of(triples: bytes) -> Iterator[str]:
    """The lines of sorted N-Triples bytes, one at a time (only "\n" ends one:
    str.splitlines would also split at U+2028 or a form feed inside a literal). Lazily:
    merged, every graph's lines held at once were 270 MB at 2,500 releases."""
    # BytesIO reads the bytes in place and ends a line at b"\n" alone.
    return (line.decode("utf-8") for line in io.BytesIO(triples))


def nquads(graphs: Mapping[str, bytes]) -> Iterator[str]:
    """Every graph's lines as N-Quads, in sorted order (each graph's lines are sorted:
    adding the same graph term before " .\\n" keeps their order)."""

    def quads(name: str, data: bytes) -> Iterator[str]:
        tail = f" <{name}> .\n"
        for line in lines_of(data):
            yield line[:-3] + tail

    return heapq.merge(*(quads(name, data) for name, data in graphs.items()))


def union(graphs: Mapping[str, bytes]) -> Iterator[str]:
    """The union's triples as sorted, distinct N-Triples lines, one at a time (held as a
    list, they were 200 MB at 2,500 releases)."""
    last = None
    for line in heapq.merge(*(lines_of(data) for data in graphs.values())):
        if line != last:
            yield line
            last = line


def union_lines(graphs: Mapping[str, bytes]) -> list[str]:
    """The union's triples as sorted, distinct N-Triples lines."""
    return list(union(graphs))


@contextlib.contextmanager
def _reported(name: Path | None) -> Iterator[None]:
    """An OSError in the block as the OutputError of file `name`: files written in one
    pass are open at once, and each must be named for its own error (a full disk met
    writing graph.ttl is not graph.jsonld's)."""
    try:
        yield
    except OSError as exc:
        if name is None:
            raise
        raise OutputError(str(name), exc.strerror or str(exc)) from None


def write_files(
    graphs: Mapping[str, bytes],
    paths: Mapping[str, Path],
    reuse: Path | None = None,
    index: Path | None = None,
) -> None:
    """The graph files of `graphs` (name -> sorted N-Triples bytes): `paths` maps any of
    "nq", "nt", "ttl", "jsonld" to where its file goes. Streamed: a file of 2,500 releases
    held whole as text and as bytes was 0.5 GB. `reuse`: the last build's index of its
    subjects' text (`kg.ntblocks`), copied where a subject's lines are the same; `index`:
    where this build's goes."""
    rest = {fmt: path for fmt, path in paths.items() if fmt != "nq"}
    if rest:
        write_union(graphs, rest, reuse, index)
    if "nq" in paths:
        quads = (chunk.encode("utf-8") for chunk in nquads(graphs))
        with atomic_file(paths["nq"]) as handle:
            handle.writelines(quads)


def write_union(
    graphs: Mapping[str, bytes],
    paths: Mapping[str, Path],
    reuse: Path | None = None,
    index: Path | None = None,
) -> None:
    """graph.nt, graph.ttl and graph.jsonld (`paths`: "nt", "ttl", "jsonld" -> where; any
    of them) in one pass over the union's subjects: the N-Triples as they come (to a
    temporary file without "nt"), the Turtle beside them, then the JSON-LD's nodes from
    the N-Triples read back by their ranges. Each file appears whole, or not at all; the
    text of a subject whose lines are the last build's is that build's (`reuse`)."""
    spans = ntblocks.Spans()
    with contextlib.ExitStack() as files:
        old = files.enter_context(ntblocks.Previous(reuse))
        sinks = {
            fmt: ntblocks.Sink(files.enter_context(atomic_file(path)), path)
            for fmt, path in paths.items()
            if fmt in ntblocks.FORMATS
        }
        # A temporary graph.nt is reported as the file it is read back for.
        nt_name = paths.get("nt") or paths.get("jsonld") or next(iter(paths.values()))
        nt = files.enter_context(atomic_file(paths["nt"])) if "nt" in paths else None
        nt = nt or files.enter_context(tempfile.TemporaryFile(dir=nt_name.parent))
        ranges = _write_subjects(union(graphs), nt, nt_name, sinks.get("ttl"), old, spans)
        if "jsonld" in sinks:
            with _reported(nt_name):
                nt.flush()
            # Read, not mapped: a mapped file's pages count in the process's memory.
            read = functools.partial(_read, nt.fileno(), nt_name)
            _write_jsonld(ranges, read, sinks["jsonld"], old, spans)
    if index is not None and sinks:
        spans.save(index, sinks)


def _write_subjects(
    lines: Iterable[str],
    nt: BinaryIO,
    nt_name: Path | None,
    ttl: ntblocks.Sink | None,
    old: ntblocks.Previous,
    spans: ntblocks.Spans,
) -> list[tuple[str, int, int, bytes]]:
    """Each subject's lines into `nt`, and its Turtle into `ttl`; returns each subject's
    compact id, byte range in `nt` and key, for the JSON-LD."""
    ranges = []
    at = 0
    if ttl is not None:
        with _reported(ttl.path):
            ttl.write("".join(_turtle_head()).encode("utf-8"))
    for block in _subjects(lines):
        data = "".join(block).encode("utf-8")
        with _reported(nt_name):
            nt.write(data)
        key = ntblocks.digest(data)
        ranges.append((_compact(block[0][1 : block[0].index(" ") - 1]), at, at + len(data), key))
        at += len(data)
        if ttl is not None:
            text = old.text("ttl", key) or _turtle_block(block).encode("utf-8")
            with _reported(ttl.path):
                spans.add("ttl", key, ttl.write(text))
    return ranges


def _write_jsonld(
    ranges: list[tuple[str, int, int, bytes]],
    read: Callable[[int, int], bytes],
    sink: ntblocks.Sink,
    old: ntblocks.Previous,
    spans: ntblocks.Spans,
) -> None:
    with _reported(sink.path):
        sink.write("".join(_document_head()).encode("utf-8"))
        for n, (ident, start, end, key) in enumerate(sorted(ranges)):
            sink.write(b"\n  " if n == 0 else b",\n  ")
            text = old.text("jsonld", key) or _node(ident, lines_of(read(start, end))).encode()
            spans.add("jsonld", key, sink.write(text))
        sink.write(b"\n ]\n}\n" if ranges else b"]\n}\n")


def _subjects(lines: Iterable[str]) -> Iterator[list[str]]:
    """The lines of each subject in turn (sorted lines: a subject's are together)."""
    block: list[str] = []
    subject = None
    for line in lines:
        head = line[: line.index(" ")]
        if head != subject and block:
            yield block
            block = []
        subject = head
        block.append(line)
    if block:
        yield block


def _read(fd: int, name: Path, start: int, end: int) -> bytes:
    with _reported(name):
        return os.pread(fd, end - start, start)


def split(line: str) -> tuple[str, str, str]:
    """Subject, predicate, object of one N-Triples line (IRIs hold no spaces)."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-3]


def turtle(lines: Iterable[str]) -> Iterator[str]:
    """Turtle, one block per subject in the lines' order, compact names where safe."""
    yield from _turtle_head()
    for block in _subjects(lines):
        yield _turtle_block(block)


def _turtle_head() -> Iterator[str]:
    for prefix, ns in sorted(CONTEXT.items()):
        yield f"@prefix {prefix}: <{ns}> .\n"


def _turtle_block(lines: list[str]) -> str:
    """One subject's block: its own text, whatever comes before or after it."""
    parts = []
    predicate = None
    for line in lines:
        s, p, o = split(line)
        if predicate is None:
            parts.append(f"\n{_short(s)}\n    {'a' if p == _RDF_TYPE else _short(p)} {_object(o)}")
        elif p != predicate:
            parts.append(f" ;\n    {'a' if p == _RDF_TYPE else _short(p)} {_object(o)}")
        else:
            parts.append(f" ,\n        {_object(o)}")
        predicate = p
    parts.append(" .\n")
    return "".join(parts)


# The same terms come back on every line (predicates, classes, the bodies and areas
# objects point at): each is shortened once. Bounded, for the subjects and quotes seen
# once: 2**18 entries a cache held 230 MB at 2,500 releases, 2**15 hold about 40 MB.
_TERMS = 1 << 15


@functools.lru_cache(maxsize=_TERMS)
def _short(term: str) -> str:
    if not term.startswith("<"):
        return term
    iri = term[1:-1]
    for prefix, ns in CONTEXT.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return term


@functools.lru_cache(maxsize=_TERMS)
def _object(term: str) -> str:
    if term.startswith('"'):
        match = _LITERAL.fullmatch(term)
        if match and match.group(3):
            head = term[: -len(match.group(3)) - 4]
            return f"{head}^^{_short('<' + match.group(3) + '>')}"
        return term
    return _short(term)


@functools.lru_cache(maxsize=_TERMS)
def _compact(iri: str) -> str:
    for prefix, ns in CONTEXT.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def jsonld(lines: Iterable[str]) -> Iterator[str]:
    """`kg.output.to_jsonld` of the union, from its sorted lines, as `write_union` writes
    it (in memory)."""
    nt, out = io.BytesIO(), io.BytesIO()
    nothing, spans = ntblocks.Previous(None), ntblocks.Spans()
    ranges = _write_subjects(lines, nt, None, None, nothing, spans)
    data = nt.getvalue()
    sink = ntblocks.Sink(out, Path("graph.jsonld"))
    _write_jsonld(ranges, lambda start, end: data[start:end], sink, nothing, spans)
    yield out.getvalue().decode("utf-8")


# json.dumps(ensure_ascii=False)'s own string encoder: the text below is json.dumps(node,
# indent=1) with each line indented two more, written by hand (json's indenting encoder is
# pure Python: it took 7 of the 9 seconds of the graph files at 1,000 releases).
_string = json.encoder.encode_basestring  # type: ignore[attr-defined]
_ascii = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def _node(key: str, lines: Iterable[str]) -> str:
    """One subject's node as `to_jsonld` lays it out inside the file's "@graph"."""
    props: dict[str, list[tuple[str, str]]] = {}
    types = []
    for line in lines:
        _, p, o = split(line)
        if p == _RDF_TYPE:
            types.append(_compact(o[1:-1]))
        else:
            props.setdefault(_compact(p[1:-1]), []).append(_value_text(o))
    entries = ['\n   "@id": ' + _string(key)]
    if types:
        items = ",".join("\n    " + _string(t) for t in sorted(types))
        entries.append('\n   "@type": [' + items + "\n   ]")
    for prop in sorted(props):
        items = ",".join(text for _, text in sorted(props[prop]))
        entries.append("\n   " + _string(prop) + ": [" + items + "\n   ]")
    return "{" + ",".join(entries) + "\n  }"


@functools.lru_cache(maxsize=_TERMS)
def _value_text(term: str) -> tuple[str, str]:
    """An object's sort key (json.dumps(value, sort_keys=True) of its JSON-LD value: ASCII, as
    that call writes it) and its text in a node's list."""
    if not term.startswith('"'):
        ident = _compact(term[1:-1])
        text = '\n    {\n     "@id": ' + _string(ident) + "\n    }"
        return '{"@id": ' + _ascii(ident) + "}", text
    match = _LITERAL.fullmatch(term)
    assert match is not None, term
    raw = re.sub(r"\\.", lambda m: _UNESCAPE.get(m.group(), m.group()), match.group(1))
    body = '\n    {\n     "@value": ' + _string(raw)
    for group, name in ((2, "@language"), (3, "@type")):
        if match.group(group):
            other = match.group(2) if group == 2 else _compact(match.group(3))
            key = "{" + f'"{name}": {_ascii(other)}, "@value": {_ascii(raw)}' + "}"
            return key, body + f',\n     "{name}": ' + _string(other) + "\n    }"
    return '{"@value": ' + _ascii(raw) + "}", body + "\n    }"


def _document_head() -> Iterator[str]:
    """The file up to the first node, as json.dumps(indent=1) lays it out."""
    head = json.dumps({"@context": CONTEXT, "@graph": []}, ensure_ascii=False, indent=1)
    yield head[: head.rindex("[]") + 1]
