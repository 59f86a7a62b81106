"""Compare co-operation mechanisms, and successive plenaries of one mechanism.

Every table is read from the graph through named queries (`kg/queries/*.rq`), so that
`kg compare` and `kg query` give the same answers:

- `area_matrix`: canonical areas × mechanisms (commitments per cell, None where the
  mechanism never agreed the area), from `areas-by-mechanism`;
- `shared_areas`: the areas every mechanism agreed, from `areas-shared-by-all-mechanisms`;
- `shared_bodies`: bodies that take part in several mechanisms, from
  `bodies-across-mechanisms`;
- `plenary_diff`: what a later meeting of a mechanism added to an earlier one, from
  `plenary-diff`; a mechanism with a single meeting is not diffed with itself but named in
  `plenary_notes` (from `mechanisms`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.output import atomic_write_text
from kg.query import format_table, resolve_query, run_query
from kg.store import IRI, Store, Table

__all__ = [
    "Comparison",
    "area_matrix",
    "compare",
    "plenary_diff",
    "plenary_notes",
    "shared_areas",
    "shared_bodies",
    "write_comparison",
]

_AREA_COLUMNS = ("area", "mechanisms", "meetings", "commitments")
_BODY_COLUMNS = ("label", "mechanisms", "mechanism_labels", "roles", "commitments", "kind",
                 "jurisdiction", "body")  # fmt: skip
_DIFF_COLUMNS = ("mechanism_label", "earlier_date", "later_date", "what", "change", "label",
                 "area", "earlier_commitments", "later_commitments", "item")  # fmt: skip


def _select(table: Table, columns: tuple[str, ...]) -> Table:
    index = [table.columns.index(c) for c in columns]
    return Table(list(columns), [tuple(row[i] for i in index) for row in table.rows])


def area_matrix(store: Store) -> Table:
    """Canonical areas × mechanisms: the number of commitments the mechanism's meetings made
    in the area, or None where none of its meetings agreed the area.

    Columns: `area`, one per mechanism (by label), then `mechanisms` (how many agreed the
    area). Rows: areas agreed by most mechanisms first, then by label.
    """
    rows = run_query(store, resolve_query("areas-by-mechanism"), {}).dicts()
    mechanisms = sorted({str(r["mechanism"]) for r in rows})
    cells: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in rows:
        cells[str(r["area"])][str(r["mechanism"])] = r["commitments"]
    ordered = sorted(cells, key=lambda area: (-len(cells[area]), area))
    return Table(
        ["area", *mechanisms, "mechanisms"],
        [(a, *(cells[a].get(m) for m in mechanisms), len(cells[a])) for a in ordered],
    )


def shared_areas(store: Store) -> Table:
    """The areas every mechanism agreed (mechanisms with no area at all aside)."""
    table = run_query(store, resolve_query("areas-shared-by-all-mechanisms"), {})
    return _select(table, _AREA_COLUMNS)


def shared_bodies(store: Store, min_mechanisms: int = 2) -> Table:
    """Bodies that take part in at least `min_mechanisms` mechanisms, most first."""
    query = resolve_query("bodies-across-mechanisms")
    table = run_query(store, query, {"min": str(min_mechanisms)})
    return _select(table, _BODY_COLUMNS)


def plenary_diff(store: Store, mechanism: str = "", earlier: str = "", later: str = "") -> Table:
    """What a later meeting of a mechanism added to an earlier one (see `plenary-diff.rq`).

    `mechanism` is a label, published name or IRI ("" = every mechanism); `earlier` and
    `later` an ordinal ("2") or a date ("2023-11-07"), "" for the first and last meetings.
    """
    params = {"mechanism": mechanism, "earlier": earlier, "later": later}
    table = run_query(store, resolve_query("plenary-diff"), params)
    return _select(table, _DIFF_COLUMNS)


def plenary_notes(store: Store, mechanism: str = "", diff: Table | None = None) -> list[str]:
    """Why the plenary diff has no rows for a mechanism: it has one meeting, or none of its
    meetings matched the choice of `earlier`/`later`; or no mechanism has that name."""
    rows = run_query(store, resolve_query("mechanisms"), {}).dicts()
    meetings: dict[str, tuple[str, int]] = {}
    for r in rows:
        meetings[str(r["mechanism"])] = (str(r["label"] or r["mechanism"]), int(r["meetings"] or 0))
    wanted = mechanism.strip().casefold()
    chosen = {
        iri: value
        for iri, value in meetings.items()
        if not wanted or wanted in (iri.casefold(), value[0].casefold())
    }
    if wanted and not chosen:
        # A published spelling is matched by the query itself; only say "no such" when the
        # query found nothing either.
        if diff is None or not diff.rows:
            return [f"no mechanism is called {mechanism!r}: see `kg query mechanisms`"]
        return []
    diffed = {str(r["mechanism_label"]) for r in diff.dicts()} if diff is not None else set()
    notes = []
    for label, count in sorted(chosen.values()):
        if count < 2:
            held = "no meeting" if count == 0 else "one meeting"
            notes.append(f"{label} has {held}: there is no other plenary to compare it with")
        elif diff is not None and label not in diffed:
            notes.append(f"{label}: no two different meetings match the chosen plenaries")
    return notes


@dataclass(frozen=True)
class Comparison:
    """The tables of `kg compare`."""

    areas: Table
    shared_areas: Table
    bodies: Table
    plenaries: Table
    notes: tuple[str, ...] = ()  # why a mechanism has no plenary diff

    def tables(self) -> dict[str, Table]:
        return {
            "areas_by_mechanism": self.areas,
            "areas_shared_by_all_mechanisms": self.shared_areas,
            "bodies_across_mechanisms": self.bodies,
            "plenary_diff": self.plenaries,
        }

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """Each table as a list of row objects (IRIs as plain strings)."""
        tables: dict[str, Any] = {
            name: [{k: _plain(v) for k, v in row.items()} for row in table.dicts()]
            for name, table in self.tables().items()
        }
        return {**tables, "plenary_notes": list(self.notes)}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, IRI) else value


def compare(
    store: Store,
    mechanism: str = "",
    earlier: str = "",
    later: str = "",
    min_mechanisms: int = 2,
) -> Comparison:
    """Every comparison at once; the plenary diff as `plenary_diff` takes its arguments."""
    plenaries = plenary_diff(store, mechanism, earlier, later)
    return Comparison(
        areas=area_matrix(store),
        shared_areas=shared_areas(store),
        bodies=shared_bodies(store, min_mechanisms),
        plenaries=plenaries,
        notes=tuple(plenary_notes(store, mechanism, plenaries)),
    )


def write_comparison(comparison: Comparison, out_dir: str | Path) -> list[Path]:
    """Write `compare.json` and one CSV per table (`<table>.csv`) atomically."""
    out_dir = Path(out_dir)
    payloads = {"compare.json": json.dumps(comparison.to_json(), ensure_ascii=False, indent=1)}
    for name, table in comparison.tables().items():
        payloads[f"{name}.csv"] = format_table(table, "csv")
    return [atomic_write_text(out_dir / name, text + ("" if text.endswith("\n") else "\n"))
            for name, text in payloads.items()]  # fmt: skip
