"""Named queries on tests/fixtures/mini.ttl, whose answers can be checked by eye."""

from __future__ import annotations

import doctest
import json
from dataclasses import replace
from pathlib import Path

import pytest
import rdflib

import kg.query
from kg.errors import InputError
from kg.query import format_table, list_queries, parse_query, resolve_query, run_query
from kg.store import IRI, OxigraphStore, QueryError, RdflibStore, Table, open_store

MINI = Path(__file__).parent / "fixtures" / "mini.ttl"
ID = "https://w3id.org/coopkg/id/"
ATDC = ID + "body/alpha-trade-development-council"
BCC = ID + "body/beta-commerce-commission"
BEC = ID + "body/beta-equity-centre"
AE = ID + "body/alpha-exchange"
MECH = ID + "mechanism/alpha-beta-co-operation-conference"
MEETING = "Mini Plenary of the Alpha/Beta Co-operation Conference"
REQUIRED = ["shared-commitments", "commitments-of", "signatories", "areas", "bridges"]
REQUIRED += ["people-posts", "bodies", "documents"]


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def store(request):
    return open_store(MINI, engine=request.param)


@pytest.fixture(scope="module")
def both():
    return open_store(MINI), open_store(MINI, engine="rdflib")


def rows(store, name, **params):
    return run_query(store, resolve_query(name), params).dicts()


def pick(store, name, *keys, **params):
    """The named query's rows, reduced to the given columns."""
    return [tuple(r[k] for k in keys) for r in rows(store, name, **params)]


# --- the catalogue ----------------------------------------------------------------------


def test_every_required_query_is_listed_with_a_header():
    queries = {q.name: q for q in list_queries()}
    assert set(REQUIRED) <= set(queries)
    for query in queries.values():
        assert query.title and query.description, query.name
        assert query.text.lstrip().startswith("#"), query.name
    assert [(p.name, p.required) for p in queries["commitments-of"].params] == [("body", True)]
    minimum, pairs = queries["shared-commitments"].params
    assert (minimum.name, minimum.default, minimum.required) == ("min", "1", False)
    assert (pairs.name, pairs.default, pairs.required) == ("pairs", "stated", False)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_each_named_query_gives_the_same_rows_on_oxigraph_and_rdflib(both, name):
    named = resolve_query(name)
    params = {p.name: "Beta Commerce Commission" for p in named.params if p.required}
    if "resource" in params:  # the resource pages' queries (kg.resource_page) take an IRI
        params["resource"] = "https://w3id.org/coopkg/id/commitment/mini/63"
    ox, rl = (run_query(s, named, params) for s in both)
    assert ox.columns == rl.columns
    assert sorted(map(repr, ox.rows)) == sorted(map(repr, rl.rows))
    if name in ("plenary-diff", "area-headings"):
        # The fixture has one meeting, and a meeting is never diffed with itself (the
        # plenary diff's answers are tested on several releases in test_compare.py); its
        # headings are in a fixture of their own (test_area_headings_say_how_...).
        assert len(ox) == 0
    else:
        assert len(ox) > 0, "every query has an answer on the fixture"


def test_a_fact_stated_in_two_named_graphs_counts_once(both, tmp_path):
    # Oxigraph's union default graph yields such a triple twice; every query must not care.
    graph = rdflib.Graph().parse(MINI, format="turtle")
    lines = [f"{s.n3()} {p.n3()} {o.n3()} <{ID}graph/{g}> .\n" for s, p, o in graph for g in "ab"]
    doubled = tmp_path / "doubled.nq"
    doubled.write_text("".join(lines), encoding="utf-8")
    store = open_store(doubled)
    assert len(store) == 209  # the distinct triples that queries read
    for named in list_queries():
        params = {p.name: "Beta Commerce Commission" for p in named.params if p.required}
        if "resource" in params:  # the resource pages' queries (kg.resource_page): an IRI
            params["resource"] = "https://w3id.org/coopkg/id/commitment/mini/63"
        assert run_query(store, named, params) == run_query(both[0], named, params), named.name


