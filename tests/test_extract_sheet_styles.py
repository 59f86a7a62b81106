"""House styles met in the spent fifth held-out set and in dev31..dev38, each tested on a
small release written for the test after the code (not a copy of any labelled text):
questions and answers, a communiqué's articles, a key-outcomes box with "Area N:" and
"Action N.M", a bilingual page with 【】 titles, a members' newsletter with pictographs and
check marks, and a circular; with their signings (a dash or a colon before the signatories,
《》 titles, "by 'cloud signing'") and their dates ("last Friday (14 March)", "yesterday (18
August)", "on Wednesday 7 June")."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, filed, signed


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


QUESTIONS = """\
FACT SHEET
Hong Kong/Shaoxing Co-operation Meeting: first meeting

Q1. What is the meeting?
A1. A new channel between the HKSAR Government and the Shaoxing Municipal People's \
Government.

Q2. When was it held?
A2. In Shaoxing on 3 April 2025, co-chaired by Mr Clement Woo and Mr Shi Jun.

Q3. Which fields will the two sides work on?
A3. Three: textiles and fashion; rice wine and food; and youth exchanges.

Q4. What was agreed on textiles and fashion?
A4. The Hong Kong Design Centre will hold a fashion week showcase for Shaoxing brands.

Q5. And rice wine?
A5. The two sides agreed to:
– invite Shaoxing wineries to the Hong Kong International Wine & Spirits Fair; and
– support the Hong Kong Quality Assurance Agency in certifying Shaoxing rice wine.

Q6. How will young people benefit?
A6. Shaoxing will offer 50 internships to Hong Kong students every summer.

Q7. Were documents signed?
A7. Yes, a memorandum of understanding on fashion design co-operation.
"""


def test_questions_and_answers_that_list_the_areas(extract) -> None:
    ex = extract(QUESTIONS, "2025-04-04")
    assert ex.stated_area_count == 3
    assert [a.label for a in ex.areas] == [
        "textiles and fashion",
        "rice wine and food",
        "youth exchanges",
    ]
    assert filed(ex) == [
        ("textiles and fashion", "The Hong Kong"),
        ("rice wine and food", "invite Shaoxing wineries"),
        ("rice wine and food", "support the Hong"),
        ("youth exchanges", "Shaoxing will offer"),
    ]


COMMUNIQUE = """\
JOINT COMMUNIQUÉ
of the Second Meeting of the Hong Kong/Liuzhou Co-operation Conference

Liuzhou, 9 May 2026

The Parties have held the Second Meeting and record the following:

Article 1
The Meeting

The meeting was co-chaired by Mr Chan Kwok-ki and Mr Zhang Wei. The Parties will co-operate \
in the three areas set out in Articles 2 to 4 below.

Article 2
Automobiles

The Parties agree to support Liuzhou carmakers in setting up sales offices in Hong Kong.

Article 3
Snail Noodles and Food

The Parties agree to invite Liuzhou food firms to the Hong Kong Food Expo.

Article 4
Youth

The Parties agree to arrange exchange tours for students of the two places.

Article 5
Final Provisions

The Parties agree that the next meeting will be held in Hong Kong.
"""


def test_a_communique_s_articles_counted_by_a_sentence(extract) -> None:
    ex = extract(COMMUNIQUE)
    assert [a.label for a in ex.areas] == ["Automobiles", "Snail Noodles and Food", "Youth"]
    assert [area for area, _ in filed(ex)] == ["Automobiles", "Snail Noodles and Food", "Youth"]
    assert ex.event is not None
    assert ex.event.label == "Second Meeting of the Hong Kong/Liuzhou Co-operation Conference"
    assert ex.event.place == "Liuzhou"


OUTCOMES = """\
Remarks by SCED at the First Meeting of the Hong Kong/Huizhou Co-operation Conference

     Following are the remarks by the Secretary for Commerce and Economic Development, Mr \
Algernon Yau, at the meeting in Huizhou today (March 12):

Mayor Li (Mayor of Huizhou, Mr Li Qiang), ladies and gentlemen,

     Good morning. We have agreed on practical actions in three areas. Thank you.

