"""Files of an output folder served as they are: the explorer page, the report, its CSVs.

A URL path is untrusted: only plain names are followed (no `..`, no hidden names, no
backslashes or NUL), the file found must lie inside the folder once links are resolved,
and only the types coopkg writes are served, each with its media type.
"""

from __future__ import annotations

from pathlib import Path

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples; charset=utf-8",
    ".nq": "application/n-quads; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".graphml": "application/xml",
    ".gexf": "application/xml",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
MAX_BYTES = 256 << 20


def read_static(root: Path, url_path: str) -> tuple[bytes, str] | None:
    """The bytes and media type of the file `url_path` names under `root`, or None.

    Examples
    --------
    >>> read_static(Path("."), "/../etc/passwd") is None
    True
    """
    parts = url_path.split("/")[1:]
    if not parts or any(
        not p or p.startswith(".") or "\\" in p or "\x00" in p or ":" in p for p in parts
    ):
        return None
    media = TYPES.get(Path(parts[-1]).suffix.lower())
    if media is None:
        return None
    try:
        base = root.resolve()
        target = base.joinpath(*parts).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            return None
        if target.stat().st_size > MAX_BYTES:
            return None
        return target.read_bytes(), media
    except (OSError, ValueError, RuntimeError):
        return None