def test_a_parameter_with_fixed_values_refuses_others(store):
    for named in ("bridges", "shared-commitments"):
        assert resolve_query(named).param("pairs").choices == ("stated", "co-mention")
        with pytest.raises(InputError, match=r"'pairs' is one of stated, co-mention, not 'x'"):
            run_query(store, named, {"pairs": "x"})
    with pytest.raises(InputError, match=r"default 'c' is not one of a, b"):
        parse_query("# param: p — a p (one of: a, b) (default: c)\nSELECT * {}")


# --- exact answers on mini.ttl ------------------------------------------------------------


def test_shared_commitments(store):
    got = pick(store, "shared-commitments", "label_a", "label_b", "shared", "basis", "areas")
    # The one pair the text states leads; the others are co-mentions.
    assert got == [
        ("Alpha Exchange", "Beta Equity Centre", 1, "stated", "Finance"),
        ("Alpha Trade & Development Council", "Beta Commerce Commission", 2, "co-mention",
         "Finance; Trade"),
        ("Alpha Museum <script>alert(1)</script> Office", "Beta Commerce Commission", 1,
         "co-mention", "Culture"),
        ("Alpha Trade & Development Council", "Beta Equity Centre", 1, "co-mention", "Trade"),
        ("Beta Commerce Commission", "Beta Equity Centre", 1, "co-mention", "Trade"),
    ]  # fmt: skip
    first = rows(store, "shared-commitments")[0]
    assert (first["body_a"], first["body_b"]) == (AE, BEC)


def test_shared_commitments_by_co_mention_alone(store):
    keys = ("label_a", "label_b", "shared", "basis")
    got = pick(store, "shared-commitments", *keys, pairs="co-mention")
    assert [g[:3] for g in got] == [
        ("Alpha Trade & Development Council", "Beta Commerce Commission", 2),
        ("Alpha Exchange", "Beta Equity Centre", 1),
        ("Alpha Museum <script>alert(1)</script> Office", "Beta Commerce Commission", 1),
        ("Alpha Trade & Development Council", "Beta Equity Centre", 1),
        ("Beta Commerce Commission", "Beta Equity Centre", 1),
    ]
    assert {g[3] for g in got} == {"co-mention"}


def test_shared_commitments_with_a_minimum(store):
    got = rows(store, "shared-commitments", min="2")
    assert [(r["body_a"], r["body_b"], r["shared"]) for r in got] == [(ATDC, BCC, 2)]
    assert rows(store, "shared-commitments", min="3") == []


@pytest.mark.parametrize(
    "name",
    [
        "Alpha Trade & Development Council",
        "ATDC",
        "atdc",
        "alpha TRADE & development council",
        ATDC,
    ],
)
def test_commitments_of_by_label_alias_case_or_iri(store, name):
    got = rows(store, "commitments-of", body=name)
    assert [r["commitment"] for r in got] == [
        ID + "commitment/mini/142",
        ID + "commitment/mini/248",
    ]
    first, second = got
    assert first == {
        "body": name,
        "body_iri": ATDC,
        "body_label": "Alpha Trade & Development Council",
        "commitment": ID + "commitment/mini/142",
        "area": "Finance",
        "verbs": "Support",
        "partners": "Beta Commerce Commission",
        "stated_partners": None,  # mini.ttl states no pair in this commitment
        "meeting": MEETING,
        "date": "2024-01-02",
        "quote": "Support the Alpha Trade & Development Council and the Beta Commerce "
        "Commission to hold joint fairs.",
        "start": 142,
        "end": 241,
        "source": ID + "source/mini",
    }
    assert (second["area"], second["verbs"], second["partners"]) == (
        "Trade",
        "Encourage; Promote",
        "Beta Commerce Commission; Beta Equity Centre",
    )
    assert (second["start"], second["end"]) == (248, 370)


def test_commitments_of_says_which_partners_the_text_states(store):
    (got,) = rows(store, "commitments-of", body="Alpha Exchange")
    assert (got["partners"], got["stated_partners"]) == ("Beta Equity Centre", "Beta Equity Centre")


def test_commitments_of_counts_a_body_once_when_label_and_alias_both_match(store):
    # "BEC" is an alias, "Beta Equity Centre" the label: one body, two commitments.
    assert [r["start"] for r in rows(store, "commitments-of", body="bec")] == [63, 248]
    assert [r["body_label"] for r in rows(store, "commitments-of", body="阿尔法交易所")] == [
        "Alpha Exchange"
    ]


