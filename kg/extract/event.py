"""The meeting a release reports: label, mechanism, ordinal, place and date; and the sides."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import re
import string
from collections.abc import Iterator

from kg.extract.segment import Block, make_span
from kg.extract.vocab import CAP, Vocabulary, alternation
from kg.model import Event, SignedDocument, Source, Span
from kg.registry import Registry

_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_MONTHS = {month: number for number, month in enumerate(_MONTH_NAMES, start=1)}
# A wire's dateline abbreviates: "LIUZHOU, Nov 12 (Xinhua) --", "Sept. 9".
_SHORT_MONTHS = {name[:3]: number for name, number in _MONTHS.items() if name != "May"}
_SHORT_MONTHS["Sept"] = 9
_MONTH = "(?:" + "|".join(_MONTHS) + "|(?:" + "|".join(_SHORT_MONTHS) + r")\b\.?)"
# "today (May 11)", "today (Tuesday, May 11)", and the day first: "today (26 October)"; a
# circular's "yesterday (18 August)"; with the year: "today (March 3, 2026)".
_TODAY = re.compile(
    rf"\b(?:today|yesterday)\s*\((?:[A-Za-z]+day,?\s+)?(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}))(?:,?\s+(?P<year>(?:19|20)\d\d))?\)"
)
# A story that gives the weekday, not "today": "was held in Taiyuan on Thursday (May 23)",
# "took place in Meizhou last Friday (14 March)", "in Nantong on Wednesday 7 June", a blog's
# "Last Tuesday (June 9) I travelled to Guiyang".
_ON_WEEKDAY = re.compile(
    rf"\b(?:[Oo]n\s+(?:last\s+)?|[Ll]ast\s+)[A-Z][a-z]+day(?:\s*\(|,?\s+)"
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}))\b"
)
# A sentence that opens on the day: "On June 17, the 2nd Meeting ... was held in Lhasa."
_ON_DATE = re.compile(
    rf"(?:^|(?<=[.!?]\s))On\s+(?:[A-Z][a-z]+day,?\s+)?(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}))(?:,?\s+(?P<year>(?:19|20)\d\d))?\s*,"
)
# A news story's dateline opens its first paragraph: "URUMQI, June 18 -- Hong Kong and ...",
# "HONG KONG, March 3 (Xinhua) --", "Shenzhen, 18 July 2025 – The ...", "Chengdu, 18 March
# 2027 - The ..." (a place in title case when the year follows).
_NEWS_DATELINE = re.compile(
    rf"(?P<place>[A-Z][A-Z.'’ -]+"
    rf"|(?={CAP}(?:\s+{CAP})*,\s+[^\n]{{1,24}}?\s(?:19|20)\d\d\b){CAP}(?:\s+{CAP})*)"
    rf",\s+(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}))"
    rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?:\s*\([^()\n]{{1,40}}\))?(?:\s*(?:--|[—–:])|\s+-(?=\s))"
)
# A story dated by its page: "was held in Taiyuan on Tuesday", "On Thursday, the city held
# ...", "signed ... yesterday".
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RELATIVE = re.compile(
    rf"\b(?:[Oo]n\s+(?:last\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)})|(?P<yesterday>yesterday)"
    r"|(?P<today>[Tt]oday))\b(?!\s*\()"
)
_FULL_DATE = re.compile(
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}))"
    rf"\s*(?P<year>\d{{4}})"
)
# A line that is only a date (a story's date line): "May 16, 2019", "Tuesday, 26 October
# 2021", "2021-10-26 21:36".
_DATE_LINE = re.compile(
    rf"(?:\w+day,?\s+)?(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}),?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))(?:,?\s+\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?)?"
)
_PLACE = rf"(?P<place>(?!{_MONTH}\b){CAP}(?:\s+{CAP})*)"  # "held in April": no place
# "held in the regional capital, Hohhot": the city after a lower-case description of it.
_DESCRIBED = r"(?:the\s+(?:[a-z][\w'’-]*\s+){1,3}?capital,?\s+)?"
_PLACE_AFTER = re.compile(
    # "... Collaboration Council (SGCC) Meeting in Guangzhou": an abbreviation, a meeting word.
    rf"\s*(?:\([^)]{{0,40}}\)\s*)?(?:(?i:meeting|session|plenary)\s+)?"
    rf"(?:(?:was\s+|is\s+)?(?i:held|convened|took\s+place|opened)\s+)?"
    rf"(?i:in|at)\s+{_DESCRIBED}{_PLACE}"
)
# ... not an earlier meeting's ("the First Plenary Session held in Chengdu in 2017").
_HELD = re.compile(
    rf"\b(?:held|took\s+place|convened)\s+in\s+{_DESCRIBED}(?>{_PLACE})(?!\s+in\s+(?:19|20)\d\d)"
)
_PLACE_DATE = re.compile(
    rf"{_PLACE},\s+(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}},?)\s+(?:19|20)\d\d"
)
# A letter's or a blog's "travelling to Liuzhou for the First Meeting of ...".
_TRAVELLED_TO = re.compile(
    rf"\b(?:travell?(?:ed|ing)?|came|coming|come)\s+to\s+{_PLACE}\s+(?:for|to\s+attend)\s+the\b"
)
# "in Tianshui, Gansu Province, today (October 15)": the province between is not the place.
_IN_TODAY = re.compile(rf"\b(?:in|to)\s+{_PLACE}(?:,\s+{CAP}(?:\s+{CAP})*,)?\s+today\b")
# A wire's "signed three agreements ... at a meeting in Fangchenggang on Wednesday".
_MEETING_IN = re.compile(rf"\bmeeting\s+in\s+{_PLACE}")
# "received a delegation ... in Ha Long city on October 16" (the gap bounded: a paragraph
# of thousands of "received" took 18 s to search with an open one).
_MET_IN = re.compile(
    rf"\b(?:met|meets|received|receives)\b[^.;]{{0,240}}?\bin\s+{_PLACE}(?:\s+city)?"
    r"\s+(?:on|today|yesterday)\b"
)
# A company's release dated in brackets: "(Hong Kong, 3 December 2025) The ...".
_BRACKET_DATELINE = re.compile(
    rf"\({_PLACE},\s+(?:(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})"
    rf"|(?P<month2>{_MONTH})\s+(?P<day2>\d{{1,2}}),?)\s+(?P<year>(?:19|20)\d\d)\)"
)
# A wire's dateline with its agency and no date: "Ha Long (VNA) - ...".
_AGENCY_DATELINE = re.compile(rf"{_PLACE}\s+\([A-Z]{{2,8}}\)\s*(?:--|[-–—:])\s")
_LABEL_LINKS = {"of", "the", "cum", "and"}
_THE_RANK = re.compile(r"(?<![\w-])the\s+(?P<rank>[\w-]+)\s")
_NUMBERED = re.compile(r"\d{1,3}(?:st|nd|rd|th)$")  # "22nd Plenary"
_YEAR = re.compile(r"(?:19|20)\d\d$")  # "the 2021 Guangdong-Macao Co-operation Joint Conference"
_OPENING = 4  # the title and the first paragraphs: where a release names its meeting
# A summary's fields ("Venue:", "When:") may follow a title page's lines.
_FIELD_LINES = 16
# A date the opening states for the meeting: "... was held in Kunming on 29 November 2022".
_HELD_ON = re.compile(
    r"\b(?:held|convened|met|meeting|session|conference)\b[^.;]{0,120}?\bon\s+(?:\w+day,?\s+)?"
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}),?\s+(?P<year2>\d{{4}}))",
    re.IGNORECASE,
)
# The day without its year in the sentence that says the meeting was held: "... Week
# opened in Hong Kong on May 20.", "... held its inaugural meeting in Xi'an on 22
# October.", a letter's "..., which you and I co-chaired on 8 April" (the year from the
# dateline).
_HELD_ON_DAY = re.compile(
    r"\b(?:held|opened|convened|took\s+place|(?:co-)?chaired)\s+"
    r"(?:its\s+(?:[\w-]+\s+){0,3}?(?:meeting|session|plenary)\s+)?"
    rf"(?:in\s+{CAP}(?:\s+{CAP})*\s+)?on\s+"
    rf"(?:[A-Z][a-z]+day,?\s+)?(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}))\b(?!,?\s+\d)"
)
# ... or that says who met whom: "... met the Vice Governor of Hainan Province, Mr Liu Ping,
# in Haikou on 13 November" (the gap bounded, as in `_MET_IN`).
_MET_ON = re.compile(
    rf"\b(?:met|meets|received)\b[^.;]{{0,240}}?\bon\s+(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}))"
    r"\b(?!,?\s+\d)"
)
_ABOUT_MEETING = re.compile(
    r"\b(?:meetings?|conferences?|sessions?|plenary|plenaries|co-chair\w*|chair\w*|held|met"
    r"|signed|signing|talks|forum|visit\w*)\b",
    re.IGNORECASE,
)
_BETWEEN = r"\bbetween\s+(?:the\s+)?(?P<a>{j})\s+and\s+(?:the\s+)?(?P<b>{j})(?![\w])"


@functools.lru_cache(maxsize=8)
def mechanism_patterns(vocab: Vocabulary) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A mechanism's name with its two sides in groups a and b; and the name of a week
    (`event_mechanism_heads`), the mechanism of a release that names no other."""
    # A side's words carry no hyphen, so that "Hong Kong-Jiangxi" splits at it; the two
    # sides are joined by "/" or a hyphen ("Guangdong-Hong Kong Cooperation Joint
    # Conference"), and words such as "Economic and Trade" may stand before the head.
    word = r"[A-Z][\w'’]*"
    side = rf"{word}(?:\s+{word}){{0,2}}"
    sep = r"(?:\s*/\s*|[-–](?=[A-Z])|\s+[-–]\s+)"  # "Hong Kong–Nantong": an en dash too
    # Heads as capitalised or in lower case (a newspaper writes "the first Hong Kong-Changde
    # co-operation conference"), not in capitals (a banner).
    subject = alternation(vocab.words("mechanism_subject_heads"), boundary=False)
    about = rf"{subject}\s+on\s+(?:(?:{CAP}|and|&)\s+)*?Co-?operation"

    def named(*heads: str) -> re.Pattern[str]:
        return re.compile(
            rf"(?<![\w'’-])(?!(?:The|A|An|At|In|On|Of|And|For|By|With)\s)(?P<a>{side}){sep}"
            rf"(?P<b>{side})\s+(?:(?:{CAP}|and|&)\s+)*?(?:{'|'.join(heads)})"
            r"(?![\w-])"
        )

    heads = vocab.words("mechanism_heads")
    mechanism = named(alternation([*heads, *(h.lower() for h in heads)], boundary=False), about)
    return mechanism, named(alternation(vocab.words("event_mechanism_heads"), boundary=False))


