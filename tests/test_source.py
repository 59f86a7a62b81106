"""Reading source documents: metadata, offsets, and one clear error for each kind of bad input."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.source import (
    MAX_ID,
    document_id,
    list_sources,
    metadata_problem,
    read_source,
    read_yaml,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
RELEASE = SOURCES / "004_938a3d0296569c86.txt"
ANALYSIS = SOURCES / "000_e2277f15603da9c5.txt"
SEEDS = ROOT.parent / "shared" / "seeds"


def test_the_release_and_its_metadata():
    src = read_source(RELEASE)
    assert src.doc_id == "004_938a3d0296569c86"
    assert src.date == "2023-05-11"
    assert src.kind == "press_release"
    assert src.publisher == "The Government of the Hong Kong Special Administrative Region"
    assert src.url is None
    assert src.language == "en"
    assert src.title.startswith("High-Level Meeting cum First Plenary Session")
    assert src.sha256 == hashlib.sha256(RELEASE.read_bytes()).hexdigest()
    assert src.text == RELEASE.read_bytes().decode("utf-8")


def test_the_analysis_has_no_invented_date_or_publisher():
    src = read_source(ANALYSIS)
    assert (src.kind, src.date, src.publisher, src.url) == ("analysis", None, None, None)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not beside the repository")
def test_sources_are_the_seeds_byte_for_byte():
    for path in (RELEASE, ANALYSIS):
        assert path.read_bytes() == (SEEDS / path.name).read_bytes()


def test_list_sources_sorted_without_sidecars(tmp_path):
    for name in ("b.txt", "a.txt", "a.yaml", ".hidden.txt"):
        (tmp_path / name).write_text("x: 1\n" if name.endswith("yaml") else "text\n")
    assert [p.name for p in list_sources(tmp_path)] == ["a.txt", "b.txt"]
    assert [p.name for p in list_sources(SOURCES)] == [ANALYSIS.name, RELEASE.name]


def test_a_bom_is_dropped_and_offsets_index_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHong Kong\r\nChongqing\n".encode())
    src = read_source(path)
    assert src.text == "Hong Kong\r\nChongqing\n"  # only the BOM goes; newlines stay
    assert src.doc_id == "bom" and src.title is None


def test_no_sidecar_means_no_metadata(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Some text.\n")
    src = read_source(path)
    assert (src.title, src.date, src.kind) == (None, None, None)


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_source(path)
    return info.value


def test_missing_file(tmp_path):
    err = _error(tmp_path / "nope.txt")
    assert err.path.endswith("nope.txt") and "no such file" in err.message


def test_directory(tmp_path):
    assert "directory" in _error(tmp_path).message


@pytest.mark.parametrize("content", [b"", b"  \n\t\n", "\u00a0\u00a0\n".encode()])
def test_empty_or_whitespace_only(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _error(path).message in ("empty file", "file holds only whitespace")


def test_binary_names_the_line(tmp_path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"line one\nline two\x00\x01\n")
    err = _error(path)
    assert "binary" in err.message and err.line == 2
    assert str(err).endswith(":2: binary file (contains NUL bytes), not text")


def test_non_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("one\ntwo\ncaf\u00e9\n".encode("latin-1"))
    err = _error(path)
    assert "not UTF-8" in err.message and (err.line, err.column) == (3, 4)


def test_malformed_sidecar_names_its_line(tmp_path):
    shutil.copy(RELEASE, tmp_path / "doc.txt")
    (tmp_path / "doc.yaml").write_text("id: doc\ntitle: [unclosed\ndate: 2023-05-11\n")
    err = _error(tmp_path / "doc.txt")
    assert err.path.endswith("doc.yaml") and err.line == 3 and "malformed YAML" in err.message


@pytest.mark.parametrize(
    ("sidecar", "words"),
    [
        ("id: doc\ncolour: red\n", "unknown metadata field"),
        ("id: doc\ndate: 11 May 2023\n", "YYYY-MM-DD"),
        ("id: doc\ndate: 2024-06-31\n", "not a real day"),
        ("id: doc\nurl: https://example.org/a b\n", "url holds a space"),
        ("id: other\n", "does not match"),
        ("id: doc\nid: doc\n", "duplicate key"),
        ("- a list\n", "must be a mapping"),
    ],
)
def test_bad_sidecar_fields(tmp_path, sidecar, words):
    (tmp_path / "doc.txt").write_text("Text.\n")
    (tmp_path / "doc.yaml").write_text(sidecar)
    err = _error(tmp_path / "doc.txt")
    assert words in err.message and err.line is not None


def test_read_yaml_keeps_lines(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("- name: a\n- name: b\n  kind: c\n")
    data = read_yaml(path)
    assert [d.line for d in data] == [1, 2]


SAFE = r"^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("hk sichuan 2023", "hk-sichuan-2023"),
        ("004_938a3d0296569c86", "004_938a3d0296569c86"),  # a safe id is its own id
        ("x_y", "x_y"),
        ("x-y", "x-y"),
        ("HK.Sichuan..2023", "hk-sichuan-2023"),  # dots and case
        ("--rf", "rf"),  # a leading dash would read as an option
        ("-_-", "doc-" + hashlib.sha256(b"-_-").hexdigest()[:8]),  # nothing left
        ("Zürich Forum", "zurich-forum"),  # accents fold, no hash needed
        ("香港四川合作会议", "doc-" + hashlib.sha256("香港四川合作会议".encode()).hexdigest()[:8]),
        ("hk 合作 2023", "hk-2023-" + hashlib.sha256("hk 合作 2023".encode()).hexdigest()[:8]),
        ("a;b$(rm)`x`", "a-b-rm-x"),
    ],
)
def test_document_ids_are_safe_and_stable(stem, expected):
    assert document_id(stem) == expected
    assert re.match(SAFE, expected)
    assert document_id(expected) == expected  # the id of a stored document is its stem


def test_an_overlong_name_is_cut_and_keeps_a_hash_of_the_whole():
    long_a, long_b = "a" * 250, "a" * 249 + "b"
    ids = document_id(long_a), document_id(long_b)
    assert [len(i) for i in ids] == [MAX_ID, MAX_ID]
    assert ids[0] != ids[1] and ids[0].startswith("a" * 71 + "-")
    assert all(re.match(SAFE, i) and document_id(i) == i for i in ids)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("url", "https://example.org/a b", "url holds a space at character 22"),
        ("url", "ftp://example.org/a", "must start with http:// or https://"),
        ("url", "https:///a", "url has no host"),
        ("url", "https://example.org:99999/", "url is malformed"),
        ("url", "https://example.org/<script>", "url holds '<' at character 21"),
        (
            "url",
            "https://example.org/\udcff",
            "url holds a lone surrogate (U+DCFF) at character 21",
        ),
        ("date", "2023-02-30", "date 2023-02-30 is not a real day"),
        ("date", "30 May 2023", "date must be a day YYYY-MM-DD"),
        ("title", "Plenary \udce2\udc80", "title holds a lone surrogate (U+DCE2) at character 9"),
        ("title", "Plenary\x07", "title holds a control character (U+0007) at character 8"),
        ("title", "Line one\nline two", "title holds a control character (U+000A)"),
        ("title", "x" * 501, "title is 501 characters long (at most 500)"),
        ("title", "   ", "title is blank"),
        ("publisher", "Info\u2028Services", "publisher holds a control character (U+2028)"),
        ("language", "English", "language must be a language tag"),
    ],
)
def test_bad_metadata_values_are_named(key, value, words):
    assert words in (metadata_problem(key, value) or "")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("url", "https://www.info.gov.hk/gia/general/202305/11/P2023051100573.htm"),
        ("url", "http://example.org/path?q=1#frag"),
        ("url", "https://例子.测试/路径"),  # an IRI may hold non-ASCII letters
        ("date", "2024-02-29"),
        ("title", "香港／四川合作會議 – “Plenary”"),
        ("language", "zh-Hant"),
        ("title", None),
    ],
)
def test_good_metadata_values_pass(key, value):
    assert metadata_problem(key, value) is None


def test_a_hand_edited_sidecar_with_a_bad_url_names_its_file(tmp_path):
    (tmp_path / "doc.txt").write_text("Text.\n")
    (tmp_path / "doc.yaml").write_text("id: doc\nurl: https://example.org/a b\n")
    err = _error(tmp_path / "doc.txt")
    assert err.path.endswith("doc.yaml") and "url holds a space" in err.message


def test_an_awkward_name_put_by_hand_reads_under_its_safe_id(tmp_path):
    (tmp_path / "hk sichuan 2023.txt").write_text("Text.\n")
    (tmp_path / "hk sichuan 2023.yaml").write_text("id: hk sichuan 2023\ntitle: T\n")
    src = read_source(tmp_path / "hk sichuan 2023.txt")
    assert (src.doc_id, src.title) == ("hk-sichuan-2023", "T")


def test_names_with_bytes_that_are_not_utf8_or_newlines_read_under_safe_ids(tmp_path):
    names = [os.fsdecode(b"caf\xe9 report.txt"), "line\nbreak.txt", "-rf .txt", "noext"]
    for name in names:
        (tmp_path / name).write_text("Text.\n")
    ids = [read_source(tmp_path / name).doc_id for name in names]
    assert ids[1:] == ["line-break", "rf", "noext"]
    assert ids[0].startswith("caf-report-") and re.match(SAFE, ids[0])
