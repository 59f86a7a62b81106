"""`kg ingest`, `kg registry suggest`, `kg compare`, `kg eval`: adding and measuring documents."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cells import terminal_safe
from kg.cli.app import _store, app, graph_argument, registry
from kg.cli.console import (
    _print_table,
    _readable,
    _say,
)
from kg.errors import OutputError


@app.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--data", default="data", show_default=True, help="Data folder to add them to.")
@click.option("--title", help="The document's title (one file only).")
@click.option("--date", help="Its date, YYYY-MM-DD.")
@click.option("--url", help="Where it was published (one file only).")
@click.option("--publisher", help="Who published it.")
@click.option("--language", help="Its language (default en).")
@click.option("--kind", type=click.Choice(["press_release", "analysis"]), help="Its genre.")
@click.option("--place", help="Where it was issued.")
def ingest(files: tuple[str, ...], data: str, **metadata: str | None) -> None:
    """Add documents FILES to DATA/sources with their metadata (or their own sidecar)."""
    from kg.ingest import ingest as ingest_files

    for done in ingest_files(list(files), data, metadata):
        _say(f"{done.status}: {done.path}")


@registry.command()
@click.argument("data", default="data")
@click.option(
    "--out",
    "-o",
    "out_file",
    default="out/registry-suggestions.yaml",
    show_default=True,
    help="Where to write the YAML patch ('-' for stdout).",
)
def suggest(data: str, out_file: str) -> None:
    """Propose registry entries for the places and bodies the texts name and the registry
    lacks: a new partner, its government and party committee, bodies found by shape (one
    reviewable YAML patch, each entry with the sentences that justify it)."""
    from kg.outset import OutputSet, check_target
    from kg.suggest import render_suggestions, suggest_registry, write_suggestions

    target = Path(out_file)
    if out_file != "-":
        if target.is_dir():
            raise OutputError(out_file, "is a folder: give the patch's file name")
        check_target(target.parent, inside=[Path(data) / "sources"])
    found = suggest_registry(data)
    if out_file == "-":
        sys.stdout.write(render_suggestions(found))
        return
    outputs = OutputSet(target.parent, "registry suggest", loose=True)
    with outputs as stage:
        path = outputs.final(write_suggestions(found, stage / target.name))
    _say(f"{len(found)} suggested registry entries: review {path}, then copy them into")
    _say(f"{data}/registry/jurisdictions.yaml and bodies.yaml")


@app.command()
@graph_argument
@click.option("--mechanism", default="", help="The mechanism of the plenary diff (name or IRI).")
@click.option("--earlier", default="", help="The earlier plenary: ordinal or date.")
@click.option("--later", default="", help="The later plenary: ordinal or date.")
@click.option("--min", "min_mechanisms", default=2, show_default=True, help="For shared bodies.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--out", "-o", "out_dir", help="Also write compare.json and CSVs here.")
def compare(
    graph: str,
    mechanism: str,
    earlier: str,
    later: str,
    min_mechanisms: int,
    as_json: bool,
    out_dir: str | None,
) -> None:
    """Compare mechanisms and plenaries: areas x mechanisms, shared bodies, what was added."""
    from kg.compare import compare as run_compare
    from kg.compare import write_comparison

    result = run_compare(_store(graph), mechanism, earlier, later, min_mechanisms)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        for title, table in result.tables().items():
            if title == "plenary_diff" and not table.rows and result.notes:
                continue  # the notes below say why there is nothing to diff
            _print_table(*_readable(table.columns, table.rows, set()), title.replace("_", " "))
        for note in result.notes:
            _say(f"plenary diff: {note}")
    if out_dir:
        from kg.outset import OutputSet

        outputs = OutputSet(out_dir, "compare")
        with outputs as stage:
            paths = write_comparison(result, stage)
        for path in paths:
            _say(f"wrote {outputs.final(path)}")


@app.command(name="eval")
@click.argument("docs")
@click.argument("gold")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (with misses).")
@click.option("--per-document", is_flag=True, help="Add a row per document and field.")
@click.option(
    "--data", default="data", show_default=True, help="Data folder with registry/, corrections/."
)
def eval_(docs: str, gold: str, as_json: bool, per_document: bool, data: str) -> None:
    """Score extraction of DOCS (file or folder) against GOLD: P/R/F1 per field."""
    from kg.evaluate import evaluate

    result = evaluate(docs, gold, f"{data}/registry", f"{data}/corrections")
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(terminal_safe(result.table(per_document), keep="\n") + "\n")
