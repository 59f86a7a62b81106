"""A pool of query worker processes, each job bounded by a deadline the server enforces.

Oxigraph evaluates inside Rust: no Python thread can interrupt it and its own timeout is
cooperative, so a runaway query must be stopped by killing the process that runs it.
Each worker is a process holding the loaded store; the server sends it a job over a
socket and waits with the deadline; past it the worker is killed and replaced, and the
other workers never noticed.

Forking is only safe from a process with one thread (a child inherits locks that other
threads held, and nothing would release them), and the HTTP server has many. So one
single-threaded "zygote" is forked at start-up, before any thread exists, holding the
loaded store; it forks every worker on request (an in-memory store is shared
copy-on-write: nothing is reloaded or copied) and hands the worker's socket back to the
server over a Unix socket (SCM_RIGHTS). An update runs in a child of the zygote under the
same deadline; on success the zygote reloads the child's snapshot and the server replaces
every worker, so each query sees the store either before or after an update, never half.

`Engine` is what runs in the processes (kg.answer): this module knows no SPARQL.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import select
import signal
import socket
import struct
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from kg.bounded import EngineCrashed, QueryTimeout, _die_with_parent
from kg.errors import KgError

_HEADER = struct.Struct(">I")
_PID = struct.Struct(">q")
_STACK = 512 << 20  # the engine recurses; a big (lazily mapped) stack keeps it alive


class Engine(Protocol):
    """The work the processes do: answer a job (in a worker), apply an update to the
    store (in the zygote's child), and carry the store from that child to the zygote."""

    def handle(self, job: Any) -> Any: ...

    def update(self, text: str) -> Any: ...

    def snapshot(self) -> bytes: ...

    def restore(self, data: bytes) -> None: ...


class ServerBusy(KgError):
    """Every worker stayed busy until the request's deadline."""


def send_message(sock: socket.socket, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def receive_message(sock: socket.socket, deadline: float | None = None) -> Any:
    """One message; TimeoutError at `deadline` (time.monotonic), EOFError when closed."""
    size = _HEADER.unpack(_receive(sock, _HEADER.size, deadline))[0]
    return pickle.loads(_receive(sock, size, deadline))


def _receive(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    buffer = bytearray()
    while len(buffer) < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
        chunk = sock.recv(min(size - len(buffer), 1 << 20))
        if not chunk:
            raise EOFError
        buffer += chunk
    return bytes(buffer)


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
            _Zygote(self.engine, theirs).main()
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
            data, fds, _, _ = socket.recv_fds(self.control, _PID.size, 1)
            while len(data) < _PID.size:
                data += self.control.recv(_PID.size - len(data))
        if not fds or _PID.unpack(data)[0] < 0:
            raise EngineCrashed("the zygote could not start a query worker")
        sock = socket.socket(fileno=fds[0])
        self.idle.put(_Worker(_PID.unpack(data)[0], sock, generation))


class _Zygote:
    """The single-threaded process that holds the store and forks workers from it."""

    def __init__(self, engine: Engine, control: socket.socket) -> None:
        self.engine = engine
        self.control = control
        self.workers: set[int] = set()

    def main(self) -> None:
        code = 0
        try:
            # Ctrl-C reaches the whole process group: the server decides, the zygote waits.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _die_with_parent()
            signal.signal(signal.SIGCHLD, lambda *_: self._reap())
            while True:
                try:
                    message = receive_message(self.control)
                except EOFError:
                    break
                if message[0] == "spawn":
                    try:
                        self._spawn()
                    except OSError:  # no fork (out of processes or memory): say so
                        socket.send_fds(self.control, [_PID.pack(-1)], [])
                elif message[0] == "update":
                    try:
                        reply = self._update(message[1], message[2])
                    except Exception as exc:
                        reply = ("error", KgError(f"the update failed: {exc}"))
                    send_message(self.control, reply)
        except BaseException:
            code = 1
        finally:
            for pid in self.workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os._exit(code)

    def _reap(self) -> None:
        for pid in list(self.workers):
            with contextlib.suppress(ChildProcessError):
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    self.workers.discard(pid)

    def _spawn(self) -> None:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            ours.close()
            self.control.close()
            _worker_main(self.engine, theirs)
        theirs.close()
        self.workers.add(pid)
        socket.send_fds(self.control, [_PID.pack(pid)], [ours.fileno()])
        ours.close()

    def _update(self, text: str, seconds: float) -> tuple[str, Any]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _update_main(self.engine, text, write_fd)
        os.close(write_fd)
        try:
            kind, value = _read_pipe(read_fd, time.monotonic() + seconds)
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            kind, value = "timeout", None
        except (EOFError, pickle.UnpicklingError, TypeError, ValueError):
            kind, value = "error", EngineCrashed("the update stopped the engine")
        finally:
            os.close(read_fd)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        if kind == "done":
            count, data = value
            self.engine.restore(data)
            return "done", count
        return kind, value


def _read_pipe(fd: int, deadline: float) -> Any:
    buffer = bytearray()
    size = None
    while size is None or len(buffer) < size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise EOFError
        buffer += chunk
        if size is None and len(buffer) >= _HEADER.size:
            size = _HEADER.size + _HEADER.unpack(buffer[: _HEADER.size])[0]
    return pickle.loads(bytes(buffer[_HEADER.size : size]))


def _update_main(engine: Engine, text: str, fd: int) -> None:
    def work() -> None:
        try:
            count = engine.update(text)
            message: tuple[str, Any] = ("done", (count, engine.snapshot()))
        except KgError as exc:
            message = ("error", KgError(str(exc)))  # a plain KgError crosses any pipe
        except Exception as exc:
            message = ("error", KgError(f"{type(exc).__name__}: {exc}"))
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(data)) + data)
        while view:
            view = view[os.write(fd, view) :]

    _in_child(work)


def _worker_main(engine: Engine, sock: socket.socket) -> None:
    def work() -> None:
        while True:
            try:
                job = receive_message(sock)
            except (EOFError, OSError):
                return  # the server closed the socket: this worker is retired
            send_message(sock, engine.handle(job))

    _in_child(work)


def _in_child(work: Any) -> None:
    """Run `work` on a big-stack thread of this forked child, then leave (never returns)."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _die_with_parent()
        threading.stack_size(_STACK)
        thread = threading.Thread(target=work, name="kg-worker")
        thread.start()
        thread.join()
    except BaseException:
        code = 1
    finally:
        os._exit(code)
