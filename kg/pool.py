"""Work spread over processes, results in input order: a pool gives what a loop gives.

`ordered_map(func, items, jobs)` is `[func(x) for x in items]`; with `jobs > 1` the calls
run in forked worker processes (they inherit what the parent had loaded, so the registry
and the shapes are not pickled once per item) and the results come back in the order of
`items`, whatever order the workers finish in. Exceptions a call raises come back as
values (`Failed`) so that one document never stops the others; the caller decides.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Items per task sent to a worker: small enough to balance two cores, large enough
# that the pipe is not the cost.
_CHUNK = 4


@dataclass(frozen=True)
class Failed:
    """What a call raised, carried back from a worker."""

    error: BaseException


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


_FUNC: Callable[[Any], Any] | None = None


def _call(item: Any) -> Any:
    assert _FUNC is not None
    try:
        return _FUNC(item)
    except Exception as exc:  # carried back, the caller decides
        try:
            # Both ways: one that pickles but cannot be rebuilt (an __init__ that `args`
            # does not fit) kills the pool's result thread, and the map never ends.
            pickle.loads(pickle.dumps(exc))
        except Exception:  # an exception whose class cannot cross the pipe
            return Failed(RuntimeError(f"{type(exc).__name__}: {exc}"))
        return Failed(exc)


def ordered_map(
    func: Callable[[T], R],
    items: Sequence[T],
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[R | Failed]:
    """`func` over `items`, in order; `jobs` processes (1: this one). `progress(n)` is
    called after each result with the number done."""
    global _FUNC
    if jobs <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for done, item in enumerate(items, 1):
            try:
                yield func(item)
            except Exception as exc:  # same contract as the pool
                yield Failed(exc)
            if progress is not None:
                progress(done)
        return
    _FUNC = func  # inherited by the forked workers: nothing of it is pickled
    context = multiprocessing.get_context("fork")
    # What the workers inherit is left out of their garbage collections: each full
    # collection would walk the parent's whole heap (every document's extraction), so a
    # document's check took longer the larger the corpus (and the walk un-shares pages).
    try:
        # Workers stop with a killed build (else they held its output lock, inherited).
        with (
            _frozen(),
            context.Pool(min(jobs, len(items)), initializer=die_with_parent) as pool,
        ):
            results: Iterable[Any] = pool.imap(_call, items, chunksize=_CHUNK)
            for done, result in enumerate(results, 1):
                yield result
                if progress is not None:
                    progress(done)
    finally:
        _FUNC = None


def die_with_parent() -> None:
    """Have this (forked) process killed when its parent dies (Linux; elsewhere nothing)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def keep_heap() -> None:
    """Leave every object alive now out of this process's later garbage collections.

    For a command that builds a large heap it keeps to the end (the registry, the cache's
    records, the union's store and the records drawn from it): each full collection walked
    all of it and found nothing to free (16 collections, 2.8 s of a 10 s re-run of
    `kg build` at 1,000 releases). Objects are still freed when their last reference goes;
    only cycles among them that become garbage later are not, until the process ends.
    """
    # The garbage first, or it would never go: a full collection, which walks only what
    # was made since the last call (what was kept before is not walked again).
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    # Unfrozen after only if nothing was kept before (gc has no partial unfreeze).
    kept = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not kept:
            gc.unfreeze()


class Beside:
    """`func()` run in a forked process while this one goes on (the other core): it
    inherits what this process has loaded, and `result()` waits for what it returned.

    With one job, or where fork is missing, or when the child fails in any way (an
    exception, a signal, a result that cannot cross the pipe), `result()` calls `func()`
    here instead: the same value, or the same exception raised in this process, as a
    plain call would give. The child's files must be its own (it writes nothing the
    parent writes). `result()` may be called again: it gives the same value.
    """

    def __init__(self, func: Callable[[], R], jobs: int = 2) -> None:
        self._func = func
        self._conn: Any = None
        self._process: Any = None
        self._done: tuple[Any] | None = None
        if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        # As in ordered_map: the child's collections leave the parent's heap alone.
        with _frozen():
            self._process = context.Process(
                target=_beside, args=(func, send, receive, os.getpid()), daemon=True
            )
            self._process.start()
        send.close()
        self._conn = receive

    def result(self) -> Any:
        if self._done is None:
            self._done = (self._wait(),)
        return self._done[0]

    def _wait(self) -> Any:
        if self._process is not None:
            try:
                ok, value = self._conn.recv()
            except (EOFError, OSError, pickle.UnpicklingError):
                ok, value = False, None
            finally:
                self._conn.close()
                self._process.join()
                self._process = None
            if ok:
                return value
        return self._func()  # here: the value, or the exception, of a plain call


def _beside(func: Callable[[], Any], send: Any, receive: Any, parent: int) -> None:
    # Its own copy of the reading end, left open, kept a result larger than the pipe's
    # buffer waiting forever once the parent was killed (and with it the parent's output
    # lock, inherited); and a killed build's work stops with it.
    receive.close()
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)
    try:
        send.send((True, func()))
    except BaseException:  # the parent calls func() itself and meets the error there
        with contextlib.suppress(Exception):
            send.send((False, None))
    finally:
        send.close()
