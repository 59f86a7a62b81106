"""Speed measurements of coopkg's stages on the data in `data/` (run by `make bench`).

Each stage is timed several times and the median is reported, with the peak memory of
the process. Results go to stdout and to `out/bench.json`.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    from kg.analyze import analyze
    from kg.build import build_graph, extract_path, write_outputs
    from kg.query import list_queries, resolve_query, run_query
    from kg.source import list_sources
    from kg.store import OxigraphStore, RdflibStore
    from kg.viz import render_page

    data = ROOT / "data"
    rows: list[tuple[str, float, str]] = []
    sources = list_sources(data / "sources")
    for path in sources:
        seconds, ex = timed(lambda p=path: extract_path(p, data), repeat=10)
        rows.append(
            (
                f"extract {Path(path).name} (in process)",
                seconds,
                f"{len(ex.commitments)} commitments",
            )
        )

    cli = [sys.executable, "-m", "kg.cli", "extract", str(sources[-1]), "--json"]
    seconds, _ = timed(lambda: subprocess.run(cli, check=True, capture_output=True), repeat=3)
    rows.append(("kg extract --json, wall time with start-up", seconds, Path(sources[-1]).name))

    seconds, result = timed(lambda: build_graph(data), repeat=3)
    rows.append(("build_graph (extract + RDF + SHACL)", seconds, f"{len(result.graph)} triples"))
    with tempfile.TemporaryDirectory() as tmp:
        seconds, _ = timed(lambda: write_outputs(result, tmp), repeat=3)
        rows.append(("write ttl + jsonld + nq", seconds, ""))

        ox_store = OxigraphStore.from_graph(result.graph)
        rdf_store = RdflibStore(result.graph)
        for named in list_queries():
            params = {p.name: "HKEX" for p in named.params if p.required}
            q = resolve_query(named.name)
            ox_s, table = timed(lambda q=q, params=params: run_query(ox_store, q, params))
            rl_s, _ = timed(lambda q=q, params=params: run_query(rdf_store, q, params), repeat=3)
            rows.append(
                (
                    f"query {named.name}: oxigraph / rdflib",
                    ox_s,
                    f"rdflib {rl_s * 1000:.1f} ms, {len(table)} rows",
                )
            )
        seconds, _ = timed(lambda: analyze(ox_store), repeat=3)
        rows.append(("analyze (networkx)", seconds, ""))
        seconds, _ = timed(lambda: render_page(ox_store, Path(tmp) / "graph.html"), repeat=3)
        rows.append(("render_page", seconds, ""))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    width = max(len(r[0]) for r in rows)
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds * 1000:9.1f} ms  {note}")
    print(f"peak memory: {peak_mb:.0f} MB")
    out = ROOT / "out" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    record = {"stages": [{"name": n, "ms": round(s * 1000, 2), "note": t} for n, s, t in rows]}
    record["peak_mb"] = round(peak_mb)
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
