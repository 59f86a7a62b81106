"""Commitments listed without headings: the items of a list after a lead-in ("... agreed
to:"), marked ("•", "(a)"), labelled ("Finance: ...") or imperative ("Support ..."); and
areas named in prose after the stated count."""

from __future__ import annotations

import dataclasses
import functools
import re

from kg.extract.earlier import tells_of_signing
from kg.extract.headings import Layout, ends_section, is_heading, is_leadin, signs
from kg.extract.prose import lone_lead, next_meeting, reported, said, will_do
from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Area, Span
from kg.registry import name_key

_MAX_LEADIN_WORDS = 8
_MAX_LABEL_WORDS = 6  # an area named in prose ("... namely finance, ...") is short


def listed(blocks: list[Block], vocab: Vocabulary, layout: Layout) -> Layout:
    """No headings: the items of the first list led by "... agreed to:" are the commitments
    (a list led by a signing sentence names documents instead); areas named in prose after
    the stated count ("in four areas, namely finance, ... and youth development") are the
    areas when there are as many as stated."""
    lead = next(
        (
            i
            for i, block in enumerate(blocks[1:], start=1)
            if (
                LEADS.search(block.text)
                or vocab.area_count.search(block.text)
                or _heads_labelled(blocks, i, vocab)
                or _labelled_run(blocks, i + 1, vocab)
            )
            and (not tells_of_signing(block.text, vocab) or _promises(block.text, vocab))
            and i + 1 < len(blocks)
            and _item_kind(blocks[i + 1], vocab) is not None
            and not vocab.honorific.search(blocks[i + 1].text)  # a list of who attended
        ),
        None,
    )
    # The signing ends the prose before it; a speech or a review that recalls an earlier
    # signing does not ("... progress since the signing of the Agreement in 2023").
    signing = next(
        (
            i
            for i, b in enumerate(blocks)
            if i and tells_of_signing(b.text, vocab) and not said(b.text, vocab)
        ),
        None,
    )
    last = lead if lead is not None else (signing - 1 if signing is not None else len(blocks) - 1)
    for block in blocks[1 : last + 1]:
        m = vocab.area_count.search(block.text)
        if m:
            layout.stated = vocab.number(m.group("n"))
            layout.areas = _prose_areas(block, m.end(), layout.stated)
            break
    if lead is None:
        for i, block in enumerate(blocks[1 : last + 1], start=1):
            inline = [] if said(block.text, vocab) else inline_items(block)
            inline = inline or semicolon_items(block, vocab)
            if inline:
                layout.commitments = [(item, None) for item in inline]
                layout.end = i + 1
                _then_reported(blocks, i, vocab, layout)
                break
        return layout
    kind = _item_kind(blocks[lead + 1], vocab)
    # A table turned into text: a row a line, its cells separated by tabs; a row whose first
    # cell was merged with the one above starts with the next cell.
    table = "\t" in blocks[lead + 1].text
    items: list[Block] = []
    for item in blocks[lead + 1 :]:
        if items and signs(item, vocab):
            break  # "3. After the meeting, ... witnessed the signing of two documents –"
        if items and item.marker == "agenda":
            break  # the next item of a meeting's agenda
        if items and item.marker is None and next_meeting(item.text):
            break  # "The two sides will review progress at the next meeting": after the list
        kin = _item_kind(item, vocab) == kind
        if kin and item.marker in _OUTER and any(i.marker == "letter" for i in items[:1]):
            break  # "(2)" after "(a) ... (c)": the numbered list that holds this one goes on
        if not kin and kind == "label":
            kin = (table and item.blank_before == 0) or (not table and _follows(item, vocab))
        if not kin and kind == "marker" and items and _inline_label(items[0], vocab):
            kin = item.marker is None and _follows(item, vocab)  # a labelled item goes on
        if not kin:
            break
        items.append(item)
    if kind == "label" and len(items) > 1 and _header_row(items[0], vocab):
        items = items[1:]
        lead += 1
    headed = _bullet_heads(items, vocab) if kind == "marker" and not layout.areas else None
    if headed is not None:
        layout.areas = [Area(h.text, True, h.span) for h in headed]
        area = None
        layout.commitments = []
        for item in items:
            if any(item is h for h in headed):
                area = item.text
            else:
                layout.commitments.append((item, area))
        layout.end = lead + 1 + len(items)
        return layout
    labels = [_inline_label(item, vocab) for item in items]
    labelled = sum(bool(x) for x in labels)
    nested = labelled >= 2 and _nested(items, labels)
    # A marked list's unmarked paragraphs go on with the item above them ("(1) Energy: ...",
    # then "Hong Kong Productivity Council will ..."): only its marked items need labels.
    counted = len(items) if kind != "marker" else sum(i.marker is not None for i in items)
    # Items led by labels may have unlabelled follow-ons; other lists need mostly labels,
    # or each unlabelled item under a labelled one that leads it ("(b) Finance: the two
    # sides agreed to – (i) ...; (ii) ...").
    if (
        not layout.areas
        and labelled >= 2
        and (kind == "label" or labelled >= 0.6 * counted or nested)
    ):
        for label in labels:
            if label and all(a.label != label.text for a in layout.areas):
                layout.areas.append(Area(label.text, True, label))
    known = {name_key(a.label): a.label for a in layout.areas}
    layout.commitments = []
    area: str | None = None
    for item, label in zip(items, labels, strict=True):
        if label is not None:
            area = known.get(name_key(label.text))
            if nested and LEADS.search(item.text):
                continue  # it leads its sub-items: they are the commitments
        elif kind != "label" and item.marker is not None and not nested:
            area = None
        layout.commitments.append((_cell(item, label), area))
    layout.end = lead + 1 + len(items)
    return layout