@pytest.mark.parametrize(
    "attack",
    [
        'x" || true || "',
        '") } ; DROP ALL ; #',
        "x' || true || '",
        '") || true || ("',
        "?body",
        "",
    ],
)
def test_commitments_of_binds_the_value_as_a_literal_only(store, attack):
    with pytest.raises(InputError, match="no body is called"):
        rows(store, "commitments-of", body=attack)
    # Without the check that the body exists, the engine gets the value as a literal.
    named = resolve_query("commitments-of")
    unchecked = replace(named, params=tuple(replace(p, kind="text") for p in named.params))
    assert run_query(store, unchecked, {"body": attack}).rows == []
    assert len(store) == 209  # nothing dropped


def test_signatories(store):
    got = [
        (r["document"], r["signatory"], r["posts"], r["on_behalf_of"], r["parties"], r["date"])
        for r in rows(store, "signatories")
    ]
    parties = "Alpha Government; Beta Government"
    memo = "Alpha/Beta Co-operation Memorandum"
    assert got == [
        (memo, "Alpha One", "Chief Secretary", "Alpha Government", parties, "2024-01-02"),
        (memo, "Beta Two", "Vice Mayor", "Beta Government", parties, "2024-01-02"),
    ]
    assert {r["meeting"] for r in rows(store, "signatories")} == {MEETING}


def test_areas(store):
    got = pick(store, "areas", "area", "commitments", "bodies", "bodies_by_side")
    assert got == [
        ("Finance", 2, 4, "Alpha: 2; Beta: 2"),
        ("Culture", 1, 2, "Alpha: 1; Beta: 1"),
        ("Trade", 1, 3, "Alpha: 1; Beta: 2"),
    ]


def test_bridges(store):
    keys = ["label", "jurisdiction", "side_a", "partners_a", "commitments_a"]
    got = pick(store, "bridges", *keys, "side_b", "partners_b", "commitments_b", "mechanism_iri")
    assert got == [
        ("Beta Commerce Commission", "Beta", "Alpha", 2, 3, "Beta", 1, 1, MECH),
        ("Beta Equity Centre", "Beta", "Alpha", 2, 2, "Beta", 1, 1, MECH),
    ]


def test_people_posts(store):
    got = pick(store, "people-posts", "person", "post", "body", "date", "quote")
    assert got == [
        (
            "Alpha One",
            "Chief Secretary",
            "Alpha Government",
            "2024-01-02",
            "The Chief Secretary, Mr Alpha One",
        ),
        (
            "Beta Two",
            "Vice Mayor",
            "Beta Government",
            "2024-01-02",
            "Vice Mayor of Beta Ms Beta Two",
        ),
    ]


def test_bodies(store):
    got = pick(store, "bodies", "label", "class", "jurisdiction", "reviewed", "commitments")
    assert got == [
        ("Alpha Exchange", "Exchange", "Alpha", True, 1),
        ("Alpha Government", "Government", "Alpha", True, 0),
        ("Alpha Museum <script>alert(1)</script> Office", "Institution", "Alpha", False, 1),
        ("Alpha Trade & Development Council", "StatutoryBody", "Alpha", True, 2),
        ("Beta Commerce Commission", "Agency", "Beta", True, 3),
        ("Beta Equity Centre", "Enterprise", "Beta", True, 2),
        ("Beta Government", "Government", "Beta", True, 0),
    ]
    bcc = next(r for r in rows(store, "bodies") if r["body"] == BCC)
    assert (bcc["kind"], bcc["parent"], bcc["aliases"]) == ("agency", "Beta Government", None)


def test_documents_and_commitments(store):
    keys = ("date", "language", "characters", "meetings", "commitments")
    assert pick(store, "documents", *keys) == [("2024-01-02", "en", 609, 1, 4)]
    got = rows(store, "commitments")
    assert [r["start"] for r in got] == [63, 142, 248, 379]
    text = (Path(__file__).parent / "fixtures" / "mini.txt").read_text(encoding="utf-8")
    assert all(text[r["start"] : r["end"]] == r["quote"] for r in got)
    assert got[2]["bodies"] == (
        "Alpha Trade & Development Council; Beta Commerce Commission; Beta Equity Centre"
    )


