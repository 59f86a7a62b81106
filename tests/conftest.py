"""Shared pytest fixtures."""

# --- page tests (kg.viz): the offline headless browser ---------------------------------------
# Kept in tests/browser_support.py; imported here so that every test module can use them.
from browser_support import chromium, offline_page  # noqa: F401