def _labelled_run(blocks: list[Block], i: int, vocab: Vocabulary) -> bool:
    """Whether a list starts at `i` with no lead-in: two marked items or more, each led by
    a label and saying what a side will do ("2/5 Energy transition: the ... will share
    ...", "3/5 Culture: the ... will co-organise ...")."""
    run = blocks[i : i + 2]
    return len(run) == 2 and all(
        b.marker is not None
        and b.marker != "agenda"
        and _inline_label(b, vocab) is not None
        and will_do(b.text, vocab)
        for b in run
    )


# Markers of the list that holds a lettered one: "(2)" after "(a) ... (c)" under "(1)".
_OUTER = ("number", "agenda")


def _heads_labelled(blocks: list[Block], i: int, vocab: Vocabulary) -> bool:
    """An agenda item that a list follows ("Item 3: Agreed actions", then "(a) Trade and
    investment: ...", "(b) Youth exchange: ..."; "2. New items", then "Action: ...")."""
    if blocks[i].marker != "agenda" or blocks[i].text.endswith("."):
        return False
    after = blocks[i + 1 : i + 3]
    return len(after) == 2 and all(
        b.marker not in (None, "agenda") or _inline_label(b, vocab) for b in after
    )


def _nested(items: list[Block], labels: list[Span | None]) -> bool:
    """Whether every unlabelled item stands under a labelled item that leads a list of its
    own (its text after the label ends in ":" or a dash)."""
    leading = False
    for item, label in zip(items, labels, strict=True):
        if label is not None:
            leading = LEADS.search(item.text) is not None
        elif not leading:
            return False
    return True


def _then_reported(blocks: list[Block], i: int, vocab: Vocabulary, layout: Layout) -> None:
    """After a paragraph's inline list, the paragraphs that say what a side will do, to the
    signing ("3. In the area of logistics, the HKTDC ... will co-organise ..."): a
    commitment each, under the area that leads the first of them when only it is led."""
    report = reported(blocks[i:], vocab, lambda b: signs(b, vocab), least=1)
    if report is None:
        return
    found, end = report
    lead = lone_lead([b for b, _ in found], vocab)
    area = None
    if lead is not None and not layout.areas:
        layout.areas = [Area(lead.text, False, lead)]
        area = lead.text
    layout.commitments += [(b, area) for b, _ in found]
    layout.end = i + end


def _bullet_heads(items: list[Block], vocab: Vocabulary) -> list[Block] | None:
    """The items of a marked list that head the items below them ("• Trade promotion",
    then "o the Agency ... will organise ..."): short lines that read as headings, two or
    more, the first item among them, each with an item under it that says what a side
    will do. None for a list of another shape."""
    heads = [
        item
        for item in items
        if is_heading(dataclasses.replace(item, marker=None), vocab) and not _follows(item, vocab)
    ]
    if len(heads) < 2 or items[0] is not heads[0]:
        return None
    marks = {id(h) for h in heads}
    for i, item in enumerate(items):
        if id(item) in marks:
            under = items[i + 1] if i + 1 < len(items) else None
            if under is None or id(under) in marks or not _follows(under, vocab):
                return None
    return heads


