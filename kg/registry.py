"""Which body, place, person or post a string names: the curated registry in `data/registry/`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from kg.alternation import alternation_tree
from kg.corrections import Corrections, load_corrections
from kg.errors import InputError
from kg.model import KINDS, Organization
from kg.registry_trace import traced
from kg.source import read_yaml

__all__ = [
    "Body",
    "Corrections",
    "GenericGroup",
    "Jurisdiction",
    "KnownPerson",
    "Post",
    "Registry",
    "load_corrections",
    "load_registry",
    "name_key",
    "name_pattern",
]

T = TypeVar("T")
_WS = re.compile(r"[\s\u00a0\u3000]+")
_APOS = (("’", "'"), ("‘", "'"), ("‐", "-"), ("‑", "-"), ("–", "-"))


def _plain_marks(text: str) -> str:
    """Curly apostrophes straight, dashes as hyphens."""
    # One replace a mark, not str.translate: translate looks every character up in a
    # dict (0.55 s of a 5 MB paragraph's key, against 0.02 s).
    for mark, plain in _APOS:
        text = text.replace(mark, plain)
    return text


def name_key(name: str) -> str:
    """The form two spellings of one name share: spacing, apostrophes, a leading "the"
    and (for names of several words) case do not count."""
    # Extraction asks for the same few hundred names again and again; a whole paragraph
    # (`segment.drop_repeats`) is not worth keeping.
    return _short_key(name) if len(name) <= _CACHED_KEY else _key(name)


_CACHED_KEY = 200


def _key(name: str) -> str:
    # `split()` splits at what `\s` matches (and drops the ends): `_WS` and `strip`.
    words = _plain_marks(name).split()
    if len(words) <= 1:
        return words[0] if words else ""
    # Only three letters lower-case to "the" ("İ" is the one letter that grows).
    return " ".join(w for w in words if len(w) != 3 or w.lower() != "the").casefold()


_short_key = functools.lru_cache(maxsize=1 << 16)(_key)


def name_pattern(name: str, bounded: bool = True) -> str:
    """A regex source matching `name` as written in running text.

    Tolerates any run of whitespace or NBSP between words, curly or straight apostrophes,
    dash variants, and an optional "the" wherever the name has one. A one-word name
    (an abbreviation such as HKEX) matches case-sensitively; longer names ignore case.
    """
    body, one_word = _name_body(name)
    if bounded:
        body = rf"(?<![\w]){body}(?![\w])"
    return body if one_word else f"(?i:{body})"


def _name_body(name: str) -> tuple[str, bool]:
    """`name_pattern(name, bounded=False)` without its `(?i:...)`, and whether the name is
    one word (matched case-sensitively)."""
    words = [w for w in _WS.split(_plain_marks(name).strip()) if w]
    if words and words[0].lower() == "the":
        words = words[1:]
    parts = []
    for word in words:
        if word.lower() == "the":
            parts.append(r"(?:the\s+)?")
            continue
        esc = re.escape(word).replace("'", "['’]").replace(r"\-", "[-‐‑–]")
        parts.append(esc + r"\s+")
    return "".join(parts)[: -len(r"\s+")], len(words) == 1


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    aliases: tuple[str, ...] = ()
    level: str | None = None
    government: str | None = None  # canonical name of its government in bodies.yaml
    chinese_name: str | None = None
    reviewed: bool = True  # False: read from a text (`Registry.with_found`), not curated


@dataclass(frozen=True)
class Body:
    name: str
    kind: str
    jurisdiction: str | None = None
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    chinese_name: str | None = None
    reviewed: bool = True  # False: minted for a place read from a text, not curated

    def to_organization(self) -> Organization:
        return Organization(
            label=self.name,
            kind=self.kind,
            jurisdiction=self.jurisdiction,
            known=self.reviewed,
            aliases=list(self.aliases),
            parent=self.parent,
            chinese_name=self.chinese_name,
        )


@dataclass(frozen=True)
class KnownPerson:
    name: str
    honorific: str | None = None
    aliases: tuple[str, ...] = ()
    chinese_name: str | None = None


@dataclass(frozen=True)
class Post:
    title: str
    body: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GenericGroup:
    name: str  # plural phrase, e.g. "chambers of commerce"
    aliases: tuple[str, ...] = ()


_FOUND_KEPT = 4096  # texts whose finds an index keeps


class _Index:
    """Names of one kind of entity -> the entity, and one regex that finds them all."""

    def __init__(self, path: str, what: str) -> None:
        self.path = path
        self.what = what
        self.by_key: dict[str, tuple[Any, int | None]] = {}
        self.entries: list[tuple[Any, int | None]] = []  # each entity once, in file order
        self._regex: dict[bool, re.Pattern[str]] = {}
        # Set by `extended`: the index this one adds names to, and one of the added names
        # alone, whose regexes `find` runs instead of compiling one of every name again.
        self._parts: tuple[_Index, _Index] | None = None
        self._found: dict[tuple[str, bool], tuple[tuple[int, int, Any], ...]] = {}

    def extended(self, items: Iterable[tuple[Any, int | None]]) -> _Index:
        """This index and `items`, finding what one regex of all their names would find
        (`find`) without compiling it: a document's few new names cost a small regex, not
        the registry's again (a tenth of a second, on every document that adds a place)."""
        items = list(items)
        if not items:
            return self
        # This one's names as they are, then the new ones: what indexing all of them
        # again in order gives, without re-keying the registry's names for every document.
        index = _Index(self.path, self.what)
        index.by_key = dict(self.by_key)
        index.entries = list(self.entries)
        for entity, line in items:
            for name in (_label(entity), *entity.aliases):
                index.add(name, entity, line)
        index._parts = (self, _index(self.path, self.what, items))
        return index

    def add(self, name: str, entity: Any, line: int | None) -> None:
        key = name_key(name)
        if not key:
            raise InputError(self.path, f"empty {self.what} name", line)
        prior = self.by_key.get(key)
        if prior is not None and prior[0] is not entity:
            raise InputError(
                self.path,
                f"{name!r} names two {self.what} entries: {_label(prior[0])!r} "
                f"(line {prior[1]}) and {_label(entity)!r}",
                line,
            )
        if not any(e is entity for e, _ in self.entries[-1:]):
            self.entries.append((entity, line))
        self.by_key[key] = (entity, line)
        self._found.clear()

    def get(self, name: str) -> Any:
        hit = self.by_key.get(name_key(name))
        return None if hit is None else hit[0]

    def regex(self, case_sensitive: bool = False) -> re.Pattern[str]:
        if case_sensitive not in self._regex:
            names = sorted({_surface(k, e) for k, (e, _) in self.by_key.items()}, key=len)
            alts = [_name_body(n) for n in reversed(names)]
            if case_sensitive:
                # Other patterns hold this one (`Registry.jurisdiction_pattern`): kept flat.
                joined = "|".join(body for body, _ in alts) or r"(?!x)x"
            else:
                joined = alternation_tree([(body, not one_word) for body, one_word in alts])
            # One boundary check outside the alternation: most positions fail it at once.
            self._regex[case_sensitive] = re.compile(rf"(?<![\w])(?:{joined})(?![\w])")
        return self._regex[case_sensitive]

    def find(self, text: str, case_sensitive: bool = False) -> list[tuple[int, int, Any]]:
        # The same words are asked about again and again (a sentence, then its clauses, by
        # each reader): 36,000 questions of 600 texts in a 5 MB paragraph of a release.
        key = (text, case_sensitive)
        hit = self._found.get(key)
        if hit is not None:
            return list(hit)
        found = []
        for m in self._matches(text, case_sensitive):
            entity = self.get(m.group(0))
            if entity is not None:
                found.append((m.start(), m.end(), entity))
        if len(self._found) >= _FOUND_KEPT:
            self._found.clear()
        self._found[key] = tuple(found)
        return found

    def _matches(self, text: str, case_sensitive: bool) -> Iterable[re.Match[str]]:
        """What `self.regex(case_sensitive).finditer(text)` yields.

        An extended index runs its parts' regexes side by side: the combined regex takes,
        from where the last match ended, the leftmost place either part matches, and
        there what that part matches (the other part matches nothing there). Where both
        match at one place the order of their names decides: the combined regex itself
        is made (once) and used for the text.
        """
        if self._parts is None or case_sensitive in self._regex:
            return self.regex(case_sensitive).finditer(text)
        regexes = [part.regex(case_sensitive) for part in self._parts]
        found: list[re.Match[str]] = []
        pos = 0
        ahead: list[re.Match[str] | None] = [r.search(text, pos) for r in regexes]
        while True:
            for i, m in enumerate(ahead):
                if m is not None and m.start() < pos:
                    ahead[i] = regexes[i].search(text, pos)
            hits = [m for m in ahead if m is not None]
            if not hits:
                return found
            first = min(hits, key=lambda m: m.start())
            if sum(m.start() == first.start() for m in hits) > 1:
                return self.regex(case_sensitive).finditer(text)
            found.append(first)
            pos = first.end()


