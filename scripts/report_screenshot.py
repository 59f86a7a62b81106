"""Screenshot of the report for the README: `docs/report.png`.

    .venv/bin/python scripts/report_screenshot.py out/graph.ttl            # renders, then shoots
    .venv/bin/python scripts/report_screenshot.py out/report.html --section heatmap

Takes a graph file (rendered with kg.report.render_report into a temporary folder first) or
an existing report, opens it in headless Chromium with every non-file request blocked, as
the browser tests do, and writes a PNG of the top of the report or of one section (its
`id`: glance, areas, sides, heatmap, centrality, shared, signed, commitments).
Chromium: $COOPKG_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium() -> str:
    found = os.environ.get("COOPKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).is_file():
        sys.exit(f"report_screenshot: no chromium at {found} (set COOPKG_CHROMIUM)")
    return found


def shoot(report: Path, out: Path, section: str | None, width: int, height: int) -> None:
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Route) -> None:
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route("**/*", route)
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
