"""The on-disk store (kg.diskstore): written from the seed build, read without parsing, and
everything read from it (queries, counts, exports) the same as from graph.ttl."""

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build_graph, write_outputs
from kg.cli import main
from kg.diskstore import (
    StoreWriter,
    graph_fingerprint,
    graph_sizes,
    is_store,
    open_folder,
    read_manifest,
    sorted_nquads,
    sorted_ntriples,
    write_store,
)
from kg.errors import InputError, OutputError
from kg.export import export_all
from kg.linesort import sorted_unique
from kg.outset import OutputSet
from kg.query import run_query
from kg.rdf import REGISTRY_GRAPH
from kg.stats import graph_stats
from kg.store import OxigraphStore, open_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The seed built once: graph.ttl, graph.nq and the store written from graph.nq."""
    out = tmp_path_factory.mktemp("seed") / "out"
    result = build_graph(ROOT / "data")
    write_outputs(result, out, ("ttl", "nq"))
    write_store([(None, (out / "graph.nq").read_bytes())], out / "store")
    return out, result


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
    }


def test_store_holds_graph_nq_and_is_read_without_change(seed):
    out, result = seed
    before = snapshot(out / "store")
    store = open_store(out / "store")
    assert isinstance(store, OxigraphStore) and store.read_only and not store.union
    # The named graphs are graph.nq's, line for line; the default graph is their union.
    assert b"".join(sorted_nquads(store._store)) == (out / "graph.nq").read_bytes()
    sizes = graph_sizes(store._store)
    assert sizes == {name: len(g) for name, g in result.graphs.items()}
    assert str(REGISTRY_GRAPH) in sizes
    assert len(store) == len(result.graph)
    assert graph_stats(store) == graph_stats(open_store(out / "graph.ttl"))
    assert snapshot(out / "store") == before


@pytest.mark.parametrize("name", ["shared-commitments", "commitments", "bodies", "people"])
def test_named_queries_agree_with_the_turtle(seed, name):
    out, _ = seed
    from_store = run_query(open_store(out / "store"), name, {})
    from_file = run_query(open_store(out / "graph.ttl"), name, {})
    assert len(from_store) > 0
    assert from_store == from_file


def test_rdflib_graphs_and_bytes_write_the_same_store(seed, tmp_path):
    out, result = seed
    from_graphs = write_store(result.graphs, tmp_path / "a")
    first = open_folder(from_graphs)
    assert graph_sizes(first) == graph_sizes(open_folder(out / "store"))
    name = next(n for n in result.graphs if n != str(REGISTRY_GRAPH))
    assert graph_fingerprint(first, name) == graph_fingerprint(open_folder(out / "store"), name)
    assert graph_fingerprint(first, name) != graph_fingerprint(first, str(REGISTRY_GRAPH))


def test_export_from_the_store_is_byte_identical(seed, tmp_path):
    out, _ = seed
    from_store = export_all(open_store(out / "store"), None, tmp_path / "store")
    from_file = export_all(open_store(out / "graph.ttl"), None, tmp_path / "file")
    assert [p.name for p in from_store] == [p.name for p in from_file]
    for a, b in zip(from_store, from_file, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    nt = (tmp_path / "store" / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert nt == sorted(set(nt)) and len(nt) == len(open_store(out / "graph.ttl"))


def test_external_sort_spills_and_merges_distinct_lines():
    lines = [f"{n * 7919 % 1000:04d} line\n".encode() for n in range(5000)]
    assert list(sorted_unique(lines, budget=1000)) == sorted(set(lines))
    assert list(sorted_unique([], budget=10)) == []


def test_a_folder_that_is_not_a_store_is_one_line(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x\n")
    assert main(["stats", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a coopkg store" in err
    with pytest.raises(InputError):
        open_folder(tmp_path / "missing")


def test_write_store_replaces_a_store_but_not_other_files(seed, tmp_path):
    out, _ = seed
    data = (out / "graph.nq").read_bytes()
    target = write_store([(None, data)], tmp_path / "s")
    write_store([(None, data)], target)  # a store is replaced
    assert is_store(target) and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("mine\n")
    with pytest.raises(OutputError):
        write_store([(None, data)], tmp_path / "other")
    assert (tmp_path / "other" / "keep.txt").read_text() == "mine\n"


def test_default_graph_is_the_store_when_there_is_one(seed, tmp_path, capsys, monkeypatch):
    out, _ = seed
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    # A Turtle file whose graph differs from the store's: which one was read shows.
    (tmp_path / "out" / "graph.ttl").write_text(
        "<https://x.org/a> <https://x.org/p> <https://x.org/b> .\n"
    )
    assert main(["stats", "--json"]) == 0
    assert '"triples": 1,' in capsys.readouterr().out
    write_store([(None, (out / "graph.nq").read_bytes())], tmp_path / "out" / "store")
    assert main(["stats", "--json"]) == 0
    triples = len(open_store(out / "graph.ttl"))
    assert f'"triples": {triples},' in capsys.readouterr().out


QUERY_IMPORTS = """
import sys
from kg.cli import main
code = main(["query", "shared-commitments", "--graph", sys.argv[1], "--format", "csv"])
heavy = sorted(m for m in sys.modules if m.startswith(("rdflib.plugins.sparql", "networkx",
    "pyvis", "pyshacl")))
