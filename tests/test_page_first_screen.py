"""The explorer's first minute on the seed graph (issue 9), in headless Chromium at 1280x720:
labels a reader can read, both sides in view and apart, the legend without scrolling,
search that finds officials, partial words and quotes, filters that re-fit, and links that
reproduce the screen. Fixtures: browser_support.py (every non-file request is blocked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import ROOT, OfflinePage, seed_store  # noqa: F401

from kg.store import Store
from kg.viz import render_page

pytestmark = pytest.mark.browser

ID = "https://w3id.org/coopkg/id/"
HKEX = f"{ID}body/hong-kong-exchanges-and-clearing-limited"


@pytest.fixture(scope="module")
def seed_page(seed_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("first-screen")
    return render_page(seed_store, out / "graph.html", sources=ROOT / "data" / "sources")


def canvas(page: OfflinePage) -> dict[str, float]:
    return page.js("(() => { const r = document.getElementById('network').getBoundingClientRect();"
                   " return {w: r.width, h: r.height}; })()")  # fmt: skip


def test_first_screen_names_the_hubs_legibly(screen_page: OfflinePage, seed_page: Path) -> None:
    screen_page.open(seed_page)
    assert screen_page.js("coopkg.viewKey()") == "shared"
    labels = screen_page.js("coopkg.labels()")
    assert len(labels) >= 20
    assert screen_page.js("coopkg.labelPx()") == pytest.approx(14, abs=0.01)
    size = canvas(screen_page)
    boxes = [label["box"] for label in labels]
    for box in boxes:  # inside the canvas ...
        assert (
            box["x1"] >= 0 and box["x2"] <= size["w"] and box["y1"] >= 0 and box["y2"] <= size["h"]
        )
    for i, a in enumerate(boxes):  # ... and no two overlap
        for b in boxes[i + 1 :]:
            assert not (
                a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]
            )
    # the most connected bodies are among them
    texts = {label["text"] for label in labels}
    assert {"Hong Kong scientific research institutions", "Chongqing universities"} <= texts


def test_both_sides_are_drawn_apart(screen_page: OfflinePage, seed_page: Path) -> None:
    screen_page.open(seed_page)
    sides = screen_page.js(
        """(() => {
            const E = coopkg.data.entities, at = {};
            coopkg.shownIds().forEach((id) => {
                const e = E.find((x) => x.id === id);
                if (e && e.t === 'body') {
                    (at[e.side] = at[e.side] || []).push(coopkg.positionOf(id));
                }
            });
            return at;
        })()"""
    )
    assert len(sides["home"]) == 14 and len(sides["partner"]) == 14

    def mean_x(points: list[dict[str, float]]) -> float:
        return sum(p["x"] for p in points) / len(points)

    assert mean_x(sides["home"]) < mean_x(sides["partner"])  # Hong Kong on the left
    legend = screen_page.page.inner_text("#legend")
    assert "Hong Kong (14)" in legend and "Chongqing (14)" in legend
    assert "Partnership the text states (22)" in legend


def test_the_graph_fills_the_canvas(screen_page: OfflinePage, seed_page: Path) -> None:
    screen_page.open(seed_page)
    size = canvas(screen_page)
    xs, ys = spread(screen_page)
    assert xs > 0.6 * size["w"] or ys > 0.6 * size["h"]


def spread(page: OfflinePage) -> tuple[float, float]:
    points = page.js("coopkg.shownIds().map((id) => coopkg.positionOf(id))")
    xs = [p["x"] for p in points]
    ys = [p["y"] for p in points]
    return max(xs) - min(xs), max(ys) - min(ys)


def test_legend_is_in_view_without_scrolling(screen_page: OfflinePage, seed_page: Path) -> None:
    screen_page.open(seed_page)
    box = screen_page.js(
        "(() => { const r = document.getElementById('legend').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, height: r.height}; })()"
    )
    assert box["height"] > 100 and box["top"] >= 0 and box["bottom"] <= 720
    assert screen_page.js("document.getElementById('controls').scrollTop") == 0


def test_search_finds_an_official_with_posts_and_signatures(
    screen_page: OfflinePage, seed_page: Path
) -> None:
    screen_page.open(seed_page)
    search = screen_page.page.locator("#search")
    search.fill("chan kwok")  # part of the name, any case
    options = screen_page.js(
        "Array.from(document.querySelectorAll('#suggestions button'),"
        " b => [b.dataset.kind, b.textContent])"
    )
    assert options == [["person", "Chan Kwok-ki — Chief Secretary for Administration"]]
    search.press("Enter")
    text = screen_page.page.inner_text("#details-body")
    assert text.startswith("Chan Kwok-ki")
    assert "Chief Secretary for Administration" in text
    assert "Documents signed (2)" in text
    # the body of the post is highlighted in the graph
    assert screen_page.js("coopkg.network.getSelectedNodes()") == [
        f"{ID}body/government-of-the-hong-kong-special-administrative-region"
    ]


def test_search_matches_partial_words_and_quote_text(
    screen_page: OfflinePage, seed_page: Path
) -> None:
    screen_page.open(seed_page)
    hits = screen_page.js("coopkg.find('exchanges')")
    assert ["body", HKEX] in [hit[:2] for hit in hits]  # by its name or its alias
    assert any(kind == "quote" for kind, _, _ in hits)  # quotes that say "exchanges"
    # a phrase from the middle of a quote, in another case, finds its commitment
    quote, iri = screen_page.js(
        "(() => { const c = coopkg.data.entities.find((e) => e.t === 'commitment' && e.quote"
        " && e.quote.split(' ').length > 12); return [c.quote, c.id]; })()"
    )
    phrase = " ".join(quote.split()[5:10]).upper()
    screen_page.page.locator("#search").fill(phrase)
    kinds = screen_page.js(
        "Array.from(document.querySelectorAll('#suggestions button'),"
        " b => [b.dataset.kind, b.dataset.ref])"
    )
    assert ["quote", iri] in kinds
    screen_page.page.locator("#search").press("Enter")
    assert screen_page.js("document.getElementById('details-body').dataset.showing") == "commitment"


def test_a_filter_refits_and_an_empty_result_says_how_to_undo(
    screen_page: OfflinePage, seed_page: Path
) -> None:
    screen_page.open(seed_page)
    size = canvas(screen_page)
    screen_page.page.get_by_role("button", name="None area values").click()
    assert screen_page.page.is_visible("#empty")
    assert "Nothing passes the filters: area (none ticked)" in screen_page.page.inner_text("#empty")
    screen_page.page.get_by_role("button", name="Undo the last change").click()
    assert not screen_page.page.is_visible("#empty")
    assert screen_page.js("coopkg.shownCount()") == 28
    # Finance only: the few nodes left fill the canvas again, every one on screen
    screen_page.page.get_by_role("button", name="None area values").click()
    screen_page.page.check('input[data-facet="area"][value="Finance"]')
    shown = screen_page.js("coopkg.shownIds()")
    assert len(shown) == 4
    points = screen_page.js("coopkg.shownIds().map((id) => coopkg.positionOf(id))")
    assert all(0 <= p["x"] <= size["w"] and 0 <= p["y"] <= size["h"] for p in points)
    xs, _ = spread(screen_page)
    assert xs > 0.3 * size["w"]
    assert screen_page.js("location.hash") == "#area=Finance"


def test_a_link_restores_view_filters_focus_and_depth(
    screen_page: OfflinePage, seed_page: Path
) -> None:
    fragment = "body=hong-kong-exchanges-and-clearing-limited&depth=2&view=full&area=Finance"
    screen_page.open(seed_page, fragment)
    assert screen_page.js("coopkg.viewKey()") == "full"
    assert screen_page.js("coopkg.focus()") == HKEX
    assert screen_page.js("document.querySelector('input[name=depth]:checked').value") == "2"
    ticked = screen_page.js(
        "Array.from(document.querySelectorAll('input[data-facet=area]:checked'), b => b.value)"
    )
    assert ticked == ["Finance"]
    assert screen_page.js("location.hash") == "#" + fragment
    before = screen_page.js("coopkg.shownIds()")
    screen_page.page.reload()
    screen_page.page.wait_for_function(
        "window.coopkg !== undefined && window.coopkg.drawn === true"
    )
    assert screen_page.js("coopkg.shownIds()") == before
    assert screen_page.js("coopkg.focus()") == HKEX


def test_at_phone_width_the_graph_comes_first(phone_page: OfflinePage, seed_page: Path) -> None:
    phone_page.open(seed_page)
    graph: Any = phone_page.js(
        "(() => { const r = document.getElementById('network').getBoundingClientRect();"
        " return {w: r.width, h: r.height}; })()"
    )
    assert graph["w"] >= 380 and graph["h"] >= 500
    left = "document.getElementById('search').getBoundingClientRect().left"
    assert phone_page.js(left) < 0  # the controls are a closed drawer, off to the left
    phone_page.page.get_by_role("button", name="Search, legend & filters").click()
    phone_page.page.wait_for_timeout(400)
    assert phone_page.js(left) > 0
    phone_page.page.locator("#search").fill("HKEX")
    assert phone_page.page.is_visible("#details")
