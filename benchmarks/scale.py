"""The whole pipeline at scale: each `kg` step as its own process on synthetic corpora.

For each size (default 100, 1,000 and 2,500 releases, see benchmarks/synth.py) it writes
the corpus, then runs, each as a separate process with its wall time and peak resident
memory (from `wait4`, so per step, not the largest so far):

- `kg build` from nothing, then again after adding one release (the incremental case);
- `kg query shared-commitments`, `kg analyze`, `kg report --no-pdf`, `kg export`;
- the same query on plain rdflib (parse graph.nt into an in-memory Graph, then its SPARQL
  engine), and a hand-written Counter over graph.nt's lines (the floor: no store at all).

Every step has a time limit; one that reaches it is recorded as stopped, and the run goes
on. The figures are printed as a table and written to out/bench.json under "scale" (the
other keys, written by benchmarks/run.py, are kept).

    python benchmarks/scale.py [--sizes 100,1000,2500] [--limit 900]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

KG = [sys.executable, "-m", "kg"]
WORK = ROOT / "out" / "bench"

# The floor for shared-commitments: bodies per commitment from N-Triples lines, pairs
# counted with a Counter. It reads only what the question needs, as hand-written code would.
COUNTER = r"""
import itertools, json, sys, time
from collections import Counter, defaultdict
start = time.perf_counter()
INVOLVES = "<https://w3id.org/coopkg/ontology#involves>"
bodies = defaultdict(set)
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        s, p, rest = line.split(" ", 2)
        if p == INVOLVES:
            bodies[s].add(rest.rsplit(" ", 1)[0])
read = time.perf_counter()
pairs = Counter()
for names in bodies.values():
    pairs.update(itertools.combinations(sorted(names), 2))
