"""Issue 8, parts 1 and 2: queries are bounded and parsers are safe.

Each hostile case gives a sound result or one line on stderr with exit status 2, and the
graph is left as it was. Signals and crashes are tried on a real process.
"""

from __future__ import annotations

import http.server
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import rdflib

from kg.bounded import EngineCrashed, QueryTimeout, run_rows
from kg.cli import main
from kg.query import format_table, iter_query, run_query
from kg.sparql_guard import check_query
from kg.store import OxigraphStore, RdflibStore

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"
CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT_CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# 1e7 triples-cubed rows: far more than any timeout in these tests lets it count.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(code: int, err: str, *needles: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# --- part 1: bounded queries -----------------------------------------------------------


def test_timeout_stops_a_cross_join_and_leaves_the_store(capsys):
    started = time.monotonic()
    code, out, err = run(capsys, "query", "-g", str(MINI), SLOW, "--timeout", "1")
    one_line(code, err, "query stopped after 1 s (--timeout)")
    assert out == ""
    assert time.monotonic() - started < 60  # a generous bound: it stops, it does not finish


def test_library_timeout_raises_and_the_store_is_unchanged():
    store = OxigraphStore.from_file(MINI)
    with pytest.raises(QueryTimeout, match="after 1 s"):
        run_query(store, SLOW, timeout=1)
    assert len(store) == 209
    assert run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == [(209,)]


def test_rdflib_engine_has_the_timeout_too():
    store = RdflibStore.from_file(MINI)
    with pytest.raises(QueryTimeout):
        run_query(store, SLOW, timeout=1)
    assert len(store) == 209


def test_rows_stream_and_closing_stops_the_engine():
    store = OxigraphStore.from_file(MINI)
    columns, rows = iter_query(store, CROSS, timeout=30)
    assert columns == list("abcdefghi")
    first = [next(rows) for _ in range(1000)]
    assert len(first) == 1000 and all(len(r) == 9 for r in first)
    rows.close()  # 209**3 rows were never collected: the child is gone
    assert len(store) == 209


def test_csv_of_a_cross_join_streams_with_bounded_memory(tmp_path):
    # The parent writes rows as they come; its peak memory must not follow the result.
    script = (
        "import resource, subprocess, sys;"
        f"p = subprocess.run([sys.executable, '-m', 'kg.cli', 'query', '-g', {str(MINI)!r},"
        f" {CROSS!r}, '-f', 'csv', '--timeout', '4'], stdout=open({str(tmp_path / 'o.csv')!r},"
        " 'w'), stderr=subprocess.PIPE, text=True);"
        "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "print(p.stderr.strip())"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    head, message = proc.stdout.splitlines()[:2]
    code, peak_kb = map(int, head.split())
    assert code == 2 and message == "kg: error: query stopped after 4 s (--timeout)"
    lines = (tmp_path / "o.csv").read_text(encoding="utf-8").count("\n")
    assert lines > 1000  # rows went out while the query ran
    assert peak_kb < 400_000, peak_kb  # the collected version reached gigabytes


def _as_in_a_terminal() -> None:
    # A suite started in the background (`make test &` from a script) runs with SIGINT
    # ignored, and Python keeps it ignored: give kg a foreground job's Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigint_stops_a_running_query_with_one_line():
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "query", "-g", str(MINI), SLOW, "--timeout", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        preexec_fn=_as_in_a_terminal,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().strip():  # the engine's child process is running
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.05)
    engine = int(children.read_text().split()[0])
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["kg: interrupted: the query was stopped (Ctrl-C)"]
    assert not Path(f"/proc/{engine}").exists() or "zombie" in _state(engine)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "zombie"


def test_a_crash_of_the_engine_is_one_error():
    def crash():
        import ctypes

        ctypes.string_at(0)  # a read at address 0: signal 11, as a stack overflow gives
        return [], []

    with pytest.raises(EngineCrashed, match="SIGSEGV"):
        run_rows(crash, timeout=30)


