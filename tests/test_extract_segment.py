"""Paragraphs and sentences with exact offsets; chrome; a body printed twice read once."""

from __future__ import annotations

from pathlib import Path

from kg.extract.segment import drop_repeats, segment, sentences
from kg.extract.vocab import load_vocabulary
from kg.source import read_source

ROOT = Path(__file__).resolve().parents[1]
VOCAB = load_vocabulary()


def _texts(text):
    return [b.text for b in segment(text, VOCAB) if not b.chrome]


def test_spans_slice_the_text_and_edges_are_clean():
    for path in sorted((ROOT / "data" / "sources").glob("*.txt")):
        text = read_source(path).text
        for block in segment(text, VOCAB):
            assert text[block.span.start : block.span.end] == block.text
            assert block.text == block.text.strip(" \u00a0\t\r\n•")


def test_chrome_bullets_and_blank_lines():
    text = (
        "Go to main content\nTitle\n\u00a0 \u00a0 First para.\n\n\n"
        '  \u2022 "A title"; and\nEnds/Thursday, May 11, 2023\nIssued at HKT 19:50\n'
    )
    blocks = segment(text, VOCAB)
    assert [(b.text, b.chrome) for b in blocks] == [
        ("Go to main content", True),
        ("Title", False),
        ("First para.", False),
        ('"A title"; and', False),
        ("Ends/Thursday, May 11, 2023", True),
        ("Issued at HKT 19:50", True),
    ]
    assert blocks[3].marker == "bullet" and blocks[3].blank_before == 2


def test_a_hard_wrapped_line_joins_its_paragraph():
    text = "Support the two places to jointly\norganise fairs.\nFinance\n"
    blocks = segment(text, VOCAB)
    assert [b.text for b in blocks] == [
        "Support the two places to jointly\norganise fairs.",
        "Finance",
    ]


def test_a_repeated_body_is_read_once():
    body = ["Title", "One sentence here.", "Two sentences here.", "Three here."]
    text = "\n".join(body + body[1:]) + "\n\n\n"
    assert _texts(text) == body


def test_a_single_short_repeated_line_stays():
    text = "Finance\nEncourage A.\nFinance\nEncourage B.\n"
    assert _texts(text) == ["Finance", "Encourage A.", "Finance", "Encourage B."]


def test_the_analysis_body_is_read_once():
    text = read_source(ROOT / "data" / "sources" / "000_e2277f15603da9c5.txt").text
    paras = _texts(text)
    assert len(paras) == 22 and len(set(paras)) == 22
    assert paras[0].startswith("New cooperation framework")
    assert paras[-1].startswith("As cooperation expands")
    assert max(b.span.end for b in segment(text, VOCAB)) < len(text) / 2 + 200


def test_drop_repeats_keeps_chrome():
    blocks = segment("A long enough line.\nB line.\nA long enough line.\nB line.\nEnds/x\n", VOCAB)
    assert [b.text for b in drop_repeats(blocks)] == ["A long enough line.", "B line.", "Ends/x"]


def test_sentences_keep_offsets():
    text = "At the meeting, Mr. Lee spoke (May 11). Deputy Director Mr Wang attended. End"
    block = segment(text, VOCAB)[0]
    spans = sentences(block, frozenset({"Mr"}))
    assert [s.text for s in spans] == [
        "At the meeting, Mr. Lee spoke (May 11).", "Deputy Director Mr Wang attended.", "End"
    ]  # fmt: skip
    assert all(text[s.start : s.end] == s.text for s in spans)
