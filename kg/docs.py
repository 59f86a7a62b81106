"""Artefacts derived from ontology/coop.ttl: the COOP namespace class and the HTML docs.

One command regenerates both (`python scripts/build_docs.py`, which calls `build_docs`);
tests regenerate them in memory and fail when the checked-in copies are stale. Output
is deterministic: same ontology, same bytes.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.errors import KgError
from kg.namespace import ontology_dir

VANN = Namespace("http://purl.org/vocab/vann/")

NAMESPACE_MODULE = Path(__file__).resolve().parent / "namespace.py"
BEGIN = "# BEGIN GENERATED from ontology/coop.ttl by scripts/build_docs.py: do not edit by hand.\n"
END = "# END GENERATED\n"

_GROUPS = (
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
)


def load_ontology(path: Path | None = None) -> Graph:
    """Parse ontology/coop.ttl (or `path`) into a new graph."""
    graph = Graph()
    graph.parse(path or ontology_dir() / "coop.ttl", format="turtle")
    return graph


def ontology_namespace(graph: Graph) -> str:
    """The namespace the ontology declares as its own (vann:preferredNamespaceUri)."""
    values = {str(v) for v in graph.objects(None, VANN.preferredNamespaceUri)}
    if len(values) != 1:
        raise KgError(f"the ontology declares {len(values)} vann:preferredNamespaceUri")
    return values.pop()


def ontology_terms(graph: Graph) -> dict[str, URIRef]:
    """The ontology's own terms (IRIs in its namespace that are subjects), by local name."""
    namespace = ontology_namespace(graph)
    terms = {}
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef) and str(subject).startswith(namespace):
            terms[str(subject)[len(namespace) :]] = subject
    return dict(sorted(terms.items()))


def render_namespace(graph: Graph | None = None) -> str:
    """The source of the generated `COOP` class, markers included."""
    graph = graph if graph is not None else load_ontology()
    namespace = ontology_namespace(graph)
    lines = [
        BEGIN,
        "class COOP(DefinedNamespace):\n",
        f'    """The coopkg ontology, <{namespace}>: one attribute per term."""\n',
        "\n",
        f'    _NS = Namespace("{namespace}")\n',
        "    _fail = True  # an unknown term is an error, not a new IRI\n",
    ]
    terms = ontology_terms(graph)
    placed: set[str] = set()
    for rdf_type, heading in _GROUPS:
        names = [name for name, iri in terms.items() if (iri, RDF.type, rdf_type) in graph]
        if not names:
            continue
        lines += ["\n", f"    # {heading}\n"]
        for name in names:
            if name in placed:
                continue
            placed.add(name)
            label = graph.value(terms[name], RDFS.label) or graph.value(terms[name], SKOS.prefLabel)
            lines.append(f"    {name}: URIRef  # {label}\n" if label else f"    {name}: URIRef\n")
    # A term with none of the types above still belongs to the namespace.
    rest = [name for name in terms if name not in placed]
    if rest:
        lines += ["\n", "    # Other terms\n"] + [f"    {name}: URIRef\n" for name in rest]
    # Two blank lines before the end marker, as ruff format wants after a class.
    lines += ["\n", "\n", END]
    return "".join(lines)


def update_namespace_module(path: Path = NAMESPACE_MODULE, graph: Graph | None = None) -> bool:
    """Rewrite the generated block of kg/namespace.py; return whether it changed."""
    source = path.read_text(encoding="utf-8")
    start, end = source.index(BEGIN), source.index(END) + len(END)
    new = source[:start] + render_namespace(graph) + source[end:]
    if new == source:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def generated_namespace_block(path: Path = NAMESPACE_MODULE) -> str:
    """The generated block as it stands in kg/namespace.py, markers included."""
    source = path.read_text(encoding="utf-8")
    return source[source.index(BEGIN) : source.index(END) + len(END)]


def render_ontology_html(path: Path | None = None) -> str:
    """The ontology's HTML documentation, made by pyLODE 3.3.4 (the `docs` extra).

    pyLODE stamps nothing time-dependent, but its output follows rdflib's graph order;
    `sort_subjects=True` makes it depend only on the ontology's content.
    """
    OntPub = _import_ontpub()
    html = OntPub(ontology=str(path or ontology_dir() / "coop.ttl"), sort_subjects=True)
    text = html.make_html()
    assert isinstance(text, str)
    return _normalise_html(text)


def _import_ontpub() -> Any:
    """Import pyLODE's OntPub without letting it reconfigure logging.

    Importing pylode 3.3.4 calls logging.basicConfig(level=DEBUG) (in its supermodel
    loader), which would make every later log call of the process print to stderr.
    Imported here, not at the top: pyLODE is an optional dependency (the `docs` extra).
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        from pylode import OntPub
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return OntPub


def _normalise_html(text: str) -> str:
    """Strip what may vary between runs and end with one newline."""
    # pyLODE numbers no blank nodes and prints no date, but guard against a future
    # version that does, so that a stale-docs test does not fail on the clock.
    text = re.sub(r'<meta name="generated"[^>]*>\s*', "", text)
    return text.rstrip("\n") + "\n"


def build_docs(root: Path | None = None) -> list[Path]:
    """Regenerate docs/ontology.html and kg/namespace.py; return the files that changed."""
    root = root or ontology_dir().parent
    changed = []
    graph = load_ontology()
    if update_namespace_module(graph=graph):
        changed.append(NAMESPACE_MODULE)
    html_path = root / "docs" / "ontology.html"
    html = render_ontology_html()
    if not html_path.is_file() or html_path.read_text(encoding="utf-8") != html:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(html, encoding="utf-8")
        changed.append(html_path)
    return changed
