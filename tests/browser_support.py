"""Support for the page tests (test_viz.py, test_browser.py): an offline headless Chromium.

Loaded by conftest.py as a plugin, so its fixtures are visible to every test. The rule for
a missing browser comes from the issue: under CI (`CI` set) the browser tests always run,
so no browser is a failure; elsewhere they are skipped with the reason pytest -ra prints.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.chromium import CHROMIUM_ARGS, block_outside, find_chromium

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"


@pytest.fixture(scope="session")
def seed_store() -> Any:
    """The seed corpus (data/) built in process, as `kg build` does, in an Oxigraph store."""
    from kg.build import build_graph
    from kg.store import OxigraphStore

    result = build_graph(ROOT / "data")
    assert result.report.conforms
    return OxigraphStore.from_graph(result.graph)


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def no_browser(reason: str) -> None:
    """Fail under CI, skip (with the reason, shown by -ra) on a machine without a browser."""
    if under_ci():
        pytest.fail(f"browser tests must run under CI, but {reason}", pytrace=False)
    pytest.skip(f"no browser on this machine: {reason} (under CI=true this fails)")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium, launched once per session through Playwright's sync API."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("the playwright package is not installed")
    path = find_chromium()
    if path is None:
        no_browser("no chromium found (set COOPKG_CHROMIUM, or apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OfflinePage:
    """A page whose every non-file request is aborted and recorded, with what went wrong."""

    page: Any
    attempted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path, fragment: str = "") -> None:
        self.page.goto(path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        # page.js sets this after vis-network's first "afterDrawing"
        self.page.wait_for_function("window.coopkg !== undefined && window.coopkg.drawn === true")

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@pytest.fixture
def offline_page(chromium: Any) -> Iterator[OfflinePage]:
    yield from offline(chromium, 1280, 800)


@pytest.fixture
def screen_page(chromium: Any) -> Iterator[OfflinePage]:
    """The page at 1280x720, the size the first screen is judged at."""
    yield from offline(chromium, 1280, 720)


@pytest.fixture
def phone_page(chromium: Any) -> Iterator[OfflinePage]:
    yield from offline(chromium, 390, 844)


def offline(chromium: Any, width: int, height: int) -> Iterator[OfflinePage]:
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    state = OfflinePage(page)

    def on_dialog(dialog: Any) -> None:
        state.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.route("**/*", block_outside(state.attempted))
    page.on("console", lambda m: state.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: state.errors.append(f"page error: {exc}"))
    page.on("dialog", on_dialog)
    try:
        yield state
        assert state.attempted == [], f"the page tried to reach the network: {state.attempted}"
        assert state.errors == [], f"console errors: {state.errors}"
        assert state.dialogs == [], f"a dialog opened (script ran from data?): {state.dialogs}"
    finally:
        context.close()
