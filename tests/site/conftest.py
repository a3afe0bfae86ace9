"""The site tests' CLI: the runner of tests/conftest.py, on the day the test sites are built
(SOURCE_DATE_EPOCH, as a reproducible build sets it), so a build without --today makes the
same site whatever day the suite runs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture
def runner(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    return runner
