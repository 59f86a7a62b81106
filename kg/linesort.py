"""Sorted, distinct lines in bounded memory: an external merge sort over temporary files.

A corpus's N-Triples do not fit in memory as Python strings (a million triples take
about 300 MB as a list, more while sorted), so lines are sorted in runs of about
`budget` bytes, each run written to a temporary file, and the runs merged. Lines are
UTF-8 bytes: their byte order is the code point order of the text, so the result is
what `sorted(set(lines))` gives on the decoded text.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import BinaryIO

DEFAULT_BUDGET = 64 << 20  # bytes of line text held at once (Python's overhead comes on top)


def sorted_unique(lines: Iterable[bytes], budget: int = DEFAULT_BUDGET) -> Iterator[bytes]:
    """Yield the distinct `lines` (each ending in b"\\n") in byte order.

    Examples
    --------
    >>> list(sorted_unique([b"b\\n", b"a\\n", b"b\\n", b"c\\n"], budget=4))
    [b'a\\n', b'b\\n', b'c\\n']
    """
    with tempfile.TemporaryDirectory(prefix="kg-sort-") as folder, ExitStack() as files:
        runs: list[BinaryIO] = []
        run: list[bytes] = []
        held = 0
        for line in lines:
            run.append(line)
            held += len(line) + 64
            if held >= budget:
                runs.append(_spill(run, folder, len(runs), files))
                run, held = [], 0
        if not runs:  # everything fitted: no file at all
            yield from _distinct(sorted(run))
            return
        if run:
            runs.append(_spill(run, folder, len(runs), files))
        yield from _distinct(heapq.merge(*runs))


def _spill(run: list[bytes], folder: str, number: int, files: ExitStack) -> BinaryIO:
    path = os.path.join(folder, f"run-{number}")
    handle = files.enter_context(open(path, "w+b"))  # noqa: SIM115  (closed by the caller's stack)
    handle.writelines(_distinct(sorted(run)))
    handle.seek(0)
    run.clear()
    return handle


def _distinct(lines: Iterable[bytes]) -> Iterator[bytes]:
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line
