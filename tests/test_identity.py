"""kg.identity and kg.scheme: the rules that give one identity per body, person, mechanism
and meeting across documents, and that map an area heading as published to the canonical
scheme."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from rdflib import Graph

import kg.identity
import kg.scheme
from kg.errors import InputError
from kg.identity import body_key, mechanism_label, resolve_identities
from kg.model import Event, Extraction, Organization, Person, Source, Span
from kg.namespace import ID, ontology_dir
from kg.scheme import AreaMatch, AreaScheme, load_area_mapping

ROOT = Path(__file__).resolve().parents[1]
PLACES = {"Hong Kong": ["HKSAR", "Hong Kong SAR"], "Chongqing": [], "Sichuan": ["Sichuan Province"]}


@pytest.fixture(scope="module")
def scheme():
    return AreaScheme.from_graph(Graph().parse(ontology_dir() / "areas.ttl", format="turtle"))


def test_doctests():
    for module in (kg.identity, kg.scheme):
        assert doctest.testmod(module).failed == 0, module.__name__


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("the Tianfu Equity Exchange Centre", "Tianfu Equity Exchange Center"),
        ("Alpha Trade & Development Council", "alpha trade and development council"),
        ("Youth Exchange Programme", "Youth Exchange Program"),
        ("Alpha Co-operation Office", "Alpha Cooperation Office"),
        ("People’s Government of X", "People's Government of X"),
        ("Bio-Town  Committee", "Bio Town Committee"),
    ],
)
def test_spellings_of_one_body_share_a_key(a, b):
    assert body_key(a) == body_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sichuan Provincial Department of Commerce", "Sichuan Provincial Commission of Commerce"),
        ("Hong Kong Productivity Council", "Hong Kong Productivity Centre"),
    ],
)
def test_different_bodies_keep_different_keys(a, b):
    assert body_key(a) != body_key(b)


@pytest.mark.parametrize(
    "published",
    [
        "Hong Kong/Sichuan Co-operation Conference",
        "Sichuan/Hong Kong Co-operation Conference",
        "HKSAR/Sichuan Province Cooperation Conference",
        "Sichuan / Hong Kong  Co-operation Conference",
    ],
)
def test_one_mechanism_whatever_the_order_and_spelling(published):
    assert mechanism_label(published, PLACES) == "Hong Kong/Sichuan Co-operation Conference"


def test_a_mechanism_of_unknown_places_keeps_its_published_name():
    assert mechanism_label("Alpha/Beta Co-operation Conference", PLACES) == (
        "Alpha/Beta Co-operation Conference"
    )
    assert mechanism_label("Greater Bay Area Forum", PLACES) == "Greater Bay Area Forum"


def extraction(doc_id, *, orgs=(), people=(), event=None, sides=("Hong Kong", "Sichuan")):
    text = "x" * 100
    return Extraction(
        source=Source(path=f"{doc_id}.txt", doc_id=doc_id, text=text),
        event=event,
        organizations=list(orgs),
        people=list(people),
        jurisdictions=list(sides),
    )


def org(label, kind="institution", jurisdiction=None, known=False, mentions=1, aliases=()):
    spans = [Span(i, i + 1, "x") for i in range(mentions)]
    return Organization(label, kind, jurisdiction, known, list(aliases), mentions=spans)


def test_found_bodies_resolve_across_documents(registry):
    ids = resolve_identities(
        [
            extraction("a", orgs=[org("Chengdu Arbitration Centre", mentions=3)]),
            extraction("b", orgs=[org("the Chengdu Arbitration Center", kind="agency")]),
            extraction("c", orgs=[org("Chengdu Arbitration Center", jurisdiction="Sichuan")]),
        ],
        registry,
    )
    ident = ids.body("Chengdu Arbitration Centre")
    assert ident is ids.body("the chengdu arbitration center")
    # Each spelling is one document's: the one mentioned most often wins.
    assert ident.label == "Chengdu Arbitration Centre"
    assert ident.kind == "institution"  # two documents against one
    assert ident.jurisdiction == "Sichuan"
    assert not ident.known
    assert ident.key == "chengdu arbitration center"
    assert set(ident.aliases) == {"the Chengdu Arbitration Center", "Chengdu Arbitration Center"}


def test_a_found_body_spelled_like_a_registry_name_is_the_registry_body(registry):
    ids = resolve_identities(
        [extraction("a", orgs=[org("Chongqing Share Transfer Centre", kind="exchange")])], registry
    )
    ident = ids.body("Chongqing Share Transfer Centre")
    assert (ident.label, ident.known, ident.key) == (
        "Chongqing Share Transfer Center",
        True,
        "Chongqing Share Transfer Center",
    )


def test_registry_bodies_a_document_only_refers_to_get_an_identity(registry):
    from kg.model import PostHolding

    lee = Person("Huang Qiang", "Mr", [PostHolding("Governor of Sichuan Province",
                 "Sichuan Provincial People's Government", Span(0, 5, "xxxxx"))])  # fmt: skip
    ids = resolve_identities([extraction("a", people=[lee])], registry)
    ident = ids.body("Sichuan Provincial People's Government")
    assert ident is not None and ident.known and ident.kind == "government"


def test_one_honorific_and_one_meeting_label(registry):
    event = Event("First Plenary Session of the Sichuan/Hong Kong Cooperation Conference",
                  "2021-09-28", None, "Sichuan/Hong Kong Cooperation Conference", 1)  # fmt: skip
    fuller = Event("High-Level Meeting cum First Plenary Session of Hong Kong/Sichuan "
                   "Co-operation Conference", "2021-09-28", "Chengdu",
                   "Hong Kong/Sichuan Co-operation Conference", 1)  # fmt: skip
    ids = resolve_identities(
        [
            extraction("a", event=event, people=[Person("Luo Wenbin", "Mr")]),
            extraction("b", event=fuller, people=[Person("Luo Wenbin", "Dr")]),
            extraction("c", people=[Person("Luo Wenbin", "Dr"), Person("John Lee", "Dr")]),
        ],
        registry,
    )
    assert ids.person("Luo Wenbin").honorific == "Dr"  # two documents against one
    assert ids.person("John Lee").honorific == "Mr"  # the registry's
    key = ("Hong Kong/Sichuan Co-operation Conference", "2021-09-28")
    meeting = ids.meetings[key]
    assert meeting.label == fuller.label  # names the mechanism as it is known, and fuller
    assert (meeting.place, meeting.ordinal) == ("Chengdu", 1)


@pytest.mark.parametrize(
    ("heading", "match", "concept"),
    [
        ("Finance", "exact", "finance"),
        ("Financial services", "exact", "finance"),
        ("Youth Exchange", "exact", "youth-development"),
        ("Economic, trade, and the Belt and Road Initiative", "close",
         "the-belt-and-road-initiative-economic-trade-and-investment-co-operation"),
        ("Cultural Exchanges and Tourism Co-operation", "close", "cultural-exchange-and-tourism"),
        ("Medical and Healthcare Co-operation", "close", "health-and-chinese-medicine"),
        ("Space Exploration", "new", "space-exploration"),
    ],
)  # fmt: skip
def test_headings_map_to_the_canonical_scheme(scheme, heading, match, concept):
    found = scheme.match(heading)
    assert (found.match, found.concept) == (match, ID["area/" + concept])
    assert scheme.concept(heading) == (ID["area/" + concept], match != "new")


@pytest.fixture(scope="module")
def mapped():
    """The scheme with the project's mapping file (data/areas/mapping.yaml)."""
    graph = Graph().parse(ontology_dir() / "areas.ttl", format="turtle")
    return AreaScheme.from_graph(graph, load_area_mapping(ROOT / "data/areas/mapping.yaml"))


