"""`kg extract`, `kg build`, `kg stats`, `kg validate`: documents in, the graph out."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.cells import terminal_safe
from kg.cli.app import _store, app, graph_argument, out_option
from kg.cli.console import (
    _cell,
    _err,
    _one_line,
    _print_section,
    _print_table,
    _say,
    out,
)
from kg.errors import InputError, ValidationError


@app.command()
@click.argument("file")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (the schema of docs/DESIGN.md)."
)
@click.option(
    "--data", default="data", show_default=True, help="Data folder with registry/, corrections/."
)
def extract(file: str, as_json: bool, data: str) -> None:
    """Show what one document FILE yields, before it joins the graph."""
    from kg.build import extract_path

    result = extract_path(file, data).to_json()
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    src, ev = result["source"], result["event"]
    out.print(_cell(f"{src['title'] or src['path']}  {src['date'] or ''}"))
    if ev:
        out.print(_cell(f"event: {ev['label']} ({ev['date']}, {ev['place']})"))
    stated = result["stated_area_count"]
    _say(f"areas: {len(result['areas'])}" + (f" (the text states {stated})" if stated else ""))
    rows = [
        (c["area"] or "", ", ".join(c["verbs"]), "; ".join(c["bodies"]), c["text"][:70] + "…")
        for c in result["commitments"]
    ]
    if not rows:
        _say("commitments: 0")
    _print_section(["area", "verbs", "bodies", "text"], rows, f"{len(rows)} commitments")
    # The other tables only when the JSON holds something for them: an analysis has
    # statements and no commitments, a release may name groups and no organisation.
    orgs = [
        (o["label"], o["kind"], o["jurisdiction"] or "", "yes" if o["known"] else "NEW")
        for o in result["organizations"]
    ]
    _print_section(["organisation", "kind", "jurisdiction", "in registry"], orgs)
    groups = [
        (g["label"], g["jurisdiction"] or "", "yes" if g["known"] else "NEW")
        for g in result.get("groups", [])
    ]
    _print_section(["generic group", "jurisdiction", "in registry"], groups)
    implied = [(o["label"], o["kind"], o["jurisdiction"] or "") for o in result.get("implied", [])]
    _print_section(["implied, not named", "kind", "jurisdiction"], implied)
    people = [(p["name"], "; ".join(p["posts"])) for p in result["people"]]
    _print_section(["person", "posts"], people)
    docs = [
        (d["title"], "; ".join(d["signatories"]), "; ".join(d["parties"]))
        for d in result["documents"]
    ]
    _print_section(["document", "signatories", "parties"], docs)
    statements = [
        (
            st["kind"],
            st["label"],
            "; ".join(st["jurisdictions"]),
            st["offered_by"] or "",
            "; ".join(str(o) for o in st["offers"]),
            f"{st['start']}–{st['end']}",
        )
        for st in result.get("statements", [])
    ]
    _print_section(
        ["statement", "about", "jurisdictions", "offered by", "offers", "offsets"],
        statements,
        f"{len(statements)} statements",
    )


@app.command()
@click.argument("data", default="data")
@out_option
@click.option("--page/--no-page", default=True, show_default=True, help="Also write graph.html.")
@click.option(
    "--strict",
    is_flag=True,
    help="For CI: exit 1 and write nothing if any document is left out.",
)
@click.option("--verbose", "-v", is_flag=True, help="List every warning and every reason in full.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that extract and check documents (default: one per core).",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse the work of the last build for documents and settings that did not change.",
)
@click.option(
    "--publish/--no-publish",
    default=True,
    show_default=True,
    help="Also write the analysis, the report and the exports (each again only when "
    "the graph changed).",
)
@click.option("--pdf", is_flag=True, help="Also print the report to PDF (needs Chromium).")
@click.option(
    "--times/--no-times",
    default=None,
    help="Print each stage and its time on stderr (default: when stderr is a terminal).",
)
def build(
    data: str,
    out_dir: str,
    page: bool,
    strict: bool,
    verbose: bool,
    jobs: int | None,
    cache: bool,
    publish: bool,
    pdf: bool,
    times: bool | None,
) -> None:
    """Build, validate (SHACL) and write the graph from every document in DATA/sources.

    A document that cannot be read or whose records break a shape is left out and
    reported (its file, the record, the quote it came from, the rule); the rest builds.
    A re-run extracts and checks again only the documents (and settings) that changed:
    the work is kept in OUT/.cache/.
    """
    from kg.build import build_graph, graph_files, write_outputs
    from kg.buildcache import CACHE_DIR, BuildCache
    from kg.diskstore import StoreWriter, write_store
    from kg.ntblocks import INDEX
    from kg.outset import OutputSet, check_target
    from kg.pool import default_jobs, keep_heap
    from kg.problem import explain
    from kg.publish import start_analysis, triples_digest

    # Before the work, not after it: the next build would read outputs in sources/.
    check_target(out_dir, inside=[Path(data) / "sources"], containing=[data])
    progress = _Progress(sys.stderr.isatty() if times is None else times)

    def end_stage(name: str, seconds: float | None = None) -> None:
        # What a stage leaves (registry, records, stores) mostly lives to the end of the
        # build: later collections need not walk it again (kg.pool.keep_heap).
        keep_heap()
        progress.stage(name, seconds)

    # The graph files, the store and the page are one set: swapped into out_dir together,
    # or not at all. The build runs inside it: its store and cache are written there.
    outputs = OutputSet(out_dir, "build", supersede=True)
    jobs = jobs or default_jobs()
    # With the exports, graph.nt comes from the lines the other files are made of (it
    # is one of the exports: listed with them).
    formats = ("ttl", "jsonld", "nq", "nt") if publish else ("ttl", "jsonld", "nq")
    writers: list[StoreWriter] = []
    # The writers stop before the output set is swapped in or thrown away (ExitStack: first).
    with outputs as stage, progress, contextlib.ExitStack() as waits:
        waits.callback(lambda: [w.wait() for w in writers])
        previous = outputs.real / CACHE_DIR if cache and not outputs.direct else None
        memo = BuildCache(previous, stage / CACHE_DIR if cache else None)
        # Started from the last build's store when it says what it holds (kg.diskstore).
        before = previous.parent / "store" if previous is not None else None
        # The text of each subject in the last build's graph.ttl and graph.jsonld, copied
        # where its lines did not change (kg.ntblocks).
        blocks = (
            previous / INDEX if previous is not None else None,
            stage / CACHE_DIR / INDEX if cache else None,
        )

        def write_behind(triples: dict[str, bytes]) -> None:
            # On the other core while this one checks the union, draws the page and
            # publishes: the on-disk store, then the graph files. Written before the union
            # is checked: if the check leaves documents out, the rest is written next
            # (over them), and if it fails nothing of the output set is kept.
            if writers:
                writers[-1].wait()
            files = graph_files(stage, formats)
            writers.append(StoreWriter(triples, stage / "store", before, files, blocks))

        result = build_graph(
            data,
            jobs=jobs,
            cache=memo,
            progress=progress.advance,
            stages=end_stage,
            on_union=write_behind if jobs > 1 else None,
        )
        for path, why in result.skipped:
            _err(_one_line(f"kg: warning: skipped {path}: {why}") + "\n")
        for gone in result.left_out:
            _print_left_out(gone.path, gone.reasons, verbose)
        if not result.report.conforms:
            # Violations no document accounts for (the registry's own graph): nothing builds.
            bad = [v for v in result.report.violations if v.severity == "Violation"]
            found = explain(bad, result.graph)
            raise ValidationError("\n".join(_safe(f).text() for f in found), result.report.count)
        if not result.extractions or (strict and result.left_out):
            why = "--strict" if result.extractions else "no document is left"
            _err(f"kg: error: {result.summary()} ({why}): nothing written\n")
            raise click.exceptions.Exit(1)
        store = result.union_store()
        # The writer's graphs are this union's (the products' key is the digest of the
        # lines the files are made of, not of graph.nq: kg.publish.triples_digest).
        writer = writers[-1] if writers and writers[-1].graphs is result.triples else None
        paths: dict[str, Path] = {}
        # The products' key is the digest of the lines the files are made of, not of
        # graph.nq (kg.publish.triples_digest).
        key = triples_digest(result.triples)
        # The analysis is made beside the page, on the other core (its writer is done by
        # then, or nearly: the page took 1.8 s at 1,000 releases, the analysis 1.4 s).
        early = None
        if publish and page:
            early = start_analysis(
                store, stage, previous.parent if previous is not None else None,
                stage / CACHE_DIR if cache else None, key, jobs,
            )  # fmt: skip
        if page:
            last = previous.parent if previous is not None else None
            paths["html"], reused = _page(
                store, stage, result.extractions, key, last, stage / CACHE_DIR if cache else None
            )
            end_stage("page (reused)" if reused else "page")
        warnings = result.warnings
        built = result.summary()
        # What the products need is in the store: the records extracted go before they
        # are made (less memory at the peak, where the report is written beside the writer).
        result.extractions = []
        result.store = None  # type: ignore[assignment]  # the checks' store: done with
        if publish:
            # From the same in-memory union as the page (its joins are faster than the
            # disk's): the page's records and the body graph are made once for all.
            # The exports' process is forked once the writer is done: two processes at
            # once, not three (their memory together took the peak past 1 GB at 1,000);
            # while it writes, this process makes what needs no process of its own.
            settle, busy = (writer.wait, writer.running) if writer is not None else (None, None)
            published = _publish(
                store, key, stage, previous, cache, pdf, end_stage, jobs, settle, busy, early
            )
        summary = _summary_tables(store, stage / "analysis.json" if publish else None)
        end_stage("summary")
        del store
        if writer is not None:
            paths["store"] = writer.result()  # written here if its process failed
            result.outputs = graph_files(stage, formats)
        else:  # one job: written here, after the rest (the in-memory store gone first)
            for stale in writers:
                stale.wait()  # its files are the same ones: it ends before they are written
            write_outputs(result, stage, formats, blocks)
            paths["store"] = write_store(list(result.triples.items()), stage / "store", before)
        paths = {k: p for k, p in result.outputs.items() if k != "nt"} | paths
        end_stage("on-disk store and graph files")
        if progress.shown and (memo.hits or memo.misses):
            _err(f"kg: cache: {memo.hits} reused, {memo.misses} computed\n")
    paths = {k: outputs.final(p) for k, p in paths.items()}
    _say(built + (f" ({len(result.left_out)} left out)" if result.left_out else ""))
    for columns, rows, title in summary:
        _print_table(columns, rows, title)
    _print_warnings(warnings, verbose, "kg build --verbose")
    for path in paths.values():
        _say(f"wrote {path}")
    if publish:
        for note in published.notes:
            _err(f"kg: warning: {_one_line(note)}\n")
        _say(_published_line(published, out_dir))
    if "html" in paths:
        out.print()
        _say(f"Open the page: {Path(paths['html']).resolve()}")


def _page(
    store: Any,
    stage: Path,
    extractions: list[Any],
    graph: str,
    previous: Path | None,
    cache_dir: Path | None,
) -> tuple[Path, bool]:
    """graph.html, and whether it is the last build's (`previous`: its output folder):
    reused when drawn from the same graph, texts and code (a re-run that changed
    nothing), else drawn anew. `cache_dir`: where this build records what it drew."""
    from kg.publish import page_key, reuse_page, stamp_page

    # The texts the build has just read: the page need not read and check them again.
    texts = {ex.source.doc_id: ex.source.text for ex in extractions}
    key = page_key(graph, texts)
    page = reuse_page(stage, previous, key)
    reused = page is not None
    if page is None:
        from kg.viz import render_page

        page = render_page(store, stage / "graph.html", texts=texts)
    if cache_dir is not None:
        stamp_page(cache_dir, key, page)
    return page, reused


def _publish(
    store: Any,
    graph: str,
    stage: Path,
    previous: Path | None,
    cache: bool,
    pdf: bool,
    stages: Callable[[str], None],
    jobs: int,
    settle: Any,
    busy: Any,
    early: Any,
) -> Any:
    """The analysis, report and exports of the build's union `store`; `settle()` waits
    for the graph files before the exports are forked, `busy()` says whether they are
    still being written."""
    from kg.buildcache import CACHE_DIR
    from kg.publish import publish

    return publish(
        store,
        stage,
        previous.parent if previous is not None else None,
        stage / CACHE_DIR if cache else None,
        graph,
        pdf=pdf,
        stages=stages,
        jobs=jobs,
        settle=settle,
        busy=busy,
        early=early,
    )


def _published_line(published: Any, out_dir: str) -> str:
    """One line for what was published beside the graph (the files are many)."""
    names = [Path(p).name for p in published.paths]
    shown = [str(Path(out_dir) / n) for n in names if n.endswith((".json", ".html", ".pdf"))]
    rest = len(names) - len(shown)
    line = f"wrote {', '.join(shown)} and {rest} CSV, GraphML, GEXF and N-Triples files"
    if published.reused:
        line += f" (reused, the graph unchanged: {', '.join(published.reused)})"
    return line


class _Progress:
    """Each stage of a build and its time on stderr; a progress bar while documents are
    worked on, when stderr is a terminal."""

    def __init__(self, shown: bool) -> None:
        import time

        self.shown = shown
        self._time = time.perf_counter
        self._last = self._time()
        self._bar: Any = None
        self._task: Any = None
        self._name = ""

    def __enter__(self) -> _Progress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, name: str, done: int, total: int) -> None:
        if self._bar is None or total < 20:
            return
        if self._task is None or name != self._name:
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(name, total=total)
            self._name = name
        self._bar.update(self._task, completed=done)

    def stage(self, name: str, seconds: float | None = None) -> None:
        now = self._time()
        took = now - self._last if seconds is None else seconds
        self._last = now
        if self._task is not None:
            self._bar.remove_task(self._task)
            self._task = None
        if not self.shown:
            return
        line = f"kg: {name:<30} {took:7.2f} s\n"
        if self._bar is not None:
            self._bar.console.print(line, end="", markup=False, highlight=False)
        else:
            _err(line)


def _worded(finding: Any) -> str:
    """A finding with the document it is in, when the graph says."""
    finding = _safe(finding)
    return (f"document {finding.document}: " if finding.document else "") + finding.text()


def _safe(finding: Any) -> Any:
    """A finding whose words from documents (labels, values, the quote) hold no control
    character, so that the only line breaks in its text are the ones `text()` puts."""
    from dataclasses import replace

    def clean(value: str | None) -> str | None:
        return None if value is None else terminal_safe(value)

    return replace(
        finding,
        record=terminal_safe(finding.record),
        value=clean(finding.value),
        quote=clean(finding.quote),
        document=clean(finding.document),
    )


_SHOWN = 5  # reasons shown per document left out, without --verbose


def _print_left_out(path: str, reasons: tuple[str, ...], verbose: bool) -> None:
    shown = reasons if verbose else reasons[:_SHOWN]
    _err(f"kg: left out {terminal_safe(path)}:\n")
    for reason in shown:
        # Only "\n" breaks a line: str.splitlines would also break at a form feed or U+2028.
        _err("".join(f"  {terminal_safe(line)}\n" for line in reason.split("\n")))
    if len(shown) < len(reasons):
        _err(f"  ... and {len(reasons) - len(shown)} more (--verbose lists them)\n")


def _print_warnings(warnings: list[Any], verbose: bool, how: str) -> None:
    """Warnings counted by kind; each one in full with `verbose`."""
    from kg.problem import count_by_kind

    if not warnings:
        return
    if verbose:
        _say(f"Warnings ({len(warnings)}):")
        for finding in sorted(warnings, key=lambda f: (f.kind, f.document or "", f.record)):
            for line in _worded(finding).split("\n"):
                _say(f"  {line}")
        return
    _say(f"Warnings ({how} lists each):")
    for count, kind in count_by_kind(warnings):
        _say(f"  {count:>4}  {kind}")


def _summary_tables(
    store: Any, analysis: Path | None = None
) -> list[tuple[list[str], list[tuple[Any, ...]], str | None]]:
    """The tables a build ends with: the counts, the top pairs (from the `analysis` file
    the build has just published, when there is one: it ranks the pairs as the
    shared-commitments query does, which took 0.6 s more at 1,000 releases)."""
    from kg.stats import body_breakdown, breakdown_text, graph_stats

    counts: dict[str, Any] = dict(graph_stats(store))
    counts["organizations"] = breakdown_text(body_breakdown(store))
    if analysis is not None:
        from kg.analyze import read_analysis

        found = read_analysis(analysis).shared[:10]
        shared = [{**r, "areas": "; ".join(r["areas"])} for r in found]
    else:
        from kg.query import resolve_query, run_query

        shared = run_query(store, resolve_query("shared-commitments"), {}).dicts()[:10]
    rows = [(r["label_a"], r["label_b"], r["shared"], r["basis"], r["areas"]) for r in shared]
    return [
        (list(counts), [tuple(counts.values())], "The graph"),
        (
            ["body", "body", "shared", "basis", "areas"],
            rows,
            "Top pairs by shared commitments (pairs the text states first, then co-mentions)",
        ),
    ]


@app.command()
@graph_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(graph: str, as_json: bool) -> None:
    """Count triples, documents, meetings, areas, commitments, organisations, people, memoranda."""
    from kg.stats import body_breakdown, breakdown_text, graph_stats

    store = _store(graph)
    counts = graph_stats(store)
    if as_json:
        sys.stdout.write(json.dumps(counts) + "\n")
        return
    # The JSON keeps docs/DESIGN.md's keys; the table adds the breakdown of the bodies.
    bodies = body_breakdown(store)
    rows: list[tuple[Any, ...]] = []
    for key, value in counts.items():
        if key == "organizations":
            rows.append((key, breakdown_text(bodies)))
            rows.append(("programmes and events", bodies["programmes_events"]))
        else:
            rows.append((key, value))
    _print_table(["count", "value"], rows)


@app.command()
@graph_argument
@click.option("--verbose", "-v", is_flag=True, help="List every warning.")
def validate(graph: str, verbose: bool) -> None:
    """Check a graph file against the SHACL shapes of ontology/, reported in words."""
    from kg.problem import explain
    from kg.store import RdflibStore
    from kg.validate import validate_graph

    if graph.startswith(("http://", "https://")):
        raise InputError(graph, "validate reads a graph file, not an endpoint")
    data = RdflibStore.from_file(graph).graph
    report = validate_graph(data)
    findings = explain(report.violations, data)
    if report.conforms:
        _say(f"{graph}: conforms to the coopkg shapes")
    _print_warnings([f for f in findings if f.severity == "Warning"], verbose, "--verbose")
    if not report.conforms:
        lines = [_worded(f) for f in findings if f.severity == "Violation"]
        raise ValidationError("\n".join(lines), report.count)
