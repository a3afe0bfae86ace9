"""The pull-request summary on a prepared change: what a reviewer reads."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli

from .conftest import SHA_A
from .test_history import SMALL, V1, V2, base_files, make_repo, write

NEW_VERSION = textwrap.dedent("""\
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
    """) % SHA_A


def prepared_change(root: Path) -> None:
    """2.1.0 added and promoted over 2.0.0, small deprecated for it, a released metric edited."""
    files = base_files()
    v2 = files[V2].replace(
        "split: test}\n",
        "split: test}\n  - {name: log_loss, value: 0.2, dataset: tx@2025-Q3, split: test}\n",
    ).replace(
        "approved_by: [carol]}\n",
        "approved_by: [carol]}\n  - {stage: archived, date: 2026-03-10, by: bob}\n",
    )
    small = files[SMALL] + (
        "  - {stage: staging, date: 2026-03-01, by: dana}\n"
        "  - {stage: deprecated, date: 2026-03-12, by: dana, reason: The edge runs fraud 2.1.0,"
        " replaced_by: fraud@2.1.0, sunset: 2026-12-31}\n"
    )
    v1 = files[V1].replace("value: 0.90,", "value: 0.905,")
    write(root, {"models/fraud/2.1.0.yaml": NEW_VERSION, V1: v1, V2: v2, SMALL: small})


EXPECTED = """\
## modelcards: catalog ❌ invalid against `main`

1 version added · 4 stage changes · 1 deprecation · 1 error · 0 warnings

### Versions added

| Version | Stage | Released | Summary |
| --- | --- | --- | --- |
| `fraud@2.1.0` | production | 2026-03-02 | Retrained with merchant features \\| faster. |

### Stage changes

| Version | Change | Date | By | Approved by | Traffic | Gate override |
| --- | --- | --- | --- | --- | --- | --- |
| `small@0.1.0` | development → **staging** | 2026-03-01 | dana | — | — | — |
| `fraud@2.0.0` | production → **archived** | 2026-03-10 | bob | — | — | — |
| `fraud@2.1.0` | staging → **production** | 2026-03-10 | bob | carol, dave | 100% | — |
| `small@0.1.0` | staging → **deprecated** | 2026-03-12 | dana | — | — | — |

### Deprecations

| Version | Reason | Replaced by | Sunset |
| --- | --- | --- | --- |
| `small@0.1.0` | The edge runs fraud 2.1.0 | `fraud@2.1.0` | 2026-12-31 |

### Metrics against the previous version

| Version | Metric | Evaluated on | Value | Previous | Change |
| --- | --- | --- | --- | --- | --- |
| `fraud@2.1.0` | auc (↑ higher is better) | tx@2025-Q3 (test) \
| 0.93 | 0.91 (2.0.0) | +0.02 🟢 better |
| `fraud@2.1.0` | log_loss (↓ lower is better) | tx@2025-Q3 (test) \
| 0.21 | 0.2 (2.0.0) | +0.01 🔴 worse |
| `fraud@2.0.0` | log_loss (↓ lower is better) | tx@2025-Q3 (test) | 0.2 | — | new |

### Errors

- `repo/catalog/models/fraud/1.0.0.yaml:10:5` **MC063** metrics[0] was changed: main had \
`{name: auc, value: 0.90, dataset: tx@2025-Q3, split: test, ci: [0.89, 0.91]}`. Metrics are \
append-only: keep every entry main has, and add new entries at the end
"""


def test_summary_of_a_prepared_change(runner: CliRunner, tmp_path: Path) -> None:
    prepared_change(make_repo(tmp_path))
    args = ["validate", "repo/catalog", "--base", "main", "--today", "2026-11-26"]
    result = runner.invoke(cli, [*args, "--summary", "summary.md"])
    assert result.exit_code == 1
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == EXPECTED


def test_summary_goes_to_the_github_step_summary_with_base(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared_change(make_repo(tmp_path))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "step.md"))
    runner.invoke(cli, ["validate", "repo/catalog", "--base", "main", "--today", "2026-11-26"])
    assert (tmp_path / "step.md").read_text(encoding="utf-8") == EXPECTED


def test_no_summary_without_base_unless_asked(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "step.md"))
    args = ["validate", "repo/catalog", "--today", "2026-11-26"]
    assert runner.invoke(cli, args).exit_code == 0
    assert not (tmp_path / "step.md").exists()
    assert runner.invoke(cli, [*args, "--summary", "plain.md"]).exit_code == 0
    assert (tmp_path / "plain.md").read_text(encoding="utf-8") == (
        "## modelcards: catalog ✅ valid\n\n0 errors · 0 warnings\n\n"
        "Run `modelcards validate --base REF` to list what a change adds.\n"
    )


def test_unwritable_summary_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    make_repo(tmp_path)
    args = ["validate", "repo/catalog", "--base", "main", "--summary", "missing/dir/s.md"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "cannot write the summary to missing/dir/s.md" in result.output
