"""The canonical scheme of co-operation areas (ontology/areas.ttl), and how an area heading
as a document publishes it maps to one of its concepts.

A heading maps by `skos:exactMatch` when, ignoring case, punctuation and the spelling of
"co-operation", it is a label (preferred, alternative or hidden) of a concept. Otherwise
it maps by `skos:closeMatch` to the concept one of whose labels shares the most words with
it (Jaccard similarity of the words' five-letter stems, function words left out), if that
share is at least `CLOSE`: "Economic, trade, and the Belt and Road Initiative" is close to
"The Belt and Road Initiative, Economic, Trade and Investment Co-operation". A heading
close to nothing becomes a concept of its own, minted from the heading (`new`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from kg.identity import slug
from kg.namespace import ID, SKOS

__all__ = ["AREA_SCHEME", "CLOSE", "AreaMatch", "AreaScheme", "heading_words"]

AREA_SCHEME = ID["scheme/areas"]
CLOSE = 0.5  # the least share of words for a close match
_STEM = 5  # letters kept of each word: "economic"/"economy", "culture"/"cultural" agree
# fmt: off
_FUNCTION_WORDS = frozenset((
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "between", "both", "two",
    "sides", "places", "cooperation", "co", "operation",
))
# fmt: on


def _norm(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", label.lower().replace("co-operation", "cooperation")).strip()


def heading_words(label: str) -> frozenset[str]:
    """The stems that a heading's meaning rests on.

    >>> sorted(heading_words("Economic, trade, and the Belt and Road Initiative"))
    ['belt', 'econo', 'initi', 'road', 'trade']
    """
    words = _norm(label).split()
    return frozenset(w[:_STEM] for w in words if w not in _FUNCTION_WORDS)


@dataclass(frozen=True)
class AreaMatch:
    """Where a heading lands in the scheme: `match` is "exact", "close" or "new"."""

    concept: URIRef
    match: str
    score: float = 1.0


@dataclass
class AreaScheme:
    """Maps an area heading as published to a concept of ontology/areas.ttl."""

    labels: dict[str, URIRef] = field(default_factory=dict)
    pref: dict[URIRef, str] = field(default_factory=dict)
    words: list[tuple[frozenset[str], URIRef]] = field(default_factory=list)

    @classmethod
    def from_graph(cls, graph: Graph) -> AreaScheme:
        scheme = cls()
        for concept in sorted(graph.subjects(SKOS.inScheme, AREA_SCHEME)):
            assert isinstance(concept, URIRef)
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in sorted(graph.objects(concept, prop)):
                    scheme.labels.setdefault(_norm(str(label)), concept)
                    stems = heading_words(str(label))
                    if stems:
                        scheme.words.append((stems, concept))
            pref = graph.value(concept, SKOS.prefLabel)
            if pref is not None:
                scheme.pref[concept] = str(pref)
        return scheme

    def match(self, heading: str) -> AreaMatch:
        """The concept a heading maps to, and how.

        Ties in a close match go to the concept whose IRI sorts first, so the answer does
        not depend on the order of the scheme's file.
        """
        found = self.labels.get(_norm(heading))
        if found is not None:
            return AreaMatch(found, "exact")
        stems = heading_words(heading)
        best: tuple[float, str] | None = None
        for label_stems, concept in self.words:
            score = len(stems & label_stems) / len(stems | label_stems) if stems else 0.0
            if score >= CLOSE and (best is None or (-score, str(concept)) < (-best[0], best[1])):
                best = (score, str(concept))
        if best is not None:
            return AreaMatch(URIRef(best[1]), "close", round(best[0], 3))
        return AreaMatch(ID["area/" + slug(heading)], "new", 0.0)

    def concept(self, heading: str) -> tuple[URIRef, bool]:
        """The concept for a heading, and whether the canonical scheme knew it."""
        found = self.match(heading)
        return found.concept, found.match != "new"
