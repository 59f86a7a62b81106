"""kg.validate: the shapes accept every valid example, and reject every invalid one for
the reason its header gives; reports are readable and deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.errors import ValidationError
from kg.namespace import COOP, ID, curie, ontology_dir
from kg.validate import (
    Report,
    Violation,
    _ontology_graph,
    _shapes_graph,
    check_graph,
    validate_graph,
)

EXAMPLES = ontology_dir() / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
FIXTURE = Path(__file__).parent / "fixtures" / "mini.ttl"
# `# expect: Severity focus-curie path-curie|- ["message fragment"]`
EXPECT = re.compile(r'^# expect: (\w+) (\S+) (\S+)(?: "([^"]*)")?$')


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _expectations(path: Path) -> list[tuple[str, str, str, str | None]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for line in lines:
        match = EXPECT.match(line)
        if match:
            severity, focus, rpath, fragment = match.groups()
            found.append((severity, focus, rpath, fragment))
    return found


def _shape_names() -> set[str]:
    shapes = _shapes_graph()
    return {
        str(s).rsplit("#", 1)[1]
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef)
    }


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms_without_any_result(path: Path) -> None:
    report = validate_graph(_parse(path))
    assert report.conforms, report.text()
    assert report.violations == [], report.text()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_for_its_stated_reason(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Must fail: "), "an invalid example starts by saying why it fails"
    expected = _expectations(path)
    assert expected, "an invalid example lists the results it expects (# expect: ...)"
    report = validate_graph(_parse(path))
    got = [(v.severity, curie(v.focus), curie(v.path) if v.path else "-", v.message)
           for v in report.violations]  # fmt: skip
    # Exactly the expected results: the example is otherwise valid, so it fails for
    # its own reason and not by accident.
    assert sorted(g[:3] for g in got) == sorted(e[:3] for e in expected), report.text()
    for severity, focus, rpath, fragment in expected:
        if fragment:
            messages = [g[3] for g in got if g[:3] == (severity, focus, rpath)]
            assert any(fragment in m for m in messages), (fragment, messages)
    assert report.conforms == all(e[0] != "Violation" for e in expected)


def test_examples_are_named_after_shapes_and_cover_every_shape() -> None:
    shapes = _shape_names()
    for path in VALID + INVALID:
        assert path.stem.split("-", 1)[0] in shapes, f"{path.name}: no shape named so"
    for shape in sorted(shapes):
        assert any(p.stem.startswith(shape + "-") for p in VALID), f"no valid example of {shape}"
        assert any(p.stem.startswith(shape + "-") for p in INVALID), f"no invalid {shape}"


def test_batched_sparql_constraints_agree_with_pyshacl() -> None:
    """kg.validate runs sh:sparql once per graph; pyshacl runs it once per focus node."""
    for path in VALID + INVALID:
        data = _parse(path)
        ours = {(v.focus, v.path, v.severity, v.message) for v in validate_graph(data).violations}
        mixed = Graph()
        for triple in (*data, *_ontology_graph()):
            mixed.add(triple)
        _, results, _ = pyshacl.validate(
            mixed, shacl_graph=_shapes_graph(), inference="none", allow_warnings=True
        )
        assert isinstance(results, Graph)
        theirs = set()
        for r in results.subjects(RDF.type, SH.ValidationResult):
            theirs.add(
                (
                    str(results.value(r, SH.focusNode)),
                    str(p) if (p := results.value(r, SH.resultPath)) is not None else None,
                    str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[1],
                    # pyshacl repeats a message given both by a shape and its constraint.
                    "; ".join(sorted({str(m) for m in results.objects(r, SH.resultMessage)})),
                )
            )
        assert ours == theirs, path.name


def test_mini_fixture_conforms() -> None:
    report = validate_graph(_parse(FIXTURE))
    assert report.conforms, report.text()
    # Its found-by-shape body names no span: a warning, which does not fail a build.
    assert [v.severity for v in report.violations] == ["Warning"]


def test_area_schemes_conform() -> None:
    report = validate_graph(_parse(ontology_dir() / "areas.ttl"))
    assert report.violations == [], report.text()


def test_report_text_is_one_line_per_result_with_curies() -> None:
    report = validate_graph(_parse(EXAMPLES / "invalid" / "Commitment-no-span.ttl"))
    lines = report.text().splitlines()
    assert lines[0] == "The graph does not conform to the shapes: 1 violation(s)."
    assert lines[1] == (
        "Violation id:commitment/doc/100 coop:statedIn: "
        "A commitment is stated in exactly one coop:TextSpan (coop:statedIn)."
    )
    assert len(lines) == 2


def test_report_shows_the_offending_value() -> None:
    report = validate_graph(_parse(EXAMPLES / "invalid" / "Body-unknown-kind.ttl"))
    assert report.violations[0].value == '"ministry"'
    assert report.text().endswith('(value: "ministry")')


def test_report_is_sorted_most_severe_first_and_deterministic() -> None:
    data = _parse(EXAMPLES / "invalid" / "Meeting-no-source.ttl")
    first, second = validate_graph(data), validate_graph(data)
    assert first == second
    assert [v.severity for v in first.violations] == ["Violation", "Warning"]


def test_check_graph_raises_with_report_and_count() -> None:
    data = _parse(EXAMPLES / "invalid" / "TextSpan-end-before-start.ttl")
    with pytest.raises(ValidationError) as caught:
        check_graph(data)
    assert caught.value.count == 2
    assert "id:span/doc/120-100 coop:startOffset" in caught.value.report


def test_check_graph_passes_warnings_through() -> None:
    report = check_graph(_parse(EXAMPLES / "invalid" / "Memorandum-no-span.ttl"))
    assert isinstance(report, Report)
    assert report.conforms and report.count == 0 and len(report.violations) == 1


def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    """A document's commitments refer to bodies and meetings in other named graphs."""
    whole = _parse(EXAMPLES / "valid" / "Commitment-full.ttl")
    dataset = Dataset()
    registry = dataset.graph(ID["graph/registry"])
    document = dataset.graph(ID["graph/doc"])
    for s, p, o in whole:
        (registry if str(s).startswith(str(ID["body/"])) else document).add((s, p, o))
    assert validate_graph(dataset).violations == []


