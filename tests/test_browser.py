"""The page in a real headless Chromium with the network blocked (fixtures: browser_support.py).

Every test fails if the page tried to fetch anything that is not its own file, logged a
console error, threw, or opened a dialog (which a hostile label would, if it ran).
Counts are pinned on tests/fixtures/mini.ttl (7 bodies, 4 commitments, 3 areas, 1 meeting),
where they can be checked by eye; the analyst's question is asked of the seed graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import MINI, ROOT, OfflinePage, seed_store  # noqa: F401

from kg.store import Store, open_store
from kg.viz import render_page

pytestmark = pytest.mark.browser

ID = "https://w3id.org/coopkg/id/"
HOSTILE = "Alpha Museum <script>alert(1)</script> Office"
MUSEUM = f"{ID}body/alpha-museum-script-alert-1-script-office"
ATDC = f"{ID}body/alpha-trade-development-council"
EXCHANGE = f"{ID}body/alpha-exchange"
EQUITY = f"{ID}body/beta-equity-centre"
BCC = f"{ID}body/beta-commerce-commission"
C142 = f"{ID}commitment/mini/142"
MINI_TEXT = MINI.with_suffix(".txt")
HKEX = f"{ID}body/hong-kong-exchanges-and-clearing-limited"
URL = "https://example.org/mini-plenary"

IMG = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    "Hostile Plenary\n"
    f"Support the {IMG} and the Gamma Board to publish </script><script>alert(2)</script>.\n"
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    store = open_store(MINI)
    # the mini graph, its source published at a (made-up) address
    linked = MINI.read_text(encoding="utf-8").replace(
        "coop:characterCount 609 .", f"coop:characterCount 609 ; <https://schema.org/url> <{URL}> ."
    )
    (out / "linked.ttl").write_text(linked, encoding="utf-8")
    return {
        "full": render_page(
            open_store(out / "linked.ttl"), out / "full.html", view="full", sources=MINI_TEXT
        ),
        "bare": render_page(store, out / "bare.html", view="full"),
        "focus": render_page(
            store, out / "focus.html", focus="ATDC", depth=2, view="full", sources=MINI_TEXT
        ),
        "large": render_page(
            store, out / "large.html", max_nodes=8, view="full", sources=MINI_TEXT
        ),
        "hostile": _hostile_page(out),
    }


def _hostile_page(out: Path) -> Path:
    """A body named like an <img> tag, and a quote and a source text holding </script>."""
    quote = HOSTILE_TEXT.splitlines()[1]
    start = HOSTILE_TEXT.index(quote)
    end = start + len(quote)
    (out / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    ttl = f"""
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@base <{ID}> .
<source/hostile> a coop:SourceDocument ; dcterms:title "Hostile </script> source" ;
    schema:url <javascript:alert(3)> .
<body/img> a coop:Institution ; rdfs:label "{IMG}" ; coop:kind "institution" .
<body/gamma> a coop:Agency ; rdfs:label "Gamma Board" ; coop:kind "agency" .
<area/a> rdfs:label "Area </script>" .
<span/hostile/{start}-{end}> a coop:TextSpan ; coop:inSource <source/hostile> ;
    coop:quote {_turtle_string(quote)} ; coop:startOffset {start} ; coop:endOffset {end} .
<commitment/hostile/{start}> a coop:Commitment ; rdfs:label "Support the <img" ;
    coop:area <area/a> ; coop:involves <body/img>, <body/gamma> ;
    coop:statedIn <span/hostile/{start}-{end}> .
