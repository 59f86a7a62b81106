"""The pipeline: sources -> extraction -> RDF -> SHACL validation -> output files.

One document never blocks the graph. A document that cannot be read (a bad metadata
sidecar, bytes that are not text, an id another document already has) or whose records
break a shape is left out, with the reasons in the reader's words (`kg.problem`), and the
rest builds. Shapes are checked on each document's graph together with what it needs
from the registry's graph, then on the union of the documents kept (identities are
settled again without the ones left out), so what is written is consistent as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph, URIRef

from kg.errors import InputError, KgError
from kg.extract import extract_document
from kg.identity import resolve_identities, slug
from kg.model import Extraction
from kg.namespace import ID, bind_prefixes, ontology_dir
from kg.output import atomic_write_bytes, to_jsonld, to_nquads, to_ntriples, to_turtle
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
from kg.validate import Report, Violation, validate_graph

FORMATS = {
    "ttl": ("graph.ttl", to_turtle),
    "jsonld": ("graph.jsonld", to_jsonld),
    "nt": ("graph.nt", to_ntriples),
}


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
    graph: Graph  # the union of every named graph
    graphs: dict[str, Graph]  # named graph IRI -> its triples
    extractions: list[Extraction]  # of the documents in the graph
    report: Report  # of the union: warnings (and violations no document accounts for)
    outputs: dict[str, Path] = field(default_factory=dict)
    documents: int = 0  # documents found in sources/
    left_out: list[LeftOut] = field(default_factory=list)
    # Entries of sources/ never opened: FIFOs, devices, links leaving the data folder.
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def warnings(self) -> list[Finding]:
        """The warnings of the graph, in words."""
        return explain((v for v in self.report.violations if v.severity == "Warning"), self.graph)

    def summary(self) -> str:
        """The line "N of M documents in the graph"."""
        line = f"{len(self.extractions)} of {self.documents} documents in the graph"
        return line + (f", {len(self.skipped)} skipped" if self.skipped else "")


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


def build_graph(data_dir: str | Path = "data") -> BuildResult:
    """Read every source of `data_dir`, extract, build and validate the graph (writes nothing).

    Documents that cannot be read or whose records break a shape are in `left_out`; the
    graph holds the others. A registry or corrections file that does not read still
    raises `InputError`: it concerns every document.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "no such data folder")
    registry = load_registry(data_dir / "registry")
    corrections = load_corrections(data_dir / "corrections")
    ctx = load_context(data_dir, registry)
    paths, skipped = scan_sources(data_dir / "sources", data_dir)
    if not paths:
        raise InputError(str(data_dir / "sources"), "no source documents to build from")

    left: list[LeftOut] = []
    kept: list[Extraction] = []
    taken: dict[str, str] = {}
    for path in paths:
        try:
            source = read_source(path)
            # Ids that differ only in "_" and "-" would mint one IRI (kg.rdf): first wins.
            other = taken.setdefault(slug(source.doc_id), path.name)
            if other != path.name:
                raise InputError(
                    str(path), f"has the id {source.doc_id!r} of {other}: rename one of them"
                )
        except KgError as exc:
            left.append(LeftOut(str(path), (f"cannot be read: {exc}",)))
            continue
        try:
            kept.append(extract_document(source, registry, corrections))
        except KgError as exc:  # e.g. a correction whose anchor the text lacks
            left.append(LeftOut(str(path), (f"cannot be extracted: {exc}",)))

    graphs = to_graphs(kept, registry, ctx)
    broken: dict[str, list[Finding]] = {}
    for ex in kept:
        work = _with_needs(graphs[graph_name(ex.source.doc_id)], graphs[str(REGISTRY_GRAPH)])
        report = validate_graph(work)
        if not report.conforms:
            broken[ex.source.doc_id] = explain(_violations(report), work)
    # Then the union of what is kept, settled again without what was left out: documents
    # that are sound alone may still disagree (a body with two names); see `_owners`.
    while True:
        if broken:
            for ex in kept:
                found = broken.get(ex.source.doc_id)
                if found:
                    left.append(
                        LeftOut(ex.source.path, tuple(f.text() for f in found), tuple(found))
                    )
            kept = [ex for ex in kept if ex.source.doc_id not in broken]
            graphs = to_graphs(kept, registry, ctx)
        union = union_of(graphs)
        report = validate_graph(union)
        broken = _owners(report, graphs, union, kept)
        if not broken:
            break
    left.sort(key=lambda item: item.path)
    return BuildResult(
        union, graphs, kept, report, documents=len(paths), left_out=left, skipped=skipped
    )


def graph_name(doc_id: str) -> str:
    """The IRI of a document's named graph."""
    return str(ID["graph/" + doc_id])


def _violations(report: Report) -> list[Violation]:
    return [v for v in report.violations if v.severity == "Violation"]


def _with_needs(doc: Graph, registry: Graph) -> Graph:
    """A document's graph and the registry triples it needs (the bodies it names, their
    parents and jurisdictions), for checking the document by itself."""
    work = Graph()
    for triple in doc:
        work.add(triple)
    todo = [o for o in doc.objects() if isinstance(o, URIRef)] + [
        s for s in doc.subjects() if isinstance(s, URIRef)
    ]
    seen: set[URIRef] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in registry.predicate_objects(node):
            work.add((node, p, o))
            if isinstance(o, URIRef):
                todo.append(o)
    return work


def _owners(
    report: Report, graphs: dict[str, Graph], union: Graph, kept: list[Extraction]
) -> dict[str, list[Finding]]:
    """The documents to leave out for the union's violations.

    Each document was sound alone, so a violation of the union is a disagreement between
    the documents that describe its record: the last of them (in file order) goes, and
    its report names the ones kept. Violations about no document's records are left in
    `report` (the caller fails the build on them).
    """
    found: dict[str, list[Finding]] = {}
    for violation in _violations(report):
        focus = URIRef(violation.focus)
        owners = [ex for ex in kept if (focus, None, None) in graphs[graph_name(ex.source.doc_id)]]
        if not owners:
            continue
        (finding,) = explain([violation], union)
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

    # Registry facts go to their own graph: a document's graph holds what it says.
    known = {ident.label for ident in ctx.identities.bodies.values() if ident.known}
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
    # The places registry bodies belong to, so that the registry's graph stands alone.
    for place in sorted(places):
        describe_jurisdiction(reg, place, ctx.jurisdiction_aliases.get(place, ()))
    graphs[str(REGISTRY_GRAPH)] = reg
    return graphs


def union_of(graphs: dict[str, Graph]) -> Graph:
    union = Graph()
    bind_prefixes(union)
    for g in graphs.values():
        for triple in g:
            union.add(triple)
    return union


def write_outputs(
    result: BuildResult, out_dir: str | Path, formats: tuple[str, ...] = ("ttl", "jsonld", "nq")
) -> dict[str, Path]:
    """Write the graph files atomically; call only once validation has passed."""
    out_dir = Path(out_dir)
    # Serialise everything first: a failure here must not leave half the files new.
    payloads: dict[str, tuple[Path, bytes]] = {}
    for fmt in formats:
        if fmt == "nq":
            payloads[fmt] = (out_dir / "graph.nq", to_nquads(result.graphs))
            continue
        if fmt not in FORMATS:
            raise InputError(None, f"unknown output format {fmt!r}")
        name, serialise = FORMATS[fmt]
        payloads[fmt] = (out_dir / name, serialise(result.graph))
    for fmt, (path, data) in payloads.items():
        result.outputs[fmt] = atomic_write_bytes(path, data)
    return result.outputs
