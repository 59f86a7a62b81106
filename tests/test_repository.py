"""The repository stands alone: what users read names no file outside it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]

# A path that leaves the repository ("../shared/...", "shared/DESIGN.md") or one of the
# brief's files named without the docs/ folder that holds them.
OUTSIDE = re.compile(r"(?<![\w.])\.\./[\w.-]|(?<![\w/])shared/|(?<![\w/])(?:seeds)/")
BARE_DOC = re.compile(r"(?<![\w/.-])(DESIGN|TRAPS|STYLE)\.md")


def _help_texts() -> dict[str, str]:
    """The --help text of every command and subcommand."""
    texts: dict[str, str] = {}

    def walk(command: click.Command, path: list[str]) -> None:
        ctx = click.Context(command, info_name=" ".join(path))
        texts[" ".join(path)] = command.get_help(ctx)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(app, ["kg"])
    return texts


def _readables() -> dict[str, str]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    out = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out[str(nb.relative_to(ROOT))] = "\n".join("".join(c["source"]) for c in cells)
    for name, text in _help_texts().items():
        out[f"`{name} --help`"] = text
    return out


READABLES = _readables()


def test_every_command_has_help_text() -> None:
    assert {"kg", "kg build", "kg extract", "kg query", "kg registry suggest"} <= set(_help_texts())


@pytest.mark.parametrize("name", sorted(READABLES))
def test_names_no_file_outside_the_repository(name: str) -> None:
    text = READABLES[name]
    assert not OUTSIDE.findall(text), f"{name} points outside the repository"
    assert not BARE_DOC.findall(text), f"{name} names a brief without its docs/ folder"


@pytest.mark.parametrize("name", sorted(n for n in READABLES if n.endswith((".md", ".ipynb"))))
def test_linked_repository_files_exist(name: str) -> None:
    """Markdown links and `docs/...` paths resolve inside the repository (other paths in
    the text are often examples of files a user creates)."""
    text = READABLES[name]
    base = (ROOT / name).parent
    links = re.findall(r"\]\(([^)#\s]+)\)", text)
    paths = re.findall(r"(?<![\w/.-])(docs/[\w./-]*\w)", text)
    missing = []
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue  # a URL
        if not ((base / link).exists() or (ROOT / link).exists()):
            missing.append(link)
    for path in paths:
        if not (ROOT / path).exists():
            missing.append(path)
    assert not missing, f"{name} names files the repository lacks: {missing}"


def test_the_design_brief_is_in_docs() -> None:
    design = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    assert "kg extract FILE --json" in design
    assert "data/sources/" in design
