"""`kg.evaluate`: scoring on tiny hand-made answers, bad gold files, and the dev set's floor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InputError
from kg.evaluate import (
    EXTRA_FIELDS,
    FIELDS,
    EvalResult,
    Score,
    evaluate,
    format_eval_table,
    load_gold,
    normalize,
    score_document,
)

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "devset"
DATA = ROOT / "data"

# The dev set's micro-averaged F1 per field as measured, rounded down to 2 decimals. Raise a
# floor when the extractor improves; a fall below one means a change made extraction worse.
# Measured on 45 documents after dev39..dev44 joined (an Invest Hong Kong release, a
# newswire copy, a Legislative Council paper with an annex, a mainland newspaper's story, a
# city website's item, a statutory body's release with a table of memoranda), labelled
# before tuning (they scored 0.773 then, 0.973 after): the floors below 1.0 are their misses
# left and those of dev31..dev38 (a communiqué signed by its own signature block, an action
# plan "adopted" then signed as "the Action Plan", a media contact's name over her post, a
# place given only as "In Wenzhou, on 9 November"), not a fall of the documents before them.
FLOORS = {
    "areas": 1.0,
    "commitments": 0.99,
    "organizations": 0.98,
    "people": 0.99,
    "documents": 0.99,
    "commitment_areas": 0.99,
    "posts": 0.98,
    "signatories": 0.95,
    "event": 0.99,
    "stated_area_count": 0.98,
    # Pairs the text states; misses are mostly pairs of groups the group vocabulary lacks.
    "partnerships": 0.91,
}
MACRO_FLOOR = 0.99


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def predicted(**parts: Any) -> dict[str, Any]:
    """A `kg extract --json` object with only the given parts filled in."""
    base: dict[str, Any] = {
        "source": {"path": "mini.txt", "title": None, "date": None, "place": None},
        "event": None,
        "stated_area_count": None,
        "areas": [],
        "commitments": [],
        "organizations": [],
        "groups": [],
        "people": [],
        "documents": [],
    }
    return base | parts


GOLD = """\
document: mini
event: {label: First Plenary Session of the Hong Kong/Sichuan Co-operation Conference,
        date: 2017-06-02, place: Chengdu}
stated_area_count: 2
areas:
  - {label: Finance, heading_in_text: true}
  - {label: Culture and Tourism, heading_in_text: true}
commitments:
  - {area: Finance, starts: Support Sichuan enterprises to list}
  - {area: Finance, starts: Strengthen exchanges between regulators}
  - {area: Culture and Tourism, starts: Jointly develop tourism products}
  - {area: null, starts: Promote youth exchanges}
organizations:
  - [Hong Kong Trade Development Council, HKTDC]
  - Sichuan University
  - Hospital Authority
people:
  - {name: Chan Kwok-ki, posts: [Chief Secretary for Administration]}
  - {name: Yang Xingping, posts: [[Vice Governor of Sichuan Province, Vice Governor of Sichuan]]}
documents:
  - title: Framework Agreement on Hong Kong/Sichuan Co-operation
    signatories: [Chan Kwok-ki, Yang Xingping]
  - title: [Agreement on economic co-operation, Economic co-operation agreement]
    signatories: []
