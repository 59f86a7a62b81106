"""The extraction vocabulary (`patterns.yaml`), loaded once and compiled into regexes."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.alternation import alternation_tree
from kg.errors import InputError
from kg.source import read_yaml

PATTERNS = Path(__file__).with_name("patterns.yaml")
CAP = r"[A-Z][\w'’-]*"  # a capitalised word, possessives and hyphens included
# The letters of a personal name beyond ASCII: "Fernández", "Gönül", "Łukasz", "Nguyễn"
# (Latin-1, Latin Extended-A, whose capitals and small letters alternate, and Latin
# Extended Additional).
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
LOWER = "a-zß-öø-ÿĀ-žḀ-ỿ"
# A word of a personal name: a capital, then small letters ("Lam", "Yiu-fai"); a short
# prefix may bring a second capital ("McClay", "MacLeod", "DeSantis", "O'Brien").
NAME = rf"(?:(?:Mc|Mac|De|Di|Le|La|O['’])(?=[{UPPER}]))?[{UPPER}][{LOWER}]+(?:-[{LOWER}]+)?"


def alternation(words: list[str], boundary: bool = True) -> str:
    """One regex alternative per phrase, longest first, spaces matching any whitespace."""
    alts = [r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)]
    body = "(?:" + "|".join(alts) + ")"
    return rf"(?<![\w-]){body}(?![\w-])" if boundary else body


def alternation_ignoring_case(words: list[str]) -> re.Pattern[str]:
    """What `re.compile(alternation(words), re.IGNORECASE)` matches, the phrases laid out as
    a tree of first letters (`kg.alternation`): run over every sentence of a long text, the
    flat alternation tries each phrase at each position."""
    phrases = sorted(words, key=len, reverse=True)
    tree = alternation_tree([(r"\s+".join(map(re.escape, w.split())), True) for w in phrases])
    return re.compile(rf"(?i:(?<![\w-]))(?:{tree})(?i:(?![\w-]))")


def verb_forms(bases: list[str], irregular: dict[str, str]) -> dict[str, str]:
    """Inflected form -> base: encourages, encouraged, encouraging -> encourage."""
    forms: dict[str, str] = {}
    for base in bases:
        head, _, rest = base.partition(" ")
        stems = {head, head + "s", head + "ed", head + "ing", head + "es"}
        if head.endswith("e"):
            stems |= {head + "d", head[:-1] + "ing"}
        if head.endswith("y"):
            stems |= {head[:-1] + "ies", head[:-1] + "ied"}
        for stem in stems:
            forms[f"{stem} {rest}".strip()] = base
    forms.update(irregular)
    return forms


@dataclass(frozen=True, eq=False)  # eq=False: hash by identity, for caches
class Vocabulary:
    raw: dict[str, Any]

    def words(self, key: str) -> list[str]:
        return list(self.raw.get(key) or [])

    @functools.cached_property
    def chrome(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.words("chrome")))

    @functools.cached_property
    def byline(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.words("bylines")) or r"(?!)")

    @functools.cached_property
    def chrome_tail(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.words("chrome_tail")) or r"(?!)")

    @functools.cached_property
    def marker(self) -> re.Pattern[str]:
        # A list marker at the start of a line: a bullet, "1.", "1.1", "(1)", "(a)", "iv)",
        # "II.", "(II)", "A.", "b)", "1、". Bullets of `spaced_bullets` (dashes) need a space
        # after them ("-based" is no item); the others may touch their text ("•Support").
        spaced = self.words("spaced_bullets")
        bullets = "".join(re.escape(b) for b in self.words("bullets") if b in spaced)
        glyphs = "".join(re.escape(b) for b in self.words("bullets") if b not in spaced)
        # "Action 1.2 ...": an item numbered under its area's number.
        labels = alternation(self.words("item_labels"), boundary=False)
        return re.compile(
            # "Action: The Council to organise ...": a summary record's item, as a bullet.
            rf"(?P<bullet>[{bullets}]\s+|[{glyphs}]\s*(?=[^\s{glyphs}])|(?:{labels}):\s+)"
            rf"|(?P<number>(?:Agenda\s+[Ii]tem|{labels})\s+\d{{1,2}}(?:\.\d{{1,2}}){{0,2}}\.?"
            rf"(?:[:.]|\s+[–—-](?=\s))?"
            # "2/5 Energy transition: ...": a thread's post number.
            rf"|\(?\d{{1,2}}\)|\d{{1,2}}\.\d{{1,2}}\.?|\d{{1,2}}\.|\d{{1,2}}/\d{{1,2}}|\([IVX]{{1,4}}\)"
            rf"|\([a-zA-Z]\)|\(?[ivx]{{1,4}}\)|[IVX]{{1,4}}\.|[A-Ha-h][.)])\s+"
            rf"|(?P<cjk>\d{{1,2}}、)\s*"
        )

    @functools.cached_property
    def markup_prefix(self) -> re.Pattern[str]:
        return re.compile(str(self.raw.get("markup_prefix") or "(?!)"))

    @functools.cached_property
    def honorific(self) -> re.Pattern[str]:
        name = NAME
        # Initials before a surname: "Mr C Y Leung", "Mr C. Y. Leung", "Mr C.Y. Leung".
        initials = r"(?:[A-Z](?:\.\s*|\s+)){1,3}"
        hon = "|".join(map(re.escape, self.words("honorifics")))
        # The Government's lists print the surname in capitals, an English name after a
        # comma: "Mr LEE Ka-chiu, John, Chief Executive" (kg.extract.people reads it as
        # "John Lee Ka-chiu"; a word a post or its portfolio follows is no English name).
        shouted = rf"[A-Z]{{2,}}(?:\s+{name}){{1,2}}(?:,\s+{name}(?=\s*(?:[,;]|$)))?"
        # ... or after the English name: "Mr. Algernon YAU Ying-wah".
        english_shouted = rf"{name}\s+[A-Z]{{2,}}(?:\s+{name}){{1,2}}"
        # A minister's style before the honorific, or for it: "H.E. Mr. Sherzod Alimov",
        # "His Excellency Mr ...", "H.E. Sherzod Alimov".
        excellency = r"H\.\s?E\.|His\s+Excellency|Her\s+Excellency"
        # "Alberto van Klaveren": small words between a name's words, never at its ends.
        small = "|".join(map(re.escape, self.words("name_particles"))) or "(?!)"
        particles = rf"(?:(?:{small})\s+){{0,2}}"
        # Every match opens with a capital: the lookahead lets the search skip the rest fast.
        return re.compile(
            rf"(?=[A-Z])(?<![\w])(?:(?:{excellency})\s+)?(?P<hon>{hon}|H\.\s?E(?=\.)|His\s+Excellency"
            rf"|Her\s+Excellency)\.?\s+"
            rf"(?P<name>{initials}{name}|{english_shouted}|{name}(?:\s+{particles}{name}){{0,3}}"
            rf"|{shouted})"
            r"(?![\w-])"
        )

    @functools.cached_property
    def post_source(self) -> str:
        """Regex source of a post title: modifiers, a head, "of/for <Capitalised...>" (words
        joined by "of", "for", "on", "in", "and (the)": "Secretary for Financial Services and
        the Treasury", "Director of the ... Office in Wuhan"), and a qualifier in brackets
        ("Permanent Secretary for Commerce and Economic Development (Commerce, Industry and
        Tourism)"; not an abbreviation such as "(CPC)")."""
        mods = alternation(self.words("post_modifiers"), boundary=False)
        heads = alternation(self.words("post_heads"), boundary=False)
        link = r"(?:\s+|,\s+|\s+and\s+(?:the\s+)?|\s+(?:of|for|on|in)\s+(?:the\s+)?)"
        # The post ends before the next person's honorific ("... of Uzbekistan Mr. Yusupov").
        hon = alternation(self.words("honorifics"), boundary=False)
        word = rf"(?!(?:{hon})\.?\s){CAP}"
        tail = rf"(?:\s+(?:of|for)\s+(?:the\s+)?{CAP}(?:{link}{word})*)?"
        qualifier = r"(?:\s*\((?![A-Z]{2,}\))[A-Z][^()\n]{0,80}\))?"
        return rf"(?<![\w-])(?:{mods}(?:\s+|-))*{heads}(?![\w-]){tail}{qualifier}"

    @functools.cached_property
    def post_at_end(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<post>{self.post_source})(?:\s*\([A-Z]{{2,}}\))?[\s,]*$")

    @functools.cached_property
    def post_words(self) -> set[str]:
        """Words that start a post, never a body's name ("Secretary of the X Committee")."""
        return set(self.words("post_words"))

    @functools.cached_property
    def leadin_words(self) -> set[str]:
        return {w.lower() for w in self.words("leadin_words")}

    @functools.cached_property
    def body_heads(self) -> dict[str, str]:
        return dict(self.raw.get("body_heads") or {})

    @functools.cached_property
    def genre_labels(self) -> frozenset[str]:
        return frozenset(w.casefold() for w in self.words("genre_labels"))

    @functools.cached_property
    def closing_headings(self) -> frozenset[str]:
        return frozenset(w.casefold() for w in self.words("closing_headings"))

    @functools.cached_property
    def distribution_line(self) -> re.Pattern[str]:
        return re.compile(str(self.raw.get("distribution_line") or "(?!)"))

    @functools.cached_property
    def boilerplate_heading(self) -> re.Pattern[str]:
        return re.compile(str(self.raw.get("boilerplate_heading") or "(?!)"))

    @functools.cached_property
    def area_order_lead(self) -> re.Pattern[str]:
        """ "First, big data. Cyberport will ...": an order word, the area alone as a
        sentence (lower-case words), then what a side will do."""
        order = alternation(self.words("area_lead_order"), boundary=False)
        word = r"[a-z][\w'’&/-]*"
        return re.compile(
            rf"(?P<order>(?:{order}),\s+)(?P<label>(?!(?:the|a|an|we|it|they|i)\s){word}"
            rf"(?:\s+{word}){{0,3}})\.\s+(?=[A-Z])"
        )

    @functools.cached_property
    def about_itself(self) -> re.Pattern[str]:
        """An agreement's clause about itself: "review this Arrangement", "This Agreement
        shall take effect ..." (`document_singular_nouns` after "this")."""
        verbs = alternation(self.words("own_clause_verbs"))
        nouns = alternation(self.words("document_singular_nouns"), boundary=False)
        return re.compile(
            rf"{verbs}\s+(?:the\s+implementation\s+of\s+)?this\s+{nouns}\b"
            rf"|^This\s+{nouns}\s+(?:shall|will)\b",
            re.IGNORECASE,
        )

    @functools.cached_property
    def minutes_title(self) -> re.Pattern[str]:
        """A title line that says the text records a meeting ("Summary record of the Sixth
        Meeting", "Minutes of the Second Working Meeting"): its numbered items are its
        agenda."""
        return re.compile(str(self.raw.get("minutes_title") or "(?!)"), re.IGNORECASE)

    @functools.cached_property
    def agenda_item(self) -> re.Pattern[str]:
        return re.compile(str(self.raw.get("agenda_item") or "(?!)"), re.IGNORECASE)

    @functools.cached_property
    def stopwords(self) -> set[str]:
        return set(self.words("name_stopwords")) | set(self.words("honorifics"))

    @functools.cached_property
    def verbs(self) -> dict[str, str]:
        return verb_forms(self.words("action_verbs"), dict(self.raw.get("verb_irregulars") or {}))

    @functools.cached_property
    def will_do(self) -> re.Pattern[str]:
        """ "will (also/jointly/continue to) <action verb>", "agreed to <action verb>"."""
        modal = alternation(self.words("will_words"))
        fillers = alternation(sorted(self.fillers), boundary=False)
        verbs = alternation(sorted(self.verbs), boundary=False)  # "will be held" too
        return re.compile(
            rf"{modal}\s+(?:{fillers}\s+)*(?:to\s+)?(?:{fillers}\s+)*(?:be\s+)?{verbs}(?![\w-])",
            re.IGNORECASE,
        )

    @functools.cached_property
    def modal_verb(self) -> re.Pattern[str]:
        """The word after "will (also/jointly/continue to)", "agreed to": a verb in its base
        form, known or not ("agreed to exchange"); not an auxiliary ("will be held")."""
        modal = alternation(self.words("will_words"))
        fillers = alternation(sorted(self.fillers), boundary=False)
        return re.compile(
            rf"{modal}\s+(?:{fillers}\s+)*(?:to\s+)?(?:{fillers}\s+)*"
            r"(?P<verb>(?!(?:be|been|have|not|to)\b)[a-z][a-z-]+)\b",
            re.IGNORECASE,
        )

    @functools.cached_property
    def speech(self) -> re.Pattern[str]:
        return re.compile(alternation(self.words("speech_words")), re.IGNORECASE)

    @functools.cached_property
    def area_lead(self) -> re.Pattern[str]:
        """ "On <area phrase>, ..." at the start of a paragraph."""
        leads = alternation(self.words("area_lead_words"), boundary=False)
        order = alternation(self.words("area_lead_order"), boundary=False)
        word = r"[a-z][\w'’&/-]*"
        phrase = rf"(?!(?:the|a|an)\s){word}(?:\s+{word}){{0,2}}"
        # An area named as a list ("on economy, trade and finance, the ...") runs to the
        # "and" of its last item; else to the first comma.
        listed = rf"{phrase}(?:,\s+{phrase})+,?\s+and\s+{phrase}"
        # After an order word, "in" leads an area too ("First, in finance, ..."); alone it
        # leads too much else ("In 2019, ...", "In Hong Kong, ...").
        return re.compile(
            rf"(?P<order>(?:{order}),\s+)?(?P<lead>(?i:{leads})|(?(order)(?i:in)|(?!)))\s+"
            rf"(?P<label>{listed}(?=,\s)|[A-Za-z][\w'’&/ -]*?[\w)]),\s+(?=\S)"
        )

    @functools.cached_property
    def heading_number(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.words("heading_numbers")) or "(?!)")

    @functools.cached_property
    def not_area_after_in(self) -> set[str]:
        return set(self.words("not_area_after_in"))

    @functools.cached_property
    def not_area_lead(self) -> set[str]:
        return {w.lower() for w in self.words("not_area_lead")}

    @functools.cached_property
    def fillers(self) -> set[str]:
        return {w.lower() for w in self.words("verb_fillers")}

    @functools.cached_property
    def sign(self) -> re.Pattern[str]:
        return re.compile(alternation(self.words("sign_words")), re.IGNORECASE)

    @functools.cached_property
    def earlier_before(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})$" for p in self.words("earlier_signing_before")), re.I)

    @functools.cached_property
    def earlier_after(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.words("earlier_signing_after")), re.I)

    @functools.cached_property
    def signed_at_meeting(self) -> re.Pattern[str]:
        return re.compile(str(self.raw.get("signed_at_meeting") or "(?!)"), re.I)

    @functools.cached_property
    def current_signing(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.words("current_signing")), re.I)

    @functools.cached_property
    def document_noun(self) -> re.Pattern[str]:
        return re.compile(alternation(self.words("document_nouns")), re.IGNORECASE)

    @functools.cached_property
    def witness(self) -> re.Pattern[str]:
        return re.compile(alternation(self.words("witness_words")), re.IGNORECASE)

    @functools.cached_property
    def presence(self) -> re.Pattern[str]:
        return re.compile(alternation(self.words("presence_words")), re.IGNORECASE)

    @functools.cached_property
    def witness_after(self) -> re.Pattern[str]:
        """A witness word or a presence phrase: where a signing's signers named after it end."""
        words = self.words("witness_words") + self.words("presence_words")
        return re.compile(alternation(words), re.IGNORECASE)

    @functools.cached_property
    def sides(self) -> str:
        return alternation([re.sub(r"^the ", "", p) for p in self.words("sides_phrases")])

    @functools.cached_property
    def area_count(self) -> re.Pattern[str]:
        numbers = alternation(list(self.raw.get("number_words") or {}), boundary=False)
        nouns = alternation(self.words("area_count_nouns"), boundary=False)
        # Up to three words between the number and the noun, none a number or a preposition
        # ("11 co-operation areas", "five major areas"; not "16 items in four areas").
        word = rf"(?!(?:in|of|on|for|across|and|{numbers})\s)[a-z][\w-]*"
        return re.compile(
            rf"(?<![\w-])(?P<n>\d{{1,2}}|{numbers})\s+(?:{word}\s+){{0,3}}?{nouns}(?![\w-])",
            re.IGNORECASE,
        )

    def number(self, word: str) -> int | None:
        if word.isdigit():
            return int(word)
        return (self.raw.get("number_words") or {}).get(word.lower())

    def ordinal(self, word: str) -> int | None:
        """1 for "first" or "1st", 22 for "22nd" or "Twenty-second"; None for other words."""
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
        if m:
            return int(m.group(1))
        ordinals = self.raw.get("ordinals") or {}
        word = word.lower()
        if word in ordinals:
            return int(ordinals[word])
        tens, _, unit = word.partition("-")
        base = (self.raw.get("ordinal_tens") or {}).get(tens)
        if base is not None and unit in ordinals and ordinals[unit] < 10:
            return int(base) + int(ordinals[unit])
        return None


@functools.cache
def load_vocabulary(path: str | Path = PATTERNS) -> Vocabulary:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(str(path), "the extraction vocabulary must be a mapping", 1)
    return Vocabulary(data)
