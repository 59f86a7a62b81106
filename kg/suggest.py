"""Registry suggestions: the places and bodies the registry lacks, as a reviewable YAML patch.

The extractor reads a side of a mechanism that the registry lacks from the text (its name,
level, government) and finds other bodies by the shape of their names; `kg.identity`
resolves the spellings of several documents to one of each. The patch maps each registry
file to its new entries: `jurisdictions.yaml` (name, aliases, level, government) and
`bodies.yaml` (name, aliases seen, kind and jurisdiction guessed, parent when the name says
it), each entry with `seen`: every place a document shows it, with the document id, the
mention's and its sentence's offsets and the sentence itself, so that a reviewer can check
it without opening the documents. The patch is deterministic: the same documents give the
same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.build import extract_all
from kg.extract.segment import segment as segment_text
from kg.extract.segment import sentences
from kg.extract.vocab import load_vocabulary
from kg.identity import BodyIdentity, resolve_identities
from kg.model import Extraction, Span
from kg.output import atomic_write_text
from kg.registry import Registry, name_key

__all__ = [
    "PlaceSuggestion",
    "RegistryPatch",
    "Sighting",
    "Suggestion",
    "render_suggestions",
    "suggest_bodies",
    "suggest_places",
    "suggest_registry",
    "write_suggestions",
]

HEADER = """\
# Registry suggestions (kg registry suggest), under the name of the file each entry goes to.
# jurisdictions.yaml: sides of a mechanism that the registry lacks, read from the documents
# (the mechanism's name, posts such as "Governor of X Province", the meeting place); the
# level from that evidence, the government named as the genre names it at that level.
# bodies.yaml: bodies that the documents name and the registry lacks, found by the shape of
# their names (and the governments minted for new places), resolved across documents. The
# kind is guessed from the head noun of the name; the jurisdiction from a place in the name,
# else as the side of the meeting that is not the publisher's.
# Review each entry; to accept one, move it to that file without its `seen` list, correcting
# the name, aliases, level, kind (one of kg.model.KINDS), jurisdiction and parent as needed
# (a body's jurisdiction and a place's government must name entries of the registry).
# `seen` gives each mention: the document id, the mention's offsets and text, and its
# sentence's offsets and text.
"""


@dataclass(frozen=True)
class Sighting:
    """One place where a document names the body."""

    document: str
    mention: Span
    sentence: Span


@dataclass(frozen=True)
class Suggestion:
    """A proposed registry entry and the evidence for it."""

    name: str
    kind: str
    jurisdiction: str | None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    seen: tuple[Sighting, ...] = ()

    def entry(self) -> dict[str, Any]:
        """As a bodies.yaml entry, plus `seen`."""
        out: dict[str, Any] = {"name": self.name, "aliases": list(self.aliases),
                               "kind": self.kind, "jurisdiction": self.jurisdiction}  # fmt: skip
        if self.parent:
            out["parent"] = self.parent
        out["seen"] = [_sighting(s) for s in self.seen]
        return out


def _sighting(s: Sighting) -> dict[str, Any]:
    return {
        "document": s.document,
        "mention": {"start": s.mention.start, "end": s.mention.end, "text": s.mention.text},
        "sentence": {"start": s.sentence.start, "end": s.sentence.end, "text": s.sentence.text},
    }


@dataclass(frozen=True)
class PlaceSuggestion:
    """A proposed jurisdictions.yaml entry and the evidence for it."""

    name: str
    level: str | None
    government: str | None
    aliases: tuple[str, ...] = ()
    seen: tuple[Sighting, ...] = ()

    def entry(self) -> dict[str, Any]:
        """As a jurisdictions.yaml entry, plus `seen`."""
        out: dict[str, Any] = {"name": self.name, "aliases": list(self.aliases),
                               "level": self.level, "government": self.government}  # fmt: skip
        out["seen"] = [_sighting(s) for s in self.seen]
        return out


@dataclass(frozen=True)
class RegistryPatch:
    """Everything to suggest: new places, then new bodies (those of new places included)."""

    jurisdictions: tuple[PlaceSuggestion, ...] = ()
    bodies: tuple[Suggestion, ...] = ()

    def __len__(self) -> int:
        return len(self.jurisdictions) + len(self.bodies)


def suggest_places(extractions: Sequence[Extraction], registry: Registry) -> list[PlaceSuggestion]:
    """One suggestion per side that the documents show and the registry lacks, sorted by
    name; `seen` is the evidence each document read it from."""
    ids = resolve_identities(extractions, registry)
    vocab = load_vocabulary()
    honorifics = frozenset(vocab.words("honorifics"))
    seen: dict[str, list[Sighting]] = {name: [] for name in ids.new_places}
    for ex in extractions:
        blocks = [b for b in segment_text(ex.source.text, vocab) if not b.chrome]
        for place in ex.new_jurisdictions:
            for span in place.evidence:
                sentence = _sentence(blocks, span, honorifics)
                seen[place.name].append(Sighting(ex.source.doc_id, span, sentence))
    return [
        PlaceSuggestion(
            name=name,
            level=place.level,
            government=place.government or None,
            aliases=tuple(place.aliases),
            seen=tuple(sorted(set(seen[name]), key=lambda s: (s.document, s.mention))),
        )
        for name, place in sorted(ids.new_places.items())
    ]


def suggest_bodies(extractions: Sequence[Extraction], registry: Registry) -> list[Suggestion]:
    """One suggestion per body that the documents name and the registry lacks.

    Spellings that the registry's matching would take as one (case, spacing, a leading
    "the") are one alias; "Centre" and "Center" are two. A body minted for a new place
    (its government, its party committee) has the other names the genre gives it as
    aliases too, so that the registry, once patched, finds it where the extractor did.
    Groups of a new place ("Xanadu enterprises") are left out: accepting the place makes
    them known. Sorted by name.
    """
    ids = resolve_identities(extractions, registry)
    minted = {
        name: aliases
        for place in ids.new_places.values()
        for name, aliases in (
            (place.government, place.government_aliases),
            (place.party_committee, place.party_committee_aliases),
        )
    }
    vocab = load_vocabulary()
    honorifics = frozenset(vocab.words("honorifics"))
    found: dict[str, tuple[BodyIdentity, set[str], list[Sighting]]] = {}
    for ex in extractions:
        blocks = None
        for org in ex.organizations:
            ident = ids.body(org.label)
            if ident is None or ident.known or ident.kind == "generic_group":
                continue
            _, spellings, seen = found.setdefault(ident.key, (ident, set(), []))
            spellings.update([org.label, *org.aliases])
            if blocks is None:
                blocks = [b for b in segment_text(ex.source.text, vocab) if not b.chrome]
            for mention in org.mentions:
                sentence = _sentence(blocks, mention, honorifics)
                seen.append(Sighting(ex.source.doc_id, mention, sentence))
    sides = {ex.source.doc_id: _other_side(ex, registry) for ex in extractions}
    suggestions = []
    for ident, spellings, seen in found.values():
        jurisdiction = ident.jurisdiction
        if jurisdiction is None:
            guesses = {sides[s.document] for s in seen}
            jurisdiction = guesses.pop() if len(guesses) == 1 else None
        suggestions.append(
            Suggestion(
                name=ident.label,
                kind=ident.kind,
                jurisdiction=jurisdiction,
                aliases=_aliases(ident.label, _spellings(ident.label, spellings, minted)),
                parent=ident.parent,
                seen=tuple(sorted(set(seen), key=lambda s: (s.document, s.mention))),
            )
        )
    return sorted(suggestions, key=lambda s: (s.name.casefold(), s.name))


def _spellings(label: str, seen: set[str], minted: dict[str, list[str]]) -> set[str]:
    """The spellings to suggest as aliases: for a body minted for a new place, the genre's
    names for it and the names of several words seen (an abbreviation after its name, such
    as "(CPC)", may be the party's, not the committee's)."""
    if label not in minted:
        return seen
    return {s for s in seen if " " in s} | set(minted[label])


def _other_side(ex: Extraction, registry: Registry) -> str | None:
    """The side of a document's meeting that is not its publisher's: where a body that the
    publisher's own registry lacks most likely belongs (a guess for a reviewer)."""
    publisher = registry.body(ex.source.publisher) if ex.source.publisher else None
    home = publisher.jurisdiction if publisher is not None else None
    others = [side for side in ex.jurisdictions if side != home]
    return others[0] if home in ex.jurisdictions and len(others) == 1 else None


