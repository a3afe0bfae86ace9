"""Shared by the scripts that regenerate parts of docs/: rewrite, or check with --check."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def update(doc: Path, fill: Callable[[str], str], script: str) -> int:
    """Rewrite the generated parts of `doc`; with --check, exit 1 if they are stale instead."""
    current = doc.read_text(encoding="utf-8")
    fresh = fill(current)
    if "--check" not in sys.argv:
        doc.write_text(fresh, encoding="utf-8")
        return 0
    if fresh != current:
        print(f"{doc} is out of date: run python scripts/{script}")
        return 1
    return 0