━━━━━━━━━━━━━━━━━━━━━━━━━━━━
KEY OUTCOMES
━━━━━━━━━━━━━━━━━━━━━━━━━━━━
Co-chairs: Mr Algernon Yau | Mr Li Qiang
Areas: 3    Actions: 4

Area 1: Petrochemicals
Action 1.1 Huizhou to invite Hong Kong traders to its petrochemical park
Action 1.2 Hong Kong Productivity Council to advise on green production

Area 2: Tourism
Action 2.1 Both sides to promote Xunliao Bay to Hong Kong visitors

Area 3: Youth
Action 3.1 Huizhou to offer internships to Hong Kong students

Documents signed:
• Memorandum on Petrochemical Trade – Mr Algernon Yau and Mr Li Qiang
━━━━━━━━━━━━━━━━━━━━━━━━━━━━

Ends/Thursday, March 12, 2026
"""


def test_a_key_outcomes_box_after_remarks(extract) -> None:
    ex = extract(OUTCOMES)
    assert [a.label for a in ex.areas] == ["Petrochemicals", "Tourism", "Youth"]
    assert filed(ex) == [
        ("Petrochemicals", "Huizhou to invite"),
        ("Petrochemicals", "Hong Kong Productivity"),
        ("Tourism", "Both sides to"),
        ("Youth", "Huizhou to offer"),
    ]
    assert signed(ex) == {"Memorandum on Petrochemical Trade": ["Algernon Yau", "Li Qiang"]}


BILINGUAL = """\
梅州发布
Zhaoqing Release

【Meeting overview】
【会议概况】

On 12 June, the First Meeting of the Zhaoqing-Hong Kong Co-operation Conference was held in \
Zhaoqing.

6月12日，肇庆—香港合作会议第一次会议在肇庆召开。

▲ The meeting in progress.
▲ 会议现场。

The two sides agreed to co-operate in two areas.

双方同意在两个领域合作。

01 | Inkstones and crafts
01 | 端砚与工艺

Support Zhaoqing inkstone makers in exhibiting at Hong Kong fairs.

支持肇庆端砚企业参加香港展览。

02 | Green energy
02 | 绿色能源

Encourage Hong Kong investors to take part in Zhaoqing's hydrogen projects.

鼓励香港投资者参与肇庆氢能项目。

【Agreements signed】
【签署协议】

At the meeting, Mr Tse and Ms Liang exchanged, by "cloud signing", the 《Memorandum on Craft \
Trade Co-operation》.
"""


def test_a_bilingual_page_with_bracketed_titles(extract) -> None:
    ex = extract(BILINGUAL, "2025-06-13")
    assert [a.label for a in ex.areas] == ["Inkstones and crafts", "Green energy"]
    assert filed(ex) == [
        ("Inkstones and crafts", "Support Zhaoqing inkstone"),
        ("Green energy", "Encourage Hong Kong"),
    ]
    assert signed(ex) == {"Memorandum on Craft Trade Co-operation": ["Tse", "Liang"]}
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2025-06-12", "Zhaoqing")


NEWSLETTER = """\
Member eNews  |  Issue 40  |  20 May 2025

🌉 Hong Kong × Jieyang: what the conference means for you

The 2nd Hong Kong/Jieyang Co-operation Conference took place in Jieyang last Friday (16 May). \
Co-chaired by Mr Yau and Jieyang Mayor Zhang Min, the conference agreed on two areas.

🏭 Jade and jewellery

✓ Jieyang will send jade carvers to the Hong Kong International Jewellery Show.
✓ Support the Gemmological Institute of Hong Kong in training Jieyang appraisers.

🛒 Trade

✓ The two sides will promote Hong Kong as the sourcing hub for Jieyang hardware.

✍️ Signed on the day

▸ "Memorandum on Jade Trade" — between the Hong Kong Trade Development Council and the \
Jieyang Municipal Bureau of Commerce

