"""What `kg build` does beside its page and products: the on-disk store and the graph
files in a process of their own (the same files and the same lines when it dies), the
products keyed by a digest of the build's lines, and the graph files' shortened terms
kept from one subject to the next."""

from __future__ import annotations

import signal
from pathlib import Path

from outputs_support import published_files

from kg import cli, ntwrite
from kg.publish import triples_digest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

_A = "https://w3id.org/coopkg/id/graph/a"
_B = "https://w3id.org/coopkg/id/graph/b"
_LINE = b'<https://w3id.org/coopkg/id/body/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\n'


def test_the_digest_of_the_same_graphs_is_the_same_in_any_order():
    one = {_A: _LINE, _B: b""}
    other = {_B: b"", _A: _LINE}
    assert triples_digest(one) == triples_digest(other)
    assert len(triples_digest(one)) == 64


def test_the_digest_changes_with_a_graph_its_name_or_where_a_line_is():
    base = triples_digest({_A: _LINE, _B: b""})
    assert triples_digest({_A: _LINE, _B: _LINE}) != base  # a graph's lines
    assert triples_digest({_A: _LINE, _B + "c": b""}) != base  # a graph's name
    assert triples_digest({_A: b"", _B: _LINE}) != base  # the same line, another graph
    assert triples_digest({_A: _LINE}) != base  # an empty graph is still a graph


def _lines() -> list[str]:
    ns = "https://w3id.org/coopkg/"
    rows = [
        f"<{ns}id/body/b{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        f"<{ns}ontology#Agency> .\n"
        f'<{ns}id/body/b{i}> <http://www.w3.org/2000/01/rdf-schema#label> "Body {i}"@en .\n'
        f'<{ns}id/body/b{i}> <{ns}ontology#startOffset> "{i}"'
        "^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        for i in range(12)
    ]
    return sorted("".join(rows).splitlines(keepends=True))


def _clear() -> None:
    for memo in (ntwrite._short, ntwrite._object, ntwrite._compact, ntwrite._value_text):
        memo.cache_clear()


def test_shortened_terms_kept_in_memory_give_the_same_files():
    lines = _lines()
    _clear()
    cold_ttl, cold_json = "".join(ntwrite.turtle(lines)), "".join(ntwrite.jsonld(lines))
    assert ntwrite._short.cache_info().hits > 0  # the type and label predicates, again
    warm_ttl, warm_json = "".join(ntwrite.turtle(lines)), "".join(ntwrite.jsonld(lines))
    assert (warm_ttl, warm_json) == (cold_ttl, cold_json)
    body = '<https://w3id.org/coopkg/id/body/b3>\n    a coop:Agency ;\n    rdfs:label "Body 3"@en ;'
    assert body + '\n    coop:startOffset "3"^^xsd:integer .\n' in warm_ttl
    assert '"@id": "id:body/b3"' in warm_json and '"@language": "en"' in warm_json


_files = published_files


def test_a_writer_that_dies_leaves_its_work_to_the_build(tmp_path, monkeypatch, capsys):
    args = ["build", "--no-publish", "--no-page", "--jobs", "2", "--no-times", str(DATA)]
    assert cli.main([*args, "--out", str(tmp_path / "plain")]) == 0
    plain = capsys.readouterr().out

    from kg import diskstore

    killed: list[int] = []
    start, real_store = diskstore.StoreWriter.__init__, diskstore.write_store
    here: list[str] = []

    def started_then_killed(self, *a, **k):
        start(self, *a, **k)
        assert self._process is not None and self.files  # the store, then the graph files
        self._process.send_signal(signal.SIGKILL)
        killed.append(self._process.pid)

    def store_here(*a, **k):
        here.append("store")
        return real_store(*a, **k)

    monkeypatch.setattr(diskstore.StoreWriter, "__init__", started_then_killed)
    monkeypatch.setattr(diskstore, "write_store", store_here)
    assert cli.main([*args, "--out", str(tmp_path / "made")]) == 0
    made = capsys.readouterr().out
    assert len(killed) == 1 and here == ["store"]  # killed, then written by the build
    assert _files(tmp_path / "made") == _files(tmp_path / "plain")
    assert {"graph.ttl", "graph.jsonld", "graph.nq"} <= set(_files(tmp_path / "made"))
    assert made.replace(str(tmp_path / "made"), "OUT") == plain.replace(
        str(tmp_path / "plain"), "OUT"
    )
    assert "Top pairs by shared commitments" in made


def test_a_frozen_store_answers_a_packaged_query_once(monkeypatch):
    from kg import query
    from kg.store import open_store

    runs: list[str] = []
    real = query.iter_query

    def counted(store, named, *args, **kwargs):
        runs.append(named.name)
        return real(store, named, *args, **kwargs)

    monkeypatch.setattr(query, "iter_query", counted)
    mini = ROOT / "tests" / "fixtures" / "mini.ttl"
    bodies = query.resolve_query("bodies")
    store = open_store(mini)
    first = query.run_query(store, bodies, {})
    assert len(first) > 0
    assert len(query.run_query(store, bodies, {})) == len(first)
    assert runs == ["bodies", "bodies"]  # a store that may change: asked each time

    store.frozen = True
    once = query.run_query(store, bodies, {})
    once.rows.clear()  # each caller's own list: clearing it changes no other answer
    again = query.run_query(store, bodies, {})
    assert again.rows == first.rows and again.columns == first.columns
    assert runs == ["bodies"] * 3
    query.run_query(store, query.resolve_query("shared-commitments"), {"min": "2"})
    query.run_query(store, query.resolve_query("shared-commitments"), {"min": "2"})
    assert runs[3:] == ["shared-commitments"] * 2  # with parameters: asked each time
