"""A partner that is another country, met at stop 29, each rule tested on a text written
for the test after the code: a dialogue named with its rank before it ("the Third Hong
Kong-Indonesia Trade Dialogue"); bodies and posts ending in the country's formal name ("of
the Republic of Indonesia") or opening with its adjective ("Indonesian ..."); a
minister's ministry; a memorandum's party written short, as another name of a body the
text named in full."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


DIALOGUE = """\
Hong Kong and Indonesia hold third trade dialogue

The Third Hong Kong-Indonesia Trade Dialogue was held in Jakarta on 21 August 2026. The \
Secretary for Commerce and Economic Development, Mr Algernon Yau, co-chaired the dialogue \
with the Deputy Minister of Trade of the Republic of Indonesia, Ms Dewi Kartika. The \
Minister of State for Trade Promotion, Mr Budi Santoso, also attended.

The Ministry of Trade of the Republic of Indonesia and the Hong Kong Trade Development \
Council will jointly organise a halal food fair in Hong Kong.

A Memorandum of Understanding on Trade Facilitation between the Trade and Industry \
Department and the Ministry of Trade was signed by the Director-General of Trade and \
Industry, Ms Maggie Wong, and Ms Dewi Kartika.
"""
MINISTRY = "Ministry of Trade of the Republic of Indonesia"


def test_a_dialogue_named_with_its_rank(extract):
    ex = extract(DIALOGUE, date="2026-08-21")
    assert ex.event is not None
    assert ex.event.label == "Third Hong Kong-Indonesia Trade Dialogue"
    # The rank is the meeting's: the mechanism is the same at every meeting.
    assert ex.event.mechanism == "Hong Kong-Indonesia Trade Dialogue"
    assert (ex.event.ordinal, ex.event.place) == (3, "Jakarta")
    assert [(j.name, j.level) for j in ex.new_jurisdictions] == [("Indonesia", "country")]


def test_a_body_in_the_formal_name_of_its_country(extract):
    ex = extract(DIALOGUE, date="2026-08-21")
    (ministry,) = [o for o in ex.organizations if o.label.startswith("Ministry of Trade")]
    assert (ministry.label, ministry.jurisdiction) == (MINISTRY, "Indonesia")
    assert ministry.aliases == ["Ministry of Trade"]


def test_a_minister_in_the_ministry_a_ministers_post_heads(extract):
    ex = extract(DIALOGUE, date="2026-08-21")
    posts = {p.name: [(h.post, h.body) for h in p.posts] for p in ex.people}
    assert posts["Dewi Kartika"] == [
        ("Deputy Minister of Trade of the Republic of Indonesia", MINISTRY)
    ]
    # "Minister of State for ...": no "Ministry of State for ..." is minted.
    assert posts["Budi Santoso"] == [("Minister of State for Trade Promotion", None)]


def test_a_party_written_short_is_the_body_named_in_full(extract):
    ex = extract(DIALOGUE, date="2026-08-21")
    (memorandum,) = ex.documents
    assert memorandum.parties == ["Trade and Industry Department", MINISTRY]
    assert memorandum.signatories == ["Maggie Wong", "Dewi Kartika"]
    # One body, not a second "Ministry of Trade" without its country.
    assert [o.label for o in ex.organizations if "Ministry" in o.label] == [MINISTRY]


def test_a_government_of_a_country_printed_with_the(extract):
    text = DIALOGUE.replace("Indonesia", "Philippines").replace(
        "the Republic of Philippines", "the Republic of the Philippines"
    )
    ex = extract(text, date="2026-08-21")
    (place,) = ex.new_jurisdictions
    assert place.government == "Government of the Philippines"
    assert "Republic of the Philippines" in place.aliases


def test_a_body_named_with_its_countrys_adjective(extract):
    text = DIALOGUE.replace(
        "halal food fair in Hong Kong.",
        "halal food fair in Hong Kong. The Indonesian Investment Coordinating Board will work "
        "with Invest Hong Kong on a matching service for family offices.",
    )
    ex = extract(text, date="2026-08-21")
    places = {o.label: o.jurisdiction for o in ex.organizations}
    assert places["Indonesian Investment Coordinating Board"] == "Indonesia"
    (place,) = ex.new_jurisdictions
    assert "Indonesian" in place.aliases


# Stop 30: the table of countries' adjectives (kg/extract/patterns.yaml) covers Europe's,
# Africa's and the Americas' partners too.
NORWAY = """\
Hong Kong and Norway hold first Trade Dialogue

