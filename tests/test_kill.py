"""The kill test (issue 8): builds of two data sets, killed at random moments, always leave
an output set that is exactly one complete run's: never graph files of one run and the
page or analysis of the other.

Each run is `kg build` then `kg analyze` into one out/. Before the kills, each data set is
run once to completion to record its reference sets (builds are deterministic, so bytes
compare). After every kill, out/ must be byte-identical to what it was before the run, to
the data set's build, or to its build and analysis. Half of the kills are aimed at the
moment the run is writing (once its staging folder appears), the others fall anywhere.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

ROOT = Path(__file__).resolve().parents[1]
KILLS = 11  # runs are started until this many were killed (every fifth one finishes)
SEED = 8

RUNNER = """
import sys
from kg.cli import main
data, out, steps = sys.argv[1:4]
if "b" in steps and main(["build", "--no-publish", data, "--out", out]):
    sys.exit(1)
if "a" in steps:
    sys.exit(main(["analyze", out + "/graph.ttl", "--out", out]))
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; the on-disk store by what it holds (its database files carry
    ids and sizes of their own run, so two builds of one graph differ in bytes)."""
    if not folder.is_dir():
        return {}
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != "store"
    }
    # The set's list of its files names the store's database files too: by what it holds,
    # the store is the same whether a run wrote it afresh or updated the last one's.
    listed = files.get(".coopkg-outputs.json")
    if listed is not None:
        manifest = json.loads(listed)
        manifest["files"] = {
            k: v for k, v in manifest["files"].items() if not k.startswith("store/")
        }
        files[".coopkg-outputs.json"] = json.dumps(manifest, sort_keys=True).encode()
    if (folder / "store").is_dir():
        store = pyoxigraph.Store.read_only(str(folder / "store"))
        files["store"] = b"".join(sorted(str(q).encode() + b"\n" for q in store))
        del store
    return files


def start(data: Path, out: Path, steps: str = "ba") -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(data), str(out), steps],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )


def staging(out: Path, pid: int) -> Path:
    return out.parent / f".{out.name}.staging-{pid}"


def wait_for_stage(proc: subprocess.Popen[bytes], out: Path) -> float:
    """Seconds from now until the run starts writing (or ends)."""
    began = time.monotonic()
    while proc.poll() is None and not staging(out, proc.pid).exists():
        time.sleep(0.005)
    return time.monotonic() - began


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("kill")
    a = shutil.copytree(ROOT / "data", base / "a", ignore=shutil.ignore_patterns("004_*"))
    b = shutil.copytree(ROOT / "data", base / "b", ignore=shutil.ignore_patterns("000_*"))
    return {"a": a, "b": b}


def test_a_killed_run_always_leaves_one_runs_output_set(datasets, tmp_path):
    refs: dict[str, tuple[dict[str, bytes], dict[str, bytes]]] = {}
    whole = writing = 0.0  # the longest a reference build took, and spent writing
    for name, data in datasets.items():
        ref = tmp_path / f"ref-{name}"
        began = time.monotonic()
        proc = start(data, ref, "b")
        wait_for_stage(proc, ref)
        staged = time.monotonic()
        assert proc.wait() == 0
        whole = max(whole, time.monotonic() - began)
        writing = max(writing, time.monotonic() - staged)
        built = snapshot(ref)
        assert start(data, ref, "a").wait() == 0
        refs[name] = (built, snapshot(ref))
        assert built != refs[name][1] and "graph.html" in built
    assert refs["a"][0]["graph.ttl"] != refs["b"][0]["graph.ttl"]

    out = tmp_path / "out"
    rng = random.Random(SEED)
    kills = mid_write = 0
    for run in range(4 * KILLS):
        if kills == KILLS:
            break
        name = "ab"[run % 2]
        before = snapshot(out)
        proc = start(datasets[name], out)
        if run % 5 == 4:  # some runs finish, so that the set alternates between a and b
            assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
            assert snapshot(out) == refs[name][1]
            continue
        if run % 2:
            time.sleep(rng.uniform(0, 0.9 * whole))
        else:
            wait_for_stage(proc, out)
            time.sleep(rng.uniform(0, 0.9 * writing))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        mid_write += staging(out, proc.pid).exists()
        after = snapshot(out)
        if proc.returncode != -signal.SIGKILL:  # it finished first (the machine was quicker)
            assert (proc.returncode, after) == (0, refs[name][1])
            continue
        kills += 1
        assert after in (before, *refs[name]), f"run {run} ({name}) left a mixed set: " + ", ".join(
            sorted(k for k in after if after[k] not in (before.get(k), refs[name][1].get(k)))
        )
    print(f"kill test: {kills} kills, {mid_write} while the run was writing")
    assert kills == KILLS
    assert mid_write >= 1  # the kills did hit runs while they were writing
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert len(leftovers) <= 1  # each run removes the staging folders of the killed ones
