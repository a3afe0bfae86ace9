"""Shared fixtures: tiny real catalogs written to a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

# In CI (CI set, as .ci/run and CI services set it) every property-based test draws the same
# examples on every run: a red run can be reproduced, never a matter of luck. Loaded here,
# before the test modules' own @settings, which inherit from it.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CATALOG = REPO / "catalog"
TODAY = "2026-11-26"

SHA_A = "a" * 64
SHA_B = "b" * 64

# A small catalog that passes every rule: two models (one distilled from the other),
# a dataset with two versions, a retrain, a deprecation with a replacement.
# The number of files the BASE catalog's site has, its marker file included: the one place
# to change when a page kind is added.
BASE_SITE_FILES = 34

BASE: dict[str, str] = {
    "catalog.yaml": """\
        title: Test catalog
        policy:
          require:
            production: [artifacts.sha256, training.code.commit, training.data, metrics, approved_by]
          review_interval_days: 365
          gates:
            - {metric: primary, max_regression: 0.01}
        """,
    "datasets/tx.yaml": """\
        name: Transactions
        summary: Card transactions with labels.
        owners: [{name: Data team}]
        versions:
          - {version: 2025-Q3, date: 2025-10-01}
          - {version: 2025-Q4, date: 2026-01-02}
        """,
    "models/fraud/model.yaml": """\
        name: Fraud detector
        summary: Scores card transactions for fraud.
        owners: [{name: Risk ML, contact: risk@acme.example}]
        task: tabular-classification
        primary_metric: auc
        aliases: {champion: "2.0.0"}
        last_reviewed: 2026-06-01
        """,
    "models/fraud/1.0.0.yaml": """\
        version: "1.0.0"
        released: 2025-10-05
        summary: First model.
        artifacts:
          - {uri: s3://m/fraud/1.0.0/model.onnx, sha256: %(SHA_A)s}
        training:
          code: {repo: https://git.example/fraud, commit: "4f2c1e9"}
          data: [tx@2025-Q3]
        metrics:
          - {name: auc, value: 0.90, dataset: tx@2025-Q3, split: test, ci: [0.89, 0.91]}
        lifecycle:
          - {stage: development, date: 2025-10-05, by: alice}
          - {stage: production, date: 2025-10-10, by: alice, approved_by: [carol]}
          - {stage: deprecated, date: 2026-01-20, by: bob, reason: Superseded, replaced_by: 2.0.0, sunset: 2027-01-01}
        """,
    "models/fraud/2.0.0.yaml": """\
        version: "2.0.0"
        released: 2026-01-05
        summary: Retrained on Q4 data.
        artifacts:
          - {uri: s3://m/fraud/2.0.0/model.onnx, sha256: %(SHA_B)s}
        training:
          code: {repo: https://git.example/fraud, commit: "5a3b2c1d"}
          data: [tx@2025-Q4]
        metrics:
          - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}
        lineage:
          - {model: fraud@1.0.0, relation: retrained}
        lifecycle:
          - {stage: staging, date: 2026-01-05, by: alice}
          - {stage: production, date: 2026-01-20, by: bob, approved_by: [carol]}
        """,
    "models/small/model.yaml": """\
        name: Small fraud detector
        summary: A distilled fraud model for the edge.
        owners: [{name: Edge ML}]
        task: tabular-classification
        """,
    "models/small/0.1.0.yaml": """\
        version: "0.1.0"
        released: 2026-02-01
        summary: Distilled from fraud 2.0.0.
        lineage:
          - {model: fraud@2.0.0, relation: distilled}
        lifecycle:
          - {stage: development, date: 2026-02-01, by: dana}
        """,
}


def render(files: dict[str, str | None]) -> dict[str, str]:
    """Dedent the card texts and fill in the placeholders; None removes a file."""
    merged = {**BASE, **files}
    return {
        name: textwrap.dedent(text) % {"SHA_A": SHA_A, "SHA_B": SHA_B}
        for name, text in merged.items()
        if text is not None
    }


CatalogMaker = Callable[..., Path]

# The test extra installs actionlint and shellcheck beside this Python: first on PATH.
TOOLS_PATH = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def tool_path(name: str) -> str:
    found = shutil.which(name, path=TOOLS_PATH)
    assert found, f"{name} is part of the test extra (pyproject.toml)"
    return found


def run_actionlint(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """actionlint over workflow files; it checks their `run:` scripts with shellcheck."""
    tool_path("shellcheck")
    return subprocess.run(
        [tool_path("actionlint"), *map(str, paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": TOOLS_PATH},
        check=False,
    )


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
        files: dict[str, str | None] | None = None, *, raw: dict[str, bytes] | None = None
    ) -> Path:
        root = tmp_path / "catalog"
        for name, text in render(files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for name, data in (raw or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return root

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
LARGE_MODELS = 2000


@pytest.fixture(scope="session")
def large_catalog(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The validated catalog (a ValidationResult: .catalog and .problems)."""
    import datetime as dt

    from modelcards.validate import validate_catalog

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate_catalog import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    root = tmp_path_factory.mktemp("large") / "catalog"
    generate(root, LARGE_MODELS, 2, 20)
    result = validate_catalog(root, dt.date.fromisoformat(TODAY))
    assert result.passes(), [str(p) for p in result.errors][:5]
    return result