The first Hong Kong–Norway Trade Dialogue was held in Oslo today (June 2).

The two sides agreed to co-operate in the following areas:

Maritime and shipping
The Norwegian Maritime Authority and the Marine Department will exchange experience in \
green shipping and port state control.

Seafood trade
The Norwegian Seafood Council and the Hong Kong Trade Development Council will organise \
a seafood promotion in Hong Kong in the autumn.
"""


def test_a_body_named_with_a_european_countrys_adjective(extract):
    ex = extract(NORWAY, date="2026-06-02")
    assert [(j.name, j.level) for j in ex.new_jurisdictions] == [("Norway", "country")]
    places = {o.label: o.jurisdiction for o in ex.organizations}
    assert places["Norwegian Maritime Authority"] == "Norway"
    assert places["Norwegian Seafood Council"] == "Norway"
    assert places["Marine Department"] == "Hong Kong"


THAILAND = """\
Hong Kong and Thailand hold second Economic Dialogue

The second Hong Kong–Thailand Economic Dialogue was held in Bangkok today (July 9). The \
Secretary for Commerce and Economic Development, Mr Algernon Yau, co-chaired the Dialogue \
with Thailand's Minister of Commerce, Mr Somchai Rattanakul.

The Thai Department of International Trade Promotion and Invest Hong Kong will hold a \
roadshow for Thai food enterprises in Hong Kong.
"""


def test_a_ministry_a_countrys_possessive_places(extract):
    # Not the Mainland's Ministry of Commerce, which the registry knows by that name.
    ex = extract(THAILAND, date="2026-07-09")
    posts = {p.name: [(h.post, h.body) for h in p.posts] for p in ex.people}
    ministry = "Ministry of Commerce of Thailand"
    assert posts["Somchai Rattanakul"] == [("Minister of Commerce", ministry)]
    places = {o.label: o.jurisdiction for o in ex.organizations}
    assert places[ministry] == "Thailand"
    assert places["Thai Department of International Trade Promotion"] == "Thailand"


def test_a_possessive_post_in_a_counterpart_clause(extract):
    text = (
        "Hong Kong and Chile hold first Trade Dialogue\n\n"
        "The first Hong Kong–Chile Trade Dialogue was held in Santiago today (May 4). Mr "
        "Algernon Yau met Chile's Minister of Agriculture, Ms Ignacia Fernández, and Chile's "
        "Minister of Foreign Affairs, Mr Alberto van Klaveren.\n\n"
        "The Chilean Agricultural and Livestock Service and the Centre for Food Safety will "
        "exchange information on fruit exports.\n"
    )
    ex = extract(text, date="2026-05-04")
    bodies = {p.name: [h.body for h in p.posts] for p in ex.people}
    assert bodies["Ignacia Fernández"] == ["Ministry of Agriculture of Chile"]
    assert bodies["Alberto van Klaveren"] == ["Ministry of Foreign Affairs of Chile"]
    places = {o.label: o.jurisdiction for o in ex.organizations}
    assert places["Ministry of Agriculture of Chile"] == "Chile"


def test_small_words_inside_a_name():
    from kg.extract.vocab import load_vocabulary

    honorific = load_vocabulary().honorific
    text = (
        "The Prime Minister of Malaysia, Mr Anwar bin Ibrahim, received Mrs Maria da Graça "
        "Pereira and Dr Hans de Vries of Rotterdam."
    )
    assert [m.group("name") for m in honorific.finditer(text)] == [
        "Anwar bin Ibrahim",
        "Maria da Graça Pereira",
        "Hans de Vries",
    ]
    # A small word ends no name: "Mr Lee of the Bureau", "Ms Wong de facto".
    assert [m.group("name") for m in honorific.finditer("Ms Wong de facto led it.")] == ["Wong"]


def test_a_countrys_other_spelling_places_its_bodies(extract):
    text = (
        "Hong Kong and Türkiye hold first Economic Dialogue\n\n"
        "The first Hong Kong–Türkiye Economic Dialogue was held in Ankara today (April 21).\n\n"
        "The Investment Office of the Presidency of Turkey and Invest Hong Kong will hold a "
        "joint investor seminar in Istanbul.\n"
    )
    ex = extract(text, date="2026-04-21")
    assert [j.name for j in ex.new_jurisdictions] == ["Türkiye"]
    places = {o.label: o.jurisdiction for o in ex.organizations}
    assert places["Investment Office of the Presidency of Turkey"] == "Türkiye"


# Stop 31: a release of a visit that names its country only after a post or in the headline
# ("Hong Kong and Peru ..."): no dialogue's name, no "Republic of", no level word.
PERU = """\
Hong Kong and Peru step up agricultural trade

