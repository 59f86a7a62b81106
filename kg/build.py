"""The pipeline: sources -> extraction -> RDF -> SHACL validation -> output files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError
from kg.extract import extract_document
from kg.identity import resolve_identities
from kg.model import Extraction
from kg.namespace import ID, bind_prefixes, ontology_dir
from kg.output import atomic_write_bytes, to_jsonld, to_nquads, to_ntriples, to_turtle
from kg.rdf import REGISTRY_GRAPH, AreaScheme, RdfContext, describe_body, extraction_to_graph
from kg.registry import Registry, load_corrections, load_registry
from kg.scheme import load_area_mapping
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
    paths = list_sources(data_dir / "sources")
    if not paths:
        raise InputError(str(data_dir / "sources"), "no source documents to build from")
    return [extract_document(read_source(p), registry, corrections) for p in paths], registry


def build_graph(data_dir: str | Path = "data") -> BuildResult:
    """Read every source of `data_dir`, extract, build and validate the graph (writes nothing)."""
    data_dir = Path(data_dir)
    extractions, registry = extract_all(data_dir)
    graphs = to_graphs(extractions, registry, load_context(data_dir, registry))
    union = union_of(graphs)
    report = validate_graph(union)
    return BuildResult(union, graphs, extractions, report)


def to_graphs(
    extractions: list[Extraction], registry: Registry, ctx: RdfContext
) -> dict[str, Graph]:
    """One named graph per document (`id:graph/<doc-id>`) and the registry's graph."""
    # Identities are settled over every document at once, so that each document's graph
    # says the same of a body, person, mechanism or meeting that another document names.
    ctx.identities = resolve_identities(extractions, registry)
    graphs: dict[str, Graph] = {}
    for ex in extractions:
        graphs[str(ID["graph/" + ex.source.doc_id])] = extraction_to_graph(ex, ctx)

    # Registry facts go to their own graph: a document's graph holds what it says.
    known = {ident.label for ident in ctx.identities.bodies.values() if ident.known}
    reg = Graph()
    for label in sorted(known):
        describe_body(reg, registry.organization(label))
        for parent in registry.ancestors(label):
            describe_body(reg, registry.organization(parent))
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
