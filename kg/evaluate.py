"""Measure extraction against hand-written answers: precision, recall and F1 per field.

The scorer reads only `Extraction.to_json()` (the public `kg extract --json` schema), so it
measures what users get, not the extractor's internals. A gold file (`<stem>.yaml` beside the
others in a gold folder; format in tests/devset/README.md) answers one document.

Scoring, per field, is a maximum one-to-one matching of predicted items to gold items after
`normalize` (case, NFKC, curly quotes, "co-operation"/"cooperation", "&"/"and", list
numbering, the word "the", trailing "(ABBR)", punctuation):

- ``areas``: area labels.
- ``commitments``: a predicted paragraph matches a gold one when its words start with the
  gold's first words (also after an inline "Label:" prefix). Text only: where it was filed is
  ``commitment_areas``, which also needs the area to match (null for null).
- ``organizations``: the predicted label or any of its aliases equals any of the gold
  entry's alternatives. Generic groups are scored apart, as ``groups``, where gold lists them.
- ``people``: the name, honorifics stripped; ``posts`` scores (person, post) pairs.
- ``documents``: the title (any alternative); ``signatories`` scores (title, signer) pairs.
- ``event``: label, date and place, each one item; ``stated_area_count``: one item.
- ``partnerships``: unordered pairs of bodies a commitment's text pairs, once per document;
  a side matches by the predicted label or any alias of that body or group. Scored where
  gold lists them.

Counts are summed over documents (micro average) per field; the headline is the macro
average of the five fields of `FIELDS`. With nothing predicted precision is 1 only when
nothing was to be found (likewise recall), so an empty answer to an empty question is right.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.corrections import load_corrections
from kg.errors import InputError
from kg.extract import extract_document
from kg.registry import load_registry
from kg.source import SIDECAR_SUFFIXES, list_sources, read_source, read_yaml

__all__ = [
    "EXTRA_FIELDS",
    "FIELDS",
    "DocResult",
    "EvalResult",
    "Gold",
    "Item",
    "Score",
    "evaluate",
    "format_eval_table",
    "load_gold",
    "normalize",
    "predicted_items",
    "score_document",
]

FIELDS = ("areas", "commitments", "organizations", "people", "documents")
EXTRA_FIELDS = (
    "commitment_areas",
    "posts",
    "signatories",
    "event",
    "stated_area_count",
    "groups",
    "partnerships",
)
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "professor", "prof", "madam", "sir"})
_MARKER = re.compile(
    r"^\s*(?:\(?\d{1,2}[.)]|\([a-z]\)|[a-z][.)]|\(?[ivx]{1,4}[.)]|[•·▪●◦‣*\-–])\s+", re.I
)
_ABBR = re.compile(r"\s*\([A-Z][A-Za-z]{1,9}\)\s*$")
_INLINE_LABEL = re.compile(r"^(?P<label>[^:–—]{2,80}?)\s*(?::|\s[–—-])\s+(?P<rest>\S.*)$", re.S)
_GOLD_KEYS = frozenset(
    {*FIELDS, "document", "event", "stated_area_count", "groups", "generic_groups", "partnerships"}
)


# --- normalisation ---------------------------------------------------------------------------
def _tokens(text: str) -> tuple[str, ...]:
    """The words that decide whether two names or openings are the same."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    text = _ABBR.sub("", text)  # "Hong Kong Trade Development Council (HKTDC)"
    text = _MARKER.sub("", text)  # "1. Finance", "(a) Deepen", "• Support"
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"\bco-(?=op|or)", "co", text)  # co-operation / cooperation
    return tuple(w for w in re.split(r"[\W_]+", text) if w and w != "the")


def normalize(text: str) -> str:
    """Lower-case words joined: the key two strings must share to match.

    >>> normalize("1. The Belt and Road Initiative, Co-operation")
    'belt and road initiative cooperation'
    """
    return " ".join(_tokens(text))


def _person_key(name: str) -> str:
    words = list(_tokens(name))
    while words and words[0] in _HONORIFICS:
        words.pop(0)
    return " ".join(words)