"""


@pytest.fixture
def gold(tmp_path):
    return load_gold(write(tmp_path / "mini.yaml", GOLD))


def test_normalize_ignores_case_punctuation_numbering_and_spelling():
    assert normalize("1. Culture & Tourism:") == normalize("culture and tourism")
    assert normalize("(a) The Co-operation Memorandum") == normalize("cooperation memorandum")
    assert normalize("Hong Kong Trade Development Council (HKTDC)") == normalize(
        "the Hong Kong Trade Development Council"
    )
    assert normalize("People’s Government") == normalize("People's Government")
    assert normalize("Finance") != normalize("Financial Services")


def test_score_counts_and_empty_conventions():
    s = Score(correct=3, predicted=4, gold=6)
    assert (s.precision, s.recall) == (0.75, 0.5)
    assert s.f1 == pytest.approx(0.6)
    assert (Score(0, 0, 0).precision, Score(0, 0, 0).recall, Score(0, 0, 0).f1) == (1, 1, 1)
    assert (Score(0, 0, 2).precision, Score(0, 0, 2).f1) == (0, 0)
    assert (Score(0, 3, 0).recall, Score(0, 3, 0).f1) == (0, 0)
    assert Score(1, 2, 3) + Score(2, 2, 2) == Score(3, 4, 5)


def test_areas_and_commitments_scored_apart_from_area_assignment(gold):
    pred = predicted(
        areas=[{"label": "1. FINANCE", "heading_in_text": True}, {"label": "Trade"}],
        commitments=[
            {"area": "Finance", "text": "Support Sichuan enterprises to list in Hong Kong."},
            # The right paragraph filed under the wrong area: a commitment, not its area.
            {"area": "Finance", "text": "Jointly develop tourism products and routes."},
            # An inline label before the commitment's words is allowed.
            {"area": None, "text": "Youth: promote youth exchanges in summer."},
            # "Strengthen exchanges" alone is not the gold's first words.
            {"area": "Finance", "text": "Strengthen exchanges in general."},
        ],
    )
    res = score_document(pred, gold)
    assert res.scores["areas"] == Score(1, 2, 2)
    assert res.scores["commitments"] == Score(3, 4, 4)
    assert res.scores["commitment_areas"] == Score(2, 4, 4)
    assert res.missed["areas"] == ["Culture and Tourism"]
    assert res.spurious["areas"] == ["Trade"]
    assert res.missed["commitments"] == ["Strengthen exchanges between regulators"]


def test_matching_is_one_to_one_and_maximal(gold):
    # The first paragraph could claim either gold item that it starts with; a greedy choice of
    # the first would leave the second paragraph unmatched.
    pred = predicted(
        commitments=[
            {"area": None, "text": "Promote youth exchanges"},
            {"area": None, "text": "Promote youth exchanges"},
        ]
    )
    assert score_document(pred, gold).scores["commitments"] == Score(1, 2, 4)


def test_organizations_match_by_label_alias_or_alternative(gold):
    pred = predicted(
        organizations=[
            {"label": "HKTDC", "aliases": []},  # a gold alternative
            {"label": "四川大学", "aliases": ["Sichuan University"]},  # a predicted alias
            {"label": "Hospital", "aliases": []},
            {"label": "Hong Kong Trade Development Council", "aliases": []},  # counted once
        ],
        groups=[{"label": "Hong Kong universities", "aliases": []}],
    )
    res = score_document(pred, gold)
    assert res.scores["organizations"] == Score(2, 4, 3)
    assert "groups" not in res.scores  # the gold lists no groups: they are not scored


def test_partnerships_are_unordered_pairs_matched_by_any_name_of_each_side(tmp_path):
    gold = load_gold(
        write(
            tmp_path / "mini.yaml",
            GOLD
            + "partnerships:\n"
            + "  - [[Hong Kong Trade Development Council, HKTDC], Sichuan University]\n"
            + "  - [Hospital Authority, Sichuan University]\n",
        )
    )

    def commitment(*pairs: list[str]) -> dict[str, Any]:
        return {"area": None, "text": "x", "partnerships": [{"partners": p} for p in pairs]}

    pred = predicted(
        organizations=[
            {"label": "Trade Council", "aliases": ["HKTDC"]},  # a predicted alias
            {"label": "Sichuan University", "aliases": []},
            {"label": "Hospital Authority", "aliases": []},
        ],
        commitments=[
            commitment(["Sichuan University", "Trade Council"]),  # either order
            commitment(["Trade Council", "Sichuan University"]),  # once per document
            commitment(["Hospital Authority", "Trade Council"]),
        ],
    )
    res = score_document(pred, gold)
    assert res.scores["partnerships"] == Score(1, 2, 2)
    assert res.missed["partnerships"] == ["Hospital Authority — Sichuan University"]
    assert res.spurious["partnerships"] == ["Hospital Authority — Trade Council"]


def test_people_posts_documents_signatories_event_count(gold):
    pred = predicted(
        people=[
            {"name": "Mr Chan Kwok-ki", "posts": ["the Chief Secretary for Administration"]},
            {"name": "Ms Yang Xingping", "posts": ["Vice Governor of Sichuan", "Governor"]},
            {"name": "Mr Leung", "posts": []},
        ],
        documents=[
            {
                "title": "Framework Agreement on Hong Kong/Sichuan Cooperation",
                "signatories": ["Chan Kwok-ki", "Leung"],
                "parties": [],
            },
            {"title": "Economic Co-operation Agreement", "signatories": [], "parties": []},
        ],
        event={
            "label": "Hong Kong/Sichuan Co-operation Conference",
            "date": "2017-06-02",
            "place": "Chengdu",
        },
        stated_area_count=3,
    )
    res = score_document(pred, gold)
    assert res.scores["people"] == Score(2, 3, 2)
    assert res.scores["posts"] == Score(2, 3, 2)
    assert res.scores["documents"] == Score(2, 2, 2)
    assert res.scores["signatories"] == Score(1, 2, 2)
    assert res.scores["event"] == Score(2, 3, 3)  # the label is not the meeting's
    assert res.scores["stated_area_count"] == Score(0, 1, 1)


def test_result_totals_macro_table_and_json(gold):
    perfect = score_document(
        predicted(
            areas=[{"label": "Finance"}, {"label": "Culture and Tourism"}],
            organizations=[{"label": "Hospital Authority", "aliases": []}],
        ),
        gold,
    )
    empty = score_document(predicted(), gold)
    result = EvalResult([perfect, empty])
    totals = result.totals()
    assert totals["areas"] == Score(2, 2, 4)
    assert totals["organizations"] == Score(1, 1, 6)
    macro = result.macro()
    assert macro["f1"] == pytest.approx(sum(totals[f].f1 for f in FIELDS) / 5)
    table = format_eval_table(result, per_document=True)
    assert table == result.table(per_document=True)
    for name in (*FIELDS, "macro average", "F1 per document", "mini"):
        assert name in table
    data = json.loads(json.dumps(result.to_json()))
    assert data["fields"]["areas"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "correct": 2,
        "predicted": 2,
        "gold": 4,
    }
    assert set(data["macro"]) == {"precision", "recall", "f1"}
    assert data["documents"][1]["missed"]["areas"] == ["Finance", "Culture and Tourism"]


def test_seed_spelling_of_gold_is_read(tmp_path):
    g = load_gold(
        write(
            tmp_path / "seed.yaml",
            "areas: []\ncommitments: []\norganizations: [A Council]\n"
            "generic_groups: [Hong Kong universities]\n"
            "people:\n  - {name: John Lee, post: Chief Executive}\ndocuments: []\n",
        )
    )
    assert [i.shown for i in g.items["groups"]] == ["Hong Kong universities"]
    assert [i.shown for i in g.items["posts"]] == ["John Lee: Chief Executive"]


# --- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("areas: [\n", 2, "malformed YAML"),
        ("- just a list\n", 1, "must be a mapping"),
        ("areas: []\ncommitments: []\norganizations: []\npeople: []\n", 1, "'documents'"),
        (
            "areas: []\ncommitments: []\norganizations: []\npeople: []\ndocuments: []\n"
            "colour: red\n",
            6,
            "unknown gold field 'colour'",
        ),
        (
            "areas: []\ncommitments:\n  - {area: A, starts: Support}\n  - {area: A}\n"
            "organizations: []\npeople: []\ndocuments: []\n",
            4,
            "'starts'",
        ),
        (
            "areas: []\ncommitments: []\norganizations:\n  - Good Council\n  - 42\n"
            "people: []\ndocuments: []\n",
            3,
            "organisation's name",
        ),
        (
            "areas: []\ncommitments: []\norganizations: []\npeople: []\ndocuments: []\n"
            "partnerships:\n  - [A Council, B Bureau, C Office]\n",
            6,
            "a pair [A, B]",
        ),
        (
            "stated_area_count: eleven\nareas: []\ncommitments: []\norganizations: []\n"
            "people: []\ndocuments: []\n",
            1,
            "whole number",
        ),
    ],
)
def test_malformed_gold_names_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(InputError) as err:
        load_gold(path)
    assert err.value.path == str(path)
    assert err.value.line == line
    assert message in err.value.message


RELEASE = """\
Hong Kong/Sichuan Co-operation Conference held in Chengdu
The Chief Secretary for Administration, Mr Chan Kwok-ki, co-chaired the First Plenary Session \
of the Hong Kong/Sichuan Co-operation Conference in Chengdu today (June 2).
The two sides agreed on the following two co-operation areas:
Finance
Support Sichuan enterprises to list in Hong Kong.
Tourism
Support the Hong Kong Tourism Board in promotion in Sichuan.
Ends/Friday, June 2, 2017
"""


@pytest.fixture
def mini_set(tmp_path):
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    write(docs / "mini.txt", RELEASE)
    write(gold / "mini.yaml", GOLD)
    return docs, gold


def test_evaluate_runs_the_extractor_on_files_and_folders(mini_set):
    docs, gold = mini_set
    for arg in (docs, docs / "mini.txt", [str(docs / "mini.txt")]):
        result = evaluate(arg, gold, DATA / "registry", DATA / "corrections")
        assert [d.document for d in result.documents] == ["mini"]
        assert set(result.documents[0].scores) >= {*FIELDS, *EXTRA_FIELDS} - {
            "groups",
            "partnerships",
        }


def test_evaluate_missing_gold_names_the_file(mini_set):
    docs, gold = mini_set
    write(docs / "other.txt", RELEASE)
    with pytest.raises(InputError) as err:
        evaluate(docs, gold, DATA / "registry", DATA / "corrections")
    assert err.value.path == str(gold / "other.yaml")
    assert "other.txt" in err.value.message


def test_evaluate_rejects_a_gold_for_another_document(mini_set):
    docs, gold = mini_set
    write(gold / "mini.yaml", GOLD.replace("document: mini", "document: maxi"))
    with pytest.raises(InputError, match="answers document 'maxi', not 'mini'"):
        evaluate(docs, gold, DATA / "registry", DATA / "corrections")


def test_evaluate_rejects_missing_folders(tmp_path, mini_set):
    docs, gold = mini_set
    with pytest.raises(InputError, match="no such gold folder"):
        evaluate(docs, tmp_path / "nowhere", DATA / "registry")
    with pytest.raises(InputError, match="no such file or folder"):
        evaluate(tmp_path / "nowhere.txt", gold, DATA / "registry")


# --- the development set -------------------------------------------------------------------
@pytest.fixture(scope="module")
def devset() -> EvalResult:
    return evaluate(DEVSET / "docs", DEVSET / "gold", DATA / "registry", DATA / "corrections")


def test_devset_holds_the_seed_and_at_least_nine_written_documents(devset):
    names = [d.document for d in devset.documents]
    assert "004_938a3d0296569c86" in names
    assert len([n for n in names if n.startswith("dev")]) >= 9
    readme = (DEVSET / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in names), "every document is described in the README"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_devset_field_stays_at_its_measured_level(devset, name):
    assert devset.totals()[name].f1 >= FLOORS[name], devset.table(per_document=True)


def test_devset_macro_average_stays_at_its_measured_level(devset):
    assert devset.macro()["f1"] >= MACRO_FLOOR, devset.table(per_document=True)


# The held-out sets, each scored once when it was unseen (macro F1 0.915, 0.884, 0.797,
# 0.673, 0.605, 0.915, 0.777, 0.839, 0.966), were then tuned on (the seventh to ninth in
# stop 19, each just after its score): they are development texts now, held at their level
# after the last round (0.975, 0.990, 0.991, 0.997, 0.993, 0.971, 0.987, 0.939, 0.995) so
# that a later change cannot silently undo it.
SPENT = {
    "heldout": 0.97,
    "heldout2": 0.98,
    "heldout3": 0.99,
    "heldout4": 0.99,
    "heldout5": 0.99,
    "heldout6": 0.97,
    "heldout7": 0.98,
    "heldout8": 0.93,
    "heldout9": 0.99,
    "heldout11": 0.99,
    "heldout12": 0.99,
    "heldout13": 0.99,
    # Scored 0.806 unseen at stop 26, then tuned on in the same stop (0.957).
    "heldout16": 0.95,
    # Scored 0.774 unseen at stop 27, then tuned on in the same stop (0.979).
    "heldout17": 0.97,
    # Scored 0.784 unseen at stop 28 (written by a helper kept away from kg/extract/),
    # then tuned on in the same stop (0.972).
    "heldout18": 0.96,
    # Scored 0.472 unseen at stop 29 (written by a helper kept away from kg/extract/), then
    # tuned on in the same stop (0.602: its subtitle file, CSV and article are not read),
    # and at stop 30 (0.719: a document signed in passing no longer closes the areas, and
    # a spreadsheet saved as CSV is read as a table).
    "heldout19": 0.71,
}


@pytest.mark.parametrize("name", sorted(SPENT))
def test_spent_heldout_set_stays_at_its_measured_level(name):
    folder = ROOT / "tests" / name
    result = evaluate(folder / "docs", folder / "gold", DATA / "registry", DATA / "corrections")
    assert len(result.documents) == len(list((folder / "docs").glob("*.txt")))
    assert result.macro()["f1"] >= SPENT[name], result.table(per_document=True)
