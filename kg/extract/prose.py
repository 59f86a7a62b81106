"""Areas and commitments written in prose, without headings or lists: paragraphs led by the
area ("On tourism, the two sides will ...") and news reports whose paragraphs say what a side
will do ("The Hong Kong Trade Development Council will lead ...")."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence

from kg.extract.headings import is_heading
from kg.extract.segment import Block, sentences
from kg.extract.vocab import Vocabulary, alternation, verb_forms
from kg.model import Area, Span
from kg.registry import name_key

_FIELD = re.compile(r"[a-z][a-z'’&/ -]*")
_MAX_LED_WORDS = 10  # "On innovation and technology, ...": a longer phrase is a clause
_MIN_LED = 2  # one "On ...," paragraph is a turn of phrase; two are the layout
# A quoted sentence ("“Hong Kong families already buy ...,” he said"), not a quoted name.
_QUOTE = re.compile(r"[\"“][A-Z][^\"“”]{15,}?[,.!?][\"”]")
# The opening paragraph of a report ("... agreed today to step up co-operation ...") tells of
# the meeting, not of one commitment.
_TODAY = re.compile(r"\btoday\b", re.IGNORECASE)
_LEDE_WORDS = 15  # a story's first paragraph of prose, not its headline or byline
# What a signed document binds its sides to, told after the signing: "Under the MoU, the
# two sides will ...", "Pursuant to the agreement, ...".
_UNDER_IT = re.compile(
    r"\s*(?:Under|Pursuant\s+to|In\s+accordance\s+with|According\s+to)\s+the\s+"
    r"(?:[\w-]+\s+){0,8}?(?:MoU|MOU|MoUs|memorand(?:um|a|ums)|agreements?|arrangements?|letter"
    r"|LoI|LOI|accord|protocol|framework)\b",
    re.IGNORECASE,
)
_MEETING = re.compile(r"\b(?:met|meeting|conference|talks)\b", re.IGNORECASE)


def _led(block: Block, vocab: Vocabulary, strict: bool = True) -> Span | None:
    """The area phrase that leads a paragraph ("On financial services, Hunan will ..."),
    when (`strict`) the rest of the paragraph says what a side will do."""
    m = vocab.area_lead.match(block.text) or vocab.area_order_lead.match(block.text)
    if m is None:
        return None
    label = m.group("label")
    words = label.split()
    if not 1 <= len(words) <= _MAX_LED_WORDS:
        return None
    lead = (m.groupdict().get("lead") or "").lower()  # none: "First, big data. ..."
    if lead == "in" and not m.group("order"):
        # "In finance, ...", "In the digital economy, ...": lower-case words of a field, not
        # a place ("In Hong Kong, ..."), a year or a turn of phrase ("In addition, ...").
        bare = re.sub(r"^the\s+", "", label)
        if not _FIELD.fullmatch(bare) or set(bare.split()) & vocab.not_area_after_in:
            return None
    elif lead in ("on", "in") and words[0].lower() in vocab.not_area_lead:
        return None  # "On behalf of ...", "On the same day, ...", "On June 2, ..."
    if any(w.lower() in vocab.leadin_words for w in words):
        return None  # "On the day the agreement was signed, ..."
    rest = block.text[m.end() :]
    if strict and not (will_do(rest, vocab) or _will_any(rest, vocab)):
        return None
    start = block.span.start + m.start("label")
    article = re.match(r"the\s+", label, re.IGNORECASE)
    if article:  # "As for the digital economy": the area is "digital economy"
        start, label = start + article.end(), label[article.end() :]
    return Span(start, start + len(label), label)


def will_do(text: str, vocab: Vocabulary) -> bool:
    """Whether a text says that someone will do, agreed to do or does something: "will
    (also/jointly/continue to) <action verb>", "agreed to <action verb>"."""
    return vocab.will_do.search(text) is not None


def led_areas(
    blocks: list[Block],
    vocab: Vocabulary,
    ends: Callable[[Block], bool],
    named: Sequence[Area] = (),
) -> tuple[list[Area], list[tuple[Block, str | None]], int, int] | None:
    """Areas led in prose: each "On <area>, ..." paragraph opens an area and is its first
    commitment; the paragraphs after it that are not led stay in it, until the section ends.
    Areas `named` in a sentence before are opened by a paragraph whose first words name one
    ("For modern agriculture, ...", "Finance and trade cooperation will ...") and listed
    in their order. Returns the areas, the commitments, and the indexes where the section
    starts and ends; None when fewer than two paragraphs are led so. A paragraph whose
    sentences lead two or more areas ("... agreed to co-operate in eight areas. On
    finance, X will ... On aviation, Y will ...") is read as a paragraph per area: its
    commitments are those sentences."""
    parts, whole = _led_sentences(blocks, vocab)
    split = {k for k, n in Counter(whole).items() if n > 1}

    def after_split(i: int) -> bool:
        # A paragraph of its own after one cut into areas: its areas end with it.
        return whole[i] != whole[i - 1] and whole[i - 1] in split

    found = _led_areas(parts, vocab, ends, named, after_split)
    if found is None:
        return None
    areas, commitments, first, end = found
    # Indexes into `blocks`: the section ends after the paragraph of its last part.
    return areas, commitments, whole[first], whole[end - 1] + 1