def _follows(block: Block, vocab: Vocabulary) -> bool:
    """A paragraph without a label that goes on with the labelled one above it: it says what
    a side will do, or is an imperative item (a table's row whose first cell is merged)."""
    if ends_section(block, vocab) or block.text.endswith(":") or said(block.text, vocab):
        return False
    return _modal(vocab).search(block.text) is not None or imperative(block.text, vocab)


def _promises(text: str, vocab: Vocabulary) -> bool:
    """Whether a lead-in ends in what a side will do ("Under the documents signed today, the
    two sides will:"): its list is of commitments, though it tells of a signing."""
    return _will_colon(vocab).search(text) is not None


@functools.cache
def _will_colon(vocab: Vocabulary) -> re.Pattern[str]:
    return re.compile(alternation(vocab.words("will_words")) + r"(?:\s+\w+ly)?\s*:$", re.I)


@functools.cache
def _modal(vocab: Vocabulary) -> re.Pattern[str]:
    """ "will", "agreed to", ... followed by any verb ("will stage", "will jointly study")."""
    return re.compile(alternation(vocab.words("will_words")) + r"\s+[a-z]", re.IGNORECASE)


def _header_row(block: Block, vocab: Vocabulary) -> bool:
    """A table's header row turned into text ("Area<TAB>Co-operation item"): a label and a
    few words that do nothing."""
    label = _inline_label(block, vocab)
    if label is None or "\t" not in block.text:
        return False
    rest = block.text[label.end - block.span.start :].strip()
    doing = imperative(rest, vocab) or _modal(vocab).search(rest) is not None
    return len(rest.split()) <= 4 and not doing


# Items numbered inside one paragraph after its lead-in: "The two sides agreed to: (i)
# support ...; (ii) encourage ...; and (iii) organise ...".
_INLINE_MARK = re.compile(
    r"(?:(?<=:)|(?<=;)|(?<=; and)|(?<=, and))\s+\((?P<mark>[ivx]{1,4}|[a-h]|\d{1,2})\)\s+"
)
_INLINE_SEQUENCES = (
    ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"],
    list("abcdefgh"),
    [str(n) for n in range(1, 21)],
)
_INLINE_ITEM_END = re.compile(r"[\s;,.]*(?:\band)?[\s;,.]*$")


def inline_items(block: Block) -> list[Block]:
    """The items a paragraph numbers inline after a lead-in that ends in ":" (three or more,
    numbered in sequence from the first), each as a block of its own; else none."""
    text = block.text
    marks = list(_INLINE_MARK.finditer(text))
    if len(marks) < 3 or not text[: marks[0].start()].rstrip().endswith(":"):
        return []
    found = [m.group("mark") for m in marks]
    if not any(seq[: len(found)] == found for seq in _INLINE_SEQUENCES):
        return []
    items = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        end = nxt.start() if nxt is not None else len(text)
        body = text[m.end() : end]
        cut = _INLINE_ITEM_END.search(body)
        end = m.end() + (cut.start() if cut else len(body))
        start = block.span.start + m.end()
        span = Span(start, block.span.start + end, text[m.end() : end])
        items.append(Block(span, block.line, 0, "number", block.chrome))
    return items


