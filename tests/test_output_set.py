"""Output sets (kg.outset): staged, swapped whole, a manifest of what coopkg wrote, refusals."""

from __future__ import annotations

import errno
import importlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

import kg.outset
from kg.cli import main
from kg.errors import OutputError
from kg.outset import MANIFEST, OutputSet

OUTPUT = importlib.import_module("kg.output")
ROOT = Path(__file__).resolve().parents[1]
DOC = "000_e2277f15603da9c5"  # the smaller seed release: a build takes a few seconds
GRAPH_FILES = {"graph.ttl", "graph.jsonld", "graph.nq", "graph.html"}
ANALYSIS_FILES = {
    "analysis.json",
    "area_body_matrix.csv",
    "bridges.csv",
    "centrality.csv",
    "communities.csv",
    "shared_commitments.csv",
}


def small_data(folder: Path) -> Path:
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("004_*"))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def manifest(folder: Path) -> dict[str, str]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the small data set, copied by the tests that need an out/."""
    base = tmp_path_factory.mktemp("built")
    data = small_data(base / "data")
    assert main(["build", "--no-publish", str(data), "--out", str(base / "out"), "--no-page"]) == 0
    return base / "out"


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built, tmp_path / "out")
    return tmp_path / "out"


def test_a_build_writes_its_set_and_a_manifest_and_leaves_nothing_beside_it(capsys, tmp_path):
    data = small_data(tmp_path / "data")
    code, err = run(capsys, "build", "--no-publish", str(data), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert set(os.listdir(tmp_path / "out")) == GRAPH_FILES | {MANIFEST, "store", ".cache"}
    listed = manifest(tmp_path / "out")
    # The store's and the cache's files are listed one by one, all of them the build's.
    assert {name.split("/")[0] for name in listed} == GRAPH_FILES | {"store", ".cache"}
    assert set(listed.values()) == {"build"}
    assert {n for n in listed if n.startswith("store/")} == {
        "store/" + n for n in os.listdir(tmp_path / "out" / "store")
    }
    assert sorted(os.listdir(tmp_path)) == ["data", "out"]  # no staging or old folder left


def test_analyze_keeps_the_graph_files_and_a_build_drops_what_analyze_wrote(capsys, out):
    (out / "notes.txt").write_text("mine\n")
    before = snapshot(out)
    code, err = run(capsys, "analyze", str(out / "graph.ttl"), "--out", str(out))
    assert code == 0, err
    after = snapshot(out)
    assert {k: after[k] for k in before if k != MANIFEST} == {
        k: v for k, v in before.items() if k != MANIFEST
    }
    assert set(after) == set(before) | ANALYSIS_FILES
    assert {k: v for k, v in manifest(out).items() if not k.startswith(("store/", ".cache/"))} == {
        **{name: "analyze" for name in ANALYSIS_FILES},
        **{name: "build" for name in ("graph.jsonld", "graph.nq", "graph.ttl")},
    }
    # A new graph makes the analysis stale: the build drops it, keeps notes.txt (not ours).
    with OutputSet(out, "build", supersede=True) as stage:
        assert sorted(os.listdir(stage)) == ["notes.txt"]
        (stage / "graph.ttl").write_text("new\n")
    assert sorted(os.listdir(out)) == [MANIFEST, "graph.ttl", "notes.txt"]
    assert manifest(out) == {"graph.ttl": "build"}


def test_a_failed_command_leaves_the_previous_set_byte_identical(out):
    before = snapshot(out)
    with pytest.raises(OutputError) as caught, OutputSet(out, "build", supersede=True) as stage:
        OUTPUT.atomic_write_text(stage / "graph.ttl", "half\n")
        raise OSError(errno.ENOSPC, "No space left on device", str(stage / "graph.nq"))
    assert str(caught.value) == f"{out / 'graph.nq'}: No space left on device"
    assert snapshot(out) == before
    assert sorted(os.listdir(out.parent)) == ["out"]


def test_stale_staging_folders_are_removed_and_a_folder_moved_aside_is_restored(out):
    before = snapshot(out)
    stale = out.parent / ".out.staging-999999"
    (stale / "report").mkdir(parents=True)
    # Killed between the two renames of the fallback swap: out/ is missing, .out.old-* holds it.
    out.rename(out.parent / ".out.old-999999")
    with OutputSet(out, "analyze") as stage:
        assert snapshot(stage) == {k: v for k, v in before.items() if k != MANIFEST}
    assert snapshot(out) == before  # nothing new written: the manifest is the same
    assert sorted(os.listdir(out.parent)) == ["out"]


def test_the_two_rename_fallback_swaps_the_set(out, monkeypatch):
    class NoExchange:  # a C library without renameat2
        pass

    monkeypatch.setattr(kg.outset, "_libc", NoExchange())
    with OutputSet(out, "analyze") as stage:
        (stage / "analysis.json").write_text("{}\n")
    assert (out / "analysis.json").read_text() == "{}\n"
    assert manifest(out)["analysis.json"] == "analyze"
    assert sorted(os.listdir(out.parent)) == ["out"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("file", "is a file, not a folder"),
        (
            "foreign",
            "holds files coopkg did not write (README.md, pyproject.toml) and no valid "
            ".coopkg-outputs.json: give a new or empty folder",
        ),
        ("corrupt", "holds files coopkg did not write (README.md, pyproject.toml) and no"),
    ],
)
def test_a_folder_that_is_not_coopkgs_is_refused_and_left_alone(capsys, tmp_path, setup, message):
    target = tmp_path / "target"
    if setup == "file":
        target.write_text("keep\n")
    else:
        target.mkdir()
        (target / "README.md").write_text("keep\n")
        (target / "pyproject.toml").write_text("keep\n")
        if setup == "corrupt":  # a manifest that does not read proves nothing
            (target / MANIFEST).write_text("{not json")
    before = snapshot(target) if target.is_dir() else target.read_bytes()
    code, err = run(capsys, "analyze", str(ROOT / "tests/fixtures/mini.ttl"), "--out", str(target))
    assert code == 2
    assert err.startswith(f"kg: error: {target}: {message}") and err.count("\n") == 1
    assert (snapshot(target) if target.is_dir() else target.read_bytes()) == before


def test_an_old_out_folder_with_only_coopkgs_names_is_accepted(out, capsys):
    # A folder from before manifests: no manifest, and no store or cache either.
    (out / MANIFEST).unlink()
    shutil.rmtree(out / "store")
    shutil.rmtree(out / ".cache")
    code, err = run(capsys, "analyze", str(out / "graph.ttl"), "--out", str(out))
    assert code == 0, err
    assert set(manifest(out)) == ANALYSIS_FILES | {"graph.ttl", "graph.jsonld", "graph.nq"}


def test_the_current_folder_and_the_data_folder_are_refused(capsys, tmp_path, monkeypatch):
    data = small_data(tmp_path / "data")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    cases = [
        (["analyze", str(ROOT / "tests/fixtures/mini.ttl"), "--out", "."],
         ".: is the current folder or holds it: give an output folder below it"),
        (["build", "--no-publish", str(data), "--out", str(data / "sources" / "out")],
         f"{data / 'sources' / 'out'}: is inside {data / 'sources'}: the next build would read it"),
        (["build", "--no-publish", str(data), "--out", str(tmp_path)],
         f"{tmp_path}: holds {data}: give an output folder of its own"),
        (["build", "--no-publish", str(data), "--out", str(data)],
         f"{data}: is {data}: give an output folder of its own"),
        (["viz", str(ROOT / "tests/fixtures/mini.ttl"), "--sources", str(data / "sources"),
          "--out", str(data / "sources" / "page.html")],
         f"{data / 'sources'}: is inside {data / 'sources'}: the next build would read it"),
    ]  # fmt: skip
    for argv, message in cases:
        code, err = run(capsys, *argv)
        assert (code, err) == (2, f"kg: error: {message}\n")
    assert sorted(os.listdir(data / "sources")) == [f"{DOC}.txt", f"{DOC}.yaml"]


def test_a_second_run_on_the_same_folder_waits_for_the_lock(out, monkeypatch):
    monkeypatch.setattr(kg.outset, "LOCK_WAIT", 0.2)
    with (
        OutputSet(out, "analyze"),
        pytest.raises(OutputError, match="another kg run is still writing it"),
    ):
        OutputSet(out, "report").__enter__()
    with OutputSet(out, "report"):  # released
        pass


def test_outputs_and_folders_follow_the_umask(out, monkeypatch):
    monkeypatch.setattr(OUTPUT, "_UMASK", None)
    old = os.umask(0o027)
    try:
        target = out.parent / "new"
        with OutputSet(target, "analyze") as stage:
            OUTPUT.atomic_write_text(stage / "analysis.json", "{}\n")
            OUTPUT.atomic_write_text(stage / "report" / "a.csv", "a\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert stat.S_IMODE((target / "report").stat().st_mode) == 0o750
    for name in ("analysis.json", "report/a.csv", MANIFEST):
        assert stat.S_IMODE((target / name).stat().st_mode) == 0o640, name


def test_a_viz_page_beside_other_files_is_written_in_place(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("mine\n")
    graph = str(ROOT / "tests/fixtures/mini.ttl")
    code, err = run(capsys, "viz", graph, "--out", "page.html", "--sources", "none")
    assert code == 0, err
    assert sorted(os.listdir(tmp_path)) == ["README.md", "page.html"]
    long_name = "p" * 250 + ".html"
    code, err = run(capsys, "viz", graph, "--out", long_name, "--sources", "none")
    assert code == 0, err
    assert (tmp_path / long_name).is_file()
