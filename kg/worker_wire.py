"""How the server and its query processes talk: pickled messages behind a length.

Every message between the server, the zygote and the workers (kg.workers, kg.zygote) is
one pickle after a 4-byte big-endian length, so a reader knows when it has all of it and
can give up at a deadline instead of blocking on a half-sent answer. A worker's pid goes
beside its socket (SCM_RIGHTS) as a signed 8-byte number; -1 says no worker was forked.
"""

from __future__ import annotations

import os
import pickle
import select
import socket
import struct
import time
from typing import Any

HEADER = struct.Struct(">I")
PID = struct.Struct(">q")


def send_message(sock: socket.socket, message: Any) -> None:
    sock.sendall(encode(message))


def encode(message: Any) -> bytes:
    """`message` as it travels: its length, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def receive_message(sock: socket.socket, deadline: float | None = None) -> Any:
    """One message; TimeoutError at `deadline` (time.monotonic), EOFError when closed."""
    size = HEADER.unpack(_receive(sock, HEADER.size, deadline))[0]
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


def write_pipe(fd: int, message: Any) -> None:
    view = memoryview(encode(message))
    while view:
        view = view[os.write(fd, view) :]


def read_pipe(fd: int, deadline: float) -> Any:
    """One message from a pipe; TimeoutError at `deadline`, EOFError when it closed first."""
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
        if size is None and len(buffer) >= HEADER.size:
            size = HEADER.size + HEADER.unpack(buffer[: HEADER.size])[0]
    return pickle.loads(bytes(buffer[HEADER.size : size]))