def test_table_caps_rows_with_a_note(capsys):
    code, out, err = run(capsys, "query", "-g", str(MINI), "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert code == 0, err
    assert out.rstrip().endswith("showing 100 of at least 101 rows; use --limit or --format csv")
    code, out, _ = run(
        capsys, "query", "-g", str(MINI), "SELECT ?o WHERE { ?s ?p ?o }", "--limit", "3"
    )
    assert "showing 3 of at least 4 rows" in out


def test_csv_and_json_are_complete_and_json_matches_the_collected_form(capsys):
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    code, out, err = run(capsys, "query", "-g", str(MINI), text, "-f", "csv")
    assert code == 0 and out.count("\n") == 210 and "showing" not in out + err
    code, out, _ = run(capsys, "query", "-g", str(MINI), text, "-f", "json")
    table = run_query(OxigraphStore.from_file(MINI), text)
    assert out == format_table(table, "json")
    assert len(json.loads(out)) == 209
    code, out, _ = run(capsys, "query", "-g", str(MINI), text + " LIMIT 0", "-f", "json")
    assert out == "[]\n"


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://a> <http://b> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://ex/> delete data { ex:a ex:b 1 }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "CREATE GRAPH <http://g>",
        "DROP SILENT ALL",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(capsys, text):
    code, _, err = run(capsys, "query", "-g", str(MINI), text)
    one_line(code, err, "updates are not supported by kg query")


def test_service_is_refused_without_sending_anything(capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        sock.settimeout(0.5)
        port = sock.getsockname()[1]
        text = f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/s> {{ ?s ?p ?o }} }}"
        code, _, err = run(capsys, "query", "-g", str(MINI), text)
        target = f"SERVICE <http://127.0.0.1:{port}/s> is not allowed"
        one_line(code, err, target, "--allow-service")
        with pytest.raises(TimeoutError):
            sock.accept()  # no connection was attempted


def test_allowed_service_to_a_silent_server_stops_at_the_timeout(capsys):
    with socket.socket() as sock:  # listens but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        port = sock.getsockname()[1]
        text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/s> {{ ?s ?p ?o }} }}"
        started = time.monotonic()
        code, _, err = run(
            capsys, "query", "-g", str(MINI), text, "--allow-service", "--timeout", "2"
        )
    one_line(code, err, "query stopped after 2 s")
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?s WHERE { ?s ?p "use SERVICE <http://x> here" }',
        "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://x>",
        "PREFIX service: <http://ex/> SELECT ?s WHERE { ?s service:insert ?o }",
        "SELECT ?service ?drop WHERE { ?service ?drop ?o }",
        "SELECT ?s WHERE { ?s ?p '''DELETE\nDATA''' }",
        'SELECT ?s WHERE { ?s ?p "x"@service }',
    ],
)
def test_words_inside_strings_iris_comments_and_names_are_not_clauses(capsys, text):
    check_query(text)  # no refusal
    code, _, err = run(capsys, "query", "-g", str(MINI), text, "-f", "csv")
    assert code == 0, err


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "nests brackets"),
        ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, "nests brackets"),
        ("SELECT * WHERE { ?s ?p " + "[ ?q " * 5000 + "1" + "]" * 5000 + " }", "nests brackets"),
        ("SELECT * WHERE { FILTER(" + "!" * 30000 + "true) }", "chains"),
        ("SELECT * WHERE { FILTER(" + " || ".join(["true"] * 30000) + ") }", "chains"),
        ("SELECT * WHERE { " + " UNION ".join(["{}"] * 30000) + " }", "chains"),
    ],
)
def test_deep_nesting_is_refused_before_the_engine(tmp_path, text, needle):
    query = tmp_path / "deep.rq"  # a file: 30,000 operators pass no argv limit
    query.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "-g", str(MINI), str(query)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr  # never -11
    one_line(proc.returncode, proc.stderr, needle)


def test_moderate_nesting_still_runs(capsys):
    text = "SELECT ?x WHERE { BIND(" + "(" * 200 + "1" + ")" * 200 + " AS ?x) }"
    code, out, err = run(capsys, "query", "-g", str(MINI), text, "-f", "csv")
    assert (code, out) == (0, "x\n1\n"), err


def test_iri_parameter_with_a_space_is_one_line(capsys):
    code, _, err = run(capsys, "query", "-g", str(MINI), "commitments-of", "-p", "body=http://x y")
    one_line(code, err, "parameter 'body'", "not a valid IRI")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["query", "\udcff"], "unknown query '\\udcff'"),
        (["stats", "graph-\udcff.ttl"], "graph-\\udcff.ttl: no such file"),
        (["query", "-g", "\udcfe.ttl", "areas"], "\\udcfe.ttl: no such file"),
        (["query", "commitments-of", "-p", "body=\udcff"], "parameter 'body' is not UTF-8 text"),
        (["query", "commitments-of", "-p", "body=http://x\udcff"], "not UTF-8 text"),
        (["query", 'SELECT ?x { BIND("\udcff" AS ?x) }'], "the query text is not UTF-8 text"),
    ],
)
def test_arguments_that_are_not_utf8_are_one_line(capsys, args, needle):
    extra = ["-g", str(MINI)] if args[0] == "query" and "-g" not in args else []
    code, _, err = run(capsys, *args, *extra)
    one_line(code, err, needle)


