"""Read source documents and their metadata sidecars, rejecting bad input with its line.

Offsets everywhere in coopkg are indices into `Source.text`, which is the file decoded as
UTF-8 with a leading byte-order mark removed (nothing else is changed: no newline or
whitespace normalisation), so `text[start:end]` is the quote a span names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from kg.errors import InputError
from kg.model import Source

BOM = "\ufeff"
SIDECAR_SUFFIXES = (".yaml", ".yml")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_META_FIELDS = ("id", "title", "date", "place", "url", "publisher", "language", "kind")
MAX_ID = 80  # characters of a document id; longer names are cut and given a hash
MAX_TEXT = 500  # characters of a title, place or publisher
_HASH = 8  # hex digits of the hash that keeps a cut or non-ASCII name distinct
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Characters that may not appear in an IRI as written into Turtle or N-Quads (RFC 3987).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


class Located(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers the (1-based) line it starts on."""

    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        # PyYAML keeps the last of two equal keys silently; in curated data that hides a typo.
        if key in seen:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r} (first on line {seen[key]})",
                problem_mark=key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    mapping = Located(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML reads "2024-06-31" as a date and raises a bare ValueError: name the line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.MarkedYAMLError(
            problem=f"{node.value!r} is not a real day ({exc})", problem_mark=node.start_mark
        ) from None


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _FastLineLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """`_LineLoader` on libyaml's parser: four times faster on a thousand sidecars. Its
    errors are worded otherwise, so a file it refuses is read again by `_LineLoader`."""


_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_FastLineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """A file's bytes, or an `InputError` naming it: missing, a directory, a FIFO, socket
    or device (refused before it is opened: opening a FIFO waits for a writer forever),
    unreadable."""
    path = Path(path)
    try:
        kind = special_kind(os.stat(path).st_mode)
        if kind is not None:
            raise InputError(str(path), f"is {kind}, not a {what}")
        # O_NONBLOCK: a FIFO put in its place since the check still cannot hang the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(fd, "rb") as handle:
            kind = special_kind(os.fstat(handle.fileno()).st_mode)
            if kind is not None:
                raise InputError(str(path), f"is {kind}, not a {what}")
            return handle.read()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_text(path: str | Path, what: str = "file") -> str:
    """A UTF-8 text file (BOM dropped); binary, non-UTF-8 or blank files are refused
    with the file and line named."""
    raw = read_bytes(path, what)
    text = decode_text(str(path), raw)
    if not text.strip():
        raise InputError(str(path), f"empty {what}")
    return text


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file; mappings come back as `Located` dicts carrying their line."""
    path = Path(path)
    text = decode_text(str(path), read_bytes(path))
    try:
        try:
            return yaml.load(text, Loader=_FastLineLoader)
        except yaml.YAMLError:
            return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise InputError(str(path), f"malformed YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"malformed YAML: {exc}") from None


def decode_text(where: str, raw: bytes) -> str:
    """UTF-8 text without a BOM; NUL bytes or bad bytes raise naming line and column."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise InputError(where, "binary file (contains NUL bytes), not text", line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            where, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line, column
        ) from None
    return text[1:] if text.startswith(BOM) else text


def read_source(path: str | Path) -> Source:
    """Read one document and its `<stem>.yaml` sidecar, if any.

    Raises `InputError` for a missing file, a directory, an empty or whitespace-only file,
    binary content, bytes that are not UTF-8 (naming the line of the first bad byte), and
    a malformed sidecar (naming its line).
    """
    path = Path(path)
    where = str(path)
    raw = read_bytes(path, "document")
    if not raw:
        raise InputError(where, "empty file")
    text = decode_text(where, raw)
    if not text.strip():
        raise InputError(where, "file holds only whitespace")

    meta = _read_sidecar(path)
    doc_id = document_id(path.stem)
    return Source(
        path=where,
        doc_id=doc_id,
        text=text,
        title=meta.get("title"),
        date=meta.get("date"),
        place=meta.get("place"),
        url=meta.get("url"),
        publisher=meta.get("publisher"),
        language=meta.get("language") or "en",
        sha256=hashlib.sha256(raw).hexdigest(),
        kind=meta.get("kind"),
    )


def sidecar_path(path: str | Path) -> Path | None:
    """The metadata file beside a document, if there is one."""
    path = Path(path)
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_suffix(suffix)
        try:
            if candidate != path and stat.S_ISREG(os.stat(candidate).st_mode):
                return candidate
        except OSError:
            continue  # missing, or a name too long to exist (a 250-character stem)
    return None


def _read_sidecar(path: Path) -> dict[str, Any]:
    side = sidecar_path(path)
    if side is None:
        return {}
    data = read_yaml(side)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(str(side), "metadata must be a mapping of field: value", 1)
    line = getattr(data, "line", None)
    meta: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _META_FIELDS:
            raise InputError(str(side), f"unknown metadata field {key!r}", line)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if value is not None and not isinstance(value, str):
            raise InputError(str(side), f"field {key!r} must be text, got {value!r}", line)
        meta[key] = value
    for key, value in meta.items():
        problem = metadata_problem(key, value) if key != "id" else None
        if problem is not None:
            raise InputError(str(side), problem, line)
    # An id that differs from the file name is almost always a copy-paste slip.
    if meta.get("id") not in (None, path.stem, document_id(path.stem)):
        raise InputError(
            str(side), f"id {meta['id']!r} does not match the document's name {path.stem!r}", line
        )
    return meta


