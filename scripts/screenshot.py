"""Screenshots of the interactive page for the README: `docs/page*.png`, at 1280x720.

    .venv/bin/python scripts/screenshot.py out/graph.ttl --sources data/sources
    .venv/bin/python scripts/screenshot.py many/graph.ttl --out docs/page-many.png
    .venv/bin/python scripts/screenshot.py out/graph.ttl --width 390 --height 844 \
        --out docs/page-phone.png
    .venv/bin/python scripts/screenshot.py out/graph.html --select "HKTDC"

Takes a graph file (rendered with kg.viz.render_page first, with the source texts of
--sources if given) or an existing page, opens it in headless Chromium with every non-file
request blocked, as the browser tests do, chooses the body of --select (so that its panel
shows) and writes the PNG. Chromium: $COOPKG_CHROMIUM, else `chromium` on PATH, else
/usr/bin/chromium. docs/page.png is the first screen of `kg build data` (the first command
above); docs/page-many.png that of the 31 releases of tests/devset/docs ingested into a
copy of data/ (as tests/test_cli_pipeline.py does); docs/page-phone.png the seed at 390 px.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from kg.chromium import CHROMIUM_ARGS, block_outside, find_chromium


def chromium() -> str:
    found = find_chromium()
    if found is None:
        sys.exit("screenshot: no chromium (set COOPKG_CHROMIUM or apt-get install chromium)")
    return found


def shoot(page_path: Path, out: Path, select: str | None, width: int, height: int) -> None:
    blocked: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_ARGS))
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route("**/*", block_outside(blocked))
        page = context.new_page()
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("window.coopkg !== undefined && window.coopkg.drawn === true")
        if select and not page.evaluate("(name) => coopkg.choose(name)", select):
            sys.exit(f"screenshot: no body called {select!r} in the page")
        page.mouse.move(0, 0)  # no hover tooltip in the picture
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    if blocked:
        sys.exit(f"screenshot: the page tried to fetch {blocked}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a graph file (.ttl, .nq ...) or a page (.html)")
    parser.add_argument("--out", type=Path, default=Path("docs/page.png"))
    parser.add_argument(
        "--view", choices=["shared", "full", "areas", "mechanism"], default="shared"
    )
    parser.add_argument("--sources", type=Path, help="the documents' folder, e.g. data/sources")
    parser.add_argument("--select", help="a body's name or alias to select before the shot")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    args = parser.parse_args()
    if args.source.suffix == ".html":
        shoot(args.source, args.out, args.select, args.width, args.height)
        return
    from kg.store import open_store
    from kg.viz import render_page

    with tempfile.TemporaryDirectory() as tmp:
        page_path = render_page(
            open_store(args.source), Path(tmp) / "graph.html", view=args.view, sources=args.sources
        )
        shoot(page_path, args.out, args.select, args.width, args.height)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
