"""Run a query engine where a deadline, Ctrl-C and a crash cannot take the caller with it.

Oxigraph evaluates inside Rust: Python cannot interrupt it, signals wait until it
returns, and a stack overflow ends the process. So the query runs in a forked child (the
loaded store is shared copy-on-write, nothing is reloaded) that streams its rows through
a pipe in batches; the parent waits on the pipe with the deadline and kills the child on
timeout, on Ctrl-C or when the caller stops reading. The pipe's buffer is the only
backlog: memory does not grow with the size of the result.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kg.errors import KgError
from kg.pool import die_with_parent

Produce = Callable[[], tuple[list[str], Iterable[tuple[Any, ...]]]]
_BATCH = 256
_STACK = 512 << 20  # the engine recurses; a big (lazily mapped) stack keeps it alive
_HEADER = struct.Struct(">I")


class QueryTimeout(KgError):
    """The query ran past its deadline and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"query stopped after {seconds:g} s (--timeout)")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.seconds,))  # rebuilt whole in another process


class EngineCrashed(KgError):
    """The engine's process died (a stack overflow or an abort inside the engine)."""


def run_rows(
    produce: Produce, timeout: float | None = None, isolate: bool | None = None
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The columns and rows of `produce()`, bounded by `timeout` seconds.

    With `isolate` (the default when a timeout is given) the engine runs in a forked
    child and the rows arrive as the caller iterates; closing the iterator early stops
    the child. Without it the rows are collected in this process, on a big-stack thread.
    Errors that `produce` raises (KgError subclasses) reach the caller unchanged.
    """
    if isolate is None:
        isolate = timeout is not None
    if not isolate or not hasattr(os, "fork"):
        return _in_thread(produce)
    child = _Child(produce, timeout)
    columns = child.start()
    return columns, child.rows()


def _in_thread(produce: Produce) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            columns, rows = produce()
            box["value"] = (columns, list(rows))
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    _on_big_stack(work)
    if "error" in box:
        raise box["error"]
    columns, rows = box["value"]
    return columns, iter(rows)


def _on_big_stack(work: Callable[[], None]) -> None:
    old = threading.stack_size()
    try:
        threading.stack_size(_STACK)
        thread = threading.Thread(target=work, name="kg-query")
    finally:
        threading.stack_size(old)
    thread.start()
    thread.join()


class _Child:
    def __init__(self, produce: Produce, timeout: float | None) -> None:
        self.produce = produce
        self.timeout = timeout if timeout else None
        self.deadline = time.monotonic() + self.timeout if self.timeout else None
        self.pid = 0
        self.fd = -1
        self.buffer = bytearray()

    def start(self) -> list[str]:
        read_fd, write_fd = os.pipe()
        parent = os.getpid()
        # Ctrl-C between the fork and the `try` below would leave the child unstopped
        # (and holding the parent's stdout): it waits until the child is known.
        blocked = _block_sigint()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            _child_main(self.produce, write_fd, parent, blocked)
        self.pid, self.fd = pid, read_fd
        try:
            os.close(write_fd)
            _unblock_sigint(blocked)
            kind, value = self._receive()
        except BaseException:
            self.stop()
            raise
        if kind == "columns":
            return value
        self.stop()
        raise value

    def rows(self) -> Iterator[tuple[Any, ...]]:
        try:
            while True:
                kind, value = self._receive()
                if kind == "rows":
                    yield from value
                elif kind == "end":
                    return
                else:
                    raise value
        finally:
            self.stop()

    def stop(self) -> None:
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _receive(self) -> tuple[str, Any]:
        size = _HEADER.unpack(self._read(_HEADER.size))[0]
        return pickle.loads(self._read(size))

    def _read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            wait = None
            if self.deadline is not None:
                wait = self.deadline - time.monotonic()
                if wait <= 0:
                    raise QueryTimeout(self.timeout or 0)
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                raise QueryTimeout(self.timeout or 0)
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                raise self._died()
            self.buffer += chunk
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def _died(self) -> KgError:
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            return EngineCrashed(
                f"the query engine crashed ({name}): the query may be too large or too deep"
            )
        return EngineCrashed(f"the query engine stopped early (exit status {status >> 8})")


def _child_main(produce: Produce, fd: int, parent: int, blocked: bool) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the child just goes, the
    # parent reports it. Die with the parent, too, if it is killed outright (or was
    # already gone before the child could ask).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _unblock_sigint(blocked)
    faulthandler.disable()  # the parent reports a crash in one line, not a stack dump
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)
    code = 0

    def work() -> None:
        nonlocal code
        try:
            columns, rows = produce()
            _send(fd, ("columns", columns))
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= _BATCH:
                    _send(fd, ("rows", batch))
                    batch = []
            if batch:
                _send(fd, ("rows", batch))
            _send(fd, ("end", None))
        except BrokenPipeError:
            code = 1  # the parent stopped reading: nothing left to do
        except BaseException as exc:
            error = exc if isinstance(exc, KgError) else KgError(f"{type(exc).__name__}: {exc}")
            try:
                pickle.loads(pickle.dumps(error))
            except Exception:  # an error class whose arguments do not round-trip
                error = KgError(str(error))
            try:
                _send(fd, ("error", error))
            except Exception:
                code = 1

    try:
        _on_big_stack(work)
    finally:
        os._exit(code)


def _send(fd: int, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _block_sigint() -> bool:
    """Hold SIGINT back in this thread (True if it was not held already)."""
    if not hasattr(signal, "pthread_sigmask"):
        return False
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    return signal.SIGINT not in held


def _unblock_sigint(blocked: bool) -> None:
    """Let SIGINT through again, if `_block_sigint` held it (a pending one arrives now)."""
    if blocked:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
