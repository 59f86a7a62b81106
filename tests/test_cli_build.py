"""`kg ingest` and `kg build` through `python -m kg.cli`, as a user runs them: awkward file
names, bad metadata refused at ingest, and a broken document left out of the graph."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
MULTI = TESTS / "fixtures" / "multi" / "sources"
DEV16 = TESTS / "devset" / "docs" / "dev16_inner_mongolia_2018"
GUANGXI = "hk-guangxi-2024-first-plenary"

# Runs the CLI module as `python -m kg.cli` does, after breaking the documents whose id
# starts with argv[1] (tests/broken_support.py: no text breaks a shape on purpose).
HOOK = (
    "import runpy, sys; sys.path.insert(0, {tests!r}); import broken_support; "
    "broken_support.install(sys.argv.pop(1)); sys.argv[0] = 'kg'; "
    "runpy.run_module('kg.cli', run_name='__main__')"
)


def kg(*args: str | bytes, broken: str | None = None) -> subprocess.CompletedProcess[str]:
    head: list[str | bytes] = [sys.executable, "-m", "kg.cli"]
    if broken is not None:
        head = [sys.executable, "-c", HOOK.format(tests=str(TESTS)), broken]
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [*head, *args], capture_output=True, text=True, cwd=ROOT, env=env, errors="replace"
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    (folder / "sources").mkdir()
    return folder


@pytest.fixture
def three(data: Path) -> Path:
    """A data folder with the three releases of tests/fixtures/multi."""
    shutil.rmtree(data / "sources")
    shutil.copytree(MULTI, data / "sources")
    return data


def one_line_error(proc: subprocess.CompletedProcess[str], message: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [message], proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def outputs(folder: Path) -> dict[str, bytes]:
    """The files at the top of an output folder (store/ and .cache/ are folders)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_file_named_with_spaces_ingests_and_builds(data, tmp_path):
    path = tmp_path / "hk sichuan 2023.txt"
    shutil.copy(MULTI / "hk-sichuan-2023-second-plenary.txt", path)
    added = kg("ingest", str(path), "--data", str(data), "--date", "2023-11-06")
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [f"added: {data / 'sources' / 'hk-sichuan-2023.txt'}"]
    built = kg("build", "--no-publish", str(data), "--out", str(tmp_path / "out"), "--no-page")
    assert built.returncode == 0, built.stderr
    assert built.stdout.splitlines()[0] == "1 of 1 documents in the graph"
    assert "hk-sichuan-2023" in (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8")


def test_two_names_that_give_one_id_are_refused_naming_both(data, tmp_path):
    first, second = tmp_path / "x_y.txt", tmp_path / "x-y.txt"
    shutil.copy(MULTI / "hk-sichuan-2023-second-plenary.txt", first)
    shutil.copy(MULTI / f"{GUANGXI}.txt", second)
    assert kg("ingest", str(first), "--data", str(data)).returncode == 0
    one_line_error(
        kg("ingest", str(second), "--data", str(data)),
        f"kg: error: {second}: gives the id 'x-y', which {data / 'sources' / 'x_y.txt'} "
        "already has: rename one",
    )


def test_a_250_character_name_and_a_chinese_name_ingest(data, tmp_path):
    long_name = tmp_path / ("b" * 250 + ".txt")
    chinese = tmp_path / "香港廣西合作會議.txt"
    shutil.copy(MULTI / "hk-sichuan-2023-second-plenary.txt", long_name)
    shutil.copy(MULTI / f"{GUANGXI}.txt", chinese)
    proc = kg("ingest", str(long_name), str(chinese), "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (data / "sources").iterdir())
    assert len(names) == 2 and names[0] == "b" * 71 + "-" + names[0][72:80] + ".txt"
    assert names[1].startswith("doc-") and names[1].isascii()


def test_a_url_with_a_space_is_refused(data, tmp_path):
    path = tmp_path / "release.txt"
    shutil.copy(MULTI / f"{GUANGXI}.txt", path)
    one_line_error(
        kg("ingest", str(path), "--data", str(data), "--url", "https://example.org/a b"),
        "kg: error: <input>: url holds a space at character 22: 'https://example.org/a b'",
    )
    assert list((data / "sources").iterdir()) == []


def test_a_title_with_a_lone_surrogate_from_argv_is_refused(data, tmp_path):
    """Bytes that are not UTF-8 reach Python's argv as lone surrogates (surrogateescape)."""
    path = tmp_path / "release.txt"
    shutil.copy(MULTI / f"{GUANGXI}.txt", path)
    proc = kg("ingest", str(path), "--data", str(data), "--title", b"Plenary \xff")
    one_line_error(proc, "kg: error: <input>: title holds a lone surrogate (U+DCFF) at character 9")
    assert list((data / "sources").iterdir()) == []


def test_a_broken_document_is_left_out_and_the_rest_builds(three, tmp_path):
    """One of three documents breaks a shape (patched extractor: tests/broken_support.py)."""
    out = tmp_path / "out"
    proc = kg(
        "build", "--no-publish", str(three), "--out", str(out), "--no-page", broken="hk-guangxi"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "2 of 3 documents in the graph (1 left out)"
    assert proc.stderr.splitlines() == [
        f"kg: left out {three / 'sources' / (GUANGXI + '.txt')}:",
        "  memorandum 'Co-operation Memorandum on Joint Missions': a memorandum's parties "
        "must be bodies or places; 'ASEAN markets' was read as a body that nothing in the "
        "graph describes",
        "    read from characters 370-441: \"Mr Chan said that Guangxi was Hong Kong's "
        'gateway to the ASEAN markets."',
    ]
    assert "guangxi" not in (out / "graph.nq").read_text(encoding="utf-8").lower()


def test_strict_fails_and_leaves_the_previous_outputs_as_they_were(three, tmp_path):
    out = tmp_path / "out"
    assert kg("build", "--no-publish", str(three), "--out", str(out)).returncode == 0
    before = outputs(out)
    assert set(before) == {
        "graph.ttl",
        "graph.jsonld",
        "graph.nq",
        "graph.html",
        ".coopkg-outputs.json",
    }
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [".cache", "store"]
    # The patch is not in coopkg's files: the cache would give the unpatched extraction.
    proc = kg(
        "build",
        "--no-publish",
        str(three),
        "--out",
        str(out),
        "--strict",
        "--no-cache",
        broken="hk-guangxi",
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines()[-1] == (
        "kg: error: 2 of 3 documents in the graph (--strict): nothing written"
    )
    assert outputs(out) == before
    # With nothing left out, --strict builds.
    assert (
        kg(
            "build", "--no-publish", str(three), "--out", str(out), "--strict", "--no-page"
        ).returncode
        == 0
    )


def test_a_hand_edited_sidecar_leaves_its_document_out(three, tmp_path):
    side = three / "sources" / f"{GUANGXI}.yaml"
    side.write_text(
        side.read_text(encoding="utf-8").replace("date: 2024-06-18", "date: 2024-06-31"),
        encoding="utf-8",
    )
    # With the page: it embeds the texts of data/sources, and skips the one left out.
    proc = kg("build", "--no-publish", str(three), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "2 of 3 documents in the graph (1 left out)"
    assert (tmp_path / "out" / "graph.html").is_file()
    assert proc.stderr.splitlines()[1] == (
        f"  cannot be read: {side}:4:7: malformed YAML: '2024-06-31' is not a real day "
        "(day is out of range for month)"
    )
    strict = kg("build", "--no-publish", str(three), "--out", str(tmp_path / "out2"), "--strict")
    assert strict.returncode == 1 and not (tmp_path / "out2").exists()


def test_warnings_are_counted_by_kind_and_listed_with_verbose(data, tmp_path):
    # dev16 names the Mayor of a city that is not a side of the meeting: no rule can tell
    # which government he is in, the one warning of this build.
    for suffix in (".txt", ".yaml"):
        shutil.copy(DEV16.with_suffix(suffix), data / "sources")
    proc = kg("build", "--no-publish", str(data), "--out", str(tmp_path / "out"), "--no-page")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    at = lines.index("Warnings (kg build --verbose lists each):")
    assert lines[at + 1] == "     1  posts whose body the text does not name"
    verbose = kg(
        "build", "--no-publish", str(data), "--out", str(tmp_path / "out"), "--no-page", "--verbose"
    )
    lines = verbose.stdout.splitlines()
    at = lines.index("Warnings (1):")
    assert lines[at + 1 : at + 3] == [
        "  document dev16-inner-mongolia-2018: post 'Mayor of Hohhot': a post should be in a "
        "body; the text does not name it",
        '    read from characters 2854-2884: "Mayor of Hohhot, Mr Jia Xinmin"',
    ]


def test_no_document_left_fails_and_writes_nothing(data, tmp_path):
    shutil.copy(MULTI / f"{GUANGXI}.txt", data / "sources")
    (data / "sources" / f"{GUANGXI}.yaml").write_text("title: T\nurl: ftp://x.org/a\n")
    proc = kg("build", "--no-publish", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"kg: left out {data / 'sources' / (GUANGXI + '.txt')}:",
        f"  cannot be read: {data / 'sources' / (GUANGXI + '.yaml')}:1: url must start with "
        "http:// or https://, got 'ftp://x.org/a'",
        "kg: error: 0 of 1 documents in the graph (no document is left): nothing written",
    ]
    assert not (tmp_path / "out").exists()


def test_when_the_only_document_breaks_a_shape_its_reasons_are_still_printed(data, tmp_path):
    shutil.copy(MULTI / f"{GUANGXI}.txt", data / "sources")
    proc = kg(
        "build", "--no-publish", str(data), "--out", str(tmp_path / "out"), broken="hk-guangxi"
    )
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0] == f"kg: left out {data / 'sources' / (GUANGXI + '.txt')}:"
    assert "a memorandum's parties must be bodies or places" in lines[1]
    assert (
        lines[-1]
        == "kg: error: 0 of 1 documents in the graph (no document is left): nothing written"
    )
    assert not (tmp_path / "out").exists()


def test_the_built_page_embeds_the_texts_as_kg_viz_does_from_the_files(three, tmp_path):
    # The build hands the page the texts it has just read; `kg viz --sources` reads and
    # checks the files again. Same graph, same texts: the same bytes.
    out = tmp_path / "out"
    built = kg("build", "--no-publish", str(three), "--out", str(out))
    assert built.returncode == 0, built.stderr
    page = tmp_path / "viz.html"
    drawn = kg("viz", str(out / "store"), "--sources", str(three / "sources"), "-o", str(page))
    assert drawn.returncode == 0, drawn.stderr
    assert (out / "graph.html").read_bytes() == page.read_bytes()
    # And the texts are in it at all: a page drawn without them is another page.
    bare = tmp_path / "bare.html"
    assert kg("viz", str(out / "store"), "-o", str(bare)).returncode == 0
    assert len(bare.read_bytes()) < len(page.read_bytes())
