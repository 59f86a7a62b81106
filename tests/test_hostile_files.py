"""Hostile files (issue 8): every OSError is one line naming the path, a full or read-only
disk leaves the previous outputs whole, and sources that are FIFOs or links leaving the
data folder are never opened."""

from __future__ import annotations

import errno
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.source import list_sources, scan_sources

OUTPUT = importlib.import_module("kg.output")  # `kg` names the CLI helper below
ROOT = Path(__file__).resolve().parents[1]
DOC = "000_e2277f15603da9c5"
ROFS = "Read-only file system"


def small_data(folder: Path) -> Path:
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("004_*"))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,  # a FIFO opened for reading would hang here for good
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    data = small_data(base / "data")
    assert main(["build", "--no-publish", str(data), "--out", str(base / "out")]) == 0
    return base


def test_a_full_disk_on_any_write_leaves_the_previous_set_byte_identical(
    built, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"
    shutil.copytree(built / "out", out)
    before = snapshot(out)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def writelines(self, lines):  # files written as they are made (kg.output)
            raise OSError(errno.ENOSPC, "No space left on device")

    names = []
    # One process (--jobs 1): the writes come in one order (with more jobs the graph files
    # are written by the store's process beside it: the test below). The page is the last
    # build's (the same graph): only the record that it was reused is written.
    for nth in range(1, 7):
        count = 0

        def fdopen(fd, *args, nth=nth, **kw):
            nonlocal count
            count += 1
            handle = real_fdopen(fd, *args, **kw)
            return Full(handle) if count == nth else handle

        monkeypatch.setattr(os, "fdopen", fdopen)
        args = ["build", "--no-publish", "--jobs", "1", str(built / "data"), "--out", str(out)]
        code = main(args)
        err = capsys.readouterr().err
        monkeypatch.setattr(os, "fdopen", real_fdopen)
        assert code == 2
        assert err.startswith(f"kg: error: {out}/") and err.count("\n") == 1, err
        assert err.endswith(": No space left on device\n")
        names.append(err.split(": ")[2].removeprefix(f"{out}/"))
        assert snapshot(out) == before
        assert sorted(os.listdir(tmp_path)) == ["out"]
    assert names == [
        ".cache/page.json",
        "graph.ttl",
        "graph.jsonld",
        ".cache/graph-blocks",
        "graph.nq",
        ".coopkg-outputs.json",
    ]


# Loaded by the writer's process (started afresh, with the build's PYTHONPATH after kg's):
# the disk is full for graph.jsonld there too.
_FULL_THERE = """
import errno, os
_real = os.fdopen
def _fdopen(fd, *args, **kw):
    handle = _real(fd, *args, **kw)
    if "graph.jsonld" not in os.readlink(f"/proc/self/fd/{fd}"):
        return handle
    with open(SEEN, "a") as note:
        note.write("writer\\n")
    handle.close()
    raise OSError(errno.ENOSPC, "No space left on device")
os.fdopen = _fdopen
"""


def test_a_full_disk_in_the_writers_process_is_met_again_here(built, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    shutil.copytree(built / "out", out)
    before = snapshot(out)
    real_fdopen = os.fdopen
    seen, site = tmp_path / "seen", tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(f"SEEN = {str(seen)!r}\n" + _FULL_THERE)
    monkeypatch.setenv("PYTHONPATH", str(site))

    def fdopen(fd, *args, **kw):
        handle = real_fdopen(fd, *args, **kw)
        if "graph.jsonld" not in os.readlink(f"/proc/self/fd/{fd}"):
            return handle
        with seen.open("a") as note:  # the disk is full for every process
            note.write("build\n")
        handle.close()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", fdopen)
    args = ["build", "--no-publish", "--jobs", "2", str(built / "data"), "--out", str(out)]
    code = main(args)
    err = capsys.readouterr().err
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    assert code == 2
    assert seen.read_text().split() == ["writer", "build"]  # failed there, then made here
    assert err.startswith(f"kg: error: {out}/graph.jsonld") and err.count("\n") == 1, err
    assert err.endswith(": No space left on device\n")
    assert snapshot(out) == before
    os.remove(seen)
    shutil.rmtree(site)
    assert sorted(os.listdir(tmp_path)) == ["out"]


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    mounted = []

    def make(name: str, options: str) -> Path:
        folder = tmp_path / name
        if not _mount(folder, options):
            pytest.skip("cannot mount a tmpfs here (needs root)")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_really_full_disk_gives_one_line_and_keeps_the_set(built, tmpfs):
    disk = tmpfs("disk", "size=2m")
    out = disk / "out"
    shutil.copytree(built / "out", out)
    before = snapshot(out)
    shutil.copyfile(built / "out" / "graph.html", disk / "filler")  # the new set cannot fit
    proc = kg("build", "--no-publish", str(built / "data"), "--out", str(out))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"kg: error: {out}/")
    assert proc.stderr.endswith(": No space left on device\n") and proc.stderr.count("\n") == 1
    assert snapshot(out) == before
    assert sorted(os.listdir(disk)) == ["filler", "out"]


def test_a_read_only_disk_gives_one_line(built, tmpfs):
    disk = tmpfs("ro", "size=1m,ro")
    proc = kg("build", "--no-publish", str(built / "data"), "--out", str(disk / "out"))
    assert (proc.returncode, proc.stderr) == (
        2,
        f"kg: error: {disk / 'out'}: Read-only file system\n",
    )
    proc = kg("registry", "suggest", str(built / "data"), "--out", str(disk / "s.yaml"))
    assert (proc.returncode, proc.stderr) == (2, f"kg: error: {disk}/s.yaml: {ROFS}\n")


def test_out_pointing_at_a_file_gives_one_line(built, tmp_path):
    target = tmp_path / "file"
    target.write_text("keep\n")
    graph = str(built / "out/graph.ttl")
    for argv in (["analyze", graph], ["export", graph], ["report", graph, "--no-pdf"]):
        proc = kg(*argv, "--out", str(target))
        assert (proc.returncode, proc.stderr) == (
            2,
            f"kg: error: {target}: is a file, not a folder\n",
        )
    proc = kg("viz", str(built / "out/graph.ttl"), "--out", str(target / "page.html"))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"kg: error: {target}")
    assert target.read_text() == "keep\n"


