"""The per-document steps of a build, each cached and run in a process pool.

1. `extract_documents`: read and extract every source (key: the source's bytes, its
   sidecar's, its path and what every extraction reads whole,
   `kg.buildcache.extraction_config`). What it asks of the registry's bodies, people and
   generic groups is traced (`kg.registry_trace`), with the corrections that apply to it:
   after a change to those, the entry is kept while the answers are the same.
2. `document_graphs`: one document's triples (as sorted N-Triples) and its SHACL results
   checked with the registry facts it needs. A document's triples depend on the
   identities settled over all documents, so the writer records each identity it reads
   (`_Recording`); the entry is reused while those answers are the same under the new
   build's identities, i.e. while nothing another document changed touches it, and while
   the registry facts its check read are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.buildcache import BuildCache, digest
from kg.corrections import Correction
from kg.errors import KgError
from kg.extract import extract_document
from kg.identity import Identities
from kg.model import Extraction
from kg.output import to_ntriples
from kg.pool import Beside, Failed, ordered_map
from kg.problem import Finding, explain
from kg.rdf import RdfContext, extraction_triples
from kg.registry import Registry
from kg.registry_trace import Trace, tracing
from kg.source import SIDECAR_SUFFIXES, read_source
from kg.validate import Violation, validate_split

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class Read:
    """What reading and extracting one source gave: an extraction, or why not."""

    path: str
    key: str  # a digest of all the extraction read: equal keys, equal extractions
    extraction: Extraction | None = None
    error: str | None = None  # "cannot be read: ..." or "cannot be extracted: ..."
    # What it asked of the registry's bodies, people and groups, and the corrections it
    # applied (a digest): a build after a change to those re-extracts it only when their
    # answers changed for it.
    trace: Trace | None = None
    fixes: str = ""


@dataclass(frozen=True)
class DocGraph:
    """One document's named graph and what SHACL says of it checked by itself.

    `core` are the results of the shapes' core constraints (its own warnings among
    them); `findings` the violations in words when the document breaks a shape alone.
    """

    triples: bytes  # sorted N-Triples
    subjects: tuple[str, ...]  # sorted: cache entries pickle to the same bytes every run
    core: tuple[Violation, ...]
    findings: tuple[Finding, ...]
    calls: tuple[tuple[str, tuple[str, ...]], ...]  # the identities it read
    answers: str  # digest of what they answered
    # The nodes whose registry facts its check read (`needs`), and a digest of those facts
    # and of the registry's graph they were read from.
    registry_nodes: tuple[str, ...] = ()
    registry_facts: str = ""
    registry_graph: str = ""


# --- 1. extraction -------------------------------------------------------------------

_EXTRACT: dict[str, Any] = {}


def _sidecar_bytes(path: Path) -> bytes:
    for suffix in SIDECAR_SUFFIXES:
        side = path.with_suffix(suffix)
        if side.is_file():
            return suffix.encode() + side.read_bytes()
    return b""


def _extract(
    path: Path,
) -> tuple[str | None, Extraction | None, str | None, Trace | None, str]:
    try:
        source = read_source(path)
    except KgError as exc:
        return None, None, f"cannot be read: {exc}", None, ""
    registry, corrections = _EXTRACT["registry"], _EXTRACT["corrections"]
    fixes = fixes_digest(corrections, source.doc_id, source.sha256)
    try:
        with tracing(registry) as traced:
            ex = extract_document(source, registry, corrections)
    except KgError as exc:  # e.g. a correction whose anchor the text lacks
        return source.doc_id, None, f"cannot be extracted: {exc}", None, fixes
    return source.doc_id, ex, None, traced.trace, fixes


def fixes_digest(corrections: Iterable[Correction], doc_id: str, sha256: str) -> str:
    """A digest of the corrections that apply to one document."""
    return digest(*(repr(c) for c in corrections if c.applies_to(doc_id, sha256)))


def _still(read: Read, registry: Registry, corrections: Iterable[Correction]) -> bool:
    """Whether the extraction `read` holds is what the registry and corrections now give:
    the same answers to its questions of the registry, the same corrections for it."""
    ex = read.extraction
    if ex is None or read.trace is None:
        return False  # a document that failed is read again
    fixes = fixes_digest(corrections, ex.source.doc_id, ex.source.sha256)
    return fixes == read.fixes and read.trace.same_answers(registry)


def extract_documents(
    paths: Sequence[Path],
    registry: Registry,
    corrections: Any,
    config: tuple[str, str],
    cache: BuildCache,
    jobs: int,
    progress: Progress | None = None,
) -> list[tuple[str | None, Read]]:
    """(doc id or None, Read) per path, in the order of `paths`.

    `config` is `kg.buildcache.extraction_config`: what every extraction reads whole (in
    each entry's key), and the files each reads in part (the bodies, people and groups,
    and the corrections). An entry made under others of those is kept when its questions
    get the same answers (`Read.trace`); the next build is told so (`held`)."""
    whole, partial = config
    keys = []
    for path in paths:
        try:
            keys.append(digest(whole, str(path), path.read_bytes(), _sidecar_bytes(path)))
        except OSError:
            keys.append("")  # unreadable now: read_source says why
    found: dict[int, tuple[str | None, Read]] = {}
    todo = []
    _EXTRACT.update(registry=registry, corrections=corrections)
    # Documents the last build did not read, fewer than the processes (a release added):
    # read on another core while this one reads the others' entries back.
    new = [i for i, key in enumerate(keys) if not (key and cache.has("extract", key))]
    early = None
    if 0 < len(new) < jobs:
        early = Beside(lambda: [_extract(paths[i]) for i in new], jobs)
        cache.misses += sum(1 for i in new if keys[i])
    beside = set(new) if early is not None else set()
    # The entries made under other registry files or corrections found to hold under
    # these: one list for the next build, not every such entry written again.
    held = cache.get("held", partial, counted=False) if partial else None
    held = set(held) if isinstance(held, list | set) else set()
    still: set[str] = set()
    for i, key in enumerate(keys):
        if i in beside:
            continue
        hit = cache.get("extract", key) if key else None
        if not (isinstance(hit, tuple) and len(hit) == 3):
            todo.append(i)
        elif hit[2] == partial:
            found[i] = hit[:2]
        elif key in held or _still(hit[1], registry, corrections):
            found[i] = hit[:2]
            still.add(key)
        else:
            cache.hits, cache.misses = cache.hits - 1, cache.misses + 1  # found, not kept
            todo.append(i)
    if still:
        cache.put("held", partial, sorted(still))
    tick = None if progress is None else (lambda n: progress("extract", n, len(todo)))
    results: dict[int, Any] = dict(
        zip(todo, ordered_map(_extract, [paths[i] for i in todo], jobs, tick), strict=True)
    )
    if early is not None:
        results.update(zip(new, early.result(), strict=True))
    for i in sorted(results):
        result = results[i]
        if isinstance(result, Failed):
            raise result.error
        doc_id, ex, error, trace, fixes = result
        # The key downstream entries build on: the text's, and what the extraction read.
        key = digest(keys[i], trace.digest() if trace else "", fixes) if keys[i] else ""
        found[i] = (doc_id, Read(str(paths[i]), key, ex, error, trace, fixes))
        if keys[i]:
            cache.put("extract", keys[i], (*found[i], partial))
    return [found[i] for i in range(len(paths))]


# --- 2. a document's triples and its own check -----------------------------------------

_DOCS: dict[str, Any] = {}


class _Recording:
    """Identities that note each question asked of them, so that a cached document can
    be checked against a later build's identities without writing it again."""

    def __init__(self, ids: Identities, ex: Extraction) -> None:
        self._ids = ids
        self._ex = ex
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def _note(self, name: str, args: tuple[str, ...]) -> Any:
        self.calls.append((name, args))
        return answer(self._ids, self._ex, name, args)

    def body(self, label: str) -> Any:
        return self._note("body", (label,))

    def person(self, name: str) -> Any:
        return self._note("person", (name,))

    def mechanism(self, published: str) -> Any:
        return self._note("mechanism", (published,))

    def meeting_key(self, ex: Extraction) -> Any:
        return self._note("meeting_key", ())

    def meeting(self, ex: Extraction) -> Any:
        return self._note("meeting", ())

    def title(self, kind: str, scope: str, title: str) -> Any:
        return self._note("title", (kind, scope, title))

    def place_aliases(self, label: str) -> Any:
        return self._note("place_aliases", (label,))

    def is_place(self, name: str) -> Any:
        return self._note("is_place", (name,))

    def is_new_place(self, label: str) -> Any:
        return self._note("is_new_place", (label,))

    # No `places` or `new_places`: a document that read them whole would be written again
    # whenever any document adds a partner (kg.identity asks one place at a time).


