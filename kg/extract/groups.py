"""Bodies named by pattern rather than by name: "the governments of X and Y" and
jurisdiction-qualified generic groups ("Hong Kong chambers of commerce", "law associations
in Hong Kong and Chongqing", "vocational schools ... in the two places")."""

from __future__ import annotations

import re

from kg.extract.mention import Mention, SpanIndex
from kg.extract.vocab import Vocabulary
from kg.model import Span
from kg.registry import Registry

# "\bgovernments of", the boundary looked back at after the g: a pattern that starts with
# a letter lets the engine skip to the next g at C speed.
_GOVS = re.compile(r"g(?<!\wg)overnments\s+of\s+(?:the\s+)?", re.IGNORECASE)
_GOV_SEP = re.compile(r"(?:\s*\([A-Z]{2,}\))?(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")
_COORDINATED = re.compile(r"\s*(?:,|and|,\s*and)\s*")


class GroupFinder:
    """Built once per document: "the two places" means that document's sides."""

    def __init__(self, registry: Registry, vocab: Vocabulary, sides: list[str]) -> None:
        self.registry = registry
        self.sides = sides
        self.places = re.compile(registry.jurisdiction_pattern())
        qual = rf"(?:{registry.jurisdiction_pattern()})"
        places = rf"{qual}(?:\s*,\s*{qual})*(?:,?\s+and\s+{qual})?"
        # "Hong Kong and Chongqing universities"
        self.pre = re.compile(rf"(?P<q>{places})(?:['’]s)?\s+$")
        # "vocational schools, industries and enterprises in the two places"
        self.post = re.compile(
            r"(?:(?:,\s*(?:and\s+)?|\s+and\s+)[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})*"
            rf"\s+(?:in|of|from)\s+(?:the\s+)?(?P<q>{places}|{vocab.sides})(?![\w])"
        )
        self.sides_re = re.compile(vocab.sides)

    # -- "the governments of X and Y" -----------------------------------------------------
    def governments(self, text: str, base: int) -> list[Mention]:
        out = []
        for m in _GOVS.finditer(text):
            pos = m.end()
            while (place := self.places.match(text, pos)) is not None:
                gov = self.registry.government_of(place.group())
                if gov is not None:
                    span = Span(base + place.start(), base + place.end(), place.group())
                    out.append(
                        Mention(
                            span,
                            gov.name,
                            gov.kind,
                            gov.jurisdiction,
                            gov.reviewed,
                            parent=gov.parent,
                            chinese_name=gov.chinese_name,
                        )
                    )
                sep = _GOV_SEP.match(text, place.end())
                if sep is None:
                    break
                pos = sep.end()
        return out

    # -- generic groups: "Hong Kong chambers of commerce", "X in the two places" ----------
    def groups(self, text: str, base: int, taken: SpanIndex[Mention]) -> list[Mention]:
        out: list[Mention] = []
        prev_end, prev_places = -1, []
        for s, e, group in self.registry.find_groups(text):
            span = Span(base + s, base + e, text[s:e])
            if not taken.free(span):
                continue
            places = self._qualifier(self.pre.search(text[max(0, s - 160) : s]))
            if not places:
                places = self._qualifier(self.post.match(text, e))
            if not places and prev_end >= 0 and _COORDINATED.fullmatch(text[prev_end:s]):
                places = prev_places  # "Hong Kong universities and research institutions"
            prev_end, prev_places = e, places
            for place in places or [None]:
                label = f"{place} {group.name}" if place else group.name
                out.append(Mention(span, label, "generic_group", place, self._reviewed(place)))
        return out

    def _reviewed(self, place: str | None) -> bool:
        """A group of a place read from the text is as unreviewed as the place."""
        known = self.registry.resolve_jurisdiction(place) if place else None
        return known is None or known.reviewed

    def _qualifier(self, m: re.Match[str] | None) -> list[str]:
        if m is None:
            return []
        q = m.group("q")
        if self.sides_re.fullmatch(q):
            return list(self.sides)
        names = [p.name for _, _, p in self.registry.find_jurisdictions(q)]
        return list(dict.fromkeys(names))
