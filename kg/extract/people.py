"""People a document names, with the posts it says they hold ("the Chief Secretary for
Administration, Mr Chan Kwok-ki"; "Vice Mayor of X Ms Zhang Guozhi")."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.extract.bodies import BodyFinder
from kg.extract.mention import SpanIndex, clean
from kg.extract.partner import implied_body
from kg.extract.people_styles import KnownNames, Named, StyleReader, style_reader
from kg.extract.segment import Block, sentences
from kg.extract.signature import FOR_PARTY, signature_lines
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Person, PostHolding, Span
from kg.registry import Registry

_AND = re.compile(r",?\s+and\s+(?:the\s+)?")
# A short form in brackets after a post or body: "(HKETO)", "(Beijing Office)".
_PAREN_ABBR = re.compile(r"\s*\((?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*\)\s*$")


@dataclass
class PersonMention:
    span: Span  # the honorific and name as written
    name: str  # canonical
    sentence: Span


def find_people(
    blocks: list[Block], registry: Registry, vocab: Vocabulary, finder: BodyFinder
) -> tuple[list[Person], list[PersonMention]]:
    """People in order of first mention, and every mention (for signatories)."""
    people: dict[str, Person] = {}
    names = KnownNames()  # people's names, for the later sentences that use a word of them
    mentions: list[PersonMention] = []
    honorifics = frozenset(vocab.words("honorifics"))
    styles = style_reader(vocab, registry)
    officials = re.compile(
        alternation(vocab.words("officials_lead")) + r"\s+(?:the\s+)?(?P<body>[A-Z][^,;]*?)"
        r"\s+(?:accompanying|attending|who|include|including)\b"
    )
    for block in blocks:
        if block.chrome:
            continue
        for sent in sentences(block, honorifics):
            lead = officials.search(sent.text)
            lead_body = _body_named(lead.group("body"), registry, finder) if lead else None
            prev_end = 0
            for m in _named_in(sent.text, vocab, styles, names):
                if isinstance(m, Named):
                    end = _read_styled(sent, m, people, names, mentions, registry, finder, styles)
                    prev_end = prev_end if end is None else end
                    continue
                name = _resolve(m.group("name"), people, names, registry)
                person = people.get(name)
                if person is None:
                    known = registry.person(name)
                    honorific = m.group("hon") or (known.honorific if known else None)
                    person = people[name] = Person(name, honorific)
                    names.add(name)
                elif person.honorific is None:
                    person.honorific = m.group("hon")  # first named without one ("Governor X")
                _known_as(names, m.group("name"), name, registry)
                span = Span(sent.start + m.start(), sent.start + m.end(), m.group())
                person.mentions.append(span)
                mentions.append(PersonMention(span, name, sent))
                holding = _post_before(sent, prev_end, m, registry, vocab, finder, lead_body)
                if holding is not None:
                    _add_holding(person, holding)
                prev_end = m.end()
                after = styles.post_after(sent.text, m.end())
                if after is not None:
                    for i, part in enumerate(_posts_in(sent.text, after, styles)):
                        name = m.span() if i == 0 else part
                        held = _printed_post(sent, part, name, registry, finder, styles)
                        _add_holding(person, held)
                    prev_end = after[1]
    _signature_blocks(blocks, people, names, mentions, registry, finder, styles)
    return _named_in_full(people, mentions)


def _signature_blocks(
    blocks: list[Block],
    people: dict[str, Person],
    names: KnownNames,
    mentions: list[PersonMention],
    registry: Registry,
    finder: BodyFinder,
    styles: StyleReader,
) -> None:
    """The signers of a statement's or an agreement's signature blocks: "For the Government
    of X", then the signer's name, then the post, each on a line of its own."""
    lines = signature_lines(blocks)
    for party, name, post in zip(lines, lines[1:], lines[2:], strict=False):
        words = name.text.split()
        if not (FOR_PARTY.fullmatch(party.text) and 2 <= len(words) <= _MAX_SIGNER_WORDS):
            continue
        if not styles.name_like(words) or styles.head_ci.search(post.text) is None:
            continue
        if post.text.endswith(".") or len(post.text.split()) > _MAX_SIGNER_POST_WORDS:
            continue
        canonical = _resolve(name.text, people, names, registry)
        person = people.get(canonical)
        if person is None:
            person = people[canonical] = Person(canonical, None)
            names.add(canonical)
        person.mentions.append(name)
        mentions.append(PersonMention(name, canonical, name))
        _add_holding(
            person, _printed_post(post, (0, len(post.text)), (0, 0), registry, finder, styles)
        )