def semicolon_items(block: Block, vocab: Vocabulary) -> list[Block]:
    """The items of a lead-in that says what the sides will do, unnumbered, between
    semicolons ("The two sides agreed to: deepen ...; promote ...; and encourage ..."), each
    a block of its own: three or more, each opening with a verb; else none."""
    text = block.text
    colon = _SEMICOLON_LEAD.search(text)
    if colon is None:
        return []
    # The list ends with its sentence: what follows is another statement.
    stop = _SENTENCE_END.search(text, colon.end())
    end = stop.start() if stop else len(text.rstrip())
    opened = text.rfind(". ", 0, colon.start()) + 1
    if said(text[opened:end], vocab):
        return []  # a speaker's list, not the sides' (the paragraph may report speech too)
    parts = []
    start = colon.end()
    for m in [*_SEMICOLON.finditer(text, start, end), None]:
        cut = m.start() if m is not None else end
        part = _ITEM_OPENING.match(text, start, cut)
        if part is None or not text[part.end() : cut].strip():
            return []  # an item that is not a lower-case clause: no list of commitments
        parts.append((part.end(), cut))
        start = m.end() if m is not None else end
    # Each item a verb of what the sides will do ("deepen ...", "support ..."), not a list
    # of things ("will: the port, the airport and ...").
    if len(parts) < 3 or not all(imperative(text[a:b], vocab) for a, b in parts):
        return []
    return [
        Block(Span(block.span.start + a, block.span.start + b, text[a:b]), block.line, 0,
              "number", block.chrome)
        for a, b in parts
    ]  # fmt: skip


# "The two sides agreed to:", "Both sides will:": a lead-in whose verb the items complete.
_SEMICOLON_LEAD = re.compile(r"\b(?:agreed\s+to|agree\s+to|will(?:\s+also)?)\s*:\s+(?=[a-z])")
_SEMICOLON = re.compile(r";\s+")
_ITEM_OPENING = re.compile(r"(?:and\s+)?(?=[a-z])")
_SENTENCE_END = re.compile(r"\.(?:\s+[A-Z]|\s*$)")


def _cell(block: Block, label: Span | None) -> Block:
    """A labelled item's commitment: what follows its label ("Finance: The two sides will
    ...", "(1) Expanding financial cooperation. Qingdao will ..."), or a table row's cell
    after the tab that follows its area's cell."""
    if label is None:
        return block
    text = block.text
    m = _AFTER_LABEL.match(text, label.end - block.span.start)
    if m is None or m.end() >= len(text):
        return block
    start = block.span.start + m.end()
    span = Span(start, block.span.end, text[m.end() :])
    return Block(span, block.line, block.blank_before, block.marker, block.chrome)


def _item_kind(block: Block, vocab: Vocabulary) -> str | None:
    """What makes a paragraph an item of a list: a marker ("•", "(a)"), an inline label
    ("Finance: support ..."), or an imperative verb ("Support ...", "Jointly develop ...")."""
    if block.marker is not None:
        return "marker"
    if _inline_label(block, vocab):
        return "label"
    return "verb" if imperative(block.text, vocab) else None


def imperative(text: str, vocab: Vocabulary) -> bool:
    """Whether a paragraph opens with a verb in its base form ("Support ...", "Set up ..."),
    after an adverb or "continue to" ("Jointly develop ...", "Continue to promote ...")."""
    words = [w.strip(",;:").lower() for w in text.split()[:5]]
    if words and words[0] in vocab.fillers and (words[0].endswith("ly") or "continu" in words[0]):
        words = words[2:] if len(words) > 1 and words[1] == "to" else words[1:]
    for n in (3, 2, 1):
        phrase = " ".join(words[:n])
        if len(words) >= n and vocab.verbs.get(phrase) == phrase:
            return True
    return False


# "Finance: support ...", "Tourism and culture - The two sides ...".
# A table's row turned into text: "Finance<TAB>Support ...".
_INLINE = re.compile(r"(?P<label>[A-Z][^:;,.\n\t–—]{1,60}?)(?:\s*(?::|\s[–—-])\s+|[ ]*\t\s*)\S")
# ... or a series before a colon ("Culture, tourism and youth exchanges: ...").
_INLINE_SERIES = re.compile(
    r"(?P<label>[A-Z][^:;,.\n\t–—]*(?:,\s+[^:;,.\n\t–—]+)+,?\s+and\s+[^:;,.\n\t–—]+):\s+\S"
)


