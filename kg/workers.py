"""A pool of query worker processes, each job bounded by a deadline the server enforces.

Oxigraph evaluates inside Rust: no Python thread can interrupt it and its own timeout is
cooperative, so a runaway query must be stopped by killing the process that runs it.
Each worker is a process holding the loaded store, forked by the single-threaded zygote
(kg.zygote says why); the server sends it a job over a socket and waits with the
deadline; past it the worker is killed and replaced, and the other workers never noticed.
After an update the pool replaces every worker, so each query sees the store either
before or after it, never half.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from kg.bounded import EngineCrashed, QueryTimeout
from kg.errors import KgError
from kg.worker_wire import PID, receive_message, send_message
from kg.zygote import Engine, Zygote

__all__ = ["Engine", "Pool", "ServerBusy", "receive_message", "send_message"]


class ServerBusy(KgError):
    """Every worker stayed busy until the request's deadline."""


@dataclass
class _Worker:
    pid: int
    sock: socket.socket
    generation: int

    def close(self, kill: bool = False) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.sock.close()


class Pool:
    """`size` workers forked from one zygote; `run` gives a job to an idle one."""

    def __init__(self, engine: Engine, size: int) -> None:
        self.engine = engine
        self.size = max(1, size)
        self.zygote = 0
        self.control: socket.socket | None = None
        self.control_lock = threading.Lock()
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.generation = 0
        self.closed = False

    def start(self, close_in_children: tuple[socket.socket, ...] = ()) -> None:
        """Fork the zygote (call before any thread starts) and the first workers."""
        if threading.active_count() != 1:
            raise KgError("the query workers must be started before any other thread")
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the zygote: never returns
            ours.close()
            for sock in close_in_children:
                sock.close()
            Zygote(self.engine, theirs).main()
        theirs.close()
        ours.settimeout(30)  # a zygote that stopped answering must not hang a request
        self.zygote, self.control = pid, ours
        for _ in range(self.size):
            self._spawn()

    def run(self, job: Any, deadline: float, seconds: float) -> Any:
        """The worker's reply to `job`; QueryTimeout when `deadline` passes first (the
        worker is killed and replaced), EngineCrashed when the worker died."""
        worker = self._take(deadline, seconds)
        try:
            worker.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            send_message(worker.sock, job)
            reply = receive_message(worker.sock, deadline)
        except TimeoutError:
            self._lose(worker)
            raise QueryTimeout(seconds) from None
        except (EOFError, OSError):
            self._lose(worker)
            raise EngineCrashed("the query engine stopped (the query may be too large)") from None
        self._give_back(worker)
        return reply

    def update(self, text: str, seconds: float) -> Any:
        """Apply an update in the zygote's child; on success every worker is replaced."""
        with self.control_lock:
            assert self.control is not None
            send_message(self.control, ("update", text, seconds))
            # The zygote enforces the deadline itself; the margin covers reloading.
            kind, value = receive_message(self.control, time.monotonic() + seconds + 60)
        if kind == "timeout":
            raise QueryTimeout(seconds)
        if kind == "error":
            raise value
        self.generation += 1
        for _ in range(self.size):
            self._spawn()
        return value

    def close(self) -> None:
        """Stop every worker and the zygote, and reap them (bounded: a few seconds)."""
        self.closed = True
        while True:
            try:
                self.idle.get_nowait().close(kill=True)
            except queue.Empty:
                break
        # A replacement being forked finishes first (the zygote answers within seconds).
        locked = self.control_lock.acquire(timeout=35)
        try:
            if self.control is not None:
                self.control.close()  # the zygote reads EOF, kills its workers and exits
                self.control = None
        finally:
            if locked:
                self.control_lock.release()
        if self.zygote:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                done, _ = os.waitpid(self.zygote, os.WNOHANG)
                if done:
                    break
                time.sleep(0.02)
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.zygote, signal.SIGKILL)
                os.waitpid(self.zygote, 0)
            self.zygote = 0

    # --- workers ----------------------------------------------------------------------

    def _take(self, deadline: float, seconds: float) -> _Worker:
        while True:
            left = deadline - time.monotonic()
            try:
                worker = self.idle.get(timeout=max(left, 0.001))
            except queue.Empty:
                raise ServerBusy(
                    f"every query worker stayed busy for {seconds:g} s: try again later"
                ) from None
            if worker.generation == self.generation:
                return worker
            worker.close()  # it holds the store as it was before an update

    def _give_back(self, worker: _Worker) -> None:
        if worker.generation != self.generation or self.closed:
            worker.close()
        else:
            self.idle.put(worker)

    def _lose(self, worker: _Worker) -> None:
        worker.close(kill=True)
        if not self.closed:
            # A fork of the zygote takes milliseconds; the reply need not wait for it.
            threading.Thread(target=self._respawn, name="kg-respawn", daemon=True).start()

    def _respawn(self) -> None:
        # No one to tell: the pool goes on one worker short, and requests wait for the rest.
        with contextlib.suppress(OSError, KgError, EOFError):
            self._spawn()

    def _spawn(self) -> None:
        with self.control_lock:
            if self.control is None:
                return
            generation = self.generation
            self.control.settimeout(30)
            send_message(self.control, ("spawn",))
            data, fds, _, _ = socket.recv_fds(self.control, PID.size, 1)
            while len(data) < PID.size:
                data += self.control.recv(PID.size - len(data))
        if not fds or PID.unpack(data)[0] < 0:
            raise EngineCrashed("the zygote could not start a query worker")
        sock = socket.socket(fileno=fds[0])
        self.idle.put(_Worker(PID.unpack(data)[0], sock, generation))
