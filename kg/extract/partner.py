"""A side of the meeting that the registry lacks: its name, its level and its bodies.

A release of a new mechanism ("Hong Kong/Xanadu Co-operation Conference") names a partner
that `data/registry/` has never heard of. The name comes from the mechanism's name, else
from the words before a level word or after a post ("Xanadu Province", "Governor of
Xanadu"), else from "between Hong Kong and Xanadu", else from the meeting place; the
level from the evidence ("Provincial", "Governor" -> province; "Municipal", "Mayor" ->
municipality; "Autonomous Region", "Chairman" -> autonomous_region); the names of its
government and party committee from the genre's naming at that level. All of it is data
(`jurisdiction_levels`, `post_levels` in patterns.yaml); `Registry.with_found` then lets
the rest of the extractor read the new place and its bodies like known ones, unreviewed.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass

from kg.alternation import alternation_tree
from kg.extract.event import TELLS_OF_MEETING, find_sides, mechanism_patterns, named_mechanisms
from kg.extract.mention import Mention
from kg.extract.scan import finditer_near
from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Event, NewJurisdiction, Person, Span
from kg.registry import Body, Jurisdiction, Registry

__all__ = ["find_partners", "implied_body", "placed_bodies", "registry_with"]

_W = r"[A-Z][\w'’]*"  # a capitalised word without a hyphen ("Hong", "Xanadu", "People's")
_SIDE = rf"{_W}(?:\s+{_W}){{0,2}}"
_END = r"(?![\w'’-]|\s+[A-Z(])"  # no further capitalised word: the name ends here


@dataclass(frozen=True)
class _Level:
    name: str | None
    after: tuple[str, ...]
    posts: tuple[str, ...]
    before: tuple[str, ...]  # words before the name ("Kingdom of", "Republic of")
    aliases: tuple[str, ...]
    government: tuple[str, ...]
    party_committee: tuple[str, ...]


@dataclass(frozen=True)
class _Hit:
    name: str
    level: str | None
    span: Span
    # Read after a post ("Mayor of Quillmoor Rao Pengfei in ..."): the words after the place
    # may be the holder's name, so the name is only as long as other evidence shows.
    post: bool = False


@functools.lru_cache(maxsize=4)
def _levels(vocab: Vocabulary) -> tuple[_Level, ...]:
    raw = dict(vocab.raw.get("jurisdiction_levels") or {})
    out = [
        _Level(
            name,
            tuple(spec.get("after") or ()),
            tuple(spec.get("posts") or ()),
            tuple(spec.get("before") or ()),
            tuple(spec.get("aliases") or ()),
            tuple(spec.get("government") or ()),
            tuple(spec.get("party_committee") or ()),
        )
        for name, spec in raw.items()
    ]
    unknown = dict(vocab.raw.get("unknown_level") or {})
    out.append(
        _Level(None, (), (), (), tuple(unknown.get("aliases") or ()),
               tuple(unknown.get("government") or ()), tuple(unknown.get("party_committee") or ()))
    )  # fmt: skip
    return tuple(out)


@functools.lru_cache(maxsize=4)
def _patterns(vocab: Vocabulary) -> dict[str, re.Pattern[str]]:
    # The mechanism's name as the meeting's reader finds it ("Hong Kong-Wuzhou Economic and
    # Trade Cooperation Conference").
    out = {"mechanism": mechanism_patterns(vocab)[0]}
    for level in _levels(vocab):
        if level.name is None:
            continue
        if level.after:
            after = alternation(list(level.after), boundary=False)
            # `(?<![\w'’-])` checked after the capital, not before: a pattern that starts
            # with a character class lets the engine skip to the next capital letter at C
            # speed. "Aba Tibetan and Qiang Autonomous Prefecture": two peoples may be named.
            side = rf"[A-Z](?<![\w'’-][A-Z])[\w'’]*(?:\s+(?:and\s+)?{_W}){{0,3}}"
            out["after:" + level.name] = re.compile(rf"(?P<place>{side})\s+{after}\b")
        if level.before:
            # "the Kingdom of Thailand", "the Republic of Uzbekistan".
            before = alternation(list(level.before))
            # Not an initial or an honorific after the name: "... Uzbekistan H.E. Mr. Alimov".
            hon = alternation(vocab.words("honorifics"))
            word = rf"(?![A-Z]\.|{hon}){_W}"
            out["before:" + level.name] = re.compile(
                rf"{before}\s+(?:the\s+)?(?P<place>{word}(?:\s+{word}){{0,2}})(?![\w'’-])"
            )
        if level.posts:
            posts = alternation(list(level.posts))
            out["post:" + level.name] = re.compile(
                rf"{posts}\s+of\s+(?:the\s+)?(?P<place>{_SIDE}){_END}"
            )
    return out


@functools.lru_cache(maxsize=4)
def _literals(vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    """For each pattern of `_patterns` but the mechanism's: words one of which every match
    holds as written (the last word of a level word or of a post)."""
    out = {}
    for level in _levels(vocab):
        if level.name is not None:
            out["after:" + level.name] = tuple(a.split()[-1] for a in level.after)
            out["post:" + level.name] = tuple(p.split()[-1] for p in level.posts)
            out["before:" + level.name] = tuple(b.split()[0] for b in level.before)
    return out


@functools.lru_cache(maxsize=4)
def _non_name_words(vocab: Vocabulary) -> frozenset[str]:
    """Words that may lead a run of capitals without being part of a place's name ("New"
    may: "New South Wales")."""
    words = vocab.stopwords | vocab.post_words | set(vocab.words("post_modifiers"))
    words |= {w for p in vocab.words("party_words") for w in p.split()}
    words |= {w for m in vocab.words("meeting_words") for w in m.split()}
    words |= set(vocab.words("mechanism_words"))
    return frozenset(words - set(vocab.words("place_first_words")))


def find_partners(
    blocks: list[Block], event: Event | None, vocab: Vocabulary, registry: Registry
) -> tuple[list[str], list[NewJurisdiction]]:
    """The two sides as named (registry names, else names read from the text) and, for the
    sides the registry lacks, what the text shows of them. `blocks`: the paragraphs."""
    named = _mechanism_sides(blocks, vocab, registry)
    sides = find_sides(blocks, vocab, registry)
    if named is None and len(sides) != 2 and event is not None and event.mechanism:
        # The mechanism of a banner in capitals, as the meeting's reader recased it.
        title = Block(Span(0, len(event.mechanism), event.mechanism), 1, 0)
        sides = find_sides([title], vocab, registry) or sides
    if named is None and len(sides) == 2:
        return sides, []  # the registry knows both sides
    hits = _hits(blocks, vocab, registry) or _country_hits(blocks, vocab, registry)
    if named is None:
        named = _between_sides(blocks, registry, vocab)
        # "direct flights between Hong Kong and Columbus" in a release of "the State of
        # Ohio": a place the level words show is the side, not the city of a route.
        shown = {h.name for h in hits if not h.post}
        if named is not None and shown and not any(n in shown for n, known, _ in named):
            named = None
    if named is None:
        known = [s for s in sides if s] or [_first_side(blocks, registry)]
        guess = _best_guess(hits, event, registry, vocab) or _met_side(
            blocks, hits, registry, vocab
        )
        if guess is None or known[0] is None:
            return sides, []
        named = [(known[0], True, None), guess]
    found = []
    for name, is_known, span in named:
        if not is_known:
            found.append(_as_written(_describe(name, span, hits, vocab), blocks))
    return [name for name, _, _ in named], found


def _as_written(place: NewJurisdiction, blocks: list[Block]) -> NewJurisdiction:
    """`place` with its government named as the text names it ("Queensland Government",
    not the first of its level's forms) when the text uses one of them."""
    names = [place.government, *place.government_aliases]
    written = next((n for n in names if n and any(n in b.text for b in blocks)), None)
    if written is None or written == place.government:
        return place
    rest = [n for n in names if n != written]
    return dataclasses.replace(place, government=written, government_aliases=rest)


def _first_side(blocks: list[Block], registry: Registry) -> str | None:
    for block in blocks:
        for _, _, place in registry.find_jurisdictions(block.text):
            if place.level != "national":
                return place.name
    return None


def _known_at_end(text: str, registry: Registry) -> tuple[str, str] | None:
    """(the registry's name, the words before it) when `text` ends in a known place."""
    words = text.split()
    for i in range(len(words)):
        place = registry.resolve_jurisdiction(" ".join(words[i:]))
        if place is not None:
            return place.name, " ".join(words[:i])
    return None


def _known_at_start(text: str, registry: Registry) -> str | None:
    words = text.split()
    for i in range(len(words), 0, -1):
        place = registry.resolve_jurisdiction(" ".join(words[:i]))
        if place is not None:
            return place.name
    return None


def _trim(name: str, vocab: Vocabulary) -> str:
    """A place's name without the words around it that are not part of it ("the CPC
    Xanadu" -> "Xanadu"; "Xanadu Joint" -> "Xanadu")."""
    drop = _non_name_words(vocab)
    words = [re.sub(r"['’]s$", "", w) for w in name.split()]
    # ... nor a rank ("Inaugural Queensland–Hong Kong ...", "Second Xanadu-Hong Kong ...").
    while len(words) > 1 and (
        words[0] in drop or words[0].lower() in vocab.verbs or vocab.ordinal(words[0])
    ):
        words = words[1:]
    level_words = [a.split() for lv in _levels(vocab) for a in lv.after]
    while words:
        tail = next((a for a in level_words if len(a) < len(words) and words[-len(a) :] == a), None)
        if words[-1] in drop:
            words = words[:-1]
        elif tail:
            words = words[: -len(tail)]
        else:
            break
    return " ".join(words)


def _mechanism_sides(
    blocks: list[Block], vocab: Vocabulary, registry: Registry
) -> list[tuple[str, bool, Span | None]] | None:
    """The sides of the first mechanism's name with one known side and one not (None when
    the first with a known side has two: `find_sides` reads those)."""
    for block in blocks:
        for m in named_mechanisms(_patterns(vocab)["mechanism"], block.text):
            a, b = m.group("a"), m.group("b")
            end_a = _known_at_end(a, registry)
            start_b = _known_at_start(b, registry)
            if end_a and start_b:
                return None
            if end_a and not start_b:
                name = _trim(b, vocab)
                s = block.span.start + m.start("b")
                span = Span(s, s + len(name), name) if b.startswith(name) else None
                return [(end_a[0], True, None), (name, False, span)] if name else None
            if start_b and not end_a:
                name = _trim(a, vocab)
                e = block.span.start + m.end("a")
                span = Span(e - len(name), e, name) if a.endswith(name) else None
                return [(name, False, span), (start_b, True, None)] if name else None
    return None


def _between_sides(
    blocks: list[Block], registry: Registry, vocab: Vocabulary
) -> list[tuple[str, bool, Span | None]] | None:
    """ "between Hong Kong and Xanadu": a known place and a name that ends there."""
    place = registry.jurisdiction_pattern()
    pattern = re.compile(
        rf"\bbetween\s+(?:the\s+)?(?:(?P<k1>{place})\s+and\s+(?:the\s+)?(?P<n1>{_SIDE})"
        rf"|(?P<n2>{_SIDE})\s+and\s+(?:the\s+)?(?P<k2>{place})){_END}"
    )
    for block in blocks:
        for m in pattern.finditer(block.text):
            group = "n1" if m.group("n1") else "n2"
            raw = m.group(group)
            known = registry.resolve_jurisdiction(m.group("k1") or m.group("k2"))
            name = _trim(raw, vocab)
            if known is None or not name or name != raw or registry.resolve_jurisdiction(name):
                continue
            s = block.span.start + m.start(group)
            span = Span(s, s + len(name), name)
            pair = [(known.name, True, None), (name, False, span)]
            return pair if group == "n1" else pair[::-1]
    return None


def _hits(blocks: list[Block], vocab: Vocabulary, registry: Registry) -> list[_Hit]:
    """Every place the text shows the level of ("Xanadu Provincial", "Mayor of Xanadu")
    that the registry lacks."""
    out = []
    aliases = {lv.name: lv.aliases for lv in _levels(vocab)}
    for key, pattern in _patterns(vocab).items():
        if key == "mechanism":
            continue
        level = key.split(":", 1)[1]
        words = _literals(vocab)[key]
        for block in blocks:
            # Only near the pattern's level word or post: most paragraphs name none.
            for m in finditer_near(pattern, block.text, words):
                name = _trim(m.group("place"), vocab)
                if name in _level_words(vocab):
                    continue  # "Governor of the State of Ohio": the next words name it
                if name and not _known_place(name, aliases[level], registry):
                    s, e = block.span.start + m.start(), block.span.start + m.end()
                    span = Span(s, e, m.group())
                    out.append(_Hit(name, level, span, key.startswith("post:")))
    return _shortened(sorted(out, key=lambda h: (h.span.start, h.span.end)))


@functools.lru_cache(maxsize=4)
def _level_words(vocab: Vocabulary) -> frozenset[str]:
    """What a level puts before or after a place's name ("Province", "Free State")."""
    words = {w for lv in _levels(vocab) for w in lv.after}
    words |= {b.rpartition(" of")[0] for lv in _levels(vocab) for b in lv.before}
    return frozenset(words)


@functools.lru_cache(maxsize=4)
def _countries(vocab: Vocabulary) -> re.Pattern[str]:
    names = [(r"\s+".join(map(re.escape, n.split())), False) for n in _country_names(vocab)]
    return re.compile(rf"(?<![\w'’-])(?P<place>{alternation_tree(names)})(?![\w'’-])")


def _country_names(vocab: Vocabulary) -> list[str]:
    return sorted(vocab.raw.get("place_adjectives") or {}, key=len, reverse=True)


def _country_hits(blocks: list[Block], vocab: Vocabulary, registry: Registry) -> list[_Hit]:
    """Where the text names a country of `place_adjectives` the registry lacks ("met the
    Minister of Foreign Affairs of Chile", "Hong Kong and Norway discuss ..."): the side of
    a release that shows no level word, read only when no place shows one (a country named
    in passing is not the partner of "Xanadu Province")."""
    pattern = _countries(vocab)
    person = re.compile(rf"(?:{alternation(vocab.words('honorifics'))})\s+$")
    out = []
    for block in blocks:
        for m in pattern.finditer(block.text):
            name = m.group("place")
            if person.search(block.text, max(0, m.start() - 20), m.start()):
                continue  # "Mr Jordan Wong": a name, not a country
            if registry.resolve_jurisdiction(name) is None:
                s, e = block.span.start + m.start(), block.span.start + m.end()
                out.append(_Hit(name, "country", Span(s, e, m.group())))
    return out


def _known_place(name: str, aliases: tuple[str, ...], registry: Registry) -> bool:
    """Whether the registry knows the place `name` ends in, as written or with its level's
    word: "Guangxi Zhuang" of "Guangxi Zhuang Autonomous Region" (an alias), "HKSAR
    Government and Guangxi Zhuang" of a headline's "... and Guangxi Zhuang Autonomous
    Region hold ..."."""
    words = name.split()
    for i in range(len(words)):
        tail = " ".join(words[i:])
        candidates = [tail, *(a.format(formal=tail) for a in aliases)]
        if any(registry.resolve_jurisdiction(c) is not None for c in candidates):
            return True
    return False


def _shortened(hits: list[_Hit]) -> list[_Hit]:
    """Post hits cut to the longest name that another hit shows and that they start with
    ("Quillmoor Rao Pengfei" -> "Quillmoor" when "Quillmoor Municipal" is in the text)."""
    plain = {h.name for h in hits if not h.post}
    others = {h.name for h in hits}
    out = []
    for h in hits:
        if h.post and h.name not in plain:
            shorter = [n for n in others if h.name.startswith(n + " ")]
            if shorter:
                h = _Hit(max(shorter, key=len), h.level, h.span, post=True)
        out.append(h)
    return out


def _best_guess(
    hits: list[_Hit], event: Event | None, registry: Registry, vocab: Vocabulary
) -> tuple[str, bool, Span | None] | None:
    """With no mechanism's name: the name most of the level evidence is about, else the
    meeting place when the registry lacks it. Only for a release of a meeting: elsewhere
    "Zhangjiang Science City" is a name, not a side."""
    if event is None:
        return None
    if hits:
        counts = Counter(h.name for h in hits)  # ties: the first named
        first = {h.name: -h.span.start for h in reversed(hits)}
        return max(counts, key=lambda n: (counts[n], first[n])), False, None
    place = _trim(event.place, vocab) if event and event.place else ""
    if place and registry.resolve_jurisdiction(place) is None:
        return place, False, None
    return None


def _met_side(
    blocks: list[Block], hits: list[_Hit], registry: Registry, vocab: Vocabulary
) -> tuple[str, bool, Span | None] | None:
    """The side of a meeting no mechanism names, in a release that tells of a meeting or of
    a signing: the one place that level words show ("the Xanadu Municipal Health
    Commission"), else the one that both a post and a level word show ("met the Mayor of
    Xanadu"). A post alone may be read into a holder's name ("Mayor of Xanadu Li Ming")."""
    if not any(
        TELLS_OF_MEETING.search(b.text)
        or (vocab.sign.search(b.text) and vocab.document_noun.search(b.text))
        for b in blocks
    ):
        return None
    # A place's name: a few capitalised words, none a known place's ("Mabel Tse and CPC
    # Qinghai Provincial Committee" is a list that ends in one).
    hits = [
        h for h in hits if re.fullmatch(_SIDE, h.name) and not registry.find_jurisdictions(h.name)
    ]
    posts = {h.name for h in hits if h.post}
    levels = sorted({h.name for h in hits if not h.post})
    both = [n for n in levels if any(_matches(p, n) for p in posts)]
    for names in (levels, both):
        if len(names) == 1:
            return names[0], False, None
    return None


def _matches(hit: str, name: str) -> bool:
    """Whether evidence read as `hit` is about `name` ("Xanadu Zhuang" is about "Xanadu")."""
    return hit == name or hit.startswith(name + " ") or hit.endswith(" " + name)


def _describe(name: str, span: Span | None, hits: list[_Hit], vocab: Vocabulary) -> NewJurisdiction:
    about = [h for h in hits if _matches(h.name, name)]
    levels = _levels(vocab)
    order = {lv.name: i for i, lv in enumerate(levels)}
    # A level word printed after the name ("... Autonomous Prefecture") says more than a
    # post ("Governor of ..." heads a province or a prefecture): it counts twice.
    counts = Counter(h.level for h in about for _ in range(1 if h.post else 2))
    chosen = min(counts, key=lambda lv: (-counts[lv], order[lv])) if counts else None
    if chosen is None and name in (vocab.raw.get("place_adjectives") or {}):
        chosen = "country"  # the list's places are countries ("Malaysia": no "Republic of")
    level = next(lv for lv in levels if lv.name == chosen)
    formal = max(
        (h.name for h in about if h.level == chosen and h.name.startswith(name) and not h.post),
        key=lambda n: (len(n), n),
        default=name,
    )

    def names(templates: tuple[str, ...]) -> list[str]:
        return list(dict.fromkeys(t.format(formal=formal, place=name) for t in templates))

    government, party = names(level.government), names(level.party_committee)
    if any(h.span.text.endswith(f" the {name}") for h in about if h.level == chosen):
        # "the Republic of the Philippines": its government is "of the Philippines" too.
        government = [g.replace(f" of {formal}", f" of the {formal}") for g in government]
    evidence = sorted({*([span] if span else []), *(h.span for h in about)})
    aliases = [a for a in names(level.aliases) if a != name]
    if formal != name:
        aliases.insert(0, formal)
    # The name as printed after its words ("the Republic of Korea"): bodies and posts end
    # in it ("Ministry of ... of the Republic of Korea").
    aliases += [
        " ".join(h.span.text.split())
        for h in about
        if h.level == chosen
        and not h.post
        and h.span.text.endswith(name)
        and h.span.text.startswith(tuple(f"{b} " for b in level.before))
    ]
    aliases += (vocab.raw.get("place_adjectives") or {}).get(name) or []
    aliases += (vocab.raw.get("place_spellings") or {}).get(name) or []
    return NewJurisdiction(
        name=name,
        level=chosen,
        aliases=list(dict.fromkeys(aliases)),
        government=government[0] if government else "",
        government_aliases=government[1:],
        party_committee=party[0] if party else "",
        party_committee_aliases=party[1:],
        evidence=evidence,
    )


def placed_bodies(
    mentions: list[Mention],
    people: list[Person],
    found: list[NewJurisdiction],
    registry: Registry,
    vocab: Vocabulary,
) -> None:
    """Bodies a release names without their place, where the place is plain: the one a post
    names in full ("the Ministry of Foreign Affairs" after "the Minister of Foreign Affairs
    of Chile", whose body is the "... of Chile"), else the release's one new side when it
    is a country and the body is one of a country's (`country_body_prefixes`: "the
    Ministry of Economy" in a release of Hong Kong and Chile). Labelled with the place, so
    that two countries' ministries of one name are two bodies; the name as printed stays
    an alias. `registry`: the one that knows the new sides."""
    bodies = sorted({h.body for p in people for h in p.posts if h.body})
    lone = found[0] if len(found) == 1 and found[0].level == "country" else None
    prefixes = tuple(f"{w} " for w in vocab.words("country_body_prefixes"))
    for m in mentions:
        full = {
            (body, place.name)
            for body in bodies
            if body.startswith(m.label + " of ")
            and (place := registry.resolve_jurisdiction(_place_words(body, m.label))) is not None
            and place.name != m.jurisdiction
        }
        if len(full) == 1:
            # "the Ministry of Education" after "the Minister of Education of New Zealand":
            # not the Mainland's, which the registry knows by that name.
            ((label, place_name),) = full
        elif m.known or m.jurisdiction is not None:
            continue
        elif lone is not None and not full and m.label.startswith(prefixes):
            label, place_name = f"{m.label} of {lone.name}", lone.name
        else:
            continue
        m.alias = m.alias or m.label
        m.label, m.jurisdiction, m.known = label, place_name, False
        m.parent = m.chinese_name = None


def _place_words(body: str, short: str) -> str:
    rest = body[len(short) + len(" of ") :]
    return rest[len("the ") :] if rest.startswith("the ") else rest


def registry_with(registry: Registry, found: list[NewJurisdiction]) -> Registry:
    """`registry` and the places of `found` with their governments and party committees,
    all unreviewed (see `Registry.with_found`)."""
    if not found:
        return registry
    places, bodies = [], []
    for place in found:
        places.append(
            Jurisdiction(place.name, tuple(place.aliases), place.level,
                         place.government or None, reviewed=False)
        )  # fmt: skip
        if place.government:
            bodies.append(
                Body(place.government, "government", place.name,
                     aliases=tuple(place.government_aliases), reviewed=False)
            )  # fmt: skip
        if place.party_committee:
            bodies.append(
                Body(place.party_committee, "party_committee", place.name,
                     aliases=tuple(place.party_committee_aliases), reviewed=False)
            )  # fmt: skip
    return registry.with_found(places, bodies)


@functools.lru_cache(maxsize=4)
def _post_levels(vocab: Vocabulary) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    return tuple(
        # Case aside: mainland-side reports print posts in lower case ("executive vice governor").
        (re.compile(rule["title"], re.IGNORECASE), tuple(rule.get("levels") or ()))
        for rule in vocab.raw.get("post_levels") or ()
    )


def implied_body(title: str, sides: list[str], registry: Registry, vocab: Vocabulary) -> str | None:
    """The body of a post the text leaves implicit, by the post's shape: the government of
    the side whose level the title implies ("Governor" -> the provincial government)."""
    for pattern, levels in _post_levels(vocab):
        if not pattern.fullmatch(title):
            continue
        for side in sides:
            place = registry.resolve_jurisdiction(side)
            if place is not None and place.level in levels:
                gov = registry.government_of(place.name)
                return gov.name if gov is not None else None
    return None
