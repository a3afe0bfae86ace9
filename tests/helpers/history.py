"""The BASE catalog in a git repository: its main branch holds the base, a `change` branch is
checked out; for `validate --base` and the pull-request summary."""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path

from .catalogs import SHA_A, SMALL, V1, V2, render

# The base's 2.0.0 also records monitoring, so that observations can be appended or removed.
MONITORING = """\
monitoring:
  dashboard: https://grafana.example/fraud
  observations:
    - {date: 2026-02-01, metric: auc, value: 0.91}
    - {date: 2026-03-01, metric: psi, value: 0.12, threshold: 0.25}
"""


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return done.stdout


DATASET = "datasets/tx.yaml"


RECORDED = "uri: s3://d/tx/2025-Q3/, sha256: %s, rows: 1200" % ("c" * 64)


def base_files() -> dict[str, str]:
    files = render({})
    files[V2] += MONITORING
    # The base's dataset versions are recorded in full, so that each fact can be rewritten.
    files[DATASET] = files[DATASET].replace(
        "{version: 2025-Q3, date: 2025-10-01}",
        f"{{version: 2025-Q3, date: 2025-10-01, {RECORDED}}}",
    )
    return files


def write(root: Path, files: Mapping[str, str | None]) -> None:
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_repo(tmp_path: Path, catalog_dir: str = "catalog") -> Path:
    """A git repository whose main branch holds the catalog; returns the catalog folder."""
    repo = tmp_path / "repo"
    root = repo / catalog_dir
    root.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    write(root, dict(base_files()))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base catalog")
    git(repo, "checkout", "-q", "-b", "change")
    return root


def changed(name: str, old: str, new: str) -> dict[str, str]:
    text = base_files()[name]
    assert old in text, f"{old!r} not in {name}"
    return {name: text.replace(old, new, 1)}


NEW_VERSION = (
    textwrap.dedent("""\
    version: "2.1.0"
    released: 2026-03-02
    summary: Retrained with merchant features | faster.
    artifacts:
      - {uri: s3://m/fraud/2.1.0/model.onnx, sha256: %s}
    training:
      code: {repo: https://git.example/fraud, commit: "6b4c3d2e"}
      data: [tx@2025-Q4]
    metrics:
      - {name: auc, value: 0.93, dataset: tx@2025-Q3, split: test}
      - {name: log_loss, value: 0.21, dataset: tx@2025-Q3, split: test}
    lineage:
      - {model: fraud@2.0.0, relation: retrained}
    lifecycle:
      - {stage: staging, date: 2026-03-02, by: alice}
      - {stage: production, date: 2026-03-10, by: bob, approved_by: [carol, dave], traffic: 100}
    """)
    % SHA_A
)


def prepared_change(root: Path) -> None:
    """2.1.0 added and promoted over 2.0.0, small deprecated for it, a released metric edited."""
    files = base_files()
    v2 = (
        files[V2]
        .replace(
            "split: test}\n",
            "split: test}\n  - {name: log_loss, value: 0.2, dataset: tx@2025-Q3, split: test}\n",
        )
        .replace(
            "approved_by: [carol]}\n",
            "approved_by: [carol]}\n  - {stage: archived, date: 2026-03-10, by: bob}\n",
        )
    )
    small = files[SMALL] + (
        "  - {stage: staging, date: 2026-03-01, by: dana}\n"
        "  - {stage: deprecated, date: 2026-03-12, by: dana, reason: The edge runs fraud 2.1.0,"
        " replaced_by: fraud@2.1.0, sunset: 2026-12-31}\n"
    )
    v1 = files[V1].replace("value: 0.90,", "value: 0.905,")
    write(root, {"models/fraud/2.1.0.yaml": NEW_VERSION, V1: v1, V2: v2, SMALL: small})
