"""The canonical scheme of co-operation areas (ontology/areas.ttl), and how an area heading
as a document publishes it maps to one of its concepts, by meaning and not only by words.

The rules, in order (their word lists are data: `data/areas/mapping.yaml`):

1. a reviewed answer of the mapping file (a heading as printed -> a concept) wins;
2. `exact`: ignoring case, punctuation and the spelling of "co-operation", the heading is a
   label (preferred, alternative or hidden) of a concept, or is one once the words that
   open it and say how rather than what are set aside ("Deepening co-operation in
   innovation and technology");
3. `close` by words: the concept one of whose labels shares the most words with it
   (Jaccard similarity of five-letter stems, function words left out), if that share is at
   least `CLOSE`: "Economic, trade, and the Belt and Road Initiative" is close to "The Belt
   and Road Initiative, Economic, Trade and Investment Co-operation";
4. `close` by meaning: at least a third of its remaining words (places named in a
   sentence-case heading aside) are cues of one concept, the one named first winning a tie
   ("Promoting early achievement of liberalisation of trade in services");
5. `new`: a heading close to nothing becomes a concept of its own, minted from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, URIRef

from kg.errors import InputError
from kg.identity import slug
from kg.namespace import ID, SKOS

__all__ = ["AREA_SCHEME", "CLOSE", "AreaMatch", "AreaScheme", "heading_words", "load_area_mapping"]

AREA_SCHEME = ID["scheme/areas"]
CLOSE = 0.5  # the least share of words for a close match
_STEM = 5  # letters kept of each word: "economic"/"economy", "culture"/"cultural" agree
# ... but a word that starts with one of these keeps more: "transition" is no "transport",
# "international" no "internship" ("transportation" is "transport" still).
_LONG_STEMS = ("trans", "inter")
_LONG_STEM = 8
# fmt: off
_FUNCTION_WORDS = frozenset((
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "between", "both", "two",
    "sides", "places", "cooperation", "co", "operation",
))
# fmt: on


def _norm(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", label.lower().replace("co-operation", "cooperation")).strip()


def _stem(word: str) -> str:
    return word[: _LONG_STEM if word.startswith(_LONG_STEMS) else _STEM]


def heading_words(label: str) -> frozenset[str]:
    """The stems that a heading's meaning rests on.

    >>> sorted(heading_words("Economic, trade, and the Belt and Road Initiative"))
    ['belt', 'econo', 'initi', 'road', 'trade']
    """
    words = _norm(label).split()
    return frozenset(_stem(w) for w in words if w not in _FUNCTION_WORDS)


def _stems(words: Any) -> frozenset[str]:
    return frozenset(_stem(_norm(str(w))) for w in words or () if _norm(str(w)))


def load_area_mapping(path: str | Path) -> dict[str, Any]:
    """The mapping file (`data/areas/mapping.yaml`): lead and generic words, cues per
    concept and reviewed answers. A missing file is an empty mapping."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(str(path), f"not a readable YAML mapping: {exc}".splitlines()[0],
                         line=None if line is None else line + 1) from None  # fmt: skip
    if not isinstance(data, dict):
        raise InputError(
            str(path), "expected a mapping of lead_words, generic_words, cues, headings"
        )
    return data