# The questions whose answer depends on the document asking, not only on its words.
_OF_THE_DOCUMENT = ("meeting_key", "meeting")


def answer(ids: Identities, ex: Extraction, name: str, args: tuple[str, ...]) -> Any:
    """What `ids` answers to one recorded question of the document `ex`."""
    if name in _OF_THE_DOCUMENT:
        return getattr(ids, name)(ex)
    return getattr(ids, name)(*args)


def answers_digest(
    ids: Identities,
    ex: Extraction,
    calls: Sequence[tuple[str, tuple[str, ...]]],
    memo: dict[tuple[str, tuple[str, ...]], str] | None = None,
) -> str:
    """A digest of what `ids` answers to `calls`: equal digests, equal triples. `memo`
    keeps the answers to the questions any document may ask alike (a body's name, a
    place): a build's documents asked 88,000 questions at 1,000 releases, most of them
    the same few thousand."""
    memo = {} if memo is None else memo

    def said(call: tuple[str, tuple[str, ...]]) -> str:
        if call[0] in _OF_THE_DOCUMENT:
            return repr((call, answer(ids, ex, *call)))
        text = memo.get(call)
        if text is None:
            text = memo[call] = repr((call, answer(ids, ex, *call)))
        return text

    return digest(*(said(c) for c in calls))


