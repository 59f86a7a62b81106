"""A SPARQL endpoint's answers: which media type a client gets, and the bytes of each.

Content negotiation reads `Accept` (q-values, `type/*`, `*/*`) or, where a client cannot
set headers (a link, a browser's address bar), the `format=` parameter, which wins when
given. Solutions are written here rather than by Oxigraph's own serialisers because an
endpoint caps its rows (`max_rows`) and says so, and those serialisers only write a
whole result; the bytes are those Oxigraph writes (tests/test_serve.py compares them), so
the cap is the only difference. Graphs (CONSTRUCT, DESCRIBE) are capped, sorted and then
written by Oxigraph. CSV follows the SPARQL 1.1 CSV format (values as they are), not
coopkg's spreadsheet-safe CSV: a SPARQL client reads it, not a spreadsheet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.cells import xml_safe

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"

# What each form offers, preferred first; the aliases clients send for the same bytes.
SOLUTION_TYPES = (JSON, XML, CSV, TSV)
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD)
_ALIASES = {
    "application/json": (JSON, JSONLD),
    "application/xml": (XML,),
    "text/xml": (XML,),
    "application/x-turtle": (TURTLE,),
    "text/plain": (NTRIPLES,),
}
_FORMAT_NAMES = {
    "json": (JSON, JSONLD),
    "xml": (XML,),
    "csv": (CSV,),
    "tsv": (TSV,),
    "turtle": (TURTLE,),
    "ttl": (TURTLE,),
    "nt": (NTRIPLES,),
    "ntriples": (NTRIPLES,),
    "n-triples": (NTRIPLES,),
    "jsonld": (JSONLD,),
    "json-ld": (JSONLD,),
}
_GRAPH_FORMATS = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
# TSV writes these datatypes in Turtle's short form when the lexical form allows it.
_SHORT = {
    _XSD + "integer": re.compile(r"[+-]?\d+"),
    _XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    _XSD + "double": re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def offered(form: str) -> tuple[str, ...]:
    """The media types a query of `form` (SELECT, ASK, CONSTRUCT, DESCRIBE) can give."""
    return GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_TYPES


def negotiate(accept: str | None, fmt: str | None, form: str) -> str | None:
    """The media type to answer with, or None when the client accepts none we offer.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", None, "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("*/*", None, "CONSTRUCT"), negotiate(None, "tsv", "SELECT")
    ('text/turtle', 'text/tab-separated-values')
    >>> negotiate("image/png", None, "ASK") is None
    True
    """
    offers = offered(form)
    if fmt:
        name = fmt.strip().lower()
        wanted = _FORMAT_NAMES.get(name) or _ALIASES.get(name) or (name,)
        return next((t for t in wanted if t in offers), None)
    ranges = _parse_accept(accept or "*/*") or [("*/*", 1.0)]
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, offer in enumerate(offers):
        q, specificity = _quality(offer, ranges)
        if q <= 0:
            continue
        key = (q, specificity, -rank)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(",")[:64]:  # a header is data: only so many ranges are read
        items = part.split(";")
        media = items[0].strip().lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in items[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(offer: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """The q of the most specific range matching `offer` (an alias counts as exact)."""
    found: tuple[int, float] | None = None
    for media, q in ranges:
        if media == offer or offer in _ALIASES.get(media, ()):
            specificity = 3
        elif media.endswith("/*") and offer.startswith(media[:-1]):
            specificity = 2
        elif media == "*/*":
            specificity = 1
        else:
            continue
        if found is None or specificity > found[0]:
            found = (specificity, q)
    return (0.0, 0) if found is None else (found[1], found[0])


@dataclass(frozen=True)
class Body:
    """Bytes to send, their media type, and the row cap they were cut at (None: whole)."""

    data: bytes
    media: str
    truncated: int | None = None

    @property
    def content_type(self) -> str:
        return self.media + "; charset=utf-8"


def solutions_body(result: ox.QuerySolutions, media: str, max_rows: int | None) -> Body:
    """A SELECT's solutions as `media`, at most `max_rows` of them."""
    names = [v.value for v in result.variables]
    rows: list[tuple[object, ...]] = []
    truncated = None
    for solution in result:
        if max_rows is not None and len(rows) >= max_rows:
            truncated = max_rows
            break
        rows.append(tuple(solution))
    write = {JSON: _json, XML: _xml, CSV: _csv, TSV: _tsv}[media]
    return Body(write(names, rows, truncated).encode("utf-8"), media, truncated)