def named_mechanisms(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a `mechanism_patterns` pattern."""
    return iter(_mechanisms(pattern, text))


@functools.lru_cache(maxsize=1024)
def _mechanisms(pattern: re.Pattern[str], text: str) -> _Matches:
    # Kept: the meeting's, the sides' and the partner's readers each look for the
    # mechanism's name in every paragraph, and a paragraph that names none is scanned
    # to its end each time (1.2 s of a 5 MB paragraph of words from releases).
    return _Matches(pattern.finditer(text))


class _Matches:
    """The matches of an iterator, each found once, however many read them."""

    def __init__(self, found: Iterator[re.Match[str]]) -> None:
        self._found = found
        self._seen: list[re.Match[str]] = []

    def __iter__(self) -> Iterator[re.Match[str]]:
        k = 0
        while True:
            if k == len(self._seen):
                m = next(self._found, None)
                if m is None:
                    return
                self._seen.append(m)
            yield self._seen[k]
            k += 1


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`pattern.search(text)` for a `mechanism_patterns` pattern."""
    return next(named_mechanisms(pattern, text), None)


@functools.lru_cache(maxsize=8)
def _patterns(vocab: Vocabulary, registry: Registry) -> tuple[re.Pattern[str], ...]:
    mechanism, weeks = mechanism_patterns(vocab)
    between = re.compile(_BETWEEN.format(j=registry.jurisdiction_pattern()))
    ordinal = re.compile(
        r"(?<![\w-])(?P<o>[A-Za-z]+(?:-[a-z]+)?|\d+(?:st|nd|rd|th))\s+"
        r"(?:Plenary|Meeting|Session|Joint\s+Conference|Conference|High-Level\s+Meeting)\b"
    )
    meeting = re.compile(alternation(vocab.words("meeting_words")))
    return mechanism, between, ordinal, meeting, weeks


def find_sides(blocks: list[Block], vocab: Vocabulary, registry: Registry) -> list[str]:
    """The two sides: from a mechanism's name ("Hong Kong/Chongqing ..."), else from the
    first "between X and Y" naming two places."""
    mechanism, between, *_ = _patterns(vocab, registry)
    for block in blocks:
        for m in named_mechanisms(mechanism, block.text):
            # "the Third Hong Kong-Guangxi Co-operation Meeting": the rank is no side's word.
            sides = [_place_at_end(registry, m.group("a")), _place(registry, m.group("b"))]
            if all(sides):
                return sides  # type: ignore[return-value]
    for block in blocks:
        m = between.search(block.text)
        if m:
            return [_place(registry, m.group("a")), _place(registry, m.group("b"))]  # type: ignore[list-item]
    return []


def _title_cased(block: Block, vocab: Vocabulary) -> Block:
    """A paragraph in capitals as a title prints it, each word capitalised ("Hong
    Kong/Hainan Co-operation Conference": lower case after a hyphen that follows one of
    `hyphen_prefixes`); any other paragraph as it is. The offsets are the same."""
    text = block.text
    # Lower case first: it is found within a few letters of any other paragraph (counting
    # a 5 MB line's letters took 0.2 s).
    if any(c.islower() for c in text) or _letters_fewer_than(text, 4):
        return block
    prefixes = _hyphen_prefixes(vocab)
    out: list[str] = []
    before = ""  # the last run of letters
    for run in _RUNS.findall(text):
        if run.isascii() and run.isalpha():
            lower = out[-1:] == ["-"] and before.casefold() in prefixes
            out.append(run.lower() if lower else run[0] + run[1:].lower())
            before = run
        else:
            out.append(run)
    return dataclasses.replace(block, span=Span(block.span.start, block.span.end, "".join(out)))


_RUNS = re.compile(r"[A-Za-z]+|-|[^A-Za-z-]+")


def _letters_fewer_than(text: str, n: int) -> bool:
    return next(itertools.islice(filter(str.isalpha, text), n - 1, None), None) is None


@functools.lru_cache(maxsize=4)
def _hyphen_prefixes(vocab: Vocabulary) -> frozenset[str]:
    return frozenset(w.casefold() for w in vocab.words("hyphen_prefixes"))


def _place_at_end(registry: Registry, name: str) -> str | None:
    """The known place `name` ends in ("Third Hong Kong" -> "Hong Kong")."""
    words = name.split()
    return next(
        (p for i in range(len(words)) if (p := _place(registry, " ".join(words[i:])))), None
    )


def _mechanism_name(m: re.Match[str], vocab: Vocabulary) -> str:
    """The mechanism a `mechanism_patterns` match names, without a rank or a year the
    first side's words took in ("the Second Hong Kong-Korea Economic Dialogue", "the 2021
    Guangdong-Macao ..."): the meeting's, not the mechanism's."""
    side, name = m.group("a").split(), m.group(0)
    while len(side) > 1 and _is_rank(side[0], vocab):
        name = name.lstrip()[len(side.pop(0)) :]
    return " ".join(name.split())


def _is_rank(word: str, vocab: Vocabulary) -> bool:
    return bool(vocab.ordinal(word) or _NUMBERED.match(word) or _YEAR.match(word))


def _place(registry: Registry, name: str) -> str | None:
    place = registry.resolve_jurisdiction(name)
    return place.name if place else None


def find_event(
    blocks: list[Block], source: Source, vocab: Vocabulary, registry: Registry
) -> Event | None:
    """The meeting the title (or an opening paragraph) names: the capitalised phrase that
    ends in a mechanism's name ("First Plenary Session of the Hong Kong/Chongqing
    Co-operation Conference"). None for a document that names no mechanism."""
    mechanism_re, _, ordinal_re, meeting_re, weeks_re = _patterns(vocab, registry)
    paragraphs = [b for b in blocks if not b.chrome]
    if not any(_first(mechanism_re, b.text) for b in paragraphs):
        # A banner in capitals ("HONG KONG/HAINAN CO-OPERATION CONFERENCE"), read as a
        # title prints it; the quotes are the source's (kg.extract.reading.requoted).
        recased = [_title_cased(b, vocab) for b in paragraphs]
        if any(_first(mechanism_re, b.text) for b in recased):
            paragraphs = recased
        else:
            mechanism_re = weeks_re
    body = paragraphs[:_OPENING]
    lower = _lower_label_words(vocab)
    stops = frozenset(vocab.words("not_label_words"))
    found = []
    for block in body:
        m = _first(mechanism_re, block.text)
        if m:
            start = _label_start(block.text, m.start(), lower, stops)
            found.append((block, m, start))
    if not found:
        # News stories and portals' copies may name the meeting only further down.
        later = ((b, _first(mechanism_re, b.text)) for b in paragraphs[_OPENING:])
        block, m = next(((b, m) for b, m in later if m), (None, None))
        if block is None or m is None:
            return None
        found.append((block, m, _label_start(block.text, m.start(), lower, stops)))
    # Prefer a phrase that names the meeting, not only the mechanism; else one that gives its
    # rank ("the first Hong Kong-Lishui Meeting on ...", below a headline without it).
    block, m, start = next(
        (f for f in found if meeting_re.search(f[0].text[f[2] : f[1].start()])),
        next(
            (f for f in found if _ranked(f[0].text[f[2] : f[1].end()], ordinal_re, vocab)), found[0]
        ),
    )
    # A headline's verb before the meeting: "Our Province and Hong Kong Hold the Fifth Meeting
    # of the ...": the label starts at the meeting's rank.
    inner = _THE_RANK.search(block.text, start, m.start())
    if inner is not None and inner.start() > start and vocab.ordinal(inner.group("rank")):
        start = inner.start("rank")
    label = " ".join(block.text[start : m.end()].split())  # one space: a wrapped title's too
    end = m.end()
    named = meeting_re.search(block.text[start : m.start()])
    its = None if named else _held_its(vocab).match(block.text, end)
    if its is not None:  # "The ... Conference held its Third Plenary Session in Nanning"
        label = f"{' '.join(its.group('meeting').split())} of the {label}"
        end = its.end()
    elif not named and block in paragraphs:  # a title of two lines, the meeting below
        at = paragraphs.index(block) + 1
        below = paragraphs[at].text if at < len(paragraphs) else ""
        # ... or a record's: "Summary record of the Sixth Meeting".
        lead = _RECORD_OF.match(below)
        line = _meeting(vocab).match(below, lead.end() if lead else 0) if below else None
        if line is not None and _ranked(line.group("meeting"), ordinal_re, vocab):
            label = f"{' '.join(line.group('meeting').split())} of the {label}"
    # Where the chosen phrase is followed by its place, else where another that names the
    # mechanism is (a headline names the meeting, its first paragraph where it was held).
    afters = (
        _PLACE_AFTER.match(b.text, e)
        for b, e in [(block, end), *((b, x.end()) for b, x, _ in found)]
    )
    place = next((a.group("place") for a in afters if a), None)
    # The sentence that names the meeting first, then the opening paragraphs, then the first
    # sentences of prose (a paper's or portal's title block may stand before them).
    for other in [block, *body[:2], *_prose(blocks)[:2]]:
        hit = place is None and (
            _HELD.search(other.text)
            or _IN_TODAY.search(other.text)
            or _TRAVELLED_TO.search(other.text)
        )
        if hit:
            place = hit.group("place")
    # A paragraph further down that names the meeting and where it was held ("(1) The First
    # Meeting of the ... Conference was held in Shaoguan on April 18, 2024").
    for other in paragraphs if place is None else []:
        hit = _first(mechanism_re, other.text) and _HELD.search(other.text)
        if hit:
            place = hit.group("place")
            break
    if place is None:  # a communiqué's or a paper's place-and-date line: "Foshan, 12 March 2025"
        dated = (_PLACE_DATE.fullmatch(b.text.strip()) for b in blocks[:_OPENING])
        place = next((d.group("place") for d in dated if d), None)
    if place is None:  # a summary's "Venue: Haikou"
        venues = (_VENUE.fullmatch(b.text.strip()) for b in blocks[:_FIELD_LINES])
        place = next((_venue_place(v.group("venue"), registry) for v in venues if v), None)
    return Event(
        label=label,
        date=_date(blocks, source),
        place=place or source.place,
        mechanism=_mechanism_name(m, vocab),
        ordinal=_ranked(label, ordinal_re, vocab),
        span=make_span(source.text, block.span.start + start, block.span.start + end),
    )


# A sentence that tells of a meeting no mechanism names: "The Secretary ... met the Mayor
# of Nanning", "Officials ... met on Thursday", "received", "held talks with", "agreed ...
# at a meeting held in Beihai". The partner finder reads it too (kg.extract.partner).
TELLS_OF_MEETING = re.compile(
    r"\b(?:met|meets|received|held\s+talks|meeting\s+with"
    # A visit: "called on the Minister of ...", "paid a courtesy call on ..." (not "called on
    # businesses to ...": a capital follows).
    r"|called\s+on\s+(?:the\s+)?(?=[A-Z])|paid\s+a\s+(?:courtesy\s+)?(?:call|visit)\s+(?:on|to)"
    r"|(?:at|held)\s+(?:a|the|their)\s+(?:[a-z-]+\s+)?meeting\s+(?:held\s+)?(?:in|on|at))\b"
)
_HEADLINE_WORDS = 25  # a title line, not a paragraph


def unnamed_meeting(
    blocks: list[Block], source: Source, vocab: Vocabulary | None = None, told: bool = True
) -> Event | None:
    """The meeting of a release that names no mechanism but tells of a meeting in its
    opening ("... met the Mayor of Nanning ... today (March 3, 2026)"), or of the signing
    its commitments come with ("HKSTP today signed a Memorandum of Understanding with ...",
    with `vocab`): its commitments are made there. Its name is the release's headline
    (the text gives no other), its date and place as for a named meeting; None when the
    opening tells of neither. A wire story whose text starts at its dateline has no
    headline line: its name is the sidecar's title, and where the text tells of it is the
    paragraph that does. Without `told`, a document whose commitments come with no meeting
    it tells of still has one (a statement's, a subtitle file's): named the same way, where
    its opening is."""
    paragraphs = [b for b in blocks if not b.chrome]
    if not paragraphs:
        return None
    first = paragraphs[0].text.strip()
    # A headline is short and is no sentence: a short first paragraph that ends in a full
    # stop, or opens with a dateline, is the story's.
    headed = (
        len(first.split()) <= _HEADLINE_WORDS
        and not first.endswith(".")
        and not _NEWS_DATELINE.match(first)
    )
    opening = paragraphs[1 if headed else 0 : _OPENING]
    said = next((b for b in opening if TELLS_OF_MEETING.search(b.text)), None)
    if said is None and vocab is not None:
        signed = (
            b for b in opening if vocab.sign.search(b.text) and vocab.document_noun.search(b.text)
        )
        said = next(signed, None)
    if said is None and told:
        return None
    said = said or (opening or paragraphs)[0]
    hit = (
        _BRACKET_DATELINE.match(said.text)
        or _HELD.search(said.text)
        or _IN_TODAY.search(said.text)
        or _MEETING_IN.search(said.text)
        or _MET_IN.search(said.text)
        or _AGENCY_DATELINE.match(said.text)
        or _NEWS_DATELINE.match(said.text)  # "Vancouver, 14 October 2026 - ...", "CHICAGO, ..."
    )
    place = _dateline_place(hit.group("place")) if hit else source.place
    if headed:
        label, span = " ".join(paragraphs[0].text.split()), paragraphs[0].span
    else:
        where = f"Meeting in {place}" if place else f"Meeting told of in {source.doc_id}"
        label, span = source.title or where, said.span
    return Event(label=label, date=_date(blocks, source), place=place, span=span)


def _dateline_place(text: str) -> str:
    """A place as a dateline prints it, in the case of a name ("CHICAGO" -> "Chicago")."""
    text = text.strip()
    return string.capwords(text) if text.isupper() else text


# "Signed in Yinchuan on 20 April 2027 in two originals.", "Done at Changchun on ...": where
# an agreement was signed.
_SIGNED_IN = re.compile(
    rf"\b(?:[Ss]igned|Done)\s+(?:at|in)\s+(?P<place>{CAP}(?:\s+{CAP}){{0,3}})(?=[\s,.])"
)
_ON = re.compile(r",?\s+on\s+")


def signing_of(document: SignedDocument, blocks: list[Block], source: Source) -> Event:
    """The signing of a text that is itself a signed document (an agreement's own text):
    its commitments are made there. Its place and date as its text gives them ("Signed in
    Yinchuan on 20 April 2027"), else as the sidecar does."""
    label = f"Signing of the {document.title}"
    for block in blocks:
        where = _SIGNED_IN.search(block.text)
        if where is None:
            continue
        on = _ON.match(block.text, where.end())
        day = _FULL_DATE.match(block.text, on.end()) if on else None
        found = None
        if day is not None:
            month, number = day.group("month") or day.group("month2"), day.group("day")
            found = _make(int(day.group("year")), month, number or day.group("day2"))
        date = found.isoformat() if found else _date(blocks, source)
        return Event(label, date, where.group("place"), span=block.span)
    return Event(label, _date(blocks, source), source.place, span=document.span)


def _ranked(label: str, ordinal_re: re.Pattern[str], vocab: Vocabulary) -> int | None:
    """The rank a meeting's name gives it: "Second Plenary ...", "22nd Meeting of ...",
    "Sixth Hong Kong/Macao ... High-level Meeting"."""
    ordinal = next(
        (o for o in (vocab.ordinal(x.group("o")) for x in ordinal_re.finditer(label)) if o), None
    )
    if ordinal is None and label.split():
        ordinal = vocab.ordinal(label.split()[0])
    return ordinal


@functools.lru_cache(maxsize=4)
def _held_its(vocab: Vocabulary) -> re.Pattern[str]:
    """What follows a mechanism's name that holds its meeting: " held its Third Plenary
    Session", " convened its first meeting"."""
    return re.compile(
        rf"\s+(?:held|convened|opened|holds|convenes|opens)\s+(?:its|their)\s+"
        rf"{_meeting(vocab).pattern}",
        re.IGNORECASE,
    )


@functools.lru_cache(maxsize=4)
def _meeting(vocab: Vocabulary) -> re.Pattern[str]:
    """A meeting's own words, up to two before them (an ordinal, a year): "Third Plenary
    Session", "first meeting", "SECOND PLENARY SESSION"."""
    meeting = alternation(vocab.words("meeting_words"), boundary=False)
    return re.compile(
        rf"(?P<meeting>(?:[\w-]+\s+){{0,2}}?{meeting}(?:\s+{meeting})*)(?![\w-])",
        re.IGNORECASE,
    )


_RECORD_OF = re.compile(
    r"(?:(?:Summary\s+)?(?:Minutes|Record|Notes)|Summary\s+record)\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)
# A summary's line of where the meeting was: "Venue: Haikou".
_VENUE = re.compile(r"(?i:venue|location|place|where)\s*[:：]\s*(?P<venue>[^\n;]{2,80})")
# ... and of when: "When: Tue 24 Nov 2026", "Date of meeting: 24 November 2026".
_WHEN = re.compile(
    r"(?i:when|date\s+of\s+(?:the\s+)?meeting|meeting\s+date)\s*[:：]\s*"
    r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+)?"
)


def _venue_place(venue: str, registry: Registry) -> str | None:
    """The place a venue names: a place the registry knows that opens it ("Haikou, Hainan
    Province"), a city before its province ("Wuxi, Jiangsu Province"), a place the registry
    knows in it ("Hong Kong Convention and Exhibition Centre, Hong Kong"), else a short name
    of a place ("Haikou")."""
    venue = venue.strip()
    known = registry.find_jurisdictions(venue)
    if known and known[0][0] == 0:
        return str(known[0][2].name)
    first = venue.split(",")[0].strip()
    if first != venue and _CITY_THEN_PROVINCE.fullmatch(venue) and not _BUILDING.search(first):
        return first
    if known:
        return str(known[-1][2].name)
    words = venue.replace(",", " ").split()
    return venue if len(words) <= 3 and all(w[:1].isupper() for w in words) else None


_BUILDING = re.compile(r"\b(?:Centre|Center|Hall|Hotel|Building|Room|House|Plaza|Tower|Office)\b")
_CITY_THEN_PROVINCE = re.compile(rf"{CAP}(?:\s+{CAP}){{0,2}},\s+{CAP}(?:\s+{CAP}){{0,3}}")


@functools.lru_cache(maxsize=4)
def _lower_label_words(vocab: Vocabulary) -> frozenset[str]:
    """Words a meeting's name may print in lower case ("the first meeting of the ..."):
    ordinals and meeting words."""
    words = {w.lower() for m in vocab.words("meeting_words") for w in m.split()}
    return frozenset(words | {str(w).lower() for w in vocab.raw.get("ordinals") or {}})


def _label_start(
    text: str, end: int, lower: frozenset[str] = frozenset(), stops: frozenset[str] = frozenset()
) -> int:
    """Where the phrase that names the meeting and ends at `end` begins ("High-Level
    Meeting cum First Plenary Session of the", "the first meeting of the", "the 2021"
    before the mechanism's name)."""
    words = list(re.finditer(r"\S+", text[:end]))
    start = end
    for w in reversed(words):
        word = w.group()
        if word.endswith((",", ":")) or "\n" in text[w.end() : start] or word in stops:
            # "On 22 May, the ...", "Subject: Outcome of ...", a title's line above it
            break
        if not (
            word[:1].isupper()
            or word in _LABEL_LINKS
            or word.lower() in lower
            or _NUMBERED.match(word)
            or _YEAR.match(word)
        ):
            break
        start = w.start()
    while True:  # a phrase does not begin with "the" or "of"
        first = re.match(r"(\S+)\s+", text[start:end])
        if not first or first.group(1).lower() not in _LABEL_LINKS:
            return start
        start += first.end()


def _date(blocks: list[Block], source: Source) -> str | None:
    """ "today (May 11)" (or "on Thursday (May 23)", or a news dateline "URUMQI, June 18
    --") with the year of the release's dateline (an "Ends/..." line, or a
    line that is only a date), else a date the opening gives the meeting ("held ... on 29
    November 2022"), else the dateline, else the metadata date. The metadata date
    gives only the year when the text has a date: a republished copy's sidecar carries the
    day it was copied, not the day of the meeting."""
    dateline = _dateline(blocks)
    year = dateline.year if dateline else None
    if year is None and source.date:
        year = int(source.date[:4])
    if year is None:  # the year the page furniture dates the page in ("Updated: 2025-09-22")
        year = _furniture_year(blocks)
    if year is None:  # a newsletter's masthead: "... | Issue 47 | October 2026"
        year = _masthead_year(blocks)
    # A summary's "When: 24 Nov 2026" first: it dates the meeting, whatever dates the page.
    for block in [b for b in blocks if not b.chrome][:_FIELD_LINES]:
        field = _WHEN.match(block.text)
        line = _DATE_LINE.match(block.text, field.end()) if field else None
        found = _line_date(line) if line else None
        if found:
            return found.isoformat()
    # "today (May 11)" anywhere first; then, in the opening, a weekday's date or a dateline.
    opening = [b for b in blocks if not b.chrome][:_OPENING]
    prose = _prose(blocks)
    # "today" of a paragraph about the meeting: not of a council's question on it ("a
    # written reply ... in the Legislative Council today (June 12)").
    about = [b for b in blocks if not b.chrome and _ABOUT_MEETING.search(b.text)]
    for pattern, where, find in (
        (_TODAY, about, re.Pattern.search),
        (_ON_WEEKDAY, opening, re.Pattern.search),
        (_NEWS_DATELINE, opening, re.Pattern.match),
        (_BRACKET_DATELINE, opening, re.Pattern.match),
        (_ON_DATE, prose[:_OPENING], re.Pattern.search),
        (_HELD_ON_DAY, prose[:_OPENING], re.Pattern.search),
        (_MET_ON, prose[:_OPENING], re.Pattern.search),
    ):
        for block in where:
            m = find(pattern, block.text)
            stated = m.groupdict().get("year") if m else None
            if m and (stated or year is not None):
                month = m.group("month") or m.group("month2")
                day = m.group("day") or m.group("day2")
                found = _make(int(stated) if stated else year, month, day)
                if found and pattern is _NEWS_DATELINE:
                    # A wire's dateline is the day it was filed: "QINZHOU, Dec. 2 (Xinhua)
                    # -- ... at a meeting held in Qinzhou on Tuesday" met on December 1.
                    found = _told_day(prose[:_OPENING], found) or found
                if found:
                    return found.isoformat()
    # The opening's first; then anywhere, before the dateline ("(1) The First Meeting ...
    # was held in Shaoguan on April 18, 2024", in a reply published in June).
    for block in dict.fromkeys([*opening, *prose[:_OPENING], *(b for b in blocks if not b.chrome)]):
        m = _HELD_ON.search(block.text)
        found = _line_date(m) if m else None
        if found:
            return found.isoformat()
    # ... or the day a post's heading gives ("Hong Kong Government thread (posted 5 Dec
    # 2026)", then "Today the ... held ...").
    reference = dateline or _iso(source.date) or _masthead_date(blocks)
    told = _told_day([*opening, *prose[:_OPENING]], reference) if reference else None
    if told:
        return told.isoformat()
    if dateline:
        return dateline.isoformat()
    return source.date


def _prose(blocks: list[Block]) -> list[Block]:
    """The paragraphs of sentences: a newspaper's section label, title, standfirst and byline,
    a portal's masthead or a paper's reference block stand before the first of them."""
    return [b for b in blocks if not b.chrome and b.text.rstrip().endswith((".", '"', "”"))]


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _told_day(blocks: list[Block], reference: dt.date) -> dt.date | None:
    """The day the first "yesterday" or "on Tuesday" of `blocks` means, told on `reference`."""
    for block in blocks:
        m = _RELATIVE.search(block.text)
        if m:
            return _relative(m, reference)
    return None


def _relative(m: re.Match[str], reference: dt.date) -> dt.date:
    """The day "yesterday" or "on Tuesday" means in a story published on `reference`: the
    day before, or the last such weekday on or before it."""
    if m.group("yesterday"):
        return reference - dt.timedelta(days=1)
    if m.group("today"):
        return reference
    back = (reference.weekday() - _WEEKDAYS.index(m.group("weekday"))) % 7
    return reference - dt.timedelta(days=back)


_PLACED = re.compile(rf"{CAP}(?:\s+{CAP})*,\s+(?=\S)")


def _dateline(blocks: list[Block]) -> dt.date | None:
    """The first date of a chrome line ("Ends/Friday, June 2, 2017") or of a line that is
    only a date; a date inside other page furniture ("Published: 2022-11-30") is not one."""
    for block in blocks:
        # "May 16, 2019", or a place before it: "Kunming, 5 November 2025".
        line = block.text.strip()
        placed = _PLACED.match(line)
        whole = _DATE_LINE.fullmatch(line, placed.end() if placed else 0)
        if whole:
            found = _line_date(whole)
            if found:
                return found
        m = _FULL_DATE.search(block.text) if block.chrome else None
        if m:
            month, day = m.group("month") or m.group("month2"), m.group("day") or m.group("day2")
            found = _make(int(m.group("year")), month, day)
            if found:
                return found
    return None


_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)[-/.]\d{1,2}[-/.]\d{1,2}\b")


