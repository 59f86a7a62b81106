"""One document never blocks the graph: a document that cannot be read or whose records
break a shape is left out, reported in words, and the rest builds."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import broken_support
import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from kg.build import build_graph
from kg.namespace import ID
from kg.validate import Report, Violation

ROOT = Path(__file__).resolve().parents[1]
MULTI = ROOT / "tests" / "fixtures" / "multi" / "sources"
GUANGXI = "hk-guangxi-2024-first-plenary"
SICHUAN_2021 = "hk-sichuan-2021-first-plenary"
SICHUAN_2023 = "hk-sichuan-2023-second-plenary"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    shutil.copytree(MULTI, folder / "sources")
    return folder


def iris_of(graph) -> set[str]:
    return {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}


def test_a_document_whose_records_break_a_shape_is_left_out(data, monkeypatch):
    """The extractor is patched (tests/broken_support.py): no text breaks a shape on purpose."""
    import kg.builddocs

    monkeypatch.setattr(kg.builddocs, "extract_document", kg.builddocs.extract_document)
    broken_support.install("hk-guangxi")
    result = build_graph(data)

    assert result.summary() == "2 of 3 documents in the graph"
    assert [ex.source.doc_id for ex in result.extractions] == [SICHUAN_2021, SICHUAN_2023]
    assert result.report.conforms, result.report.text()
    (gone,) = result.left_out
    assert gone.path == str(data / "sources" / f"{GUANGXI}.txt")
    assert gone.reasons == (
        "memorandum 'Co-operation Memorandum on Joint Missions': a memorandum's parties must "
        "be bodies or places; 'ASEAN markets' was read as a body that nothing in the graph "
        "describes\n"
        "  read from characters 370-441: \"Mr Chan said that Guangxi was Hong Kong's gateway "
        'to the ASEAN markets."',
    )
    (finding,) = gone.findings
    text = (data / "sources" / f"{GUANGXI}.txt").read_text(encoding="utf-8")
    assert text[finding.start : finding.end] == finding.quote
    # Nothing of the document is in the graph, and what only it named is gone too.
    iris = iris_of(result.graph)
    assert not any(GUANGXI in iri or "guangxi" in iri for iri in iris)
    assert str(ID[f"source/{SICHUAN_2023}"]) in iris
    assert sorted(result.graphs) == sorted(
        [
            str(ID[f"graph/{SICHUAN_2021}"]),
            str(ID[f"graph/{SICHUAN_2023}"]),
            str(ID["graph/registry"]),
        ]
    )


def test_the_same_build_without_the_broken_document_is_identical(data, monkeypatch):
    """Identities are settled over the documents kept: the graph equals a build of them."""
    import kg.builddocs

    monkeypatch.setattr(kg.builddocs, "extract_document", kg.builddocs.extract_document)
    broken_support.install("hk-guangxi")
    partial = build_graph(data)
    monkeypatch.undo()
    for name in (f"{GUANGXI}.txt", f"{GUANGXI}.yaml"):
        (data / "sources" / name).unlink()
    alone = build_graph(data)
    assert set(partial.graph) == set(alone.graph)


def test_a_hand_edited_sidecar_with_a_bad_value_leaves_that_document_out(data):
    side = data / "sources" / f"{SICHUAN_2021}.yaml"
    lines = side.read_text(encoding="utf-8").splitlines()
    edited = [
        "url: https://www.info.gov.hk/a b.htm" if line.startswith("url:") else line
        for line in lines
    ]
    assert edited != lines
    side.write_text("\n".join(edited) + "\n", encoding="utf-8")
    result = build_graph(data)
    assert result.summary() == "2 of 3 documents in the graph"
    (gone,) = result.left_out
    assert gone.path == str(data / "sources" / f"{SICHUAN_2021}.txt")
    (reason,) = gone.reasons
    assert reason.startswith(f"cannot be read: {side}:")
    assert reason.endswith("url holds a space at character 26: 'https://www.info.gov.hk/a b.htm'")


def test_awkward_names_put_there_by_hand_build_or_are_reported(data):
    sources = data / "sources"
    (sources / f"{SICHUAN_2021}.txt").rename(sources / "hk sichuan 2021.txt")
    (sources / f"{SICHUAN_2021}.yaml").unlink()
    (sources / f"{SICHUAN_2023}.txt").rename(sources / "x-y.txt")
    (sources / f"{SICHUAN_2023}.yaml").unlink()
    (sources / f"{GUANGXI}.txt").rename(sources / "x_y.txt")
    (sources / f"{GUANGXI}.yaml").unlink()
    (sources / "香港.txt").write_bytes((sources / "x-y.txt").read_bytes()[:4000])
    result = build_graph(data)
    assert result.summary() == "3 of 4 documents in the graph"
    assert sorted(ex.source.doc_id for ex in result.extractions) == sorted(
        [
            "hk-sichuan-2021",
            "x-y",
            "doc-" + hashlib.sha256("香港".encode()).hexdigest()[:8],
        ]
    )
    (gone,) = result.left_out
    assert gone.reasons == (
        f"cannot be read: {sources / 'x_y.txt'}: has the id 'x_y' of x-y.txt: rename one of them",
    )


def test_documents_that_disagree_in_the_union_leave_out_the_last(data, monkeypatch):
    """Each document is sound alone; the union breaks a rule about a body both describe
    (a patched validator stands in for such a disagreement: identities prevent the real
    ones). The later document goes, and its report names the one kept."""
    import kg.build

    body = str(ID["body/chengdu-international-commercial-arbitration-center"])
    both = {str(ID[f"source/{SICHUAN_2021}"]), str(ID[f"source/{SICHUAN_2023}"])}
    original = kg.build.union_report

    def validate(store, docs, registry, *cached):
        report = original(store, docs, registry, *cached)
        if not both <= set().union(*(doc.subjects for doc in docs)):
            return report
        clash = Violation(
            body,
            str(ID["unused"]),
            "A body has exactly one rdfs:label.",
            "Violation",
            rule="a body has exactly one canonical name",
        )
        return Report(conforms=False, violations=[*report.violations, clash])

    monkeypatch.setattr(kg.build, "union_report", validate)
    result = build_graph(data)
    assert result.summary() == "2 of 3 documents in the graph"
    assert [ex.source.doc_id for ex in result.extractions] == [GUANGXI, SICHUAN_2021]
    (gone,) = result.left_out
    assert gone.path.endswith(f"{SICHUAN_2023}.txt")
    assert gone.reasons[0].splitlines()[0] == (
        "body 'Chengdu International Commercial Arbitration Center': a body has exactly one "
        f"canonical name; {SICHUAN_2021}.txt says otherwise and is kept"
    )


def test_the_store_written_beside_the_checks_holds_what_they_kept(data, monkeypatch, capsys):
    """`kg build` writes its on-disk store on a thread while the union is checked; when the
    check leaves a document out, the store is written again, and holds graph.nq's quads."""
    import kg.build
    import kg.diskstore
    from kg.cli import main
    from kg.diskstore import open_folder, sorted_nquads

    original, started = kg.build.union_report, []
    leave_out = str(ID[f"source/{SICHUAN_2023}"])

    def validate(store, docs, registry, *cached):
        report = original(store, docs, registry, *cached)
        if leave_out not in set().union(*(doc.subjects for doc in docs)):
            return report
        clash = Violation(leave_out, str(ID["unused"]), "A test.", "Violation", rule="a test")
        return Report(conforms=False, violations=[*report.violations, clash])

    class Spy(kg.diskstore.StoreWriter):
        def __init__(self, graphs, *args):
            started.append(sorted(graphs))
            super().__init__(graphs, *args)

    monkeypatch.setattr(kg.build, "union_report", validate)
    monkeypatch.setattr(kg.diskstore, "StoreWriter", Spy)
    out = data.parent / "out"
    assert main(["build", "--no-publish", "--jobs", "2", str(data), "--out", str(out)]) == 0
    assert "2 of 3 documents in the graph" in capsys.readouterr().out
    # The first writer had the three documents' graphs, the second the two kept.
    assert [len(names) for names in started] == [4, 3]
    assert not any(SICHUAN_2023 in name for name in started[1])
    quads = b"".join(sorted_nquads(open_folder(out / "store")))
    assert quads == (out / "graph.nq").read_bytes() and SICHUAN_2023.encode() not in quads
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".store")) == []


