"""The built seed graph: exact answers, spans that slice their sources, byte-identical builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build_graph, write_outputs
from kg.namespace import ID
from kg.output import to_jsonld
from kg.query import resolve_query, run_query
from kg.rdf import slug
from kg.stats import graph_stats
from kg.store import OxigraphStore
from kg.validate import Report, Violation

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PREFIXES = """
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def built():
    return build_graph(DATA)


@pytest.fixture(scope="module")
def store(built):
    return OxigraphStore.from_graph(built.graph)


def test_seed_graph_conforms_to_the_shapes(built):
    assert built.report.conforms, built.report.text()


def test_stats_meet_the_issue(store):
    counts = graph_stats(store)
    assert counts["documents"] == 2
    assert counts["meetings"] == 1
    assert counts["areas"] == 11
    assert counts["memoranda"] == 4
    assert counts["people"] >= 8
    assert counts["commitments"] >= 21
    assert counts["organizations"] >= 13


def test_every_span_slices_its_source_to_its_quote(store, built):
    texts = {
        str(ID["source/" + slug(ex.source.doc_id)]): ex.source.text for ex in built.extractions
    }
    rows = store.select(
        PREFIXES
        + """SELECT ?span ?src ?quote ?start ?end WHERE {
            ?span a coop:TextSpan ; coop:inSource ?src ; coop:quote ?quote ;
                  coop:startOffset ?start ; coop:endOffset ?end }"""
    ).rows
    assert len(rows) > 40
    for _span, src, quote, start, end in rows:
        assert texts[src][start:end] == quote


def test_every_commitment_post_and_signature_has_a_span(store):
    missing = store.select(
        PREFIXES
        + """SELECT ?x WHERE {
            { ?x a coop:Commitment } UNION { ?x a coop:PostHolding } UNION { ?x a coop:Signature }
            FILTER NOT EXISTS { ?x coop:statedIn ?span }
        }"""
    )
    assert missing.rows == []


def test_chan_kwok_ki_holds_the_post_of_chief_secretary(store):
    rows = store.select(
        PREFIXES
        + """SELECT ?post WHERE {
            ?p foaf:name "Chan Kwok-ki" ; org:holds/rdfs:label ?post }"""
    ).rows
    assert ("Chief Secretary for Administration",) in rows


def test_the_four_documents_and_their_signatories(store):
    table = run_query(store, resolve_query("signatories"), {})
    titles = {row["document"] for row in table.dicts()}
    assert titles == {
        "Hong Kong/Chongqing Co-operation Conference Mechanism",
        "Co-operation Memorandum of the High-Level Meeting cum First Plenary Session of the "
        "Hong Kong/Chongqing Co-operation Conference",
        "Strategic Co-operation Memorandum between Chongqing Municipal Commission of Commerce "
        "and Hong Kong Trade Development Council",
        "Co-operation Memorandum on Innovation and Technology between Hong Kong and Chongqing",
    }
    signed = {(row["document"], row["signatory"]) for row in table.dicts() if row.get("signatory")}
    assert signed == {
        ("Hong Kong/Chongqing Co-operation Conference Mechanism", "Chan Kwok-ki"),
        ("Hong Kong/Chongqing Co-operation Conference Mechanism", "Zhang Guozhi"),
        (
            "Co-operation Memorandum of the High-Level Meeting cum First Plenary Session of "
            "the Hong Kong/Chongqing Co-operation Conference",
            "Chan Kwok-ki",
        ),
        (
            "Co-operation Memorandum of the High-Level Meeting cum First Plenary Session of "
            "the Hong Kong/Chongqing Co-operation Conference",
            "Zhang Guozhi",
        ),
    }


def test_hkex_shares_a_commitment_with_the_share_transfer_center(store):
    pairs = run_query(store, resolve_query("shared-commitments"), {}).dicts()
    found = [
        p
        for p in pairs
        if {p["label_a"], p["label_b"]}
        == {"Hong Kong Exchanges and Clearing Limited", "Chongqing Share Transfer Center"}
    ]
    assert found and found[0]["shared"] == 1
    assert "Finance" in found[0]["areas"]


def test_the_news_analysis_is_read_once(store):
    themes = store.select(
        PREFIXES
        + """SELECT ?label (COUNT(?s) AS ?n) WHERE {
            ?s a coop:Statement ; coop:statementKind "theme" ; rdfs:label ?label
        } GROUP BY ?label ORDER BY ?label"""
    ).rows
    assert themes == [("real scenarios", 1), ("strong industry", 1)]


def test_outputs_are_byte_identical_across_processes(tmp_path):
    """Two builds in fresh interpreters with different hash seeds write the same bytes."""
    script = (
        "import sys; from kg.build import build_graph, write_outputs; "
        "write_outputs(build_graph(sys.argv[1]), sys.argv[2])"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(DATA), str(out)], check=True, env=env)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == ["graph.jsonld", "graph.nq", "graph.ttl"]
    assert outputs[0] == outputs[1]


