"""Finding Debian's chromium and running it with no network, for PDFs, tests and benchmarks.

No browser is ever downloaded: where there is none, callers say so.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

# As root in a container Chromium refuses its sandbox; the rest keeps it from calling out
# (this machine's network is closed, and each refused connection is noise or a delay).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


def find_chromium() -> str | None:
    """COOPKG_CHROMIUM if set, else chromium on PATH, else Debian's /usr/bin/chromium."""
    override = os.environ.get("COOPKG_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def block_outside(blocked: list[str]) -> Callable[[Any], None]:
    """A Playwright route handler: files and data URLs load, anything else is aborted and
    recorded in `blocked`, so that a page that works is proven to work offline."""

    def route(r: Any) -> None:
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    return route
