"""What the tests of a build's outputs compare: the files it published, by name."""

from __future__ import annotations

from pathlib import Path


def published_files(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder and its bytes, without the build's cache, the store's
    database files (their names change with every write) and the manifest that lists them."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not {".cache", "store"} & set(p.relative_to(folder).parts)
        and p.name != ".coopkg-outputs.json"
    }
