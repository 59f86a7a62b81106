"""The on-disk store `kg build` writes (OUT/store/): written once, then opened read-only.

The folder is an Oxigraph (RocksDB) store holding the quads of graph.nq: each document in
its named graph, the registry's facts in kg.rdf.REGISTRY_GRAPH. It also holds their
union, made distinct, in the default graph, and queries read that graph. Oxigraph's union
default graph does not merge: a triple stated in 1,000 documents' graphs (Hong Kong's
label) is 1,000 solutions of its pattern, and a query that joins two labels meets it a
million times (shared-commitments: 0.5 s on the merged triples, over 100 s on the union
at 1,000 releases). A store without a default graph (written by another tool) is read
through the union instead.

Nothing here imports rdflib: a query on the store starts without it.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError, OutputError
from kg.linesort import sorted_unique

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Files every RocksDB folder has; a folder without them is not a store.
_MARKERS = ("CURRENT", "IDENTITY")
_BATCH = 16 << 20


def is_store(path: str | Path) -> bool:
    """Whether `path` is a folder holding an on-disk store."""
    folder = Path(path)
    return folder.is_dir() and all((folder / name).is_file() for name in _MARKERS)


def open_folder(path: str | Path) -> ox.Store:
    """The store in folder `path`, opened read-only (nothing in the folder changes)."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(str(path), "no such folder")
    if not is_store(folder):
        raise InputError(
            str(path),
            "is a folder but not a coopkg store (no CURRENT/IDENTITY files): give a store "
            "folder (out/store), a graph file (.ttl, .nt, .nq, .jsonld) or sparql:URL",
        )
    try:
        return ox.Store.read_only(str(folder))
    except OSError as exc:
        raise InputError(str(path), f"cannot open the store: {_first_line(exc)}") from None


def has_default_graph(store: ox.Store) -> bool:
    return (
        next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None
    )


# --- writing ------------------------------------------------------------------------------


def write_store(
    graphs: Mapping[str, Any] | Iterable[tuple[str | None, bytes]],
    folder: Path,
    previous: Path | None = None,
) -> Path:
    """Write a fresh store into `folder` (replacing a store there) and close it.

    `graphs` maps each graph IRI to an rdflib Graph, or is an iterable of (graph IRI,
    N-Triples bytes) pairs, or (None, N-Quads bytes) for quads that name their graphs.
    Each triple goes into its named graph and into the default graph (see the module's
    docstring). Quads are bulk-loaded in batches of about 16 MB of text: one bulk load of
    everything holds it all in memory (850 MB for 1,000 releases), a load per document
    makes thousands of small files (20 times slower).
    The store is built beside `folder` and renamed into place: a run killed half-way
    leaves the previous store (or none), never half of one.

    With `previous` (the last build's store folder) and `graphs` as (IRI, bytes) pairs,
    the new store starts as a checkpoint of the previous one (its files hard-linked) and
    only the graphs whose bytes changed are removed and loaded again (`_update`): the
    same quads as a fresh write, in a fraction of the time when few documents changed.
    Anything unknown (no manifest of the previous store's graphs, a store of another
    format, many changes) writes afresh.
    """
    folder = Path(folder)
    building = folder.parent / f".{folder.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        named = _named_bytes(graphs)
        digests = None if named is None else {n: _digest(d) for n, d in named}
        if named is None or not _update(previous, building, named, digests or {}):
            shutil.rmtree(building, ignore_errors=True)
            store = ox.Store(str(building))
            for batch in _batches(_nquads(named if named is not None else graphs)):
                store.bulk_load(batch, format=ox.RdfFormat.N_QUADS)
            store.optimize()
            del store  # closes the database: its files are complete
        if digests is not None:
            _write_manifest(building, digests)
        if folder.is_dir() and not folder.is_symlink():
            if any(folder.iterdir()) and not is_store(folder):
                raise OutputError(str(folder), "holds files that are not a store: not replaced")
            # Unlinking, not rewriting: files hard-linked into an output set's previous
            # folder (kg.outset) keep their contents there.
            shutil.rmtree(folder)
        os.rename(building, folder)
    except (OSError, SyntaxError, ValueError) as exc:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(exc, OutputError):
            raise
        where = getattr(exc, "filename", None) or folder
        raise OutputError(str(where), f"cannot write the store: {_first_line(exc)}") from None
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


