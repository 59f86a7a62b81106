"""Output sets: a command writes a whole folder or nothing, never half of one.

A command that writes into an output folder `out/` writes into a staging folder beside it
(`.out.staging-<pid>`), which starts as a hard-link copy of `out/` (so `kg analyze` keeps
the graph files it does not write). At the end the staging folder is swapped in with one
`renameat2(RENAME_EXCHANGE)` (two renames where the kernel or file system lacks it; a run
killed between them is repaired at the next start) and the old folder removed. A killed,
failed or disk-full run leaves the previous set whole; its staging folder is removed at the
next run.

`out/.coopkg-outputs.json` records each file coopkg wrote and the command that wrote it.
A build makes every earlier output stale, so it drops those files and keeps the ones
coopkg did not write. A folder is only ever swapped if it is coopkg's: new, empty, holding
that manifest, or holding only names coopkg writes (an `out/` from before the manifest).
`--out .` or `--out ~` is refused, never re-linked.

Writers must replace a file (`kg.output.atomic_write_bytes`), never write into one in
place: a file carried over shares its inode with the previous set until the swap.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from kg.errors import OutputError
from kg.output import atomic_write_text, folder_mode

MANIFEST = ".coopkg-outputs.json"
# The names coopkg writes at the top of an output folder, for folders from before the
# manifest; `report/` may hold only CSV files.
KNOWN = frozenset(
    [
        "graph.ttl",
        "graph.jsonld",
        "graph.nq",
        "graph.nt",
        "graph.html",
        "graph.graphml",
        "graph.gexf",
        "bodies.graphml",
        "bodies.gexf",
        "commitments.csv",
        "bodies.csv",
        "people.csv",
        "analysis.json",
        "centrality.csv",
        "shared_commitments.csv",
        "communities.csv",
        "area_body_matrix.csv",
        "bridges.csv",
        "report.html",
        "report.pdf",
        "compare.json",
        "areas_by_mechanism.csv",
        "areas_shared_by_all_mechanisms.csv",
        "bodies_across_mechanisms.csv",
        "plenary_diff.csv",
        "registry-suggestions.yaml",
    ]
)
_REPORT_DIR = "report"
LOCK_WAIT = 120.0  # seconds to wait for another run writing the same folder
_RENAME_EXCHANGE = 2


def check_target(
    target: str | Path, *, inside: Iterable[str | Path] = (), containing: Iterable[str | Path] = ()
) -> None:
    """Refuse an output folder inside one of `inside` or holding one of `containing`
    (a build must not read its own outputs, nor swap away its data)."""
    real = Path(target).resolve()
    for folder in inside:
        other = Path(folder).resolve()
        if real == other or other in real.parents:
            raise OutputError(str(target), f"is inside {folder}: the next build would read it")
    for folder in containing:
        other = Path(folder).resolve()
        if real == other:
            raise OutputError(str(target), f"is {folder}: give an output folder of its own")
        if real in other.parents:
            raise OutputError(str(target), f"holds {folder}: give an output folder of its own")


class OutputSet:
    """Stage the outputs of `command` for folder `target`; swap them in on success.

    Use as a context manager yielding the folder to write into. With `supersede` (a build)
    the files coopkg wrote earlier are not carried over. With `loose` (a command writing
    one file, as `kg viz --out page.html`), a folder that is not coopkg's is written into
    directly (each file atomically) instead of being refused.
    """

    def __init__(
        self, target: str | Path, command: str, *, supersede: bool = False, loose: bool = False
    ) -> None:
        self.target = Path(target)
        self.command = command
        self.supersede = supersede
        self.loose = loose
        self.real = Path(os.path.abspath(self.target))
        if self.real.is_symlink() or self.real.exists():
            self.real = self.real.resolve()
        self._hidden = _hidden(self.real.name)
        self.stage = self.real.parent / f"{self._hidden}.staging-{os.getpid()}"
        self.direct = False
        self._lock: int | None = None
        self._linked: set[tuple[int, int]] = set()
        self._kept: dict[str, str] = {}

    def __enter__(self) -> Path:
        try:
            self._refuse_unsafe()
            self.real.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
            self._recover()
            if self.direct:
                self.real.mkdir(exist_ok=True)
                return self.real
            os.mkdir(self.stage)
            self._copy_old()
        except BaseException as exc:
            self._abandon()
            raise self._named(exc) from None
        return self.stage

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self._abandon()
            named = self._named(exc)
            if named is not exc:
                raise named from None
            return
        try:
            if not self.direct:
                self._commit()
        except BaseException as error:
            self._abandon()
            raise self._named(error) from None
        self._release()

    def final(self, path: str | Path) -> Path:
        """Where a path written into the staging folder will be once swapped in."""
        path = Path(path)
        try:
            return self.target / path.relative_to(self.stage)
        except ValueError:
            return path

    # --- safety -------------------------------------------------------------------------

    def _refuse_unsafe(self) -> None:
        real = self.real
        if not real.exists():
            return
        if not real.is_dir():
            raise OutputError(str(self.target), "is a file, not a folder")
        problem = None
        cwd = Path.cwd().resolve()
        if real == cwd or real in cwd.parents:
            problem = "is the current folder or holds it: give an output folder below it"
        elif os.path.ismount(real):
            problem = "is a mount point: give a folder inside it"
        elif read_manifest(real) is None:
            foreign = _foreign(real)
            if foreign:
                shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
                problem = (
                    f"holds files coopkg did not write ({shown}) and no valid {MANIFEST}: "
                    "give a new or empty folder"
                )
        if problem is not None:
            if not self.loose:
                raise OutputError(str(self.target), problem)
            self.direct = True

    # --- lock and recovery ----------------------------------------------------------------

    def _take_lock(self) -> None:
        # The parent folder itself is locked: no lock file is left behind.
        self._lock = os.open(self.real.parent, os.O_RDONLY | os.O_DIRECTORY)
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(
                        str(self.target), "another kg run is still writing it"
                    ) from None
                time.sleep(0.1)

    def _recover(self) -> None:
        """Repair what a killed run left: restore an old folder moved aside, remove stale
        staging folders (the lock is held, so no live run owns one)."""
        parent = self.real.parent
        olds = sorted(parent.glob(f"{_glob(self._hidden)}.old-*"))
        if olds and not self.real.exists():
            os.rename(olds.pop(), self.real)
        for stale in [*olds, *parent.glob(f"{_glob(self._hidden)}.staging-*")]:
            shutil.rmtree(stale, ignore_errors=True)

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing drops the flock
            self._lock = None

    def _abandon(self) -> None:
        if not self.direct:
            shutil.rmtree(self.stage, ignore_errors=True)
        self._release()

    # --- copy and commit ------------------------------------------------------------------

    def _copy_old(self) -> None:
        if not self.real.is_dir():
            return
        written = read_manifest(self.real)
        if written is None:  # a folder from before the manifest: only coopkg's names
            written = {
                p.relative_to(self.real).as_posix(): "build"
                for p in self.real.rglob("*")
                if p.is_file()
            }
        dropped = set(written) if self.supersede else set()
        self._kept = {k: v for k, v in written.items() if k not in dropped}
        for folder, dirs, files in os.walk(self.real):
            rel = Path(folder).relative_to(self.real)
            if not dirs and not files and rel != Path("."):
                (self.stage / rel).mkdir(parents=True, exist_ok=True)
            links = [d for d in dirs if (Path(folder) / d).is_symlink()]
            for name in [*files, *links]:
                key = (rel / name).as_posix()
                if key == MANIFEST or key in dropped:
                    continue
                self._link(Path(folder) / name, self.stage / rel / name)

    def _link(self, old: Path, new: Path) -> None:
        new.parent.mkdir(parents=True, exist_ok=True)
        info = old.lstat()
        if stat.S_ISLNK(info.st_mode):
            os.symlink(os.readlink(old), new)
            done = new.lstat()
            self._linked.add((done.st_dev, done.st_ino))
            return
        if not stat.S_ISREG(info.st_mode):
            return  # a FIFO or socket someone put there: not an output
        try:
            os.link(old, new)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK):
                raise
            shutil.copy2(old, new)  # a file another user owns cannot be hard-linked
        done = new.lstat()
        self._linked.add((done.st_dev, done.st_ino))

    def _commit(self) -> None:
        files = dict(self._kept)
        for folder, _, names in os.walk(self.stage):
            rel = Path(folder).relative_to(self.stage)
            for name in names:
                key = (rel / name).as_posix()
                info = (self.stage / key).lstat()
                if key != MANIFEST and (info.st_dev, info.st_ino) not in self._linked:
                    files[key] = self.command
        files = {k: v for k, v in files.items() if (self.stage / k).is_file()}
        text = json.dumps({"coopkg-outputs": 1, "files": dict(sorted(files.items()))}, indent=1)
        atomic_write_text(self.stage / MANIFEST, text + "\n")
        old = self.real.stat().st_mode if self.real.is_dir() else None
        os.chmod(self.stage, stat.S_IMODE(old) if old is not None else folder_mode())
        if old is None:
            os.rename(self.stage, self.real)
            return
        _swap(self.stage, self.real)
        shutil.rmtree(self.stage, ignore_errors=True)  # the old set, now at the stage's name

    def _named(self, exc: BaseException) -> BaseException:
        """An error naming the folder the user gave, not the staging folder."""
        if isinstance(exc, OutputError):
            return OutputError(str(self.final(exc.path)), exc.message)
        if isinstance(exc, OSError):
            where = self.final(exc.filename) if exc.filename else self.target
            return OutputError(str(where), exc.strerror or str(exc))
        return exc


def read_manifest(folder: Path) -> dict[str, str] | None:
    """The files coopkg wrote in `folder` and the command that wrote each; None if the
    folder has no readable manifest (then it is judged by its names alone)."""
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items() if _plain(str(k))}


def _plain(key: str) -> bool:
    # A manifest is a file in a folder a user may edit: never follow it out of the folder.
    parts = Path(key).parts
    return bool(parts) and not Path(key).is_absolute() and ".." not in parts


def _foreign(folder: Path) -> list[str]:
    """The entries of `folder` that are not names coopkg writes (sorted)."""
    found = []
    for entry in sorted(os.listdir(folder)):
        path = folder / entry
        if entry == MANIFEST or (entry.startswith(".") and entry.endswith(".tmp")):
            continue  # an atomic write a killed run left
        if entry == _REPORT_DIR and path.is_dir() and not path.is_symlink():
            if all(p.suffix == ".csv" and p.is_file() for p in path.iterdir()):
                continue
        elif entry in KNOWN and path.is_file() and not path.is_symlink():
            continue
        found.append(entry)
    return found


def _hidden(name: str) -> str:
    """The start of the names of a folder's staging and old copies: hidden, and short
    enough for NAME_MAX whatever the folder's name."""
    return "." + name.encode("utf-8", "surrogateescape")[:60].decode("utf-8", "ignore")


def _glob(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


_libc: ctypes.CDLL | None = None


def _swap(a: Path, b: Path) -> None:
    """Exchange two folders atomically; two renames where the system cannot."""
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is not None:
        at_cwd = -100
        if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(b))
    # Killed between the two renames, `b` is missing and `.b.old-*` exists: the next run
    # puts it back (`OutputSet._recover`).
    aside = b.parent / f"{_hidden(b.name)}.old-{os.getpid()}"
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)
