"""The query page binds a parameter where kg.sparql_values does: in the WHERE group, not
in the first `{` of the text (a CONSTRUCT's template, a brace in a comment or a string)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pages_support import loopback_page, sent_queries, served

from kg.sparql_values import with_values

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.ttl"

# A template before WHERE, and a brace and the word WHERE where they open nothing.
LABELLED = """# each government { and its label }
CONSTRUCT {
  ?b rdfs:label ?l ;
     rdfs:comment "WHERE { the label is bound }" .
}
WHERE { ?b a coop:Government ; rdfs:label ?l . }
"""

# Each with a binding of ?l; the page's text must be kg.sparql_values' to the byte.
TEXTS = [
    LABELLED,
    "CONSTRUCT WHERE { ?b rdfs:label ?l }",
    "construct { ?b <urn:x:where> '{' } where { ?b rdfs:label ?l }",
    "ASK { ?b rdfs:label ?l FILTER(?l != '}') }",
    "DESCRIBE ?b WHERE { ?b rdfs:label ?l }",
    "SELECT ?where { ?where ex:where ?l }",
    "PREFIX ex: <urn:ex:>\nSELECT (COUNT(?x) AS ?n) WHERE {\n"
    "  { SELECT ?b WHERE { ?b rdfs:label ?l } }\n  OPTIONAL { ?b ?p ?x }\n}",
    'SELECT * WHERE { ?b rdfs:comment """a { long\n"quoted" WHERE {""" ; rdfs:label ?l }',
    "CONSTRUCT { ?b ?p [ rdfs:label ?l ] } # WHERE {\nWHERE { ?b ?p ?l }",
]


@pytest.mark.browser
def test_the_page_binds_in_the_where_group_and_shows_the_triples(chromium: Any) -> None:
    with served(MINI) as server:
        for state in loopback_page(chromium, server.base):
            page = state.page
            page.goto(server.base + "/")
            page.wait_for_selector("body[data-ready=true]")
            for text in TEXTS:
                written = page.evaluate(
                    "t => window.coopkgQueryPage.withValues(t, {l: 'Beta Government'})", text
                )
                assert written == with_values(text, {"l": "Beta Government"}), text
            none = page.evaluate(
                "() => { try { window.coopkgQueryPage.withValues("
                "'DESCRIBE <urn:x:a>', {l: 'x'}); return ''; } catch (e) { return e.message; } }"
            )
            assert none == "cannot bind parameters: the query has no WHERE group"

            # The CONSTRUCT run from the editor: the two triples of Beta Government only.
            written = page.evaluate(
                "t => window.coopkgQueryPage.withValues(t, {l: 'Beta Government'})", LABELLED
            )
            assert '} WHERE { VALUES (?l) { ("Beta Government") }  ?b a' in written.replace(
                "\n", " "
            )
            page.evaluate(
                "t => { const y = window.coopkgQueryPage.yasqe; y.setValue(t);"
                " return y.query().catch(() => {}); }",
                written,
            )
            page.wait_for_selector("body[data-queries='1']")
            assert sent_queries(state)[-1] == written
            rows = [
                [cell.inner_text() for cell in row.locator("td").all()[1:]]
                for row in page.locator("#yasr table.dataTable tbody tr").all()
            ]
            assert sorted(rows) == [
                [
                    "id:body/beta-government",
                    "rdfs:comment",
                    '"WHERE { the label is bound }"^^xsd:string',
                ],
                ["id:body/beta-government", "rdfs:label", '"Beta Government"^^xsd:string'],
            ]
