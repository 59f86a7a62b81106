"""The page's PNG export is the report's picture (issue 9, item 6): the current view as laid
out, whatever the viewport shows, at a fixed size, on white, with names and a legend. In
headless Chromium with every non-file request blocked (browser_support.py)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from browser_support import ROOT, OfflinePage, seed_store  # noqa: F401
from PIL import Image

from kg.report_network import network_data
from kg.store import Store
from kg.viz import render_page

pytestmark = pytest.mark.browser

SIZE = (1600, 1000)  # page-export.js's WIDTH x HEIGHT
HOME, PARTNER = (0x00, 0x72, 0xB2), (0xD5, 0x5E, 0x00)  # kg.viz_styles.SIDE_COLOURS


@pytest.fixture(scope="module")
def seed_page(seed_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("picture")
    return render_page(seed_store, out / "graph.html", sources=ROOT / "data" / "sources")


def exported(page: OfflinePage) -> tuple[str, Image.Image]:
    """Click the export button: the file name offered and the PNG it holds."""
    with page.page.expect_download() as download:
        page.page.click("#export")
    href = page.page.get_attribute("#export-link", "href")
    assert href is not None and href.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1])))
    assert image.format == "PNG"
    return download.value.suggested_filename, image.convert("RGB")


def near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 8 for a, b in zip(pixel, colour, strict=True))


def census(image: Image.Image) -> dict[str, Any]:
    raw = image.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    return {
        "ink": sum(p != (255, 255, 255) for p in pixels) / len(pixels),
        "home": sum(near(p, HOME) for p in pixels),
        "partner": sum(near(p, PARTNER) for p in pixels),
        "corners": [image.getpixel(xy) for xy in ((0, 0), (SIZE[0] - 1, SIZE[1] - 1))],
    }


def test_export_is_the_whole_view_at_a_fixed_size(
    screen_page: OfflinePage,
    seed_page: Path,
    seed_store: Store,  # noqa: F811
) -> None:
    screen_page.open(seed_page)
    assert screen_page.js("coopkg.viewKey()") == "shared"
    name, image = exported(screen_page)
    assert name == "coopkg-shared.png"
    assert image.size == SIZE
    seen = census(image)
    assert seen["corners"] == [(255, 255, 255)] * 2  # on white, not transparent black
    assert 0.01 < seen["ink"] < 0.35  # a drawing with names, neither blank nor a smear
    assert seen["home"] > 500 and seen["partner"] > 500  # both sides, in their colours
    # the nodes drawn are the report's figure's: the same bodies of the same view
    report = network_data(seed_store)
    assert screen_page.js("coopkg.shownCount()") == len(report["nodes"]) == 28
    # zoomed into one corner, the viewport shows a few nodes; the export still holds them all
    screen_page.js("coopkg.network.moveTo({scale: 6, position: {x: 0, y: 0}, animation: false})")
    _, zoomed = exported(screen_page)
    assert zoomed.tobytes() == image.tobytes()


def test_export_keeps_a_title_and_a_legend(screen_page: OfflinePage, seed_page: Path) -> None:
    screen_page.open(seed_page)
    # the title above the drawing, the legend and the view's note in a band at the bottom
    picture = screen_page.js(
        """(() => { const c = coopkg.picture(); const g = c.getContext('2d');
            const band = g.getImageData(0, c.height - 150, c.width, 150).data;
            const title = g.getImageData(0, 0, c.width, 60).data;
            const ink = (d) => { let n = 0; for (let i = 0; i < d.length; i += 4) {
              if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) { n += 1; } } return n; };
            return {w: c.width, h: c.height, band: ink(band), title: ink(title)}; })()"""
    )
    assert (picture["w"], picture["h"]) == SIZE
    assert picture["band"] > 2000 and picture["title"] > 500


def test_export_of_a_filtered_focus_draws_what_is_shown(
    screen_page: OfflinePage, seed_page: Path
) -> None:
    screen_page.open(seed_page, "area=Finance")
    shown = screen_page.js("coopkg.shownCount()")
    assert 0 < shown < 28
    _, image = exported(screen_page)
    assert image.size == SIZE
    assert 0.002 < census(image)["ink"] < 0.2
    # nothing passes: the picture says so rather than being blank
    screen_page.page.goto(seed_page.resolve().as_uri() + "#area=")
    screen_page.page.wait_for_function("window.coopkg !== undefined && window.coopkg.drawn")
    assert screen_page.js("coopkg.shownCount()") == 0
    _, empty = exported(screen_page)
    assert empty.size == SIZE and census(empty)["ink"] > 0.001