The Secretary for Environment and Ecology, Mr Tse Chin-wan, called on the Minister of \
Agrarian Development and Irrigation of Peru, Mr Ángel Manero, in Lima today (March 3).

The Centre for Food Safety and the Ministry of Agrarian Development and Irrigation will \
exchange information on the inspection of fresh blueberries.

The Ministry of Production will work with the Hong Kong Trade Development Council to bring \
Peruvian seafood suppliers to a trade fair in Hong Kong in 2027.
"""


def test_a_country_named_after_a_post_is_the_side(extract):
    ex = extract(PERU, date="2027-03-03")
    assert [(j.name, j.level) for j in ex.new_jurisdictions] == [("Peru", "country")]


def test_bodies_a_country_release_prints_without_their_place(extract):
    ex = extract(PERU, date="2027-03-03")
    places = {o.label: (o.jurisdiction, o.aliases) for o in ex.organizations}
    # The minister's ministry, named short after the post named it with its country.
    ministry = "Ministry of Agrarian Development and Irrigation of Peru"
    assert places[ministry] == ("Peru", ["Ministry of Agrarian Development and Irrigation"])
    # Another ministry, named nowhere with its place: the release's one country's.
    assert places["Ministry of Production of Peru"] == ("Peru", ["Ministry of Production"])
    bodies = [c.bodies for c in ex.commitments]
    assert [ministry, "Centre for Food Safety"] in [sorted(b, reverse=True) for b in bodies]


def test_a_country_named_in_passing_is_not_a_provinces_partner(extract):
    text = (
        "HKSAR delegation visits Xanadu Province\n\n"
        "The Secretary for Commerce and Economic Development, Mr Algernon Yau, met the "
        "Governor of Xanadu, Mr Li Ming, in Xanadu City today (June 2). The Xanadu "
        "Provincial Department of Commerce and Invest Hong Kong will promote the "
        "province's exports of tea, which go to Japan and Peru.\n"
    )
    ex = extract(text, date="2026-06-02")
    assert [j.name for j in ex.new_jurisdictions] == ["Xanadu"]


def test_two_countries_ministries_of_one_name_are_two_bodies(registry):
    from kg.identity import resolve_identities

    def release(country: str, minister: str) -> str:
        return (
            f"Hong Kong and {country} sign trade pact\n\n"
            f"Mr Algernon Yau met the Minister of Foreign Affairs of {country}, {minister}, "
            "in Hong Kong today (May 5). The Ministry of Foreign Affairs and the Trade and "
            "Industry Department will hold annual consultations on trade.\n"
        )

    exs = [
        extracted(registry, release("Norway", "Ms Anniken Huitfeldt"), date="2026-05-05"),
        extracted(registry, release("Chile", "Mr Alberto van Klaveren"), date="2026-05-06"),
    ]
    ids = resolve_identities(exs, registry)
    found = {
        (ident.label, ident.jurisdiction)
        for ident in ids.bodies.values()
        if "Foreign Affairs" in ident.label
    }
    assert found == {
        ("Ministry of Foreign Affairs of Norway", "Norway"),
        ("Ministry of Foreign Affairs of Chile", "Chile"),
    }


# A state or province of a federation, named as it names itself ("the State of Nevada",
# "the Free State of Thuringia", "the Province of Manitoba"); texts written after the rules.
def test_a_state_of_a_federation_is_the_side_not_the_city_of_a_route(extract):
    text = (
        "Hong Kong and Nevada discuss tourism\n\n"
        "The Commissioner for Tourism, Mr Vivian Sum, met the Lieutenant Governor of the "
        "State of Nevada, Ms Stavros Anthony, in Las Vegas today (February 2).\n\n"
        "The Hong Kong Tourism Board and the Nevada Division of Tourism will promote "
        "travel between Hong Kong and Las Vegas.\n"
    )
    ex = extract(text, date="2027-02-02")
    [place] = ex.new_jurisdictions
    assert (place.name, place.level, place.government) == ("Nevada", "state", "State of Nevada")
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Stavros Anthony"] == ["Lieutenant Governor of the State of Nevada"]
    places = {o.label: o.jurisdiction for o in ex.organizations}
    assert places["Nevada Division of Tourism"] == "Nevada"


def test_a_signing_release_names_its_free_state(extract):
    text = (
        "HKSTP signs memorandum in Erfurt\n\n"
        "Erfurt, 5 March 2027 -- The Hong Kong Science and Technology Parks Corporation and "
        "the Thuringia Agency for Economic Development signed a Memorandum of Understanding "
        "on Optics Start-ups today, in the presence of the Minister-President of the Free "
        "State of Thuringia, Mr Mario Voigt.\n\n"
        "The MoU was signed by Mr Albert Wong and Ms Sabine Wosche.\n"
    )
    ex = extract(text, date="2027-03-05")
    [place] = ex.new_jurisdictions
    # As the text writes it: "Free State of Thuringia", not "State of Thuringia".
    assert (place.name, place.level, place.government) == (
        "Thuringia",
        "state",
        "Free State of Thuringia",
    )
    assert [(d.title, d.signatories) for d in ex.documents] == [
        ("Memorandum of Understanding on Optics Start-ups", ["Albert Wong", "Sabine Wosche"])
    ]


def test_a_ministers_portfolio_of_several_subjects(extract):
    text = (
        "Hong Kong and Manitoba hold talks\n\n"
        "The Secretary for Environment and Ecology, Mr Tse Chin-wan, met the Minister of "
        "Agriculture, Food and Rural Development of the Province of Manitoba, Mr Ron Kostyshyn, "
        "in Winnipeg today (June 9).\n\n"
        "The two sides agreed to step up exchanges on food safety.\n"
    )
    ex = extract(text, date="2027-06-09")
    assert [(j.name, j.level) for j in ex.new_jurisdictions] == [("Manitoba", "province")]
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts == {
        "Tse Chin-wan": ["Secretary for Environment and Ecology"],
        "Ron Kostyshyn": [
            "Minister of Agriculture, Food and Rural Development of the Province of Manitoba"
        ],
    }


def test_a_ministry_the_registry_knows_by_that_name_is_the_partners_when_a_post_says_so(extract):
    # Written after the rule (stop 31): a two-word country the registry lacks, a minister
    # "of" it, and the ministry named short, whose name is the Mainland's in the registry.
    text = (
        "Hong Kong and Sri Lanka boost technology ties\n\n"
        "The Secretary for Innovation, Technology and Industry, Professor Sun Dong, met the "
        "Minister of Science and Technology of Sri Lanka, Mr Hiniduma Sunil Senevi, in "
        "Colombo today (August 2).\n\n"
        "The Innovation and Technology Commission and the Ministry of Science and Technology "
        "will hold a joint forum on artificial intelligence in Hong Kong every year.\n\n"
        "Mr Sun also met Ms Mairead McGuinness and Mr Liam O'Brien of the Colombo Chamber.\n"
    )
    ex = extract(text, date="2027-08-02")
    assert [(j.name, j.level) for j in ex.new_jurisdictions] == [("Sri Lanka", "country")]
    ministry = "Ministry of Science and Technology of Sri Lanka"
    places = {o.label: (o.jurisdiction, o.known) for o in ex.organizations}
    assert places[ministry] == ("Sri Lanka", False)
    assert "Ministry of Science and Technology" not in places  # not the Mainland's
    assert [c.bodies for c in ex.commitments] == [
        ["Innovation and Technology Commission", ministry]
    ]
    assert {"Mairead McGuinness", "Liam O'Brien"} <= {p.name for p in ex.people}