def document_id(stem: str) -> str:
    """The safe, stable id of a document whose file name (without suffix) is `stem`.

    Lowercase ASCII letters, digits, "_" and "-", starting and ending with a letter or
    digit, at most `MAX_ID` characters: safe in a file name, an IRI and a shell. Accents
    fold ("Zürich" -> "zurich"); a name that loses other characters (Chinese, say) or is
    cut for length gets a short hash of the whole name, so such names stay distinct; a
    name with nothing left is "doc-" and the hash. A safe id is its own id.

    >>> document_id("hk sichuan 2023")
    'hk-sichuan-2023'
    >>> document_id("004_938a3d0296569c86")
    '004_938a3d0296569c86'
    >>> document_id("香港四川")
    'doc-5fc87b8b'
    """
    digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH]
    decomposed = unicodedata.normalize("NFKD", stem)
    lost = any(ord(c) > 127 and not unicodedata.combining(c) for c in decomposed)
    folded = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    body = re.sub(r"[^a-z0-9_]+", "-", folded).strip("-_")
    if not body:
        return f"doc-{digest}"
    if lost or len(body) > MAX_ID:
        body = body[: MAX_ID - _HASH - 1].rstrip("-_")
        return f"{body}-{digest}"
    return body


def document_suffix(path: str | Path) -> str:
    """The suffix a document is stored under: its own if short and plain, else ".txt"."""
    suffix = Path(path).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ".txt"


def metadata_problem(key: str, value: str | None) -> str | None:
    """What is wrong with one metadata value, in one line, or None if it is fine."""
    if value is None:
        return None
    if key in ("title", "place", "publisher"):
        return _text_problem(key, value)
    if key == "date":
        if not _DATE.match(value):
            return f"date must be a day YYYY-MM-DD, got {_shown(value)}"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"date {value} is not a real day"
        return None
    if key == "url":
        return _url_problem(value)
    if key == "language" and not _LANGUAGE.match(value):
        return f"language must be a language tag such as 'en' or 'zh-Hant', got {_shown(value)}"
    return _text_problem(key, value)


def check_metadata(fields: Mapping[str, str | None], where: str | None = None) -> None:
    """Raise `InputError` at the first metadata value `metadata_problem` refuses."""
    for key, value in fields.items():
        problem = metadata_problem(key, value)
        if problem is not None:
            raise InputError(where, problem)


def _text_problem(key: str, value: str) -> str | None:
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if category == "Cs":
            return f"{key} holds a lone surrogate (U+{ord(char):04X}) at character {index + 1}"
        if category == "Cc" or char in "\u2028\u2029":
            return f"{key} holds a control character (U+{ord(char):04X}) at character {index + 1}"
    if not value.strip():
        return f"{key} is blank"
    if len(value) > MAX_TEXT:
        return f"{key} is {len(value)} characters long (at most {MAX_TEXT})"
    return None


def _url_problem(url: str) -> str | None:
    text = _text_problem("url", url)
    if text is not None:
        return text
    bad = _NOT_IN_IRI.search(url)
    if bad is not None:
        what = "a space" if bad.group() == " " else repr(bad.group())
        return f"url holds {what} at character {bad.start() + 1}: {_shown(url)}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as exc:
        return f"url is malformed ({exc}): {_shown(url)}"
    if parts.scheme not in ("http", "https"):
        return f"url must start with http:// or https://, got {_shown(url)}"
    if not parts.hostname:
        return f"url has no host: {_shown(url)}"
    return None


def _shown(value: str, limit: int = 80) -> str:
    """A value quoted for a one-line message: escapes, cut to `limit` characters."""
    odd = any(unicodedata.category(c) in ("Cc", "Cs") for c in value)
    text = ascii(value) if odd else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def list_sources(
    folder: str | Path, root: str | Path | None = None, *, any_link: bool = False
) -> list[Path]:
    """The documents of a sources folder, sorted by name (sidecars, hidden files, folders
    and the files `scan_sources` skips excluded)."""
    return scan_sources(folder, root, any_link=any_link)[0]


def scan_sources(
    folder: str | Path, root: str | Path | None = None, *, any_link: bool = False
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The documents of a sources folder, and the entries skipped with the reason.

    Skipped (never opened): FIFOs, sockets and devices, broken links, and links whose
    target leaves `root` (the data folder; by default the sources folder's parent), so
    that a link to /etc/passwd is neither read nor embedded in a page. `any_link` keeps
    links wherever they lead, for a folder the user names to be read, not published (a
    test set linking to the seed documents).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "no such sources folder")
    base = Path(root).resolve() if root is not None else folder.resolve().parent
    if base == Path(base.anchor):  # never the whole file system
        base = folder.resolve()
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith(".") or p.suffix in SIDECAR_SUFFIXES:
            continue
        try:
            info = p.stat()
        except OSError:
            skipped.append((p, "a broken link"))
            continue
        if stat.S_ISDIR(info.st_mode):
            continue
        kind = special_kind(info.st_mode)
        if kind is not None:
            skipped.append((p, f"{kind}, not a document"))
        elif not any_link and _leaves(p, base):
            skipped.append((p, f"a link to a file outside {base.name or base}"))
        elif not any_link and (side := sidecar_path(p)) is not None and _leaves(side, base):
            skipped.append((p, f"its metadata {side.name} links to a file outside {base.name}"))
        else:
            found.append(p)
    return found, skipped


def _leaves(path: Path, base: Path) -> bool:
    """A link whose target is outside `base`."""
    return path.is_symlink() and base not in path.resolve().parents
