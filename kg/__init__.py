"""coopkg: a knowledge graph of the parties and commitments of co-operation frameworks.

The public API, for notebooks and other programs (the CLI is a thin layer over it)::

    import kg
    result = kg.build_graph("data")              # extract, build, validate
    result.summary(), result.left_out            # "N of M documents in the graph", why not
    store = kg.OxigraphStore.from_graph(result.graph)
    kg.run_query(store, kg.resolve_query("shared-commitments"), {})
    kg.analyze(store)

Names are imported on first use so that `import kg` (and the CLI) starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "InputError": "kg.errors",
    "KgError": "kg.errors",
    "ValidationError": "kg.errors",
    "Extraction": "kg.model",
    "read_source": "kg.source",
    "document_id": "kg.source",
    "load_registry": "kg.registry",
    "extract_document": "kg.extract",
    "extract_path": "kg.build",
    "build_graph": "kg.build",
    "write_outputs": "kg.build",
    "open_store": "kg.store",
    "OxigraphStore": "kg.store",
    "RdflibStore": "kg.store",
    "EndpointStore": "kg.endpoint",
    "IRI": "kg.store",
    "validate_graph": "kg.validate",
    "explain": "kg.problem",
    "graph_stats": "kg.stats",
    "list_queries": "kg.query",
    "resolve_query": "kg.query",
    "run_query": "kg.query",
    "to_networkx": "kg.analyze",
    "project_bodies": "kg.analyze",
    "centrality": "kg.analyze",
    "analyze": "kg.analyze",
    "render_page": "kg.viz",
    "evaluate": "kg.evaluate",
    "render_report": "kg.report",
    "compare": "kg.compare",
    "ingest": "kg.ingest",
    "suggest_registry": "kg.suggest",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)


def __dir__() -> list[str]:
    return __all__
