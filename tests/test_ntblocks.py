"""A re-run copies each unchanged subject's text from the last build's graph.ttl and
graph.jsonld (kg.ntblocks): the files are the bytes a build from nothing writes, and a
file changed since, or an index not ours, is never read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg import ntwrite
from kg.ntblocks import Previous

BODY = "https://w3id.org/coopkg/id/body/"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ORG = "<http://www.w3.org/ns/org#Organization>"


def _graph(*names: str) -> bytes:
    lines = []
    for name in names:
        iri = f"<{BODY}{re.sub('[^a-z]+', '-', name.lower()).strip('-')}>"
        text = name.replace("\\", "\\\\").replace('"', '\\"')
        lines += [f'{iri} {LABEL} "{text}" .\n', f"{iri} {TYPE} {ORG} .\n"]
    return "".join(sorted(lines)).encode()


BEFORE = {
    "https://w3id.org/coopkg/id/graph/a": _graph("Airport Authority", "Marine Department"),
    "https://w3id.org/coopkg/id/graph/b": _graph("Beihai Port Authority", 'Quote "and" \\ Co'),
}
# One release added, one changed: in it, the Marine Department gets a second label.
SECOND = f'<{BODY}marine-department> {LABEL} "Marine Dept" .\n'.encode()
AFTER = {
    **BEFORE,
    "https://w3id.org/coopkg/id/graph/b": b"".join(
        sorted([*_graph("Beihai Port Authority").splitlines(True), SECOND])
    ),
    "https://w3id.org/coopkg/id/graph/c": _graph("Fangchenggang Municipal Bureau of Commerce"),
}


def _write(graphs: dict[str, bytes], folder: Path, reuse: Path | None = None) -> dict[str, bytes]:
    paths = {fmt: folder / f"graph.{fmt}" for fmt in ("nt", "ttl", "jsonld", "nq")}
    ntwrite.write_files(graphs, paths, reuse, folder / ".cache" / "graph-blocks")
    return {fmt: path.read_bytes() for fmt, path in paths.items()}


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The subjects whose Turtle is made, not copied."""
    made: list[str] = []
    block = ntwrite._turtle_block

    def counted(lines: list[str]) -> str:
        made.append(lines[0].split(" ")[0])
        return block(lines)

    monkeypatch.setattr(ntwrite, "_turtle_block", counted)
    return made


def test_a_rerun_copies_unchanged_subjects_and_writes_the_same_bytes(tmp_path, made) -> None:
    _write(BEFORE, tmp_path / "one")
    assert len(made) == 4
    made.clear()
    again = _write(AFTER, tmp_path / "two", tmp_path / "one" / ".cache" / "graph-blocks")
    # The Marine Department's lines changed (a second label), Fangchenggang's are new.
    assert sorted(made) == [
        f"<{BODY}fangchenggang-municipal-bureau-of-commerce>",
        f"<{BODY}marine-department>",
    ]
    made.clear()
    fresh = _write(AFTER, tmp_path / "fresh")
    assert len(made) == 4
    assert b'"Marine Dept"' in fresh["ttl"] and b'"Marine Dept"' in fresh["jsonld"]
    assert again == fresh


def test_a_file_changed_since_is_not_read(tmp_path, made) -> None:
    _write(BEFORE, tmp_path / "one")
    ttl = tmp_path / "one" / "graph.ttl"
    ttl.write_bytes(ttl.read_bytes().replace(b"Airport", b"Seaport"))
    made.clear()
    again = _write(AFTER, tmp_path / "two", tmp_path / "one" / ".cache" / "graph-blocks")
    assert len(made) == 4  # every subject made anew
    assert b"Seaport" not in again["ttl"]
    assert again == _write(AFTER, tmp_path / "fresh")


@pytest.mark.parametrize(
    "index",
    [
        b"",
        b"not json\n",
        b'{"ttl": 3}\n',
        b'{"ttl": [1, "x"]}\nshort',
        b'{"ttl": ["../x", 1, "y"]}\n',
        b"[1]\n",
        b'{"ttl": null}\n',
    ],
)
def test_an_index_not_ours_reuses_nothing(tmp_path, index) -> None:
    _write(BEFORE, tmp_path / "one")
    path = tmp_path / "one" / ".cache" / "graph-blocks"
    path.write_bytes(index)
    with Previous(path) as previous:
        assert previous.text("ttl", b"\0" * 16) is None
    assert _write(AFTER, tmp_path / "two", path) == _write(AFTER, tmp_path / "fresh")


def test_a_stopped_build_leaves_no_index(tmp_path, monkeypatch) -> None:
    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ntwrite, "_write_jsonld", stopped)
    with pytest.raises(KeyboardInterrupt):
        _write(BEFORE, tmp_path / "one")
    assert not (tmp_path / "one" / ".cache" / "graph-blocks").exists()
    assert not (tmp_path / "one" / "graph.ttl").exists()
