"""A page and a description for every instance IRI, as `kg serve` answers them at `/id/...`.

`https://w3id.org/coopkg/id/<kind>/<rest>` is served at the local path `/id/<kind>/<rest>`
(`local_path`, and `iri_of_path` back), so that a browser on the server follows links
between bodies, commitments, meetings, documents, people and their sources without
leaving it. `resource_html` is the page (label, types, quotes with their offsets and
source, the facts from and to the resource); `resource_graph` the resource's description
(its triples and the labels of what it links to, Concise Bounded Description style) as
Turtle, N-Triples or JSON-LD, byte for byte the same for the same graph.

The facts are read by three internal queries (kg/queries/resource-*.rq) with the IRI bound
by the store, never pasted. They are SELECTs that take each object apart (IRI or not,
lexical form, datatype, language), so that any `Store` gives the exact terms back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote

import rdflib
from markupsafe import Markup

from kg.errors import InputError
from kg.html import csp_hash, template_environment
from kg.namespace import bind_prefixes
from kg.output import to_jsonld, to_ntriples, to_turtle
from kg.query import NamedQuery, list_queries
from kg.sparql_text import predeclared
from kg.store import IRI, Store

ID_BASE = "https://w3id.org/coopkg/id/"
LOCAL_BASE = "/id/"
GRAPH_MEDIA_TYPES = {
    "text/turtle": to_turtle,
    "application/n-triples": to_ntriples,
    "application/ld+json": to_jsonld,
}
MAX_LINKS = 1000  # resource-links.rq asks for one more, to tell that there are more
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# The label of a resource, best first; skos:prefLabel only untagged or English.
_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
# A path segment a browser would resolve ("." and "..") is written escaped.
_DOT_SEGMENT = re.compile(r"(?:^|(?<=/))\.\.?(?=/|$)")
_SAFE = "/-._~!$&'()*+,;=:@"  # RFC 3986 pchar and "/", unescaped
_NOT_IN_IRI = frozenset('<>"{}|^`\\ ')


def local_path(iri: str) -> str | None:
    """The server path of an instance IRI (``/id/...``), or None for any other IRI.

    Every character a path cannot hold as it is (``?``, ``#``, ``%``, spaces, non-ASCII)
    is percent-encoded, so `iri_of_path` gives the IRI back exactly.

    Examples
    --------
    >>> local_path("https://w3id.org/coopkg/id/body/hong-kong-trade-development-council")
    '/id/body/hong-kong-trade-development-council'
    >>> local_path("https://example.org/x") is None
    True
    """
    if not iri.startswith(ID_BASE) or len(iri) == len(ID_BASE) or not _valid_iri(iri):
        return None
    rest = quote(iri[len(ID_BASE) :], safe=_SAFE)
    rest = _DOT_SEGMENT.sub(lambda m: m.group().replace(".", "%2E"), rest)
    return LOCAL_BASE + rest


def iri_of_path(path: str) -> str | None:
    """The instance IRI a server path (``/id/...``, without query or fragment) stands for.

    Examples
    --------
    >>> iri_of_path("/id/commitment/doc/63")
    'https://w3id.org/coopkg/id/commitment/doc/63'
    >>> iri_of_path("/static/x") is None
    True
    """
    if not path.startswith(LOCAL_BASE) or len(path) == len(LOCAL_BASE):
        return None
    try:
        iri = ID_BASE + unquote(path[len(LOCAL_BASE) :], errors="strict")
    except UnicodeDecodeError:  # %-escapes that are not UTF-8 name no IRI
        return None
    return iri if _valid_iri(iri) else None


def _valid_iri(iri: str) -> bool:
    """No character an IRI cannot hold (RFC 3987; the rule of `kg.query` for parameters)."""
    return not any(
        c in _NOT_IN_IRI or ord(c) < 0x21 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000
        for c in iri
    )


# --- reading the resource ----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """An object of a triple as the store holds it, and its label if it is a resource."""

    value: str  # the IRI or the lexical form
    kind: str  # "iri", "blank" or "literal"
    datatype: str | None = None
    lang: str | None = None
    label: str | None = None

    def rdflib(self) -> rdflib.term.Node:
        if self.kind == "iri":
            return rdflib.URIRef(self.value)
        if self.kind == "blank":
            return rdflib.BNode(self.value.removeprefix("_:"))
        if self.lang:
            return rdflib.Literal(self.value, lang=self.lang)
        if self.datatype in (None, _XSD_STRING):
            return rdflib.Literal(self.value)
        return rdflib.Literal(self.value, datatype=rdflib.URIRef(self.datatype))


@dataclass(frozen=True)
class Description:
    """What the store says of one resource."""

    iri: str
    facts: list[tuple[str, Term]]  # (property, object), in the query's order
    links: list[tuple[str, str, str | None]]  # (subject, property, subject's label)
    quotes: list[dict[str, Any]]
    more_links: bool

    @property
    def label(self) -> str:
        for prop in _LABELS:
            for p, o in self.facts:
                if p == prop and o.kind == "literal" and (not o.lang or o.lang.startswith("en")):
                    return o.value
        return self.iri[len(ID_BASE) :] if self.iri.startswith(ID_BASE) else self.iri

    @property
    def types(self) -> list[str]:
        return [o.value for p, o in self.facts if p == _RDF_TYPE and o.kind == "iri"]


@cache
def _queries() -> dict[str, NamedQuery]:
    return {q.name: q for q in list_queries() if q.name.startswith("resource-")}


def describe(store: Store, iri: str) -> Description | None:
    """Everything the resource pages show of `iri`; None if the store knows nothing of it
    (or it is no IRI an engine could bind)."""
    if not _valid_iri(iri):
        return None
    bound = {"resource": IRI(iri)}
    queries = _queries()
    facts = [
        (str(row["p"]), _term(row))
        for row in store.select(queries["resource-facts"].text, bound).dicts()
    ]
    rows = store.select(queries["resource-links"].text, bound).rows
    links = [(str(s), str(p), None if label is None else str(label)) for _, s, p, label in rows]
    if not facts and not links:
        return None
    quotes = store.select(queries["resource-quotes"].text, bound).dicts()
    return Description(iri, facts, links[:MAX_LINKS], quotes, len(links) > MAX_LINKS)


def _term(row: dict[str, Any]) -> Term:
    label = None if row["label"] is None else str(row["label"])
    if row["is_iri"]:
        return Term(str(row["lex"]), "iri", label=label)
    if row["is_blank"]:
        return Term(str(row["o"]), "blank", label=label)
    return _literal(row["lex"], row["datatype"], row["lang"])


def _literal(lex: Any, datatype: Any, lang: Any) -> Term:
    # xsd:string and rdf:langString are what a plain or tagged literal is (RDF 1.1).
    plain = datatype in (None, _XSD_STRING, _LANG_STRING)
    return Term(str(lex), "literal", None if plain else str(datatype), str(lang) if lang else None)


# --- the description as RDF ----------------------------------------------------------------


def resource_graph(store: Store, iri: str, media_type: str) -> bytes | None:
    """The resource's triples and the labels of the resources they link to, serialised as
    `media_type` (a key of `GRAPH_MEDIA_TYPES`); None if the store knows nothing of it.

    Raises
    ------
    InputError
        A media type that is not one of `GRAPH_MEDIA_TYPES`.
    """
    write = GRAPH_MEDIA_TYPES.get(media_type)
    if write is None:
        known = ", ".join(GRAPH_MEDIA_TYPES)
        raise InputError(None, f"cannot describe a resource as {media_type!r} (only {known})")
    found = describe(store, iri)
    if found is None:
        return None
    graph = rdflib.Graph()
    bind_prefixes(graph)
    subject = rdflib.URIRef(iri)
    for prop, obj in found.facts:
        graph.add((subject, rdflib.URIRef(prop), obj.rdflib()))
    labels = store.select(_queries()["resource-labels"].text, {"resource": IRI(iri)}).dicts()
    for row in labels:
        label = _literal(row["lex"], row["datatype"], row["lang"])
        graph.add((rdflib.URIRef(str(row["o"])), rdflib.URIRef(str(row["lp"])), label.rdflib()))
    return write(graph)


# --- the page --------------------------------------------------------------------------------


def resource_html(store: Store, iri: str) -> str | None:
    """The HTML page of an instance IRI; None if it is not one or the store knows nothing
    of it (the server answers 404). Every text from the graph is escaped by the template."""
    if local_path(iri) is None:
        return None
    found = describe(store, iri)
    if found is None:
        return None
    style = _style()
    csp = (
        f"default-src 'none'; style-src {csp_hash(style)}; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        template_environment()
        .get_template("resource.html.j2")
        .render(
            csp=csp,
            style=Markup(style),
            iri=iri,
            path=local_path(iri),
            label=found.label,
            types=[(t, curie(t)) for t in found.types],
            quotes=[_quote(q) for q in found.quotes],
            facts=[(prop, curie(prop), _shown(obj)) for prop, obj in found.facts],
            links=[(_link(s, label), curie(p), p) for s, p, label in found.links],
            more_links=found.more_links,
            max_links=MAX_LINKS,
        )
    )


@cache
def _style() -> str:
    text = resources.files("kg").joinpath("static", "resource-page.css").read_text("utf-8")
    if "</" in text:
        raise RuntimeError("kg/static/resource-page.css cannot be inlined: it would end <style>")
    return text


def curie(iri: str) -> str:
    """`iri` in the short form of the predeclared prefixes (``coop:involves``), if one fits:
    for reading only ("id:span/doc/1-9" is no SPARQL prefixed name)."""
    for prefix, namespace in predeclared().items():
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and re.fullmatch(r"[\w./-]*", rest):
            return f"{prefix}:{rest}"
    return iri


def _link(iri: str, label: str | None) -> dict[str, str | None]:
    """A resource to show: its text, where it links (local path, or an http(s) IRI as it
    is; any other scheme, such as javascript:, is shown as text only) and its IRI."""
    href = local_path(iri)
    if href is None and iri.startswith(("http://", "https://")):
        href = iri
    return {"text": label or curie(iri), "href": href, "iri": iri}


def _shown(term: Term) -> dict[str, Any]:
    if term.kind == "iri":
        return {"link": _link(term.value, term.label), "text": None, "note": None}
    if term.kind == "blank":
        return {"link": None, "text": term.value, "note": None}
    note = term.lang or (curie(term.datatype) if term.datatype else None)
    return {"link": None, "text": term.value, "note": note}


def _quote(row: dict[str, Any]) -> dict[str, Any]:
    source = row["source"]
    return {
        "quote": str(row["quote"]),
        "start": row["start"],
        "end": row["end"],
        "how": curie(str(row["how"])),
        "source": None if source is None else _link(str(source), _text(row["title"])),
        "url": _external(row["url"]),
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _external(url: Any) -> str | None:
    """A source's published URL, linked only if it is http(s)."""
    text = _text(url)
    return text if text and text.startswith(("http://", "https://")) else None