def _label(entity: Any) -> str:
    return getattr(entity, "name", None) or getattr(entity, "title", "?")


def _surface(key: str, entity: Any) -> str:
    # Rebuild a matchable spelling from the key: the canonical name or alias it came from.
    names = [_label(entity), *getattr(entity, "aliases", ())]
    for name in names:
        if name_key(name) == key:
            return name
    return key


class Registry:
    """The curated identities, with lookups that tolerate how running text writes them."""

    def __init__(
        self,
        bodies: Iterable[tuple[Body, int | None]],
        jurisdictions: Iterable[tuple[Jurisdiction, int | None]],
        people: Iterable[tuple[KnownPerson, int | None]] = (),
        posts: Iterable[tuple[Post, int | None]] = (),
        groups: Iterable[tuple[GenericGroup, int | None]] = (),
        folder: str = "<registry>",
    ) -> None:
        self.folder = folder
        self._bodies = _index(f"{folder}/bodies.yaml", "body", bodies)
        self._places = _index(f"{folder}/jurisdictions.yaml", "jurisdiction", jurisdictions)
        self._people = _index(f"{folder}/people.yaml", "person", people)
        self._posts = _index(f"{folder}/posts.yaml", "post", posts)
        self._groups = _index(f"{folder}/generic_groups.yaml", "generic group", groups)
        self._tables()
        self._check_references()

    def _tables(self) -> None:
        self.bodies: dict[str, Body] = {b.name: b for b, _ in self._bodies.entries}
        self.jurisdictions = {j.name: j for j, _ in self._places.entries}
        self.people = {p.name: p for p, _ in self._people.entries}
        self.posts = {p.title: p for p, _ in self._posts.entries}
        self.groups = {g.name: g for g, _ in self._groups.entries}

    def _check_references(self, only: Iterable[Any] | None = None) -> None:
        """Raise InputError for a reference that names no entry. `only`: check just these
        entries (those `with_found` adds: the others were checked in their registry, and
        what it adds takes none of their names)."""
        keep = None if only is None else {id(e) for e in only}
        where = self._bodies.path
        for body, line in self._bodies.entries:
            if keep is not None and id(body) not in keep:
                continue
            if body.kind not in KINDS:
                raise InputError(where, f"{body.name!r}: unknown kind {body.kind!r}", line)
            if body.jurisdiction and self.resolve_jurisdiction(body.jurisdiction) is None:
                raise InputError(where, f"{body.name!r}: unknown jurisdiction", line)
            if body.parent and self.body(body.parent) is None:
                raise InputError(where, f"{body.name!r}: unknown parent {body.parent!r}", line)
            if body.name in self.ancestors(body.name):
                raise InputError(where, f"{body.name!r} is its own ancestor", line)
        for place, line in self._places.entries:
            if keep is not None and id(place) not in keep:
                continue
            if place.government and self.body(place.government) is None:
                raise InputError(
                    self._places.path, f"{place.name!r}: unknown government body", line
                )
        for post, line in self._posts.entries if keep is None else ():
            if post.body and self.body(post.body) is None:
                raise InputError(self._posts.path, f"{post.title!r}: unknown body", line)

    @traced
    def with_found(self, places: Iterable[Jurisdiction], bodies: Iterable[Body]) -> Registry:
        """This registry and places (and their bodies) that a document shows but the
        registry lacks, flagged `reviewed=False`: one document reads them like known ones
        ("Xanadu enterprises", "between Hong Kong and Xanadu"). Names the registry already
        gives to something else are left out, so the curated entries always win."""
        known = self.resolve_jurisdiction
        new_places = [_unclaimed(p, self._places) for p in places if known(p.name) is None]
        new_bodies = [_unclaimed(b, self._bodies) for b in bodies if self.body(b.name) is None]
        found = Registry((), (), folder=self.folder)
        # What did not change is shared (its regexes are compiled once for every document).
        found._bodies = self._bodies.extended((b, None) for b in new_bodies)
        found._places = self._places.extended((p, None) for p in new_places)
        found._people, found._posts, found._groups = self._people, self._posts, self._groups
        found._tables()
        found._check_references(only=[*new_places, *new_bodies])
        return found

    def traced_answer(self) -> str:
        """What a registry `with_found` made is, for `kg.registry_trace`: the places and
        bodies it adds (the rest is this one's, or the registry it was made from)."""
        added = [e for e, _ in (*self._places.entries, *self._bodies.entries) if not e.reviewed]
        return repr(added)

    # -- lookups ---------------------------------------------------------------------
    @traced
    def body(self, name: str) -> Body | None:
        return self._bodies.get(name)

    @traced
    def organization(self, label: str) -> Organization:
        """The registry's record of a body as a `model.Organization`: a curated body, or a
        generic group such as "Chongqing law associations" (KeyError if neither)."""
        body = self.body(label)
        if body is not None:
            return body.to_organization()
        group = self.group_label(label)
        if group is None:
            raise KeyError(label)
        return Organization(label, "generic_group", group[0], known=True)

    @traced
    def group_label(self, label: str) -> tuple[str | None, GenericGroup] | None:
        """(jurisdiction, group) for a label "<jurisdiction> <group>" or "<group>"."""
        group = self._groups.get(label)
        if group is not None:
            return None, group
        for start, end, place in self.find_jurisdictions(label):
            group = self._groups.get(label[end:])
            if start == 0 and group is not None:
                return place.name, group
        return None

    @traced
    def ancestors(self, label: str) -> list[str]:
        """Parent, grandparent, ... of a body, nearest first."""
        chain: list[str] = []
        body = self.body(label)
        while body is not None and body.parent and body.parent not in chain:
            chain.append(body.parent)
            body = self.body(body.parent)
        return chain

    @traced
    def find_bodies(self, text: str) -> list[tuple[int, int, Body]]:
        """Registry bodies named in `text`: leftmost-longest, non-overlapping."""
        return self._bodies.find(text)

    def resolve_jurisdiction(self, name: str) -> Jurisdiction | None:
        return self._places.get(name)

    def find_jurisdictions(self, text: str) -> list[tuple[int, int, Jurisdiction]]:
        # Place names are proper nouns: matching them ignoring case finds "china" the ware.
        return self._places.find(text, case_sensitive=True)

    def jurisdiction_pattern(self) -> str:
        """Regex source matching any jurisdiction name or alias (case-sensitive)."""
        return self._places.regex(case_sensitive=True).pattern

    def jurisdiction_aliases(self) -> dict[str, list[str]]:
        return {j.name: list(j.aliases) for j in self.jurisdictions.values()}

    @traced
    def government_of(self, jurisdiction: str) -> Body | None:
        place = self.resolve_jurisdiction(jurisdiction)
        return self.body(place.government) if place and place.government else None

    @traced
    def person(self, name: str) -> KnownPerson | None:
        return self._people.get(name)

    def post(self, title: str) -> Post | None:
        return self._posts.get(title)

    @traced
    def find_groups(self, text: str) -> list[tuple[int, int, GenericGroup]]:
        return self._groups.find(text)


