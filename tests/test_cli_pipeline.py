"""The whole path a user takes, through the CLI in real processes: every release of the
development set (twelve of them of partners the registry lacks, in house styles from
news sites to mainland-side reports) goes through `kg ingest`, `kg build --strict`,
`kg analyze`, `kg report` and `kg export` with no registry edit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from outputs_support import published_files

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "devset" / "docs"


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    base = tmp_path_factory.mktemp("pipeline")
    data, out = base / "data", base / "out"
    for part in ("registry", "corrections", "areas"):
        shutil.copytree(ROOT / "data" / part, data / part)
    (data / "sources").mkdir()
    releases = sorted(DEV.glob("*.txt"))
    ingest = kg("ingest", *map(str, releases), "--data", str(data))
    steps = {"ingest": ingest}
    steps["build"] = kg("build", str(data), "--out", str(out), "--strict")
    # The commands one by one, from the graph file, into a folder of their own: what the
    # build published must be what they write.
    graph, apart = str(out / "graph.ttl"), str(base / "apart")
    steps["analyze"] = kg("analyze", graph, "--out", apart)
    steps["report"] = kg("report", graph, "--out", apart, "--no-pdf")
    steps["export"] = kg("export", graph, "--out", apart)
    steps["stats"] = kg("stats", graph, "--json")
    published = _files(out)
    steps["rebuild"] = kg("build", str(data), "--out", str(out), "--strict", "--times")
    assert _files(out) == published  # the same bytes again
    return releases, data, out, steps


_files = published_files


def test_every_step_succeeds(done):
    _, _, _, steps = done
    for name, proc in steps.items():
        assert proc.returncode == 0, (name, proc.stderr)


def test_every_release_is_in_the_graph(done):
    releases, _, _, steps = done
    assert len(releases) >= 23
    assert f"{len(releases)} of {len(releases)} documents in the graph" in steps["build"].stdout
    stats = json.loads(steps["stats"].stdout)
    assert stats["documents"] == len(releases)
    # One meeting per release: no release lost its meeting (and with it its commitments).
    assert stats["meetings"] == len(releases)
    assert stats["commitments"] >= 250


def test_no_registry_file_was_touched(done):
    _, data, _, _ = done
    for path in (ROOT / "data" / "registry").iterdir():
        assert (data / "registry" / path.name).read_bytes() == path.read_bytes()


def test_the_published_set_is_whole(done):
    _, _, out, _ = done
    for name in (
        "graph.ttl",
        "graph.nq",
        "graph.jsonld",
        "analysis.json",
        "report.html",
        "graph.graphml",
        "graph.gexf",
    ):
        assert (out / name).stat().st_size > 0, name
    analysis = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    bases = {pair["basis"] for pair in analysis["shared_commitments"]}
    assert bases == {"stated", "co-mention"}


def test_the_build_publishes_what_each_command_writes(done):
    """`kg build` writes the analysis, the report and the exports itself, byte for byte
    what `kg analyze`, `kg report` and `kg export` write from its graph file."""
    _, _, out, steps = done
    apart = _files(out.parent / "apart")
    assert len(apart) >= 20
    built = _files(out)
    assert {name: built.get(name) for name in apart} == apart
    line = f"wrote {out}/analysis.json, {out}/report.html and {len(apart) - 2} CSV, GraphML,"
    assert line in steps["build"].stdout


def test_a_rebuild_of_the_same_graph_reuses_what_it_published(done):
    _, _, out, steps = done
    assert "(reused, the graph unchanged: analysis, report, exports)" in steps["rebuild"].stdout
    # The page too: drawn from the same graph, texts and code (the same bytes: `done`).
    assert "kg: page (reused)" in steps["rebuild"].stderr
    assert "graph.html" in published_files(out)