print("HEAVY", heavy, file=sys.stderr)
sys.exit(code)
"""


def test_a_query_on_the_store_loads_no_sparql_engine_of_rdflib(seed):
    out, _ = seed
    proc = subprocess.run(
        [sys.executable, "-c", QUERY_IMPORTS, str(out / "store")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    assert proc.stdout.startswith("body_a,label_a,body_b,label_b,shared,basis,areas")
    assert len(proc.stdout.splitlines()) > 10


KILLED_BUILD = """
import os, sys
from pathlib import Path
from kg.diskstore import write_store
from kg.outset import OutputSet

data = Path(sys.argv[2]).read_bytes()

def items():
    yield None, data
    os.kill(os.getpid(), 9)  # killed while the new store is being written

with OutputSet(sys.argv[1], "build", supersede=True) as stage:
    write_store(items(), stage / "store")
"""


def test_a_killed_build_leaves_the_previous_store_whole(seed, tmp_path):
    out, _ = seed
    target = tmp_path / "out"
    with OutputSet(target, "build", supersede=True) as stage:
        write_store([(None, (out / "graph.nq").read_bytes())], stage / "store")
    before = snapshot(target / "store")
    triples = len(open_store(target / "store"))
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(target), str(out / "graph.nq")],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(target / "store") == before
    assert len(open_store(target / "store")) == triples
    # A later command carries the store over (hard links) and swaps the set whole.
    with OutputSet(target, "analyze") as stage:
        (stage / "analysis.json").write_text("{}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # the killed run's stage is gone
    assert snapshot(target / "store") == before
    assert graph_stats(open_store(target / "store"))["triples"] == triples


def dump(folder: Path) -> tuple[bytes, bytes, list[str]]:
    """A store's named graphs' quads, its default graph's triples (both sorted) and the
    names of its graphs: what two stores must share to be the same."""
    store = open_folder(folder)
    graphs = sorted(str(g) for g in store.named_graphs())
    return b"".join(sorted_nquads(store)), b"".join(sorted_ntriples(store)), graphs


def changed_corpus(triples: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Two builds' graphs: the second removes a document whose triples another states
    too, changes one (it keeps one triple another states and loses the others, half of
    them stated by a new document) and adds that new one."""
    a, b = sorted(n for n in triples if n != str(REGISTRY_GRAPH))
    lines_a = triples[a].splitlines(keepends=True)
    lines_b = triples[b].splitlines(keepends=True)
    first = dict(triples)
    first[a + "-part"] = b"".join(lines_a[::2])
    second = dict(triples)
    second[b] = b"".join(sorted([lines_b[0], lines_a[1]]))
    second[b + "-new"] = b"".join(lines_b[1::2])
    return first, second


@pytest.fixture
def any_share(monkeypatch):
    """Updates however much changed (the seed is two documents: any change is much); the
    list it gives holds what each store write's update attempt returned (an updated store
    is compacted afterwards, so it shares no file with the one it was made from)."""
    import kg.diskstore

    monkeypatch.setattr(kg.diskstore, "_UPDATE_SHARE", 1.0)
    updates: list[bool] = []
    update = kg.diskstore._update

    def recorded(*args, **kwargs):
        updates.append(update(*args, **kwargs))
        return updates[-1]

    monkeypatch.setattr(kg.diskstore, "_update", recorded)
    return updates


def test_an_updated_store_holds_what_a_fresh_one_does(seed, tmp_path, any_share):
    _, result = seed
    first, second = changed_corpus(result.triples)
    old = write_store(list(first.items()), tmp_path / "old")
    assert read_manifest(old) is not None
    before = snapshot(old)
    updated = write_store(list(second.items()), tmp_path / "new", old)
    assert any_share == [False, True]  # the first store written afresh, this one updated
    fresh = write_store(list(second.items()), tmp_path / "fresh")
    assert dump(updated) == dump(fresh)
    assert dump(updated) != dump(old)
    quads, triples, graphs = dump(updated)
    assert len(quads.splitlines()) == sum(len(d.splitlines()) for d in second.values())
    assert len(graphs) == len(second)
    assert len(triples.splitlines()) == len(b"".join(sorted_unique(
        line + b"\n" for data in second.values() for line in data.splitlines()
    )).splitlines())  # fmt: skip
    # The previous store is read, never changed: its files are as they were.
    assert snapshot(old) == before
    # Updated again (back to the first corpus): the same as written afresh.
    again = write_store(list(first.items()), tmp_path / "again", updated)
    assert any_share[-1] is True
    assert dump(again) == dump(old)
    assert read_manifest(again) == read_manifest(old)


