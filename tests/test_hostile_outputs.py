"""Outputs stay clean when a release is hostile (issue 8, part 5).

A release whose text holds a form feed, ESC sequences, a bell, a carriage return and
sentences starting with spreadsheet formulas is built and written out: the XML exports
must parse, every CSV cell that a spreadsheet would run is neutralised, nothing printed
to a terminal holds a control character, and the graph itself keeps the exact text.
"""

from __future__ import annotations

import csv
import doctest
import io
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import rdflib

import kg.cells
from kg import cli
from kg.analyze import analyze, write_analysis
from kg.build import build_graph, write_outputs
from kg.cells import neutralise_csv_cell, terminal_safe, xml_safe
from kg.compare import compare, write_comparison
from kg.export import export_all, export_gexf, export_graphml
from kg.namespace import COOP, RDFS
from kg.problem import Finding
from kg.query import format_table
from kg.report import render_report
from kg.store import Table, open_store

ROOT = Path(__file__).resolve().parents[1]
SEED = "004_938a3d0296569c86"
ESCAPES = "\x1b]0;pwned\x07"  # retitles the terminal window
CLEAR = "\x1b[2J"  # clears the screen
HYPERLINK = '=HYPERLINK("http://x","y")'
# (text in the seed release, what the hostile release says instead)
EDITS = [
    ("jointly open up markets", "jointly\x0copen up markets"),  # a PDF's page break
    (
        "financial institutions and financial intermediaries",
        f"financial institutions{ESCAPES} and financial\rintermediaries{CLEAR}",
    ),
    ("Encourage Hong Kong chambers", f"Encourage Hong Kong{CLEAR} chambers"),
    ("Strengthen scientific and cultural exchanges", f"{HYPERLINK} Strengthen scientific"),
    ("Support both sides in strengthening publicity", "@SUM(1) Support both sides in"),
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """The seed release made hostile, built, exported, analysed, reported and compared."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    for part in ("registry", "areas", "corrections"):
        shutil.copytree(ROOT / "data" / part, data / part)
    (data / "sources").mkdir()
    shutil.copy(ROOT / "data" / "sources" / f"{SEED}.yaml", data / "sources")
    text = (ROOT / "data" / "sources" / f"{SEED}.txt").read_text(encoding="utf-8")
    for before, after in EDITS:
        assert before in text
        text = text.replace(before, after, 1)
    source = data / "sources" / f"{SEED}.txt"
    source.write_bytes(text.encode("utf-8"))
    result = build_graph(data)
    assert result.left_out == [] and len(result.extractions) == 1
    graph = write_outputs(result, root / "out")["ttl"]
    store = open_store(graph)
    export_all(store, out_dir=root / "export")
    return {"root": root, "source": source, "graph": graph, "export": root / "export"}


@pytest.fixture(scope="module")
def labelled(hostile) -> Path:
    """The hostile graph with every label of a body starting with a formula, so that the
    CSVs of bodies (analysis, compare, report) have formula cells too."""
    graph = rdflib.Graph().parse(hostile["graph"])
    for body, old in list(graph.subject_objects(RDFS.label)):
        if "/id/body/" in str(body):
            graph.remove((body, RDFS.label, old))
            graph.add((body, RDFS.label, rdflib.Literal(f"{HYPERLINK} {old}", lang=old.language)))
    path = hostile["root"] / "labelled.ttl"
    graph.serialize(path, format="turtle")
    store = open_store(path)
    root = hostile["root"] / "labelled"
    write_analysis(analyze(store), root / "analysis")
    render_report(store, root / "report", pdf=False)
    write_comparison(compare(store, "", "", "", 1), root / "compare")
    export_all(store, out_dir=root / "export")
    return root


def _spans(graph_file: Path) -> dict[tuple[int, int], str]:
    """(start, end) -> quote of every text span the graph file holds."""
    dataset = rdflib.Dataset()  # .nq and .jsonld hold named graphs: fold them into one
    dataset.parse(graph_file)
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return {
        (int(graph.value(span, COOP.startOffset)), int(graph.value(span, COOP.endOffset))): str(
            quote
        )
        for span, quote in graph.subject_objects(COOP.quote)
    }


# --- 1. XML exports --------------------------------------------------------------------------


def test_the_graph_keeps_the_exact_text(hostile):
    text = hostile["source"].read_bytes().decode("utf-8")
    spans = _spans(hostile["graph"])
    hostile_quotes = [q for q in spans.values() if ESCAPES in q and "\r" in q]
    assert len(hostile_quotes) == 1
    for (start, end), quote in spans.items():
        assert text[start:end] == quote
    for name in ("graph.jsonld", "graph.nq"):
        assert sorted(_spans(hostile["graph"].with_name(name)).items()) == sorted(spans.items())
    assert sorted(_spans(hostile["export"] / "graph.nt").items()) == sorted(spans.items())


@pytest.mark.parametrize("name", ["graph.gexf", "graph.graphml", "bodies.gexf", "bodies.graphml"])
def test_xml_exports_are_well_formed(hostile, name):
    path = hostile["export"] / name
    ET.parse(path)  # strict: raises on a form feed or an ESC
    read = nx.read_gexf if name.endswith(".gexf") else nx.read_graphml
    assert read(path).number_of_nodes() > 10


@pytest.mark.parametrize("name", ["graph.gexf", "graph.graphml"])
def test_xml_quotes_keep_their_length_and_their_carriage_return(hostile, name):
    read = nx.read_gexf if name.endswith(".gexf") else nx.read_graphml
    nodes = read(hostile["export"] / name).nodes(data=True)
    spans = _spans(hostile["graph"])
    quoted = {(d["start_offset"], d["end_offset"]): d for _, d in nodes if "quote" in d}
    assert len(quoted) > 10 and quoted.keys() <= spans.keys()
    for (start, end), data in quoted.items():
        assert data["quote"] == xml_safe(spans[start, end])
        assert len(data["quote"]) == end - start
    page_break = next(q for q in spans.values() if "jointly\x0copen" in q)
    assert "jointly\ufffdopen" in quoted[_key(spans, page_break)]["quote"]
    escaped = next(q for q in spans.values() if ESCAPES in q)
    assert (
        "institutions\ufffd]0;pwned\ufffd and financial\rintermediaries\ufffd[2J"
        in (quoted[_key(spans, escaped)]["quote"])
    )


def _key(spans: dict[tuple[int, int], str], quote: str) -> tuple[int, int]:
    return next(start for start, q in spans.items() if q == quote)


@pytest.mark.parametrize(
    ("write", "read"), [(export_graphml, nx.read_graphml), (export_gexf, nx.read_gexf)]
)
def test_whitespace_round_trips_and_forbidden_characters_do_not(tmp_path, write, read):
    value = "a\rb\tc\nd\r\ne\x0cf\u2028g\x85h\x00i\ud800j\ufffek"
    graph = nx.Graph([("x", "y", {"quote": value})])
    graph.nodes["x"]["label"] = value
    path = write(graph, tmp_path / "g.xml")
    ET.parse(path)
    back = read(path)
    expected = "a\rb\tc\nd\r\ne\ufffdf\u2028g\x85h\ufffdi\ufffdj\ufffdk"
    assert back.edges["x", "y"]["quote"] == expected
    assert back.nodes["x"]["label"] == expected


def test_xml_safe_replaces_each_forbidden_character_one_for_one():
    forbidden = [*(chr(c) for c in range(0x20) if c not in (9, 10, 13)), "\ud83d", "\ufffe"]
    assert xml_safe("".join(forbidden) + "\uffff") == "\ufffd" * (len(forbidden) + 1)
    allowed = "\t\n\r \x7f\x85\ud7ff\ue000\ufffd\U0001f600"
    assert xml_safe(allowed) == allowed


# --- 2. CSV ----------------------------------------------------------------------------------


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _formula_cells(folder: Path) -> list[tuple[str, str]]:
    return [
        (path.name, cell)
        for path in sorted(folder.rglob("*.csv"))
        for row in _rows(path)
        for cell in row
        if cell.startswith(FORMULA_START) and neutralise_csv_cell(cell) != cell
    ]


def test_every_csv_written_neutralises_formulas(hostile, labelled):
    assert _formula_cells(hostile["export"]) == []
    assert _formula_cells(labelled) == []
    csvs = {p.relative_to(labelled).as_posix() for p in labelled.rglob("*.csv")}
    assert {"analysis/centrality.csv", "report/report/commitments.csv"} <= csvs


def test_commitment_quotes_starting_with_formulas_get_a_quote_mark(hostile):
    rows = _rows(hostile["export"] / "commitments.csv")
    quotes = [row[rows[0].index("quote")] for row in rows[1:]]
    assert sum(q.startswith(f"'{HYPERLINK} Strengthen scientific") for q in quotes) == 1
    assert sum(q.startswith("'@SUM(1) Support both sides in") for q in quotes) == 1
    assert not any(q.startswith(("=", "@")) for q in quotes)


def test_body_labels_starting_with_formulas_in_analysis_report_and_compare(labelled):
    labels = [row[1] for row in _rows(labelled / "analysis" / "centrality.csv")[1:]]
    assert labels and all(label.startswith(f"'{HYPERLINK} ") for label in labels)
    header = _rows(labelled / "analysis" / "area_body_matrix.csv")[0]
    assert header[0] == "area" and all(h.startswith(f"'{HYPERLINK} ") for h in header[1:])
    bodies = _rows(labelled / "export" / "bodies.csv")
    assert all(r[bodies[0].index("label")].startswith(f"'{HYPERLINK} ") for r in bodies[1:])
    compared = [c for p in (labelled / "compare").glob("*.csv") for r in _rows(p) for c in r]
    assert any(c.startswith(f"'{HYPERLINK} ") for c in compared)
    report = [c for p in (labelled / "report").rglob("*.csv") for r in _rows(p) for c in r]
    assert any(c.startswith(f"'{HYPERLINK} ") for c in report)


def test_numbers_stay_numbers_and_every_formula_start_is_neutralised():
    table = Table(
        ["value"],
        [
            *[("-3",), ("+1.5",), ("1e5",), (".5",), (-2,), ("-x",), ("+1+1",), ("@A1",)],
            *[("\tx",), ("\rx",), ("=1",), ("\uff1d1+1",), ("a=b",), (None,), (True,)],
        ],
    )
    assert format_table(table, "csv").split("\n") == [
        "value",
        "-3",
        "+1.5",
        "1e5",
        ".5",
        "-2",
        "'-x",
        "'+1+1",
        "'@A1",
        "'\tx",
        '"\'\rx"',
        "'=1",
        "'\uff1d1+1",
        "a=b",
        '""',  # a lone empty cell, as csv.writer writes it
        "true",
        "",
    ]


def test_query_csv_to_a_pipe_keeps_the_text_and_neutralises(hostile, capsys):
    code = cli.main(["query", "commitments", "-g", str(hostile["graph"]), "-f", "csv"])
    assert code == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    quotes = [r[rows[0].index("quote")] for r in rows[1:]]
    assert any(ESCAPES in q and "financial\rintermediaries" in q for q in quotes)  # data
    assert sum(q.startswith(f"'{HYPERLINK}") for q in quotes) == 1


def test_query_csv_to_a_terminal_has_no_control_characters(hostile, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code = cli.main(["query", "commitments", "-g", str(hostile["graph"]), "-f", "tsv"])
    assert code == 0
    printed = capsys.readouterr().out
    assert _controls(printed, keep="\n\t") == []
    assert "financial institutions\\x1b]0;pwned\\x07 and financial intermediaries" in printed
    assert '\t"\'=HYPERLINK(""http://x"",""y"") Strengthen' in printed


# --- 3. The terminal -------------------------------------------------------------------------


def _controls(text: str, keep: str = "\n") -> list[str]:
    """Characters a terminal would obey, other than those the program writes itself."""
    return sorted(
        {
            c
            for c in text
            if c not in keep
            and (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u202e\u2066\u2028")
        }
    )


@pytest.fixture
def wide(monkeypatch):
    """A terminal wide enough that rich folds no cell: the printed text can be searched."""
    monkeypatch.setattr(cli.out, "width", 2000)


def test_query_table_shows_escapes_instead_of_obeying_them(hostile, capsys, wide):
    code = cli.main(["query", "commitments", "-g", str(hostile["graph"])])
    assert code == 0
    printed = capsys.readouterr().out
    assert _controls(printed) == []
    assert "institutions\\x1b]0;pwned\\x07 and financial intermediaries\\x1b[2J in" in printed


def test_extract_prints_no_control_character(hostile, capsys, wide):
    data = hostile["root"] / "data"
    code = cli.main(["extract", str(hostile["source"]), "--data", str(data)])
    assert code == 0
    printed = capsys.readouterr().out
    assert _controls(printed) == []
    assert "Encourage Hong Kong\\x1b[2J chambers" in printed


def test_an_error_line_naming_a_hostile_file_is_one_clean_line(tmp_path, capsys):
    code = cli.main(["extract", str(tmp_path / f"a{ESCAPES}b\rc\u202ed.txt")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and _controls(err) == []
    assert "a\\x1b]0;pwned\\x07b c\\u202ed.txt" in err


def test_paths_in_the_summary_are_clean(tmp_path, capsys):
    out = tmp_path / f"out{CLEAR}\u202e"
    assert cli.main(["export", str(ROOT / "tests" / "fixtures" / "mini.ttl"), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert _controls(printed) == []
    assert printed.count("out\\x1b[2J\\u202e/graph.gexf") == 1


def test_findings_keep_only_the_line_breaks_the_program_puts(capsys):
    finding = Finding(
        severity="Violation",
        record=f"memorandum '{ESCAPES}Evil\nkg: error: forged'",
        rule="a memorandum's parties must be bodies or places",
        value=f"'X{CLEAR}' was read as a body",
        quote="page\x0cbreak\x1b[31m red",
        start=10,
        end=31,
        kind="memoranda",
        technical="",
        document=f"doc{CLEAR}",
    )
    worded = cli._worded(finding)
    assert worded.split("\n") == [
        "document doc\\x1b[2J: memorandum '\\x1b]0;pwned\\x07Evil kg: error: forged': "
        "a memorandum's parties must be bodies or places; 'X\\x1b[2J' was read as a body",
        '  read from characters 10-31: "page break\\x1b[31m red"',
    ]
    cli._print_left_out(f"sources/{CLEAR}x.txt", (f"bad\x0cline{ESCAPES}\nsecond",), False)
    assert capsys.readouterr().err == (
        "kg: left out sources/\\x1b[2Jx.txt:\n  bad line\\x1b]0;pwned\\x07\n  second\n"
    )


def test_terminal_safe_covers_c0_c1_bidi_and_surrogates():
    assert terminal_safe("a\x00b\x7fc\x9bd\u202ee\u2069f\udcffg\u2028h") == (
        "a\\x00b\\x7fc\\x9bd\\u202ee\\u2069f\\udcffg\\u2028h"
    )
    assert terminal_safe("tab\tnl\ncr\rff\x0cvt\x0b") == "tab nl cr ff vt "
    assert terminal_safe("one\ntwo\tthree", keep="\n") == "one\ntwo three"
    assert terminal_safe("plain text, “quoted” – 中文 ✓") == "plain text, “quoted” – 中文 ✓"


def test_doctests():
    assert doctest.testmod(kg.cells).failed == 0
