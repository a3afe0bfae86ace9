"""Fixtures every test may use: tiny real catalogs written to a temporary folder, the CLI,
the wheel, the large generated catalog. What tests share besides fixtures is in
tests/helpers/; a layer's own fixtures are in its folder's conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

# Helpers assert too: pytest rewrites their asserts, as it does the tests', to say what failed.
pytest.register_assert_rewrite("tests.helpers")

from .helpers.catalogs import LARGE_MODELS, REPO, TODAY, CatalogMaker, write_catalog  # noqa: E402

# In CI (CI set, as .ci/run and CI services set it) every property-based test draws the same
# examples on every run: a red run can be reproduced, never a matter of luck. Loaded here,
# before the test modules' own @settings, which inherit from it.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _own_cache_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests sign their caches with a key of their own, not the user's (cardcache.py)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture
def make_catalog(tmp_path: Path) -> CatalogMaker:
    """Write BASE, with some files replaced (text), removed (None) or added, and return it."""

    def make(
        files: Mapping[str, str | None] | None = None, *, raw: dict[str, bytes] | None = None
    ) -> Path:
        return write_catalog(tmp_path / "catalog", files, raw)

    return make


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built once per run: what `pip install modelcards-catalog`
    would install."""
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(folder), str(REPO)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (found,) = folder.glob("modelcards_catalog-*.whl")
    return found


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The CLI, run from a temporary folder (paths are reported relative to it), with no
    ambient CI settings that would change the output."""
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


@pytest.fixture
def memory_cap() -> Iterator[None]:
    """Address space capped at 2 GiB above what the test process uses: a test of a read that
    must be bounded (a link to /dev/zero) fails with MemoryError if the bound is ever lost,
    instead of taking the machine's memory with it."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    cap = pages * resource.getpagesize() + (2 << 30)
    resource.setrlimit(
        resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard)
    )
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# A generated catalog at the size of a real company (benchmarks/generate_catalog.py: made up
# cards, deterministic for its seed): 2,000 models of 2 versions each, 20 datasets. Made and
# validated once per test session (about 20 s); tests render the pages they need from it.
@pytest.fixture(scope="session")
def large_catalog(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The validated catalog (a ValidationResult: .catalog and .problems)."""
    import datetime as dt

    from modelcards.validate import validate_catalog

    from .helpers.generated import generate

    root = tmp_path_factory.mktemp("large") / "catalog"
    generate(root, LARGE_MODELS, 2, 20)
    result = validate_catalog(root, dt.date.fromisoformat(TODAY))
    assert result.passes(), [str(p) for p in result.errors][:5]
    return result
