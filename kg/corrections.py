"""Facts a text lacks (`data/corrections/*.yaml`), each with its reason and source."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.source import read_yaml

KINDS = ("lost_heading",)
_REQUIRED = ("id", "kind", "area", "anchor", "reason", "source")


@dataclass(frozen=True)
class Correction:
    """A restored area heading: `area` heads the paragraph whose text starts with `anchor`."""

    id: str
    document: str
    kind: str
    area: str
    anchor: str
    reason: str
    source: str
    path: str = ""
    line: int | None = None
    sha256: str | None = None  # of the corrected text: a renamed copy is corrected too

    def applies_to(self, doc_id: str, sha256: str = "") -> bool:
        return self.document == doc_id or (self.sha256 is not None and self.sha256 == sha256)


class Corrections:
    """All corrections of a data folder."""

    def __init__(self, items: list[Correction] | None = None) -> None:
        self.items = list(items or [])

    def __iter__(self) -> Iterator[Correction]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def for_document(self, doc_id: str, sha256: str = "") -> list[Correction]:
        return [c for c in self.items if c.applies_to(doc_id, sha256)]

    def as_mapping(self) -> dict[str, dict[str, str]]:
        """id -> {document, area, reason, source}: what the RDF builder records."""
        return {
            c.id: {"document": c.document, "area": c.area, "reason": c.reason, "source": c.source}
            for c in self.items
        }


def _parse_file(path: Path) -> list[Correction]:
    data = read_yaml(path)
    if data is None:
        return []
    where = str(path)
    if not isinstance(data, dict) or "document" not in data:
        raise InputError(where, "expected a mapping with 'document' and 'corrections'", 1)
    unknown = data.keys() - {"document", "sha256", "corrections"}
    if unknown:
        raise InputError(where, f"unknown field {sorted(unknown)[0]!r}", data.line)
    items = data.get("corrections") or []
    if not isinstance(items, list):
        raise InputError(where, "'corrections' must be a list", data.line)
    out = []
    for entry in items:
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict):
            raise InputError(where, "a correction must be a mapping", line)
        fields: dict[str, Any] = dict(entry)
        for key in _REQUIRED:
            if not isinstance(fields.get(key), str) or not fields[key].strip():
                raise InputError(where, f"correction lacks required field {key!r}", line)
        extra = fields.keys() - set(_REQUIRED)
        if extra:
            raise InputError(where, f"unknown field {sorted(extra)[0]!r}", line)
        if fields["kind"] not in KINDS:
            raise InputError(where, f"unknown correction kind {fields['kind']!r}", line)
        document, sha = str(data["document"]), data.get("sha256")
        out.append(Correction(document=document, path=where, line=line, sha256=sha, **fields))
    return out


def load_corrections(folder: str | Path) -> Corrections:
    """Every correction in `folder` (a missing folder means none)."""
    folder = Path(folder)
    if not folder.exists():
        return Corrections()
    if not folder.is_dir():
        raise InputError(str(folder), "corrections must be a folder of YAML files")
    items: list[Correction] = []
    seen: dict[str, Correction] = {}
    for path in sorted(folder.glob("*.y*ml")):
        for c in _parse_file(path):
            if c.id in seen:
                first = seen[c.id]
                raise InputError(
                    c.path, f"correction id {c.id!r} also used at {first.path}:{first.line}", c.line
                )
            seen[c.id] = c
            items.append(c)
    return Corrections(items)
