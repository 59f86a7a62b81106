"""House styles met in the spent seventh held-out set and in dev39..dev44, each tested on a
small release written for the test after the code (not a copy of any labelled text): a
newspaper's story whose areas a sentence names and whose paragraphs open with them, a
government release of a visit with the areas after "namely" and untitled documents after
"including", and a newswire's copy of a statutory body's release with its credits, a table
of memoranda and an annex of documents with "Signed by:" lines."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, filed, signed


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


STORY = """\
The Harbour Post
HOME | NEWS | BUSINESS | OPINION

Huzhou and Hong Kong to work on tea, silk and tech

By Staff Reporter

Hong Kong and Huzhou will deepen co-operation in green tea trade, silk and fashion, and \
digital technology after officials met for the first Hong Kong/Huzhou Co-operation Meeting \
in Huzhou on Monday.

Secretary for Commerce and Economic Development Algernon Yau and Huzhou mayor Chen Lu \
co-chaired the meeting. The two sides listed 12 measures in the three areas.

Read More: Hong Kong traders eye Zhejiang tea estates

For green tea trade, Huzhou will send its tea growers to the Hong Kong International Tea \
Fair in August, and the Hong Kong Tea Association will help them meet buyers.

"Anji white tea deserves a world stage," Chen said. "Hong Kong is that stage."

Silk and fashion co-operation will start with a design residency.

The Hong Kong Design Centre will host six Huzhou silk designers in its studios next spring, \
Yau told reporters.

In terms of digital technology, Cyberport will open a desk for Huzhou start-ups in its \
incubator.

[Photo caption] Yau (left) and Chen shake hands after signing the agreement in Huzhou.

The next meeting will be held in Hong Kong in 2026.

Most Read
1  Typhoon signal No 8 hoisted
2  Ferry fares to rise

Copyright 2025 Harbour Post Media. All rights reserved.
License for news information service 0042
"""


def test_story_areas_named_in_a_sentence_open_its_paragraphs(extract) -> None:
    ex = extract(STORY, "2025-06-10")
    areas = ["green tea trade", "silk and fashion", "digital technology"]
    assert [a.label for a in ex.areas] == areas
    assert ex.stated_area_count == 3
    # The lede and the quote are no commitments; a measure told "..., Yau told reporters"
    # is one; the next meeting's date is none; the related link and the small print
    # after the copyright line are the site's, not the story's.
    assert filed(ex) == [
        ("green tea trade", "For green tea"),
        ("silk and fashion", "Silk and fashion"),
        ("silk and fashion", "The Hong Kong"),
        ("digital technology", "In terms of"),
    ]
    assert ex.documents == []  # "the agreement" of a photo's caption is no signing


VISIT = """\
Press Releases

SCED visits Jingdezhen
**********************

     The Secretary for Commerce and Economic Development, Mr Algernon Yau, co-chaired the \
First Meeting of the Hong Kong/Jingdezhen Co-operation Conference in Jingdezhen today \
(October 9) with the Mayor of Jingdezhen, Mr Liu Feng.

     At the meeting, the two sides agreed to take forward co-operation in three areas, \
namely ceramics and design, tourism, and youth exchanges, and reached consensus on the \
following items:

     - the Hong Kong Design Centre will curate a ceramics showcase in Hong Kong;
     - the Hong Kong Tourism Board will promote Jingdezhen in its mainland campaigns; and
     - the two sides will arrange study tours for Hong Kong students.

     Mr Yau and Mr Liu then witnessed the signing of four documents, including a memorandum \
of understanding on ceramic design exchanges between the Hong Kong Design Centre and the \
Jingdezhen Ceramic University, and an agreement on tourism promotion between the Hong Kong \
Tourism Board and the Jingdezhen Municipal Bureau of Culture, Radio, Television and Tourism.