@pytest.mark.parametrize(
    ("heading", "match", "concept"),
    [
        # One area, whichever words a release uses.
        ("Health", "exact", "health-and-chinese-medicine"),
        ("Medical and Health", "exact", "health-and-chinese-medicine"),
        ("Health and Chinese Medicine", "exact", "health-and-chinese-medicine"),
        ("Co-operation in hospitals and pharmaceuticals", "close", "health-and-chinese-medicine"),
        # Close, not the same: a composite heading and one of its parts.
        ("Economic and Trade", "exact", "trade-and-investment"),
        ("Belt and Road, Economic and Trade", "close",
         "the-belt-and-road-initiative-economic-trade-and-investment-co-operation"),
        # Gerund headings of progress reports: the lead words say how, not what.
        ("Deepening co-operation in innovation and technology", "exact",
         "innovation-and-technology"),
        ("Promoting early achievement of liberalisation of trade in services", "close",
         "trade-and-investment"),
        ("Strengthening exchanges among young people", "close", "youth-development"),
        ("Promoting green and low-carbon development", "close", "environmental-protection"),
        ("Education, Youth and Talent", "close", "education"),
        ("Measures for Hong Kong residents working and living in Xanadu", "close",
         "facilitation-for-hong-kong-people-in-the-mainland"),
        ("Space Exploration", "new", "space-exploration"),
        # "trans..." and "inter..." words keep more letters: a transition is no transport.
        ("Energy transition", "close", "environmental-protection"),
        ("Transportation", "exact", "transport"),
        ("International trade", "close", "trade-and-investment"),
        ("Internship", "close", "youth-development"),
    ],
)  # fmt: skip
def test_headings_map_by_meaning(mapped, heading, match, concept):
    assert (mapped.match(heading).match, mapped.match(heading).concept) == (
        match,
        ID["area/" + concept],
    )


def test_a_reviewed_answer_wins_and_must_name_a_concept(tmp_path):
    graph = Graph().parse(ontology_dir() / "areas.ttl", format="turtle")
    mapping = {"headings": {"Space Exploration": "innovation-and-technology"}}
    scheme = AreaScheme.from_graph(graph, mapping)
    assert scheme.match("space exploration") == AreaMatch(
        ID["area/innovation-and-technology"], "exact"
    )
    with pytest.raises(InputError, match="no area concept called 'astronautics'"):
        AreaScheme.from_graph(graph, {"cues": {"astronautics": ["rocket"]}}, "m.yaml")
    bad = tmp_path / "mapping.yaml"
    bad.write_text("cues: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_area_mapping(bad)
    assert err.value.path == str(bad) and err.value.line is not None
