"""Property tests (Hypothesis) over extraction and ingest (issue 8, part 7): any text, any
file name and any bytes end in a result or the typed input error, never a traceback; and
every fact extracted keeps a quote that its offsets slice from the text.

Derandomized (the same examples on every run, so CI is deterministic) and kept to a few
hundred examples so that `make test` stays quick.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from kg.build import build_graph
from kg.errors import InputError, KgError
from kg.extract import extract_document
from kg.ingest import ingest
from kg.model import Source, Span
from kg.registry import load_corrections, load_registry
from kg.source import SIDECAR_SUFFIXES, read_source

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = load_registry(ROOT / "data" / "registry")
CORRECTIONS = load_corrections(ROOT / "data" / "corrections")

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Any character but surrogates (a str read from a file never holds one).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
# The genre's words and punctuation, so that examples reach the extractors' deeper rules
# (a post, a name, a body, a signing) and not only their first test.
GENRE = st.sampled_from(
    [
        "Mr", "Ms", "Dr", "Chan", "Tai-man", "Lee", "Wong", "Siu-ling", "C.", "Y.", "Leung",
        "the", "The", "of", "and", "for", "in", "with", "by", "Hong", "Kong", "Chongqing",
        "Guangdong", "Province", "Provincial", "Municipal", "Government", "Council", "Bureau",
        "Office", "Commission", "Trade", "Development", "Chief", "Executive", "Secretary",
        "Governor", "Mayor", "signed", "witnessed", "Memorandum", "Agreement", "on",
        "Co-operation", "Conference", "Plenary", "Session", "First", "agreed", "to", "will",
        "promote", "strengthen", "areas", "following", "(HKSAR)", "(", ")", "“", "”", '"',
        ",", ".", ";", ":", " ", "  ", "\n", "\n\n", "\t", "\f", "\r\n", "\x00", "\u2028",
        "\u00a0", "1.", "(a)", "•", "-", "—", "’s", "'s", "11", "May", "2024", "香港",
    ]
)  # fmt: skip
GENRE_TEXT = st.lists(GENRE, max_size=120).map(" ".join) | st.lists(GENRE, max_size=120).map(
    "".join
)
LONG_RUN = st.builds(lambda ch, n: ch * n, ANY_CHAR, st.integers(1_000, 30_000))
RELEASES = [
    p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "sources").glob("*.txt"))
]


@st.composite
def edited_release(draw: st.DrawFn) -> str:
    """A part of a real release with arbitrary characters put in or cut out at a few
    places: the rules fire, and quotes cross the odd characters (form feeds, line
    separators, NUL) that move line and sentence breaks."""
    text = draw(st.sampled_from(RELEASES))
    start = draw(st.integers(0, len(text)))
    text = text[start : start + draw(st.integers(0, 3000))]
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.text(ANY_CHAR, max_size=6) | GENRE) + text[at + cut :]
    return text


TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=400),
    GENRE_TEXT,
    edited_release(),
    st.lists(st.one_of(GENRE_TEXT, st.text(ANY_CHAR, max_size=40), LONG_RUN), max_size=4).map(
        " ".join
    ),
)


def spans(value: object, seen: set[int] | None = None) -> list[Span]:
    """Every Span held anywhere in an extraction's records."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, str | int | float | bool | type(None)):
        return []
    seen.add(id(value))
    if isinstance(value, Span):
        return [value]
    if dataclasses.is_dataclass(value):
        fields = (getattr(value, f.name) for f in dataclasses.fields(value))
        return [s for v in fields for s in spans(v, seen)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in spans(v, seen)]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for v in value for s in spans(v, seen)]
    return []


def test_spans_finds_nested_quotes():
    """The walker the properties rely on reaches spans inside lists inside records."""
    ex = extract_document(
        read_source(ROOT / "data" / "sources" / "004_938a3d0296569c86.txt"), REGISTRY, CORRECTIONS
    )
    found = spans(ex)
    people = [s for p in ex.people for s in p.mentions]
    assert people and all(any(s is f for f in found) for s in people)
    assert len(found) > 100


@PROPERTY
@given(text=TEXTS, kind=st.sampled_from([None, "press_release", "analysis"]))
def test_extract_returns_records_whose_quotes_slice_the_text(text, kind):
    source = Source(path="doc.txt", doc_id="doc", text=text, kind=kind)
    try:
        ex = extract_document(source, REGISTRY, CORRECTIONS)
    except KgError:
        event("typed error")
        return  # a typed error is a sound answer; anything else fails the test
    event("records" if spans(ex) else "nothing found")
    for span in spans(ex):
        assert 0 <= span.start <= span.end <= len(text), span
        assert text[span.start : span.end] == span.text, span


# A file name: printable or any Unicode text but "/" and NUL, that the file system takes.
NAMES = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=80
) | st.text(
    st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="/"),
    min_size=1,
    max_size=80,
)
CONTENTS = st.one_of(
    st.binary(max_size=300),
    TEXTS.map(lambda t: t.encode("utf-8")),
    st.sampled_from([b"", b"   \n", b"\xef\xbb\xbfMr Chan signed.\n", b"\xff\xfe\x00A"]),
)


def fresh_data(tmp_path: Path, name: str) -> Path:
    """An empty data folder with the project's registry (a new one for every example)."""
    folder = tmp_path / name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sources").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    return folder


