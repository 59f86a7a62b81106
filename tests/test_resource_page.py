"""The resource pages and descriptions `kg serve` answers at /id/... (kg.resource_page)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import rdflib
from markupsafe import escape
from pages_support import loopback_page, served
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from kg.build import build_graph
from kg.errors import InputError
from kg.query import list_queries
from kg.resource_page import (
    GRAPH_MEDIA_TYPES,
    ID_BASE,
    MAX_LINKS,
    iri_of_path,
    local_path,
    resource_graph,
    resource_html,
)
from kg.store import OxigraphStore, RdflibStore

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"
COOP = rdflib.Namespace("https://w3id.org/coopkg/ontology#")
ID = rdflib.Namespace(ID_BASE)
LABELS = (RDFS.label, FOAF.name, DCTERMS.title, SKOS.prefLabel)
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


@pytest.fixture(scope="session")
def seed() -> tuple[rdflib.Graph, OxigraphStore]:
    """The seed corpus (data/) built in process as `kg build data` builds it."""
    result = build_graph(ROOT / "data")
    assert result.report.conforms
    return result.graph, OxigraphStore.from_graph(result.graph)


@pytest.fixture(scope="session")
def mini() -> OxigraphStore:
    return OxigraphStore.from_file(MINI)


def first_of_each_class(graph: rdflib.Graph) -> dict[str, rdflib.URIRef]:
    found: dict[str, rdflib.URIRef] = {}
    for s, cls in sorted(graph.subject_objects(RDF.type)):
        if isinstance(s, rdflib.URIRef) and str(s).startswith(ID_BASE):
            found.setdefault(str(cls), s)
    return found


def expected_label(graph: rdflib.Graph, s: rdflib.URIRef) -> str:
    for prop in LABELS:
        values = sorted(
            str(v) for v in graph.objects(s, prop) if not v.language or v.language == "en"
        )
        if values:
            return values[0]
    return str(s)[len(ID_BASE) :]


def text_of(html: str, tag: str) -> str:
    match = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S)
    assert match, f"no <{tag}>"
    return re.sub(r"<[^>]+>", "", match.group(1))


# --- local paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iri, path",
    [
        (
            ID_BASE + "body/hong-kong-trade-development-council",
            "/id/body/hong-kong-trade-development-council",
        ),
        (ID_BASE + "commitment/doc/63", "/id/commitment/doc/63"),
        (ID_BASE + "a?b#c%41", "/id/a%3Fb%23c%2541"),
        (ID_BASE + "x/../y/./z", "/id/x/%2E%2E/y/%2E/z"),
        (ID_BASE + "名/é", "/id/%E5%90%8D/%C3%A9"),
    ],
)
def test_local_path_and_back(iri: str, path: str) -> None:
    assert local_path(iri) == path
    assert iri_of_path(path) == iri


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/coopkg/ontology#Commitment",
        "https://example.org/id/body/x",
        ID_BASE,
        ID_BASE + "a b",  # no IRI holds a space
        ID_BASE + 'x"><script>',
        "javascript:alert(1)",
    ],
)
def test_other_iris_have_no_local_path(iri: str) -> None:
    assert local_path(iri) is None


@pytest.mark.parametrize("path", ["/", "/id/", "/static/x", "/id/%FF", "/id/a%20b", "/id/%3C"])
def test_paths_that_name_no_instance(path: str) -> None:
    assert iri_of_path(path) is None


# --- pages -------------------------------------------------------------------------------


def test_every_kind_of_resource_of_the_seed_has_its_page(seed: Any) -> None:
    graph, store = seed
    instances = first_of_each_class(graph)
    kinds = {str(COOP[k]) for k in ("Commitment", "Memorandum", "Meeting", "Government")}
    kinds |= {str(FOAF.Person), str(SKOS.Concept), str(COOP.CooperationMechanism)}
    assert kinds <= set(instances)
    for cls, s in instances.items():
        html = resource_html(store, str(s))
        assert html is not None, s
        assert text_of(html, "h1") == str(escape(expected_label(graph, s))), s
        assert f'title="{cls}"' in html
        facts = html.split('id="facts-title"')[1].split("</section>")[0]
        assert facts.count('<tr><th scope="row"') == len(list(graph.predicate_objects(s))), s
        for o in set(graph.objects(s, None)):
            if isinstance(o, rdflib.URIRef) and str(o).startswith(ID_BASE):
                assert f'href="{local_path(str(o))}"' in facts, (s, o)
        linked = html.split('id="links-title"')[1] if 'id="links-title"' in html else ""
        for subject in set(graph.subjects(None, s)):
            assert f'href="{local_path(str(subject))}"' in linked, (s, subject)


@pytest.mark.parametrize("kind", ["Commitment", "Memorandum"])
def test_commitments_and_documents_show_their_quotes(seed: Any, kind: str) -> None:
    graph, store = seed
    for s in sorted(graph.subjects(RDF.type, COOP[kind])):
        spans = list(graph.objects(s, COOP.statedIn))
        assert spans, s
        html = resource_html(store, str(s))
        assert html is not None
        quotes = html.split('id="quotes-title"')[1].split("</section>")[0]
        assert quotes.count("<blockquote>") == len(spans)
        for span in spans:
            quote = str(graph.value(span, COOP.quote))
            start, end = graph.value(span, COOP.startOffset), graph.value(span, COOP.endOffset)
            source = graph.value(span, COOP.inSource)
            assert f"<blockquote>{escape(quote)}</blockquote>" in quotes
            assert f"{start}–{end}" in quotes
            assert f'href="{local_path(str(source))}"' in quotes


def test_a_hostile_label_and_quote_are_text(mini: OxigraphStore) -> None:
    html = resource_html(mini, ID_BASE + "commitment/mini/379")
    assert html is not None
    assert "<script" not in html.lower()
    assert "Alpha Museum &lt;script&gt;alert(1)&lt;/script&gt; Office" in html
    body = resource_html(mini, ID_BASE + "body/alpha-museum-script-alert-1-script-office")
    assert body is not None and "<script" not in body.lower()
    assert text_of(body, "h1") == "Alpha Museum &lt;script&gt;alert(1)&lt;/script&gt; Office"


def test_hostile_terms_of_any_kind_stay_text(tmp_path: Path) -> None:
    doc = ID_BASE + "document/x"
    data = f"""
    @prefix coop: <https://w3id.org/coopkg/ontology#> .
    <{doc}> a coop:Memorandum ;
      <http://purl.org/dc/terms/title>
        "</style><script>alert(1)</script>\\"><img src=x onerror=alert(2)>" ;
      <https://schema.org/url> <javascript:alert(3)> ;
      <http://www.w3.org/2000/01/rdf-schema#seeAlso> <data:text/html,x> ;
      coop:statedIn <{ID_BASE}span/x/0-5> .
    <{ID_BASE}span/x/0-5> coop:quote "a</blockquote><script>alert(4)</script>" ;
      coop:startOffset 0 ; coop:endOffset 5 ; coop:inSource <javascript:alert(5)> .
    """
    path = tmp_path / "hostile.ttl"
    path.write_text(data.replace("\n    ", "\n"), encoding="utf-8")
    store = OxigraphStore.from_file(path)
    html = resource_html(store, doc)
    assert html is not None
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "</style><" not in html and "</blockquote><script" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("/", "http://", "https://")) for h in hrefs), hrefs
    assert "javascript:alert(3)" in html  # shown as text, never linked


def test_unknown_and_foreign_iris_have_no_page(mini: OxigraphStore) -> None:
    assert resource_html(mini, ID_BASE + "body/nobody") is None
    assert resource_html(mini, "https://example.org/body/alpha-exchange") is None
    assert resource_html(mini, ID_BASE + "body/a b") is None
    assert resource_html(mini, ID_BASE + "body/x>") is None
    assert resource_graph(mini, ID_BASE + "body/nobody", "text/turtle") is None


def test_a_resource_only_linked_to_has_a_page(mini: OxigraphStore) -> None:
    html = resource_html(mini, ID_BASE + "scheme/areas")
    assert html is not None and 'href="/id/area/finance"' in html
    assert "Linked from" in html


def test_many_links_are_cut_with_a_note(tmp_path: Path) -> None:
    target = ID_BASE + "area/busy"
    lines = [f'<{target}> <http://www.w3.org/2004/02/skos/core#prefLabel> "Busy" .']
    for n in range(MAX_LINKS + 3):
        lines.append(
            f"<{ID_BASE}commitment/d/{n:05d}> <https://w3id.org/coopkg/ontology#area> <{target}> ."
        )
    path = tmp_path / "busy.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    html = resource_html(OxigraphStore.from_file(path), target)
    assert html is not None
    assert html.count('href="/id/commitment/d/') == MAX_LINKS
    assert f"The first {MAX_LINKS} are shown" in html


def test_the_engines_give_the_same_pages(mini: OxigraphStore) -> None:
    reference = RdflibStore.from_file(MINI)
    for name in (
        "commitment/mini/63",
        "body/alpha-exchange",
        "document/alpha-beta-co-operation-memorandum",
    ):
        assert resource_html(mini, ID_BASE + name) == resource_html(reference, ID_BASE + name)
        for media_type in GRAPH_MEDIA_TYPES:
            assert resource_graph(mini, ID_BASE + name, media_type) == resource_graph(
                reference, ID_BASE + name, media_type
            )


def test_the_queries_are_internal_and_bind_the_iri() -> None:
    queries = {q.name: q for q in list_queries() if q.name.startswith("resource-")}
    assert sorted(queries) == [
        "resource-facts",
        "resource-labels",
        "resource-links",
        "resource-quotes",
    ]
    for q in queries.values():
        assert q.internal and [p.name for p in q.params] == ["resource"] and q.params[0].required
        assert ID_BASE not in q.text


# --- descriptions -----------------------------------------------------------------------


def described(graph: rdflib.Graph, s: rdflib.URIRef) -> set[tuple[Any, Any, Any]]:
    """What resource_graph must give: the triples of `s` and the labels of what it links to."""
    triples = {(s, p, o) for p, o in graph.predicate_objects(s)}
    for o in {o for _, _, o in triples if isinstance(o, rdflib.URIRef)}:
        triples |= {(o, p, v) for p in LABELS for v in graph.objects(o, p)}
    return triples


def test_descriptions_parse_back_to_the_same_triples(seed: Any) -> None:
    graph, store = seed
    for s in first_of_each_class(graph).values():
        expected = described(graph, s)
        for media_type, fmt in RDFLIB_FORMATS.items():
            data = resource_graph(store, str(s), media_type)
            assert data is not None
            parsed = rdflib.Graph().parse(data=data, format=fmt)
            assert set(parsed) == expected, (s, media_type)


def test_json_ld_is_compact_and_turtle_uses_the_prefixes(mini: OxigraphStore) -> None:
    iri = ID_BASE + "body/alpha-exchange"
    doc = json.loads(resource_graph(mini, iri, "application/ld+json") or b"")
    node = next(n for n in doc["@graph"] if n["@id"] == "id:body/alpha-exchange")
    assert node["@type"] == ["coop:Exchange"]
    assert node["skos:prefLabel"] == [{"@value": "阿尔法交易所", "@language": "zh"}]
    assert node["coop:reviewed"] == [{"@value": "true", "@type": "xsd:boolean"}]
    turtle = (resource_graph(mini, iri, "text/turtle") or b"").decode()
    assert "PREFIX coop: <https://w3id.org/coopkg/ontology#>" in turtle
    assert "a coop:Exchange" in turtle


def test_an_unknown_media_type_is_refused(mini: OxigraphStore) -> None:
    with pytest.raises(InputError, match="application/rdf\\+xml"):
        resource_graph(mini, ID_BASE + "body/alpha-exchange", "application/rdf+xml")


def test_descriptions_are_the_same_bytes_in_any_process(mini: OxigraphStore) -> None:
    script = (
        "import sys; from kg.store import OxigraphStore; from kg.resource_page import "
        "resource_graph, resource_html; s = OxigraphStore.from_file(sys.argv[1]); "
        "i = sys.argv[2]; sys.stdout.buffer.write(resource_graph(s, i, 'text/turtle') + "
        "resource_graph(s, i, 'application/ld+json') + resource_html(s, i).encode())"
    )
    iri = ID_BASE + "commitment/mini/248"
    here = (
        (resource_graph(mini, iri, "text/turtle") or b"")
        + (resource_graph(mini, iri, "application/ld+json") or b"")
        + (resource_html(mini, iri) or "").encode()
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script, str(MINI), iri],
            capture_output=True,
            env=env,
            timeout=60,
            check=True,
        ).stdout
        assert out == here


# --- in a browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_a_resource_page_shows_its_quote_offline(chromium: Any, mini: OxigraphStore) -> None:
    with served(MINI) as server:
        for state in loopback_page(chromium, server.base):
            page = state.page
            page.goto(server.base + "/id/commitment/mini/379")
            quote = page.locator("blockquote").first.inner_text()
            assert quote == (
                "Promote exchanges between the Alpha Museum <script>alert(1)</script> Office "
                "and the Beta Commerce Commission."
            )
            assert page.locator("figcaption .offsets").first.inner_text() == "379–488"
            # Following a link stays on the server: the body's page, found by its path.
            page.get_by_role("link", name="Beta Commerce Commission").first.click()
            page.wait_for_url(server.base + "/id/body/beta-commerce-commission")
            assert page.locator("h1").inner_text() == "Beta Commerce Commission"
            missing = page.request.get(server.base + "/id/body/nobody")
            assert missing.status == 404
