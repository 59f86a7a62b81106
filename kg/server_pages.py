"""What kg serve answers outside /sparql: the query page and its files, a page or a
description per instance IRI (/id/...), and the files of the output folder.

The pages come from hooks (kg.server.Hooks) other modules provide; without one its path
answers 404.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from kg.answer import Reply, text_reply
from kg.bounded import QueryTimeout
from kg.static_files import read_static
from kg.workers import ServerBusy

if TYPE_CHECKING:
    from kg.server import SparqlServer


def page(server: SparqlServer, path: str, accept: str) -> Reply:
    """The reply for `path` as sent (percent-escapes kept: an /id/ path maps to its IRI
    exactly); `accept` chooses between a resource's page and its description."""
    hooks = server.hooks
    if path.startswith("/id/") and hooks.iri_of_path is not None:
        iri = hooks.iri_of_path(path)
        if iri is None:
            return text_reply(404, "no resource has this path")
        return _resource(server, iri, accept)
    path = urllib.parse.unquote(path)
    if path in ("/", "/query") and hooks.query_page is not None:
        return Reply(200, hooks.query_page.html(), "text/html; charset=utf-8")
    if path.startswith("/static/") and hooks.query_page is not None:
        found = hooks.query_page.asset(path[len("/static/") :])
        if found is not None:
            return Reply(200, found[0], found[1])
    if server.config.out_dir is not None:
        found = read_static(server.config.out_dir, path)
        if found is not None:
            return Reply(200, found[0], found[1])
    return text_reply(404, f"nothing at {path}")


def _resource(server: SparqlServer, iri: str, accept: str) -> Reply:
    from kg.results import GRAPH_TYPES, negotiate

    hooks = server.hooks
    try:
        if "text/html" not in accept and hooks.resource_graph is not None:
            media = negotiate(accept, None, "CONSTRUCT") or GRAPH_TYPES[0]
            data = hooks.resource_graph(server.store, iri, media)
            if data is not None:
                return Reply(200, data, media + "; charset=utf-8", (("Vary", "Accept"),))
        elif hooks.resource_html is not None:
            html = hooks.resource_html(server.store, iri)
            if html is not None:
                return Reply(200, html.encode(), "text/html; charset=utf-8")
    except (QueryTimeout, ServerBusy) as exc:
        return text_reply(503, str(exc))
    return text_reply(404, f"the graph says nothing of {iri}")
