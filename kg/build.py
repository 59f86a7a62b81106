"""The pipeline: sources -> extraction -> RDF -> SHACL validation -> output files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError
from kg.extract import extract_document
from kg.model import Extraction
from kg.namespace import ID, bind_prefixes, ontology_dir
from kg.output import atomic_write_bytes, to_jsonld, to_nquads, to_ntriples, to_turtle
from kg.rdf import REGISTRY_GRAPH, AreaScheme, RdfContext, describe_body, extraction_to_graph
from kg.registry import Registry, load_corrections, load_registry
from kg.source import list_sources, read_source
from kg.validate import Report, validate_graph

FORMATS = {
    "ttl": ("graph.ttl", to_turtle),
    "jsonld": ("graph.jsonld", to_jsonld),
    "nt": ("graph.nt", to_ntriples),
}


@dataclass
class BuildResult:
    graph: Graph  # the union of every named graph
    graphs: dict[str, Graph]  # named graph IRI -> its triples
    extractions: list[Extraction]
    report: Report
    outputs: dict[str, Path] = field(default_factory=dict)


def load_context(data_dir: Path, registry: Registry) -> RdfContext:
    areas = Graph()
    areas.parse(ontology_dir() / "areas.ttl", format="turtle")
    return RdfContext(
        areas=AreaScheme.from_graph(areas),
        jurisdiction_aliases=registry.jurisdiction_aliases(),
        corrections=load_corrections(data_dir / "corrections").as_mapping(),
    )


def extract_path(path: str | Path, data_dir: str | Path = "data") -> Extraction:
    """What one document yields, with the project's registry and corrections."""
    data_dir = Path(data_dir)
    registry = load_registry(data_dir / "registry")
    corrections = load_corrections(data_dir / "corrections")
    return extract_document(read_source(path), registry, corrections)


def build_graph(data_dir: str | Path = "data") -> BuildResult:
    """Read every source of `data_dir`, extract, build and validate the graph (writes nothing)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "no such data folder")
    registry = load_registry(data_dir / "registry")
    corrections = load_corrections(data_dir / "corrections")
    ctx = load_context(data_dir, registry)
    paths = list_sources(data_dir / "sources")
    if not paths:
        raise InputError(str(data_dir / "sources"), "no source documents to build from")

    graphs: dict[str, Graph] = {}
    extractions = []
    known: dict[str, object] = {}
    for path in paths:
        ex = extract_document(read_source(path), registry, corrections)
        extractions.append(ex)
        g = extraction_to_graph(ex, ctx)
        # Registry facts go to their own graph: a document's graph holds what it says.
        for org in ex.organizations:
            if org.known:
                known[org.label] = org
        graphs[str(ID["graph/" + ex.source.doc_id])] = g

    reg = Graph()
    for label in sorted(known):
        describe_body(reg, registry.organization(label))
        for parent in registry.ancestors(label):
            describe_body(reg, registry.organization(parent))
    graphs[str(REGISTRY_GRAPH)] = reg

    union = Graph()
    bind_prefixes(union)
    for g in graphs.values():
        for triple in g:
            union.add(triple)
    report = validate_graph(union)
    return BuildResult(union, graphs, extractions, report)


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