_MAX_SIGNER_WORDS = 4
_MAX_SIGNER_POST_WORDS = 16


def _named_in_full(
    people: dict[str, Person], mentions: list[PersonMention]
) -> tuple[list[Person], list[PersonMention]]:
    """A person first named by surname alone and in full only later ("Mr Chau (Executive
    Director of ..., Mr Benjamin Chau)") is the one person: the surname's mentions and posts
    go to the full name, when exactly one full name holds that surname."""
    for short in [n for n in people if " " not in n]:
        full = [n for n in people if " " in n and short in (n.split()[0], n.split()[-1])]
        if len(full) != 1:
            continue
        person, into = people.pop(short), people[full[0]]
        into.mentions = sorted(person.mentions + into.mentions, key=lambda s: s.start)
        for holding in person.posts:
            _add_holding(into, holding)
        into.honorific = into.honorific or person.honorific
        mentions = [
            PersonMention(m.span, into.name, m.sentence) if m.name == short else m for m in mentions
        ]
    return list(people.values()), mentions


def _named_in(
    text: str, vocab: Vocabulary, styles: StyleReader, names: KnownNames
) -> list[re.Match[str] | Named]:
    """Every name of a sentence in order: "Mr Lee" first, then the other styles where they
    overlap none of those found before them."""
    found: list[re.Match[str] | Named] = list(vocab.honorific.finditer(text))
    taken: SpanIndex[None] = SpanIndex((Span(*m.span(), ""), None) for m in found)
    readers = (
        styles.posts_before,
        styles.names_before_posts,
        styles.apposed_names,
        styles.lower_posts_before,
        lambda text: styles.surnames(text, names),
    )
    for read in readers:
        for named in read(text):
            span = Span(named.start, named.end, "")
            if taken.free(span):
                found.append(named)
                taken.add(span, None)
    return sorted(found, key=lambda m: m.start if isinstance(m, Named) else m.start())


def _read_styled(
    sent: Span,
    named: Named,
    people: dict[str, Person],
    names: KnownNames,
    mentions: list[PersonMention],
    registry: Registry,
    finder: BodyFinder,
    styles: StyleReader,
) -> int | None:
    """Records a name found in another house style; returns where its words end (None
    when it names nobody: a surname alone only refers to a person already named)."""
    name = _resolve(named.name, people, names, registry)
    person = people.get(name)
    if person is None:
        if named.reference:
            return None
        known = registry.person(name)
        person = people[name] = Person(name, known.honorific if known else None)
        names.add(name)
    if not named.reference:
        _known_as(names, named.name, name, registry)
    span = Span(sent.start + named.start, sent.start + named.end, named.name)
    person.mentions.append(span)
    mentions.append(PersonMention(span, name, sent))
    post = named.post
    if post is None and not named.reference:
        post = styles.post_after(sent.text, named.end)
    if post is None:
        return named.end
    # "... included Under Secretary X Cheuk Wing-sze and the Director of Y, Tse Man-kit":
    # a part that holds a name already read is that person's post, not this one's.
    lo = sent.start + min(post[0], named.start)
    others = []
    for m in reversed(mentions):  # in reading order: only this sentence's last few
        if m.span.end <= lo:
            break
        if m.span.end <= span.start:
            others.append(m.span)
    parts = [
        part
        for part in _posts_in(sent.text, post, styles)
        if not any(o.start < sent.start + part[1] and sent.start + part[0] < o.end for o in others)
    ]
    for i, part in enumerate(parts):
        # A second post's holding is quoted from its own words: each holding its own span.
        name = (named.start, named.end) if i == 0 else part
        held = _printed_post(sent, part, name, registry, finder, styles)
        _add_holding(person, held)
    return max(named.end, post[1])


def _known_as(names: KnownNames, written: str, name: str, registry: Registry) -> None:
    """A name the registry knows as another's alias ("Chief Secretary Eric Chan" is Chan
    Kwok-ki): as written, a later bare reference to it is the same person ("signed by Eric
    Chan and Jin Xiangjun")."""
    written = clean(written)
    known = registry.person(written)
    if written != name and known is not None and known.name == name and " " in written:
        names.add(written)