class StoreWriter:
    """`write_store` in a process of its own while the caller goes on with its work, and
    then the graph files of `files` (`kg.ntwrite.write_files`: format -> path).

    Started afresh, not forked: RocksDB opened in a child of a process that has used it
    hangs. Not a thread: the loader's buffers (200 MB at 1,000 releases) stayed in the
    build's heap, shared by the processes it forks next, and its peak went past 1 GB. The
    graph files are written here too, not by a process forked from the build: a forked
    child keeps the pages its parent goes on to change, and at 2,500 releases it held 600
    to 770 MB where this process holds the graphs and the files' buffers (about 400 MB).
    The graphs go over in a file beside `folder`, removed once the work is done. `graphs`
    is kept: the caller can tell whether the store written is still the one it needs.
    When the process fails in any way, `result()` writes the store and the files here
    instead: the same outputs, or the same error, as a plain call gives.
    """

    def __init__(
        self,
        graphs: dict[str, bytes],
        folder: Path,
        previous: Path | None = None,
        files: Mapping[str, Path] | None = None,
        blocks: tuple[Path | None, Path | None] = (None, None),
    ) -> None:
        self.graphs = graphs
        self.folder = Path(folder)
        self.files = dict(files or {})
        self.blocks = blocks  # the last build's index of the files' text, and this one's
        self._previous = previous
        self._input = self.folder.parent / f".{self.folder.name}.graphs-{os.getpid()}"
        self._process: subprocess.Popen[bytes] | None = None
        self._done = False
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            with self._input.open("wb") as handle:
                for name, data in graphs.items():
                    handle.write(b"%s\n%d\n" % (name.encode("utf-8"), len(data)))
                    handle.write(data)
            code = f"from kg.diskstore import _write_from; _write_from({os.getpid()})"
            home = str(Path(__file__).resolve().parents[1])  # this kg, wherever it is run
            path = os.pathsep.join(filter(None, [home, os.environ.get("PYTHONPATH")]))
            files = json.dumps({fmt: str(path) for fmt, path in self.files.items()})
            indexes = [str(path or "") for path in blocks]
            args = [str(self._input), str(self.folder), str(previous or ""), files, *indexes]
            self._process = subprocess.Popen(
                [sys.executable, "-c", code, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )
        except OSError:
            self._process = None  # result() writes it here, and meets the error again

    def running(self) -> bool:
        """Whether the process is still at work (False once it ended, or never started)."""
        return self._process is not None and self._process.poll() is None

    def wait(self) -> None:
        """Until the process ends (its store, or nothing, in `folder`)."""
        if self._process is not None:
            self._done = self._process.wait() == 0
            if not self._done:  # killed half-way (out of memory): its folder stays behind
                building = self.folder.parent / f".{self.folder.name}.building-{self._process.pid}"
                shutil.rmtree(building, ignore_errors=True)
            self._process = None
        with contextlib.suppress(OSError):
            self._input.unlink()

    def result(self) -> Path:
        """The store's folder, once written (here, when the process did not write it)."""
        self.wait()
        if not self._done:
            write_store(list(self.graphs.items()), self.folder, self._previous)
            _write_files(self.graphs, self.files, self.blocks)
            self._done = True
        return self.folder


def _write_from(parent: int) -> None:
    """The writer's process: the graphs of the file in argv[1] into the store argv[2],
    started from argv[3] (the last build's store) when one is given."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: dies with the build
    if os.getppid() != parent:  # the build ended before the line above
        raise SystemExit(1)
    source, folder, previous, files, reuse, index = sys.argv[1:7]
    graphs = []
    with open(source, "rb") as handle:
        while name := handle.readline():
            size = int(handle.readline())
            graphs.append((name[:-1].decode("utf-8"), handle.read(size)))
    write_store(graphs, Path(folder), Path(previous) if previous else None)
    paths = {fmt: Path(path) for fmt, path in json.loads(files).items()}
    blocks = (Path(reuse) if reuse else None, Path(index) if index else None)
    _write_files(dict(graphs), paths, blocks)


def _write_files(
    graphs: Mapping[str, bytes],
    files: Mapping[str, Path],
    blocks: tuple[Path | None, Path | None] = (None, None),
) -> None:
    if files:  # kg.ntwrite imports rdflib (through kg.output): only when there are files
        from kg.ntwrite import write_files

        write_files(graphs, files, *blocks)


# --- updating the previous build's store ---------------------------------------------------

# Inside the store folder, so that it goes wherever the store goes (RocksDB leaves files
# it did not name alone): the SHA-256 of each named graph's N-Triples bytes.
MANIFEST = "coopkg-graphs.json"
_MANIFEST_FORMAT = 1
# Past this share of the triples changed, a fresh write is the faster.
_UPDATE_SHARE = 0.25


def _named_bytes(
    graphs: Mapping[str, Any] | Iterable[tuple[str | None, bytes]],
) -> list[tuple[str, bytes]] | None:
    """`graphs` as (IRI, N-Triples bytes) pairs, or None when they are not all so (rdflib
    graphs, N-Quads): those are written afresh, without a manifest."""
    items = list(graphs.items() if isinstance(graphs, Mapping) else graphs)
    if all(isinstance(n, str) and isinstance(d, bytes | bytearray) for n, d in items):
        return [(n, bytes(d)) for n, d in items]
    return None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_manifest(folder: Path, digests: dict[str, str]) -> None:
    text = json.dumps({"coopkg-store": _MANIFEST_FORMAT, "graphs": dict(sorted(digests.items()))})
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> dict[str, str] | None:
    """The digest of each named graph of the store in `folder`, as its writer recorded
    them; None when it did not (another writer, another format) or the file is damaged."""
    path = folder / MANIFEST
    if not is_store(folder) or path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        graphs = data["graphs"] if data.get("coopkg-store") == _MANIFEST_FORMAT else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(graphs, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in graphs.items()
    ):
        return None
    return graphs


def _update(
    previous: Path | None, building: Path, named: list[tuple[str, bytes]], new: dict[str, str]
) -> bool:
    """Make `building` a copy of the `previous` store changed into the store of `named`;
    False (and nothing to keep in `building`) when that cannot be done or is not worth it.

    The default graph stays the distinct union: the triples of a graph removed leave it
    only when no remaining named graph states them.
    """
    old = read_manifest(Path(previous)) if previous is not None else None
    if old is None:
        return False
    gone = [name for name, value in old.items() if new.get(name) != value]
    added = [(name, data) for name, data in named if old.get(name) != new[name]]
    total = sum(len(data) for _, data in named) or 1
    if sum(len(data) for _, data in added) > total * _UPDATE_SHARE:
        return False
    try:
        ox.Store.read_only(str(previous)).backup(str(building))
        store = ox.Store(str(building))
        removed: set[ox.Triple] = set()
        for name in gone:
            graph = ox.NamedNode(name)
            removed.update(
                ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, graph)
            )
            store.remove_graph(graph)
        for batch in _batches(_nquads(added)):
            store.bulk_load(batch, format=ox.RdfFormat.N_QUADS)
        default = ox.DefaultGraph()
        orphans = [
            ox.Quad(t.subject, t.predicate, t.object, default)
            for t in removed
            if not _stated(store, t)
        ]
        for quad in orphans:
            store.remove(quad)
        # Compacted as a fresh store is: the small files of each update and the tombstones
        # of the graphs removed made a query twice as slow after two updates (1,000 releases).
        store.optimize()
        del store
    except (OSError, SyntaxError, ValueError, RuntimeError):
        shutil.rmtree(building, ignore_errors=True)
        return False
    return True


def _stated(store: ox.Store, triple: ox.Triple) -> bool:
    """Whether a named graph of `store` states `triple`."""
    for quad in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None):
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            return True
    return False


def _nquads(graphs: Mapping[str, Any] | Iterable[tuple[str | None, bytes]]) -> Iterator[bytes]:
    items: Iterable[tuple[str | None, Any]] = (
        graphs.items() if isinstance(graphs, Mapping) else graphs
    )
    for name, data in items:
        if not isinstance(data, bytes | bytearray):  # an rdflib Graph
            data = data.serialize(format="nt", encoding="utf-8")
        if name is None:
            yield from _with_default(bytes(data))
        else:
            label = b" <" + ox.NamedNode(name).value.encode("utf-8") + b"> .\n"
            yield from _in_graph(bytes(data), label, name)


def _in_graph(data: bytes, label: bytes, name: str) -> Iterator[bytes]:
    out = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        line = raw.strip()
        if not line or line.startswith(b"#"):
            continue
        if not line.endswith(b"."):
            raise OutputError(name, f"line {number} is not one N-Triples statement")
        triple = line[:-1].rstrip()
        out.append(triple + label)
        out.append(triple + b" .\n")
        if len(out) > 20_000:
            yield b"".join(out)
            out.clear()
    yield b"".join(out)


def _with_default(data: bytes) -> Iterator[bytes]:
    """N-Quads lines as they are, and each one's triple again in the default graph."""
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        triple = ox.Quad(quad.subject, quad.predicate, quad.object)
        yield f"{quad} .\n{triple} .\n".encode()


def _batches(chunks: Iterable[bytes]) -> Iterator[bytes]:
    batch: list[bytes] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= _BATCH:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)


