"""The meeting a document reports, however its house writes the mechanism's name: sides
joined by a hyphen in either order, words between the sides and the head, a name in lower
case or led by a year, and a name given only below a news site's headline and chrome."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.identity import mechanism_label
from kg.model import Source

ROOT = Path(__file__).resolve().parents[1]


def event_of(registry, text: str, date: str | None = "2025-03-04"):
    source = Source(path="inline", doc_id="inline", text=text, date=date)
    event = extract_document(source, registry).event
    assert event is not None
    assert event.span is not None and text[event.span.start : event.span.end] == event.span.text
    return event


@pytest.mark.parametrize(
    ("sentence", "label", "mechanism"),
    [
        (
            "The 7th Plenary Session of the Zhejiang-Hong Kong Cooperation Joint Conference "
            "was held in Hangzhou today (March 4).",
            "7th Plenary Session of the Zhejiang-Hong Kong Cooperation Joint Conference",
            "Hong Kong/Zhejiang Co-operation Joint Conference",
        ),
        (
            "The Hong Kong-Tianjin Economic and Trade Co-operation Conference opened in Tianjin "
            "today (March 4).",
            "Hong Kong-Tianjin Economic and Trade Co-operation Conference",
            "Hong Kong/Tianjin Economic and Trade Co-operation Conference",
        ),
        (
            "Officials met in Fuzhou today (March 4) for the second meeting of the Hong Kong - "
            "Fujian Co-operation Conference.",
            "second meeting of the Hong Kong - Fujian Co-operation Conference",
            "Hong Kong/Fujian Co-operation Conference",
        ),
        (
            "Leaders from both sides co-chaired the 2025 Jiangsu-Hong Kong Co-operation "
            "Joint Meeting in Nanjing today (March 4).",
            "2025 Jiangsu-Hong Kong Co-operation Joint Meeting",
            "Hong Kong/Jiangsu Co-operation Joint Meeting",
        ),
    ],
    ids=["partner-first", "words-before-head", "spaced-hyphen-lower-case", "year-first"],
)
def test_a_hyphenated_mechanism_name_is_the_meeting(registry, sentence, label, mechanism):
    event = event_of(registry, f"Headline of the day\n{sentence}\n")
    assert event.label == label
    assert event.date == "2025-03-04"
    places = {name: list(j.aliases) for name, j in registry.jurisdictions.items()}
    assert mechanism_label(event.mechanism, places) == mechanism


def test_today_with_its_year_in_the_brackets(registry):
    # The year in the brackets wins over a date line of another year (a copy's).
    text = (
        "Headline of the day\n"
        "The Third Meeting of the Hong Kong/Tianjin Co-operation Conference was held in "
        "Tianjin today (March 3, 2026).\n"
        "Ends/Friday, January 8, 2027\n"
    )
    assert event_of(registry, text).date == "2026-03-03"


def test_a_name_below_a_news_sites_chrome_is_found(registry):
    lines = [
        "Skip to main content",
        "news portal",
        "Economy | City | World",
        "Regional news",
        "HK, Tianjin sign up for closer ties",
        "March 4, 2025",
        "Officials of both places said the ties were closer than ever.",
        "Ten new projects were announced.",
        "The leaders attended the Third Plenary Session of the Hong Kong/Tianjin Co-operation "
        "Conference in Tianjin today (March 4).",
    ]
    event = event_of(registry, "\n\n".join(lines) + "\n")
    assert event.label == "Third Plenary Session of the Hong Kong/Tianjin Co-operation Conference"
    assert event.ordinal == 3


def test_a_capitalised_article_is_not_part_of_a_side(registry):
    event = event_of(registry, "Title\nThe Hong Kong-Hainan Co-operation Conference met.\n")
    assert event.label == "Hong Kong-Hainan Co-operation Conference"


# -- dates and places in other houses' styles (sentences written after the rules) ---------
def test_a_weekday_date_takes_the_year_of_a_page_updated_a_day_later(registry):
    text = (
        "Tianjin and Hong Kong deepen ties\n\n"
        "Updated: 2024-10-18 08:05\n\n"
        "The Second Meeting of the Tianjin-Hong Kong Cooperation Conference was held in "
        "Tianjin on Thursday (October 17). The two sides reviewed their work.\n"
    )
    event = event_of(registry, text, date="2024-10-18")
    assert (event.date, event.place) == ("2024-10-17", "Tianjin")


def test_a_news_dateline_dates_the_meeting_not_the_issue_line(registry):
    text = (
        "WEEKLY PORT NEWS -- Issue 7/2024 -- Friday 16 February 2024\n\n"
        "TIANJIN, February 15 -- Officials held the Fourth Meeting of the Hong Kong/Tianjin "
        "Co-operation Conference in Tianjin on Thursday.\n"
    )
    event = event_of(registry, text, date="2024-02-16")
    assert (event.date, event.place, event.ordinal) == ("2024-02-15", "Tianjin", 4)


def test_a_high_level_meeting_day_first_and_a_city_described_before_its_name(registry):
    text = (
        "Leaders meet in the provincial capital\n\n"
        "The Third Hong Kong/Hainan Co-operation High-level Meeting was held in the provincial "
        "capital, Haikou, today (9 May).\n"
    )
    event = event_of(registry, text, date="2024-05-10")
    assert event.label == "Third Hong Kong/Hainan Co-operation High-level Meeting"
    assert (event.date, event.place, event.ordinal) == ("2024-05-09", "Haikou", 3)


def test_a_past_meetings_city_is_not_this_ones(registry):
    text = (
        "Officials review co-operation\n\n"
        "The two sides held the Working Meeting of the Hong Kong/Hainan Co-operation "
        "Conference by video conference today (March 4), a year after the First Plenary "
        "Session held in Haikou in 2024.\n"
    )
    assert event_of(registry, text).place is None


@pytest.mark.parametrize(
    "sentence",
    [
        "1. The Second Meeting of the Tianjin-Hong Kong Co-operation Conference took place "
        "in Binhai today (March 4).",
        "1. The Second Meeting of the Tianjin-Hong Kong Co-operation Conference opened in "
        "Binhai today (March 4).",
    ],
    ids=["took-place", "opened"],
)
def test_the_place_is_read_where_the_meeting_is_named_below_a_title_and_dateline(
    registry, sentence
):
    text = "JOINT STATEMENT\nOn closer ties\nTianjin, 4 March 2025\n\n" + sentence + "\n"
    event = event_of(registry, text)
    assert (event.place, event.date, event.ordinal) == ("Binhai", "2025-03-04", 2)


@pytest.mark.parametrize(
    ("dateline", "place"),
    [
        ("PERTH, 12 March 2027 -- ", "Perth"),
        ("Wellington, March 12, 2027 - ", "Wellington"),
        ("SAN FRANCISCO, Mar. 12, 2027 — ", "San Francisco"),
    ],
)
def test_an_unnamed_meetings_place_from_its_dateline(registry, dateline, place):
    text = (
        "Hong Kong and partners sign trade pact\n\n"
        f"{dateline}Invest Hong Kong and the Tasman Business Council signed a Memorandum "
        "of Understanding on Start-up Exchange today.\n\n"
        "The two sides will co-organise a start-up week in Hong Kong every year.\n"
    )
    event = event_of(registry, text, date=None)
    assert (event.place, event.date) == (place, "2027-03-12")
