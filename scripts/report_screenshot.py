"""Screenshot of the report for the README: `docs/report.png`.

    .venv/bin/python scripts/report_screenshot.py out/graph.ttl            # renders, then shoots
    .venv/bin/python scripts/report_screenshot.py out/report.html --section heatmap

Takes a graph file (rendered with kg.report.render_report into a temporary folder first) or
an existing report, opens it in headless Chromium with every non-file request blocked, as
the browser tests do, and writes a PNG of the top of the report or of one section (its
`id`: glance, network, areas, sides, heatmap, centrality, shared, signed, commitments).
Chromium: $COOPKG_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium.
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
        sys.exit("report_screenshot: no chromium (set COOPKG_CHROMIUM or apt-get install chromium)")
    return found


def shoot(report: Path, out: Path, section: str | None, width: int, height: int) -> None:
    blocked: list[str] = []
    errors: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_ARGS))
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route("**/*", block_outside(blocked))
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(report.resolve().as_uri())
        out.parent.mkdir(parents=True, exist_ok=True)
        if section:
            element = page.query_selector(f"section#{section}")
            if element is None:
                sys.exit(f"report_screenshot: the report has no section {section!r}")
            element.screenshot(path=str(out))
        else:
            page.screenshot(path=str(out))
        browser.close()
    if blocked:
        sys.exit(f"report_screenshot: the report tried to fetch {blocked}")
    if errors:
        sys.exit(f"report_screenshot: console errors {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", type=Path, help="a graph file (.ttl, .nq ...) or a report (.html)"
    )
    parser.add_argument("--out", type=Path, default=Path("docs/report.png"))
    parser.add_argument("--section", help="shoot one section (its id) instead of the top")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1400)
    args = parser.parse_args()
    if args.source.suffix == ".html":
        shoot(args.source, args.out, args.section, args.width, args.height)
    else:
        from kg.report import render_report
        from kg.store import open_store

        with tempfile.TemporaryDirectory() as tmp:
            result = render_report(open_store(args.source), tmp)
            shoot(result.html, args.out, args.section, args.width, args.height)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
