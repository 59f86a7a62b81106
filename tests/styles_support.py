"""What the tests of house styles share: extraction of a release written for the test, with
every span checked against the text, and the records the tests compare."""

from __future__ import annotations

from kg.extract import extract_document
from kg.model import Extraction, Source
from kg.registry import Registry


def extracted(registry: Registry, text: str, date: str | None = None) -> Extraction:
    """What `text` yields; every commitment's, area's and document's span quotes it."""
    source = Source(path="inline", doc_id="inline", text=text, date=date)
    ex = extract_document(source, registry)
    spans = [c.span for c in ex.commitments] + [a.span for a in ex.areas if a.span]
    for span in spans + [d.span for d in ex.documents if d.span]:
        assert text[span.start : span.end] == span.text
    return ex


def filed(ex: Extraction) -> list[tuple[str | None, str]]:
    """Each commitment's area and first three words."""
    return [(c.area, " ".join(c.span.text.split()[:3])) for c in ex.commitments]


def signed(ex: Extraction) -> dict[str, list[str]]:
    """Each signed document's title and signatories."""
    return {d.title: d.signatories for d in ex.documents}