def boolean_body(answer: bool, media: str) -> Body:
    """An ASK's answer as `media` (CSV and TSV: the word, as Oxigraph writes it)."""
    word = "true" if answer else "false"
    text = {
        JSON: '{"head":{},"boolean":' + word + "}",
        XML: f'<?xml version="1.0"?><sparql xmlns="{_NS}"><head></head>'
        f"<boolean>{word}</boolean></sparql>",
    }.get(media, word)
    return Body(text.encode("utf-8"), media)


def triples_body(
    triples: Iterable[ox.Triple], media: str, max_rows: int | None, prefixes: dict[str, str]
) -> Body:
    """A graph as `media`, at most `max_rows` triples, sorted so that a query always gives
    the same bytes."""
    kept: list[ox.Triple] = []
    truncated = None
    for triple in triples:
        if max_rows is not None and len(kept) >= max_rows:
            truncated = max_rows
            break
        kept.append(triple)
    kept.sort(key=str)
    fmt = _GRAPH_FORMATS[media]
    data = ox.serialize(kept, format=fmt, prefixes=prefixes if media == TURTLE else None)
    if truncated is not None and media != JSONLD:  # JSON has no comments; the header says it
        data = f"# truncated at {truncated} triples (--max-rows)\n".encode() + (data or b"")
    return Body(data or b"", media, truncated)


# --- the four solution formats ------------------------------------------------------------

_NS = "http://www.w3.org/2005/sparql-results#"


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # a quoted triple (RDF-star)


def _json(names: list[str], rows: list[tuple[object, ...]], truncated: int | None) -> str:
    bindings = [
        {name: _json_term(term) for name, term in zip(names, row, strict=True) if term is not None}
        for row in rows
    ]
    data: dict[str, object] = {"head": {"vars": names}, "results": {"bindings": bindings}}
    if truncated is not None:
        # An extra member, which SPARQL JSON readers ignore: the answer says it is cut.
        data["coopkg"] = {"truncated": True, "max_rows": truncated}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(xml_safe(term.value))}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(xml_safe(term.value))}</bnode>"
    value = escape(xml_safe(term.value if isinstance(term, ox.Literal) else str(term)), _QUOTE)
    if isinstance(term, ox.Literal) and term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{value}</literal>"
    if isinstance(term, ox.Literal) and term.datatype.value != _XSD + "string":
        return f"<literal datatype={quoteattr(xml_safe(term.datatype.value))}>{value}</literal>"
    return f"<literal>{value}</literal>"


_QUOTE = {'"': "&quot;"}


def _xml(names: list[str], rows: list[tuple[object, ...]], truncated: int | None) -> str:
    parts = [f'<?xml version="1.0"?><sparql xmlns="{_NS}"><head>']
    parts += [f"<variable name={quoteattr(name)}/>" for name in names]
    parts.append("</head>")
    if truncated is not None:
        parts.append(f"<!-- truncated at {truncated} rows (--max-rows) -->")
    parts.append("<results>")
    for row in rows:
        parts.append("<result>")
        for name, term in zip(names, row, strict=True):
            if term is not None:
                parts.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>")
    return "".join(parts)


def _csv_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(names: list[str], rows: list[tuple[object, ...]], truncated: int | None) -> str:
    lines = [",".join(names)] + [",".join(_csv_cell(t) for t in row) for row in rows]
    return "".join(line + "\r\n" for line in lines)


def _tsv_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language:
        short = _SHORT.get(term.datatype.value)
        if short is not None and short.fullmatch(term.value):
            return term.value
    return str(term)  # the N-Triples form, with tabs and newlines escaped


def _tsv(names: list[str], rows: list[tuple[object, ...]], truncated: int | None) -> str:
    lines = ["\t".join("?" + n for n in names)] + [
        "\t".join(_tsv_cell(t) for t in row) for row in rows
    ]
    return "".join(line + "\n" for line in lines)
