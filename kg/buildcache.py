"""What a build keeps between runs, so that a re-run redoes only what changed.

Entries live in `OUT/.cache/` (a folder of the output set, swapped in with the rest). A
build reads the previous set's entries and writes the ones it used into the new set, so
the cache never holds more than one build's worth. Every key is a SHA-256 over what the
entry depends on:

- an extraction: the source's bytes, its metadata sidecar's, its path, and what every
  extraction reads whole (the data folder's registry/ and areas/ but the bodies, people
  and generic groups, plus coopkg's own code, patterns and shapes, and its version).
  Those three files and corrections/ are read in part: an entry made under others is kept
  while its questions of them get the same answers (`kg.registry_trace`);
- a document's triples and its SHACL results: the extraction's key and the identities
  the document's triples read (`kg.build` records them as it writes, and checks them
  again against the new build's identities before reusing the entry).

An entry that cannot be read (a killed run, another version's format) is a miss, never
an error: the work is done again.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.output import atomic_write_bytes

CACHE_DIR = ".cache"
_FORMAT = b"coopkg-build-cache-1"


def digest(*parts: bytes | str) -> str:
    """A SHA-256 over `parts`, each length-prefixed so that no two lists collide."""
    h = hashlib.sha256(_FORMAT)
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _files(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


def tree_digest(folders: Iterable[Path], root: Path | None = None) -> str:
    """One digest of the names and bytes of every file under `folders`."""
    parts: list[bytes | str] = []
    for folder in folders:
        for path in _files(folder):
            name = path.relative_to(root).as_posix() if root else path.as_posix()
            parts += [name, path.read_bytes()]
    return digest(*parts)


def code_digest() -> str:
    """coopkg's version and the bytes of its package (code, patterns, templates) and
    ontology: a new coopkg makes every entry stale."""
    import kg
    from kg.namespace import ontology_dir

    package = Path(kg.__file__).parent
    code = [p for p in _files(package) if "__pycache__" not in p.parts]
    parts: list[bytes | str] = [getattr(kg, "__version__", "")]
    for path in code:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts, tree_digest([ontology_dir()], ontology_dir()))


# Read in part by each extraction, which notes what it asked (`kg.registry_trace`).
PARTIAL_FILES = ("registry/bodies.yaml", "registry/people.yaml", "registry/generic_groups.yaml")
PARTIAL_FOLDER = "corrections/"


def extraction_config(data_dir: Path) -> tuple[str, str]:
    """(a digest of what every extraction reads whole: coopkg itself and the data folder's
    registry/ and areas/ but `PARTIAL_FILES`; a digest of those and of corrections/)."""
    folders = [data_dir / name for name in ("registry", "corrections", "areas")]
    whole: list[bytes | str] = [code_digest()]
    partial: list[bytes | str] = []
    for folder in folders:
        for path in _files(folder):
            name = path.relative_to(data_dir).as_posix()
            part = partial if name in PARTIAL_FILES or name.startswith(PARTIAL_FOLDER) else whole
            part += [name, path.read_bytes()]
    return digest(*whole), digest(*partial)


# What an entry may hold: coopkg's records and plain values. An output folder is a place
# others may write to; an entry naming anything else is a miss, never code to run.
_MODULES = (
    "kg.model",
    "kg.validate",
    "kg.problem",
    "kg.builddocs",
    "kg.registry_trace",
    "kg.registry",
)
_BUILTINS = frozenset(["set", "frozenset", "tuple", "list", "dict", "str", "int", "float", "bool",
                       "bytes", "NoneType"])  # fmt: skip


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in _MODULES or (module == "builtins" and name in _BUILTINS):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cache record")


class BuildCache:
    """Entries read from `previous` (the last build's cache, or None) and written to
    `target` (the new output set's cache, or None: nothing kept)."""

    def __init__(self, previous: Path | None, target: Path | None) -> None:
        self.previous = previous
        self.target = target
        self.hits = 0
        self.misses = 0
        self._made: set[Path] = set()  # the target's folders made so far

    def get(self, kind: str, key: str, counted: bool = True) -> Any | None:
        """The entry, or None. `counted`: in `hits` and `misses` (the documents' work;
        the union's record of checked records is not one document's)."""
        if self.previous is None:
            self.misses += counted
            return None
        path = self.previous / kind / key[:2] / key
        try:
            data = path.read_bytes()
            value = _Unpickler(io.BytesIO(data)).load()
        except FileNotFoundError:
            self.misses += counted
            return None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                IndexError, TypeError, ValueError):  # fmt: skip
            return None
        self._keep(path, kind, key, data)
        self.hits += counted
        return value

    def has(self, kind: str, key: str) -> bool:
        """Whether the last build kept an entry under `key` (not read: it may still miss)."""
        return self.previous is not None and (self.previous / kind / key[:2] / key).is_file()

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.target is None:
            return
        atomic_write_bytes(self.target / kind / key[:2] / key, pickle.dumps(value, protocol=5))

    def _keep(self, old: Path, kind: str, key: str, data: bytes) -> None:
        """Carry an entry the new build used into its cache (a link; a copy if not)."""
        if self.target is None:
            return
        new = self.target / kind / key[:2] / key
        if new.parent not in self._made:
            # Once per folder: a mkdir per entry was a third of reading 3,000 entries back.
            new.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(new.parent)
        try:
            os.link(old, new)
        except FileExistsError:
            pass  # kept already (an entry read twice)
        except OSError:
            atomic_write_bytes(new, data)