def _aliases(name: str, spellings: set[str]) -> tuple[str, ...]:
    chosen: dict[str, str] = {name_key(name): name}
    for spelling in sorted(spellings, key=lambda s: (len(s), s)):
        chosen.setdefault(name_key(spelling), spelling)
    return tuple(sorted(set(chosen.values()) - {name}))


def _sentence(blocks: list[Any], mention: Span, honorifics: frozenset[str]) -> Span:
    """The sentence of the paragraph that holds `mention` (the mention itself if none)."""
    for block in blocks:
        if block.span.start <= mention.start and mention.end <= block.span.end:
            for sentence in sentences(block, honorifics):
                if sentence.start <= mention.start and mention.end <= sentence.end:
                    return sentence
            return block.span
    return mention


def suggest_registry(data_dir: str | Path = "data") -> RegistryPatch:
    """The suggestions for every document of `data_dir/sources` (nothing is built)."""
    extractions, registry = extract_all(data_dir)
    return RegistryPatch(
        tuple(suggest_places(extractions, registry)), tuple(suggest_bodies(extractions, registry))
    )


def render_suggestions(suggestions: RegistryPatch) -> str:
    """The YAML patch: a header comment, then each registry file's list of new entries
    (`[]` when none)."""
    entries = {
        "jurisdictions.yaml": [s.entry() for s in suggestions.jurisdictions],
        "bodies.yaml": [s.entry() for s in suggestions.bodies],
    }
    body = yaml.safe_dump(
        entries, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False
    )
    return HEADER + body


def write_suggestions(suggestions: RegistryPatch, path: str | Path) -> Path:
    """Write the YAML patch atomically."""
    return atomic_write_text(path, render_suggestions(suggestions))
