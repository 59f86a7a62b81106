"""Shared pytest fixtures."""

from pathlib import Path

import pytest

# --- page tests (kg.viz): the offline headless browser ---------------------------------------
# Kept in tests/browser_support.py; imported here so that every test module can use them.
from browser_support import chromium, offline_page, phone_page, screen_page  # noqa: F401

# --- real SPARQL stores (tests/stores.py): the Oxigraph server and Virtuoso, per session --
from stores import oxigraph_store, virtuoso_store  # noqa: F401

from kg.registry import Registry, load_registry


# --- extraction tests: the project's registry, read once ------------------------------------
@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(Path(__file__).resolve().parents[1] / "data" / "registry")