Ends/Thursday, October 9, 2025
"""


def test_visit_areas_after_namely_and_untitled_documents_after_including(extract) -> None:
    ex = extract(VISIT, "2025-10-09")
    # The list ends where the sentence goes on: ", and reached consensus ...".
    assert [a.label for a in ex.areas] == ["ceramics and design", "tourism", "youth exchanges"]
    assert [words for _, words in filed(ex)] == ["the Hong Kong", "the Hong Kong", "the two sides"]
    # A description's title says what it is on; its parties are read after it.
    docs = {d.title: d.parties for d in ex.documents}
    assert docs == {
        "Memorandum of understanding on ceramic design exchanges": [
            "Hong Kong Design Centre",
            "Jingdezhen Ceramic University",
        ],
        "Agreement on tourism promotion": [
            "Hong Kong Tourism Board",
            "Jingdezhen Municipal Bureau of Culture, Radio, Television and Tourism",
        ],
    }


WIRE = """\
Pacific Newswire

Hong Kong and Shangrao sign memoranda at first co-operation meeting

Statutory body's meeting agrees work in two areas; memoranda signed

NEWS PROVIDED BY
Hong Kong Productivity Council
3 Mar, 2025, 10:00 HKT

HONG KONG, March 3, 2025 /Pacific Newswire/ -- The First Meeting of the Hong Kong/Shangrao \
Co-operation Conference was held in Hong Kong today. It was co-chaired by the Secretary for \
Innovation, Technology and Industry, Professor Sun Dong, and the Mayor of Shangrao, Mr Wu Hao. \
The conference was set up under a Memorandum of Understanding on Establishing the Hong \
Kong/Shangrao Co-operation Mechanism, signed by Hong Kong's Constitutional and Mainland \
Affairs Bureau (CMAB) and the Shangrao Municipal Government in November 2024.

The two sides agreed on work in two areas:

Smart Factories

The Hong Kong Productivity Council is to audit 30 Shangrao factories for automation.

Solar Supply Chains

Shangrao is to invite Hong Kong financiers to its photovoltaic parks.

The memoranda signed today are:

MoU | Partner
Memorandum of Understanding on Factory Automation | Shangrao Municipal Bureau of Commerce
Memorandum of Understanding on Solar Testing | Shangrao Solar Industry Association

Annex

Co-operation documents signed at the First Meeting of the
Hong Kong/Shangrao Co-operation Conference (3 March 2025)

1.  Framework Agreement on Hong Kong/Shangrao Co-operation
    Signed by: Professor Sun Dong and Mr Wu Hao

SOURCE Hong Kong Productivity Council
"""


def test_wire_credits_table_of_memoranda_and_annex_signed_by_lines(extract) -> None:
    ex = extract(WIRE, "2025-03-03")
    # The standfirst counts the areas but leads nothing; the credits are no headings.
    assert [a.label for a in ex.areas] == ["Smart Factories", "Solar Supply Chains"]
    assert [area for area, _ in filed(ex)] == ["Smart Factories", "Solar Supply Chains"]
    # The memorandum of November 2024 was signed before: not a document of this meeting.
    assert signed(ex) == {
        "Memorandum of Understanding on Factory Automation": [],
        "Memorandum of Understanding on Solar Testing": [],
        "Framework Agreement on Hong Kong/Shangrao Co-operation": ["Sun Dong", "Wu Hao"],
    }
    partners = {d.title: d.parties for d in ex.documents}
    assert partners["Memorandum of Understanding on Solar Testing"] == [
        "Shangrao Solar Industry Association"
    ]
    named = {o.label for o in ex.organizations if o.named}
    # "Hong Kong's" owns the bureau; it is no part of its name.
    assert "Constitutional and Mainland Affairs Bureau" in named
    assert not any(label.startswith("Hong Kong's") for label in named)


def test_a_body_the_text_implies_is_kept_apart_from_the_named_ones(extract) -> None:
    ex = extract(VISIT, "2025-10-09")
    implied = [o.label for o in ex.organizations if not o.named]
    # "the Mayor of Jingdezhen" names no body: its government is minted for the graph.
    assert implied == ["Jingdezhen Municipal People's Government"]
    data = ex.to_json()
    assert [o["label"] for o in data["implied"]] == implied
    assert not set(implied) & {o["label"] for o in data["organizations"]}


POST = """\
Commerce and Economic Development Bureau 商務及經濟發展局
12 May 2025 at 18:05 · 🌏