Read more ›
"""


def test_a_newsletter_with_pictographs_and_check_marks(extract) -> None:
    ex = extract(NEWSLETTER)
    assert [a.label for a in ex.areas] == ["Jade and jewellery", "Trade"]
    assert filed(ex) == [
        ("Jade and jewellery", "Jieyang will send"),
        ("Jade and jewellery", "Support the Gemmological"),
        ("Trade", "The two sides"),
    ]
    assert list(signed(ex)) == ["Memorandum on Jade Trade"]
    assert ex.event is not None and ex.event.date == "2025-05-16"
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Zhang Min"] == ["Jieyang Mayor"]


def test_a_circular_dated_yesterday_and_a_fair_on_a_weekday(extract) -> None:
    circular = (
        "Circular No. 2025/12\n\nSubject: Outcome of the Hong Kong/Shantou Co-operation "
        "Meeting\n\nDear Members,\n\nThe Hong Kong/Shantou Co-operation Meeting was held "
        "yesterday (18 August) by video conference. The two sides agreed to:\n\n"
        "1) support Shantou toy makers at Hong Kong fairs; and\n\n"
        "2) promote Shantou's Chaozhou cuisine to Hong Kong visitors.\n"
    )
    ex = extract(circular, "2025-08-19")
    assert ex.event is not None
    assert (ex.event.label, ex.event.date) == (
        "Hong Kong/Shantou Co-operation Meeting",
        "2025-08-18",
    )
    weekday = (
        "A delegation joined the Second Hong Kong–Qingyuan Economic and Trade Co-operation "
        "Conference in Qingyuan on Wednesday 7 June. The two sides agreed to:\n\n"
        "1) support Qingyuan in promoting its hot springs.\n"
    )
    ex = extract(weekday, "2023-06-20")
    assert ex.event is not None
    assert (ex.event.date, ex.event.place, ex.jurisdictions) == (
        "2023-06-07",
        "Qingyuan",
        ["Hong Kong", "Qingyuan"],
    )


def test_every_word_of_the_patterns_is_text() -> None:
    """YAML reads a bare On, Off, Yes or No as a boolean: a word list holding one silently
    lacks that word (name_stopwords once lacked "On")."""
    from pathlib import Path

    import yaml

    import kg.extract

    data = yaml.safe_load((Path(kg.extract.__file__).parent / "patterns.yaml").read_text())

    def booleans(node, path):
        if isinstance(node, bool):
            yield path
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from booleans(key, [*path, "key"])
                yield from booleans(value, [*path, key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from booleans(value, [*path, i])

    assert list(booleans(data, [])) == []


def test_names_with_subjects_before_the_head_and_an_owner_before_them(extract) -> None:
    text = (
        "The First Meeting of the Hong Kong/Taizhou Co-operation Conference was held in "
        "Taizhou today (June 3). The two sides agreed to:\n\n"
        "1. support the Taizhou Municipal Culture, Radio, Film and Tourism Bureau in "
        "promoting river cruises;\n\n"
        "2. invite Taizhou designers to the HKSTP's Incubation Centre and to the West Kowloon "
        "Cultural District; and\n\n"
        "3. support the Taizhou Polytechnic and the Fish Marketing Organization in training "
        "fishers, with help from CMA Testing and Certification Laboratories.\n"
    )
    found = {o.label for o in extract(text).organizations}
    assert {
        "Taizhou Municipal Culture, Radio, Film and Tourism Bureau",
        "Incubation Centre",
        "West Kowloon Cultural District",
        "Taizhou Polytechnic",
        "Fish Marketing Organization",
        "CMA Testing and Certification Laboratories",
    } <= found
    assert "Radio, Film and Tourism Bureau" not in found
    assert "HKSTP's Incubation Centre" not in found


def test_a_caption_credit_and_two_posts_after_an_honoured_name(extract) -> None:
    text = (
        "1 / 4  The meeting in session. [Photo/Lishui Municipal Bureau of Commerce]\n\n"
        "The First Meeting of the Hong Kong/Lishui Co-operation Conference was held in "
        "Lishui on May 8. It was co-chaired by Mr. Wu Gang, Deputy Secretary of the CPC "
        "Lishui Municipal Committee and Mayor of Lishui, and Mr Paul Lam. The two sides "
        "agreed to:\n\n1. support Lishui mushroom growers at Hong Kong fairs.\n"
    )
    ex = extract(text, "2025-05-09")
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Wu Gang"] == [
        "Deputy Secretary of the CPC Lishui Municipal Committee",
        "Mayor of Lishui",
    ]
    labels = {o.label for o in ex.organizations}
    assert "Lishui Municipal Bureau of Commerce" in labels
    assert not any(label.startswith("Photo/") for label in labels)


BLOG = """\
Five things members should know about the Hong Kong/Putian Co-operation Conference

