"""kg.pool: ordered results over processes, and work done beside this process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.pool import Beside, Failed, ordered_map


def _square(x: int) -> int:
    if x == 3:
        raise InputError("three.txt", "three is refused", 3)
    return x * x


def test_ordered_map_gives_a_loops_results_in_order_with_failures_as_values():
    out = list(ordered_map(_square, list(range(10)), jobs=2))
    assert [r for r in out if not isinstance(r, Failed)] == [x * x for x in range(10) if x != 3]
    failed = out[3]
    assert isinstance(failed, Failed) and "three is refused" in str(failed.error)


def test_beside_runs_in_another_process_and_returns_its_value(tmp_path):
    marker = tmp_path / "pid"

    def work() -> list[int]:
        marker.write_text(str(os.getpid()))
        return [1, 2, 3]

    job = Beside(work, jobs=2)
    assert job.result() == [1, 2, 3]
    assert int(marker.read_text()) != os.getpid()  # it ran in the child


def test_beside_asked_again_gives_the_same_value_without_running_again(tmp_path):
    calls = tmp_path / "calls"

    def work() -> list[int]:
        with calls.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return [os.getpid()]

    for jobs in (2, 1):
        calls.unlink(missing_ok=True)
        job = Beside(work, jobs=jobs)
        first = job.result()
        assert job.result() == first and job.result() is first
        assert calls.read_text().split() == [str(first[0])]  # one call, in one process


def test_beside_with_one_job_runs_here(tmp_path):
    pids: list[int] = []
    job = Beside(lambda: pids.append(os.getpid()) or "done", jobs=1)
    assert job.result() == "done"
    assert pids == [os.getpid()]


def test_an_exception_in_the_child_is_raised_here_as_a_plain_call_would():
    calls: list[int] = []

    def work() -> None:
        calls.append(os.getpid())
        raise InputError("bad.txt", "cannot read it", 7)

    job = Beside(work, jobs=2)
    with pytest.raises(InputError, match="cannot read it") as caught:
        job.result()
    assert caught.value.path == "bad.txt"
    assert calls == [os.getpid()]  # the child's call is not this process's


def test_a_child_killed_by_a_signal_is_made_good_here():
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return 42

    assert Beside(work, jobs=2).result() == 42


def test_a_result_that_cannot_cross_the_pipe_is_made_here():
    parent = os.getpid()

    def work():
        return (lambda: None) if os.getpid() != parent else "here"

    assert Beside(work, jobs=2).result() == "here"


def _subclasses(cls: type) -> list[type]:
    return [s for c in cls.__subclasses__() for s in (c, *_subclasses(c))]


def test_every_library_error_crosses_a_process_whole():
    """A worker's error comes back through pickle; one that pickles but cannot be rebuilt
    killed the pool's result thread and the map never ended."""
    import pickle

    import kg.bounded
    import kg.endpoint
    import kg.push
    import kg.sparql_guard
    import kg.sparql_text
    import kg.store
    import kg.workers  # noqa: F401
    from kg.bounded import QueryTimeout
    from kg.endpoint import EndpointError
    from kg.errors import KgError, OutputError, ValidationError

    samples = {
        InputError: InputError("a.txt", "bad", 3, 4),
        OutputError: OutputError("out", "full disk"),
        ValidationError: ValidationError("report", 2),
        QueryTimeout: QueryTimeout(1.5),
        EndpointError: EndpointError("http://x", "down", True),
    }
    for cls in _subclasses(KgError):
        if cls in samples:
            error = samples[cls]
        elif issubclass(cls, EndpointError):
            error = cls("http://x", "not held")
        else:
            error = cls("sample")
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is cls and str(back) == str(error)
        assert vars(back) == vars(error)


_ORPHAN = """
import sys, time
from kg.pool import Beside, ordered_map

def work():
    time.sleep(0.5)
    return b"x" * (1 << 20)  # more than a pipe holds: sent only while someone reads

def slow(x):
    time.sleep(60)

beside = Beside(work, 2)
print(beside._process.pid, flush=True)
for _ in ordered_map(slow, [1, 2], 2):
    pass
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_a_killed_parents_processes_stop_with_it():
    # A killed build's processes held its output lock (inherited) while they went on: one
    # whose result outgrew the pipe waited forever, and the next run could not start.
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN], stdout=subprocess.PIPE)
    beside = int(proc.stdout.readline())
    time.sleep(1.0)  # the pool's workers are started, the result is being sent
    workers = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _parent(p) == proc.pid and int(p.name) != beside
    ]
    assert workers, "no pool worker found"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(_running, [beside, *workers])):
        time.sleep(0.05)
    assert not any(map(_running, [beside, *workers]))


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None