def _led_sentences(blocks: list[Block], vocab: Vocabulary) -> tuple[list[Block], list[int]]:
    """`blocks` with each paragraph that leads two or more areas in its sentences cut
    before each such sentence, and the index in `blocks` of each part."""
    parts: list[Block] = []
    whole: list[int] = []
    honorifics = frozenset(vocab.words("honorifics"))
    for i, block in enumerate(blocks):
        cuts: list[int] = []
        if i and vocab.area_lead.search(block.text, 1):  # a later sentence may lead one
            said = sentences(block, honorifics)
            cuts = [
                k
                for k, sent in enumerate(said)
                if _led(dataclasses.replace(block, span=sent), vocab)
            ]
        if len(cuts) < _MIN_LED:
            parts.append(block)
            whole.append(i)
            continue
        bounds = ([0] if cuts[0] else []) + cuts + [len(said)]
        line, counted = block.line, 0  # lines counted from the paragraph's start so far
        for a, b in itertools.pairwise(bounds):
            start, end = said[a].start - block.span.start, said[b - 1].end - block.span.start
            line += block.text.count("\n", counted, start)
            counted = start
            first = a == 0
            parts.append(
                Block(
                    Span(said[a].start, said[b - 1].end, block.text[start:end]),
                    line,
                    block.blank_before if first else 0,
                    block.marker if first else None,
                    block.chrome,
                )
            )
            whole.append(i)
    return parts, whole


def _led_areas(
    blocks: list[Block],
    vocab: Vocabulary,
    ends: Callable[[Block], bool],
    named: Sequence[Area] = (),
    stops: Callable[[int], bool] = lambda i: False,
) -> tuple[list[Area], list[tuple[Block, str | None]], int, int] | None:
    leads = {i: span for i, b in enumerate(blocks) if i and (span := _led(b, vocab))}
    after = max((a.span.end for a in named if a.span is not None), default=0)
    for i, block in enumerate(blocks):
        if i and i not in leads and block.span.start >= after:
            span = _opens_with(block, named, vocab)
            if span is not None:
                leads[i] = span
    if len(leads) < _MIN_LED:
        return None
    first = min(leads)
    # Areas led by items lettered (a), (b) under "(1)" end where "(2)" goes on.
    lettered = blocks[first].marker == "letter"
    end = next(
        (
            i
            for i in range(first + 1, len(blocks))
            if ends(blocks[i]) or (lettered and blocks[i].marker in ("number", "agenda"))
        ),
        len(blocks),
    )
    if sum(1 for i in leads if i < end) < _MIN_LED:
        return None
    # Once the layout is plain, a lead need not say "will" ("On tourism, Jiangsu welcomes
    # ...").
    for i in range(first + 1, end):
        if i not in leads and (span := _led(blocks[i], vocab, strict=False)):
            leads[i] = span
    areas: list[Area] = list(named)
    labels = {name_key(a.label).casefold(): a.label for a in named}
    commitments: list[tuple[Block, str | None]] = []
    area: str | None = None
    for i in range(first, end):
        block = blocks[i]
        if i not in leads and stops(i):
            end = i
            break
        if i in leads:
            span = leads[i]
            area = re.sub(r"\s+", " ", span.text)
            area = labels.get(name_key(area).casefold(), area)
            if all(a.label != area for a in areas):
                areas.append(Area(area, False, span))
        elif (
            vocab.area_lead.match(block.text)
            or next_meeting(block.text)
            or (said(block.text, vocab) and attributed(block.text, vocab) is None)
            or is_heading(block, vocab)
        ):
            continue  # speech, a time ("On the same day, ...") or a crosshead, between the areas
        commitments.append((block, area))
    return _without_topics(areas, len(named), commitments), commitments, first, end


