"""Speed of the extractor, per document: in process (median of several runs) and as
`kg extract FILE --json` in a fresh process (wall time, start-up included).

Documents: the sources in `data/sources/`, the development set in `tests/devset/docs/`, and
a synthetic text of about 200 KB (the development set's lines, each made unique so that the
repeated-body filter keeps them) that guards against pathological regex backtracking.

    .venv/bin/python benchmarks/extract_speed.py [--repeat N] [--budget SECONDS]

Prints one row per document and exits 1 when a `kg extract` run exceeds the budget
(default 3 s, the goal of issue 3) or fails.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SYNTHETIC_BYTES = 200_000


def synthetic_text(docs: list[Path]) -> str:
    """About 200 KB in the genre's layout, no line repeated."""
    lines = [
        line
        for path in docs
        for line in path.read_text(encoding="utf-8").replace("\r", "").split("\n")
    ]
    out: list[str] = []
    size, n = 0, 0
    while size < SYNTHETIC_BYTES:
        for line in lines:
            n += 1
            line = f"{line} Item {n}." if len(line) > 60 else line
            out.append(line)
            size += len(line) + 1
    return "\n".join(out) + "\n"


def in_process_ms(path: Path, repeat: int) -> tuple[float, int]:
    from kg.build import extract_path

    times = []
    ex = None
    for _ in range(repeat):
        start = time.perf_counter()
        ex = extract_path(path, ROOT / "data")
        times.append(time.perf_counter() - start)
    assert ex is not None
    return statistics.median(times) * 1000, len(ex.commitments)


def cli_seconds(path: Path) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "kg.cli", "extract", str(path), "--json"]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="in-process runs per document")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per kg extract")
    args = parser.parse_args(argv)

    docs = sorted((ROOT / "data" / "sources").glob("*.txt"))
    dev = sorted(p for p in (ROOT / "tests" / "devset" / "docs").glob("*.txt") if p.name not in {
        d.name for d in docs
    })  # fmt: skip
    worst, failed = 0.0, 0
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "synthetic_200kb.txt"
        big.write_text(synthetic_text(dev or docs), encoding="utf-8")
        header = f"{'document':<34} {'KB':>6} {'in-process ms':>14} {'kg extract s':>13}"
        print(f"{header} {'commitments':>12}")
        for path in [*docs, *dev, big]:
            ms, commitments = in_process_ms(path, args.repeat)
            seconds, rc = cli_seconds(path)
            worst = max(worst, seconds)
            status = "" if rc == 0 and seconds <= args.budget else "  <-- FAIL"
            failed += bool(status)
            kb = path.stat().st_size / 1000
            print(
                f"{path.name[:34]:<34} {kb:>6.1f} {ms:>14.1f} {seconds:>13.2f} "
                f"{commitments:>12}{status}"
            )
    print(f"\nslowest kg extract: {worst:.2f} s (budget {args.budget:.1f} s); {failed} failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
