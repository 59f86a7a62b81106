"""The query page `kg serve` answers at / (kg.query_page): YASGUI offline, named examples."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pages_support import loopback_page, sent_queries, served

from kg.query import list_queries, parse_query, run_query
from kg.query_page import ASSETS, QueryPage, project_prefixes
from kg.sparql_text import predeclared
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"


def page_data(html: bytes) -> dict[str, Any]:
    text = html.decode("utf-8")
    block = re.search(
        r'<script type="application/json" id="coopkg-query-data">(.*?)</script>', text, re.S
    )
    assert block
    return json.loads(block.group(1))


@pytest.fixture(scope="module")
def mini() -> OxigraphStore:
    return OxigraphStore.from_file(MINI)


# --- the page as bytes -----------------------------------------------------------------


def test_the_page_offers_the_named_queries_and_hides_internal_ones() -> None:
    queries = list_queries()
    html = QueryPage(queries).html()
    text = html.decode("utf-8")
    public = [q for q in queries if not q.internal]
    internal = [q for q in queries if q.internal]
    assert {"commitments-of", "plenary-diff", "bodies"} <= {q.name for q in public}
    assert {"page-spans", "resource-facts", "stats"} <= {q.name for q in internal}
    options = re.findall(r'<option value="([^"]+)">', text)
    assert options == [q.name for q in public]
    data = page_data(html)
    assert [e["name"] for e in data["examples"]] == [q.name for q in public]
    for q in internal:
        assert f'value="{q.name}"' not in text
    plenary = next(e for e in data["examples"] if e["name"] == "plenary-diff")
    assert [p["name"] for p in plenary["params"]] == ["mechanism", "earlier", "later"]
    of_body = next(e for e in data["examples"] if e["name"] == "commitments-of")
    assert of_body["params"][0]["required"] is True
    assert 'id="param-commitments-of-body"' in text and "required" in text


def test_the_default_query_declares_the_project_prefixes() -> None:
    data = page_data(QueryPage(list_queries()).html())
    assert project_prefixes() == list(predeclared().items())
    for prefix, namespace in predeclared().items():
        assert f"PREFIX {prefix}: <{namespace}>" in data["defaultQuery"]
        assert data["prefixes"][prefix] == namespace
    assert data["endpoint"] == "/sparql"


def test_the_page_says_what_the_endpoint_is_and_ships_a_csp() -> None:
    text = QueryPage(list_queries(), endpoint="/graph/sparql").html().decode()
    assert "<title>coopkg SPARQL query</title>" in text
    assert '<code id="endpoint">/graph/sparql</code>' in text
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert csp
    policy = dict(p.strip().split(" ", 1) for p in html.unescape(csp.group(1)).split(";"))
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert "unsafe" not in csp.group(1)
    assert policy["style-src"].startswith("'self' 'sha256-")  # YASR's one constant <style>
    # No script runs from the page's own text: only the JSON block and two files.
    assert re.findall(r"<script(?: [^>]*)?>", text) == [
        '<script type="application/json" id="coopkg-query-data">',
        '<script src="/static/yasgui/yasgui.min.js">',
        '<script src="/static/query-page.js">',
    ]


def test_hostile_query_headers_are_escaped() -> None:
    evil = "</script><script>alert(1)</script><!--"
    query = replace(
        parse_query(
            f"# title: {evil}\n# description: {evil} & more\n# param: x — {evil}\nSELECT ?x {{}}"
        ),
        name="evil",
    )
    text = QueryPage([query]).html().decode()
    assert "<script>alert" not in text and "<!--" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in text
    data = page_data(text.encode())
    assert data["examples"][0]["title"] == evil
    assert data["examples"][0]["params"][0]["description"] == evil


def test_the_page_is_the_same_bytes_each_time() -> None:
    assert QueryPage(list_queries()).html() == QueryPage(list(reversed(list_queries()))).html()


def test_assets_are_served_by_name_only() -> None:
    page = QueryPage(list_queries())
    script, kind = page.asset("yasgui/yasgui.min.js") or (b"", "")
    assert kind.startswith("text/javascript") and len(script) > 500_000
    css, kind = page.asset("yasgui/yasgui.min.css") or (b"", "")
    assert kind.startswith("text/css") and b".yasqe" in css
    for name in ASSETS:
        assert page.asset(name) is not None
    for name in ("../html.py", "yasgui/../../html.py", "/etc/passwd", "page.js", "", "yasgui/"):
        assert page.asset(name) is None
    licence = (ROOT / "kg" / "static" / "yasgui" / "LICENSE").read_text()
    readme = (ROOT / "kg" / "static" / "yasgui" / "README.md").read_text()
    assert "MIT License" in licence and "@zazuko/yasgui 4.6.2" in readme
    assert '"static/yasgui/*"' in (ROOT / "pyproject.toml").read_text()


# --- in a browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_the_query_page_works_offline(chromium: Any, mini: OxigraphStore) -> None:
    """Loads with everything but 127.0.0.1 blocked, runs a named example with a parameter,
    binds hostile values as the endpoint store would, and completes a project prefix."""
    expected = run_query(mini, "commitments-of", {"body": "beta commerce commission"})
    assert len(expected) == 3
    with served(MINI) as server:
        for state in loopback_page(chromium, server.base):
            page = state.page
            page.goto(server.base + "/")
            page.wait_for_selector("body[data-ready=true]")
            assert page.locator(".CodeMirror").count() == 1
            editor = page.evaluate("window.coopkgQueryPage.yasqe.getValue()")
            assert editor.startswith("PREFIX coop: <https://w3id.org/coopkg/ontology#>\n")

            # A named example with its parameter, typed and run from the keyboard.
            page.select_option("#example", "commitments-of")
            page.fill("#param-commitments-of-body", "beta commerce commission")
            page.press("#param-commitments-of-body", "Enter")
            page.wait_for_selector("body[data-queries='1']")
            sent = sent_queries(state)[-1]
            assert 'VALUES (?body) { ("beta commerce commission") }' in sent
            cells = page.locator("#yasr table.dataTable tbody tr").all()
            assert len(cells) == len(expected)
            shown = page.locator("#yasr table.dataTable").inner_text()
            for row in expected.dicts():
                assert str(row["commitment"]).rsplit("/", 1)[-1] in shown

            # Values are N-Triples terms, whatever they hold: run what the page writes.
            for value in ('x" } ; DROP ALL #', "back\\slash \\u0022", "two\nlines\r", "'''", "名"):
                text = page.evaluate(
                    "v => window.coopkgQueryPage.withValues('SELECT ?v WHERE { }', {v: v})", value
                )
                got = run_query(mini, text)
                assert got.rows == [(value,)]
            bad = page.evaluate(
                "() => { try { window.coopkgQueryPage.withValues('SELECT ?v {}', "
                "{v: 'https://x.org/a b'}); return ''; } catch (e) { return e.message; } }"
            )
            assert "is not a valid IRI" in bad

            # The prefix completer offers the project's prefixes, from nothing but the page.
            hints = page.evaluate(
                """() => { const y = window.coopkgQueryPage.yasqe;
                   y.setValue('PREFIX coo'); y.setCursor({line: 0, ch: 10});
                   return y.autocompleters['coopkg-prefixes'].getCompletions(
                     y.getCompleteToken()).then(l => l.map(h => h.text || h)); }"""
            )
            assert "coop: <https://w3id.org/coopkg/ontology#>" in hints

            # Only completers that need nothing but the page (LOV's property and class
            # completers, which would ask the network, are off).
            enabled = page.evaluate(
                "() => { const a = window.coopkgQueryPage.yasqe.autocompleters;"
                " return Object.keys(a).filter(k => a[k]).sort(); }"
            )
            assert enabled == ["coopkg-prefixes", "variables"]

            # An instance IRI in the results links to its page on this server.
            link = page.locator("#yasr a[href*='/commitment/']").first
            link.hover()
            assert link.get_attribute("href").startswith("/id/commitment/mini/")


@pytest.mark.browser
def test_the_query_page_reads_in_the_dark(chromium: Any, mini: OxigraphStore) -> None:
    with served(MINI) as server:
        for state in loopback_page(chromium, server.base, color_scheme="dark"):
            page = state.page
            page.goto(server.base + "/")
            page.wait_for_selector("body[data-ready=true]")
            colours = page.evaluate(
                """() => [getComputedStyle(document.documentElement).backgroundColor,
                          getComputedStyle(document.body).color,
                          getComputedStyle(document.querySelector('.CodeMirror')).backgroundColor,
                          getComputedStyle(document.querySelector('.CodeMirror')).color]"""
            )
            assert colours == [
                "rgb(22, 24, 28)",
                "rgb(232, 232, 232)",
                "rgb(255, 255, 255)",
                "rgb(0, 0, 0)",
            ]
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.tagName") == "A"  # the endpoint link
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.id") == "example"