# --- scores ----------------------------------------------------------------------------------
@dataclass
class Score:
    """Correct, predicted and gold item counts of one field."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.correct + other.correct, self.predicted + other.predicted, self.gold + other.gold
        )

    @property
    def precision(self) -> float:
        if self.predicted:
            return self.correct / self.predicted
        return 1.0 if self.gold == 0 else 0.0

    @property
    def recall(self) -> float:
        if self.gold:
            return self.correct / self.gold
        return 1.0 if self.predicted == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "correct": self.correct,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass
class DocResult:
    """One document's scores, and what it missed and added (for reading the failures)."""

    document: str
    path: str
    gold_path: str
    scores: dict[str, Score] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=dict)
    spurious: dict[str, list[str]] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        return sum(self.scores[f].f1 for f in FIELDS) / len(FIELDS)

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "path": self.path,
            "gold": self.gold_path,
            "macro_f1": round(self.macro_f1, 4),
            "fields": {name: s.to_json() for name, s in self.scores.items()},
            "missed": {k: v for k, v in self.missed.items() if v},
            "spurious": {k: v for k, v in self.spurious.items() if v},
        }


@dataclass
class EvalResult:
    documents: list[DocResult]

    def totals(self) -> dict[str, Score]:
        """Counts summed over the documents (micro average), per field scored anywhere."""
        out: dict[str, Score] = {}
        for name in (*FIELDS, *EXTRA_FIELDS):
            scored = [d.scores[name] for d in self.documents if name in d.scores]
            if scored:
                out[name] = sum(scored, Score())
        return out

    def macro(self) -> dict[str, float]:
        """Precision, recall and F1 averaged over the five fields of `FIELDS`."""
        totals = self.totals()
        return {
            metric: sum(getattr(totals[f], metric) for f in FIELDS) / len(FIELDS)
            for metric in ("precision", "recall", "f1")
        }

    def table(self, per_document: bool = False) -> str:
        return format_eval_table(self, per_document)

    def to_json(self) -> dict[str, Any]:
        return {
            "fields": {name: s.to_json() for name, s in self.totals().items()},
            "macro": {k: round(v, 4) for k, v in self.macro().items()},
            "documents": [d.to_json() for d in self.documents],
        }


def format_eval_table(result: EvalResult, per_document: bool = False) -> str:
    """Plain text: P/R/F1 per field and their macro average; optionally F1 per document."""
    totals = result.totals()
    rows = [
        f"{'field':<18} {'precision':>9} {'recall':>7} {'f1':>6} {'correct':>8} "
        f"{'predicted':>9} {'gold':>5}"
    ]

    def row(name: str, s: Score) -> str:
        return (
            f"{name:<18} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.correct:>8} "
            f"{s.predicted:>9} {s.gold:>5}"
        )

    rows += [row(name, totals[name]) for name in FIELDS]
    m = result.macro()
    rows.append(f"{'macro average':<18} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f}")
    extra = [name for name in EXTRA_FIELDS if name in totals]
    if extra:
        rows.append("")
        rows += [row(name, totals[name]) for name in extra]
    if per_document:
        rows += [
            "",
            "F1 per document",
            "document".ljust(24) + "".join(f"{name[:7]:>8}" for name in (*FIELDS, "macro")),
        ]
        for d in result.documents:
            cells = "".join(f"{d.scores[name].f1:>8.2f}" for name in FIELDS)
            rows.append(f"{d.document[:24]:<24}{cells}{d.macro_f1:>8.2f}")
    rows.append(f"\n{len(result.documents)} document(s)")
    return "\n".join(rows)


