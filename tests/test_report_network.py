"""The report's "Who works with whom" (kg/report_network.py): the page's "Bodies that share
commitments" view drawn from the same positions, its CSVs the figure's data, the same SVG
every time. The page's PNG export of the same picture: tests/test_picture_browser.py."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import matplotlib
import pytest

from kg.build import build_graph
from kg.report import ReportResult, _charts, gather, render_report
from kg.report_charts import _RC, _wrap
from kg.report_network import LABELS, chart_network, network_data
from kg.store import OxigraphStore, Store, open_store
from kg.viz_data import gather_page_data
from kg.viz_views import build_views

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"


@pytest.fixture(scope="module")
def seed_store() -> Store:
    return OxigraphStore.from_graph(build_graph(ROOT / "data").graph)


@pytest.fixture(scope="module")
def seed(seed_store: Store, tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    return render_report(seed_store, tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    return render_report(open_store(MINI), tmp_path_factory.mktemp("mini"))


def rows(result: ReportResult, name: str) -> list[dict[str, str]]:
    text = (result.html.parent / "report" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def figure(result: ReportResult) -> str:
    html = result.html.read_text(encoding="utf-8")
    found = re.search(r'<figure id="fig-network".*?</figure>', html, re.S)
    assert found, "no network figure"
    return found.group(0)


def test_the_figure_is_the_pages_shared_view(seed: ReportResult, seed_store: Store) -> None:
    data = gather_page_data(seed_store)
    view = next(v for v in build_views(data) if v.key == "shared")
    nodes = rows(seed, "who_works_with_whom")
    edges = rows(seed, "who_works_with_whom_edges")
    assert (len(nodes), len(edges)) == (len(view.nodes), len(view.edges)) == (28, 22)
    # every body at the page's position and size
    placed = {data.bodies[n.ref].label: (n.x, n.y, n.size) for n in view.nodes}
    assert {r["body"]: (float(r["x"]), float(r["y"]), float(r["size"])) for r in nodes} == placed
    # ranked as the page ranks its labels: size, then edges
    keys = [(-float(r["size"]), -int(r["edges"])) for r in nodes]
    assert keys == sorted(keys) and [r["rank"] for r in nodes] == [str(i) for i in range(1, 29)]
    assert nodes[0]["body"] == "Chongqing scientific research institutions"
    assert {r["side"] for r in nodes} == {"home", "partner"}
    stated = sum(e.stated for e in view.edges)
    assert sum(r["basis"] == "stated" for r in edges) == stated == 22
    # the names drawn are among the first LABELS, and each is in the SVG as text
    svg = figure(seed)
    named = [r for r in nodes if r["labelled"] == "true"]
    assert 20 <= len(named) <= LABELS
    assert all(int(r["rank"]) <= LABELS for r in named)
    for r in named:
        first = _wrap(r["body"], 24).splitlines()[0]
        assert f">{first}</text>" in svg, first
    caption = re.search(r"<figcaption>(.*?)</figcaption>", svg, re.S)
    assert caption
    text = caption.group(1)
    assert "The 28 bodies that share at least one commitment and the 22 pairs" in text
    # counted as kg stats counts: bodies, programmes and events apart
    assert "Left out: 13 bodies and 4 programmes and events that share no commitment." in text
    assert f"Names: {len(named)} of the 25 most connected" in text
    assert "explorer page" in text
    # the legend: both sides with their counts, the line that is drawn
    assert ">Hong Kong (14)</text>" in svg and ">Chongqing (14)</text>" in svg
    assert ">Partnership the text states (22)</text>" in svg
    assert "Named in one commitment" not in svg  # the seed has no co-mention


def test_lines_are_solid_where_stated_and_dashed_for_co_mention(mini: ReportResult) -> None:
    edges = rows(mini, "who_works_with_whom_edges")
    assert (edges[0]["body_a"], edges[0]["body_b"], edges[0]["basis"]) == (
        "Alpha Exchange", "Beta Equity Centre", "stated",
    )  # fmt: skip
    assert [r["basis"] for r in edges].count("co-mention") == 4
    svg = figure(mini)
    dashed = re.findall(r"<path [^>]*stroke-dasharray[^>]*>", svg)
    # four dashed pairs drawn, and one dashed key in the legend, all in the page's light grey
    assert len(dashed) == 5 and all('stroke="#b0b0b0"' in p for p in dashed)
    solid = [p for p in re.findall(r"<path [^>]*>", svg) if 'stroke="#555555"' in p]
    assert solid and not any("stroke-dasharray" in p for p in solid)
    # the hostile name is text, escaped once (wrapped on lines of its own)
    assert ">&lt;script&gt;alert(1)&lt;/script&gt;</text>" in svg
    assert "<script>" not in svg
    assert "Left out: 2 bodies that share no commitment." in svg


def test_the_figure_is_the_same_every_time() -> None:
    store = open_store(MINI)
    first = _charts(gather(store))["network"].svg
    second = _charts(gather(open_store(MINI)))["network"].svg
    assert first == second
    # drawn twice from the same data, the names land in the same places
    data = gather(store)
    with matplotlib.rc_context(_RC):
        outs = []
        for _ in range(2):
            buffer = io.StringIO()
            chart_network(data).savefig(buffer, format="svg", metadata={"Date": None})
            outs.append(buffer.getvalue())
    assert outs[0] == outs[1]


def test_a_graph_where_nobody_shares_draws_a_note(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    empty = tmp_path / "alone.ttl"
    # no commitment: no pair
    empty.write_text(
        "\n".join(line for line in text.splitlines() if "commitment/" not in line), encoding="utf-8"
    )
    data = network_data(open_store(empty))
    assert data["nodes"] == [] and data["alone"] == data["bodies"] == 7
    result = render_report(open_store(empty), tmp_path / "out")
    assert "No two bodies share a commitment" in figure(result)
    assert rows(result, "who_works_with_whom") == []
