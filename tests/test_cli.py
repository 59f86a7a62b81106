"""The CLI's contract: JSON shapes, and bad input as one line on stderr with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "004_938a3d0296569c86.txt"
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"


def kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI in a real process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=cwd
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0]
    assert proc.stdout == ""


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "latin1": "Co-operation\nbetween S\xe3o Paulo and Hong Kong\n".encode("latin-1"),
    }
    paths = {}
    for name, data in files.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        paths[name] = path
    return paths


def test_extract_missing_file(tmp_path):
    missing = tmp_path / "nope.txt"
    assert_one_line_error(kg("extract", str(missing), "--json"), str(missing))


@pytest.mark.parametrize("name", ["empty", "binary", "latin1"])
def test_extract_bad_file(bad_files, name):
    path = bad_files[name]
    proc = kg("extract", str(path), "--json")
    assert_one_line_error(proc, str(path))
    if name == "latin1":
        assert f"{path}:2" in proc.stderr  # the line of the first bad byte


def test_unknown_query_name():
    assert_one_line_error(kg("query", "no-such-query", "--graph", str(MINI)), "no-such-query")


def test_malformed_sparql_names_the_line():
    proc = kg("query", "SELECT ?x WHERE {\n  ?x ?y }", "--graph", str(MINI))
    assert_one_line_error(proc, "syntax error")
    assert proc.stderr == "kg: error: <query>:2:10: syntax error after '}'\n"


def test_malformed_rq_file_names_file_and_line(tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("# title: broken\nSELECT ?x WHERE {\n  ?x ?y }\n", encoding="utf-8")
    proc = kg("query", str(rq), "--graph", str(MINI))
    assert_one_line_error(proc, str(rq))


def test_malformed_turtle_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b .\n", encoding="utf-8")
    assert_one_line_error(kg("stats", str(bad), "--json"), f"{bad}:3")


def test_stats_json_has_the_design_keys():
    proc = kg("stats", str(MINI), "--json")
    assert proc.returncode == 0, proc.stderr
    counts = json.loads(proc.stdout)
    assert counts == {
        "triples": 209,
        "documents": 1,
        "meetings": 1,
        "areas": 3,
        "commitments": 4,
        "organizations": 7,
        "people": 2,
        "memoranda": 1,
    }


def test_stats_table_breaks_down_the_bodies():
    """The table shows the one count of bodies with its breakdown; the JSON keeps the
    design's keys (above)."""
    proc = kg("stats", str(MINI))
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in
            proc.stdout.splitlines() if line.count("│") == 3}  # fmt: skip
    assert rows["organizations"] == "7 (7 named, 0 generic groups)"
    assert rows["programmes and events"] == "0"
    assert rows["triples"] == "209"


def test_extract_json_offsets_slice_the_file():
    proc = kg("extract", str(SEED), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    text = SEED.read_text(encoding="utf-8")
    assert set(result) >= {
        "source",
        "event",
        "stated_area_count",
        "areas",
        "commitments",
        "organizations",
        "people",
        "documents",
    }
    assert len(result["commitments"]) == 21
    for c in result["commitments"]:
        assert text[c["start"] : c["end"]] == c["text"]


@pytest.mark.parametrize(
    "command",
    [
        "build",
        "extract",
        "validate",
        "query",
        "analyze",
        "viz",
        "export",
        "stats",
        "eval",
        "report",
    ],
)
def test_every_command_has_help(command):
    proc = kg(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout


def test_query_list_names_the_required_queries():
    proc = kg("query", "--list")
    assert proc.returncode == 0, proc.stderr
    for name in [
        "shared-commitments",
        "commitments-of",
        "signatories",
        "areas",
        "bridges",
        "people-posts",
    ]:
        assert name in proc.stdout


def test_validate_accepts_the_fixture_and_rejects_a_broken_graph(tmp_path):
    ok = kg("validate", str(MINI))
    assert ok.returncode == 0, ok.stderr
    assert "conforms" in ok.stdout
    broken = tmp_path / "broken.ttl"
    # The quote no longer matches its offsets: SHACL's SPARQL constraint must catch it.
    broken.write_text(
        MINI.read_text(encoding="utf-8").replace(
            "Strengthen co-operation between", "Strengthen the co-operation between"
        ),
        encoding="utf-8",
    )
    bad = kg("validate", str(broken))
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    # In words, never IRIs: the document, the record, the rule, the quote and offsets.
    assert bad.stderr.splitlines()[:2] == [
        "document mini: text span at characters 63-141: a quote is exactly as long as its "
        "offsets say (the text at those offsets differs)",
        '  read from characters 63-141: "Strengthen the co-operation between the Alpha '
        'Exchange and the Beta Equity Centre."',
    ]
    assert "coop:" not in bad.stderr and "id:" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].startswith("kg: error: SHACL validation failed")


def test_analyze_export_and_viz_write_their_files(tmp_path):
    for args in (
        ("analyze", str(MINI), "--out", str(tmp_path)),
        ("export", str(MINI), "--out", str(tmp_path)),
        ("viz", str(MINI), "--out", str(tmp_path / "graph.html")),
        ("viz", str(MINI), "--view", "shared", "--out", str(tmp_path / "shared.html")),
        ("viz", str(MINI), "--focus", "ATDC", "--out", str(tmp_path / "atdc.html")),
    ):
        proc = kg(*args)
        assert proc.returncode == 0, proc.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert {
        "analysis.json",
        "centrality.csv",
        "graph.graphml",
        "graph.gexf",
        "graph.nt",
        "commitments.csv",
        "graph.html",
        "shared.html",
        "atdc.html",
    } <= names


def test_viz_unknown_focus_is_one_line():
    assert_one_line_error(kg("viz", str(MINI), "--focus", "No Such Body", "--out", "/dev/null"))


def test_query_json_binds_the_parameter():
    proc = kg("query", "commitments-of", "-g", str(MINI), "-p", "body=atdc", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert sorted(r["area"] for r in rows) == ["Finance", "Trade"]


def test_eval_prints_the_quality_table():
    proc = kg("eval", "tests/devset/docs", "tests/devset/gold")
    assert proc.returncode == 0, proc.stderr
    for field in ("areas", "commitments", "organizations", "people", "documents", "macro"):
        assert field in proc.stdout