def _without_topics(
    areas: list[Area], named: int, commitments: list[tuple[Block, str | None]]
) -> list[Area]:
    """`areas` without the first `named` ones no paragraph opened, when the paragraphs
    opened as many of their own: the sentence listed topics ("discussed cooperation in
    new energy, agriculture, finance and tourism"), and the leads name the areas ("First,
    on new energy and green development, ...")."""
    if not named or len(areas) - named < named:
        return areas
    opened = {area for _, area in commitments}
    return [a for i, a in enumerate(areas) if i >= named or a.label in opened]


def _opens_with(block: Block, named: Sequence[Area], vocab: Vocabulary) -> Span | None:
    """The named area a paragraph's first words name, after a lead word or not ("For
    modern agriculture, ...", "Finance and trade cooperation will ...")."""
    if not named:
        return None
    text = block.text
    low = text.casefold()
    at = next((len(w) + 1 for w in _opening_words(vocab) if low.startswith(w + " ")), 0)
    if low.startswith("the ", at):
        at += 4
    for area in sorted(named, key=lambda a: -len(a.label)):
        key = area.label.casefold()
        if low.startswith(key, at) and low[at + len(key) : at + len(key) + 1] in (" ", ","):
            start = block.span.start + at
            return Span(start, start + len(key), text[at : at + len(key)])
    return None


@functools.cache
def _opening_words(vocab: Vocabulary) -> tuple[str, ...]:
    """The words that may lead a paragraph's area, longest first ("in terms of" before
    "in"); "For" and "Under" too, once a sentence has named the areas ("Under the clean
    energy pillar, ...")."""
    words = {w.casefold() for w in vocab.words("area_lead_words")} | {"for", "under"}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def attributed(text: str, vocab: Vocabulary) -> int | None:
    """Where the speaker's credit starts in a paragraph that is a commitment told by its
    speaker: no quotation, what a side will do, and the speaker named only at its end ("The
    two sides will also support ..., Liu said.", "..., Wendy Chan, deputy executive
    director of the HKTDC, told reporters."). None for other paragraphs."""
    if _QUOTE.search(text) or not _promises(text, vocab):
        return None
    m = vocab.speech.search(text)
    if m is None or "." in text[m.end() :].strip().rstrip("."):
        return None  # no speech word, or one with another sentence after it
    cut = text.rfind(",", 0, m.start())
    # The credit after the main clause, and short (a name, maybe a post).
    if cut < len(text) // 2 or len(text[cut : m.start()].split()) > 16:
        return None
    return cut if _promises(text[:cut], vocab) else None


def _promises(text: str, vocab: Vocabulary) -> bool:
    return will_do(text, vocab) or _will_any(text, vocab)


def next_meeting(text: str) -> bool:
    """ "The next meeting will be held in Hong Kong in 2026", "will review progress at the
    next meeting": a date, or the way forward, not a commitment."""
    if _REVIEW_AT_NEXT.search(text):
        return True
    return _WILL_BE.search(text) is not None and (
        _MEETING.search(text) is not None or _SESSION.search(text) is not None
    )


_REVIEW_AT_NEXT = re.compile(
    r"\b(?:review|report|assess|take\s+stock\s+of)\s+(?:the\s+)?progress\s+(?:made\s+)?"
    r"(?:at|during)\s+the\s+next\s+(?:meeting|session|plenary)",
    re.IGNORECASE,
)


def said(text: str, vocab: Vocabulary) -> bool:
    """Whether a paragraph reports speech or quotes (not what the sides agreed)."""
    return _QUOTE.search(text) is not None or vocab.speech.search(text) is not None


def reported(
    blocks: list[Block],
    vocab: Vocabulary,
    ends: Callable[[Block], bool],
    least: int = _MIN_LED,
) -> tuple[list[tuple[Block, str | None]], int] | None:
    """A news report's commitments: from the first paragraph that says what a side will do
    (not the opening paragraph, which reports the meeting) to the signing or the end, each
    paragraph that says so without quoting or reporting speech. None unless there are
    `least`; a lone one must say it with an action verb ("agreed to set up"), not with any
    verb after "will"."""
    found: list[Block] = []
    last = 0
    lede = next((i for i, b in enumerate(blocks) if len(b.text.split()) >= _LEDE_WORDS), 0)
    signed = False
    for i, block in enumerate(blocks[1:], start=1):
        if found and ends(block) and not will_do(block.text, vocab):
            # The signing; not a paragraph that also says what the signers will do. After
            # it, only what the sides will do under what they signed ("Under the MoU, ...").
            signed = True
            continue
        if signed and not _UNDER_IT.match(block.text):
            continue
        if _TODAY.search(block.text) or (i == lede and _MEETING.search(block.text)):
            # The lede: it tells of the meeting ("... after officials met for ..."); a short
            # story's one paragraph may go on to what the sides will do.
            told = _lede_commitments(block, vocab) if i == lede else []
            if told:
                found += told
                last = i
            continue
        if next_meeting(block.text) or vocab.area_count.search(block.text):
            continue  # the next meeting's date; a summary that counts the areas
        claim = block.text
        if said(claim, vocab):
            cut = attributed(claim, vocab)
            if cut is None:
                continue
            claim = claim[:cut]  # what was told, not who told it
        if vocab.honorific.search(claim):
            continue  # "Mrs Lam will host a dinner": a person's programme, not the sides'
        if block.text.endswith(":"):
            continue
        if not (will_do(block.text, vocab) or _will_any(block.text, vocab)):
            continue
        found.append(block)
        last = i
    if len(found) < least or (len(found) == 1 and not will_do(found[0].text, vocab)):
        return None
    return [(b, None) for b in found], last + 1


