"""Validation results in the user's words: which record, the quote it came from, the rule.

A SHACL result names IRIs (`id:document/... coop:party ... id:body/hong-kong`); a reader
needs "memorandum 'Co-operation Memorandum ...', stated in characters 812-930 ('...'):
a memorandum's parties must be bodies or places; 'Hong Kong' was read as a body". The
words come from the shapes file, not from here: each node shape's rdfs:label names its
records ("memorandum"), each constraint's sh:description is its rule, and a warning
shape's rdfs:label is what a count of its results is called ("posts whose body the text
does not name"). The graph supplies labels and the text spans (coop:statedIn,
coop:mentionedIn) that a record came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespace import COOP, DCTERMS, FOAF, PROV, RDFS, SH, SKOS
from kg.validate import Violation, shapes_graph

__all__ = ["Finding", "count_by_kind", "explain"]

_LABELS = (DCTERMS.title, RDFS.label, FOAF.name, SKOS.prefLabel)
_QUOTE = 100  # characters of a quote shown in a report


@dataclass(frozen=True)
class Finding:
    """One validation result as a reader would put it.

    `record` is what the record is and its name ("memorandum 'X'"), `rule` the rule in
    plain words, `value` what was found instead ("'Hong Kong' was read as a body"), and
    `quote`/`start`/`end` the text span the record was read from (None when it has none).
    `document` is the id part of the source document's IRI, where the graph says it.
    `kind` names a count of such findings; `technical` is the SHACL result as one line.
    """

    severity: str
    record: str
    rule: str
    value: str | None
    quote: str | None
    start: int | None
    end: int | None
    kind: str
    technical: str
    document: str | None = None

    def text(self) -> str:
        """Two lines: the record and its rule; where in the text it was read from."""
        head = f"{self.record}: {self.rule}" + (f"; {self.value}" if self.value else "")
        if self.quote is None:
            return head
        quote = " ".join(self.quote.split())
        if len(quote) > _QUOTE:
            quote = quote[: _QUOTE - 1] + "…"
        if not quote.startswith(('"', "“", "'", "‘")):
            quote = f'"{quote}"'
        return f"{head}\n  read from characters {self.start}-{self.end}: {quote}"


def explain(violations: Iterable[Violation], graph: Graph) -> list[Finding]:
    """The violations in words, with what `graph` says of their records; the results of
    one rule on one record are one finding (two parties read wrongly are one line)."""
    merged: dict[tuple[str, str, str], Finding] = {}
    for v in violations:
        found = _explain(v, graph)
        key = (found.severity, found.record, found.rule)
        first = merged.setdefault(key, found)
        if first is not found and found.value and found.value not in (first.value or ""):
            merged[key] = replace(first, value="; ".join(filter(None, (first.value, found.value))))
    return list(merged.values())


def count_by_kind(findings: Sequence[Finding]) -> list[tuple[int, str]]:
    """(count, kind) for each kind of finding, most frequent first."""
    counts = Counter(f.kind for f in findings)
    return sorted(((n, kind) for kind, n in counts.items()), key=lambda item: (-item[0], item[1]))


def _explain(v: Violation, graph: Graph) -> Finding:
    focus = URIRef(v.focus)
    noun = _noun(v.focus)
    rule = v.rule or v.message
    value = None
    quote, start, end, source = _span(focus, graph)
    if v.value_iri is not None:
        iri = URIRef(v.value_iri)
        name = _name(iri, graph, quote)
        value = f"{name} was read as {_article(_noun(v.value_iri))}"
        if not any(graph.triples((iri, None, None))):
            value += " that nothing in the graph describes"
    elif v.value is not None and v.value != v.focus and not _is_quote(v.value, quote):
        value = f"found {v.value}"
    source = source or graph.value(focus, PROV.wasDerivedFrom)
    return Finding(
        severity=v.severity,
        record=f"{noun} {_name(focus, graph)}"
        if start is None or (focus, COOP.quote, None) not in graph
        else f"{noun} at characters {start}-{end}",
        rule=rule,
        value=value,
        quote=quote,
        start=start,
        end=end,
        kind=v.kind or f"{noun} records: {rule}",
        technical=v.text(),
        document=None if source is None else str(source).rsplit("/", 1)[-1],
    )


def _is_quote(value: str, quote: str | None) -> bool:
    """Whether a shown literal value (quoted, perhaps cut) is the record's quote."""
    shown = value.strip('"').rstrip("…")
    return quote is not None and " ".join(quote.split()).startswith(shown)


def _name(node: URIRef, graph: Graph, context: str | None = None) -> str:
    """A record's name as the graph gives it; for a record the graph lacks, its words
    as `context` (the quote of the record that names it) spells them, else its IRI's."""
    for prop in _LABELS:
        for label in sorted(graph.objects(node, prop), key=str):
            if isinstance(label, Literal) and label.language in (None, "en"):
                return f"'{label}'"
    quote = graph.value(node, COOP.quote)
    if quote is not None:
        return f"'{quote}'"
    key = str(node).rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[^a-z0-9]+", key.lower()) if w]
    if context and words:
        spelt = re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", context, re.I)
        if spelt:
            return f"'{spelt.group()}'"
    return key


def _span(node: URIRef, graph: Graph) -> tuple[str | None, int | None, int | None, Node | None]:
    """The first text span the record was read from (or the record itself, if a span),
    and the source document it is in."""
    spans = [node] if (node, COOP.quote, None) in graph else []
    for prop in (COOP.statedIn, COOP.mentionedIn):
        spans.extend(s for s in graph.objects(node, prop) if isinstance(s, URIRef))
    if not spans:
        # A record stated nowhere itself (a post) is quoted by those that name it (its
        # holdings).
        for other in set(graph.subjects(None, node)):
            spans.extend(s for s in graph.objects(other, COOP.statedIn) if isinstance(s, URIRef))
    found = []
    for span in spans:
        quote, start, end = (
            graph.value(span, p) for p in (COOP.quote, COOP.startOffset, COOP.endOffset)
        )
        if quote is not None and start is not None and end is not None:
            source = graph.value(span, COOP.inSource)
            found.append((int(start.toPython()), int(end.toPython()), str(quote), source))
    if not found:
        return None, None, None, None
    start, end, quote, source = min(found, key=lambda item: item[:3])
    return quote, start, end, source


def _noun(iri: str) -> str:
    """What a record is called, from the node shape whose IRI pattern it matches."""
    for pattern, noun in _nouns():
        if pattern.search(iri):
            return noun
    return "record"


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


@lru_cache(maxsize=1)
def _nouns() -> tuple[tuple[re.Pattern[str], str], ...]:
    shapes = shapes_graph()
    found = []
    for shape, label in shapes.subject_objects(RDFS.label):
        pattern = shapes.value(shape, SH.pattern)
        if pattern is not None and (shape, SH.targetClass, None) in shapes:
            found.append((re.compile(str(pattern)), str(label)))
    # The most specific pattern first: id:heading/ is an area heading before a concept.
    return tuple(sorted(found, key=lambda item: (item[0].pattern.count("|"), item[1])))
