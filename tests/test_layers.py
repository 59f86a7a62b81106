"""Imports run one way, downwards (docs/STYLE.md): a lower module never imports a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parents[1] / "kg"

# Lowest first; a module may import its own layer and those below it.
LAYERS = [
    # `kg` itself only for __version__: its other names load lazily, on first use.
    {"kg", "errors", "model", "namespace", "output", "outset", "html", "chromium", "cells"}
    | {"linesort", "pool", "buildcache", "ntwrite", "ntblocks", "graphxml", "registry_trace"},
    {"source", "corrections", "alternation"},
    {"registry"},
    {"extract"},
    {"identity", "scheme"},
    {"rdf"},
    {"validate", "store", "diskstore", "problem", "endpoint", "bounded"}
    | {"sparql_guard", "sparql_text", "inference", "sparql_values", "rdflibeval"}
    | {"results", "workers", "zygote", "worker_wire", "static_files"}
    | {"builddocs", "buildunion", "shaclcore", "shaclrun"},
    {"build", "query", "stats", "graph_text", "answer", "push"},
    {"analyze", "metrics", "compare", "suggest", "ingest", "evaluate"},
    {
        "publish",
        "export",
        "drawing",
        "viz",
        "viz_data",
        "viz_payload",
        "viz_views",
        "viz_layout",
        "viz_styles",
        "report",
        "report_charts",
        "report_network",
        "server",
        "server_request",
        "server_sparql",
        "server_pages",
        "query_page",
        "resource_page",
    },
    {"cli", "docs", "__init__", "__main__"},
]


def layer_of(module: str) -> int:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "kg"
    for rank, names in enumerate(LAYERS):
        if name in names:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def kg_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kg":
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "kg"}
    return found


MODULES = sorted(KG.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(KG)))
def test_imports_run_downwards(path: Path) -> None:
    module = ".".join(("kg", *path.relative_to(KG).with_suffix("").parts))
    own = layer_of(module)
    upward = sorted(m for m in kg_imports(path) if layer_of(m) > own)
    assert upward == [], f"{module} (layer {own}) imports higher layers: {upward}"


def test_the_check_can_fail() -> None:
    assert layer_of("kg.cli") > layer_of("kg.store") > layer_of("kg.model")
