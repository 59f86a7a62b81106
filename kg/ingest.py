"""Add documents to a data folder's `sources/`, each with its metadata sidecar.

A document is stored under its safe id (`kg.source.document_id` of its file name) as
`sources/<id>.txt` (or its own plain suffix), so every name in `sources/` is safe in a
file name, an IRI and a shell, whatever the name it came with. Two documents whose ids
would name one thing in the graph (`x_y.txt`, `x-y.txt`) are refused, naming both files.
Ingesting is idempotent and never loses a document: the same bytes under the same id are
skipped (the sidecar is rewritten only if the metadata changed), the same bytes under
another id are skipped as a duplicate (the graph would count its commitments twice), and
different bytes under an id already taken are refused. Metadata (title, date, url, ...)
is checked before anything is written, as `kg.source.read_source` will read it at build:
a bad value is refused here, not found at build. Files are written atomically, the
sidecar first.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.errors import InputError, OutputError
from kg.identity import slug
from kg.output import atomic_write_bytes, file_mode, temp_prefix
from kg.source import (
    SIDECAR_SUFFIXES,
    check_metadata,
    document_id,
    document_suffix,
    list_sources,
    read_bytes,
    read_source,
    read_yaml,
    sidecar_path,
)

__all__ = ["FIELDS", "Ingested", "ingest"]

# Sidecar fields, in the order they are written ("id" is the document's safe id).
FIELDS = ("id", "title", "date", "place", "url", "publisher", "language", "kind")


@dataclass(frozen=True)
class Ingested:
    """What ingesting one file did: `status` is "added", "updated" (same document, new
    metadata), "unchanged" or "duplicate" (the same bytes are already there as `path`)."""

    source: Path  # the file given
    path: Path  # the document in sources/
    sidecar: Path | None
    status: str


def ingest(
    files: Sequence[str | Path],
    data_dir: str | Path = "data",
    metadata: Mapping[str, str | None] | None = None,
) -> list[Ingested]:
    """Copy `files` into `data_dir/sources/` with their sidecars.

    Metadata comes from the sidecar beside each file (`<stem>.yaml`), if any, overridden by
    the non-empty values of `metadata` (fields of `FIELDS` but "id"). `title` and `url`
    name one document: give them with one file only.

    Raises
    ------
    InputError
        A file that is missing, empty, binary, not UTF-8 or itself a sidecar; metadata that
        does not read (an unknown field, a date not YYYY-MM-DD); a name already taken by a
        different document; two files with one name.
    """
    data_dir = Path(data_dir)
    folder = data_dir / "sources"
    given = {k: v for k, v in (metadata or {}).items() if v not in (None, "")}
    unknown = sorted(set(given) - set(FIELDS[1:]))
    if unknown:
        raise InputError(None, f"unknown metadata field {unknown[0]!r}")
    check_metadata({k: str(v) for k, v in given.items()})
    if len(files) > 1 and {"title", "url"} & set(given):
        raise InputError(None, "--title and --url name one document: ingest one file at a time")
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "no such data folder")
    existing = list_sources(folder) if folder.is_dir() else []
    plans = [_plan(Path(f), folder, existing, given) for f in files]
    seen: dict[str, _Plan] = {}
    for plan in plans:
        if plan.status == "duplicate":
            continue
        key = slug(plan.target.stem)
        first = seen.setdefault(key, plan)
        if first is not plan:
            raise InputError(
                str(plan.source),
                f"gives the id {plan.target.stem!r}, as {first.source} does: rename one",
            )
    return [_apply(plan) for plan in plans]


@dataclass(frozen=True)
class _Plan:
    source: Path
    target: Path
    sidecar_text: bytes | None  # None: write no sidecar
    status: str


def _plan(path: Path, folder: Path, existing: Iterable[Path], given: Mapping[str, str]) -> _Plan:
    if path.suffix in SIDECAR_SUFFIXES:
        raise InputError(str(path), "is a metadata sidecar, not a document")
    if path.name.startswith("."):
        raise InputError(str(path), "hidden files are not read as documents")
    read_source(path)  # a missing, empty, binary, non-UTF-8 file or a FIFO stops here
    data = read_bytes(path, "document")
    doc_id = document_id(path.stem)
    target = folder / (doc_id + document_suffix(path))
    same_name = next((other for other in existing if other.name == target.name), None)
    base = sidecar_path(same_name) if same_name is not None else None
    sidecar = _sidecar_bytes(path, doc_id, given, base)
    _check(path, doc_id, target.suffix, data, sidecar)

    if same_name is not None:
        if same_name.read_bytes() != data:
            raise InputError(
                str(path),
                f"{same_name} is a different document with the same id "
                "(rename the new file, or remove the old one first)",
            )
        old_sidecar = sidecar_path(same_name)
        old = old_sidecar.read_bytes() if old_sidecar is not None else None
        if sidecar is None or sidecar == old or _same_meta(old_sidecar, sidecar):
            return _Plan(path, same_name, None, "unchanged")
        return _Plan(path, same_name, sidecar, "updated")
    digest = hashlib.sha256(data).hexdigest()
    for other in existing:
        if hashlib.sha256(other.read_bytes()).hexdigest() == digest:
            return _Plan(path, other, None, "duplicate")
    # Ids that differ only in "_" and "-" give one IRI (kg.rdf mints from their slug).
    for other in existing:
        if slug(document_id(other.stem)) == slug(doc_id):
            raise InputError(
                str(path), f"gives the id {doc_id!r}, which {other} already has: rename one"
            )
    return _Plan(path, target, sidecar, "added")


def _sidecar_bytes(
    path: Path, doc_id: str, given: Mapping[str, str], base: Path | None
) -> bytes | None:
    """The sidecar to write: the metadata already in sources/ (`base`), updated by the
    file's own sidecar and then by `given`. The file's own sidecar is copied verbatim
    (comments and all) when it is all there is and its id, if any, is the safe id. None
    when there is no metadata at all."""
    own = sidecar_path(path)
    if own is not None and not given and base is None:
        data = read_yaml(own)
        if not isinstance(data, dict) or data.get("id") in (None, doc_id):
            return own.read_bytes()
    fields: dict[str, object] = {}
    for side in (base, own):
        if side is not None:
            data = read_yaml(side) or {}
            if not isinstance(data, dict):
                raise InputError(str(side), "metadata must be a mapping of field: value", 1)
            fields.update({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                           for k, v in data.items()})  # fmt: skip
    fields.update(given)
    if not fields:
        return None
    fields["id"] = doc_id
    ordered = {k: fields[k] for k in FIELDS if k in fields}
    ordered.update({k: v for k, v in fields.items() if k not in ordered})  # read_source says
    text = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=10**6)
    return text.encode("utf-8")


def _check(path: Path, doc_id: str, suffix: str, data: bytes, sidecar: bytes | None) -> None:
    """Read the document and its sidecar as the build will, from a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="kg-ingest-") as tmp:
        doc = Path(tmp) / (doc_id + suffix)
        doc.write_bytes(data)
        if sidecar is not None:
            doc.with_suffix(".yaml").write_bytes(sidecar)
        try:
            read_source(doc)
        except InputError as exc:
            where = str(path) if exc.path == str(doc) else f"metadata of {path}"
            raise InputError(where, exc.message, exc.line, exc.column) from None


