"""Load test of `kg serve`: concurrent clients running the named queries (`make loadtest`).

Loopback only, bounded in count and time. For each graph (the seed graph built from
`data/`, and a graph of synthetic releases, see benchmarks/synth.py) it starts `kg serve`
on a free port of 127.0.0.1, then runs `--clients` clients, each on its own keep-alive
connection, cycling through every named query (parameters bound to real values) until
`--requests` answers or `--seconds` have passed. Beside them one more client sends a
deliberately slow query (a three-way cross join) again and again: the server must stop it
at its time limit with an error status while the others go on being answered.

Every answer is checked: status 200, SPARQL JSON that parses, and the number of rows the
same query gave when run alone first. Throughput, latency percentiles and errors are
printed and written to out/loadtest.json.

    python benchmarks/loadtest.py [--clients 8] [--seconds 20] [--requests 20000]
                                  [--releases 1000] [--timeout 10]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KG = str(Path(sys.executable).with_name("kg"))
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Values for the parameters that have no default (the body every release names).
PARAMS = {"body": "Hong Kong Trade Development Council"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(data: Path, out: Path) -> Path:
    """`kg build DATA --out OUT` unless OUT already holds a graph built from DATA."""
    graph = out / "graph.ttl"
    stamp = out / ".loadtest-source"
    if graph.is_file() and stamp.is_file() and stamp.read_text() == str(data):
        return graph
    start = time.perf_counter()
    subprocess.run(
        [KG, "build", str(data), "--out", str(out)],
        check=True,
        timeout=1800,
        stdout=subprocess.DEVNULL,
    )
    stamp.write_text(str(data))
    print(f"  built {graph} in {time.perf_counter() - start:.0f} s")
    return graph


def workload() -> list[tuple[str, str]]:
    """(name, SPARQL text) of every named query people run, parameters bound."""
    from kg.query import bound_text, list_queries

    out = []
    for named in list_queries():
        if named.internal:
            continue
        params = {p.name: PARAMS[p.name] for p in named.params if p.required}
        out.append((named.name, bound_text(named, params)))
    return out


class Server:
    """`kg serve GRAPH` on a free loopback port, for the length of a `with` block."""

    def __init__(self, graph: Path, timeout: float, cache: int) -> None:
        self.port = free_port()
        self.args = [KG, "serve", str(graph), "--port", str(self.port), "--timeout", f"{timeout:g}",
                     "--cache", str(cache)]  # fmt: skip

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 300
        while True:
            try:
                status, _ = ask(self.port, "ASK { ?s ?p ?o }", 5)
                if status == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"kg serve exited: {self.proc.stderr.read().decode()[-500:]}")
            if time.monotonic() > deadline:
                raise SystemExit("kg serve did not answer within 300 s")
            time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def ask(
    port: int, sparql: str, timeout: float, conn: http.client.HTTPConnection | None = None
) -> tuple[int, bytes]:
    """POST `sparql` to /sparql; the status and the body."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            "POST",
            "/sparql",
            body=sparql.encode("utf-8"),
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def rows_of(body: bytes) -> int:
    data = json.loads(body)
    return len(data["results"]["bindings"]) if "results" in data else 1


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.sent = 0

    def take(self, limit: int) -> bool:
        with self.lock:
            if self.sent >= limit:
                return False
            self.sent += 1
            return True


