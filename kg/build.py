"""The pipeline: sources -> extraction -> RDF -> SHACL validation -> output files.

One document never blocks the graph. A document that cannot be read (a bad metadata
sidecar, bytes that are not text, an id another document already has) or whose records
break a shape is left out, with the reasons in the reader's words (`kg.problem`), and the
rest builds. Shapes are checked on each document's graph together with what it needs
from the registry's graph, then on the union of the documents kept (identities are
settled again without the ones left out), so what is written is consistent as a whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg import ntwrite
from kg.buildcache import BuildCache, extraction_config
from kg.builddocs import DocGraph, Progress, Read, document_graphs, extract_documents, with_needs
from kg.buildunion import load_store, neighbourhood, union_report
from kg.errors import InputError
from kg.extract import extract_document
from kg.identity import Identities, resolve_identities, slug
from kg.model import Extraction
from kg.namespace import ID, bind_prefixes, ontology_dir
from kg.output import to_ntriples
from kg.problem import Finding, explain
from kg.rdf import (
    REGISTRY_GRAPH,
    AreaScheme,
    RdfContext,
    describe_body,
    describe_jurisdiction,
    extraction_to_graph,
)
from kg.registry import Registry, load_corrections, load_registry
from kg.scheme import load_area_mapping
from kg.source import list_sources, read_source, scan_sources
from kg.store import OxigraphStore
from kg.validate import Report, Violation

FORMATS = {"ttl": "graph.ttl", "jsonld": "graph.jsonld", "nt": "graph.nt", "nq": "graph.nq"}


@dataclass(frozen=True)
class LeftOut:
    """A document left out of the graph: its file and why, in the reader's words.

    `reasons` are texts of one or more lines; `findings` the shape results among them.
    """

    path: str
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...] = ()


@dataclass
class BuildResult:
    """A build's graph: each named graph's triples as sorted N-Triples, and a store."""

    triples: dict[str, bytes]  # named graph IRI -> its triples (sorted N-Triples)
    store: ox.Store  # the union of the named graphs, each triple once, in the default graph
    extractions: list[Extraction]  # of the documents in the graph
    report: Report  # of the union: warnings (and violations no document accounts for)
    outputs: dict[str, Path] = field(default_factory=dict)
    documents: int = 0  # documents found in sources/
    left_out: list[LeftOut] = field(default_factory=list)
    # Entries of sources/ never opened: FIFOs, devices, links leaving the data folder.
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @cached_property
    def graphs(self) -> dict[str, Graph]:
        """Named graph IRI -> an rdflib graph of its triples (parsed when asked for)."""
        return {name: _parse(data) for name, data in self.triples.items()}

    @cached_property
    def graph(self) -> Graph:
        """The union of every named graph as one rdflib graph (parsed when asked for:
        a large build should read `store` or `triples` instead)."""
        return _parse(b"".join(self.triples.values()))

    def union_store(self) -> OxigraphStore:
        """The build's store behind kg.store's query interface, read through its default
        graph (the union, each triple once: the named queries' joins see no copy of a
        triple per document that states it). Frozen: the page and the products a build
        writes share what they derive from it (kg.store.derived)."""
        store = OxigraphStore(self.store, union=False)
        store.frozen = True
        return store

    @property
    def warnings(self) -> list[Finding]:
        """The warnings of the graph, in words."""
        found = [v for v in self.report.violations if v.severity == "Warning"]
        return explain(found, neighbourhood(self.store, found))

    def summary(self) -> str:
        """The line "N of M documents in the graph"."""
        line = f"{len(self.extractions)} of {self.documents} documents in the graph"
        return line + (f", {len(self.skipped)} skipped" if self.skipped else "")


def _parse(data: bytes) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    if data:
        graph.parse(data=data, format="nt")
    return graph


def load_context(data_dir: Path, registry: Registry) -> RdfContext:
    areas = Graph()
    areas.parse(ontology_dir() / "areas.ttl", format="turtle")
    mapping = data_dir / "areas" / "mapping.yaml"
    return RdfContext(
        areas=AreaScheme.from_graph(areas, load_area_mapping(mapping), str(mapping)),
        jurisdiction_aliases=registry.jurisdiction_aliases(),
        corrections=load_corrections(data_dir / "corrections").as_mapping(),
    )


def extract_path(path: str | Path, data_dir: str | Path = "data") -> Extraction:
    """What one document yields, with the project's registry and corrections."""
    data_dir = Path(data_dir)
    registry = load_registry(data_dir / "registry")
    corrections = load_corrections(data_dir / "corrections")
    return extract_document(read_source(path), registry, corrections)