def test_a_document_whose_extraction_fails_is_left_out(data):
    """A correction whose anchor the text lacks stops that document's extraction only."""
    (data / "corrections" / "guangxi.yaml").write_text(
        f"document: {GUANGXI}\n"
        "corrections:\n"
        "  - id: guangxi-lost\n"
        "    kind: lost_heading\n"
        "    area: Finance\n"
        "    anchor: No paragraph starts with these words\n"
        "    reason: A test.\n"
        "    source: A test.\n",
        encoding="utf-8",
    )
    result = build_graph(data)
    assert result.summary() == "2 of 3 documents in the graph"
    (gone,) = result.left_out
    (reason,) = gone.reasons
    assert reason.startswith("cannot be extracted: ")
    assert f"no paragraph of {GUANGXI} starts with 'No paragraph starts" in reason


def test_every_held_out_release_builds_whole(tmp_path: Path) -> None:
    """The held-out sets' releases (every partner unknown to the registry, every house style
    a round found hard) all go into one graph: no extraction writes a record that breaks a
    shape (two posts read from one phrase once minted one holding twice)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    (folder / "sources").mkdir()
    sets = sorted((ROOT / "tests").glob("heldout*/docs"))
    for docs in sets:
        for path in docs.iterdir():
            shutil.copy(path, folder / "sources" / path.name)
    result = build_graph(folder, jobs=2)
    releases = len(list((folder / "sources").glob("*.txt")))
    assert releases == sum(len(list(docs.glob("*.txt"))) for docs in sets) >= 5 * len(sets)
    assert [gone.reasons for gone in result.left_out] == []
    assert result.summary() == f"{releases} of {releases} documents in the graph"


NEW_AREA = """\
Hong Kong and {city} hold first meeting

