"""The real `kg serve` for the page tests (test_query_page.py, test_resource_page.py), and
a browser page that may reach nothing but it."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Serving:
    base: str


@contextmanager
def served(graph: Path) -> Iterator[Serving]:
    """`kg serve GRAPH` on a free port of 127.0.0.1, for the length of the block."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "kg", "serve", str(graph), "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--timeout", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(process.stdout.readline()))
        reader.start()
        reader.join(30)
        if not first or not first[0].startswith("Serving"):
            process.kill()
            raise AssertionError(f"kg serve did not start: {process.stderr.read()[:500]}")
        yield Serving(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def sent_queries(state: LoopbackPage) -> list[str]:
    """The SPARQL texts the page POSTed to /sparql, in order."""
    found = []
    for body in state.posts:
        found += urllib.parse.parse_qs(body).get("query", [])
    return found


@dataclass
class LoopbackPage:
    """A browser page that may reach the server only: every other request is aborted and
    recorded, and every request's URL is kept to show that none left 127.0.0.1."""

    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)  # bodies POSTed to /sparql

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base + "/")]


def loopback_page(chromium: Any, base: str, color_scheme: str = "light") -> Iterator[LoopbackPage]:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, color_scheme=color_scheme
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    state = LoopbackPage(page, base)

    def route(r: Any) -> None:
        state.requests.append(r.request.url)
        if r.request.url.startswith(base + "/"):
            if r.request.url.startswith(base + "/sparql") and r.request.method == "POST":
                state.posts.append(r.request.post_data or "")
            r.continue_()
        else:
            state.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: state.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: state.errors.append(f"page error: {exc}"))
    page.on("dialog", lambda d: (state.errors.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        yield state
        assert state.blocked == [], f"the page tried to reach the network: {state.blocked}"
        assert state.outside() == [], f"requests left 127.0.0.1: {state.outside()}"
        assert state.errors == [], f"console errors: {state.errors}"
    finally:
        context.close()
