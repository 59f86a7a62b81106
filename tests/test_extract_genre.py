"""Layouts and phrasings of the genre, each on a tiny hand-made release whose answer can be
checked by eye: colon headings, hard-wrapped text, unquoted and plural document titles,
names and posts of many shapes, ordinals, and awkward input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.model import Extraction, Source

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def extract(registry):
    def run(text: str) -> Extraction:
        return extract_document(Source(path="inline", doc_id="inline", text=text), registry)

    return run


def spans_slice(ex: Extraction) -> None:
    text = ex.source.text
    spans = [c.span for c in ex.commitments] + [a.span for a in ex.areas if a.span]
    spans += [m for o in ex.organizations for m in o.mentions]
    spans += [h.span for p in ex.people for h in p.posts] + [
        m for p in ex.people for m in p.mentions
    ]
    spans += [d.span for d in ex.documents if d.span]
    spans += [ex.event.span] if ex.event and ex.event.span else []
    for span in spans:
        assert text[span.start : span.end] == span.text


def orgs(ex: Extraction) -> set[str]:
    return {o.label for o in ex.organizations}


# -- areas --------------------------------------------------------------------------------
def test_sentence_case_headings_ending_in_a_colon(extract):
    ex = extract(
        "Hong Kong/Beijing Co-operation Conference convened in Beijing\n"
        "     Following the meeting, the two sides agreed to deepen co-operation as follows:\n"
        "Financial services:\n"
        "- Support Beijing enterprises in listing in Hong Kong.\n"
        "- Encourage Hong Kong financial institutions to take part.\n"
        "Youth exchanges:\n"
        "- Continue to organise internship programmes.\n"
        "Innovation and technology:\n"
        "     The two sides will:\n"
        "- promote exchanges between start-ups; and\n"
        "- support joint laboratories.\n"
    )
    assert [a.label for a in ex.areas] == [
        "Financial services", "Youth exchanges", "Innovation and technology"
    ]  # fmt: skip
    assert [(c.area, c.span.text.split()[0]) for c in ex.commitments] == [
        ("Financial services", "Support"),
        ("Financial services", "Encourage"),
        ("Youth exchanges", "Continue"),
        ("Innovation and technology", "promote"),
        ("Innovation and technology", "support"),
    ]


def test_areas_listed_in_prose_when_as_many_as_stated(extract):
    ex = extract(
        "Title of the release\n"
        "   The two sides agreed on 16 items in four areas, namely finance, innovation and "
        "technology, culture and tourism, and youth development. They include:\n"
        "(1) Support enterprises in issuing bonds.\n"
        "(2) Promote youth exchanges.\n"
    )
    assert ex.stated_area_count == 4
    assert [a.label for a in ex.areas] == [
        "finance", "innovation and technology", "culture and tourism", "youth development"
    ]  # fmt: skip
    assert [c.area for c in ex.commitments] == [None, None]
    spans_slice(ex)


def test_inline_labels_name_the_areas_of_a_list(extract):
    ex = extract(
        "Title of the release\n"
        "   The two sides agreed to focus on the following:\n"
        "   • Finance: support enterprises in listing in Hong Kong;\n"
        "   • Legal services: support exchanges between arbitration bodies; and\n"
        "   • Youth: support exchange tours.\n"
        "   Officials attending included:\n"
        "   • the Secretary for Justice, Mr Paul Example.\n"
    )
    assert [a.label for a in ex.areas] == ["Finance", "Legal services", "Youth"]
    assert [c.area for c in ex.commitments] == ["Finance", "Legal services", "Youth"]


def test_a_last_heading_with_nothing_under_it_is_not_an_area(extract):
    ex = extract(
        "Title of the release\n"
        "   The two sides agreed to co-operate in the following areas:\n"
        "Finance\n"
        "   Support enterprises in listing in Hong Kong.\n"
        "Visits\n"
        "   During the visit, Mr Chan Tai-man also called on local enterprises.\n"
    )
    assert [a.label for a in ex.areas] == ["Finance"]


# -- hard-wrapped text --------------------------------------------------------------------
WRAPPED = (
    "Second Plenary Session of Hong Kong/Sichuan Co-operation Conference held in Hong Kong\n"
    "\n"
    "The Chief Secretary for Administration, Mr Chan Kwok-ki, and the Vice\n"
    "Governor of Sichuan Province, Mr Luo Qiang, co-chaired the Second Plenary\n"
    "Session of the Hong Kong/Sichuan Co-operation Conference in Hong Kong today\n"
    "(October 17).\n"
    "\n"
    "The two sides agreed to deepen co-operation in two areas:\n"
    "\n"
    "Trade and logistics\n"
    "\n"
    "(a) Support the Hong Kong Trade Development Council in holding the Hong\n"
    "Kong-Sichuan Business Forum in Chengdu in 2026, and encourage the Hospital\n"
    "Authority and the West China Hospital of Sichuan University to co-operate in\n"
    "the training of specialists and in clinical research with Hong Kong young\n"
    "people.\n"
    "\n"
    "Innovation and technology\n"
    "\n"
    "(a) Establish a joint fund between the Innovation and Technology Commission\n"
    "and the Sichuan Provincial Department of Science and Technology to support\n"
    "joint research.\n"
    "\n"
    'After the plenary session, Mr Chan and Mr Luo signed the "Co-operation\n'
    "Memorandum of the Second Plenary Session of the Hong Kong/Sichuan\n"
    'Co-operation Conference". The Commissioner for Innovation and Technology, Ms\n'
    "Wong Lok-yi, and the Director of the Sichuan Provincial Department of\n"
    'Science and Technology, Mr Deng Hongwei, then exchanged the "Agreement on\n'
    'the Hong Kong/Sichuan Joint Research Fund".\n'
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_hard_wrapped_paragraphs_are_rebuilt(extract, newline):
    ex = extract(WRAPPED.replace("\n", newline))
    assert [a.label for a in ex.areas] == ["Trade and logistics", "Innovation and technology"]
    assert ex.stated_area_count == 2
    first = ex.commitments[0].span.text
    assert first.startswith("Support the Hong Kong") and first.endswith(f"young{newline}people.")
    assert newline in first  # the span runs across line breaks, as the text does
    assert {"Hong Kong-Sichuan Business Forum", "West China Hospital of Sichuan University",
            "Hong Kong/Sichuan Joint Research Fund"} <= orgs(ex)  # fmt: skip
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Luo Qiang"] == ["Vice Governor of Sichuan Province"]
    assert posts["Wong Lok-yi"] == ["Commissioner for Innovation and Technology"]
    assert [(d.title, d.signatories) for d in ex.documents] == [
        ("Co-operation Memorandum of the Second Plenary Session of the Hong Kong/Sichuan "
         "Co-operation Conference", ["Chan Kwok-ki", "Luo Qiang"]),
        ("Agreement on the Hong Kong/Sichuan Joint Research Fund", ["Wong Lok-yi", "Deng Hongwei"]),
    ]  # fmt: skip
    spans_slice(ex)


def test_indented_wrapped_paragraphs_without_blank_lines(extract):
    ex = extract(
        "A title\n"
        "    The Chief Secretary for Administration, Mr Chan Kwok-ki, and the\n"
        "Executive Vice Governor of Hubei Province, Mr Sun Wei, co-chaired the\n"
        "Second Plenary Session of the Hong Kong/Hubei Co-operation Conference\n"
        "in Hong Kong today (September 3).\n"
        "    The two sides agreed to strengthen co-operation in the following\n"
        "areas:\n"
        "1. Health\n"
        "    Deepen co-operation between the Hospital Authority and the Hubei\n"
        "Provincial Health Commission in training medical professionals.\n"
        "    Support the Hong Kong Academy of Medicine in organising exchanges\n"
        "with medical professionals in Hubei.\n"
    )
    assert [a.label for a in ex.areas] == ["Health"]
    assert len(ex.commitments) == 2
    assert {p.name: p.posts[0].post for p in ex.people}["Sun Wei"] == (
        "Executive Vice Governor of Hubei Province"
    )


def test_short_lines_ending_sentences_are_not_a_wrapped_text(extract):
    ex = extract("Title\nEncourage A to act.\nSupport B in acting.\nPromote C.\n" * 3)
    assert all("\n" not in c.span.text for c in ex.commitments)


# -- documents ----------------------------------------------------------------------------
def test_unquoted_titles_listed_after_a_signing_sentence(extract):
    ex = extract(
        "Title of the release\n"
        "   After the Plenary, witnessed by Mrs Fanny Lam and Mr Wang Jianhua, representatives "
        "of the two sides signed seven co-operation agreements. They include:\n"
        "- the Co-operation Agreement on Science and Technology Innovation between the "
        "Innovation and Technology Bureau and the Department of Science and Technology of "
        "Guangdong Province;\n"
        "- the Memorandum of Understanding on Healthcare Co-operation between the Food and "
        "Health Bureau and the Health Commission of Guangdong Province (Chinese only); and\n"
        "- the Arrangement on Youth Development, signed by Mr Ho Ka-ming and Ms Zhou Ling.\n"
        "   Other officials attending included the Financial Secretary, Mr Chan Ho-yin.\n"
    )
    assert [d.title for d in ex.documents] == [
        "Co-operation Agreement on Science and Technology Innovation between the Innovation "
        "and Technology Bureau and the Department of Science and Technology of Guangdong "
        "Province",
        "Memorandum of Understanding on Healthcare Co-operation between the Food and Health "
        "Bureau and the Health Commission of Guangdong Province",
        "Arrangement on Youth Development",
    ]
    assert [d.signatories for d in ex.documents] == [[], [], ["Ho Ka-ming", "Zhou Ling"]]
    assert ex.documents[0].parties == [
        "Innovation and Technology Bureau",
        "Department of Science and Technology of Guangdong Province",
    ]


def test_agreements_on_several_subjects_are_several_documents(extract):
    ex = extract(
        "Title of the release\n"
        "   Witnessed by Mr Chan Kwok-ki, the relevant departments also signed agreements on "
        "economic, Chinese medicine and vocational education co-operation. They signed 12 "
        "agreements on trade and culture, and agreements on finance and other areas.\n"
    )
    assert [(d.title, d.signatories) for d in ex.documents] == [
        ("Agreement on economic co-operation", []),
        ("Agreement on Chinese medicine co-operation", []),
        ("Agreement on vocational education co-operation", []),
    ]


def test_a_short_form_and_a_passive_signing_name_the_signatories(extract):
    ex = extract(
        "Title of the release\n"
        "   Mr Chan Kwok-ki and Ms Zhang Guozhi witnessed the signing of the following documents:\n"
        '  • "Co-operation Memorandum of the Second Plenary Session of the Hong Kong/Chongqing '
        'Co-operation Conference"; and\n'
        '  • "Memorandum of Understanding on Co-operation in Chinese Medicine".\n'
        "   The Co-operation Memorandum was signed by the Under Secretary for Constitutional and "
        "Mainland Affairs, Mr Clement Woo, and the Director of the Hong Kong and Macao Affairs "
        "Office of Chongqing Municipal People's Government, Mr Li Zhaohui, witnessed by "
        "Mr Chan Kwok-ki.\n"
        "   Mr Lee Ka-ming and Mr Wu Qing then signed the Co-operation Agreement on Youth "
        "Exchange between the Home and Youth Affairs Bureau and the Shanghai Municipal Commission "
        "of Commerce and the Framework Agreement on Culture.\n"
    )
    docs = {d.title: d.signatories for d in ex.documents}
    assert docs == {
        "Co-operation Memorandum of the Second Plenary Session of the Hong Kong/Chongqing "
        "Co-operation Conference": ["Clement Woo", "Li Zhaohui"],
        "Memorandum of Understanding on Co-operation in Chinese Medicine": [],
        "Co-operation Agreement on Youth Exchange between the Home and Youth Affairs Bureau and "
        "the Shanghai Municipal Commission of Commerce": ["Lee Ka-ming", "Wu Qing"],
        "Framework Agreement on Culture": ["Lee Ka-ming", "Wu Qing"],
    }


# -- organisations ------------------------------------------------------------------------
def test_names_of_many_shapes(extract):
    ex = extract(
        "Title of the release\n"
        "   Support the Hong Kong Heritage Museum, the Shanghai Symphony Orchestra, the "
        "Chengdu Hi-tech Industrial Development Zone, the Shanghai-Hong Kong Stock Connect and "
        "Bond Connect, the Zhangjiang Science City, the Shanghai Data Exchange, the Chengdu "
        "Research Base of Giant Panda Breeding, the Panda Cultural Week, the Business of Design "
        "Week, the Hubei-Hong Kong Week of Investment and Trade, the Asian Financial Forum and "
        "the China (Fujian) Pilot Free Trade Zone.\n"
        "   Support the Shanghai Shenkang Hospital Development Center, Huazhong University of "
        "Science and Technology and the City University of Hong Kong, the Hong Kong Economic and "
        "Trade Office in Xiamen and the Liaison Office of the Central People's Government in the "
        "HKSAR.\n"
        '   Jointly promote the "Hubei Products Going Global" campaign and the Culture, Sports '
        "and Tourism Bureau.\n"
    )
    assert orgs(ex) == {
        "Hong Kong Heritage Museum", "Shanghai Symphony Orchestra",
        "Chengdu Hi-tech Industrial Development Zone", "Shanghai-Hong Kong Stock Connect",
        "Bond Connect", "Zhangjiang Science City", "Shanghai Data Exchange",
        "Chengdu Research Base of Giant Panda Breeding", "Panda Cultural Week",
        "Business of Design Week", "Hubei-Hong Kong Week of Investment and Trade",
        "Asian Financial Forum", "China (Fujian) Pilot Free Trade Zone",
        "Shanghai Shenkang Hospital Development Center",
        "Huazhong University of Science and Technology", "City University of Hong Kong",
        "Hong Kong Economic and Trade Office in Xiamen",
        "Liaison Office of the Central People's Government in the Hong Kong Special "
        "Administrative Region",
        "Hubei Products Going Global", "Culture, Sports and Tourism Bureau",
    }  # fmt: skip
    kinds = {o.label: o.kind for o in ex.organizations}
    assert kinds["Bond Connect"] == kinds["Hubei Products Going Global"] == "programme"
    assert kinds["Panda Cultural Week"] == "event"
    assert kinds["Hong Kong Economic and Trade Office in Xiamen"] == "agency"
    spans_slice(ex)


def test_hubs_being_built_and_posts_are_not_bodies(extract):
    ex = extract(
        "Title of the release\n"
        "   Shanghai will support Hong Kong institutions in taking part in the building of the "
        "Shanghai International Reinsurance Centre, and support the Shanghai International "
        "Arbitration Center. Hong Kong will invite teams to the Golden Week events.\n"
        "   Member of the Standing Committee of the CPC Guangdong Provincial Committee and "
        "Executive Vice Governor of Guangdong Province Mr Zhang Hu also attended.\n"
    )
    assert orgs(ex) == {
        "Shanghai International Arbitration Center",
        "Standing Committee of the CPC Guangdong Provincial Committee",
    }
    assert ex.people[0].posts[0].post == "Executive Vice Governor of Guangdong Province"


# -- posts and the event ------------------------------------------------------------------
def test_posts_of_many_shapes(extract):
    ex = extract(
        "Title of the release\n"
        "   Attending were the Secretary for Financial Services and the Treasury, Mr Lau Chun-kit; "
        "the Director of the Hong Kong Economic and Trade Office in Shanghai, Mr Kwok Tin-yau; "
        "the Permanent Secretary for Commerce and Economic Development (Commerce, Industry and "
        "Tourism), Dr Cheng Pui-ling; the Deputy Secretary-General of the Beijing Municipal "
        "People's Government, Mr Wang Hong; the Party Secretary of the Beijing Municipal "
        "Commerce Bureau, Mr Yan Li; the Vice Chairman of the Beijing Federation of Industry and "
        "Commerce, Ms Ren Ning; the Vice-Governor of Hubei Province, Ms Zhang Wenbing; and the "
        "Secretary of the Chongqing Municipal Committee of the Communist Party of China (CPC), "
        "Ir Ma Lin.\n"
    )
    assert {p.name: p.posts[0].post for p in ex.people} == {
        "Lau Chun-kit": "Secretary for Financial Services and the Treasury",
        "Kwok Tin-yau": "Director of the Hong Kong Economic and Trade Office in Shanghai",
        "Cheng Pui-ling": "Permanent Secretary for Commerce and Economic Development "
        "(Commerce, Industry and Tourism)",
        "Wang Hong": "Deputy Secretary-General of the Beijing Municipal People's Government",
        "Yan Li": "Party Secretary of the Beijing Municipal Commerce Bureau",
        "Ren Ning": "Vice Chairman of the Beijing Federation of Industry and Commerce",
        "Zhang Wenbing": "Vice-Governor of Hubei Province",
        "Ma Lin": "Secretary of the CPC Chongqing Municipal Committee",
    }
    eto = next(p for p in ex.people if p.name == "Kwok Tin-yau").posts[0]
    assert eto.body == "Hong Kong Economic and Trade Office in Shanghai"


@pytest.mark.parametrize(
    ("phrase", "ordinal"),
    [("22nd Plenary", 22), ("Twenty-second Plenary", 22), ("Fifth Meeting", 5),
     ("Twentieth Plenary Session", 20), ("High-Level Meeting cum First Plenary Session", 1)],
)  # fmt: skip
def test_ordinals_in_the_meeting_label(extract, phrase, ordinal):
    ex = extract(
        "Hong Kong/Guangdong Co-operation Joint Conference holds meeting by video conference\n"
        f"   The two sides co-chaired the {phrase} of the Hong Kong/Guangdong Co-operation Joint "
        "Conference by video conference today (September 14).\n"
    )
    assert ex.event.label == f"{phrase} of the Hong Kong/Guangdong Co-operation Joint Conference"
    assert ex.event.ordinal == ordinal


# -- awkward input ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "Only a title",
        "Title\r\rA paragraph with old Mac line ends.\rAnother one.\r",
        "Title\n\tTabbed paragraph with “curly” quotes，full-width commas：and 香港 text。\n",
        "Title\n   A release with no areas and no people: nothing was agreed.\n",
        "Title\n" + "Hong Kong Science Park Alpha Beta " * 5000 + "\n",
        "Title\n" + 'signed the "' * 5000 + "\n",
        "Title\n" + "the Deputy Director of the " + " of the ".join(["Alpha Office"] * 3000) + "\n",
    ],
    ids=["empty", "blank", "title", "cr", "cjk", "nothing", "caps", "quotes", "posts"],
)
def test_awkward_input_does_not_crash(extract, text):
    spans_slice(extract(text))


def test_a_long_document_is_read(extract):
    """About 200 KB of the genre's lines (speed is measured in benchmarks/extract_speed.py)."""
    docs = sorted((ROOT / "tests" / "devset" / "docs").glob("dev*.txt"))
    lines = [line for p in docs for line in p.read_text(encoding="utf-8").splitlines()]
    text = "\n".join(f"{line} Item {n}." for n, line in enumerate(lines * 12))
    assert len(text) > 200_000
    ex = extract(text)
    assert ex.people and ex.organizations
    spans_slice(ex)