def _inline_label(block: Block, vocab: Vocabulary) -> Span | None:
    """The label before a colon that opens a paragraph ("Finance: support ..."): a short
    noun phrase, not a clause ("The two sides will: ..."); in a numbered item, also before a
    full stop ("(1) Expanding financial cooperation. Qingdao will ...") when what follows
    says what a side will do."""
    m = _INLINE.match(block.text) or _INLINE_SERIES.match(block.text)
    most = _MAX_LEADIN_WORDS - 2
    if m is None and block.marker is not None:
        m = _stop_label(block.text, vocab)
        # A numbered item's first sentence led by a gerund is its heading, however long
        # ("3. Strengthening cooperation in the digital economy and ... innovation.").
        if m is not None and _GERUND.match(m.group("label")):
            most = _MAX_STOP_LABEL_WORDS
    if m is None:
        return None
    label = m.group("label")
    if len(label.split()) > most:
        return None
    if most == _MAX_LEADIN_WORDS - 2 and is_leadin(label + ":", vocab):
        return None  # (a gerund's sentence is a heading: no clause leads a list so)
    if vocab.honorific.search(label):
        return None
    start = block.span.start
    return Span(start, start + len(label), label)


_GERUND = re.compile(r"(?:[A-Z][a-z]+ly\s+)?[A-Z][a-z]+ing\s")
_MAX_STOP_LABEL_WORDS = 14

# What separates a label from its item: a tab, a colon, a dash or a full stop.
_AFTER_LABEL = re.compile(r"[ ]*\t\s*|\s*(?::|\.|\s[–—-])\s+")
_INLINE_STOP = re.compile(r"(?P<label>[A-Z][^:;,.\n\t–—]{1,120}?)\.\s+(?=[A-Z])")


def _stop_label(text: str, vocab: Vocabulary) -> re.Match[str] | None:
    m = _INLINE_STOP.match(text)
    if m is None or _modal(vocab).search(m.group("label")) or imperative(m.group("label"), vocab):
        return None
    rest = text[m.end() :]
    return m if _modal(vocab).search(rest) or imperative(rest, vocab) else None


# A paragraph that leads a list: it ends in ":", or says "as follows." / "the following ...".
LEADS = re.compile(
    r"(?::|\s[–—-])$|\b(?:as\s+follows|(?:are\s+)?set\s+out\s+below|the\s+following\b[^.;:]*)[.;]?$"
)
# "in seven areas, namely A, B and C", "five key areas of co-operation: A, B and C"; the
# list ends at a sentence's end or where a clause follows it (", and to take forward ...").
_PROSE_LIST = re.compile(
    r"(?:\s*(?:[\w-]+\s+){0,3}?,?\s*(?:namely|comprising|covering|including|which\s+are"
    r"|as\s+follows)\s*:?|(?:\s+[\w-]+){0,3}\s*[:—–])"
    # The list ends at the sentence's next clause: ", and to ...", ", and reached ...", or
    # at the dash that closes it ("in four areas — A, B, C, and D — according to ...").
    r"\s+(?P<list>[^.;:()—–]+?)\s*(?=[.;:(—–]|,\s+and\s+(?:to|[a-z]+ed)\s|$)"
)
_ITEM_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def _prose_areas(block: Block, after: int, stated: int | None) -> list[Area]:
    """The areas a sentence lists after its count, when it lists as many as it states."""
    m = _PROSE_LIST.match(block.text, after)
    if m is None or not stated:
        return []
    return split_areas(block, m.start("list"), m.end("list"), stated)


