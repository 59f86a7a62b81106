"""The build pipeline: a pool gives the serial build, a cached re-run gives a fresh build,
the union checked by parts gives the union checked whole, files written from lines give
the rdflib writers' bytes."""

from __future__ import annotations

import pickle
import shutil
import sys
from pathlib import Path

import pytest

from kg import cli, ntwrite, publish
from kg.build import build_graph, write_outputs
from kg.buildcache import BuildCache
from kg.output import to_jsonld, to_nquads, to_ntriples
from kg.pool import Beside
from kg.validate import validate_graph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import PLENARIES, _yaml, release, write_corpus  # noqa: E402

RELEASES = 4
MULTI = ROOT / "tests" / "fixtures" / "multi" / "sources"
# Names the Mayor of a city that is not a side of the meeting: a warning.
DEV16 = ROOT / "tests" / "devset" / "docs" / "dev16_inner_mongolia_2018"
DOCS = RELEASES + 2 + 3 + 1


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Synthetic releases (two partners), the seed's two real ones, three releases of
    tests/fixtures/multi (two meetings of one mechanism) and one with a warning."""
    data = write_corpus(tmp_path_factory.mktemp("corpus") / "data", RELEASES)
    for path in [*(ROOT / "data" / "sources").iterdir(), *MULTI.iterdir()]:
        shutil.copy(path, data / "sources" / path.name)
    for suffix in (".txt", ".yaml"):
        shutil.copy(DEV16.with_suffix(suffix), data / "sources")
    return data


@pytest.fixture(scope="module")
def serial(corpus):
    return build_graph(corpus, jobs=1)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.parts[len(folder.parts)] not in ("store", ".cache", ".coopkg-outputs.json")
    }


def test_a_pool_gives_the_serial_build_byte_for_byte(corpus, serial, tmp_path):
    pooled = build_graph(corpus, jobs=2)
    assert len(serial.extractions) == DOCS
    assert [e.source.doc_id for e in pooled.extractions] == [
        e.source.doc_id for e in serial.extractions
    ]
    assert pooled.report == serial.report
    assert pooled.left_out == serial.left_out
    write_outputs(serial, tmp_path / "serial", ("ttl", "jsonld", "nq", "nt"))
    write_outputs(pooled, tmp_path / "pooled", ("ttl", "jsonld", "nq", "nt"))
    assert _files(tmp_path / "serial") == _files(tmp_path / "pooled")


def test_the_union_checked_by_parts_is_the_union_checked_whole(serial):
    whole = validate_graph(serial.graph)
    assert serial.report == whole
    assert [v.kind for v in whole.violations] == ["posts whose body the text does not name"]


def test_files_from_lines_are_the_rdflib_writers_bytes(serial):
    union = ntwrite.union_lines(serial.triples)
    assert "".join(union).encode() == to_ntriples(serial.graph)
    assert "".join(ntwrite.jsonld(union)).encode() == to_jsonld(serial.graph)
    assert "".join(ntwrite.nquads(serial.triples)).encode() == to_nquads(serial.graphs)
    from rdflib import Graph
    from rdflib.compare import isomorphic

    turtle = Graph().parse(data="".join(ntwrite.turtle(union)), format="turtle")
    assert isomorphic(turtle, serial.graph)


def test_files_written_in_one_pass_are_the_rdflib_writers_bytes(serial, tmp_path):
    every = {fmt: tmp_path / "all" / f"graph.{fmt}" for fmt in ("nq", "nt", "ttl", "jsonld")}
    ntwrite.write_files(serial.triples, every)
    assert every["nt"].read_bytes() == to_ntriples(serial.graph)
    assert every["jsonld"].read_bytes() == to_jsonld(serial.graph)
    assert every["nq"].read_bytes() == to_nquads(serial.graphs)
    # Without graph.nt, the JSON-LD is read back from a temporary file, then removed.
    some = {fmt: tmp_path / "some" / f"graph.{fmt}" for fmt in ("ttl", "jsonld")}
    ntwrite.write_files(serial.triples, some)
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == ["graph.jsonld", "graph.ttl"]
    for fmt in some:
        assert some[fmt].read_bytes() == every[fmt].read_bytes()


def test_jsonld_from_lines_is_the_rdflib_writers_bytes_for_awkward_literals():
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import XSD

    coop = Namespace("https://w3id.org/coopkg/ontology#")
    ids = Namespace("https://w3id.org/coopkg/id/")
    graph = Graph()
    texts = ['say "no"\\', "tab\there\nline\r", "\u2028 \x0c \x01 é 中", "", "z", "a"]
    for n, text in enumerate(texts):
        graph.add((ids[f"s{n}"], coop.label, Literal(text)))
        graph.add((ids["many"], coop.label, Literal(text, lang="en" if n % 2 else "zh-Hant")))
        graph.add((ids["many"], coop.note, Literal(text, datatype=URIRef("https://x.org/t"))))
    graph.add((ids["many"], coop.date, Literal("2024-01-02", datatype=XSD.date)))
    graph.add((ids["many"], coop.about, URIRef("https://x.org/not-in-the-context")))
    graph.add((ids["many"], RDF.type, coop.Meeting))
    graph.add((ids["many"], RDF.type, coop.Document))
    graph.add((ids["typed-only"], RDF.type, coop.Meeting))
    union = list(ntwrite.lines_of(to_ntriples(graph)))
    assert "".join(ntwrite.jsonld(union)).encode() == to_jsonld(graph)
    assert "".join(ntwrite.jsonld([])).encode() == to_jsonld(Graph())


def _build(data: Path, out: Path, capsys, *extra: str) -> str:
    args = ["--no-page", "--jobs", "1", "--times", *extra]
    code = cli.main(["build", "--no-publish", str(data), "--out", str(out), *args])
    assert code == 0
    return capsys.readouterr().err


def test_a_rerun_reuses_the_work_and_a_new_release_joins(corpus, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    out = tmp_path / "out"
    first = _build(data, out, capsys)
    assert f"kg: cache: 0 reused, {2 * DOCS} computed" in first
    again = _build(data, out, capsys)
    assert f"kg: cache: {3 * DOCS} reused, 0 computed" in again
    assert (out / "store").is_dir()

    # One more release of an existing partner: only it is extracted and checked, plus the
    # documents whose identities it changes; the result is that of a fresh build.
    _add(data, RELEASES)
    added = _build(data, out, capsys)
    line = next(x for x in added.splitlines() if x.startswith("kg: cache:"))
    reused = int(line.split()[2])
    assert reused >= DOCS  # every old extraction at least

    # A release of a partner no document named before: every other document's graph is
    # reused (a document asks about the places it names, not about all of them).
    _add(data, PLENARIES * 2)
    partner = _build(data, out, capsys)
    assert f"kg: cache: {3 * (DOCS + 1)} reused, 2 computed" in partner
    # graph.ttl and graph.jsonld copied the text of unchanged subjects (kg.ntblocks).
    assert (out / ".cache" / "graph-blocks").is_file()
    fresh = tmp_path / "fresh"
    _build(data, fresh, capsys, "--no-cache")
    assert _files(out) == _files(fresh)
    assert not (fresh / ".cache").exists()


def test_a_release_added_on_two_cores_gives_a_fresh_build(corpus, tmp_path, capsys, monkeypatch):
    # With two jobs the release is extracted and checked by a forked process while the
    # others' cache entries are read (kg.builddocs), and the analysis is made by another
    # while the page is drawn (kg.publish.start_analysis): a serial fresh build's files.
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    out = tmp_path / "out"
    build = ["build", str(data), "--out", str(out), "--jobs", "2", "--times"]
    assert cli.main(build) == 0
    _add(data, PLENARIES * 2)  # a partner no document named before
    capsys.readouterr()
    started, original = [], publish.start_analysis

    def start(*args, **kwargs):
        started.append(original(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr("kg.publish.start_analysis", start)
    assert cli.main(build) == 0
    assert len(started) == 1 and isinstance(started[0], Beside)
    err = capsys.readouterr().err
    assert f"kg: cache: {3 * DOCS} reused, 2 computed" in err
    assert "kg: analysis  " in err and "(reused)" not in err
    fresh = tmp_path / "fresh"
    assert cli.main(["build", str(data), "--out", str(fresh), "--jobs", "1", "--no-cache"]) == 0
    files = _files(out)
    assert "analysis.json" in files and "graph.html" in files and "report.html" in files
    assert files == _files(fresh)


def _add(data: Path, k: int) -> None:
    text, side = release(k)
    (data / "sources" / f"{side['id']}.txt").write_text(text, encoding="utf-8")
    meta = "".join(f"{key}: {_yaml(value)}\n" for key, value in side.items())
    (data / "sources" / f"{side['id']}.yaml").write_text(
        meta + "url: null\nlanguage: en\n", encoding="utf-8"
    )


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_registry_change_recomputes_only_the_documents_it_touches(corpus, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    out = tmp_path / "out"
    _build(data, out, capsys)
    bodies = data / "registry" / "bodies.yaml"

    # A body and a person no document names, and a comment: every document asks its
    # questions again and gets the same answers, so nothing is extracted or checked again.
    _append(bodies, "\n# reviewed\n- name: Xanadu Pleasure Dome Authority\n  kind: agency\n")
    _append(data / "registry" / "people.yaml", "\n- name: Kublai Khan\n  honorific: Mr\n")
    nowhere = _build(data, out, capsys)
    assert f"kg: cache: {3 * DOCS} reused, 0 computed" in nowhere

    # A body one document names (the seed's release of 11 May 2023) gets an alias: that
    # document alone is extracted and checked again.
    text = bodies.read_text(encoding="utf-8")
    entry = "  aliases: [Chongqing Share Transfer Centre]\n"
    assert text.count(entry) == 1
    new = entry.replace("]", ", CQSTC]")
    bodies.write_text(text.replace(entry, new), encoding="utf-8")
    one = _build(data, out, capsys)
    assert f"kg: cache: {3 * (DOCS - 1)} reused, 2 computed" in one
    assert '"CQSTC"' in (out / "graph.jsonld").read_text(encoding="utf-8")

    # A correction of a document the folder does not hold touches nothing.
    (data / "corrections" / "other.yaml").write_text(
        "document: another-release\ncorrections:\n  - id: another-release-trade\n"
        "    kind: lost_heading\n    area: Trade\n    anchor: Promote trade\n"
        "    reason: Heading lost in copying.\n    source: The release's count of areas.\n",
        encoding="utf-8",
    )
    other = _build(data, out, capsys)
    assert f"kg: cache: {3 * DOCS} reused, 0 computed" in other
    fresh = tmp_path / "fresh"
    _build(data, fresh, capsys, "--no-cache")
    assert _files(out) == _files(fresh)

    # The places are read whole (patterns made once per process): every document again.
    _append(data / "registry" / "jurisdictions.yaml", "\n# reviewed\n")
    places = _build(data, out, capsys)
    assert f"kg: cache: 0 reused, {2 * DOCS} computed" in places


def test_a_cache_entry_naming_code_is_a_miss(tmp_path):
    class Evil:
        def __reduce__(self):
            return (shutil.rmtree, (str(tmp_path / "victim"),))

    (tmp_path / "victim").mkdir()
    key = "ab" * 32
    entry = tmp_path / "cache" / "extract" / key[:2] / key
    entry.parent.mkdir(parents=True)
    entry.write_bytes(pickle.dumps(Evil()))
    assert BuildCache(tmp_path / "cache", None).get("extract", key) is None
    assert (tmp_path / "victim").is_dir()