【Hong Kong 🤝 Ganzhou | First co-operation meeting】

This afternoon, Secretary for Commerce and Economic Development Mr Algernon Yau co-chaired \
the First Meeting of the Hong Kong/Ganzhou Co-operation Conference in Ganzhou with Ganzhou \
Mayor Mr Li Ke. The two sides agreed on eight measures in two areas 👇

1️⃣ Rare earths & new materials
🔹 The Hong Kong Productivity Council will test Ganzhou's magnet products for export
🔹 Ganzhou will set up a materials trading desk in Hong Kong

2️⃣ Navel oranges & food
🔹 The Centre for Food Safety will share inspection standards with Ganzhou exporters

✍️ Mr Yau and Mr Li witnessed the signing of the Memorandum of Understanding on Materials \
Testing, which Ms Kiki Tse and Mr Zhou Bin signed on behalf of the two sides. Three \
documents were signed in all. The other two were an agreement on orange exports to Hong \
Kong between the Ganzhou Fruit Association and the Hong Kong Fruit Traders Association, and \
a memorandum on youth exchanges between the two youth federations.

#HongKong #Ganzhou

👍❤️ 860        52 comments   17 shares

Like    Comment    Share

Most relevant ▾

Sammy Wong
Great news! 🍊
Like · Reply · 1d
"""


def test_post_keycap_headings_pictograph_bullets_and_the_rest_of_a_set(extract) -> None:
    ex = extract(POST, "2025-05-12")
    assert [a.label for a in ex.areas] == ["Rare earths & new materials", "Navel oranges & food"]
    assert [area for area, _ in filed(ex)] == [
        "Rare earths & new materials",
        "Rare earths & new materials",
        "Navel oranges & food",
    ]
    # The title a relative clause signs; then "The other two were ...": descriptions, the
    # first going "to Hong Kong" (a place, not a purpose).
    assert signed(ex) == {
        "Memorandum of Understanding on Materials Testing": ["Kiki Tse", "Zhou Bin"],
        "Agreement on orange exports to Hong Kong": [],
        "Memorandum on youth exchanges": [],
    }
    assert "Sammy Wong" not in {p.name for p in ex.people}  # a reader's comment


REPLY = """\
LCQ7: Hong Kong/Wuzhou Co-operation Conference
**********************************************

     Following is a question by a Member and a written reply by the Secretary for \
Constitutional and Mainland Affairs, Mr Erick Tsang, in the Legislative Council today \
(November 20):

Question:

     The First Meeting of the Hong Kong/Wuzhou Co-operation Conference was held in March \
this year. Will the Government inform this Council of its outcome?

Reply:

     The First Meeting of the Hong Kong/Wuzhou Co-operation Conference was held in Wuzhou \
on March 14, 2024. I co-chaired it with the Mayor of Wuzhou, Mr Qin Wei. The Framework \
Agreement on Hong Kong/Wuzhou Co-operation, which the two governments signed in January \
this year, set up the mechanism. At the meeting, the two sides signed a memorandum of \
understanding on the supply of river fish to Hong Kong.

