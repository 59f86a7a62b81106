"""A test-only way to make one document's records break a shape.

No text breaks the shapes on purpose: a release that did would be an extraction bug to
fix, and fixing it would silently turn such a test into one that cannot fail. So the
tests patch the extractor instead: `install` wraps `kg.builddocs.extract_document` (what
`kg build` extracts with) so that
the documents whose id starts with a prefix also report a memorandum whose party is
"ASEAN markets", a phrase of the text that names no body or place. The memorandum's
party then has no class in the graph, which shape:Memorandum forbids.
"""

from __future__ import annotations

from typing import Any

from kg.model import Extraction, SignedDocument, Span

PARTY = "ASEAN markets"
TITLE = "Co-operation Memorandum on Joint Missions"


def broken(extraction: Extraction) -> Extraction:
    """`extraction` with a memorandum whose party is no body or place, quoted from its text."""
    text = extraction.source.text
    start = text.index(PARTY)
    # The sentence around the phrase, as a memorandum's quote would be.
    begin = text.rfind("\n", 0, start) + 1
    end = text.index("\n", start)
    while text[begin].isspace():
        begin += 1
    extraction.documents.append(
        SignedDocument(TITLE, parties=[PARTY], span=Span(begin, end, text[begin:end]))
    )
    return extraction


def install(prefix: str, module: Any = None) -> None:
    """Break the documents whose id starts with `prefix`, in `kg.builddocs` (or `module`)."""
    import kg.builddocs

    target = module or kg.builddocs
    original = target.extract_document

    def extract(source: Any, *args: Any, **kwargs: Any) -> Extraction:
        extraction = original(source, *args, **kwargs)
        return broken(extraction) if source.doc_id.startswith(prefix) else extraction

    target.extract_document = extract