"""
    (out / "hostile.ttl").write_text(ttl, encoding="utf-8")
    return render_page(
        open_store(out / "hostile.ttl"), out / "hostile.html", view="full", sources=out
    )


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def seed_page(seed_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("seed")
    return render_page(seed_store, out / "graph.html", sources=ROOT / "data" / "sources")


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


def details(page: OfflinePage) -> str:
    """The panel's text, a line per line shown (innerText's blank lines between blocks dropped)."""
    text = page.page.inner_text("#details-body")
    return "\n".join(line for line in text.splitlines() if line.strip())


def click_node(page: OfflinePage, node_id: str) -> None:
    """A real mouse click on the node where it is drawn."""
    x, y = page.js(
        """(id) => {
            const dom = coopkg.positionOf(id);
            const box = document.getElementById('network').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""",
        node_id,
    )
    page.page.mouse.click(x, y)


def switch_view(page: OfflinePage, key: str) -> None:
    page.page.select_option("#view", key)


# --- drawing, offline -------------------------------------------------------------------------


def test_full_page_draws_offline(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"])
    assert offline_page.js("coopkg.nodes.length") == 11  # 7 bodies + 4 commitments
    assert offline_page.js("coopkg.shownCount()") == 11
    assert offline_page.js("Object.keys(coopkg.network.getPositions()).length") == 11
    assert shown(offline_page) == "11 of 11 nodes shown"
    # the data block, vis-network, the panel, legend, labels, search, export and page: nothing else
    assert offline_page.js("document.scripts.length") == 8
    assert offline_page.js("document.documentElement.dataset.drawn") == "true"
    legend = offline_page.page.inner_text("#legend")
    assert "Government (2)" in legend and "Commitment (4)" in legend
    assert "Area at a meeting" not in legend  # only what this view draws


# --- details on click -----------------------------------------------------------------------


def test_clicking_a_body_shows_its_panel(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"])
    click_node(offline_page, BCC)
    assert selected(offline_page) == [BCC]
    panel = details(offline_page)
    assert panel.startswith("Beta Commerce Commission\nAgency · Beta")
    assert "Part of\nBeta Government" in panel
    assert "Mechanisms\nAlpha/Beta Co-operation Conference" in panel
    assert "Commitments (3)" in panel
    quotes = offline_page.js(
        "Array.from(document.querySelectorAll('#details-body button.quote'), b => b.textContent)"
    )
    assert quotes == [
        "“Support the Alpha Trade & Development Council and the Beta Commerce Commission to "
        "hold joint fairs.”",
        "“Encourage the Alpha Trade & Development Council, the Beta Equity Centre and the Beta "
        "Commerce Commission to promote trade.”",
        f"“Promote exchanges between the {HOSTILE} and the Beta Commerce Commission.”",
    ]
    items = offline_page.page.locator("#details-body li.commitment")
    first = items.nth(0).inner_text()
    assert first.startswith("Finance · Mini Plenary of the Alpha/Beta Co-operation Conference")
    assert "With: Alpha Trade & Development Council" in first
    assert "Characters 142–241 of Mini Plenary" in first
    # The parent is a link: it opens the parent's panel, with its post and memorandum.
    parent = offline_page.page.locator("#details-body dd a", has_text="Beta Government")
    assert parent.get_attribute("href") == "#body=beta-government"  # a deep link, too
    parent.click()
    panel = details(offline_page)
    assert panel.startswith("Beta Government")
    assert "Vice Mayor — Beta Two" in panel
    assert "signed “Alpha/Beta Co-operation Memorandum” (by Beta Two)" in panel
    offline_page.page.click("#back")
    assert details(offline_page).startswith("Beta Commerce Commission")


def test_clicking_a_commitment_marks_its_quote_in_the_source(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["full"])
    click_node(offline_page, C142)
    assert selected(offline_page) == [C142]
    panel = details(offline_page)
    assert panel.startswith("Commitment\nArea\nFinance\nMeeting\nMini Plenary")
    assert "Bodies\nAlpha Trade & Development Council, Beta Commerce Commission" in panel
    quote = (
        "Support the Alpha Trade & Development Council and the Beta Commerce Commission to hold "
        "joint fairs."
    )
    assert offline_page.page.inner_text("#paragraph mark") == quote
    # The published page, as a link that opens apart from this one.
    link = offline_page.page.locator("#details-body a.external")
    assert link.get_attribute("href") == URL
    assert link.get_attribute("rel") == "noopener noreferrer"
    # The whole source, with the same span marked, in the page.
    offline_page.page.get_by_role("button", name="Show it in the whole text").click()
    assert offline_page.page.inner_text("#source-text mark") == quote
    text = offline_page.js("document.getElementById('source-text').textContent")
    assert text == MINI_TEXT.read_text(encoding="utf-8")


def test_without_source_texts_the_quote_stands_alone(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["bare"])
    assert offline_page.js(f"coopkg.select({C142!r})")
    assert offline_page.page.inner_text("#paragraph mark").startswith("Support the Alpha Trade")
    assert "only the quote is shown" in details(offline_page)


# --- finding and focusing ---------------------------------------------------------------------


def test_search_focuses_selects_and_updates_the_hash(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["full"])
    search = offline_page.page.locator("#search")
    search.fill("ATDC")  # an alias; Enter submits
    search.press("Enter")
    assert selected(offline_page) == [ATDC]
    assert offline_page.page.inner_text("#search-status") == (
        "Selected: Alpha Trade & Development Council"
    )
    assert offline_page.js("location.hash") == "#body=alpha-trade-development-council"
    assert details(offline_page).startswith("Alpha Trade & Development Council")
    # its neighbourhood is highlighted, the rest dimmed: ATDC, 142, 248, BCC, BEC
    dimmed = offline_page.js(
        "coopkg.nodes.get().filter(n => n.color.background === '#eeeeee').map(n => n.id).sort()"
    )
    assert dimmed == sorted(
        [
            *(EXCHANGE, MUSEUM, f"{ID}body/alpha-government", f"{ID}body/beta-government"),
            *(f"{ID}commitment/mini/63", f"{ID}commitment/mini/379"),
        ]
    )
    # Picking a suggestion puts its whole text in the box at once, as fill() does.
    search.fill("阿尔法交易所")
    assert selected(offline_page) == [EXCHANGE]
    assert offline_page.js("location.hash") == "#body=alpha-exchange"
    # A body hidden by the filters: they are reset so that it can be shown.
    only(offline_page, "area", "Culture")
    search.fill("Beta Equity Centre")
    assert selected(offline_page) == [EQUITY]
    assert shown(offline_page) == "11 of 11 nodes shown"
    assert "filters reset" in offline_page.page.inner_text("#search-status")
    search.fill("Nobody At All")
    search.press("Enter")
    assert selected(offline_page) == [EQUITY]
    assert "Nothing matches" in offline_page.page.inner_text("#search-status")
    # Suggestions: part of a word, any case, grouped by kind; an alias names its body.
    search.fill("BE")
    suggestions = offline_page.js(
        "Array.from(document.querySelectorAll('#suggestions button'), b => b.textContent)"
    )
    assert "BEC — Beta Equity Centre" in suggestions and "Beta Equity Centre" not in suggestions
    assert "Beta Government" in suggestions
    groups = offline_page.js(
        "Array.from(document.querySelectorAll('#suggestions h4'), h => h.textContent)"
    )
    assert groups[0].startswith("Bodies (")


def test_depth_control_and_only_the_neighbourhood(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["full"])
    offline_page.js("coopkg.choose('ATDC')")
    offline_page.page.check("#only")
    # one step: its two commitments and the two bodies they involve
    assert shown(offline_page) == "5 of 11 nodes shown"
    offline_page.page.check('input[name="depth"][value="2"]')
    # two steps: also those bodies' commitments (63, 379) and their bodies (AE, museum)
    assert shown(offline_page) == "9 of 11 nodes shown"
    assert offline_page.js("location.hash") == "#body=alpha-trade-development-council&depth=2"
    offline_page.page.click("#clear-focus")
    assert shown(offline_page) == "11 of 11 nodes shown"
    assert offline_page.js("location.hash") == ""


@pytest.mark.parametrize(
    "fragment",
    [
        "body=beta-equity-centre",
        "body=https%3A%2F%2Fw3id.org%2Fcoopkg%2Fid%2Fbody%2Fbeta-equity-centre",
        "body=BEC",
    ],
)
def test_deep_link_opens_focused(
    offline_page: OfflinePage, pages: dict[str, Path], fragment: str
) -> None:
    offline_page.open(pages["full"], fragment)
    assert selected(offline_page) == [EQUITY]
    assert offline_page.js("coopkg.focus()") == EQUITY
    assert details(offline_page).startswith("Beta Equity Centre")
    assert offline_page.page.input_value("#search") == "Beta Equity Centre"
    offline_page.page.check("#only")
    assert shown(offline_page) == "6 of 11 nodes shown"  # BEC, 63, 248, AE, ATDC, BCC


def test_deep_link_with_depth_and_view(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"], "body=alpha-exchange&depth=2&view=shared")
    assert offline_page.js("coopkg.viewKey()") == "shared"
    assert selected(offline_page) == [EXCHANGE]
    assert offline_page.js("document.querySelector('input[name=depth]:checked').value") == "2"
    # a link to nothing says so, and the page still works
    offline_page.page.evaluate("location.hash = 'body=no-such-body'")
    offline_page.page.wait_for_function(
        "document.getElementById('search-status').textContent.includes('names nothing')"
    )


def test_focus_page_opens_on_the_ego_network(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["focus"])
    assert selected(offline_page) == [ATDC]
    assert offline_page.page.is_checked("#only")
    assert shown(offline_page) == "9 of 11 nodes shown"
    offline_page.page.uncheck("#only")
    assert shown(offline_page) == "11 of 11 nodes shown"


# --- filters and views ------------------------------------------------------------------------


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
    meeting = f"{ID}meeting/alpha-beta-co-operation-conference/2024-01-02"
    mechanism = f"{ID}mechanism/alpha-beta-co-operation-conference"
    # Meeting, mechanism and year: every commitment is of the one meeting, in 2024. Without
    # it no commitment passes, so no body does (while these filters are on, a body needs one).
    assert only(offline_page, "meeting") == "0 of 11 nodes shown"
    assert only(offline_page, "meeting", meeting) == "11 of 11 nodes shown"
    assert only(offline_page, "mechanism") == "0 of 11 nodes shown"
    assert only(offline_page, "mechanism", mechanism) == "11 of 11 nodes shown"
    assert only(offline_page, "year") == "0 of 11 nodes shown"
    assert only(offline_page, "year", "2024") == "11 of 11 nodes shown"
    # Agencies: BCC and its three commitments.
    assert only(offline_page, "kind", "agency") == "4 of 11 nodes shown"


def test_views_switch_and_filter(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"])
    switch_view(offline_page, "shared")
    # the five bodies that share a commitment; the two governments share none
    assert shown(offline_page) == "5 of 5 nodes shown"
    assert offline_page.js("coopkg.edges.length") == 5
    widths = offline_page.js("coopkg.edges.get().map(e => e.width).sort()")
    assert widths == [1, 1, 1, 1, 2.5]  # ATDC and BCC share two commitments
    # Solid for the pair the text states, dashed for co-mention; the legend says which.
    solid = offline_page.js("coopkg.edges.get().filter(e => !e.dashes).map(e => e.title)")
    assert len(solid) == 1 and "A partnership the text states" in solid[0]
    assert solid[0].startswith("Alpha Exchange — Beta Equity Centre")
    assert offline_page.js("coopkg.edges.get().filter(e => e.dashes).length") == 4
    legend = offline_page.page.inner_text("#legend")
    assert "Partnership the text states" in legend
    assert "Named in one commitment (co-mention)" in legend
    assert only(offline_page, "area", "Culture") == "2 of 5 nodes shown"
    offline_page.page.click("#reset")
    assert only(offline_page, "jurisdiction", "Beta") == "2 of 5 nodes shown"
    assert offline_page.js("coopkg.network.body.data.edges.length") == 1
    offline_page.page.click("#reset")

    switch_view(offline_page, "areas")
    # three area hubs and the five bodies acting in them
    assert shown(offline_page) == "8 of 8 nodes shown"
    assert "Area (3)" in offline_page.page.inner_text("#legend")
    assert "co-mention" not in offline_page.page.inner_text("#legend")  # no such edges here
    assert only(offline_page, "area", "Culture") == "3 of 8 nodes shown"
    offline_page.page.click("#reset")
    assert only(offline_page, "jurisdiction", "Beta") == "5 of 8 nodes shown"
    offline_page.page.click("#reset")

    switch_view(offline_page, "mechanism:0")
    # the meeting's column: its header, three area rows and three cells
    assert shown(offline_page) == "7 of 7 nodes shown"
    assert "Area at a meeting" in offline_page.page.inner_text("#legend")
    cell = f"{ID}meeting/alpha-beta-co-operation-conference/2024-01-02|{ID}area/finance"
    assert offline_page.js("(id) => coopkg.nodes.get(id).label", cell) == "2"
    click_node(offline_page, cell)
    assert details(offline_page).startswith("Finance at the Mini Plenary")
    assert only(offline_page, "area", "Culture") == "3 of 7 nodes shown"
    offline_page.page.click("#reset")
    # choosing a body in the grid highlights the cells of its commitments
    offline_page.js("coopkg.choose('ATDC')")
    assert sorted(selected(offline_page)) == sorted(
        [cell, f"{ID}meeting/alpha-beta-co-operation-conference/2024-01-02|{ID}area/trade"]
    )


def test_export_saves_the_view_as_png(offline_page: OfflinePage, pages: dict[str, Path]) -> None:
    offline_page.open(pages["full"])
    with offline_page.page.expect_download() as download:
        offline_page.page.click("#export")
    assert download.value.suggested_filename == "coopkg-full.png"
    href = offline_page.page.get_attribute("#export-link", "href")
    assert href is not None and href.startswith("data:image/png;base64,")
    assert len(href) > 2000  # a drawing, not an empty canvas


# --- large graphs -----------------------------------------------------------------------------


def test_a_large_graph_starts_from_a_summary_and_expands(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    # max_nodes=8: the 11-node fixture counts as large, so its summary is checkable by eye
    offline_page.open(pages["large"])
    assert offline_page.js("coopkg.viewKey()") == "areas"
    note = offline_page.page.inner_text("#view-note")
    assert "starts from a summary" in note and "left out" in note
    assert offline_page.page.is_visible("#summary")
    before = offline_page.js("coopkg.shownCount()")
    switch_view(offline_page, "full")
    start = offline_page.js("coopkg.shownCount()")
    assert shown(offline_page).endswith("of 11 nodes shown")
    assert start < 11
    # the museum is the least central body: not in the summary until it is asked for
    assert MUSEUM not in offline_page.js("coopkg.shownIds()")
    offline_page.js("(name) => coopkg.choose(name)", HOSTILE)
    assert MUSEUM in offline_page.js("coopkg.shownIds()")
    assert selected(offline_page) == [MUSEUM]
    assert offline_page.js("coopkg.shownCount()") > start
    offline_page.page.click("#summary")
    assert offline_page.js("coopkg.shownCount()") == start
    assert before > 0


# --- safety -----------------------------------------------------------------------------------


def test_hostile_names_and_quotes_are_text(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["hostile"])
    search = offline_page.page.locator("#search")
    search.fill(IMG)
    assert details(offline_page).startswith(IMG)
    quote = offline_page.page.locator("#details-body button.quote")
    assert "</script><script>alert(2)</script>" in quote.inner_text()
    quote.click()
    mark = offline_page.page.inner_text("#paragraph mark")
    assert mark == HOSTILE_TEXT.splitlines()[1]
    assert "Area </script>" in details(offline_page)
    # The source's javascript: URL is no link; its title is text.
    assert offline_page.js("document.querySelectorAll('#details-body a.external').length") == 0
    assert offline_page.js("document.querySelectorAll('a[href^=javascript]').length") == 0
    offline_page.page.get_by_role("button", name="Show it in the whole text").click()
    assert offline_page.js("document.getElementById('source-text').textContent") == HOSTILE_TEXT
    assert details(offline_page).startswith("Hostile </script> source")
    # nothing from the data became an element
    assert offline_page.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert offline_page.js("document.scripts.length") == 8
    # the tooltip of the body is text too
    x, y = offline_page.js(
        """(id) => {
            const dom = coopkg.positionOf(id);
            const box = document.getElementById('network').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""",
        f"{ID}body/img",
    )
    offline_page.page.mouse.move(x - 20, y - 20)
    offline_page.page.mouse.move(x, y, steps=5)
    tooltip = offline_page.page.wait_for_selector("div.vis-tooltip", state="visible")
    assert tooltip is not None and IMG in tooltip.inner_text()
    tags = offline_page.js(
        "Array.from(document.querySelectorAll('.vis-tooltip *'), e => e.tagName)"
    )
    assert set(tags) <= {"BR"}


def test_hostile_fixture_label_in_the_mini_graph(
    offline_page: OfflinePage, pages: dict[str, Path]
) -> None:
    offline_page.open(pages["full"])
    click_node(offline_page, MUSEUM)
    assert selected(offline_page) == [MUSEUM]
    assert details(offline_page).startswith(HOSTILE)
    assert "Not in the registry" in details(offline_page)


# --- the acceptance test ----------------------------------------------------------------------


def test_analyst_finds_who_shares_commitments_with_hkex_in_three_clicks(
    offline_page: OfflinePage,
    seed_page: Path,
    seed_store: Store,  # noqa: F811
) -> None:
    """'Which bodies share commitments with HKEX, in which area, and where is it written?'"""
    page = offline_page.page
    offline_page.open(seed_page)
    # Click 1: choose HKEX in the search box (typing its abbreviation, then Enter).
    page.locator("#search").fill("HKEX")
    page.locator("#search").press("Enter")
    assert selected(offline_page) == [HKEX]
    # Click 2: click HKEX in the drawing: the panel lists its commitments, partners and areas.
    click_node(offline_page, HKEX)
    assert selected(offline_page) == [HKEX]
    item = page.locator("#details-body li.commitment").filter(
        has_text="Chongqing Share Transfer Center"
    )
    assert item.count() == 1
    partners = item.locator("p.partners a").all_inner_texts()
    assert "Chongqing Share Transfer Center" in partners
    # Of the bodies named with it, the text pairs HKEX with the Share Transfer Center.
    assert item.locator("p.pairs a").all_inner_texts() == ["Chongqing Share Transfer Center"]
    assert item.locator(".area").inner_text() == "Finance"
    # Click 3: click the quote: the paragraph of the source with the quote marked.
    item.locator("button.quote").click()
    expected = _hkex_quote(seed_store)
    assert page.inner_text("#paragraph mark") == expected
    paragraph = page.inner_text("#paragraph")
    assert expected in paragraph
    assert "Finance" in details(offline_page)
    assert "004_938a3d0296569c86" not in paragraph  # the text, not a file name


def _hkex_quote(store: Any) -> str:
    rows = store.select(
        "PREFIX coop: <https://w3id.org/coopkg/ontology#> SELECT ?quote WHERE { ?c coop:involves "
        f"<{HKEX}>, <{ID}body/chongqing-share-transfer-center> ; coop:statedIn/coop:quote ?quote }}"
    ).rows
    assert len(rows) == 1
    return str(rows[0][0])
