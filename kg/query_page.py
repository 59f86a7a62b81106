"""The query page `kg serve` answers at `/`: YASGUI's editor and results table, offline.

The page is built once from the named queries (kg/queries/*.rq, internal ones left out)
and the endpoint's path. Everything it loads comes from the server itself under
``/static/<name>`` (`QueryPage.asset`): YASGUI's built files (vendored in
kg/static/yasgui/, see the README there) and the page's own script and style. Nothing is
inline but a JSON data block, which a CSP does not run, so the page's CSP admits scripts
and styles from its own origin only and lets it fetch nothing but the endpoint's origin.

YASGUI's defaults that reach the network are off (kg/static/query-page.js): the property
and class completers (Linked Open Vocabularies), prefix.cc, the URL shortener, the CORS
proxy, the endpoint catalogue. The prefix completer offers the project's prefixes
(kg/queries/prefixes.sparql) before YASQE's bundled list.

A named query's parameters are bound the way `kg.endpoint` binds them for a remote store:
a VALUES block of N-Triples terms opening the query's first group, written by the page's
script from the form's values (escaped as N-Triples literals, or IRIs checked as
`kg.query` checks them), never pasted into the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from kg.html import csp_hash, template_environment
from kg.query import NamedQuery
from kg.resource_page import ID_BASE, LOCAL_BASE

# name under /static/ -> (file under kg/static/, content type). Nothing else is served.
ASSETS = {
    "yasgui/yasgui.min.js": ("yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
    "yasgui/yasgui.min.css": ("yasgui/yasgui.min.css", "text/css; charset=utf-8"),
    "yasgui/LICENSE": ("yasgui/LICENSE", "text/plain; charset=utf-8"),
    "query-page.js": ("query-page.js", "text/javascript; charset=utf-8"),
    "query-page.css": ("query-page.css", "text/css; charset=utf-8"),
}
_CREATE_STYLE = re.compile(r"createStyle\(\w+,`([^`$]*)`\)")
_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)


class QueryPage:
    """The query page for an endpoint at `endpoint` (a path on the same server).

    Parameters
    ----------
    queries : iterable of NamedQuery
        Usually `kg.query.list_queries()`; internal queries are left out.
    endpoint : str
        Where the page sends its queries (SPARQL 1.1 Protocol, POST).
    """

    def __init__(self, queries: Iterable[NamedQuery], endpoint: str = "/sparql") -> None:
        self.endpoint = endpoint
        self.queries = sorted((q for q in queries if not q.internal), key=lambda q: q.name)
        self._html: bytes | None = None

    def html(self) -> bytes:
        """The page, UTF-8: the same bytes for the same queries and endpoint."""
        if self._html is None:
            self._html = _render(self.queries, self.endpoint).encode("utf-8")
        return self._html

    def asset(self, name: str) -> tuple[bytes, str] | None:
        """The file the page refers to as ``/static/<name>`` and its content type; None for
        any other name (the server answers 404), so no path reaches the file system."""
        entry = ASSETS.get(name)
        if entry is None:
            return None
        path, content_type = entry
        return _static(path), content_type


@cache
def _static(path: str) -> bytes:
    return resources.files("kg").joinpath("static", *path.split("/")).read_bytes()


def project_prefixes() -> list[tuple[str, str]]:
    """The prefixes `kg query` predeclares (kg/queries/prefixes.sparql), in file order."""
    text = resources.files("kg").joinpath("queries", "prefixes.sparql").read_text("utf-8")
    return [(m[1] or "", m[2]) for m in map(_PREFIX.match, text.splitlines()) if m]


def default_query(prefixes: list[tuple[str, str]]) -> str:
    """The editor's first text: every predeclared prefix and a query that shows the bodies."""
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes]
    lines += [
        "",
        "SELECT ?body ?label ?kind WHERE {",
        "  ?body a ?class ; rdfs:label ?label ; coop:kind ?kind .",
        "}",
        "ORDER BY ?label",
        "LIMIT 25",
        "",
    ]
    return "\n".join(lines)


def _example(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title or query.name,
        "description": query.description,
        "text": query.text,
        "params": [
            {
                "name": p.name,
                "description": p.description,
                "default": p.default,
                "required": p.required,
                "choices": list(p.choices),
            }
            for p in query.params
        ],
    }


def _render(queries: list[NamedQuery], endpoint: str) -> str:
    prefixes = project_prefixes()
    examples = [_example(q) for q in queries]
    data = {
        "endpoint": endpoint,
        "idBase": ID_BASE,
        "localBase": LOCAL_BASE,
        "prefixes": dict(prefixes),
        "defaultQuery": default_query(prefixes),
        "examples": examples,
    }
    # Same-origin files and the endpoint only; the data block is JSON, not script.
    styles = " ".join(["'self'", *(csp_hash(s) for s in _injected_styles())])
    csp = (
        f"default-src 'none'; script-src 'self'; style-src {styles}; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        template_environment()
        .get_template("query.html.j2")
        .render(
            csp=csp,
            endpoint=endpoint,
            examples=examples,
            data_json=Markup(_json_for_script(data)),
        )
    )


@cache
def _injected_styles() -> tuple[str, ...]:
    """The <style> texts YASR's column resizer adds to the page: constant, so a CSP hash
    admits them without 'unsafe-inline'. Read from the vendored file, so an update of
    YASGUI keeps them admitted (or a browser test fails on a CSP error)."""
    script = _static("yasgui/yasgui.min.js").decode("utf-8")
    return tuple(m for m in _CREATE_STYLE.findall(script) if "\\" not in m)


def _json_for_script(value: Any) -> str:
    """JSON that cannot end its <script> element or open a comment, whatever it holds."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