The First Meeting of the Hong Kong/{city} Co-operation Conference was held in {city} today \
(May 6). The two sides agreed to co-operate in two areas.

{area}

The {city} Municipal Bureau of Science will set up a laboratory with the Hong Kong Science \
and Technology Parks Corporation.

Trade

Invest Hong Kong will open a desk for {city} firms.
"""


def test_an_area_two_documents_write_in_two_cases_builds_as_one_concept(tmp_path: Path):
    """An area no scheme concept matches is minted from its heading: written "Quantum
    sensing" by one release and "Quantum Sensing" by another, it is one concept with one
    name (two names broke a shape, and the later release was left out)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    (folder / "sources").mkdir()
    for city, area in (("Hefei", "Quantum sensing"), ("Jinan", "Quantum Sensing")):
        text = NEW_AREA.format(city=city, area=area)
        (folder / "sources" / f"{city.lower()}.txt").write_text(text, encoding="utf-8")
    result = build_graph(folder)
    assert result.summary() == "2 of 2 documents in the graph"
    labels = {
        str(label) for label in result.graph.objects(ID["area/quantum-sensing"], SKOS.prefLabel)
    }
    # One spelling (each is written by one release: the tie goes to the first sorted, as
    # for a body's name), and each release's heading keeps its own.
    assert labels == {"Quantum Sensing"}
    headings = {
        str(label)
        for heading in result.graph.subjects(SKOS.exactMatch, ID["area/quantum-sensing"])
        for label in result.graph.objects(heading, SKOS.prefLabel)
    }
    assert headings == {"Quantum sensing", "Quantum Sensing"}
