"""The pull-request summary on a prepared change: what a reviewer reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli

from ..helpers.catalogs import V1, V2, M
from ..helpers.history import DATASET, base_files, changed, make_repo, prepared_change, write

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

### Metrics against earlier versions

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


def summary(runner: CliRunner, tmp_path: Path) -> tuple[int, str]:
    args = ["validate", "repo/catalog", "--base", "main", "--today", "2026-11-26"]
    result = runner.invoke(cli, [*args, "--summary", "summary.md"])
    return result.exit_code, (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_a_dataset_rewrite_is_listed(runner: CliRunner, tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write(root, changed(DATASET, "rows: 1200", "rows: 1250"))
    code, text = summary(runner, tmp_path)
    assert code == 1
    assert text.startswith(
        "## modelcards: catalog ❌ invalid against `main`\n\n"
        "0 versions added · 0 stage changes · 0 deprecations · 1 dataset changed · 1 error · "
        "0 warnings\n\n"
        "### Datasets\n\n"
        "| Dataset | Change |\n| --- | --- |\n"
        "| `tx@2025-Q3` | version changed: rows |\n\n"
        "### Errors\n\n"
        "- `repo/catalog/datasets/tx.yaml:5:147` **MC067** versions[0].rows of dataset version"
    )


NEW_MODEL = """\
name: Churn predictor
summary: Predicts which customers leave.
owners: [{name: Growth ML}]
task: tabular-classification
"""
NEW_DATASET = """\
name: CRM events
summary: Customer events.
owners: [{name: Data team}]
versions:
  - {version: v1, date: 2026-02-01}
"""


def test_every_card_change_is_listed(runner: CliRunner, tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    files = base_files()
    write(
        root,
        {
            "models/churn/model.yaml": NEW_MODEL,
            "datasets/crm.yaml": NEW_DATASET,
            M: files[M].replace(
                "owners: [{name: Risk ML, contact: risk@acme.example}]",
                "owners: [{name: Risk ML, contact: risk-ml@acme.example}]",
            )
            + "description: Gradient-boosted trees.\n",
            DATASET: files[DATASET].replace("name: Transactions", "name: Card transactions")
            + "  - {version: 2026-Q1, date: 2026-04-01}\n",
            V1: files[V1].replace("summary: First model.", "summary: The first fraud model."),
            V2: files[V2] + "    - {date: 2026-04-01, metric: psi, value: 0.14, threshold: 0.25}\n",
            "catalog.yaml": files["catalog.yaml"]
            .replace("Test catalog", "Fraud catalog")
            .replace("max_regression: 0.01", "max_regression: 0.02"),
        },
    )
    code, text = summary(runner, tmp_path)
    assert code == 0, text
    assert (
        text
        == """\
## modelcards: catalog ✅ valid against `main`

0 versions added · 0 stage changes · 0 deprecations · 1 model added · 1 model changed · \
1 dataset added · 1 dataset changed · 2 published versions edited · catalog.yaml changed · \
0 errors · 0 warnings

### Models

| Model | Change |
| --- | --- |
| `churn` | added |
| `fraud` | changed: description, owners |

### Datasets

| Dataset | Change |
| --- | --- |
| `crm` | added, with version v1 |
| `tx` | changed: name |
| `tx@2026-Q1` | version added |

### Published versions edited

| Version | Change |
| --- | --- |
| `fraud@1.0.0` | summary |
| `fraud@2.0.0` | 1 monitoring observation added |

### Catalog settings

| File | Change |
| --- | --- |
| `catalog.yaml` | changed: policy.gates, title |
"""
    )


def test_a_card_that_does_not_parse_is_named(runner: CliRunner, tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    files = base_files()
    broken = files[V2].replace(
        "approved_by: [carol]}\n",
        "approved_by: [carol]}\n  - {stage: archived, date: 2026-03-10, by: bob\n",
    )
    write(root, {V2: broken, "models/fraud/2.1.0.yaml": "version: [\n"})
    code, text = summary(runner, tmp_path)
    assert code == 1
    assert "0 stage changes" in text
    assert (
        "### Cards that could not be read\n\n"
        "- `repo/catalog/models/fraud/2.0.0.yaml` does not parse on this branch, so what it "
        "changes is not listed above (see the errors)\n"
        "- `repo/catalog/models/fraud/2.1.0.yaml` (new) does not parse on this branch, so what "
        "it changes is not listed above (see the errors)\n"
    ) in text
