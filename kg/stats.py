"""The counts of `kg stats`: small queries, kept as package data.

One definition of "bodies" holds everywhere a count of them appears (`kg stats`, the page,
the analysis, the report): a body is an organisation, named ("Invest Hong Kong") or a
generic group ("Hong Kong universities"); programmes and events ("Belt and Road Summit")
are counted apart. `organizations` in `kg stats --json` is that count.
"""

from __future__ import annotations

from importlib import resources

from kg.store import Store, derived

KEYS = (
    "triples",
    "documents",
    "meetings",
    "areas",
    "commitments",
    "organizations",
    "people",
    "memoranda",
)


def graph_stats(store: Store) -> dict[str, int]:
    """Count what the graph holds, under the names of docs/DESIGN.md's `kg stats --json`
    (once per frozen store: a build's report and its summary both ask)."""
    return dict(derived(store, "graph_stats", lambda: _graph_stats(store)))


def _graph_stats(store: Store) -> dict[str, int]:
    text = resources.files("kg").joinpath("queries/stats.rq").read_text(encoding="utf-8")
    row = store.select(text).dicts()[0]
    return {key: int(row.get(key) or 0) for key in KEYS}


# coop:kind values that are not bodies, and the one that is a generic group
_EVENT_KINDS = ("programme", "event")
_GENERIC = "generic_group"


def body_breakdown(store: Store) -> dict[str, int]:
    """`bodies` (= `organizations`), of which `named_bodies` and `generic_groups`, and
    `programmes_events`, counted apart."""
    per_kind = derived(store, "body_kinds", lambda: _per_kind(store))
    events = sum(per_kind.get(k, 0) for k in _EVENT_KINDS)
    generic = per_kind.get(_GENERIC, 0)
    bodies = sum(per_kind.values()) - events
    return {
        "bodies": bodies,
        "named_bodies": bodies - generic,
        "generic_groups": generic,
        "programmes_events": events,
    }


def _per_kind(store: Store) -> dict[str, int]:
    text = resources.files("kg").joinpath("queries/body-kinds.rq").read_text(encoding="utf-8")
    return {str(r["kind"]): int(r["bodies"]) for r in store.select(text).dicts()}


def breakdown_text(counts: dict[str, int]) -> str:
    """A total of bodies with its breakdown, e.g. ``41 (17 named, 24 generic groups)``."""
    generic = counts["generic_groups"]
    groups = "generic group" if generic == 1 else "generic groups"
    return f"{counts['bodies']} ({counts['named_bodies']} named, {generic} {groups})"
