"""kg.publish: the analysis, report and exports a build publishes, made again only when
the graph (or the code) changed, and never reused from files someone rewrote since."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.buildcache import CACHE_DIR
from kg.publish import STAMP, page_key, publish, reuse_page, stamp_page
from kg.store import open_store

MINI = Path(__file__).parent / "fixtures" / "mini.ttl"


def _run(folder: Path, previous: Path | None, graph: str = "g1"):
    folder.mkdir()
    return publish(open_store(MINI), folder, previous, folder / CACHE_DIR, graph)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and CACHE_DIR not in p.parts
    }


def test_made_once_then_linked_while_the_graph_is_the_same(tmp_path):
    first = _run(tmp_path / "a", None)
    assert first.reused == []
    names = {p.relative_to(tmp_path / "a").as_posix() for p in first.paths}
    assert {"analysis.json", "report.html", "graph.nt", "report/centrality.csv"} <= names
    assert set(_files(tmp_path / "a")) == names
    stamp = json.loads((tmp_path / "a" / CACHE_DIR / STAMP).read_text(encoding="utf-8"))
    assert sorted(stamp) == ["analysis", "exports", "report"]

    second = _run(tmp_path / "b", tmp_path / "a")
    assert second.reused == ["analysis", "report", "exports"]
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    assert os.path.samefile(tmp_path / "a" / "report.html", tmp_path / "b" / "report.html")


def test_a_rewritten_file_is_made_again_not_reused(tmp_path):
    _run(tmp_path / "a", None)
    want = (tmp_path / "a" / "analysis.json").read_bytes()
    # As `kg analyze --pairs co-mention --out` would leave it: same name, other content.
    (tmp_path / "a" / "analysis.json").unlink()
    (tmp_path / "a" / "analysis.json").write_text("{}", encoding="utf-8")
    again = _run(tmp_path / "b", tmp_path / "a")
    assert again.reused == ["report", "exports"]
    assert (tmp_path / "b" / "analysis.json").read_bytes() == want


def test_another_graph_makes_everything_again(tmp_path):
    _run(tmp_path / "a", None)
    other = _run(tmp_path / "b", tmp_path / "a", graph="g2")
    assert other.reused == []
    assert not os.path.samefile(tmp_path / "a" / "graph.nt", tmp_path / "b" / "graph.nt")


def test_without_a_cache_nothing_is_kept_or_reused(tmp_path):
    _run(tmp_path / "a", None)
    (tmp_path / "b").mkdir()
    done = publish(open_store(MINI), tmp_path / "b", tmp_path / "a", None, "g1")
    assert done.reused == []
    assert not (tmp_path / "b" / CACHE_DIR).exists()


def test_derived_values_are_made_once_per_frozen_store_only(tmp_path):
    import rdflib

    from kg.diskstore import write_store
    from kg.store import OxigraphStore, derived

    graph = rdflib.Graph().parse(MINI, format="turtle")
    folder = write_store({"https://w3id.org/coopkg/id/graph/mini": graph}, tmp_path / "store")
    calls: list[int] = []
    for store, want in ((OxigraphStore.from_folder(folder), 1), (open_store(MINI), 3)):
        calls.clear()
        for _ in range(3):
            derived(store, "x", lambda: calls.append(1) or len(calls))
        assert len(calls) == want


def test_the_exports_are_forked_once_the_caller_settled_beside_the_analysis(tmp_path, monkeypatch):
    """The exports' process runs beside the analysis (the caller's own process done first),
    and is done before the report forks the drawing of its charts: two at once."""
    import kg.publish

    events: list[str] = []
    real = kg.publish.Beside

    class Beside:
        def __init__(self, func, jobs):
            written = (tmp_path / "out" / "analysis.json").is_file()
            events.append(
                f"fork exports ({jobs} jobs)" + (" after the analysis" if written else "")
            )
            self.real = real(func, jobs)

        def result(self):
            events.append("exports done" + (" before the report" if not report() else ""))
            return self.real.result()

    def report() -> bool:
        return (tmp_path / "out" / "report.html").is_file()

    monkeypatch.setattr(kg.publish, "Beside", Beside)
    (tmp_path / "out").mkdir()
    done = publish(
        open_store(MINI),
        tmp_path / "out",
        None,
        None,
        "g",
        jobs=2,
        settle=lambda: events.append("settle"),
    )
    assert events[:3] == ["settle", "fork exports (2 jobs)", "exports done before the report"]
    assert (tmp_path / "out" / "graph.graphml").is_file() and done.reused == []


@pytest.mark.parametrize(
    ("busy_for", "want"),
    [
        # Busy throughout: analysis and report here, the exports here once it has ended.
        (99, ["report 1 job", "settle", "exports here"]),
        # Busy during the analysis only: the exports are forked beside the report.
        (1, ["settle", "fork exports (2 jobs)", "report 1 job", "exports done"]),
    ],
)
def test_while_the_callers_work_runs_nothing_waits_for_it(tmp_path, monkeypatch, busy_for, want):
    """While the caller's process still writes (the build's store and graph files), the
    analysis and the report are made at once, with no process of their own; the files
    are those of a run that waited."""
    import kg.publish

    events: list[str] = []
    real_beside, real_report, real_exports = (
        kg.publish.Beside,
        kg.publish._report,
        kg.publish._exports,
    )

    class Beside:
        def __init__(self, func, jobs):
            events.append(f"fork exports ({jobs} jobs)")
            self.real = real_beside(func, jobs)

        def result(self):
            events.append("exports done")
            return self.real.result()

    def report(store, stage, pdf, analysis, jobs=1):
        events.append(f"report {jobs} job{'s' if jobs > 1 else ''}")
        return real_report(store, stage, pdf, analysis, jobs)

    def exports(store, stage):
        events.append("exports here")
        return real_exports(store, stage)

    asked = []

    def busy() -> bool:
        asked.append(1)
        return len(asked) <= busy_for

    monkeypatch.setattr(kg.publish, "Beside", Beside)
    monkeypatch.setattr(kg.publish, "_report", report)
    monkeypatch.setattr(kg.publish, "_exports", exports)
    for name, kwargs in (
        ("busy", {"settle": lambda: events.append("settle"), "busy": busy}),
        ("plain", {}),
    ):
        (tmp_path / name).mkdir()
        events.clear()
        publish(open_store(MINI), tmp_path / name, None, None, "g", jobs=2, **kwargs)
        if name == "busy":
            assert events == want
    for path in sorted((tmp_path / "plain").rglob("*")):
        if path.is_file():
            assert (tmp_path / "busy" / path.relative_to(tmp_path / "plain")).read_bytes() == (
                path.read_bytes()
            ), path.name


def test_a_large_graphs_exports_are_written_here_after_the_report(tmp_path, monkeypatch):
    import kg.publish

    store = open_store(MINI)
    jobs: list[int] = []
    real = kg.publish.Beside

    def beside(func, n):
        jobs.append(n)
        return real(func, n)

    monkeypatch.setattr(kg.publish, "Beside", beside)
    monkeypatch.setattr(kg.publish, "FORK_EXPORTS_UP_TO", len(store) - 1)
    (tmp_path / "out").mkdir()
    done = publish(store, tmp_path / "out", None, None, "g", jobs=2)
    assert jobs == [1]  # not forked: result() writes them here
    assert (tmp_path / "out" / "graph.graphml").is_file() and done.reused == []


def _page(folder: Path, previous: Path | None, key: str) -> Path | None:
    """The build's page step: reused, else "drawn" (here, the key written) and stamped."""
    folder.mkdir()
    page = reuse_page(folder, previous, key)
    if page is None:
        page = folder / "graph.html"
        page.write_text(f"<p>{key}</p>", encoding="utf-8")
    stamp_page(folder / CACHE_DIR, key, page)
    return page


