"""The data folder of tests/fixtures/multi: the seed release and the fixtures' releases,
with the project's registry and corrections (for test_compare and test_suggest)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MULTI = ROOT / "tests" / "fixtures" / "multi" / "sources"


def make_data(folder: Path) -> Path:
    """Fill `folder` as a data folder: registry/, corrections/ and sources/."""
    shutil.copytree(ROOT / "data" / "registry", folder / "registry")
    shutil.copytree(ROOT / "data" / "corrections", folder / "corrections")
    (folder / "sources").mkdir()
    for path in [*ROOT.joinpath("data", "sources").glob("004_*"), *MULTI.iterdir()]:
        shutil.copy(path, folder / "sources" / path.name)
    return folder