def _same_meta(old: Path | None, new: bytes) -> bool:
    if old is None:
        return False
    return bool(yaml.safe_load(old.read_bytes()) == yaml.safe_load(new))


def _apply(plan: _Plan) -> Ingested:
    if plan.status in ("unchanged", "duplicate"):
        return Ingested(plan.source, plan.target, sidecar_path(plan.target), plan.status)
    side = plan.target.with_suffix(".yaml")
    written_side = None
    if plan.sidecar_text is not None:
        written_side = atomic_write_bytes(side, plan.sidecar_text)
    if plan.status == "added":
        try:
            _copy(plan.source, plan.target)
        except BaseException:
            if written_side is not None:
                written_side.unlink(missing_ok=True)
            raise
    return Ingested(plan.source, plan.target, sidecar_path(plan.target), plan.status)


def _copy(source: Path, target: Path) -> None:
    """Copy bytes to a temporary file beside `target`, then rename it into place (with
    the mode the umask gives, not mkstemp's 0600)."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target.name), suffix=".tmp",
                                   dir=target.parent)  # fmt: skip
        with open(fd, "wb") as out:
            out.write(read_bytes(source, "document"))  # read_bytes: never opens a FIFO
            os.fchmod(out.fileno(), file_mode())
        Path(tmp).replace(target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(str(target), exc.strerror or str(exc)) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
