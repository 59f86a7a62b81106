"""SPARQL as people type it (issue 10): prefixes, every query form, whole tables, short errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.query import open_result, run_query
from kg.sparql_text import predeclared, prepare, query_form
from kg.store import RdflibStore, open_store

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"
ALPHA = "https://w3id.org/coopkg/id/body/alpha-government"
BETA = "https://w3id.org/coopkg/id/body/beta-government"
GOVERNMENTS = "{ ?b a coop:Government ; rdfs:label ?l }"


def kg(*args: str, seed: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONHASHSEED=seed) if seed else None
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


# --- (a) prefixes --------------------------------------------------------------------------


def test_the_predeclared_prefixes_are_the_usual_twelve():
    assert list(predeclared()) == [
        "coop", "id", "org", "foaf", "skos", "prov",
        "dcterms", "schema", "rdf", "rdfs", "owl", "xsd",
    ]  # fmt: skip
    assert predeclared()["coop"] == "https://w3id.org/coopkg/ontology#"


def test_only_used_and_undeclared_prefixes_are_added_on_one_line():
    text = "PREFIX coop: <urn:mine#>\nSELECT * { ?b a coop:X ; rdfs:label ?l ; skos:altLabel ?a }"
    prepared = prepare(text)
    assert prepared.added_lines == 1
    assert prepared.text == (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + text
    )
    assert prepare("SELECT * { ?s ?p ?o }").text == "SELECT * { ?s ?p ?o }"


def test_a_prefixed_name_inside_a_string_or_iri_is_no_prefix():
    text = 'SELECT * { ?s ?p "x:y" ; <urn:z:w> ?o }'
    assert prepare(text).text == text


def test_ad_hoc_text_uses_the_predeclared_prefixes():
    table = run_query(open_store(MINI), f"SELECT ?b ?l WHERE {GOVERNMENTS} ORDER BY ?l")
    assert table.rows == [(ALPHA, "Alpha Government"), (BETA, "Beta Government")]


def test_an_undeclared_prefix_is_named_with_its_position():
    with pytest.raises(InputError) as caught:
        run_query(open_store(MINI), "SELECT ?b WHERE {\n  ?b a coop:Government ;\n     x:p ?l }")
    assert str(caught.value) == "<query>:3:6: unknown prefix 'x:'"
    proc = kg("query", "SELECT * { ?s a :Thing }", "-g", str(MINI))
    assert (proc.returncode, proc.stderr) == (2, "kg: error: <query>:1:17: unknown prefix ':'\n")


def test_a_syntax_error_after_the_added_prologue_points_into_the_users_text():
    with pytest.raises(InputError) as caught:
        run_query(open_store(MINI), "SELECT ?b WHERE {\n  ?b a coop:Government\n  FILTER( }")
    assert str(caught.value) == "<query>:3:12: syntax error after '}'"


def test_a_grammar_dump_becomes_one_short_line():
    text = "SELECT ?b WHERE { ?b a coop:Government . ?b rdfs:label 'x }"
    proc = kg("query", text, "-g", str(MINI))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and len(proc.stderr) < 120, proc.stderr
    assert proc.stderr.startswith("kg: error: <query>:1:")


# --- (b) every query form ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX ask: <urn:a#> SELECT * { ?s ask:p ?o }", "SELECT"),
        ("# CONSTRUCT in a comment\nASK { ?s ?p ?o }", "ASK"),
        ("construct { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:x>", "DESCRIBE"),
    ],
)
def test_the_query_form(text, form):
    assert query_form(text) == form


def test_ask_prints_true_or_false_and_json():
    yes = kg("query", "ASK { ?b a coop:Government }", "-g", str(MINI))
    no = kg("query", "ASK { ?b a coop:Nothing }", "-g", str(MINI))
    as_json = kg("query", "ASK { ?b a coop:Government }", "-g", str(MINI), "-f", "json")
    assert (yes.returncode, yes.stdout) == (0, "true\n")
    assert (no.returncode, no.stdout) == (0, "false\n")
    assert json.loads(as_json.stdout) == {"boolean": True}


CONSTRUCT = f"CONSTRUCT {{ ?b a coop:Government ; rdfs:label ?l }} WHERE {GOVERNMENTS}"


def test_construct_prints_turtle_by_default():
    proc = kg("query", CONSTRUCT, "-g", str(MINI))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "@prefix coop: <https://w3id.org/coopkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
        f"<{ALPHA}> a coop:Government ;\n"
        '    rdfs:label "Alpha Government" .\n\n'
        f"<{BETA}> a coop:Government ;\n"
        '    rdfs:label "Beta Government" .\n\n'
    )


def test_construct_as_ntriples_is_sorted_and_the_same_in_every_process():
    first = kg("query", CONSTRUCT, "-g", str(MINI), "-f", "nt", seed="1")
    again = kg("query", CONSTRUCT, "-g", str(MINI), "-f", "nt", seed="2")
    assert first.stdout == again.stdout
    assert first.stdout.splitlines() == [
        f"<{ALPHA}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/coopkg/ontology#Government> .",
        f'<{ALPHA}> <http://www.w3.org/2000/01/rdf-schema#label> "Alpha Government" .',
        f"<{BETA}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/coopkg/ontology#Government> .",
        f'<{BETA}> <http://www.w3.org/2000/01/rdf-schema#label> "Beta Government" .',
    ]


def test_construct_as_jsonld_is_deterministic():
    first = kg("query", CONSTRUCT, "-g", str(MINI), "-f", "jsonld", seed="1")
    again = kg("query", CONSTRUCT, "-g", str(MINI), "-f", "jsonld", seed="3")
    assert first.stdout == again.stdout
    data = json.loads(first.stdout)
    assert data["@graph"] == [
        {"@id": iri, "@type": ["coop:Government"], "rdfs:label": [{"@value": label}]}
        for iri, label in [(ALPHA, "Alpha Government"), (BETA, "Beta Government")]
    ]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_describe_runs_on_both_engines(engine):
    store = open_store(MINI) if engine == "oxigraph" else RdflibStore.from_file(MINI)
    result = open_result(store, f"DESCRIBE <{ALPHA}>", timeout=30)
    triples = list(result.rows)
    assert result.form == "DESCRIBE"
    assert (
        f"<{ALPHA}>",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        '"Alpha Government"',
    ) in triples


def test_a_graph_format_for_a_select_is_refused():
    proc = kg("query", f"SELECT * WHERE {GOVERNMENTS}", "-g", str(MINI), "-f", "nt")
    assert proc.returncode == 2
    assert proc.stderr == (
        "kg: error: <input>: --format nt is for CONSTRUCT and DESCRIBE; a SELECT gives rows\n"
    )


# --- (c) the terminal table ----------------------------------------------------------------


def test_the_table_keeps_an_iri_column_the_select_names():
    text = "SELECT ?cls (COUNT(?b) AS ?n) WHERE { ?b a ?cls } GROUP BY ?cls ORDER BY DESC(?n) ?cls"
    proc = kg("query", text, "-g", str(MINI), "--limit", "2")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1].split() == ["┃", "cls", "┃", "n", "┃"]
    assert lines[3].split() == ["│", "coop:TextSpan", "│", "9", "│"]
    assert lines[4].split() == ["│", "coop:Commitment", "│", "4", "│"]


def test_a_wide_named_query_shows_every_column_as_records():
    proc = kg("query", "commitments-of", "-g", str(MINI), "-p", "body=atdc")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:4] == [
        "Commitments of a body",
        "--- row 1 ---",
        "body_iri         id:body/alpha-trade-development-council",
        "body_label       Alpha Trade & Development Council",
    ]
    # Every column but the echo of the bound parameter (`body`), in the SELECT's order.
    names = [line.split()[0] for line in lines[2:16]]
    assert names == [
        "body_iri", "body_label", "commitment", "area", "verbs", "partners",
        "stated_partners", "meeting", "date", "quote", "start", "end", "source", "---",
    ]  # fmt: skip


# --- (d) the list, (e) body parameters -----------------------------------------------------


def test_list_shows_titles_descriptions_and_hides_internal_queries():
    from kg.query import list_queries

    internal = {q.name for q in list_queries() if q.internal}
    assert internal == {
        "body-kinds", "body-names", "stats", "page-bodies", "page-commitments",
        "page-meetings", "page-names", "page-roles", "page-sources", "page-spans",
        "resource-facts", "resource-labels", "resource-links", "resource-quotes",
    }  # fmt: skip
    proc = kg("query", "--list")
    assert proc.returncode == 0, proc.stderr
    shown = [line.split(" — ")[0] for line in proc.stdout.splitlines() if " — " in line]
    assert "commitments-of" in shown and not internal & set(shown)
    at = proc.stdout.splitlines().index("commitments-of — Commitments of a body")
    assert proc.stdout.splitlines()[at + 1] == (
        "    What one body committed to: each commitment with its area, action verbs, the other"
    )
    assert (
        "    -p min=…  the least number of shared commitments a pair needs to be listed "
        "(default: 1)\n" in proc.stdout
    )
    body = '    -p body=…  the body\'s label, alias or IRI, e.g. "HKTDC" (required)\n'
    assert body in proc.stdout


def test_a_body_parameter_that_names_no_body_says_so():
    missing = kg("query", "commitments-of", "-g", str(MINI), "-p", "body=Nonexistent Body")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == (
        "kg: error: commitments-of: no body is called 'Nonexistent Body' "
        "(`kg query bodies` lists them)\n"
    )
    typo = kg("query", "commitments-of", "-g", str(MINI), "-p", "body=alpha goverment")
    assert typo.stderr == (
        "kg: error: commitments-of: no body is called 'alpha goverment'; "
        "did you mean 'Alpha Government', 'Beta Government'?\n"
    )


def test_a_body_parameter_matches_a_label_an_alias_or_an_iri():
    store = open_store(MINI)
    by_alias = run_query(store, "commitments-of", {"body": "ATDC"})
    by_iri = run_query(store, "commitments-of", {"body": ALPHA})
    assert len(by_alias) == 2 and len(by_iri) == 0


# --- (g) conventions -----------------------------------------------------------------------


def test_python_dash_m_kg_and_kg_alone_print_the_help():
    alone = kg()
    as_module = subprocess.run(
        [sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert (alone.returncode, alone.stderr) == (0, "")
    assert alone.stdout.startswith("Usage: kg [OPTIONS] COMMAND [ARGS]...\n")
    assert alone.stdout == as_module.stdout


def test_extract_shows_the_statements_of_an_analysis_and_no_empty_tables():
    proc = kg("extract", "data/sources/000_e2277f15603da9c5.txt")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1:4] == ["areas: 0", "commitments: 0", "13 statements"]
    assert "organisation" not in proc.stdout and "signatories" not in proc.stdout
    assert sum(" sector " in line for line in lines) >= 2


def test_extract_shows_the_generic_groups_of_a_release():
    proc = kg("extract", "data/sources/004_938a3d0296569c86.txt")
    assert proc.returncode == 0, proc.stderr
    assert "generic group" in proc.stdout
    assert "Hong Kong chambers of commerce" in proc.stdout


# --- (f) the ontology and the inferred graph -----------------------------------------------

INFERRED = "<https://w3id.org/coopkg/id/graph/inferred>"


def test_with_ontology_answers_inherited_types_in_a_graph_of_their_own():
    text = "SELECT ?b WHERE { ?b a org:Organization } ORDER BY ?b"
    assert run_query(open_store(MINI), text).rows == []  # asserted facts only, by default
    store = open_store(MINI)
    assert store.add_ontology() == (420, 82)
    assert len(store) == 209 + 420 + 82
    found = [str(b).rsplit("/", 1)[1] for (b,) in run_query(store, text).rows]
    assert found == [
        "alpha-exchange", "alpha-government", "alpha-museum-script-alert-1-script-office",
        "alpha-trade-development-council", "beta-commerce-commission", "beta-equity-centre",
        "beta-government", "alpha-beta-co-operation-conference",
    ]  # fmt: skip
    # Asserted and inferred stay apart: a Government is asserted, never inferred.
    apart = f"ASK {{ GRAPH {INFERRED} {{ ?b a coop:Government }} }}"
    assert open_result(store, apart).rows.__next__() == (False,)
    agents = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {INFERRED} {{ ?b a foaf:Agent }} }}"
    assert run_query(store, agents).rows == [(10,)]


def test_with_ontology_follows_subproperties():
    store = open_store(MINI)
    store.add_ontology()
    paths = "SELECT ?p WHERE { ?p rdfs:subPropertyOf* prov:wasDerivedFrom } ORDER BY ?p"
    assert run_query(store, paths).rows == [
        ("http://www.w3.org/ns/prov#wasDerivedFrom",),
        ("https://w3id.org/coopkg/ontology#statedIn",),
    ]
    derived = f"SELECT (COUNT(*) AS ?n) {{ GRAPH {INFERRED} {{ ?s prov:wasDerivedFrom ?o }} }}"
    stated = "SELECT (COUNT(*) AS ?n) WHERE { ?s coop:statedIn ?o }"
    assert run_query(store, derived).rows == run_query(store, stated).rows == [(11,)]


def test_with_ontology_on_an_endpoint_is_one_line():
    proc = kg("query", "ASK {}", "-g", "http://127.0.0.1:9/sparql", "--with-ontology")
    assert proc.returncode == 2
    assert proc.stderr == (
        "kg: error: http://127.0.0.1:9/sparql: --with-ontology needs a graph file, "
        "not an endpoint\n"
    )