def _posts_in(text: str, post: tuple[int, int], styles: StyleReader) -> list[tuple[int, int]]:
    """The posts one printed phrase holds: "deputy secretary of the CPC X Municipal Committee
    and mayor of X" is two, split where "and" is followed by a post's head; "Secretary for
    Culture, Sports and Tourism" is one."""
    parts, start = [], post[0]
    for m in _AND.finditer(text, post[0], post[1]):
        head = styles.head_ci.match(text, m.end())
        if head is not None and head.end() < post[1] and text[start : m.start()].strip():
            parts.append((start, m.start()))
            start = m.end()
    return [*parts, (start, post[1])]


_CELL_QUOTES = '"“”'


def _printed_post(
    sent: Span,
    post: tuple[int, int],
    name: tuple[int, int],
    registry: Registry,
    finder: BodyFinder,
    styles: StyleReader,
) -> PostHolding:
    """A post as printed ("governor of Guangdong province", "Jiangxi Governor"), in the
    body the registry, its "of <Body>" or the words before its head name."""
    # A spreadsheet's quoted cell ("Mr Chan Kwok-ki, Chief Secretary for Administration"):
    # its quotes are the cell's, not the post's.
    a, b = post
    while b > a and sent.text[b - 1] in _CELL_QUOTES:
        b -= 1
    while a < b and sent.text[a] in _CELL_QUOTES:
        a += 1
    post = (a, b)
    label = re.sub(r"^the\s+", "", clean(sent.text[post[0] : post[1]]), flags=re.IGNORECASE)
    label = _PAREN_ABBR.sub("", label)
    known = registry.post(label)
    body = None
    if known is None and ", " in label:
        # A list of who attended: "Director, Yueyang Municipal Bureau of Commerce" (the post
        # as printed, in the body after its comma).
        body = _body_named(label.rsplit(", ", 1)[1], registry, finder)
    if body is None and known is not None:
        body = known.body
    elif body is None:
        body = _body_of(label, registry, finder, _possessor(sent.text, post[0], registry))
    prefix = styles.prefix(label) if body is None else None
    if prefix:
        body = _body_named(prefix, registry, finder)
    # "Governor Wang": the post's shape says whose (rules in patterns.yaml).
    body = body or implied_body(label, finder.groups.sides, registry, finder.vocab)
    start, end = min(post[0], name[0]), max(post[1], name[1])
    span = Span(sent.start + start, sent.start + end, sent.text[start:end])
    return PostHolding(label, body, span)


def _add_holding(person: Person, holding: PostHolding) -> None:
    """One holding per post: a later mention may only tell the body an earlier one lacked,
    and a short form of a post already held ("Governor" after "Governor of Guangdong
    Province", "Mayor" after "Meizhou Mayor") is that post."""
    short = clean(holding.post).casefold()
    # ... or "Mayor" after "Meizhou Mayor"
    if any(
        clean(h.post).casefold().startswith(short + " ")
        or clean(h.post).casefold().endswith(" " + short)
        for h in person.posts
    ):
        return
    for i, held in enumerate(person.posts):
        if held.post == holding.post:
            if held.body is None and holding.body is not None:
                person.posts[i] = PostHolding(held.post, holding.body, held.span)
            return
    person.posts.append(holding)


def _resolve(written: str, people: dict[str, Person], names: KnownNames, registry: Registry) -> str:
    """The canonical name: registry aliases, and "Mr Lee" as the Lee this document named
    (the latest named, if two share the name; a surname alone is never looked up in the
    registry, which may know another Lee)."""
    written = unshouted(clean(written))
    known = registry.person(written)
    if known is not None:
        return known.name
    if " " not in written:
        # The people named so far (an alias the registry resolved is known by its person's).
        same = [n for n in names.sharing(written) if n in people]
        # A word of the name before a part of one: "Mr Kwok" is Henry Kwok Chun-yip, not
        # Chan Kwok-ki named just before him.
        same = [n for n in same if written in n.split()] or same
        if same:
            return max(same, key=lambda n: people[n].mentions[-1].start)
    return written


_SHOUTED = re.compile(r"(?P<surname>[A-Z]{2,})(?P<given>(?:\s+[^\s,]+)*)(?:,\s+(?P<english>\S+))?")


