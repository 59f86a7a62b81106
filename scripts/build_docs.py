"""Regenerate what is derived from ontology/coop.ttl: kg/namespace.py's COOP class and
docs/ontology.html (pyLODE 3.3.4, the `docs` extra). Run after editing the ontology."""

from __future__ import annotations

import sys

from kg.docs import build_docs


def main() -> int:
    for path in build_docs():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