def with_needs(doc: Graph, registry: Graph) -> Graph:
    """A document's graph and the registry triples it needs (the bodies it names, their
    parents and jurisdictions), for checking the document by itself."""
    work = Graph()
    for triple in needs(list(doc), registry_index(registry)):
        work.add(triple)
    return work


Triple = tuple[Node, Node, Node]


def registry_index(registry: Graph) -> dict[Node, list[tuple[Node, Node]]]:
    """Subject -> its (predicate, object) pairs in `registry`: made once for a build's
    documents, which each look up a few dozen nodes in it."""
    # Each subject's pairs in rdflib's order, as `registry.predicate_objects` gives them.
    return {s: list(registry.predicate_objects(s)) for s in dict.fromkeys(registry.subjects())}


def needs(
    doc: Sequence[Triple],
    registry: dict[Node, list[tuple[Node, Node]]],
    seen: set[Node] | None = None,
) -> list[Triple]:
    """`doc` and the registry triples it needs (the bodies it names, their parents and
    jurisdictions), each once: for checking the document by itself. `seen` gets the nodes
    whose registry triples were looked up."""
    work = dict.fromkeys(doc)
    todo = [o for _, _, o in doc if isinstance(o, URIRef)]
    todo += [s for s, _, _ in doc if isinstance(s, URIRef)]
    seen = set() if seen is None else seen
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in registry.get(node, ()):
            work[(node, p, o)] = None
            if isinstance(o, URIRef):
                todo.append(o)
    return list(work)