I listened in on the First Meeting of the [Hong Kong/Putian Co-operation \
Conference](https://www.example.org/putian) on 4 March. It was co-chaired by \
[Mr Paul Lam](https://www.example.org/sj) and the Mayor of Putian, Mr Li Jian. Co-operation \
was agreed in two areas.

- **Shoes and sportswear**
    - The [Hong Kong Productivity Council](https://www.hkpc.org/) and the Putian Footwear \
Association will jointly run a design clinic.
    - Putian will send 30 brands to the [Hong Kong Fashion Week](https://example.org/fw).

  *My take:* members have waited for this for years.

- **Health**
    - Support the [Hospital Authority](https://www.ha.org.hk/) and Putian University in \
training nurses.
"""


def test_a_blog_post_with_links_and_bold_labels_in_its_list(extract) -> None:
    ex = extract(BLOG, "2025-03-05")
    assert [a.label for a in ex.areas] == ["Shoes and sportswear", "Health"]
    assert filed(ex) == [
        ("Shoes and sportswear", "The [Hong Kong"),
        ("Shoes and sportswear", "Putian will send"),
        ("Health", "Support the [Hospital"),
    ]
    labels = {o.label for o in ex.organizations}
    assert {"Hong Kong Productivity Council", "Putian Footwear Association"} <= labels
    assert "Hospital Authority" in labels
    assert not any("http" in label or "[" in label for label in labels)
    pairs = {(p.a, p.b) for c in ex.commitments for p in c.partnerships}
    assert ("Hong Kong Productivity Council", "Putian Footwear Association") in pairs
    # The quotes are the page's own words, links and all.
    assert ex.commitments[0].span.text.startswith("The [Hong Kong Productivity Council](https:")
    assert ex.event is not None
    assert ex.event.label == "First Meeting of the Hong Kong/Putian Co-operation Conference"


def test_a_signing_lead_in_and_an_end_mark_close_areas_led_in_prose(extract) -> None:
    text = (
        "HONG KONG, Nov. 2 -- The Second Meeting of the Hong Kong-Handan Co-operation "
        "Conference was held in Hong Kong on Monday (November 2).\n\n"
        "In steel, Handan will encourage its mills to list in Hong Kong.\n\n"
        "In culture, the two sides will promote the idiom town of Handan to Hong Kong "
        "schools.\n\n"
        "These documents were signed:\n\n"
        "Document | Signed by\n"
        "Memorandum on Steel Trade | Invest Hong Kong and Handan Municipal Bureau of Commerce\n\n"
        "Enditem\n"
    )
    ex = extract(text, "2026-11-03")
    assert filed(ex) == [("steel", "In steel, Handan"), ("culture", "In culture, the")]
    assert [d.title for d in ex.documents] == ["Memorandum on Steel Trade"]
    assert ex.documents[0].parties == ["Invest Hong Kong", "Handan Municipal Bureau of Commerce"]


def test_a_list_of_participants_gives_each_post_its_body(extract) -> None:
    text = (
        "The Third Working Meeting on Hong Kong/Anshun Co-operation was held by video "
        "conference today (June 9). The two sides agreed to:\n\n"
        "1. support Anshun batik makers at Hong Kong craft fairs.\n\n"
        "Appendix\n\nHong Kong side\n"
        "Miss Ada Chow Wing-yee, Principal Assistant Secretary for Commerce and Economic "
        "Development\n"
        "Mr Ben Lui Kin-pong, Director, Hong Kong Economic and Trade Office in Chengdu\n\n"
        "Anshun side\n"
        "Ms Luo Jing, Deputy Director, Anshun Municipal Bureau of Commerce (Co-chair)\n"
    )
    posts = {p.name: [h.post for h in p.posts] for p in extract(text, "2025-06-09").people}
    assert posts == {
        "Ada Chow Wing-yee": [
            "Principal Assistant Secretary for Commerce and Economic Development"
        ],
        "Ben Lui Kin-pong": ["Director, Hong Kong Economic and Trade Office in Chengdu"],
        "Luo Jing": ["Deputy Director, Anshun Municipal Bureau of Commerce"],
    }
