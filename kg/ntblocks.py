"""Each subject's text in the last build's graph.ttl and graph.jsonld, found again by the
digest of its N-Triples lines: a re-run copies the text of every subject whose lines did
not change instead of making it anew (the two files took 4 s of the re-run's CPU at 1,000
releases, for the few subjects one release changes).

The index is a file in the build's cache (OUT/.cache/graph-blocks, describing OUT/graph.ttl
and OUT/graph.jsonld): a JSON line with the files' sizes and SHA-256 (a file changed since,
or gone, is not read), then one fixed-size record per subject: the digest and the byte
range of its text in each file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
from pathlib import Path
from typing import Any

INDEX = "graph-blocks"  # in the build cache's folder
_RECORD = struct.Struct("<16sQQQQ")  # digest; start, end in graph.ttl; in graph.jsonld
FORMATS = ("ttl", "jsonld")


def digest(data: bytes) -> bytes:
    """The key of one subject's N-Triples lines."""
    return hashlib.blake2b(data, digest_size=16).digest()


class Previous:
    """The last build's text of each subject (`text(fmt, key)`), from the files its index
    at `index` describes; nothing when there is no index, or a file is not as it says."""

    def __init__(self, index: Path | None) -> None:
        self._spans: dict[bytes, tuple[int, int, int, int]] = {}
        self._fds: dict[str, int] = {}
        if index is None:
            return
        try:
            with index.open("rb") as handle:
                head = json.loads(handle.readline())
                records = handle.read()
            for fmt, (size, sha) in head.items():
                if fmt in FORMATS:  # beside the cache's folder, by their own names only
                    self._open(fmt, index.parent.parent / f"graph.{fmt}", size, sha)
            if self._fds and len(records) % _RECORD.size == 0:
                self._spans = {r[0]: r[1:] for r in _RECORD.iter_unpack(records)}
        except (OSError, ValueError, TypeError, AttributeError, struct.error):
            self.close()  # an index not ours, or half-written: everything is made anew
            self._spans = {}

    def _open(self, fmt: str, path: Path, size: int, sha: str) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            if os.fstat(fd).st_size == size and _file_sha(fd) == sha:
                self._fds[fmt], fd = fd, -1
        finally:
            if fd >= 0:
                os.close(fd)

    def text(self, fmt: str, key: bytes) -> bytes | None:
        span = self._spans.get(key)
        fd = self._fds.get(fmt)
        if span is None or fd is None:
            return None
        start, end = span[0:2] if fmt == "ttl" else span[2:4]
        if end <= start:
            return None
        data = os.pread(fd, end - start, start)
        return data if len(data) == end - start else None

    def close(self) -> None:
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = {}

    def __enter__(self) -> Previous:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _file_sha(fd: int) -> str:
    sha = hashlib.sha256()
    at = 0
    while block := os.pread(fd, 1 << 20, at):
        sha.update(block)
        at += len(block)
    return sha.hexdigest()


class Sink:
    """A file being written, with where each write went and the SHA-256 of it all."""

    def __init__(self, handle: Any, path: Path) -> None:
        self.handle = handle
        self.path = path
        self.at = 0
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> tuple[int, int]:
        self.handle.write(data)
        self.sha.update(data)
        start, self.at = self.at, self.at + len(data)
        return start, self.at


class Spans:
    """This build's index: where each subject's text went, by format."""

    def __init__(self) -> None:
        self._spans: dict[bytes, list[int]] = {}

    def add(self, fmt: str, key: bytes, span: tuple[int, int]) -> None:
        at = 0 if fmt == "ttl" else 2
        self._spans.setdefault(key, [0, 0, 0, 0])[at : at + 2] = span

    def save(self, index: Path, sinks: dict[str, Sink]) -> None:
        """Written last, once the files it describes (graph.ttl and graph.jsonld in the
        folder above the index's) are complete: a build stopped before leaves no index,
        and the next one makes every subject's text anew."""
        from kg.output import atomic_write_bytes

        head = {fmt: [sink.at, sink.sha.hexdigest()] for fmt, sink in sinks.items()}
        records = b"".join(_RECORD.pack(key, *span) for key, span in sorted(self._spans.items()))
        atomic_write_bytes(index, json.dumps(head, sort_keys=True).encode() + b"\n" + records)
