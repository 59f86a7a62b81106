"""rdflib's engine is a faithful reference: every named query gives the same rows, in the
same order, on rdflib and on Oxigraph, for graphs of many releases (30 synthetic plenaries
of ten mechanisms, made by benchmarks/synth.py, and the development set's releases of
many partners and house styles), with their parameters' other values too."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build_graph
from kg.query import list_queries, run_query
from kg.store import OxigraphStore, RdflibStore

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "devset" / "docs"


def _synth(folder: Path, releases: int) -> Path:
    spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_corpus(folder, releases)
    return folder


def _devset(folder: Path) -> Path:
    for part in ("registry", "corrections", "areas"):
        shutil.copytree(ROOT / "data" / part, folder / part)
    (folder / "sources").mkdir()
    releases = sorted(str(p) for p in DEV.glob("*.txt"))
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "ingest", *releases, "--data", str(folder)],
        check=True, capture_output=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    return folder


@pytest.fixture(scope="module", params=["synth30", "devset"])
def engines(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    data = _synth(folder, 30) if request.param == "synth30" else _devset(folder)
    graph = build_graph(data).graph
    return OxigraphStore.from_graph(graph), RdflibStore(graph)


# Parameters besides the defaults: the other reading of pairs, a stricter minimum.
VARIANTS = {
    "shared-commitments": [{"pairs": "co-mention"}, {"min": "2"}],
    "bridges": [{"pairs": "co-mention"}],
    "bodies-across-mechanisms": [{"min": "2"}],
}


def test_every_named_query_gives_the_same_rows(engines):
    oxigraph, rdflib = engines
    body = run_query(oxigraph, "bodies", {}).dicts()[0]["label"]  # for a required body
    public = [q for q in list_queries() if not q.internal]
    checked, rows, differ = 0, 0, []
    for named in public:
        required = {p.name: body for p in named.params if p.required}
        for params in [required, *({**required, **v} for v in VARIANTS.get(named.name, []))]:
            want = run_query(oxigraph, named, params)
            got = run_query(rdflib, named, params)
            if (got.columns, got.rows) != (want.columns, want.rows):
                differ.append((named.name, params))
            checked, rows = checked + 1, rows + len(want.rows)
    assert differ == []  # every query that differs, not only the first
    assert len(public) >= 18 and checked == len(public) + 4
    assert rows > 1500  # many releases: not a comparison of empty answers