def write_input(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "in"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    path = folder / name
    try:
        path.write_bytes(content)
    except OSError:
        assume(False)  # a name this file system refuses ("..", too long): not ingest's case
    return path


@PROPERTY
@given(name=NAMES, content=CONTENTS)
def test_ingest_takes_any_file_or_refuses_it_with_the_input_error(tmp_path, name, content):
    assume(name not in (".", ".."))
    data = fresh_data(tmp_path, "data")
    path = write_input(tmp_path, name, content)
    before = sorted(os.listdir(data / "sources"))
    try:
        (done,) = ingest([path], data)
    except InputError as e:
        event(f"refused: {e.message.split(':')[0][:40]}")
        assert sorted(os.listdir(data / "sources")) == before  # refused: nothing written
        return
    event("added")
    assert done.status == "added"
    assert done.path.parent == data / "sources"
    assert done.path.read_bytes() == content
    assert done.path.suffix not in SIDECAR_SUFFIXES
    # What was taken reads back as a document and extracts, every quote at its offsets.
    source = read_source(done.path)
    ex = extract_document(source, REGISTRY, CORRECTIONS)
    assert all(source.text[s.start : s.end] == s.text for s in spans(ex))


@settings(PROPERTY, max_examples=15)
@given(name=NAMES, content=CONTENTS)
def test_an_ingested_document_builds_or_is_left_out_with_a_reason(tmp_path, name, content):
    assume(name not in (".", ".."))
    data = fresh_data(tmp_path, "data")
    path = write_input(tmp_path, name, content)
    try:
        ingest([path], data)
    except InputError:
        return
    result = build_graph(data)
    event("built" if result.extractions else "left out")
    assert result.documents == 1
    kept, left = len(result.extractions), result.left_out
    assert (kept, len(left)) in ((1, 0), (0, 1))
    for out in left:
        assert out.reasons and all(r.strip() for r in out.reasons)


@pytest.mark.parametrize(
    "name",
    ["résumé.txt", "香港 重慶.txt", "a" * 200 + ".txt", " lead space.txt", "-dash.txt", "x.YAML"],
)
def test_awkward_names_ingest_or_are_refused_in_words(tmp_path, name):
    data = fresh_data(tmp_path, "data")
    path = write_input(tmp_path, name, b"Mr Chan Tai-man signed the Memorandum.\n")
    try:
        (done,) = ingest([path], data)
    except InputError as e:
        assert name.lower().endswith(".yaml") and "sidecar" in str(e)
        return
    assert done.status == "added"
    assert done.path.read_bytes() == path.read_bytes()


# The look-back helpers stand for regex searches over the text before a position.
LOOKBACK = st.lists(
    st.sampled_from(["A", "b", "Z", " ", "\n", "-", "’", "'", ",", ".", "é", "É", "_", "1",
                     "\u00a0", "aB", "Cc "]),
    max_size=14,
).map("".join)  # fmt: skip


@PROPERTY
@given(text=LOOKBACK, data=st.data())
def test_look_back_helpers_agree_with_the_searches_they_replace(text, data):
    from kg.extract.scan import capitalised_before, capitalised_words_before

    pos = data.draw(st.integers(0, len(text)))
    words = re.search(r"(?:[A-Z][\w'’-]*\s+)+$", text[:pos])
    assert capitalised_words_before(text, pos) == (words.start() if words else None)
    before = text[:pos].rstrip()
    for extra in ("'’-", "'’.-"):
        found = re.search(rf"[A-Z][\w{extra}]*$", before) is not None
        assert capitalised_before(text, pos, extra) == (bool(before) and found)


# Pieces of text where the partner's patterns of a place's level match and nearly match.
LEVEL_TEXT = st.lists(
    st.sampled_from(["Xanadu", "Hunan", "Provincial", "Province", "Municipal", "City", "Mayor",
                     "Vice Mayor", "Governor", "of", "the", "and", "Autonomous", "Region",
                     "Zhuang", "People's", " ", "  ", "\n", ",", ".", "(", "-", "x", "Aa"]),
    max_size=400,
).map(" ".join)  # fmt: skip


@PROPERTY
@given(text=LEVEL_TEXT)
def test_finditer_near_gives_what_finditer_gives(text):
    from kg.extract.partner import _literals, _patterns
    from kg.extract.scan import finditer_near
    from kg.extract.vocab import load_vocabulary

    vocab = load_vocabulary()
    for key, pattern in _patterns(vocab).items():
        if key != "mechanism":
            near = finditer_near(pattern, text, _literals(vocab)[key])
            assert [m.span() for m in near] == [m.span() for m in pattern.finditer(text)], key


@PROPERTY
@given(
    text=st.text(alphabet=st.sampled_from(list("aZ9_'’- \t\n\u00a0\u2003\u2028.,—é")), max_size=200)
)
def test_word_runs_are_the_runs_of_the_text(text):
    # The distinct words split on whitespace give the same runs as the whole text: no run
    # holds whitespace of any kind (str.split's, NBSP's and the line separator's too).
    from kg.extract.people_styles import _SPLIT_FROM, _WORD_RUN, word_runs

    long = text * (_SPLIT_FROM // max(len(text), 1) + 1)  # past the length it splits from
    assert word_runs(text) == set(_WORD_RUN.findall(text))
    assert word_runs(long) == set(_WORD_RUN.findall(long))