def test_a_store_written_by_its_own_process_is_the_store_written_here(seed, tmp_path, monkeypatch):
    import kg.diskstore

    _, result = seed
    writer = StoreWriter(result.triples, tmp_path / "beside")
    here = write_store(list(result.triples.items()), tmp_path / "here")

    def not_here(*args):
        raise AssertionError("the store was written in the caller's process")

    monkeypatch.setattr(kg.diskstore, "write_store", not_here)
    assert writer.result() == tmp_path / "beside"
    monkeypatch.undo()
    assert dump(tmp_path / "beside") == dump(here)
    assert read_manifest(tmp_path / "beside") == read_manifest(here)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beside", "here"]  # file gone
    # A process that fails: the caller writes the store itself and meets write_store's
    # own error; where even the graphs' file cannot be written, the same.
    bad = StoreWriter({"http://example.org/g": b"not N-Triples\n"}, tmp_path / "bad")
    with pytest.raises(OutputError, match="line 1 is not one N-Triples statement"):
        bad.result()
    # Killed half-way (out of memory, say): what it left is removed, the store written here.
    killed = StoreWriter(result.triples, tmp_path / "killed")
    pid = killed._process.pid
    killed._process.kill()
    (tmp_path / f".killed.building-{pid}").mkdir()  # as a killed write_store leaves it
    assert killed.result() == tmp_path / "killed"
    assert not (tmp_path / f".killed.building-{pid}").exists()
    assert dump(tmp_path / "killed") == dump(here)
    shutil.rmtree(tmp_path / "killed")
    (tmp_path / "file").write_text("not a folder")
    failed = StoreWriter(result.triples, tmp_path / "file" / "store")
    with pytest.raises(OutputError) as raised:
        failed.result()
    assert str(raised.value).startswith(f"{tmp_path / 'file'}: cannot write the store: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beside", "file", "here"]


def test_a_store_without_a_manifest_is_written_afresh(seed, tmp_path, monkeypatch):
    out, result = seed
    first, second = changed_corpus(result.triples)
    old = write_store([(None, (out / "graph.nq").read_bytes())], tmp_path / "old")
    assert read_manifest(old) is None  # N-Quads do not say which graph's bytes were which
    old = write_store(list(first.items()), tmp_path / "old")
    (old / "coopkg-graphs.json").write_text('{"coopkg-store": 1, "graphs": [1]}\n')
    assert read_manifest(old) is None
    calls = []
    monkeypatch.setattr(ox.Store, "backup", lambda *a: calls.append(a))
    new = write_store(list(second.items()), tmp_path / "new", old)
    assert calls == [] and dump(new) == dump(write_store(list(second.items()), tmp_path / "f"))
    # Many changes (more than a quarter of the bytes): a fresh write is the faster.
    first[sorted(first)[0]] += first[sorted(first)[1]]
    (old / "coopkg-graphs.json").unlink()
    old = write_store(list(first.items()), tmp_path / "old")
    assert dump(write_store(list(second.items()), tmp_path / "h", old)) == dump(new)
    assert calls == []


KILLED_UPDATE = """
import os, sys
from pathlib import Path
import kg.diskstore as diskstore
from kg.outset import OutputSet

graphs = eval(Path(sys.argv[2]).read_text())

def killed(store, triple):
    os.kill(os.getpid(), 9)  # killed while the previous store's copy is being changed

diskstore._stated = killed
diskstore._UPDATE_SHARE = 1.0
with OutputSet(sys.argv[1], "build", supersede=True) as stage:
    diskstore.write_store(graphs, stage / "store", Path(sys.argv[1]) / "store")
"""


def test_a_build_killed_while_updating_leaves_the_previous_store_whole(seed, tmp_path):
    # The seed's change is large: the child updates whatever the share (as `any_share`).
    _, result = seed
    first, second = changed_corpus(result.triples)
    target = tmp_path / "out"
    with OutputSet(target, "build", supersede=True) as stage:
        write_store(list(first.items()), stage / "store")
    before, quads = snapshot(target / "store"), dump(target / "store")
    (tmp_path / "graphs.py").write_text(repr(list(second.items())))
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_UPDATE, str(target), str(tmp_path / "graphs.py")],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert snapshot(target / "store") == before
    assert dump(target / "store") == quads
