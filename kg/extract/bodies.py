"""Bodies a text names: registry names, names the registry lacks (found by their shape),
and (through `groups`) governments and generic groups."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from kg.extract.groups import GroupFinder
from kg.extract.mention import Mention, SpanIndex, clean, within
from kg.extract.segment import Block
from kg.extract.shapes import ShapeReader
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Organization, Span
from kg.registry import Body, Registry, name_key

_MAX_TRAILING = 3  # words of a person's name after a body's name
# "Suzhou Industrial Park (蘇州工業園區)": the body's Chinese name, in brackets after it.
# An abbreviation's possessive before a name ("HKTDC's Design Gallery"); not "People's",
# "Women's" or "Children's", which are words of names.
_OWNER = re.compile(r"[A-Z][A-Z&.-]+['’]s\s+(?=[A-Z])")
# ... and a place's ("Hong Kong's Constitutional and Mainland Affairs Bureau"), when the
# owner is a place the registry or the document's mechanism knows.
_PLACE_OWNER = re.compile(r"(?P<place>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})['’]s\s+(?=[A-Z])")
# A photo's credit before the name of whoever took it: "[Photo/Changzhou Daily]".
_CREDIT = re.compile(r"(?:Photo|Photos|Image|Images|Picture)/(?=[A-Z])")
_SERIES_REACH = 80  # characters before a name searched for its level and listed subjects
_CHINESE_NAME = re.compile(r"\s*[(（](?P<zh>[\u3400-\u9fff\uf900-\ufaff·・]{2,40})[)）]")
# '"Hubei Products Going Global" campaign': a quoted name of a programme.
_QUOTED_NAME = r"[\"“](?P<name>[A-Z][^\"“”\n]{{2,80}}?)[\"”]\s+(?P<noun>{nouns})(?![\w-])"


class BodyFinder:
    """Finds body mentions; built once per document (it learns the document's
    abbreviations, e.g. "Nanning Logistics Council (NLC)")."""

    def __init__(self, registry: Registry, vocab: Vocabulary, sides: list[str]) -> None:
        self.registry = registry
        self.vocab = vocab
        self.sides = frozenset(sides)
        self.groups = GroupFinder(registry, vocab, sides)
        self.shapes = ShapeReader(registry, vocab)
        self.learned = self.shapes.learned  # abbreviation -> a mention of its body
        nouns = alternation(vocab.words("programme_nouns"), boundary=False)
        self.quoted = re.compile(_QUOTED_NAME.format(nouns=nouns), re.IGNORECASE)
        self._learned: tuple[int, re.Pattern[str]] = (0, re.compile(r"(?!x)x"))
        levels = alternation(vocab.words("series_leads"), boundary=False)
        word = r"[A-Z][\w'’-]*"
        self.series_lead = re.compile(
            rf"(?<![\w'’-]){word}(?:\s+{word}){{0,2}}\s+{levels}\s+{word}(?:,\s+{word})*,\s+"
        )
        units = alternation(vocab.words("sub_unit_heads"), boundary=False)
        self.sub_unit = re.compile(
            rf",\s+(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,2}})\s+{units}(?![\w-])"
        )

    # -- one piece of text -------------------------------------------------------------
    def find(self, text: str, base: int = 0) -> list[Mention]:
        # Not a name that ends a compound of places: "Xizang-Hong Kong Exchanges and
        # Cooperation" names no "Hong Kong Exchanges".
        registered = [
            self._known(text, base, s, e, body)
            for s, e, body in self.registry.find_bodies(text)
            if not (s >= 2 and text[s - 1] == "-" and text[s - 2].isalpha())
        ]
        known = {(m.span.start - base, m.span.end - base) for m in registered}
        index = SpanIndex((m.span, m) for m in registered)
        for shape in self.shapes.find(text, base, known) + self._quoted(text, base):
            inside = index.overlapping(shape.span)
            if not inside:
                index.add(shape.span, shape)
            elif all(within(m.span, shape.span) and m.span != shape.span for m in inside):
                # A longer name built on a known one: "X Government Liaison Office".
                if shape.parent is None and inside[0].span.start == shape.span.start:
                    shape.parent = inside[0].label
                for m in inside:
                    index.remove(m)
                index.add(shape.span, shape)
        governments = [m for m in self.groups.governments(text, base) if index.free(m.span)]
        for m in governments:
            index.add(m.span, m)
        found = [self._unit_of(text, base, self._whole(text, base, m)) for m in index.items()]
        found += self.groups.groups(text, base, index)
        for m in found:
            zh = _CHINESE_NAME.match(text, m.span.end - base)
            if zh and m.chinese_name is None:
                m.chinese_name = zh.group("zh")
        return sorted(found, key=lambda m: m.span.start)

    def find_learned(self, text: str, base: int, taken: SpanIndex[Mention]) -> list[Mention]:
        """Later uses of abbreviations the document defined for bodies the registry lacks."""
        if not self.learned:
            return []
        out = []
        for m in self._learned_re().finditer(text):
            span = Span(base + m.start(), base + m.end(), m.group(0))
            proto = self.learned[m.group(0)]
            mention = Mention(
                span,
                proto.label,
                proto.kind,
                proto.jurisdiction,
                False,
                alias=m.group(0),
                parent=proto.parent,
            )
            if taken.free(mention.span):
                out.append(mention)
        return out

    def _learned_re(self) -> re.Pattern[str]:
        # Built again only when the document has defined more: not once per paragraph.
        if self._learned[0] != len(self.learned):
            alts = "|".join(re.escape(a) for a in sorted(self.learned, key=len, reverse=True))
            self._learned = (len(self.learned), re.compile(rf"(?<![\w])(?:{alts})(?![\w])"))
        return self._learned[1]

    def _whole(self, text: str, base: int, m: Mention) -> Mention:
        """A name found by its shape, with its start put right: the owner of a possessive
        left out ("HKTDC's Design Gallery"), and the place and level of a name whose
        subjects come before its head taken in ("Wenzhou Municipal Culture, Radio,
        Television and Tourism Bureau")."""
        if m.known:
            return m
        s, e = m.span.start - base, m.span.end - base
        owner = (
            _OWNER.match(text, s, e) or _CREDIT.match(text, s, e) or self._place_owner(text, s, e)
        )
        if owner is not None:
            s = owner.end()
        else:
            lead = self.series_lead.search(text, max(0, s - _SERIES_REACH), s)
            if lead is None or lead.end() != s:
                return m
            s = lead.start()
        label = clean(text[s:e])
        span = Span(base + s, base + e, text[s:e])
        where = m.jurisdiction or self.shapes.jurisdiction(label)
        return Mention(span, label, m.kind, where, False, alias=label, parent=m.parent)

    def _place_owner(self, text: str, s: int, e: int) -> re.Match[str] | None:
        m = _PLACE_OWNER.match(text, s, e)
        if m is None:
            return None
        place = m.group("place")
        if place in self.sides or any(
            a == 0 and b == len(place) for a, b, _ in self.registry.find_jurisdictions(place)
        ):
            return m
        return None

    def _unit_of(self, text: str, base: int, m: Mention) -> Mention:
        """The unit named after a body and a comma, by its place ("China Council for the
        Promotion of International Trade, Weinan Sub-council"), else the body."""
        sub = self.sub_unit.match(text, m.span.end - base)
        if sub is None:
            return m
        s, e = m.span.start - base, sub.end()
        label = clean(text[s:e])
        where = self.shapes.jurisdiction(sub.group("place")) or m.jurisdiction
        span = Span(base + s, base + e, text[s:e])
        return Mention(span, label, m.kind, where, False, alias=label, parent=m.label)

    def _known(self, text: str, base: int, s: int, e: int, body: Body) -> Mention:
        span = Span(base + s, base + e, text[s:e])
        return Mention(
            span,
            body.name,
            body.kind,
            body.jurisdiction,
            body.reviewed,
            alias=clean(text[s:e]),
            parent=body.parent,
            chinese_name=body.chinese_name,
        )

    def _quoted(self, text: str, base: int) -> list[Mention]:
        """Programmes named in quotes before a noun that says so ('the "Hubei Products Going
        Global" campaign'): a title-case name of two to eight words."""
        out = []
        for m in self.quoted.finditer(text):
            raw = m.group("name").rstrip(",.; ")
            name = clean(raw)
            words = name.split()
            capitalised = sum(w[:1].isupper() for w in words)
            if not 2 <= len(words) <= 8 or capitalised < 0.6 * len(words):
                continue
            span = Span(base + m.start("name"), base + m.start("name") + len(raw), raw)
            jurisdiction = self.shapes.jurisdiction(name)
            out.append(Mention(span, name, "programme", jurisdiction, False, alias=name))
        return out


def find_mentions(text: str, blocks: list[Block], finder: BodyFinder) -> list[Mention]:
    """Every body mention in the document's paragraphs (chrome excluded)."""
    per_block = [finder.find(b.text, b.span.start) for b in blocks if not b.chrome]
    mentions = [m for ms in per_block for m in ms]
    taken = SpanIndex((m.span, m) for m in mentions)
    for block in (b for b in blocks if not b.chrome):
        learned = finder.find_learned(block.text, block.span.start, taken)
        for m in learned:
            taken.add(m.span, m)
        mentions += learned
    _trailing_names(mentions, finder)
    _learned_names(mentions, finder)
    _of_its_owner(mentions, finder)
    _short_forms(mentions, finder)
    return sorted(mentions, key=lambda m: m.span.start)


def _of_its_owner(mentions: list[Mention], finder: BodyFinder) -> None:
    """A registry body named with the body or place it belongs to after "of" ("Leisure
    and Cultural Services Department of the HKSAR Government", "Constitutional and
    Mainland Affairs Bureau of the HKSAR Government") is that body, not a new one."""
    registry = finder.registry
    for m in mentions:
        if m.known or " of " not in m.label:
            continue
        for cut in re.finditer(r" of (?:the )?", m.label):
            body = _whole(registry.find_bodies(m.label[: cut.start()]), cut.start())
            owner_text = m.label[cut.end() :]
            if body is None or not _owns(registry, body, owner_text):
                continue
            m.label, m.kind, m.jurisdiction = body.name, body.kind, body.jurisdiction
            m.known, m.parent, m.chinese_name = body.reviewed, body.parent, body.chinese_name
            break


def _whole(found: list[tuple[int, int, Any]], length: int) -> Any:
    """The one thing `found` (start, end, thing) spans from 0 to `length`, else None."""
    return next((x for s, e, x in found if s == 0 and e == length), None)


def _owns(registry: Registry, body: Body, text: str) -> bool:
    """Whether `text` names `body`'s parent or an ancestor, or its jurisdiction or that
    jurisdiction's government."""
    owner = _whole(registry.find_bodies(text), len(text))
    if owner is not None:
        ancestors = registry.ancestors(body.name)
        government = owner.kind == "government" and owner.jurisdiction == body.jurisdiction
        return owner.name in ancestors or government
    place = _whole(registry.find_jurisdictions(text), len(text))
    return place is not None and place.name == body.jurisdiction


def _trailing_names(mentions: list[Mention], finder: BodyFinder) -> None:
    """A name the document also uses without the capitalised words that end it here is that
    name, followed by a person's ("Director of the Hong Kong Economic and Trade Office in
    Wuhan Vincent Fung", where the document also names the "... Office in Wuhan")."""
    labels = {m.label: m for m in mentions}
    rank = {label: n for n, label in enumerate(labels)}
    for m in mentions:
        if m.known:
            continue
        # The labels `m.label` starts with (up to a space), in the dict's order: looked up,
        # not compared with every label of the document.
        first = _last_words_start(m.label, _MAX_TRAILING)
        cut = (m.label[:i] for i in range(first, len(m.label)) if m.label[i] == " ")
        for label in sorted((c for c in cut if c in labels), key=rank.__getitem__):
            other = labels[label]
            rest = m.label[len(label) :].split()
            if not 1 <= len(rest) <= _MAX_TRAILING or not all(w[:1].isupper() for w in rest):
                continue
            if any(finder.shapes.head_at([(w, 0, 0)], 0) for w in rest):
                continue
            words = list(re.finditer(r"\S+", m.span.text))[: len(label.split())]
            end = m.span.start + words[-1].end()
            m.span = Span(m.span.start, end, m.span.text[: words[-1].end()])
            m.label = m.alias = label
            m.kind, m.jurisdiction, m.known = other.kind, other.jurisdiction, other.known
            m.parent, m.chinese_name = other.parent, other.chinese_name
            break


def _last_words_start(label: str, n: int) -> int:
    """The first offset from which `label` holds at most `n` words."""
    i, count = len(label), 0
    while True:
        while i > 0 and label[i - 1].isspace():
            i -= 1
        if i == 0 or count == n:
            return i
        while i > 0 and not label[i - 1].isspace():
            i -= 1
        count += 1


def _learned_names(mentions: list[Mention], finder: BodyFinder) -> None:
    """A name read by its shape that is a short form the document defined for another
    name ("the Qianhai Authority" after "Authority of Qianhai ... (Qianhai Authority)")."""
    for m in mentions:
        proto = finder.learned.get(m.label)
        if m.known or proto is None or proto.label == m.label:
            continue
        m.alias = m.label
        m.label, m.kind, m.jurisdiction = proto.label, proto.kind, proto.jurisdiction
        m.known, m.parent = proto.known, proto.parent


def _short_forms(mentions: list[Mention], finder: BodyFinder) -> None:
    """A name the registry lacks that is the last words of exactly one other name of the
    document, and names no place, refers to it ("the Co-operation Zone" after "the
    Guangdong-Macao In-Depth Co-operation Zone in Hengqin"); so does one that is another
    name without its "of ..." tail ("the Shenzhen Park")."""
    labels = {name_key(m.label): m for m in mentions}
    # Sorted keys and sorted reversed keys find the names that start or end with a name by
    # bisection: comparing every name with every other is quadratic in a long list.
    starts = sorted((k, k) for k in labels)
    ends = sorted((f" {k}"[::-1], k) for k in labels)
    ends += [(f" {k.rpartition(' in ')[0]}"[::-1], k) for k in labels if " in " in k]
    ends.sort()
    seen: dict[tuple[str, bool], list[str]] = {}
    for m in mentions:
        if m.known or len(m.label.split()) < 2:
            continue
        key = name_key(m.label)
        named = bool(finder.registry.find_jurisdictions(m.label))
        if (key, named) not in seen:
            # "the Shenzhen Park" after "the Shenzhen Park of the ... Zone": the same name
            # with its "of" tail (the only way a name that names a place refers back).
            found = _with_prefix(starts, f"{key} of ")
            if not named:
                tail = _with_prefix(ends, f" {key}"[::-1])
                found += [k for k in dict.fromkeys(tail) if k != key and _ends_with(k, key)]
            seen[(key, named)] = found
        longer = seen[(key, named)]
        if len(longer) == 1:
            full = labels[longer[0]]
            m.label, m.kind, m.jurisdiction = full.label, full.kind, full.jurisdiction
            m.known, m.parent, m.chinese_name = full.known, full.parent, full.chinese_name


def _with_prefix(ordered: list[tuple[str, str]], prefix: str) -> list[str]:
    """The values of the sorted (string, value) list `ordered` whose string starts with
    `prefix`."""
    out = []
    for i in range(bisect_left(ordered, (prefix,)), len(ordered)):
        if not ordered[i][0].startswith(prefix):
            break
        out.append(ordered[i][1])
    return out


def _ends_with(longer: str, short: str) -> bool:
    """Whether a name ends with the words of `short`, or does before "in <place>" ("...
    Co-operation Zone in Hengqin"); not when they are the body after "of" ("Executive
    Committee of the ... Co-operation Zone" is another body)."""
    for name in (longer, longer.rpartition(" in ")[0]):
        name = f" {name}"
        if name.endswith(f" {short}"):
            before = name[: -len(short) - 1]
            return not re.search(r" (?:of|for)(?: the)?$", before) and " of " not in before
    return False


def to_organizations(mentions: list[Mention]) -> list[Organization]:
    """One record per body, in order of first mention, with the names the text used."""
    orgs: dict[str, Organization] = {}
    for m in mentions:
        org = orgs.get(name_key(m.label))
        if org is None:
            org = Organization(
                m.label,
                m.kind,
                m.jurisdiction,
                m.known,
                parent=m.parent,
                chinese_name=m.chinese_name,
            )
            orgs[name_key(m.label)] = org
        if m.alias and m.alias != org.label and m.alias not in org.aliases:
            org.aliases.append(m.alias)
        org.mentions.append(m.span)
    return list(orgs.values())