# What names the areas in a sentence before any count: "agreed to deepen cooperation in
# advanced manufacturing, modern agriculture, finance and trade, and culture and youth
# exchanges at the first meeting", "co-operation in the fields of A, B and C". The list ends
# at the sentence's next preposition or clause.
# "\b(?:co-?operation|collaboration|co-?operate|exchanges)" with each word's first letter
# before the boundary check (looked back at): a pattern whose branches start with letters
# lets the engine skip to the next c or e at C speed.
_COOPERATION = r"(?:c(?<!\wc)(?:o-?operation|ollaboration|o-?operate)|e(?<!\we)xchanges)"
_NAMED_LIST = r"(?P<list>[a-z][a-z'’ -]*?(?:,\s+(?:and\s+)?[a-z][a-z'’ -]*?)+?)"
_NAMED_LIST_END = (
    r"(?=\s+(?:(?:at|during|through|with|by|from|under|when|as|to|for|so|while|between|among"
    r"|after|before|following|since|until|once|which|that|where|because|if|across|within)\s"
    r"|in\s+(?:the\s|[A-Z]))"
    r"|\s*[.;:(]|$)"
)
_NAMING = re.compile(
    rf"{_COOPERATION}\s+(?:in|on|covering)\s+"
    r"(?:the\s+(?:areas?|fields?|sectors?)\s+of\s+"
    # "... in three areas: A, B and C", "in the following fields - A, B and C"
    r"|(?:\d+|two|three|four|five|six|seven|eight|nine|ten|the\s+following)\s+"
    r"(?:(?:key|major|main|priority)\s+)?(?:areas?|fields?|sectors?)\s*[:\-–—]\s*)?"
    rf"{_NAMED_LIST}{_NAMED_LIST_END}"
)
# The count and a colon say so whatever verb comes before: "Work program agreed across four
# pillars: critical minerals and clean energy, agribusiness and food, ...".
# After a count and a colon an item may open with a capital: "two pillars: premium food and
# beverages, and Antarctic science".
_NAMING_COUNTED = re.compile(
    r"(?<![\w-])(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:(?:key|major|main|priority)\s+)?(?:areas|fields|sectors|pillars|themes)\s*:\s*"
    + _NAMED_LIST.replace("[a-z]", "[A-Za-z]")
    + _NAMED_LIST_END
)
_COUNTED_NOUN = re.compile(r"(?:area|field|sector|pillar|theme)s\s*:")
_COUNT_REACH = 40  # characters from a count's start to its noun ("four priority pillars:")
_LIST_REACH = 1000  # characters of the list after the colon


def _counted(text: str) -> list[re.Match[str]]:
    """`_NAMING_COUNTED`'s matches, looked for only around its noun and colon: its count's
    words alone would be tried at every letter of a long paragraph."""
    found = []
    for hit in _COUNTED_NOUN.finditer(text):
        start = max(0, hit.start() - _COUNT_REACH)
        m = _NAMING_COUNTED.search(text, start, hit.end() + _LIST_REACH)
        if m is not None and m.start("list") >= hit.end():
            found.append(m)
    return found


# Two areas after their count need no comma: "co-operation in two areas: logistics and public
# health" (without the count, "co-operation in trade and investment" names one field).
_NAMING_TWO = re.compile(
    rf"{_COOPERATION}\s+(?:in|on|covering)\s+"
    r"(?:2|two)\s+(?:(?:key|major|main|priority)\s+)?(?:areas|fields|sectors)\s*[:\-–—]\s*"
    r"(?P<list>[a-z][a-z'’ -]*?\s+and\s+[a-z][a-z'’ -]*?)"
    r"(?=\s*[.;(]|$)"
)


def named_areas(blocks: list[Block], stated: int | None) -> list[Area]:
    """The areas a sentence names in prose, lower-case fields joined by commas ("... deepen
    cooperation in advanced manufacturing, modern agriculture, finance and trade, and
    culture and youth exchanges ..."), when the text states as many areas."""
    if not stated or stated < 2:
        return []
    for block in blocks:
        found = [m for p in (_NAMING, _NAMING_TWO) for m in p.finditer(block.text)]
        for m in [*found, *_counted(block.text)]:
            areas = split_areas(block, m.start("list"), m.end("list"), stated)
            if areas:
                return [Area(a.label, False, a.span) for a in areas]
    return []


def split_areas(block: Block, start: int, end: int, stated: int) -> list[Area]:
    """The areas of `block.text[start:end]`, a list of them, when it names `stated`."""
    text, base = block.text, block.span.start
    # Commas separate the areas; an "and" separates two only where commas alone fall short
    # ("trade and investment, ..., maritime affairs and youth exchanges").
    parts = [(p.start(), p.end()) for p in re.finditer(r"[^,]+", text[start:end])]
    spans = [(start + s, start + e) for s, e in parts]
    spans = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]
    spans = [(s + 4, e) if text[s:e].startswith("and ") else (s, e) for s, e in spans]
    if len(spans) < stated and spans:
        s, e = spans[-1]
        cut = text.rfind(" and ", s, e)
        if cut > s:
            spans[-1:] = [(s, cut), (cut + 5, e)]
    if len(spans) != stated:
        return []
    areas = []
    for s, e in spans:
        s, e = trim_span(text, s, e)
        label = re.sub(r"\s+", " ", text[s:e])
        if not label or len(label.split()) > _MAX_LABEL_WORDS:
            return []
        areas.append(Area(label, True, Span(base + s, base + e, text[s:e])))
    return areas


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end