def test_a_failed_validation_writes_nothing(tmp_path, built, monkeypatch, capsys):
    """The CLI refuses to write when SHACL fails; the previous outputs stay as they were."""
    from kg import cli

    out = tmp_path / "out"
    write_outputs(built, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    # A violation no document accounts for (the registry's own graph, say).
    broken = Report(
        conforms=False,
        violations=[
            Violation(
                "https://w3id.org/coopkg/id/commitment/x",
                "https://w3id.org/coopkg/ontology#statedIn",
                "A commitment is stated in exactly one coop:TextSpan (coop:statedIn).",
                "Violation",
                rule="a commitment comes with exactly one quote",
            )
        ],
    )

    def broken_build(data, **options):
        built_copy = build_graph(data, **options)
        built_copy.report = broken
        return built_copy

    monkeypatch.setattr("kg.build.build_graph", broken_build)
    code = cli.main(["build", "--no-publish", str(DATA), "--out", str(out), "--no-page"])
    assert code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert "commitment x: a commitment comes with exactly one quote" in capsys.readouterr().err


def test_jsonld_is_valid_json_ld(built):
    import json

    import rdflib

    doc = to_jsonld(built.graph)
    graph = rdflib.Graph().parse(data=json.loads(doc), format="json-ld")
    assert len(graph) == len(built.graph)


# --- partnerships: the pairs the text states, not every two bodies of a paragraph ----------
def _stated_pairs(built) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for ex in built.extractions for c in ex.commitments
            for p in c.partnerships}  # fmt: skip


def test_the_seed_graph_has_the_airport_group_and_mtr_academy_partnerships(store):
    got = run_query(store, resolve_query("partnerships"), {}).dicts()
    talent = [(r["label_a"], r["label_b"]) for r in got if r["area"] == "Talent Exchange"]
    assert talent == [
        ("Chongqing Vocational College of Public Transportation", "Hong Kong MTR Academy"),
        ("Chongqing Airport Group", "Hong Kong International Aviation Academy"),
    ]
    assert len(got) == 23


def test_top_pairs_of_the_build_summary_are_partnerships_the_text_states(store, built):
    rows = run_query(store, resolve_query("shared-commitments"), {}).dicts()
    stated = _stated_pairs(built)
    assert [r["basis"] for r in rows[:10]] == ["stated"] * 10
    assert all(frozenset((r["label_a"], r["label_b"])) in stated for r in rows[:10])
    named = {(r["label_a"], r["label_b"]) for r in rows}
    assert ("Chongqing Airport Group", "Hong Kong MTR Academy") not in named
    assert ("Chongqing Airport Group", "Hong Kong International Aviation Academy") in named


def test_no_pair_involves_a_programme_or_an_event(store):
    kinds = {r["label"]: r["kind"] for r in run_query(store, resolve_query("bodies"), {}).dicts()}
    rows = run_query(store, resolve_query("shared-commitments"), {}).dicts()
    assert rows
    assert not [
        r for r in rows if {kinds[r["label_a"]], kinds[r["label_b"]]} & {"programme", "event"}
    ]


def test_co_mention_still_gives_every_two_bodies_a_commitment_names(store):
    rows = run_query(store, resolve_query("shared-commitments"), {"pairs": "co-mention"}).dicts()
    named = {(r["label_a"], r["label_b"]) for r in rows}
    assert len(rows) == 50  # the pairs of the query before partnerships
    assert ("Chongqing Airport Group", "Hong Kong MTR Academy") in named
    assert (
        "Belt and Road Summit",
        "Mainland Enterprises Partnership Exchange and Interface Programme",
    ) in named
    assert {r["basis"] for r in rows} == {"co-mention"}


def test_bridges_follow_the_stated_pairs(store):
    stated = run_query(store, resolve_query("bridges"), {}).dicts()
    every = run_query(store, resolve_query("bridges"), {"pairs": "co-mention"}).dicts()
    assert "Chongqing Airport Group" in {r["label"] for r in every}
    assert "Chongqing Airport Group" not in {r["label"] for r in stated}  # one partner, one side
    assert {r["label"] for r in stated} < {r["label"] for r in every}
    assert {r["basis"] for r in stated} == {"stated"}


def test_the_build_summary_says_which_pairs_are_stated(tmp_path, capsys):
    from kg import cli

    assert cli.main(["build", "--no-publish", str(DATA), "--out", str(tmp_path), "--no-page"]) == 0
    printed = capsys.readouterr().out
    summary = printed[printed.index("Top pairs") :]
    assert "basis" in summary and "stated" in summary
    assert "co-mention" not in summary.replace("then co-mentions", "")
