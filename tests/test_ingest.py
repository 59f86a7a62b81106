"""kg.ingest: documents join data/sources under their own name with their metadata; the
same document is skipped, a different one under a taken name is refused, and bad input
leaves the folder as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from kg.build import build_graph
from kg.errors import InputError
from kg.ingest import ingest
from kg.source import read_source

ROOT = Path(__file__).resolve().parents[1]
MULTI = ROOT / "tests" / "fixtures" / "multi" / "sources"
GUANGXI = MULTI / "hk-guangxi-2024-first-plenary.txt"
META = {
    "title": "First Plenary Session of Hong Kong/Guangxi Co-operation Conference",
    "date": "2024-06-18",
    "url": "https://www.info.gov.hk/gia/general/202406/18/P2024061800001.htm",
}


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    (folder / "sources").mkdir()
    return folder


@pytest.fixture
def plain(tmp_path):
    """A release without a sidecar of its own."""
    path = tmp_path / "in" / "guangxi.txt"
    path.parent.mkdir()
    path.write_bytes(GUANGXI.read_bytes())
    return path


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "sources").iterdir())}


def test_a_document_joins_sources_with_its_metadata(data, plain):
    (done,) = ingest([plain], data, META)
    assert done.status == "added"
    assert done.path == data / "sources" / "guangxi.txt"
    assert done.path.read_bytes() == plain.read_bytes()
    assert yaml.safe_load(done.sidecar.read_text(encoding="utf-8")) == {"id": "guangxi", **META}
    source = read_source(done.path)
    assert (source.doc_id, source.title, source.date, source.url) == (
        "guangxi",
        META["title"],
        META["date"],
        META["url"],
    )
    assert sorted(listing(data)) == ["guangxi.txt", "guangxi.yaml"]


def test_a_sidecar_beside_the_file_is_copied_as_it_is(data):
    (done,) = ingest([GUANGXI], data)
    assert done.status == "added"
    assert done.sidecar.read_bytes() == GUANGXI.with_suffix(".yaml").read_bytes()


def test_options_override_the_files_own_sidecar(data):
    (done,) = ingest([GUANGXI], data, {"title": "Another title", "place": "Nanning"})
    meta = yaml.safe_load(done.sidecar.read_text(encoding="utf-8"))
    assert meta["title"] == "Another title"
    assert meta["place"] == "Nanning"
    assert meta["date"] == "2024-06-18"  # from the file's own sidecar
    assert meta["id"] == "hk-guangxi-2024-first-plenary"


def test_ingesting_again_is_a_no_op_and_new_metadata_updates_the_sidecar(data, plain):
    ingest([plain], data, META)
    before = listing(data)
    assert [d.status for d in ingest([plain], data, META)] == ["unchanged"]
    assert [d.status for d in ingest([plain], data)] == ["unchanged"]
    assert listing(data) == before
    (done,) = ingest([plain], data, {"title": "Corrected title"})
    assert done.status == "updated"
    meta = yaml.safe_load(done.sidecar.read_text(encoding="utf-8"))
    assert meta == {"id": "guangxi", **META, "title": "Corrected title"}
    assert listing(data)["guangxi.txt"] == before["guangxi.txt"]


def test_the_same_document_under_another_name_is_a_duplicate(data, plain, tmp_path):
    ingest([plain], data, META)
    before = listing(data)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(plain.read_bytes())
    (done,) = ingest([copy], data)
    assert (done.status, done.path.name) == ("duplicate", "guangxi.txt")
    assert listing(data) == before


def test_a_different_document_under_a_taken_name_is_refused(data, plain, tmp_path):
    ingest([plain], data, META)
    before = listing(data)
    other = tmp_path / "other" / "guangxi.txt"
    other.parent.mkdir()
    other.write_text("A different release.\n", encoding="utf-8")
    with pytest.raises(InputError, match="different document with the same id"):
        ingest([other], data)
    same_id = tmp_path / "other" / "guangxi.md"
    same_id.write_text("A different release.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"the id 'guangxi', which .*guangxi\.txt already"):
        ingest([same_id], data)
    assert listing(data) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "only whitespace"),
        (b"text\x00more", "binary"),
        (b"caf\xe9\n", "not UTF-8"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_written(data, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        ingest([path], data, META)
    assert listing(data) == {}


def test_bad_metadata_is_refused_and_nothing_is_written(data, plain, tmp_path):
    with pytest.raises(InputError, match="date 2024-02-30 is not a real day"):
        ingest([plain], data, {"date": "2024-02-30"})
    with pytest.raises(InputError, match="unknown metadata field 'colour'"):
        ingest([plain], data, {"colour": "red"})
    plain.with_suffix(".yaml").write_text("title: x\nauthor: y\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown metadata field 'author'") as err:
        ingest([plain], data)
    assert err.value.path.endswith("guangxi.yaml") and err.value.line == 1
    with pytest.raises(InputError, match="no such file"):
        ingest([tmp_path / "missing.txt"], data)
    with pytest.raises(InputError, match="sidecar, not a document"):
        ingest([plain.with_suffix(".yaml")], data)
    assert listing(data) == {}


def test_one_title_for_several_files_is_refused(data, plain):
    with pytest.raises(InputError, match="one file at a time"):
        ingest([plain, GUANGXI], data, {"title": "One title"})
    with pytest.raises(
        InputError, match=r"gives the id 'hk-guangxi-2024-first-plenary', as .* does"
    ):
        ingest([GUANGXI, GUANGXI.parent / ".." / "sources" / GUANGXI.name], data)
    assert listing(data) == {}


def test_ingested_documents_build_into_one_graph(data):
    done = ingest(sorted(MULTI.glob("*.txt")), data, {"publisher": "HKSAR Government"})
    assert [d.status for d in done] == ["added"] * 3
    assert yaml.safe_load(done[0].sidecar.read_text(encoding="utf-8"))["publisher"] == (
        "HKSAR Government"
    )
    result = build_graph(data)
    assert result.report.conforms, result.report.text()
    assert len([ex for ex in result.extractions if ex.commitments]) == 3


SICHUAN = MULTI / "hk-sichuan-2023-second-plenary.txt"


def copy_as(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(source.read_bytes())
    return path


def test_a_name_with_spaces_is_stored_under_its_safe_id_and_builds(data, tmp_path):
    path = copy_as(SICHUAN, tmp_path / "in", "hk sichuan 2023.txt")
    (done,) = ingest([path], data, {"title": "Second Plenary", "date": "2023-11-06"})
    assert (done.status, done.path.name) == ("added", "hk-sichuan-2023.txt")
    assert sorted(listing(data)) == ["hk-sichuan-2023.txt", "hk-sichuan-2023.yaml"]
    assert yaml.safe_load(done.sidecar.read_text(encoding="utf-8"))["id"] == "hk-sichuan-2023"
    assert ingest([path], data)[0].status == "unchanged"  # the same file, the same id
    result = build_graph(data)
    assert result.summary() == "1 of 1 documents in the graph" and result.left_out == []
    assert next(iter(result.graphs)) == "https://w3id.org/coopkg/id/graph/hk-sichuan-2023"


def test_names_that_give_one_id_are_refused_naming_both(data, tmp_path):
    first = copy_as(SICHUAN, tmp_path / "in", "x_y.txt")
    second = copy_as(GUANGXI, tmp_path / "in", "x-y.txt")
    assert ingest([first], data)[0].path.name == "x_y.txt"
    before = listing(data)
    with pytest.raises(InputError) as err:
        ingest([second], data)
    assert err.value.path == str(second)
    assert err.value.message == (
        f"gives the id 'x-y', which {data / 'sources' / 'x_y.txt'} already has: rename one"
    )
    assert listing(data) == before
    # Both in one call: refused before anything is written.
    (tmp_path / "fresh" / "sources").mkdir(parents=True)
    with pytest.raises(InputError, match=r"gives the id 'x-y', as .*x_y\.txt does"):
        ingest([first, second], tmp_path / "fresh")
    assert list((tmp_path / "fresh" / "sources").iterdir()) == []


def test_a_250_character_name_is_cut_with_a_hash(data, tmp_path):
    path = copy_as(SICHUAN, tmp_path / "in", "a" * 250 + ".txt")
    (done,) = ingest([path], data)
    assert len(done.path.stem) == 80 and done.path.stem.startswith("a" * 71 + "-")
    assert read_source(done.path).doc_id == done.path.stem
    assert ingest([path], data)[0].status == "unchanged"


def test_a_chinese_name_gets_a_hashed_id(data, tmp_path):
    path = copy_as(SICHUAN, tmp_path / "in", "香港四川合作會議.txt")
    (done,) = ingest([path], data)
    assert (
        done.path.name == f"doc-{hashlib.sha256('香港四川合作會議'.encode()).hexdigest()[:8]}.txt"
    )
    other = copy_as(GUANGXI, tmp_path / "in", "香港廣西合作會議.txt")
    assert ingest([other], data)[0].path.name != done.path.name  # distinct names stay distinct


def test_dots_case_and_a_leading_dash_give_a_plain_id(data, tmp_path):
    path = copy_as(SICHUAN, tmp_path / "in", "-HK.Sichuan.2023.TXT")
    assert ingest([path], data)[0].path.name == "hk-sichuan-2023.txt"


def test_a_url_with_a_space_is_refused_and_nothing_is_written(data, plain):
    with pytest.raises(InputError) as err:
        ingest([plain], data, {"url": "https://www.info.gov.hk/gia/general/a b.htm"})
    assert err.value.message == (
        "url holds a space at character 38: 'https://www.info.gov.hk/gia/general/a b.htm'"
    )
    assert listing(data) == {}


def test_a_title_with_a_lone_surrogate_is_refused(data, plain):
    with pytest.raises(
        InputError, match=r"title holds a lone surrogate \(U\+DCFF\) at character 9"
    ):
        ingest([plain], data, {"title": "Plenary \udcff"})
    # The file's own sidecar is checked as the build will read it, before anything is written.
    plain.with_suffix(".yaml").write_text('title: "Plenary \\udcff"\n', encoding="utf-8")
    with pytest.raises(InputError, match="title holds a lone surrogate") as err:
        ingest([plain], data)
    assert err.value.path.endswith("guangxi.yaml") and err.value.line == 1
    assert listing(data) == {}


def test_an_own_sidecar_with_the_old_name_as_id_is_given_the_safe_id(data, tmp_path):
    path = copy_as(SICHUAN, tmp_path / "in", "hk sichuan 2023.txt")
    path.with_suffix(".yaml").write_text("id: hk sichuan 2023\ntitle: T\n", encoding="utf-8")
    (done,) = ingest([path], data)
    assert yaml.safe_load(done.sidecar.read_text(encoding="utf-8")) == {
        "id": "hk-sichuan-2023",
        "title": "T",
    }
