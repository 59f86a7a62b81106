"""Time `kg build` on 100 releases (the issue asks for under a minute).

The releases are made by varying the press releases at hand (the dev set, the seed and the
multi-document fixtures): copy k of a release moves its dateline (and its sidecar's date)
k years on, so that each copy is another meeting of the same mechanism, with its own
document id. They go into a temporary data folder with the project's registry and
corrections. Then the library's stages are timed in process (extraction, identities + RDF,
SHACL validation, writing the graph files) and the CLI, `kg build DATA --out OUT` with the
page, end to end in a fresh process.

    python benchmarks/build_100.py [--releases 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCES = [ROOT / "tests" / "devset" / "docs", ROOT / "data" / "sources",
           ROOT / "tests" / "fixtures" / "multi" / "sources"]  # fmt: skip
_DATELINE = re.compile(r"^(Ends/\w+, \w+ \d{1,2}, )(\d{4})", re.MULTILINE)
_SIDE_DATE = re.compile(r"^(date: ['\"]?)(\d{4})", re.MULTILINE)


def releases() -> list[Path]:
    """Press releases (not analyses) at hand, one per distinct text, sorted by name."""
    found: dict[bytes, Path] = {}
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            side = path.with_suffix(".yaml")
            if side.is_file() and "kind: analysis" in side.read_text(encoding="utf-8"):
                continue
            found.setdefault(path.read_bytes(), path)
    return sorted(found.values(), key=lambda p: p.name)


def make_data(folder: Path, count: int) -> int:
    """Write `count` varied releases into `folder/sources`; return the number of bytes."""
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    (folder / "sources").mkdir(parents=True)
    base = releases()
    size = 0
    for k in range(count):
        path = base[k % len(base)]
        shift = k // len(base)
        stem = f"r{k:03d}_{path.stem}"
        text = path.read_text(encoding="utf-8")
        text = _DATELINE.sub(lambda m, n=shift: m.group(1) + str(int(m.group(2)) + n), text)
        (folder / "sources" / f"{stem}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
        side = path.with_suffix(".yaml")
        if side.is_file():
            meta = side.read_text(encoding="utf-8")
            meta = _SIDE_DATE.sub(lambda m, n=shift: m.group(1) + str(int(m.group(2)) + n), meta)
            meta = re.sub(r"^id: .*$", f"id: {stem}", meta, flags=re.MULTILINE)
            (folder / "sources" / f"{stem}.yaml").write_text(meta, encoding="utf-8")
    return size


def stages(data: Path, out: Path) -> list[tuple[str, float, str]]:
    from kg.build import BuildResult, extract_all, load_context, to_graphs, union_of, write_outputs
    from kg.output import to_ntriples
    from kg.validate import validate_graph

    rows = []
    start = time.perf_counter()
    extractions, registry = extract_all(data)
    rows.append(("extract", time.perf_counter() - start, f"{len(extractions)} documents"))
    start = time.perf_counter()
    graphs = to_graphs(extractions, registry, load_context(data, registry))
    union = union_of(graphs)
    rows.append(("identities + RDF", time.perf_counter() - start, f"{len(union)} triples"))
    start = time.perf_counter()
    report = validate_graph(union)
    verdict = "conforms" if report.conforms else f"{report.count} violations"
    rows.append(("SHACL validation", time.perf_counter() - start, verdict))
    start = time.perf_counter()
    triples = {name: to_ntriples(graph) for name, graph in graphs.items()}
    write_outputs(BuildResult(triples, None, extractions, report), out)  # type: ignore[arg-type]
    rows.append(("write ttl + jsonld + nq", time.perf_counter() - start, ""))
    rows.append(("total in process", sum(r[1] for r in rows), ""))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="Make the data here and keep it.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        folder = args.keep or Path(tmp) / "data"
        if folder.exists():
            shutil.rmtree(folder)
        size = make_data(folder, args.releases)
        texts = len(releases())
        print(f"{args.releases} releases ({size / 1e6:.2f} MB) from {texts} texts in {folder}")
        for name, seconds, note in stages(folder, Path(tmp) / "lib-out"):
            print(f"  {name:<32} {seconds:7.2f} s  {note}")
        kg = Path(sys.executable).with_name("kg")
        command = [str(kg), "build", str(folder), "--out", str(Path(tmp) / "out")]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-500:]}"
        print(f"  {'kg build (CLI, with the page)':<32} {seconds:7.2f} s  {status}")
        return 0 if done.returncode == 0 and seconds < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
