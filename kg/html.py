"""What the page and the report share: an autoescaping template environment and CSP hashes."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def template_environment() -> Environment:
    """The project's templates, autoescaped (pyvis's own environment escapes nothing)."""
    return Environment(
        loader=PackageLoader("kg", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"
