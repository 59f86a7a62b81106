"""The report in a real headless Chromium with the network blocked (fixtures: browser_support.py).

Every test fails if the report tried to fetch anything that is not its own file, logged a
console error (a style or script the CSP refused would log one), threw, or opened a dialog
(which a hostile name would, if it ran).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import MINI, OfflinePage, find_chromium, no_browser
from test_report import HOSTILE_NAME, HOSTILE_QUOTE, hostile_copy

from kg.build import build_graph
from kg.report import render_report
from kg.store import OxigraphStore, open_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHARTS = ("network", "areas", "sides", "heatmap", "centrality")
# What each chart's SVG holds once drawn: size on screen, drawn shapes, text, and the fill of
# its first bar or cell as the browser computed it (presentation attributes that the CSP let
# through). Bars are Okabe–Ito blue; the heatmap's cells are shades of blue.
CHART_FACTS = """(key) => {
  const svg = document.querySelector(`#fig-${key} svg`);
  if (!svg) return null;
  const box = svg.getBoundingClientRect();
  const fills = Array.from(svg.querySelectorAll('path'), p => getComputedStyle(p).fill);
  return {
    width: box.width, height: box.height,
    shapes: svg.querySelectorAll('path, use').length,
    texts: Array.from(svg.querySelectorAll('text'), t => t.textContent),
    title: svg.querySelector('title').textContent,
    blue: fills.includes('rgb(0, 114, 178)'),
    csv: document.querySelector(`#fig-${key} figcaption a`).getAttribute('href'),
  };
}"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    seed = OxigraphStore.from_graph(build_graph(ROOT / "data").graph)
    return {
        "mini": render_report(open_store(MINI), out / "mini").html,
        "hostile": render_report(open_store(hostile_copy(out)), out / "hostile").html,
        "seed": render_report(seed, out / "seed").html,
    }


def open_report(page: OfflinePage, path: Path) -> None:
    page.page.goto(path.resolve().as_uri())
    page.page.wait_for_load_state("load")


def chart(page: OfflinePage, key: str) -> dict[str, Any]:
    facts = page.js(CHART_FACTS, key)
    assert facts is not None, f"no chart {key}"
    return facts


@pytest.mark.parametrize("name", ["mini", "seed"])
def test_report_opens_with_every_chart_present(
    offline_page: OfflinePage, reports: dict[str, Path], name: str
) -> None:
    open_report(offline_page, reports[name])
    assert offline_page.js("document.querySelectorAll('figure svg').length") == 5
    for key in CHARTS:
        facts = chart(offline_page, key)
        assert facts["width"] > 300 and facts["height"] > 80, (key, facts)
        assert facts["shapes"] > 10 and len(facts["texts"]) > 3, key
        assert (
            facts["title"] and facts["csv"].startswith("report/") and facts["csv"].endswith(".csv")
        )
    for key in ("network", "areas", "sides", "centrality"):
        assert chart(offline_page, key)["blue"], f"{key}: its bars lost their colour"
    # the page fits the window: no chart or table runs off to the right
    assert offline_page.js("document.documentElement.scrollWidth <= window.innerWidth")
    assert offline_page.js("document.scripts.length") == 0


def test_seed_charts_name_the_areas_and_bodies(
    offline_page: OfflinePage, reports: dict[str, Path]
) -> None:
    open_report(offline_page, reports["seed"])
    areas = " ".join(chart(offline_page, "areas")["texts"])
    for area in ("Finance", "Logistics", "Education", "Youth Development"):
        assert area in areas
    heatmap = chart(offline_page, "heatmap")["texts"]
    assert "Hong Kong Exchanges and Clearing Limited" in heatmap
    # long area names are wrapped on several lines, each a text of its own
    assert "Dispute" in heatmap and "Resolution" in heatmap
    sides = chart(offline_page, "sides")["texts"]
    assert "Hong Kong" in sides and "Chongqing" in sides


def test_hostile_text_is_displayed_literally(
    offline_page: OfflinePage, reports: dict[str, Path]
) -> None:
    open_report(offline_page, reports["hostile"])
    text = offline_page.page.inner_text("main")
    assert HOSTILE_NAME in text
    assert HOSTILE_QUOTE in text
    assert offline_page.js("document.images.length") == 0
    assert offline_page.js("document.scripts.length") == 0
    assert offline_page.js("document.querySelectorAll('[onerror]').length") == 0
    heatmap = chart(offline_page, "heatmap")["texts"]
    assert HOSTILE_NAME in heatmap  # an SVG text node, not an element
    cells = offline_page.js(
        "Array.from(document.querySelectorAll('#commitments-table td'), td => td.textContent)"
    )
    assert any(HOSTILE_QUOTE in cell for cell in cells)


def test_csv_links_reach_their_files(offline_page: OfflinePage, reports: dict[str, Path]) -> None:
    open_report(offline_page, reports["mini"])
    hrefs = offline_page.js(
        "Array.from(document.querySelectorAll('a[href$=\".csv\"]'), a => a.href)"
    )
    assert len(hrefs) == 9  # one per figure (the network: two) and per table
    for href in hrefs:
        assert href.startswith("file://")
        assert Path(href[len("file://") :]).is_file(), href


def test_print_layout_hides_the_navigation(
    offline_page: OfflinePage, reports: dict[str, Path]
) -> None:
    open_report(offline_page, reports["seed"])
    assert offline_page.js("getComputedStyle(document.querySelector('nav')).display") == "block"
    offline_page.page.emulate_media(media="print")
    assert offline_page.js("getComputedStyle(document.querySelector('nav')).display") == "none"
    assert (
        offline_page.js("getComputedStyle(document.querySelector('#fig-heatmap')).breakInside")
        == "avoid"
    )


def test_pdf_is_printed_by_chromium(tmp_path: Path) -> None:
    browser = find_chromium()
    if browser is None:
        no_browser("no chromium found to print the PDF with")
    result = render_report(open_store(MINI), tmp_path, pdf=True, chromium=browser)
    assert result.pdf == tmp_path / "report.pdf"
    data = result.pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert result.notes == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report", "report.html", "report.pdf"]