# --- resolving and running ------------------------------------------------------------------


def test_resolve_a_file_and_inline_text(tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# title: Mine\n# param: name — a label (default: Alpha Exchange)\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?b ?name WHERE { ?b rdfs:label ?l FILTER(STR(?l) = ?name) }\n",
        encoding="utf-8",
    )
    named = resolve_query(str(rq))
    assert (named.name, named.title, named.path) == ("mine", "Mine", str(rq))
    store = open_store(MINI)
    assert run_query(store, named, {}).rows == [(AE, "Alpha Exchange")]
    other = run_query(store, named, {"name": "Beta Equity Centre"})
    assert other.rows == [(BEC, "Beta Equity Centre")]
    inline = resolve_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert (inline.name, inline.params) == ("<query>", ())
    assert run_query(store, inline).rows == [(209,)]


def test_an_iri_parameter_is_bound_as_an_iri():
    store = open_store(MINI)
    named = parse_query("# param: x — anything\nSELECT ?x (isIRI(?x) AS ?iri) WHERE {}")
    assert run_query(store, named, {"x": BCC}).rows == [(IRI(BCC), True)]
    assert run_query(store, named, {"x": "ftp://not-bound-as-iri"}).rows[0][1] is False


def test_unknown_name_lists_close_matches():
    with pytest.raises(InputError, match=r"shared-comitments.*did you mean shared-commitments"):
        resolve_query("shared-comitments")
    with pytest.raises(InputError, match="unknown query 'zzz'"):
        resolve_query("zzz")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty query file"),
        (b"  \n", "empty query file"),
        (b"SELECT \x00\x01", "binary"),
        (b'# title: x\nSELECT ?x WHERE { ?x ?y "caf\xe9" }', r"mine\.rq:2:\d+: not UTF-8"),
    ],
)
def test_unreadable_query_files(tmp_path, content, message):
    rq = tmp_path / "mine.rq"
    if content is not None:
        rq.write_bytes(content)
    with pytest.raises(InputError, match=message):
        resolve_query(str(rq))


def test_a_directory_is_no_query_file(tmp_path):
    folder = tmp_path / "dir.rq"
    folder.mkdir()
    with pytest.raises(InputError, match="directory"):
        resolve_query(str(folder))


def test_parameter_errors():
    store = open_store(MINI)
    with pytest.raises(InputError, match="missing parameter 'body'"):
        run_query(store, "commitments-of", {})
    with pytest.raises(InputError, match=r"unknown parameter 'bdy'.*body"):
        run_query(store, "commitments-of", {"body": "ATDC", "bdy": "x"})
    with pytest.raises(InputError, match=r"unknown parameter 'x'.*none"):
        run_query(store, "bodies", {"x": "1"})


def test_malformed_sparql_names_the_line(tmp_path):
    store = open_store(MINI)
    with pytest.raises(InputError) as caught:
        run_query(store, "SELECT ?x WHERE {\n  ?x ?y }")
    assert str(caught.value) == "<query>:2:10: syntax error after '}'"
    rq = tmp_path / "broken.rq"
    # An unknown prefix is found before the engine sees the text: its first use.
    rq.write_text("# title: broken\nSELECT ?x WHERE {\n  ?x foo:y ?z }\n", encoding="utf-8")
    with pytest.raises(InputError) as caught_file:
        run_query(store, str(rq))
    assert str(caught_file.value) == f"{rq}:3:6: unknown prefix 'foo:'"


# --- formatting -----------------------------------------------------------------------------


def test_a_broken_packaged_query_is_a_query_error():
    broken = replace(resolve_query("bodies"), text="SELECT ?x WHERE {")
    with pytest.raises(QueryError, match=r"^syntax error after '\{'$"):
        run_query(open_store(MINI), broken)