def extract_all(data_dir: str | Path = "data") -> tuple[list[Extraction], Registry]:
    """What every document of `data_dir/sources` yields (sorted by file name), and the
    registry it was read with."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "no such data folder")
    registry = load_registry(data_dir / "registry")
    corrections = load_corrections(data_dir / "corrections")
    paths = list_sources(data_dir / "sources", data_dir)
    if not paths:
        raise InputError(str(data_dir / "sources"), "no source documents to build from")
    return [extract_document(read_source(p), registry, corrections) for p in paths], registry


def build_graph(
    data_dir: str | Path = "data",
    *,
    jobs: int = 1,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
    stages: Callable[[str, float], None] | None = None,
    on_union: Callable[[dict[str, bytes]], None] | None = None,
) -> BuildResult:
    """Read every source of `data_dir`, extract, build and validate the graph (in memory:
    it writes nothing).

    Documents that cannot be read or whose records break a shape are in `left_out`; the
    graph holds the others. A registry or corrections file that does not read still
    raises `InputError`: it concerns every document. `jobs` processes extract and check
    documents (the result is the same for any number); `cache` keeps their work for the
    next build; `stages(name, seconds)` hears of each stage as it ends. `on_union(triples)`
    hears of the named graphs before the union is checked (a caller can start writing
    them; when the check leaves documents out it hears of the rest again, and the
    result's `triples` is the last dict it was given).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "no such data folder")
    clock = _Clock(stages)
    cache = cache or BuildCache(None, None)
    registry = load_registry(data_dir / "registry")
    corrections = load_corrections(data_dir / "corrections")
    ctx = load_context(data_dir, registry)
    paths, skipped = scan_sources(data_dir / "sources", data_dir)
    if not paths:
        raise InputError(str(data_dir / "sources"), "no source documents to build from")
    config = extraction_config(data_dir) if cache.target or cache.previous else ("", "")
    clock.lap("read registry and sources")

    left: list[LeftOut] = []
    kept: list[Read] = []
    taken: dict[str, str] = {}
    for path, (doc_id, read) in zip(
        paths,
        extract_documents(paths, registry, corrections, config, cache, jobs, progress),
        strict=True,
    ):
        # Ids that differ only in "_" and "-" would mint one IRI (kg.rdf): first wins.
        if doc_id is not None:
            other = taken.setdefault(slug(doc_id), path.name)
            if other != path.name:
                error = InputError(
                    str(path), f"has the id {doc_id!r} of {other}: rename one of them"
                )
                left.append(LeftOut(str(path), (f"cannot be read: {error}",)))
                continue
        if read.error is not None:
            left.append(LeftOut(str(path), (read.error,)))
        else:
            kept.append(read)
    clock.lap("extract")

    # Each document is checked alone (with the registry facts it needs), then the union
    # of what is kept, settled again without what was left out: documents that are sound
    # alone may still disagree (a body with two names); see `_owners`.
    while True:
        extractions = [r.extraction for r in kept if r.extraction is not None]
        ids = resolve_identities(extractions, registry)
        ctx.identities = ids
        reg = registry_graph(ids, registry, ctx)
        reg_triples = to_ntriples(reg)
        docs = document_graphs(kept, ids, ctx, reg, reg_triples, cache, jobs, progress)
        clock.lap("graphs + per-document SHACL")
        broken = {
            ex.source.doc_id: list(doc.findings)
            for ex, doc in zip(extractions, docs, strict=True)
            if doc.findings
        }
        if not broken:
            triples = {
                graph_name(ex.source.doc_id): d.triples
                for ex, d in zip(extractions, docs, strict=True)
            }
            triples[str(REGISTRY_GRAPH)] = reg_triples
            if on_union is not None:
                on_union(triples)
            store = load_store(triples)
            clock.lap("store")
            report = union_report(store, docs, reg, cache, config[0])
            clock.lap("union SHACL")
            broken = _owners(report, store, docs, extractions)
            if not broken:
                break
            del store
        for ex, read in zip(extractions, kept, strict=True):
            found = broken.get(ex.source.doc_id)
            if found:
                left.append(LeftOut(read.path, tuple(f.text() for f in found), tuple(found)))
        kept = [
            r for r, ex in zip(kept, extractions, strict=True) if ex.source.doc_id not in broken
        ]
        if not kept:  # every document left out: the caller reports each one's reasons
            left.sort(key=lambda item: item.path)
            empty = Report(conforms=True)
            return BuildResult(
                {}, load_store({}), [], empty, documents=len(paths), left_out=left, skipped=skipped
            )
    left.sort(key=lambda item: item.path)
    return BuildResult(
        triples, store, extractions, report, documents=len(paths), left_out=left, skipped=skipped
    )


class _Clock:
    def __init__(self, stages: Callable[[str, float], None] | None) -> None:
        self.stages = stages
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.stages is not None:
            self.stages(name, now - self.last)
        self.last = now


def graph_name(doc_id: str) -> str:
    """The IRI of a document's named graph."""
    return str(ID["graph/" + doc_id])


def _violations(report: Report) -> list[Violation]:
    return [v for v in report.violations if v.severity == "Violation"]


_with_needs = with_needs  # the name earlier code used


def _owners(
    report: Report, store: ox.Store, docs: list[DocGraph], kept: list[Extraction]
) -> dict[str, list[Finding]]:
    """The documents to leave out for the union's violations.

    Each document was sound alone, so a violation of the union is a disagreement between
    the documents that describe its record: the last of them (in file order) goes, and
    its report names the ones kept. Violations about no document's records are left in
    `report` (the caller fails the build on them).
    """
    found: dict[str, list[Finding]] = {}
    violations = _violations(report)
    around = neighbourhood(store, violations) if violations else Graph()
    for violation in violations:
        owners = [ex for ex, doc in zip(kept, docs, strict=True) if violation.focus in doc.subjects]
        if not owners:
            continue
        (finding,) = explain([violation], around)
        others = [Path(ex.source.path).name for ex in owners[:-1]]
        if others:
            note = f"{', '.join(others)} says otherwise and is kept"
            finding = replace(finding, value="; ".join(filter(None, (finding.value, note))))
        found.setdefault(owners[-1].source.doc_id, []).append(finding)
    return found


def to_graphs(
    extractions: list[Extraction], registry: Registry, ctx: RdfContext
) -> dict[str, Graph]:
    """One named graph per document (`id:graph/<doc-id>`) and the registry's graph."""
    # Identities are settled over every document at once, so that each document's graph
    # says the same of a body, person, mechanism or meeting that another document names.
    ctx.identities = resolve_identities(extractions, registry)
    graphs: dict[str, Graph] = {}
    for ex in extractions:
        graphs[graph_name(ex.source.doc_id)] = extraction_to_graph(ex, ctx)
    graphs[str(REGISTRY_GRAPH)] = registry_graph(ctx.identities, registry, ctx)
    return graphs


def registry_graph(ids: Identities, registry: Registry, ctx: RdfContext) -> Graph:
    """The registry's facts about the bodies the build names (their ancestors, and the
    places they belong to, so that the registry's graph stands alone)."""
    # Registry facts go to their own graph: a document's graph holds what it says.
    known = {ident.label for ident in ids.bodies.values() if ident.known}
    reg = Graph()
    places: set[str] = set()
    for label in sorted(known):
        for name in (label, *registry.ancestors(label)):
            if registry.body(name) is None:
                continue  # not curated: the documents' graphs describe it
            org = registry.organization(name)
            describe_body(reg, org)
            if org.jurisdiction:
                places.add(org.jurisdiction)
    for place in sorted(places):
        describe_jurisdiction(reg, place, ctx.jurisdiction_aliases.get(place, ()))
    return reg


def union_of(graphs: dict[str, Graph]) -> Graph:
    union = Graph()
    bind_prefixes(union)
    for g in graphs.values():
        for triple in g:
            union.add(triple)
    return union


def write_outputs(
    result: BuildResult,
    out_dir: str | Path,
    formats: tuple[str, ...] = ("ttl", "jsonld", "nq"),
    blocks: tuple[Path | None, Path | None] = (None, None),
) -> dict[str, Path]:
    """Write the graph files atomically; call only once validation has passed.

    Each file is made from the build's sorted lines (`kg.ntwrite`), never from an rdflib
    graph of the whole: the same build gives the same bytes. `blocks`: the last build's
    index of its subjects' text, and where this build's goes (`kg.ntblocks`).
    """
    out_dir = Path(out_dir)
    for fmt in formats:
        if fmt not in FORMATS:
            raise InputError(None, f"unknown output format {fmt!r}")
    paths = graph_files(out_dir, formats)
    ntwrite.write_files(result.triples, paths, *blocks)
    result.outputs.update(paths)
    return paths


def graph_files(out_dir: str | Path, formats: tuple[str, ...]) -> dict[str, Path]:
    """Where the graph files of `formats` go in `out_dir` (format -> path)."""
    return {fmt: Path(out_dir) / FORMATS[fmt] for fmt in formats}