done = time.perf_counter()
print(json.dumps({"read_s": read - start, "count_s": done - read, "pairs": len(pairs)}))
"""

# rdflib on its own: the whole graph in memory, the named query on its SPARQL engine.
RDFLIB = r"""
import json, sys, time
start = time.perf_counter()
import rdflib
from kg.query import resolve_query, run_query
from kg.store import RdflibStore
graph = rdflib.Graph()
graph.parse(sys.argv[1], format="nt")
parsed = time.perf_counter()
table = run_query(RdflibStore(graph), resolve_query("shared-commitments"), {})
done = time.perf_counter()
print(json.dumps({"parse_s": parsed - start, "query_s": done - parsed, "rows": len(table)}))
"""


def run(argv: list[str], limit: float, cwd: Path = ROOT) -> dict[str, Any]:
    """Run one step: its wall time, peak memory, exit status and last line of output.

    Memory is sampled as the sum over the step's processes (a build's worker pool counts
    with its parent; pages they share count once), and the largest single process is read
    from `wait4` as well.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        stopped, total = False, 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            total = max(total, _session_rss(proc.pid))
            if time.perf_counter() - start > limit:
                stopped = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        log.seek(0)
        text = log.read().decode("utf-8", "replace").strip().splitlines()
    largest = round(usage.ru_maxrss / 1024)
    return {
        "seconds": round(seconds, 2),
        "peak_mb": max(largest, round(total / 2**20)),
        "largest_process_mb": largest,
        "status": "stopped" if stopped else proc.returncode,
        "last": text[-1][:200] if text else "",
    }


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _session_rss(session: int) -> int:
    """Bytes resident in the processes of a session (the step and what it started), each
    page shared between them counted once: a process forked beside the build (kg.pool)
    shares the parent's pages until it writes them, and adding the processes' RSS counted
    those pages twice. Each process's proportional set size (Pss) is its share."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[3]) == session:  # field 6 of stat, after pid and comm
                total += _proportional(Path(entry.path))
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return total


def _proportional(proc: Path) -> int:
    """A process's proportional set size in bytes (its resident size where the kernel does
    not say)."""
    try:
        for line in Path(proc, "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(Path(proc, "statm").read_text().split()[1]) * _PAGE


def graph_of(out: Path) -> str:
    """What the commands should read: the on-disk store when the build wrote one."""
    store = out / "store"
    return str(store if store.is_dir() else out / "graph.ttl")


def measure(size: int, limit: float) -> dict[str, Any]:
    folder = WORK / f"synth{size}"
    shutil.rmtree(folder, ignore_errors=True)
    data = synth.write_corpus(folder / "data", size)
    out = folder / "out"
    steps: dict[str, Any] = {}

    def step(name: str, argv: list[str]) -> dict[str, Any]:
        result = run(argv, limit)
        steps[name] = result
        peak = f"{result['peak_mb']} MB" if result["peak_mb"] is not None else "?"
        print(f"  {size:>5} {name:<36} {result['seconds']:>8.2f} s {peak:>9}  {result['status']}")
        return result

    step("kg build", [*KG, "build", str(data), "--out", str(out)])
    text, side = synth.release(size)
    (data / "sources" / f"{side['id']}.txt").write_text(text, encoding="utf-8")
    meta = "".join(f"{k}: {synth._yaml(v)}\n" for k, v in side.items())
    (data / "sources" / f"{side['id']}.yaml").write_text(meta + "url: null\nlanguage: en\n")
    step("kg build, one release added", [*KG, "build", str(data), "--out", str(out)])
    # A body no release names: every extraction asks its questions of the bodies again
    # (kg/registry_trace.py) and none is made again; the graph stays the same.
    with (data / "registry" / "bodies.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n- name: Xanadu Pleasure Dome Authority\n  kind: agency\n")
    step("kg build, a registry body added", [*KG, "build", str(data), "--out", str(out)])
    graph = graph_of(out)
    step(
        "kg query shared-commitments",
        [*KG, "query", "shared-commitments", "--graph", graph, "--format", "json"],
    )
    step("kg analyze", [*KG, "analyze", graph, "--out", str(out)])
    step("kg report", [*KG, "report", graph, "--out", str(out), "--no-pdf"])
    step("kg export", [*KG, "export", graph, "--out", str(folder / "export")])

    nt = out / "graph.nt"
    if not nt.exists():  # builds before the store wrote N-Triples beside it
        nt = folder / "export" / "graph.nt"
    for name, script in (
        ("rdflib: parse + shared-commitments", RDFLIB),
        ("Counter over graph.nt", COUNTER),
    ):
        result = step(name, [sys.executable, "-c", script, str(nt)])
        with contextlib.suppress(ValueError):
            result["detail"] = json.loads(result["last"])
    triples = sum(1 for _ in nt.open("rb")) if nt.exists() else None
    return {"releases": size, "triples": triples, "steps": steps, "ratios": ratios(steps)}


def ratios(steps: dict[str, Any]) -> dict[str, float | None]:
    """How far the project's query is from plain rdflib's engine and from the Counter."""
    query = steps.get("kg query shared-commitments", {})
    rdflib_detail = steps.get("rdflib: parse + shared-commitments", {}).get("detail") or {}
    counter = steps.get("Counter over graph.nt", {}).get("detail") or {}
    mine = query.get("seconds") if query.get("status") == 0 else None

    def over(other: float | None) -> float | None:
        return round(other / mine, 1) if other and mine else None

    return {
        "rdflib_query_over_kg_query": over(rdflib_detail.get("query_s")),
        "rdflib_parse_and_query_over_kg_query": over(
            (rdflib_detail.get("parse_s") or 0) + (rdflib_detail.get("query_s") or 0) or None
        ),
        "kg_query_over_counter": round(mine / counter["count_s"], 1)
        if mine and counter.get("count_s")
        else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,2500", help="Releases per corpus.")
    parser.add_argument("--limit", type=float, default=900.0, help="Seconds per step.")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    runs = []
    for size in sizes:
        print(f"{size} synthetic releases:")
        runs.append(measure(size, args.limit))
        print(f"  ratios: {runs[-1]['ratios']}")
    target = ROOT / "out" / "bench.json"
    record = json.loads(target.read_text()) if target.exists() else {}
    record["scale"] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "runs": runs,
    }
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
