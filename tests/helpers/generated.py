"""The benchmarks' catalog generator (benchmarks/generate_catalog.py: made-up cards,
deterministic for its seed), for tests that need a large or a realistic catalog.

benchmarks/ is a folder of scripts, not a package: its generator is imported by its module
name, as the benchmarks import it, with the folder on the path (and on mypy's, mypy_path in
pyproject.toml)."""

from __future__ import annotations

import sys

from .catalogs import REPO

if str(REPO / "benchmarks") not in sys.path:
    sys.path.insert(0, str(REPO / "benchmarks"))

from generate_catalog import generate

__all__ = ["generate"]
