"""The processes behind kg.workers' pool: the zygote, its workers and its update child.

Forking is only safe from a process with one thread (a child inherits locks that other
threads held, and nothing would release them), and the HTTP server has many. So one
single-threaded zygote is forked at start-up, before any thread exists, holding the
loaded store; it forks every worker on request (an in-memory store is shared
copy-on-write: nothing is reloaded or copied) and hands the worker's socket back to the
server over a Unix socket (SCM_RIGHTS). An update runs in a child of the zygote under its
deadline; on success the zygote reloads the child's snapshot, so workers forked after it
see the store after the update, never half of it.

`Engine` is what runs in the processes (kg.answer): this module knows no SPARQL.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import threading
import time
from typing import Any, NoReturn, Protocol

from kg.bounded import EngineCrashed
from kg.errors import KgError
from kg.pool import die_with_parent
from kg.worker_wire import PID, read_pipe, receive_message, send_message, write_pipe

_STACK = 512 << 20  # the engine recurses; a big (lazily mapped) stack keeps it alive


class Engine(Protocol):
    """The work the processes do: answer a job (in a worker), apply an update to the
    store (in the zygote's child), and carry the store from that child to the zygote."""

    def handle(self, job: Any) -> Any: ...

    def update(self, text: str) -> Any: ...

    def snapshot(self) -> bytes: ...

    def restore(self, data: bytes) -> None: ...


class Zygote:
    """The single-threaded process that holds the store and forks workers from it."""

    def __init__(self, engine: Engine, control: socket.socket) -> None:
        self.engine = engine
        self.control = control
        self.workers: set[int] = set()

    def main(self) -> NoReturn:
        """Answer the server's requests ("spawn", "update") until it closes `control`."""
        code = 0
        try:
            # Ctrl-C reaches the whole process group: the server decides, the zygote waits.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            die_with_parent()
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
                        socket.send_fds(self.control, [PID.pack(-1)], [])
                elif message[0] == "update":
                    try:
                        reply = self._update(message[1], message[2])
                    except Exception as exc:
                        reply = ("error", KgError(f"the update failed: {exc}"))
                    send_message(self.control, reply)
        except BaseException:
            code = 1
        finally:
            # No reaping while the set is walked: a SIGCHLD here would change it mid-loop,
            # and an exception out of this block would let the zygote run the server's code.
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for pid in list(self.workers):
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
        socket.send_fds(self.control, [PID.pack(pid)], [ours.fileno()])
        ours.close()

    def _update(self, text: str, seconds: float) -> tuple[str, Any]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _update_main(self.engine, text, write_fd)
        os.close(write_fd)
        try:
            kind, value = read_pipe(read_fd, time.monotonic() + seconds)
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


def _update_main(engine: Engine, text: str, fd: int) -> NoReturn:
    def work() -> None:
        try:
            count = engine.update(text)
            message: tuple[str, Any] = ("done", (count, engine.snapshot()))
        except KgError as exc:
            message = ("error", KgError(str(exc)))  # a plain KgError crosses any pipe
        except Exception as exc:
            message = ("error", KgError(f"{type(exc).__name__}: {exc}"))
        write_pipe(fd, message)

    _in_child(work)


def _worker_main(engine: Engine, sock: socket.socket) -> NoReturn:
    def work() -> None:
        while True:
            try:
                job = receive_message(sock)
            except (EOFError, OSError):
                return  # the server closed the socket: this worker is retired
            send_message(sock, engine.handle(job))

    _in_child(work)


def _in_child(work: Any) -> NoReturn:
    """Run `work` on a big-stack thread of this forked child, then leave (never returns)."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        die_with_parent()
        threading.stack_size(_STACK)
        thread = threading.Thread(target=work, name="kg-worker")
        thread.start()
        thread.join()
    except BaseException:
        code = 1
    finally:
        os._exit(code)
