"""The core stays independent of the CLI and the site renderer."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "modelcards.validate", "modelcards.catalog", "modelcards.queries", "modelcards.rules",
    "modelcards.schema",
]
OUTER = ["click", "jinja2", "nh3", "modelcards.cli", "modelcards.site"]


def test_core_imports_neither_cli_nor_site() -> None:
    probe = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in CORE)
        + f"print(sorted(m for m in {OUTER!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