def test_format_table():
    table = Table(["a", "b", "c"], [(IRI(ID + "x"), None, True), ('say "hi", then\ttab', 2, 1.5)])
    assert format_table(table, "csv") == f'a,b,c\n{ID}x,,true\n"say ""hi"", then\ttab",2,1.5\n'
    assert format_table(table, "tsv").splitlines()[1] == f"{ID}x\t\ttrue"
    assert json.loads(format_table(table, "json")) == [
        {"a": ID + "x", "b": None, "c": True},
        {"a": 'say "hi", then\ttab', "b": 2, "c": 1.5},
    ]
    with pytest.raises(InputError, match="unknown format 'xml'"):
        format_table(table, "xml")


def test_doctests():
    assert doctest.testmod(kg.query).failed == 0


def test_area_headings_say_how_each_heading_was_mapped():
    graph = rdflib.Graph().parse(MINI, format="turtle")
    graph.parse(MINI.with_name("mini-headings.ttl"), format="turtle")
    for store in (OxigraphStore.from_graph(graph), RdflibStore(graph)):
        found = pick(store, "area-headings", "heading", "how", "area", "document")
        assert found == [
            ("Trade matters", "close", "Trade", "mini"),
            ("Finance", "exact", "Finance", "mini"),
            ("Culture", "new", "Culture", "mini"),
        ]
        assert pick(store, "area-headings", "heading", match="close") == [("Trade matters",)]


def test_named_queries_sort_string_literals_by_their_string():
    """Virtuoso 7.2.5 sorts a long string literal by its first characters only (in the
    seed, "... Commission of Commerce" came after "... Committee of ..."): a top-level
    ORDER BY key that holds strings is written STR(?x), which every engine sorts whole."""
    import re

    store = open_store(MINI)
    bare = []
    for named in list_queries():
        order = [x for x in named.text.splitlines() if x.startswith("ORDER BY")]
        if not order:
            continue
        params = {p.name: "Beta Commerce Commission" for p in named.params if p.required}
        if "resource" in params:
            params["resource"] = "https://w3id.org/coopkg/id/commitment/mini/63"
        table = run_query(store, named, params)
        for var in re.findall(r"(?<![\w(])\?(\w+)", order[0]):
            if var.endswith("date"):  # xsd:date (read as text here), sorted as dates
                continue
            column = (
                [r[table.columns.index(var)] for r in table.rows] if var in table.columns else []
            )
            if any(isinstance(v, str) and not isinstance(v, IRI) for v in column):
                bare.append((named.name, var))
    assert bare == [], bare


def test_sparqlwrapper_reads_every_named_query_as_a_select():
    """SPARQLWrapper guesses the query form from the first of its keywords anywhere in the
    text (as a substring: "added" is ADD, an update it sends elsewhere), after removing
    only every other line of a run of comments: a header's words must not trip it."""
    from SPARQLWrapper import SPARQLWrapper

    wrapper = SPARQLWrapper("http://127.0.0.1:9/sparql")  # never contacted
    forms = {}
    for named in list_queries():
        params = {p.name: "Beta Commerce Commission" for p in named.params if p.required}
        for text in (named.text, kg.query.bound_text(named, params)):
            wrapper.setQuery(text)
            forms[named.name] = wrapper.queryType
    assert len(forms) >= 28 and set(forms.values()) == {"SELECT"}, forms
    wrapper.setQuery("# title: Changes\n# description: what it added\nSELECT * { ?s ?p ?o }")
    assert wrapper.queryType == "ADD"  # the trap, still there in SPARQLWrapper


def test_json_rows_are_written_as_json_dumps_of_the_list_with_indent_2():
    import io
    import random
    from decimal import Decimal

    from kg.query import write_rows

    rng = random.Random(7)
    values = [None, True, False, 0, -3, 1.5, "a", 'é 中\n"\\', "", "\u2028", Decimal("1.50")]
    for _ in range(200):
        columns = [rng.choice(["a", "é", 'x"y', "a b"]) + str(i) for i in range(rng.randint(0, 4))]
        rows = [tuple(rng.choice(values) for _ in columns) for _ in range(rng.randint(0, 3))]
        buffer = io.StringIO()
        assert write_rows(columns, rows, "json", buffer) == len(rows)
        listed = [dict(zip(columns, row, strict=True)) for row in rows]
        want = json.dumps(listed, ensure_ascii=False, indent=2, default=str) + "\n"
        assert buffer.getvalue() == want
