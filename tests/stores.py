"""Real SPARQL stores for the tests, started once per session on 127.0.0.1, free ports.

`oxigraph_store` is the Oxigraph server (PyPI `oxigraph`, read-write, union default
graph); `virtuoso_store` is Debian's Virtuoso with its own database folder and ini (the
Debian service is never used). Without Virtuoso the tests that need it skip, and fail
under CI, as the browser tests do. Each fixture gives a `Running` with the addresses.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import under_ci

VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
; no "anytime" partial answers and no row cap below the graph's size (TRAPS.md)
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""
START_SECONDS = 60  # a fresh database takes 3 s here, 25 s on a loaded machine


@dataclass
class Running:
    """A started store: where to query, update and PUT graphs, and its credentials."""

    name: str
    query: str
    update: str
    graph_store: str
    auth: str | None = None  # USER:PASS
    process: subprocess.Popen | None = field(default=None, repr=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"{what} exited with status {process.returncode}")
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not answer within {seconds} s")
            time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory) -> Iterator[Running]:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        pytest.fail("the oxigraph server is a test dependency: pip install -e '.[test]'")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-rw")
    process = subprocess.Popen(
        [
            exe,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/query?query=ASK%7B%7D", process, "the oxigraph server", START_SECONDS)
        yield Running("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", None, process)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory) -> Iterator[Running]:
    exe = shutil.which("virtuoso-t")
    if exe is None:
        reason = "no virtuoso-t (`make virtuoso` installs Debian's virtuoso-opensource as root)"
        if under_ci():
            pytest.fail(f"Virtuoso tests must run under CI, but {reason}", pytrace=False)
        pytest.skip(f"{reason} (under CI=true this fails)")
    db = tmp_path_factory.mktemp("virtuoso")
    http = free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, sql=free_port(), http=http), encoding="utf-8")
    process = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        _wait(f"{base}/sparql?query=ASK%7B%7D", process, "virtuoso-t", START_SECONDS)
        yield Running(
            "virtuoso",
            f"{base}/sparql",
            f"{base}/sparql-auth",
            f"{base}/sparql-graph-crud-auth",
            "dba:dba",  # a fresh database's administrator
            process,
        )
    finally:
        _stop(process)