def test_the_page_is_linked_while_its_graph_texts_and_code_are_the_same(tmp_path):
    key = page_key("g1", {"doc-a": "Hong Kong and Beihai agreed.", "doc-b": "Text B"})
    assert key == page_key("g1", {"doc-b": "Text B", "doc-a": "Hong Kong and Beihai agreed."})
    _page(tmp_path / "a", None, key)
    again = _page(tmp_path / "b", tmp_path / "a", key)
    assert os.path.samefile(again, tmp_path / "a" / "graph.html")
    # Another graph, or one text changed (a page embeds the texts), draws it anew.
    for other in (page_key("g2", {"doc-a": "x"}), page_key("g1", {"doc-a": "Hong Kong."})):
        assert other != key
        assert reuse_page(tmp_path / "c", tmp_path / "b", other) is None
    # A stamp that names another file is not followed.
    stamp = tmp_path / "b" / CACHE_DIR / "page.json"
    real = stamp.read_text(encoding="utf-8")
    stamp.write_text(real.replace('"graph.html"', '"../a/graph.html"'), encoding="utf-8")
    assert reuse_page(tmp_path / "c", tmp_path / "b", key) is None
    assert not (tmp_path / "c").exists()
    stamp.write_text(real, encoding="utf-8")
    # A page someone rewrote since is drawn anew, not linked.
    (tmp_path / "b" / "graph.html").unlink()
    (tmp_path / "b" / "graph.html").write_text("<p>edited</p>", encoding="utf-8")
    drawn = _page(tmp_path / "c", tmp_path / "b", key)
    assert drawn.read_text(encoding="utf-8") == f"<p>{key}</p>"
    assert not os.path.samefile(drawn, tmp_path / "b" / "graph.html")
