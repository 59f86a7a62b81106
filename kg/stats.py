"""The counts of `kg stats`: one small query, kept as package data."""

from __future__ import annotations

from importlib import resources

from kg.store import Store

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
    """Count what the graph holds, under the names of docs/DESIGN.md's `kg stats --json`."""
    text = resources.files("kg").joinpath("queries/stats.rq").read_text(encoding="utf-8")
    row = store.select(text).dicts()[0]
    return {key: int(row.get(key) or 0) for key in KEYS}