def test_fifos_and_links_leaving_the_data_folder_are_skipped_never_opened(built, tmp_path):
    data = small_data(tmp_path / "data")
    sources = data / "sources"
    os.mkfifo(sources / "pipe.txt")
    (sources / "passwd.txt").symlink_to("/etc/passwd")
    (sources / "gone.txt").symlink_to(tmp_path / "missing.txt")
    shutil.copyfile(sources / f"{DOC}.txt", data / "kept.txt")
    (sources / "inside.txt").symlink_to("../kept.txt")  # inside the data folder: read
    found, skipped = scan_sources(sources, data)
    assert [p.name for p in found] == [f"{DOC}.txt", "inside.txt"]
    assert [(p.name, why) for p, why in skipped] == [
        ("gone.txt", "a broken link"),
        ("passwd.txt", "a link to a file outside data"),
        ("pipe.txt", "a FIFO (named pipe), not a document"),
    ]
    # `kg eval` scores a folder the user names (a test set links to the seed documents).
    linked = list_sources(sources, data, any_link=True)
    assert [p.name for p in linked] == [f"{DOC}.txt", "inside.txt", "passwd.txt"]
    proc = kg("build", "--no-publish", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[:3] == [
        f"kg: warning: skipped {sources / 'gone.txt'}: a broken link",
        f"kg: warning: skipped {sources / 'passwd.txt'}: a link to a file outside data",
        f"kg: warning: skipped {sources / 'pipe.txt'}: a FIFO (named pipe), not a document",
    ]
    assert proc.stdout.splitlines()[0].endswith("of 2 documents in the graph, 3 skipped")
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert "root:x:0:0" not in page and "/bin/" not in page


def test_ingest_refuses_a_fifo_or_a_device_without_opening_it(tmp_path):
    data = small_data(tmp_path / "data")
    os.mkfifo(tmp_path / "pipe.txt")
    proc = kg("ingest", str(tmp_path / "pipe.txt"), "--data", str(data))
    assert (proc.returncode, proc.stderr) == (
        2,
        f"kg: error: {tmp_path / 'pipe.txt'}: is a FIFO (named pipe), not a document\n",
    )
    proc = kg("ingest", "/dev/zero", "--data", str(data))
    assert (proc.returncode, proc.stderr) == (
        2,
        "kg: error: /dev/zero: is a device, not a document\n",
    )


def test_a_250_character_file_name_gets_a_safe_id_at_ingest_and_builds(tmp_path):
    data = small_data(tmp_path / "data")
    long = tmp_path / ("Sichuan " * 31 + "x.txt")
    assert len(long.name) == 253
    long.write_bytes((data / "sources" / f"{DOC}.txt").read_bytes() + b"\nA line added.\n")
    proc = kg("ingest", str(long), "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    (added,) = set(os.listdir(data / "sources")) - {f"{DOC}.txt", f"{DOC}.yaml"}
    assert len(added) == 84 and added.startswith("sichuan-sichuan") and added.endswith(".txt")
    # The same long name put straight into sources/ (no suffix: no room for ".yaml" beside it).
    raw = data / "sources" / ("n" * 250)
    raw.write_bytes(long.read_bytes())
    proc = kg("build", "--no-publish", str(data), "--out", str(tmp_path / "out"), "--no-page")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    too_long = tmp_path / ("é" * 200 + ".txt")
    proc = kg("ingest", str(too_long), "--data", str(data))
    message = f"kg: error: {too_long}: cannot read: File name too long\n"
    assert (proc.returncode, proc.stderr) == (2, message)


def test_an_ingested_file_follows_the_umask(tmp_path):
    data = small_data(tmp_path / "data")
    shutil.copyfile(data / "sources" / f"{DOC}.txt", tmp_path / "new doc.txt")
    (tmp_path / "new doc.txt").write_text("Hong Kong and Sichuan met today.\n")
    code = (
        "import os, sys; os.umask(0o022); from kg.cli import main; "
        f"sys.exit(main(['ingest', {str(tmp_path / 'new doc.txt')!r}, '--data', {str(data)!r},"
        " '--title', 'A title']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for name in ("new-doc.txt", "new-doc.yaml"):
        assert oct((data / "sources" / name).stat().st_mode & 0o777) == "0o644", name


def test_a_document_whose_metadata_links_outside_is_skipped(tmp_path):
    data = small_data(tmp_path / "data")
    sources = data / "sources"
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: a title kept outside the data folder\n", encoding="utf-8")
    shutil.copyfile(sources / f"{DOC}.txt", sources / "linked.txt")
    (sources / "linked.yaml").symlink_to(secret)
    found, skipped = scan_sources(sources, data)
    assert [p.name for p in found] == [f"{DOC}.txt"]
    assert [(p.name, why) for p, why in skipped] == [
        ("linked.txt", "its metadata linked.yaml links to a file outside data")
    ]
