"""The page in a real headless Chromium with the network blocked (fixtures: browser_support.py).

Every test fails if the page tried to fetch anything that is not its own file, logged a
console error, threw, or opened a dialog (which the hostile label would, if it ran).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import MINI, OfflinePage

from kg.store import open_store
from kg.viz import render_page

pytestmark = pytest.mark.browser

ID = "https://w3id.org/coopkg/id/"
HOSTILE = "Alpha Museum <script>alert(1)</script> Office"
MUSEUM = f"{ID}body/alpha-museum-script-alert-1-script-office"
ATDC = f"{ID}body/alpha-trade-development-council"
EXCHANGE = f"{ID}body/alpha-exchange"
EQUITY = f"{ID}body/beta-equity-centre"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    store = open_store(MINI)
    return {
        "full": render_page(store, out / "full.html"),
        "shared": render_page(store, out / "shared.html", view="shared"),
        "focus": render_page(store, out / "focus.html", focus="ATDC", depth=2),
    }


def shown(page: OfflinePage) -> str:
    return page.page.inner_text("#shown")


def only(page: OfflinePage, facet: str, *values: str) -> str:
    """Untick every value of a facet but `values`; return the "N of M nodes shown" text."""
    page.page.get_by_role("button", name=f"None {facet} values").click()
    for value in values:
        page.page.check(f'input[data-facet="{facet}"][value="{value}"]')
    return shown(page)


def selected(page: OfflinePage) -> list[str]:
    return page.js("coopkg.network.getSelectedNodes()")


def test_full_page_draws_offline(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"])
    store = open_store(MINI)
    bodies = store.select(
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b <https://w3id.org/coopkg/ontology#kind> ?k }"
    ).rows[0][0]
    commitments = store.select(
        "SELECT (COUNT(?c) AS ?n) WHERE { ?c a <https://w3id.org/coopkg/ontology#Commitment> }"
    ).rows[0][0]
    assert (bodies, commitments) == (7, 4)
    assert offline_page.js("coopkg.nodes.length") == 11 == bodies + commitments
    assert offline_page.js("coopkg.shownCount()") == 11
    assert offline_page.js("Object.keys(coopkg.network.getPositions()).length") == 11
    assert shown(offline_page) == "11 of 11 nodes shown"
    assert offline_page.js("document.scripts.length") == 3  # data, vis-network, page.js
    assert offline_page.js("document.documentElement.dataset.drawn") == "true"


def test_hostile_and_chinese_names_show_as_text(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["full"])
    suggestions = offline_page.js(
        "Array.from(document.querySelectorAll('#search-names option'), o => o.value)"
    )
    assert HOSTILE in suggestions
    assert "阿尔法交易所" in suggestions and "Alpha Trade & Development Council" in suggestions
    assert HOSTILE in offline_page.js("(id) => coopkg.nodes.get(id).title", MUSEUM)

    # Hover the node: vis-network's tooltip shows the name and the quote as text.
    x, y = offline_page.js(
        """(id) => {
            const dom = coopkg.network.canvasToDOM(coopkg.network.getPosition(id));
            const box = document.getElementById('network').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""",
        MUSEUM,
    )
    offline_page.page.mouse.move(x - 20, y - 20)
    offline_page.page.mouse.move(x, y, steps=5)
    tooltip = offline_page.page.wait_for_selector("div.vis-tooltip", state="visible")
    assert tooltip is not None
    text = tooltip.inner_text()
    assert HOSTILE in text and "Promote exchanges between the " + HOSTILE in text
    # innerText turns the tooltip's newlines into <br>: the only elements it may hold
    tags = offline_page.js(
        "Array.from(document.querySelectorAll('.vis-tooltip *'), e => e.tagName)"
    )
    assert set(tags) <= {"BR"}
    assert offline_page.js("document.scripts.length") == 3  # no script element was made

    offline_page.page.mouse.click(x, y)
    assert selected(offline_page) == [MUSEUM]
    assert offline_page.page.inner_text("#details").startswith(HOSTILE)


def test_filters_combine_and_count(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"])
    # Culture: its one commitment and the two bodies in it.
    assert only(offline_page, "area", "Culture") == "3 of 11 nodes shown"
    assert only(offline_page, "area", "Finance") == "6 of 11 nodes shown"
    offline_page.page.click("#reset")
    assert shown(offline_page) == "11 of 11 nodes shown"
    # Alpha's four bodies, and the four commitments each involves one of them in.
    assert only(offline_page, "jurisdiction", "Alpha") == "8 of 11 nodes shown"
    assert only(offline_page, "area", "Culture") == "2 of 11 nodes shown"  # the museum + 1
    offline_page.page.click("#reset")
    # Governments only: no commitment involves one, and bodies need none while areas are all on.
    assert only(offline_page, "kind", "government") == "2 of 11 nodes shown"
    assert offline_page.js("coopkg.nodeView.length") == 2
    offline_page.page.uncheck('input[data-facet="kind"][value="government"]')
    assert shown(offline_page) == "0 of 11 nodes shown"
    offline_page.page.get_by_role("button", name="All kind values").click()
    assert shown(offline_page) == "11 of 11 nodes shown"


def test_shared_view_filters(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["shared"])
    assert offline_page.js("coopkg.nodes.length") == 5
    assert offline_page.js("coopkg.edges.length") == 5
    assert only(offline_page, "area", "Culture") == "2 of 5 nodes shown"
    offline_page.page.click("#reset")
    assert only(offline_page, "jurisdiction", "Beta") == "2 of 5 nodes shown"
    assert offline_page.js("coopkg.network.body.data.edges.length") == 1


def test_search_focuses_and_selects(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"])
    search = offline_page.page.locator("#search")
    search.fill("ATDC")  # an alias; Enter submits
    search.press("Enter")
    assert selected(offline_page) == [ATDC]
    status = offline_page.page.inner_text("#search-status")
    assert status == "Selected: Alpha Trade & Development Council"
    # Picking a suggestion puts its whole text in the box at once, as fill() does.
    search.fill("阿尔法交易所")
    assert selected(offline_page) == [EXCHANGE]
    # A body hidden by the filters: they are reset so that it can be shown.
    only(offline_page, "area", "Culture")
    search.fill("Beta Equity Centre")
    assert selected(offline_page) == [EQUITY]
    assert shown(offline_page) == "11 of 11 nodes shown"
    assert "filters reset" in offline_page.page.inner_text("#search-status")
    search.fill("Nobody At All")
    search.press("Enter")
    assert selected(offline_page) == [EQUITY]
    assert "No body is called" in offline_page.page.inner_text("#search-status")


def test_focus_page_selects_its_body(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["focus"])
    assert offline_page.js("coopkg.nodes.length") == 5
    assert selected(offline_page) == [ATDC]
    assert shown(offline_page) == "5 of 5 nodes shown"