def _document(ex: Extraction) -> DocGraph:
    ids: Identities = _DOCS["ids"]
    ctx: RdfContext = _DOCS["ctx"]
    recording = _Recording(ids, ex)
    own = RdfContext(ctx.areas, ctx.jurisdiction_aliases, ctx.corrections, recording)  # type: ignore[arg-type]
    # Triples, not an rdflib graph: the document's own are kept as lines, and a graph is
    # made only to explain a document that breaks a shape.
    triples = list(extraction_triples(ex, own))
    seen: set[Node] = set()
    work = needs(triples, _DOCS["registry_index"], seen)
    nodes = tuple(sorted(str(n) for n in seen))
    core, sparql = validate_split(work)
    broken = [v for v in (*core, *sparql) if v.severity == "Violation"]
    findings = tuple(explain(broken, _graph(work))) if broken else ()
    calls = tuple(recording.calls)
    return DocGraph(
        to_ntriples(triples),
        tuple(sorted({str(s) for s, _, _ in triples})),
        tuple(core),
        findings,
        calls,
        answers_digest(ids, ex, calls),
        nodes,
        registry_facts(_DOCS["registry_index"], nodes),
        _DOCS["registry_graph"],
    )


def registry_facts(index: dict[Node, list[tuple[Node, Node]]], nodes: Iterable[str]) -> str:
    """A digest of the registry triples of `nodes` (`registry_index`): what a document's
    own check read of the registry."""
    return digest(*(repr(sorted(map(repr, index.get(URIRef(n), ())))) for n in nodes))


def _graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def document_graphs(
    reads: Sequence[Read],
    ids: Identities,
    ctx: RdfContext,
    registry_graph: Graph,
    registry_triples: bytes,
    cache: BuildCache,
    jobs: int,
    progress: Progress | None = None,
) -> list[DocGraph]:
    """Each document's DocGraph under the build's identities, in the order of `reads`.
    `registry_triples`: the registry's graph as sorted N-Triples; an entry made with
    another is kept while the registry triples its check read are the same."""
    found: dict[int, DocGraph] = {}
    todo = []
    memo: dict[tuple[str, tuple[str, ...]], str] = {}
    graph = digest(registry_triples)
    index: dict[Node, list[tuple[Node, Node]]] | None = None
    # As in extract_documents: a few documents the last build did not have, on another
    # core while this one reads the others' entries back.
    new = [i for i, read in enumerate(reads) if not (read.key and cache.has("calls", read.key))]
    early = None
    if 0 < len(new) < jobs:
        index = registry_index(registry_graph)
        _DOCS.update(ids=ids, ctx=ctx, registry_index=index, registry_graph=graph)
        early = Beside(lambda: [_document(reads[i].extraction) for i in new], jobs)
        cache.misses += sum(1 for i in new if reads[i].key)
    beside = set(new) if early is not None else set()
    for i, read in enumerate(reads):
        assert read.extraction is not None
        if i in beside:
            continue
        calls = cache.get("calls", read.key) if read.key else None
        if calls is not None:
            key = digest(read.key, answers_digest(ids, read.extraction, calls, memo))
            hit = cache.get("document", key)
            if isinstance(hit, DocGraph) and hit.registry_graph == graph:
                found[i] = hit
                continue
            if isinstance(hit, DocGraph):
                index = registry_index(registry_graph) if index is None else index
                if registry_facts(index, hit.registry_nodes) == hit.registry_facts:
                    found[i] = replace(hit, registry_graph=graph)
                    cache.put("document", key, found[i])
                    continue
        todo.append(i)
    index = registry_index(registry_graph) if index is None else index
    _DOCS.update(ids=ids, ctx=ctx, registry_index=index, registry_graph=graph)
    tick = None if progress is None else (lambda n: progress("graphs + SHACL", n, len(todo)))
    results: dict[int, Any] = dict(
        zip(
            todo,
            ordered_map(_document, [reads[i].extraction for i in todo], jobs, tick),
            strict=True,
        )
    )
    if early is not None:
        results.update(zip(new, early.result(), strict=True))
    for i in sorted(results):
        result = results[i]
        if isinstance(result, Failed):
            raise result.error
        found[i] = result
        if reads[i].key:
            cache.put("calls", reads[i].key, result.calls)
            cache.put("document", digest(reads[i].key, result.answers), result)
    _DOCS.clear()
    return [found[i] for i in range(len(reads))]