def _unclaimed(entity: T, index: _Index) -> T:
    """`entity` without the aliases that `index` already gives to another entry."""
    aliases = tuple(a for a in entity.aliases if index.get(a) is None)  # type: ignore[attr-defined]
    return replace(entity, aliases=aliases)  # type: ignore[type-var]


def _index(path: str, what: str, items: Iterable[tuple[Any, int | None]]) -> _Index:
    index = _Index(path, what)
    for entity, line in items:
        for name in (_label(entity), *entity.aliases):
            index.add(name, entity, line)
    return index


# -- loading ---------------------------------------------------------------------------
_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # file: (required fields, optional fields)
    "bodies.yaml": ({"name", "kind"}, {"aliases", "jurisdiction", "parent", "chinese_name"}),
    "jurisdictions.yaml": ({"name"}, {"aliases", "level", "government", "chinese_name"}),
    "people.yaml": ({"name"}, {"honorific", "aliases", "chinese_name"}),
    "posts.yaml": ({"title"}, {"body", "aliases"}),
    "generic_groups.yaml": ({"name"}, {"aliases"}),
}


def _read_entries(path: Path, required_file: bool) -> list[tuple[dict[str, Any], int | None]]:
    if not path.exists():
        if required_file:
            raise InputError(str(path), "registry file missing")
        return []
    data = read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(str(path), "must be a list of entries", getattr(data, "line", 1))
    required, optional = _FIELDS[path.name]
    entries = []
    for entry in data:
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict):
            raise InputError(str(path), f"entry must be a mapping, got {entry!r}", line)
        for key in required - entry.keys():
            raise InputError(str(path), f"entry lacks required field {key!r}", line)
        for key in entry.keys() - required - optional:
            raise InputError(str(path), f"unknown field {key!r}", line)
        for key, value in entry.items():
            ok = isinstance(value, list) if key == "aliases" else isinstance(value, str | None)
            if key == "aliases" and ok:
                ok = all(isinstance(v, str) for v in value)
            if not ok:
                raise InputError(str(path), f"field {key!r} has the wrong type", line)
        entries.append(({**entry, "aliases": tuple(entry.get("aliases") or ())}, line))
    return entries


def _build(path: Path, cls: Callable[..., T], required: bool = False) -> list[tuple[T, int | None]]:
    return [(cls(**fields), line) for fields, line in _read_entries(path, required)]


def load_registry(folder: str | Path) -> Registry:
    """Load `bodies.yaml`, `jurisdictions.yaml` and (optional) `people.yaml`, `posts.yaml`,
    `generic_groups.yaml` from `folder`; `InputError` with file:line on bad entries."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "no such registry folder")
    return Registry(
        bodies=_build(folder / "bodies.yaml", Body, required=True),
        jurisdictions=_build(folder / "jurisdictions.yaml", Jurisdiction, required=True),
        people=_build(folder / "people.yaml", KnownPerson),
        posts=_build(folder / "posts.yaml", Post),
        groups=_build(folder / "generic_groups.yaml", GenericGroup),
        folder=str(folder),
    )