# --- items and matching ----------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One thing to find: how it is shown, the keys it matches by (any one suffices), and for
    pairs (a person's post, a document's signer, a commitment's area) its owner's keys, one of
    which must match too."""

    shown: str
    keys: frozenset[str]
    owner: frozenset[str] = frozenset()


def _key(text: str) -> frozenset[str]:
    return frozenset({normalize(text)})


def _name(text: str) -> frozenset[str]:
    return frozenset({_person_key(text)})


def _area(label: str | None) -> frozenset[str]:
    return frozenset({"" if label is None else normalize(label)})  # null matches null only


def _event_key(part: str, value: Any) -> str:
    value = value.isoformat() if isinstance(value, dt.date) else str(value)
    return f"{part}={value if part == 'date' else normalize(value)}"


def _openings(text: str) -> frozenset[str]:
    """A paragraph's words, and its words after an inline "Label:" ("Innovation and
    technology: jointly take forward ...")."""
    found = {normalize(text)}
    inline = _INLINE_LABEL.match(text)
    if inline and len(inline.group("label").split()) <= 8:
        found.add(normalize(inline.group("rest")))
    return frozenset(found)


def _fits(p: Item, g: Item, prefix: bool) -> bool:
    if (p.owner or g.owner) and not p.owner & g.owner:
        return False
    if prefix:  # whole words: "support" does not start "supporting"
        return any(pk == gk or pk.startswith(gk + " ") for pk in p.keys for gk in g.keys)
    return bool(p.keys & g.keys)


def _match(pred: Sequence[Item], gold: Sequence[Item], prefix: bool) -> dict[int, int]:
    """A maximum one-to-one matching predicted -> gold (Kuhn's augmenting paths), so that a
    greedy first choice never costs a later item its only partner."""
    owner: dict[int, int] = {}  # gold index -> predicted index

    def place(p: int, seen: set[int]) -> bool:
        for g in range(len(gold)):
            if g in seen or not _fits(pred[p], gold[g], prefix):
                continue
            seen.add(g)
            if g not in owner or place(owner[g], seen):
                owner[g] = p
                return True
        return False

    for p in range(len(pred)):
        place(p, set())
    return {p: g for g, p in owner.items()}


def predicted_items(predicted: dict[str, Any]) -> dict[str, list[Item]]:
    """The items of a `kg extract --json` object, per field."""
    coms, people, docs = predicted["commitments"], predicted["people"], predicted["documents"]
    ev = predicted.get("event") or {}
    count = predicted.get("stated_area_count")

    def body(o: dict[str, Any]) -> Item:
        return Item(o["label"], frozenset(normalize(n) for n in (o["label"], *o["aliases"])))

    return {
        "areas": [Item(a["label"], _key(a["label"])) for a in predicted["areas"]],
        "commitments": [Item(c["text"][:60], _openings(c["text"])) for c in coms],
        "commitment_areas": [
            Item(f"[{c['area']}] {c['text'][:60]}", _openings(c["text"]), _area(c["area"]))
            for c in coms
        ],
        "organizations": [body(o) for o in predicted["organizations"]],
        "groups": [body(o) for o in predicted.get("groups", [])],
        "people": [Item(p["name"], _name(p["name"])) for p in people],
        "posts": [
            Item(f"{p['name']}: {post}", _key(post), _name(p["name"]))
            for p in people
            for post in p["posts"]
        ],
        "documents": [Item(d["title"], _key(d["title"])) for d in docs],
        "signatories": [
            Item(f"{s} signed {d['title']}", _name(s), _key(d["title"]))
            for d in docs
            for s in d["signatories"]
        ],
        "event": [
            Item(f"{part}={ev[part]}", frozenset({_event_key(part, ev[part])}))
            for part in ("label", "date", "place")
            if ev.get(part)
        ],
        "stated_area_count": [] if count is None else [Item(str(count), frozenset({str(count)}))],
        "partnerships": _predicted_pairs(predicted),
    }


def _pair_keys(a: Sequence[str], b: Sequence[str]) -> frozenset[str]:
    """An unordered pair's keys: every alternative of one side with every one of the other."""
    return frozenset("|".join(sorted((normalize(x), normalize(y)))) for x in a for y in b)


def _predicted_pairs(predicted: dict[str, Any]) -> list[Item]:
    names: dict[str, list[str]] = {}
    for o in [*predicted["organizations"], *predicted.get("groups", [])]:
        names[o["label"]] = [o["label"], *o["aliases"]]
    seen: dict[tuple[str, str], Item] = {}
    for c in predicted["commitments"]:
        for p in c.get("partnerships", []):
            a, b = sorted(p["partners"])
            if (a, b) not in seen:
                keys = _pair_keys(names.get(a, [a]), names.get(b, [b]))
                seen[a, b] = Item(f"{a} — {b}", keys)
    return list(seen.values())


def score_document(predicted: dict[str, Any], gold: Gold) -> DocResult:
    """Score one `Extraction.to_json()` object against its gold answer."""
    got = predicted_items(predicted)
    res = DocResult(gold.document, predicted["source"]["path"], gold.path)
    for name, want in gold.items.items():
        pred = got[name]
        pairs = _match(pred, want, prefix=name in ("commitments", "commitment_areas"))
        hit = set(pairs.values())
        res.scores[name] = Score(len(pairs), len(pred), len(want))
        res.missed[name] = [g.shown for i, g in enumerate(want) if i not in hit]
        res.spurious[name] = [p.shown for i, p in enumerate(pred) if i not in pairs]
    return res


# --- gold files ------------------------------------------------------------------------------
@dataclass
class Gold:
    """A gold answer: its items per field ("groups" only where the file lists them)."""

    document: str
    path: str
    items: dict[str, list[Item]]


class _GoldReader:
    """Checks a gold file's values as it reads them, naming the file and line of a bad one."""

    def __init__(self, path: Path, data: Any) -> None:
        self.where = str(path)
        self.data = data
        # String items of a YAML list carry no line of their own: report their list's key.
        self.lines: dict[str, int] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = re.match(r"([A-Za-z_]+)\s*:", line)
            if m:
                self.lines.setdefault(m.group(1), number)

    def fail(self, message: str, key: str, node: Any = None) -> InputError:
        line = getattr(node, "line", None) or self.lines.get(key) or 1
        return InputError(self.where, message, line)

    def entries(self, key: str, needs: str | None = None) -> list[Any]:
        value = self.data.get(key)
        if not isinstance(value, list):
            raise self.fail(f"{key!r} must be a list (it may be empty)", key)
        for entry in value:
            if needs is not None and not (isinstance(entry, dict) and needs in entry):
                raise self.fail(f"each of {key!r} must be a mapping with {needs!r}", key, entry)
        return value

    def alternatives(self, value: Any, what: str, key: str, node: Any = None) -> list[str]:
        """A text, or a list of alternative texts (all of them right answers)."""
        values = value if isinstance(value, list) and value else [value]
        for v in values:
            if not isinstance(v, str | dt.date) or not str(v).strip():
                raise self.fail(f"{what} must be non-empty text, got {v!r}", key, node)
        return [v.isoformat() if isinstance(v, dt.date) else v for v in values]

    def keys(self, value: Any, what: str, key: str, node: Any = None, person: bool = False) -> Item:
        texts = self.alternatives(value, what, key, node)
        norm = _person_key if person else normalize
        return Item(texts[0], frozenset(norm(t) for t in texts))


def load_gold(path: str | Path) -> Gold:
    """Read and check one gold file (the dev set's format, or the seed's `post:` and
    `generic_groups:` spelling). Raises `InputError` with the file and line."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(str(path), "a gold file must be a mapping (areas, commitments, ...)", 1)
    r = _GoldReader(path, data)
    unknown = sorted(set(data) - _GOLD_KEYS)
    if unknown:
        raise r.fail(f"unknown gold field {unknown[0]!r}", unknown[0])
    items: dict[str, list[Item]] = {name: [] for name in (*FIELDS, *EXTRA_FIELDS)}

    for a in r.entries("areas"):
        items["areas"].append(
            r.keys(a.get("label") if isinstance(a, dict) else a, "an area", "areas", a)
        )
    for c in r.entries("commitments", needs="starts"):
        opening = r.keys(c["starts"], "'starts'", "commitments", c)
        area = (
            None
            if c.get("area") is None
            else r.alternatives(c["area"], "'area'", "commitments", c)[0]
        )
        items["commitments"].append(opening)
        items["commitment_areas"].append(
            Item(f"[{area}] {opening.shown}", opening.keys, _area(area))
        )
    group_key = next((k for k in ("groups", "generic_groups") if k in data), None)
    for field_name, key in (("organizations", "organizations"), ("groups", group_key)):
        for o in r.entries(key) if key else []:
            items[field_name].append(r.keys(o, "an organisation's name", key, o))
    for p in r.entries("people", needs="name"):
        person = r.keys(p["name"], "a person's name", "people", p, person=True)
        items["people"].append(person)
        held = p.get("posts", [p["post"]] if "post" in p else [])
        for post in held if isinstance(held, list) else [held]:
            title = r.keys(post, "a post", "people", p)
            items["posts"].append(Item(f"{person.shown}: {title.shown}", title.keys, person.keys))
    for d in r.entries("documents", needs="title"):
        title = r.keys(d["title"], "a document's title", "documents", d)
        items["documents"].append(title)
        signers = d.get("signatories") or []
        if not isinstance(signers, list):
            raise r.fail("'signatories' must be a list of names", "documents", d)
        for s in signers:
            who = r.keys(s, "a signatory", "documents", d, person=True)
            items["signatories"].append(
                Item(f"{who.shown} signed {title.shown}", who.keys, title.keys)
            )

    ev = data.get("event") or {}
    if not isinstance(ev, dict):
        raise r.fail("'event' must be a mapping of label, date and place", "event")
    for part in ("label", "date", "place"):
        if ev.get(part) is not None:
            texts = r.alternatives(ev[part], f"the event's {part}", "event", ev)
            keys = frozenset(_event_key(part, t) for t in texts)
            items["event"].append(Item(f"{part}={texts[0]}", keys))
    stated = data.get("stated_area_count")
    if stated is not None:
        if not isinstance(stated, int) or isinstance(stated, bool):
            raise r.fail(
                f"'stated_area_count' must be a whole number or null, got {stated!r}",
                "stated_area_count",
            )
        items["stated_area_count"].append(Item(str(stated), frozenset({str(stated)})))
    for pair in r.entries("partnerships") if "partnerships" in data else []:
        if not isinstance(pair, list) or len(pair) != 2:
            raise r.fail("each partnership must be a pair [A, B]", "partnerships", pair)
        a, b = (r.alternatives(side, "a partner", "partnerships", pair) for side in pair)
        items["partnerships"].append(Item(f"{a[0]} — {b[0]}", _pair_keys(a, b)))
    if group_key is None:
        del items["groups"]  # unlisted groups are not scored, not counted as all wrong
    if "partnerships" not in data:
        del items["partnerships"]
    return Gold(str(data.get("document") or path.stem), str(path), items)


# --- running ---------------------------------------------------------------------------------
def _documents(docs: str | Path | Sequence[str | Path]) -> list[Path]:
    items = [docs] if isinstance(docs, str | Path) else list(docs)
    out: list[Path] = []
    for item in map(Path, items):
        if not item.exists():
            raise InputError(str(item), "no such file or folder")
        # Scored, never published: a test set may link to documents kept elsewhere.
        for path in list_sources(item, any_link=True) if item.is_dir() else [item]:
            if path not in out:
                out.append(path)
    return out


def _gold_path(gold_dir: Path, doc: Path) -> Path:
    for suffix in SIDECAR_SUFFIXES:
        candidate = gold_dir / f"{doc.stem}{suffix}"
        if candidate.is_file():
            return candidate
    raise InputError(str(gold_dir / f"{doc.stem}.yaml"), f"no gold answer for the document {doc}")


def evaluate(
    docs: str | Path | Sequence[str | Path],
    gold_dir: str | Path,
    registry_dir: str | Path = "data/registry",
    corrections_dir: str | Path = "data/corrections",
) -> EvalResult:
    """Extract each document (a file, a folder of them, or a list of both) as `kg extract`
    does and score it against `gold_dir/<stem>.yaml`."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(str(gold_dir), "no such gold folder")
    paths = _documents(docs)
    if not paths:
        raise InputError(str(docs), "no documents to evaluate")
    golds = [load_gold(_gold_path(gold_dir, p)) for p in paths]  # all checked before any work
    registry = load_registry(registry_dir)
    corrections = load_corrections(corrections_dir)
    results = []
    for path, gold in zip(paths, golds, strict=True):
        source = read_source(path)
        if gold.document != source.doc_id:
            raise InputError(
                gold.path, f"answers document {gold.document!r}, not {source.doc_id!r}"
            )
        extraction = extract_document(source, registry, corrections)
        results.append(score_document(extraction.to_json(), gold))
    return EvalResult(results)