def unshouted(name: str) -> str:
    """A name printed with its surname in capitals as it is written in prose: "LEE Ka-chiu,
    John" is "John Lee Ka-chiu", "WANG Jing" is "Wang Jing"."""
    m = _SHOUTED.fullmatch(name)
    if m is None:
        # "Algernon YAU Ying-wah": the English name first, the surname in capitals after it.
        words = name.split()
        if len(words) > 2 and words[1].isupper() and words[1].isalpha() and len(words[1]) > 1:
            return " ".join([words[0], words[1].capitalize(), *words[2:]])
        return name
    if not m.group("given"):
        return name
    plain = m.group("surname").capitalize() + m.group("given")
    return f"{m.group('english')} {plain}" if m.group("english") else plain


def _post_before(
    sent: Span,
    prev_end: int,
    m: re.Match[str],
    registry: Registry,
    vocab: Vocabulary,
    finder: BodyFinder,
    lead_body: str | None,
) -> PostHolding | None:
    # Only the words since the previous person can be this person's post.
    left = sent.text[prev_end : m.start()]
    found = vocab.post_at_end.search(left)
    if found is None:
        return None
    raw = found.group("post")
    start = prev_end + found.start("post")
    title = _PAREN_ABBR.sub("", clean(raw))
    title = re.sub(r"^the\s+", "", title, flags=re.IGNORECASE)
    post = registry.post(title)
    if post is not None:
        label, body = post.title, post.body
    else:
        place = _possessor(sent.text, start, registry)
        label, body = title, _body_of(title, registry, finder, place) or lead_body
        # "the Governor, Mr X": the post's shape says whose (rules in patterns.yaml).
        body = body or implied_body(title, finder.groups.sides, registry, vocab)
    span = Span(sent.start + start, sent.start + m.end(), sent.text[start : m.end()])
    return PostHolding(label, body, span)


def _body_of(
    title: str, registry: Registry, finder: BodyFinder, place: str | None = None
) -> str | None:
    """The body a post is in, read from "<Post> of <Body>", or from the body its head
    heads ("Minister of Commerce" of the "Ministry of Commerce": `post_head_bodies`).
    `place`: the place whose post it is ("Thailand's Minister of Commerce"), which names
    the ministry when the registry's of that name is another place's ("Ministry of
    Commerce of Thailand", not the Mainland's Ministry of Commerce)."""
    m = re.search(r"\bof\s+(?:the\s+)?(?P<body>[A-Z].*)$", title)
    body = _body_named(m.group("body"), registry, finder) if m else None
    headed = _headed_portfolio(finder.vocab).fullmatch(title) if body is None else None
    if headed is not None:
        heads = finder.vocab.raw["post_head_bodies"]
        headed_body = f"{heads[headed.group('head')]} of {headed.group('rest')}"
        known = registry.body(headed_body) if place is not None else None
        if place is not None and (known is None or known.jurisdiction != place):
            headed_body = f"{headed_body} of {place}"
        body = _body_named(headed_body, registry, finder)
    return body


# "Norway's Minister of Trade and Industry": the place whose post it is, just before it.
_POSSESSOR = re.compile(r"(?P<place>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})['’]s\s+$")


def _possessor(text: str, start: int, registry: Registry) -> str | None:
    """The place a possessive just before `start` names ("Norway's "), if known."""
    m = _POSSESSOR.search(text, max(0, start - 60), start)
    if m is None:
        return None
    found = registry.find_jurisdictions(m.group("place"))
    return found[-1][2].name if found and found[-1][1] == len(m.group("place")) else None


@functools.lru_cache(maxsize=4)
def _headed_portfolio(vocab: Vocabulary) -> re.Pattern[str]:
    heads = list(vocab.raw.get("post_head_bodies") or {})
    if not heads:
        return re.compile(r"(?!)")
    modifiers = alternation(vocab.words("post_modifiers"), boundary=False)
    return re.compile(
        rf"(?:{modifiers}[- ])*(?P<head>{alternation(heads, boundary=False)})"
        r"\s+of\s+(?!State\b)(?P<rest>[A-Z].*)"
    )


def _body_named(text: str, registry: Registry, finder: BodyFinder) -> str | None:
    """A body from a phrase: a registry name, a place's government, or a body's shape."""
    text = _PAREN_ABBR.sub("", text).strip()
    body = registry.body(text)
    if body is not None:
        return body.name
    gov = registry.government_of(text)
    if gov is not None:
        return gov.name
    found = finder.find(text)
    return found[0].label if len(found) == 1 and found[0].span.end >= len(text) - 1 else None