def test_non_utf8_argument_from_a_real_shell():
    proc = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"kg.cli",
            b"query",
            b"-g",
            str(MINI).encode(),
            b"commitments-of",
            b"-p",
            b"body=Beta \xff\xfe",
        ],
        capture_output=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode().strip().splitlines() == [
        "kg: error: commitments-of: parameter 'body' is not UTF-8 text: '\\udcff' at character 6"
    ]


# --- part 2: safe parsers --------------------------------------------------------------

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">
 <rdf:Description rdf:about="http://ex.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bomb.rdf", BOMB.encode()),
        ("bomb.xml", BOMB.encode()),
        ("spaced.rdf", BOMB.replace("<!DOCTYPE", "<! DOCTYPE").encode()),
        ("utf16.rdf", BOMB.encode("utf-16")),
        (
            "external.rdf",
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        ),
    ],
)
def test_rdf_xml_with_a_dtd_is_refused(capsys, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    code, _, err = run(capsys, "stats", str(path))
    one_line(code, err, name, "DTD")
    assert time.monotonic() - started < 30


def test_accepted_formats_are_the_ones_the_message_lists(capsys, tmp_path):
    (tmp_path / "g.n3").write_text("<http://a> <http://b> <http://c> .\n", encoding="utf-8")
    code, _, err = run(capsys, "stats", str(tmp_path / "g.n3"))
    line = one_line(code, err, "unknown RDF file type '.n3'")
    listed = line.split("(use ")[1].rstrip(")").split(", ")
    graph = rdflib.Graph().parse(MINI)
    writers = {
        ".ttl": "turtle",
        ".nt": "nt",
        ".nq": "nt",  # N-Triples lines are N-Quads in the default graph
        ".trig": "turtle",  # and Turtle is TriG
        ".jsonld": "json-ld",
        ".rdf": "xml",
        ".xml": "xml",
    }
    assert sorted(listed) == sorted(writers)
    for suffix in listed:
        path = tmp_path / f"g{suffix}"
        graph.serialize(path, format=writers[suffix], encoding="utf-8")
        assert len(OxigraphStore.from_file(path)) == 209, suffix


def test_jsonld_remote_context_is_never_fetched(capsys, tmp_path):
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"@context": {"name": "http://schema.org/name"}}')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/context.jsonld"
        path = tmp_path / "remote.jsonld"
        path.write_text(
            json.dumps({"@context": url, "@id": "http://ex.org/a", "name": "x"}), encoding="utf-8"
        )
        code, _, err = run(capsys, "stats", str(path))
    finally:
        server.shutdown()
    one_line(code, err, "remote.jsonld")
    assert hits == []


def _shape_breaking(tmp_path: Path) -> Path:
    """mini.ttl with every area of a commitment a boolean: it parses, the shapes fail."""
    area = rdflib.URIRef("https://w3id.org/coopkg/ontology#area")
    graph = rdflib.Graph()
    for s, p, o in rdflib.Graph().parse(MINI):
        graph.add((s, p, rdflib.Literal("zz", datatype=rdflib.XSD.boolean) if p == area else o))
    path = tmp_path / "broken.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


def test_viz_on_a_graph_that_breaks_the_shapes_is_one_line(capsys, tmp_path):
    path = _shape_breaking(tmp_path)
    code, _, err = run(capsys, "viz", str(path), "-o", str(tmp_path / "g.html"))
    one_line(code, err, str(path), "breaks the coopkg shapes", f"kg validate {path}")


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["analyze", "-o", "{out}"],
        ["report", "--no-pdf", "-o", "{out}"],
        ["export", "-o", "{out}"],
        ["compare"],
        ["viz", "-o", "{out}/g.html"],
    ],
)
def test_every_graph_reader_gives_a_result_or_one_line(capsys, tmp_path, command):
    path = _shape_breaking(tmp_path)
    args = [command[0], str(path), *(a.format(out=tmp_path / "out") for a in command[1:])]
    code, _, err = run(capsys, *args)
    assert "Traceback" not in err
    if code != 0:
        one_line(code, err, "breaks the coopkg shapes")


def test_validate_and_query_on_a_graph_that_breaks_the_shapes(capsys, tmp_path):
    path = _shape_breaking(tmp_path)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("kg: error: SHACL validation failed")
    code, _, err = run(capsys, "query", "-g", str(path), "commitments", "-f", "csv")
    assert code == 0, err


def test_rdf_xml_nested_thousands_deep_is_refused_quickly(capsys, tmp_path):
    # Oxigraph parses nesting in quadratic time: 20,000 levels took 25 s unguarded.
    n = 20_000
    path = tmp_path / "deep.rdf"
    path.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">'
        + "<rdf:Description><ex:p>" * n
        + "</ex:p></rdf:Description>" * n
        + "</rdf:RDF>",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "stats", str(path))
    one_line(code, err, "deep.rdf", f"nested {2 * n + 1} elements deep")