def _lede_commitments(block: Block, vocab: Vocabulary) -> list[Block]:
    """The sentences of a story's opening paragraph, after the one that tells of the
    meeting, that say with an action verb what a side will do: one block each. None when
    the paragraph reports speech."""
    said_ = sentences(block, frozenset(vocab.words("honorifics")))
    if len(said_) < 2 or said(block.text, vocab):
        return []
    out = []
    for sent in said_[1:]:
        if will_do(sent.text, vocab) and not next_meeting(sent.text):
            line = block.line + block.text.count("\n", 0, sent.start - block.span.start)
            out.append(Block(sent, line, 0, None, block.chrome))
    return out


def lone_lead(found: Sequence[Block], vocab: Vocabulary) -> Span | None:
    """The area that the first of a report's commitments is led by ("On port logistics, the
    two sides agreed ..."), when no other is led: it heads them all. (Two leads or more are
    led areas; one further down may be a turn of phrase, and what comes before it has no
    area the text names.)"""
    if not found or any(_led(b, vocab, strict=False) for b in found[1:]):
        return None
    return _led(found[0], vocab)


def _will_any(text: str, vocab: Vocabulary) -> bool:
    """ "will" and any verb after it ("will take a buyers' mission", "will also stage"): in a
    report whose paragraphs are not speech, what a side will do, whatever the verb; not a
    delegation's programme ("will visit a port tomorrow")."""
    m = _WILL_ANY.search(text)
    if m is None or _WILL_BE.search(text):
        return False
    return _itinerary(vocab).match(text, m.start("verb")) is None


@functools.cache
def _itinerary(vocab: Vocabulary) -> re.Pattern[str]:
    return re.compile(alternation(verb_forms(vocab.words("itinerary_verbs"), {})), re.IGNORECASE)


_WILL_ANY = re.compile(
    r"\b(?:will|would)\s+(?:also\s+|jointly\s+|further\s+)?(?!be\b|have\b)"
    r"(?P<verb>[a-z][a-z-]{2,})\b"
)
_WILL_BE = re.compile(r"\bwill\s+be\s+(?:held|invited|expected)\b")
# "The fourth session will be held in Hong Kong in 2027."
_SESSION = re.compile(r"\b(?:session|plenary)\b", re.IGNORECASE)


def opened_areas(
    blocks: list[Block], areas: list[Area], vocab: Vocabulary, ends: Callable[[Block], bool]
) -> tuple[list[tuple[Block, str | None]], int] | None:
    """Areas named in prose before, then each opening its own paragraph ("... five areas:
    finance, energy and ..." then "Financial co-operation will see ...", "Energy co-operation
    will focus on ..."): a paragraph that opens with an area's name starts that area, and the
    paragraphs after it stay in it until the section ends. None unless two paragraphs do."""
    keys = [(name_key(a.label).casefold(), a.label) for a in areas]
    # Only after the sentence that names them: an opening paragraph may begin with one.
    named = min((a.span.end for a in areas if a.span is not None), default=0)
    opens: dict[int, str] = {}
    for i, block in enumerate(blocks[1:], start=1):
        if block.span.start < named:
            continue
        text = name_key(block.text).casefold()
        label = next((lab for key, lab in keys if text.startswith(key + " ")), None)
        if label is not None:
            opens[i] = label
    if len(opens) < _MIN_LED:
        return None
    first = min(opens)
    end = next((i for i in range(first + 1, len(blocks)) if ends(blocks[i])), len(blocks))
    commitments: list[tuple[Block, str | None]] = []
    area: str | None = None
    for i in range(first, end):
        text = blocks[i].text
        if i not in opens and (
            next_meeting(text) or (said(text, vocab) and attributed(text, vocab) is None)
        ):
            continue
        area = opens.get(i, area)
        commitments.append((blocks[i], area))
    return commitments, end
