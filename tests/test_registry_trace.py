"""An extraction's questions of the registry's bodies, asked again of a changed registry:
the same answers keep the extraction, a changed answer does not."""

from __future__ import annotations

from dataclasses import replace

from kg.extract import extract_document
from kg.model import Source
from kg.registry import Body, Jurisdiction, KnownPerson, Registry
from kg.registry_trace import Trace, tracing

PLACES = [
    (Jurisdiction("Hong Kong", ("HKSAR",), "special_administrative_region"), 1),
    (Jurisdiction("Lhasa", (), "city"), 2),
]
BOARD = Body("Hong Kong Tourism Board", "statutory_body", "Hong Kong", aliases=("HKTB",))
FUND = Body("Lhasa Heritage Fund", "agency", "Lhasa")
TEXT = (
    "Hong Kong/Lhasa Co-operation Meeting held in Hong Kong\n"
    "The first Hong Kong/Lhasa Co-operation Meeting was held in Hong Kong today "
    "(March 3).\n"
    "Tourism\n"
    "Support the Hong Kong Tourism Board and the Lhasa Heritage Fund in promoting "
    "heritage trails for visitors of the two places.\n"
)


def _registry(*bodies: Body) -> Registry:
    return Registry([(b, i) for i, b in enumerate(bodies, 1)], PLACES)


def _trace(registry: Registry) -> Trace:
    source = Source("lhasa-2026.txt", "lhasa-2026", TEXT, date="2026-03-03")
    with tracing(registry) as traced:
        extract_document(source, registry)
    assert traced.trace is not None
    return traced.trace


def test_the_same_registry_gives_the_same_answers():
    registry = _registry(BOARD, FUND)
    trace = _trace(registry)
    asked = {name for _, name, *_ in trace.calls}
    assert "find_bodies" in asked
    assert trace.complete
    assert trace.same_answers(registry)
    assert trace.same_answers(_registry(BOARD, FUND))  # loaded again: the same answers


def test_a_body_the_text_does_not_name_changes_no_answer():
    trace = _trace(_registry(BOARD, FUND))
    other = Body("Macao Trade and Investment Promotion Institute", "agency", None)
    assert trace.same_answers(_registry(BOARD, FUND, other))


def test_a_body_the_text_names_changes_an_answer():
    trace = _trace(_registry(BOARD))
    # The fund becomes known: the text's "Lhasa Heritage Fund" is now found.
    assert not trace.same_answers(_registry(BOARD, FUND))
    # The board's record changes: what the finder returns is another body.
    assert not trace.same_answers(_registry(replace(BOARD, kind="agency")))
    assert not trace.same_answers(_registry(replace(BOARD, aliases=("HKTB", "the Board"))))


def test_the_questions_are_asked_once_and_an_unseen_registry_cannot_be_replayed():
    trace = _trace(_registry(BOARD, FUND))
    keys = [(tag, name, repr(args)) for tag, name, args, *_ in trace.calls]
    assert len(keys) == len(set(keys))
    assert not Trace(trace.calls, complete=False).same_answers(_registry(BOARD, FUND))
    assert Trace(()).same_answers(_registry())  # nothing asked: nothing to differ


def test_a_registry_a_new_place_extends_is_made_again_and_asked_again():
    text = TEXT.replace("Lhasa", "Nyingchi")  # a place the registry lacks
    source = Source("nyingchi-2026.txt", "nyingchi-2026", text, date="2026-03-03")
    registry = _registry(BOARD)
    with tracing(registry) as traced:
        ex = extract_document(source, registry)
    trace = traced.trace
    assert trace is not None and trace.complete
    assert [j.name for j in ex.new_jurisdictions] == ["Nyingchi"]
    made = [call for call in trace.calls if call[1] == "with_found"]
    assert len(made) == 1 and made[0][3] == 1  # registry 1, asked after it was made
    assert any(tag == 1 for tag, *_ in trace.calls)
    assert trace.same_answers(_registry(BOARD))
    fund = Body("Nyingchi Heritage Fund", "agency", None)
    assert not trace.same_answers(_registry(BOARD, fund))


def test_a_person_the_text_names_changes_an_answer():
    text = TEXT.replace(
        "today (March 3).",
        "today (March 3). The Chief Executive, Mr Ho Ka-wing, led the delegation.",
    )
    source = Source("lhasa-2026.txt", "lhasa-2026", text, date="2026-03-03")
    registry = _registry(BOARD, FUND)
    with tracing(registry) as traced:
        ex = extract_document(source, registry)
    trace = traced.trace
    assert trace is not None
    assert "Ho Ka-wing" in [p.name for p in ex.people]
    assert "person" in {name for _, name, *_ in trace.calls}
    known = KnownPerson("Ho Ka-wing", "Mr", ("Ka-wing Ho",), "何家榮")
    assert not trace.same_answers(
        Registry(_registry(BOARD, FUND)._bodies.entries, PLACES, [(known, 1)])
    )
    stranger = KnownPerson("Wu Sangui", "Mr")
    assert trace.same_answers(
        Registry(_registry(BOARD, FUND)._bodies.entries, PLACES, [(stranger, 1)])
    )