def _furniture_year(blocks: list[Block]) -> int | None:
    """The year of the first date in the page's furniture ("Source: ... Updated:
    2025-09-22"): not the meeting's day, but the year a story's "On September 20" is in."""
    for block in (b for b in blocks if b.chrome):
        m = _ISO_DATE.search(block.text) or _FULL_DATE.search(block.text)
        if m:
            return int(m.group("year"))
    return None


_ISSUE_DATE = re.compile(rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b")


def _masthead_year(blocks: list[Block]) -> int | None:
    """The year of the issue a masthead dates ("October 2026", "2026-10-30") in the lines
    before the first paragraph of sentences."""
    for block in _masthead(blocks):
        m = _ISO_DATE.search(block.text) or _ISSUE_DATE.search(block.text)
        if m:
            return int(m.group("year"))
    return None


def _masthead_date(blocks: list[Block]) -> dt.date | None:
    """The first whole date in the lines before the first paragraph of sentences."""
    for block in _masthead(blocks):
        m = _FULL_DATE.search(block.text)
        if m:
            month, day = m.group("month") or m.group("month2"), m.group("day") or m.group("day2")
            return _make(int(m.group("year")), month, day)
        iso = _ISO_DATE.search(block.text)
        if iso:
            return _iso(iso.group())
    return None


def _masthead(blocks: list[Block]) -> list[Block]:
    prose = _prose(blocks)
    return blocks[: blocks.index(prose[0]) if prose else _OPENING]


def _line_date(m: re.Match[str]) -> dt.date | None:
    if "iso" in m.re.groupindex and m.group("iso"):
        try:
            return dt.date.fromisoformat(m.group("iso"))
        except ValueError:
            return None
    if m.group("month"):
        return _make(int(m.group("year")), m.group("month"), m.group("day"))
    return _make(int(m.group("year2")), m.group("month2"), m.group("day2"))


def _make(year: int, month: str, day: str) -> dt.date | None:
    try:
        number = _MONTHS.get(month) or _SHORT_MONTHS[month.rstrip(".")]
        return dt.date(year, number, int(day))
    except ValueError:
        return None
