"""The interactive page of a 5,000-node graph: how long until a reader can work in it.

    .venv/bin/python benchmarks/page_5000.py [--nodes 5000] [--keep DIR]

Writes a synthetic graph in the shape of docs/ARCHITECTURE.md as Turtle (bodies and
commitments, 5,000 together, in areas, made at the meetings of several co-operation
mechanisms, each stated in a span of a source document), loads it into Oxigraph, renders
the page (kg.viz.render_page), opens it in headless Chromium with every non-file request
blocked and measures the time from navigation until the page is interactive: the network
drawn (page.js sets `coopkg.drawn` after vis-network's first draw) and a search answered
(a body outside the summary found, its neighbourhood brought in and drawn). Target: < 3 s.
Prints each figure; the page's own time is the last line.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 3.0
PREFIXES = """@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/coopkg/id/> .
"""
KINDS = [
    ("Government", "government"),
    ("Agency", "agency"),
    ("StatutoryBody", "statutory_body"),
    ("Enterprise", "enterprise"),
    ("Institution", "institution"),
    ("AcademicInstitution", "academic"),
    ("Association", "association"),
    ("GenericGroup", "generic_group"),
]
WORDS = [
    "support", "encourage", "promote", "strengthen", "explore",
    "deepen", "establish", "co-operation", "exchanges",
]  # fmt: skip


def synthetic_graph(nodes: int, seed: int = 5000) -> str:
    """Turtle for `nodes` bodies and commitments (2 : 3), deterministic for a seed."""
    rng = random.Random(seed)
    n_bodies = nodes * 2 // 5
    n_commitments = nodes - n_bodies
    mechanisms = [f"conf-{m}" for m in range(10)]
    jurisdictions = [f"place-{j}" for j in range(12)]
    areas = [f"area-{a}" for a in range(20)]
    out = [PREFIXES]
    for j in jurisdictions:
        out.append(f'<jurisdiction/{j}> a coop:Jurisdiction ; rdfs:label "Place {j[6:]}" .')
    for a in areas:
        out.append(
            f"<area/{a}> a skos:Concept ; skos:inScheme <scheme/areas> ; "
            f'skos:prefLabel "Area {a[5:]}" .'
        )
    for b in range(n_bodies):
        klass, kind = KINDS[b % len(KINDS)]
        out.append(
            f'<body/b{b}> a coop:{klass} ; rdfs:label "Body {b} of {jurisdictions[b % 12]}" ; '
            f'coop:kind "{kind}" ; coop:jurisdiction <jurisdiction/{jurisdictions[b % 12]}> ; '
            f'coop:reviewed true ; skos:altLabel "B{b}" .'
        )
    meetings = []
    for m, mech in enumerate(mechanisms):
        sides = (
            f"<jurisdiction/{jurisdictions[m % 12]}>, <jurisdiction/{jurisdictions[(m + 1) % 12]}>"
        )
        out.append(
            f'<mechanism/{mech}> a coop:CooperationMechanism ; rdfs:label "Conference {m}" ; '
            f"coop:jurisdiction {sides} ."
        )
        for k in range(5):
            date = f"{2015 + k * 2}-0{1 + m % 9}-1{m % 10}"
            meeting = f"meeting/{mech}/{date}"
            meetings.append((meeting, f"doc-{m}-{k}"))
            out.append(
                f'<{meeting}> a coop:Meeting ; rdfs:label "Plenary {k + 1} of Conference {m}" ; '
                f'schema:startDate "{date}"^^xsd:date ; coop:ofMechanism <mechanism/{mech}> ; '
                f"prov:wasDerivedFrom <source/doc-{m}-{k}> ."
            )
            out.append(
                f'<source/doc-{m}-{k}> a coop:SourceDocument ; dcterms:title "Press release '
                f'{m}-{k}" ; dcterms:date "{date}"^^xsd:date .'
            )
    offsets: dict[str, int] = {}
    # Bodies by a skewed weight: a few take part in much, most in little (as in real data).
    weights = [1.0 / (1 + b) ** 0.8 for b in range(n_bodies)]
    for c in range(n_commitments):
        meeting, doc = meetings[c % len(meetings)]
        involved = sorted(set(rng.choices(range(n_bodies), weights=weights, k=rng.randint(1, 4))))
        quote = " ".join(rng.choice(WORDS) for _ in range(18)).capitalize() + "."
        start = offsets.get(doc, 0)
        end = start + len(quote)
        offsets[doc] = end + 2
        span = f"span/{doc}/{start}-{end}"
        bodies = ", ".join(f"<body/b{b}>" for b in involved)
        out.append(
            f'<{span}> a coop:TextSpan ; coop:inSource <source/{doc}> ; coop:quote "{quote}" ; '
            f"coop:startOffset {start} ; coop:endOffset {end} ."
        )
        out.append(
            f'<commitment/{doc}/{start}> a coop:Commitment ; rdfs:label "{quote[:40]}" ; '
            f"coop:area <area/{areas[rng.randrange(len(areas))]}> ; coop:involves {bodies} ; "
            f"coop:madeAt <{meeting}> ; coop:statedIn <{span}> ; "
            f"prov:wasDerivedFrom <source/{doc}> ."
        )
    return "\n".join(out) + "\n"


def measure(page_path: Path, search_for: str) -> tuple[float, float, float]:
    """Seconds until drawn (wall and the page's own clock) and until a search is drawn."""
    from playwright.sync_api import sync_playwright

    from kg.chromium import CHROMIUM_ARGS, block_outside, find_chromium

    chromium = find_chromium()
    if chromium is None:
        sys.exit("page_5000: no chromium (set COOPKG_CHROMIUM or apt-get install chromium)")
    blocked: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route("**/*", block_outside(blocked))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        start = time.perf_counter()
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("window.coopkg !== undefined && window.coopkg.drawn === true")
        wall = time.perf_counter() - start
        own = page.evaluate("performance.now()") / 1000
        start = time.perf_counter()
        found = page.evaluate(
            """(name) => new Promise((resolve) => {
                const ok = coopkg.choose(name);
                coopkg.network.once("afterDrawing", () => resolve(ok));
                coopkg.network.redraw();
            })""",
            search_for,
        )
        searched = time.perf_counter() - start
        shown = page.inner_text("#shown")
        browser.close()
    if blocked or errors or not found:
        sys.exit(f"page_5000: blocked={blocked} errors={errors} found={found}")
    print(f"after the search: {shown}")
    return wall, own, searched


def main() -> int:
    from kg.store import open_store
    from kg.viz import render_page

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="write the graph and page here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        ttl = folder / "graph.ttl"
        ttl.write_text(synthetic_graph(args.nodes), encoding="utf-8")
        start = time.perf_counter()
        store = open_store(ttl)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        page = render_page(store, folder / "graph.html")
        rendered = time.perf_counter() - start
        size = page.stat().st_size
        # the least central body: certainly outside the summary
        wall, own, searched = measure(
            page, f"Body {args.nodes * 2 // 5 - 1} of place-{(args.nodes * 2 // 5 - 1) % 12}"
        )
    print(f"graph: {args.nodes} bodies and commitments, {len(store)} triples")
    print(f"loaded into Oxigraph: {loaded:.2f} s")
    print(f"render_page: {rendered:.2f} s, {size / 1e6:.1f} MB")
    print(f"search answered and drawn: {searched:.2f} s")
    print(f"page interactive (navigation to first draw): {wall:.2f} s wall, {own:.2f} s page clock")
    verdict = "within" if wall < TARGET_SECONDS else "OVER"
    print(f"{wall:.2f} s until interactive ({verdict} the {TARGET_SECONDS:.0f} s target)")
    return 0 if wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