Ends/Wednesday, November 20, 2024
"""


def test_reply_takes_the_meeting_date_and_place_not_the_reply_day(extract) -> None:
    ex = extract(REPLY, "2024-11-20")
    assert ex.event is not None
    # "today" is the day of the reply; "held in March this year" names no place.
    assert (ex.event.date, ex.event.place) == ("2024-03-14", "Wuzhou")
    # Signed "in January this year": before the meeting, not one of its documents.
    assert list(signed(ex)) == [
        "Memorandum of understanding on the supply of river fish to Hong Kong"
    ]


DAILY = """\
Suqian, HK agree closer ties in four areas

By WANG LEI in Suqian | Updated: 2024-10-11 09:15

Suqian and Hong Kong will work together in four areas — e-commerce, wine and spirits, \
vocational training, and tourism — officials said at the Hong Kong-Suqian Cooperation \
Conference on Thursday.

The two sides agreed to deepen cooperation in the four areas, according to a statement.

Invest Hong Kong will help Suqian's online retailers open regional offices in the city.

Suqian will send 40 teachers a year to train at the Vocational Training Council, Mayor \
Chen Ping said at the meeting.

Copyright 2024. All rights reserved.
"""


def test_daily_areas_between_dashes_and_a_summary_that_counts_them(extract) -> None:
    ex = extract(DAILY, "2024-10-11")
    assert [a.label for a in ex.areas] == [
        "e-commerce",
        "wine and spirits",
        "vocational training",
        "tourism",
    ]
    # "The two sides agreed to deepen cooperation in the four areas" sums up: no measure.
    assert [words for _, words in filed(ex)] == ["Invest Hong Kong", "Suqian will send"]


# Written for the test: a release copied from a page with soft hyphens and zero-width
# spaces in it, then the same release forwarded in a message, each line quoted with "> ".
INVISIBLE = """\
Hong Kong and Hainan hold co-operation meeting

The Hong Kong/Hainan Co-operation Meeting was held in Haikou today (April 2).

The Hong Kong Trade\u200b Development Council and the Hainan Provincial Department of \
Commerce will jointly organise a \u200bbuyers' mission.

After the meeting, the two sides signed the "Memo\u00adrandum of Understanding on Yacht \
Tourism".

Ends/Wednesday, April 2, 2025
"""


def test_invisible_characters_are_read_through_and_quoted_as_they_are(extract):
    ex = extract(INVISIBLE)  # every span slices the source to its quote
    assert {o.label for o in ex.organizations} >= {
        "Hong Kong Trade Development Council",
        "Hainan Provincial Department of Commerce",
    }
    assert list(signed(ex)) == ["Memorandum of Understanding on Yacht Tourism"]
    (commitment,) = ex.commitments
    assert commitment.span.text.startswith("The Hong Kong Trade\u200b Development Council")
    assert commitment.span.text.endswith("a \u200bbuyers' mission.")
    assert ex.event is not None and ex.event.date == "2025-04-02"


def test_a_release_forwarded_with_quoted_lines(extract):
    text = "From: press@example.gov\nSubject: FW: outcome\n\n" + "".join(
        f"> {line}\n" if line else ">\n" for line in INVISIBLE.replace("\u200b", "").split("\n")
    )
    ex = extract(text)
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2025-04-02", "Haikou")
    assert [c.span.text[:31] for c in ex.commitments] == ["The Hong Kong Trade Development"]
    assert list(signed(ex)) == ["Memorandum of Understanding on Yacht Tourism"]


def test_a_markdown_table_in_a_quoted_message(extract):
    text = (
        "> The Hong Kong/Penang Co-operation Committee met in George Town today (March 3).\n"
        ">\n> The two sides agreed on the following items:\n>\n"
        "> | Area | Item |\n> |------|------|\n"
        "> | Tourism | The Hong Kong Tourism Board will promote joint itineraries |\n"
        "> | Trade | The Hong Kong Trade Development Council will lead a mission |\n"
    )
    ex = extract(text)
    assert [a.label for a in ex.areas] == ["Tourism", "Trade"]
    assert filed(ex) == [("Tourism", "The Hong Kong"), ("Trade", "The Hong Kong")]