def test_data_graph_is_not_changed() -> None:
    data = _parse(EXAMPLES / "valid" / "Commitment-minimal.ttl")
    before = len(data)
    validate_graph(data)
    assert len(data) == before


def test_violation_text_shortens_and_quotes_literals() -> None:
    v = Violation(focus=str(ID["span/d/0-1"]), path=str(COOP.quote), message="m",
                  severity="Violation", value='"x"')  # fmt: skip
    assert v.text() == 'Violation id:span/d/0-1 coop:quote: m (value: "x")'


def _synthetic(documents: int, per_document: int = 30) -> Graph:
    """A graph in the shape of ARCHITECTURE.md, with one kind of defect planted."""
    graph = Graph()
    for d in range(documents):
        source = ID[f"source/doc-{d}"]
        graph.add((source, RDF.type, COOP.SourceDocument))
        graph.add((source, COOP.characterCount, Literal(100 * per_document)))
        for c in range(per_document):
            quote = f"Commitment {c:04d} of document {d:04d}."
            span = ID[f"span/doc-{d}/{c * 100}-{c * 100 + len(quote)}"]
            graph.add((span, RDF.type, COOP.TextSpan))
            graph.add((span, COOP.inSource, source))
            graph.add((span, COOP.quote, Literal(quote)))
            graph.add((span, COOP.startOffset, Literal(c * 100)))
            # The last span of each document is one character too long.
            extra = 1 if c == per_document - 1 else 0
            graph.add((span, COOP.endOffset, Literal(c * 100 + len(quote) + extra)))
            body = ID[f"body/b-{d}-{c}"]
            graph.add((body, RDF.type, COOP.Agency))
            graph.add((body, RDFS.label, Literal(f"Body {d} {c}")))
            graph.add((body, COOP.kind, Literal("agency")))
            graph.add((body, COOP.reviewed, Literal(True)))
    return graph


def test_finds_every_defect_among_thousands_of_nodes() -> None:
    # Its speed is measured by `make bench` (benchmarks/run.py), not asserted here.
    graph = _synthetic(documents=20)  # 1,200 spans and bodies, ~8,400 triples
    report = validate_graph(graph)
    assert [curie(v.path or "") for v in report.violations] == ["coop:quote"] * 20