# --- reading in order -----------------------------------------------------------------------


def term_text(term: Any) -> str:
    """A term in the N-Triples form kg.output writes (kg.output._n3: literals escape \\\\,
    \", newline, carriage return and tab only; xsd:string is left implicit)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = (
            term.value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        datatype = term.datatype.value
        return f'"{text}"' if datatype == _XSD_STRING else f'"{text}"^^<{datatype}>'
    return str(term)


def sorted_ntriples(store: ox.Store, union: bool = False) -> Iterator[bytes]:
    """The distinct triples as sorted N-Triples lines: of the default graph, or (`union`)
    of every graph folded into one."""
    graph = None if union else ox.DefaultGraph()
    lines = (
        f"{term_text(q.subject)} {term_text(q.predicate)} {term_text(q.object)} .\n".encode()
        for q in store.quads_for_pattern(None, None, None, graph)
    )
    return sorted_unique(lines)


def sorted_nquads(store: ox.Store) -> Iterator[bytes]:
    """The named graphs' quads as sorted N-Quads lines (what kg.output.to_nquads writes)."""
    lines = (
        f"{term_text(q.subject)} {term_text(q.predicate)} {term_text(q.object)} "
        f"{term_text(q.graph_name)} .\n".encode()
        for q in store.quads_for_pattern(None, None, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    )
    return sorted_unique(lines)


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """The number of triples of each named graph (by IRI)."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {str(row[0].value): int(row[1].value) for row in store.query(query)}


def graph_fingerprint(store: ox.Store, name: str) -> str:
    """A SHA-256 of a named graph's sorted N-Triples: equal graphs, equal fingerprints."""
    digest = hashlib.sha256()
    lines = (
        f"{term_text(q.subject)} {term_text(q.predicate)} {term_text(q.object)} .\n".encode()
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))
    )
    for line in sorted_unique(lines):
        digest.update(line)
    return digest.hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