def client(
    port: int,
    queries: list[tuple[str, str]],
    expected: dict[str, int],
    offset: int,
    tally: Tally,
    limit: int,
    until: float,
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    latencies, errors = [], []
    while time.monotonic() < until and tally.take(limit):
        name, text = queries[i % len(queries)]
        i += 1
        start = time.perf_counter()
        try:
            status, body = ask(port, text, 30, conn)
            took = time.perf_counter() - start
            if status != 200:
                errors.append(f"{name}: HTTP {status} {body[:200]!r}")
            elif rows_of(body) != expected[name]:
                errors.append(f"{name}: {rows_of(body)} rows, alone {expected[name]}")
            latencies.append(took)
        except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()
    with tally.lock:
        tally.latencies += latencies
        tally.errors += errors


def slow_client(port: int, until: float, out: list[tuple[int, float]]) -> None:
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            status, _ = ask(port, SLOW, 120)
        except (OSError, http.client.HTTPException):
            status = -1
        out.append((status, time.perf_counter() - start))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def scenario(name: str, graph: Path, cache: int, args: argparse.Namespace) -> dict[str, Any]:
    queries = workload()
    with Server(graph, args.timeout, cache) as server:
        expected, alone, stopped = {}, {}, []
        for qname, text in queries:
            start = time.perf_counter()
            status, body = ask(server.port, text, args.timeout + 30)
            alone[qname] = round(time.perf_counter() - start, 3)
            if status == 503:  # past the limit even alone: left out of the mix, and said
                stopped.append(qname)
                continue
            if status != 200:
                raise SystemExit(f"{qname} failed alone: HTTP {status} {body[:300]!r}")
            expected[qname] = rows_of(body)
        queries = [(q, t) for q, t in queries if q in expected]
        tally, slow = Tally(), []
        start = time.monotonic()
        until = start + args.seconds
        threads = [threading.Thread(target=slow_client, args=(server.port, until, slow))]
        threads += [
            threading.Thread(
                target=client,
                args=(server.port, queries, expected, k * 3, tally, args.requests, until),
            )
            for k in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads[1:]:
            thread.join()
        wall = time.monotonic() - start
        threads[0].join(timeout=args.timeout + 30)
    lat = tally.latencies
    result = {
        "graph": name,
        "cache_mb": cache,
        "clients": args.clients,
        "queries": len(queries),
        "answered": len(lat),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "seconds": round(wall, 2),
        "qps": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(lat, 0.50) * 1000, 1),
        "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
        "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
        "max_ms": round(max(lat, default=0) * 1000, 1),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
        "slow_query": [{"status": s, "seconds": round(t, 2)} for s, t in slow],
        "seconds_alone": alone,
        "stopped_alone": stopped,
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--requests", type=int, default=20000, help="per graph")
    parser.add_argument("--releases", type=int, default=1000, help="0 for the seed graph only")
    parser.add_argument("--timeout", type=float, default=10, help="kg serve --timeout")
    parser.add_argument("--work", default=str(ROOT / "out" / "loadtest"))
    args = parser.parse_args()
    work = Path(args.work)
    seed = build(ROOT / "data", work / "seed")
    # Every answer evaluated (--cache 0), then with kg serve's default answer cache.
    runs = [("seed", seed, 0), ("seed", seed, 64)]
    if args.releases:
        from benchmarks.synth import write_corpus

        data = work / f"synth{args.releases}-data"
        if not (data / "sources").is_dir():
            write_corpus(data, args.releases)
        graph = build(data, work / f"synth{args.releases}")
        runs.append((f"{args.releases} releases", graph, 0))
    results = []
    print(
        f"{'graph':14} {'cache':>5} {'answered':>8} {'q/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6}  slow query (status, s)"
    )
    for name, graph, cache in runs:
        r = scenario(name, graph, cache, args)
        results.append(r)
        slow = ", ".join(f"{s['status']} {s['seconds']:g}" for s in r["slow_query"])
        print(
            f"{name:14} {cache:5d} {r['answered']:8d} {r['qps']:7.1f} {r['p50_ms']:7.1f} "
            f"{r['p95_ms']:7.1f} {r['p99_ms']:7.1f} {r['errors']:6d}  {slow}"
        )
        if r["stopped_alone"]:
            print(f"    stopped at the limit even alone: {', '.join(r['stopped_alone'])}")
        for sample in r["error_samples"]:
            print(f"    {sample}")
    out = ROOT / "out" / "loadtest.json"
    out.parent.mkdir(exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    out.write_text(json.dumps({"machine": machine, "runs": results}, indent=2) + "\n")
    print(f"written {out}")
    failed = any(r["errors"] for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
