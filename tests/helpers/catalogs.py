"""The small test catalog (BASE) and what tests build from it: variants, card paths, edits."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CATALOG = REPO / "catalog"
TODAY = "2026-11-26"

SHA_A = "a" * 64
SHA_B = "b" * 64

# The cards of BASE that tests change most.
V1, V2, M = "models/fraud/1.0.0.yaml", "models/fraud/2.0.0.yaml", "models/fraud/model.yaml"
SMALL = "models/small/0.1.0.yaml"

# The number of files the BASE catalog's site has, its marker file included: the one place
# to change when a page kind is added.
BASE_SITE_FILES = 34

# A small catalog that passes every rule: two models (one distilled from the other),
# a dataset with two versions, a retrain, a deprecation with a replacement.
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


def render(files: Mapping[str, str | None]) -> dict[str, str]:
    """Dedent the card texts and fill in the placeholders; None removes a file."""
    merged = {**BASE, **files}
    return {
        name: textwrap.dedent(text) % {"SHA_A": SHA_A, "SHA_B": SHA_B}
        for name, text in merged.items()
        if text is not None
    }


class CatalogMaker(Protocol):
    """make_catalog (tests/conftest.py): BASE written with some files replaced (text),
    removed (None) or added, and `raw` files added as bytes; returns the catalog folder."""

    def __call__(
        self, files: Mapping[str, str | None] | None = None, *, raw: dict[str, bytes] | None = None
    ) -> Path: ...


# The generated catalog of the large_catalog fixture (tests/conftest.py): models of 2 versions.
LARGE_MODELS = 2000


def write_catalog(
    root: Path, files: Mapping[str, str | None] | None = None, raw: dict[str, bytes] | None = None
) -> Path:
    """BASE written into `root`, with `files` rendered over it and `raw` bytes added."""
    for name, text in render(files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, data in (raw or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def edit(name: str, old: str, new: str) -> dict[str, str]:
    """BASE with one card's text changed (the change must apply)."""
    text = textwrap.dedent(BASE[name])
    assert old in text, f"{old!r} not in {name}"
    return {name: text.replace(old, new)}


# BASE with readings to rank: the leaderboards (and the compare page) of both models.
RANKED = {
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
          - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test, ci: [0.92, 0.94]}
          - {name: auc, value: 0.88, dataset: tx@2025-Q4, split: test, slice: new merchants}
          - {name: log_loss, value: 0.2, dataset: tx@2025-Q4, split: test}
          - {name: auc, value: 0.95, dataset: tx@2025-Q4, split: validation}
        lineage:
          - {model: fraud@1.0.0, relation: retrained}
        lifecycle:
          - {stage: staging, date: 2026-01-05, by: alice}
          - {stage: production, date: 2026-01-20, by: bob, approved_by: [carol]}
        """,
    "models/small/0.1.0.yaml": """\
        version: "0.1.0"
        released: 2026-02-01
        summary: Distilled from fraud 2.0.0.
        metrics:
          - {name: auc, value: 0.94, dataset: tx@2025-Q4, split: test}
          - {name: log_loss, value: 0.3, dataset: tx@2025-Q4, split: test}
          - {name: auc, value: 0.89, dataset: tx@2025-Q4, split: test, slice: new merchants}
        lineage:
          - {model: fraud@2.0.0, relation: distilled}
        lifecycle:
          - {stage: development, date: 2026-02-01, by: dana}
        """,
}


# A 2.1.0 of fraud in staging, ready to promote over 2.0.0.
STAGED = (
    textwrap.dedent("""\
    version: "2.1.0"
    released: 2026-03-02
    summary: Retrained with merchant features.
    artifacts:
      - {uri: s3://m/fraud/2.1.0/model.onnx, sha256: %s}
    training:
      code: {repo: https://git.example/fraud, commit: "6b4c3d2e"}
      data: [tx@2025-Q4]
    metrics:
      - {name: auc, value: 0.93, dataset: tx@2025-Q3, split: test}
    lineage:
      - {model: fraud@2.0.0, relation: retrained}
    lifecycle:
      - {stage: staging, date: 2026-03-02, by: alice}
    """)
    % SHA_A
)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, with its bytes, by its path relative to `folder`."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