def _content_words(heading: str, stems: frozenset[str]) -> list[str]:
    """The stems of `stems` in the heading's order, without the names of places that a
    sentence-case heading capitalises ("... for Hong Kong residents living in Jiangxi")."""
    words = re.findall(r"[\w&-]+", heading.replace("co-operation", "cooperation"))
    title_case = all(w[:1].isupper() for w in words if w.lower() not in _FUNCTION_WORDS)
    out: list[str] = []
    for i, word in enumerate(words):
        stem = _stem(_norm(word))
        if stem not in stems or stem in out:
            continue
        if not title_case and i > 0 and word[:1].isupper():
            continue  # a proper name inside a sentence-case heading
        out.append(stem)
    return out


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
    reviewed: dict[str, URIRef] = field(default_factory=dict)  # normalised heading -> concept
    lead: frozenset[str] = frozenset()  # whole words, lower case
    generic: frozenset[str] = frozenset()  # stems
    cues: list[tuple[frozenset[str], URIRef]] = field(default_factory=list)  # a cue's stems

    @classmethod
    def from_graph(
        cls, graph: Graph, mapping: Mapping[str, Any] | None = None, source: str | None = None
    ) -> AreaScheme:
        """The scheme's concepts from `graph`, and the rules of `mapping` (see
        `load_area_mapping`, read from the file `source`); a cue or reviewed answer naming no
        concept is an error."""
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
        if mapping:
            scheme._add_mapping(mapping, source)
        return scheme

    def _add_mapping(self, mapping: Mapping[str, Any], source: str | None) -> None:
        def concept(name: object) -> URIRef:
            iri = ID["area/" + str(name)]
            if iri not in self.pref:
                raise InputError(source, f"no area concept called {name!r} in ontology/areas.ttl")
            return iri

        self.lead = frozenset(_norm(str(w)) for w in mapping.get("lead_words") or ())
        self.generic = _stems(mapping.get("generic_words"))
        for name, cues in sorted((mapping.get("cues") or {}).items()):
            iri = concept(name)
            self.cues.extend((_stems(str(cue).split()), iri) for cue in cues or ())
        for heading, name in sorted((mapping.get("headings") or {}).items()):
            self.reviewed[_norm(str(heading))] = concept(name)

    def _core(self, heading: str) -> str:
        """The heading without the words that open it and say how the sides co-operate:
        "Deepening co-operation in innovation and technology" -> "innovation and technology".
        """
        words = _norm(heading).split()
        while words and (
            words[0] in self.lead
            or words[0] in _FUNCTION_WORDS
            or (_stem(words[0]) in self.generic and len(words) > 1 and words[1] in _FUNCTION_WORDS)
        ):
            words.pop(0)
        return " ".join(words)

    def match(self, heading: str) -> AreaMatch:
        """The concept a heading maps to, and how.

        Ties in a close match go to the concept whose IRI sorts first, so the answer does
        not depend on the order of the scheme's file.
        """
        norm = _norm(heading)
        if norm in self.reviewed:
            return AreaMatch(self.reviewed[norm], "exact")
        core = self._core(heading)
        for text in (norm, core):
            found = self.labels.get(text)
            if found is not None:
                return AreaMatch(found, "exact")
        stems = heading_words(core or norm) - self.generic - {_stem(w) for w in self.lead}
        best: tuple[float, str] | None = None
        for label_stems, concept in self.words:
            score = len(stems & label_stems) / len(stems | label_stems) if stems else 0.0
            if score >= CLOSE and (best is None or (-score, str(concept)) < (-best[0], best[1])):
                best = (score, str(concept))
        if best is None and stems:
            best = self._by_meaning(_content_words(heading, stems))
        if best is not None:
            return AreaMatch(URIRef(best[1]), "close", round(best[0], 3))
        return AreaMatch(ID["area/" + slug(heading)], "new", 0.0)

    def _by_meaning(self, stems: list[str]) -> tuple[float, str] | None:
        """The concept whose cues cover the most of `stems` (in the heading's order), if at
        least a third of them: a heading that joins areas ("Education, Youth and Talent")
        is close to the one it names first."""
        have = frozenset(stems)
        covered: dict[URIRef, set[str]] = {}
        for cue, concept in self.cues:
            if cue and cue <= have:
                covered.setdefault(concept, set()).update(cue)
        if not covered:
            return None
        first = {c: min(stems.index(s) for s in words) for c, words in covered.items()}
        concept = min(covered, key=lambda c: (-len(covered[c]), first[c], str(c)))
        if len(covered[concept]) * 3 < len(have):
            return None
        return len(covered[concept]) / len(have), str(concept)

    def concept(self, heading: str) -> tuple[URIRef, bool]:
        """The concept for a heading, and whether the canonical scheme knew it."""
        found = self.match(heading)
        return found.concept, found.match != "new"
