"""The MLflow mapping and the import plan as pure functions, on payloads shaped like the
server's answers (MLflow 3.17, recorded from `mlflow server`; see test_import_mlflow_failures)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from modelcards.formats.mlflow_import import ImportOptions, check_plan, plan_import, write_plan
from modelcards.formats.mlflow_mapping import (
    card_id,
    hyperparameter,
    metrics_of,
    semver_of,
    training_of,
)
from modelcards.formats.mlflow_rest import LoggedModel, ModelVersion, Registry, Run

TODAY = dt.date(2026, 12, 10)  # the day of the import, after what MLflow recorded
MS = 1796207487000  # 2026-12-02 10:31 UTC in milliseconds
CREATED = dt.date(2026, 12, 2)
DAY = 86_400_000


def version(number: str = "1", **fields: Any) -> dict[str, Any]:
    return {
        "name": "fraud",
        "version": number,
        "creation_timestamp": MS,
        "last_updated_timestamp": MS,
        "current_stage": "None",
        "source": f"s3://m/{number}",
        "status": "READY",
        **fields,
    }


def registry(
    *versions: dict[str, Any],
    models: list[dict[str, Any]] | None = None,
    runs: dict[str, Any] | None = None,
) -> Registry:
    model = {
        "name": "fraud",
        "tags": [
            {"key": "owner", "value": "Risk ML"},
            {"key": "task", "value": "tabular-classification"},
        ],
    }
    entries = [
        {"model": m, "versions": [v for v in versions if v["name"] == m["name"]]}
        for m in (models or [model])
    ]
    return Registry.model_validate(
        {"tracking_uri": "http://mlflow.example", "models": entries, "runs": runs or {}}
    )


def options(**fields: Any) -> ImportOptions:
    return ImportOptions(TODAY, **fields)


@pytest.mark.parametrize(
    ("tags", "expected", "notes"),
    [
        ([], "7.0.0", []),
        ([{"key": "semver", "value": "v2.1.0"}], "2.1.0", []),
        ([{"key": "semver", "value": "2.1.0-rc.1+build.5"}], "2.1.0-rc.1+build.5", []),
        (
            [{"key": "semver", "value": "two"}],
            "7.0.0",
            ["its semver tag 'two' is not SemVer; used the version number instead"],
        ),
    ],
)
def test_semver(tags: list[dict[str, str]], expected: str, notes: list[str]) -> None:
    assert semver_of(ModelVersion.model_validate(version("7", tags=tags)), "semver") == (
        expected,
        notes,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8", 8),
        ("0.05", 0.05),
        ("1e-3", 0.001),
        ("True", True),
        ("false", False),
        ("nan", "nan"),
        ("inf", "inf"),
        ("binary:logistic", "binary:logistic"),
        ("", ""),
        ("0", 0),
        ("-3", -3),
        ("-0.5", -0.5),
        (".5", 0.5),
        ("2E-4", 0.0002),
        # Text that Python's int() or float() would read, but that is not a number as written:
        # a mode, a zip code, a grouped literal, a sign-padded value.
        ("0755", "0755"),
        ("00012", "00012"),
        ("1_000", "1_000"),
        (" 8", " 8"),
        ("+5", "+5"),
        ("1.5_0", "1.5_0"),
    ],
)
def test_hyperparameters_are_typed(text: str, value: Any) -> None:
    assert hyperparameter(text) == value and type(hyperparameter(text)) is type(value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fraud-detector", "fraud-detector"),
        ("Churn Model", "churn-model"),
        ("ml.team/fraud v2", "ml.team-fraud-v2"),
        ("a..b", "a.b"),
        ("--x--", "x"),
        ("!!!", None),
        ("Ümlaut", "umlaut"),
        ("Résumé Ranker", "resume-ranker"),
        ("Straße", "strasse"),
        ("模型", None),
    ],
)
def test_ids_from_mlflow_names(name: str, expected: str | None) -> None:
    assert card_id(name) == expected


def _run(**data: Any) -> Run:
    return Run.model_validate({"info": {"run_id": "r1", "user_id": "ana"}, "data": data})


def test_metrics_latest_per_key_and_the_logged_models_dataset() -> None:
    run = _run(
        metrics=[
            {"key": "auc", "value": 0.9, "step": 3},
            {"key": "loss", "value": float("nan")},
            {"key": "f1", "value": 0.5},
        ]
    )
    logged = LoggedModel.model_validate(
        {
            "info": {"model_id": "m-1"},
            "data": {
                "metrics": [
                    {
                        "key": "auc",
                        "value": 0.91,
                        "step": 1,
                        "dataset_name": "tx",
                        "dataset_digest": "d1",
                    },
                    {
                        "key": "auc",
                        "value": 0.92,
                        "step": 2,
                        "dataset_name": "tx",
                        "dataset_digest": "d1",
                    },
                    {
                        "key": "auc",
                        "value": 0.80,
                        "step": 9,
                        "dataset_name": "tx",
                        "dataset_digest": "d0",
                    },
                ]
            },
        }
    )
    notes: list[str] = []
    assert metrics_of(run, logged, [], notes) == [
        {"name": "auc", "value": 0.8, "dataset": "tx@d0"},
        {"name": "auc", "value": 0.92, "dataset": "tx@d1"},
        {"name": "f1", "value": 0.5},
    ]
    assert notes == ["metric loss is nan; not imported"]


@pytest.mark.parametrize(
    ("tags", "code", "notes"),
    [
        (
            {"mlflow.source.git.commit": "ABCDEF1", "mlflow.gitRepoURL": "git@host:a/b.git"},
            {"repo": "https://host/a/b", "commit": "abcdef1"},
            [],
        ),
        # MLflow records the checkout's remote as it is; a CI checkout's carries a token.
        (
            {"mlflow.source.git.repoURL": "https://oauth2:glpat-s3cret@gitlab.com/acme/churn.git"},
            {"repo": "https://gitlab.com/acme/churn"},
            [],
        ),
        (
            {"mlflow.source.git.commit": "main", "mlflow.source.git.repoURL": "https://g/a"},
            {"repo": "https://g/a"},
            ["run tag mlflow.source.git.commit 'main' is not a git commit; not imported"],
        ),
        (
            {"mlflow.source.git.commit": "abcdef1"},
            None,
            [
                "the run names commit abcdef1 but no repository (mlflow.source.git.repoURL); "
                "training.code needs one, add it by hand"
            ],
        ),
    ],
)
def test_training_code(tags: dict[str, str], code: dict[str, str] | None, notes: list[str]) -> None:
    found: list[str] = []
    run = _run(tags=[{"key": k, "value": v} for k, v in tags.items()])
    assert training_of(run, None, [], found).get("code") == code
    assert found == notes


# ---- the plan -------------------------------------------------------------------------------


def test_what_cannot_be_imported_is_said(tmp_path: Path) -> None:
    models: list[dict[str, Any]] = [
        {"name": "fraud", "tags": [{"key": "owner", "value": "R"}, {"key": "task", "value": "t"}]},
        {"name": "Fraud"},
        {"name": "summarise", "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}]},
        {"name": "???"},
    ]
    found = registry(
        version("1", tags=[{"key": "semver", "value": "2.0.0"}]),
        version("2"),
        version("3", status="FAILED_REGISTRATION"),
        version("4", current_stage="Shipping"),
        models=models,
    )
    (tmp_path / "models" / "fraud").mkdir(parents=True)
    plan = plan_import(tmp_path, found, options())
    assert plan.notes == [
        "fraud version 3: status FAILED_REGISTRATION in MLflow; not imported",
        "fraud version 2: it would be fraud@2.0.0, like version 1; not imported (give it a "
        "semver tag)",
        "fraud version 4: unknown MLflow stage 'Shipping'; the stage is not imported",
        "MLflow model 'Fraud': its id fraud is also that of MLflow model 'fraud'; not imported "
        "(rename one in MLflow)",
        "MLflow model 'summarise': a prompt, not a model; not imported",
        "MLflow model '???': its name gives no usable model id (letters and digits); not imported",
    ]
    assert [c.path.relative_to(tmp_path).as_posix() for c in plan.changes] == [
        "models/fraud/model.yaml",
        "models/fraud/2.0.0.yaml",
        "models/fraud/4.0.0.yaml",
    ]


def _import(root: Path, found: Registry) -> list[str]:
    plan = check_plan(plan_import(root, found, options()), TODAY)
    assert plan.refused == [], plan.problems
    write_plan(plan)
    return [c.description for c in plan.changes]


def _lifecycle(root: Path, name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((root / "models" / "fraud" / name).read_text(encoding="utf-8"))
    events: list[dict[str, Any]] = data["lifecycle"]
    return events


def test_out_of_production_in_mlflow_is_archived_here(tmp_path: Path) -> None:
    """MLflow's None after Production cannot be development (production -> development is
    not a transition): the version is archived."""
    _import(tmp_path, registry(version("1", current_stage="Production")))
    later = version("1", current_stage="None", last_updated_timestamp=MS + DAY)
    assert _import(tmp_path, registry(later)) == ["fraud@1.0.0: archived (MLflow stage None)"]
    assert _lifecycle(tmp_path, "1.0.0.yaml")[-1] == {
        "stage": "archived",
        "date": dt.date(2026, 12, 3),
        "time": "10:31",
        "by": "mlflow",
        "reason": "MLflow stage None; dated by the version's last update",
    }


def test_a_stage_the_card_moved_past_is_not_added_again(tmp_path: Path) -> None:
    """Deprecated here while MLflow still says Production: the import leaves it alone."""
    _import(tmp_path, registry(version("1", current_stage="Production")))
    card = tmp_path / "models" / "fraud" / "1.0.0.yaml"
    card.write_text(
        card.read_text(encoding="utf-8") + "  - {stage: deprecated, date: "
        "2026-12-02, by: bob, reason: Drift}\n",
        encoding="utf-8",
    )
    assert _import(tmp_path, registry(version("1", current_stage="Production"))) == []


@pytest.mark.parametrize("here", ["deprecated", "retired"])
def test_a_version_deprecated_here_stays_so_whatever_mlflow_does_later(
    tmp_path: Path, here: str
) -> None:
    """MLflow has no deprecated or retired stage: once a version reached one here, its
    lifecycle is kept here. A later stage change in MLflow is said, not appended (appending it
    would break the record, and the import would fail every run from then on)."""
    _import(tmp_path, registry(version("1", current_stage="Production")))
    card = tmp_path / "models" / "fraud" / "1.0.0.yaml"
    card.write_text(
        card.read_text(encoding="utf-8") + "  - {stage: deprecated, date: "
        "2026-12-02, by: bob, reason: Drift}\n"
        + ("  - {stage: retired, date: 2026-12-02, by: bob}\n" if here == "retired" else ""),
        encoding="utf-8",
    )
    before = card.read_bytes()
    later = version("1", current_stage="Archived", last_updated_timestamp=MS + DAY)
    plan = check_plan(plan_import(tmp_path, registry(later), options()), TODAY)
    assert (plan.changes, plan.refused, plan.problems) == ([], [], [])
    assert plan.notes == [
        f"fraud@1.0.0: {here} here, so MLflow's later stage Archived (2026-12-03) is not imported"
    ]
    write_plan(plan)
    assert card.read_bytes() == before


def test_a_later_edit_in_mlflow_is_not_a_stage_change(tmp_path: Path) -> None:
    """MLflow dates a stage by the version's last update, which an edit of its description
    moves too. The stage MLflow had at the last import is in the card's events: the same
    stage again is no change, and what happened here since stays the last word."""
    _import(tmp_path, registry(version("1", current_stage="Staging")))
    card = tmp_path / "models" / "fraud" / "1.0.0.yaml"
    card.write_text(
        card.read_text(encoding="utf-8") + "  - {stage: production, date: "
        "2026-12-03, by: bob, approved_by: [carol]}\n",
        encoding="utf-8",
    )
    before = card.read_bytes()
    edited = version(
        "1", current_stage="Staging", description="Typo fixed.", last_updated_timestamp=MS + 5 * DAY
    )
    assert _import(tmp_path, registry(edited)) == []
    assert card.read_bytes() == before
    # A real change of stage in MLflow is still recorded.
    archived = version("1", current_stage="Archived", last_updated_timestamp=MS + 6 * DAY)
    assert _import(tmp_path, registry(archived)) == [
        "fraud@1.0.0: archived (MLflow stage Archived)"
    ]


def test_a_version_imported_at_none_gets_mlflows_first_stage(tmp_path: Path) -> None:
    _import(tmp_path, registry(version("1")))
    assert _import(tmp_path, registry(version("1"))) == []
    later = version("1", current_stage="Staging", last_updated_timestamp=MS + DAY)
    assert _import(tmp_path, registry(later)) == ["fraud@1.0.0: staging (MLflow stage Staging)"]


def test_the_run_user_starts_the_lifecycle(tmp_path: Path) -> None:
    found = registry(
        version("1", run_id="r1"),
        runs={
            "r1": {
                "info": {"run_id": "r1", "user_id": "ana", "artifact_uri": "s3://runs/r1/artifacts"}
            }
        },
    )
    _import(tmp_path, found)
    data = yaml.safe_load((tmp_path / "models/fraud/1.0.0.yaml").read_text(encoding="utf-8"))
    assert data["lifecycle"] == [
        {"stage": "development", "date": CREATED, "time": "10:31", "by": "ana"}
    ]
    assert data["artifacts"] == [{"uri": "s3://m/1", "format": "mlflow"}]


@pytest.mark.timeout(30)
@pytest.mark.usefixtures("memory_cap")
def test_earlier_imports_are_found_without_reading_what_is_not_a_card(tmp_path: Path) -> None:
    """A FIFO or a link to /dev/zero named like a card must not hang (or exhaust) the import
    while it looks for the marker comments of earlier imports (issue 18, item 3)."""
    from modelcards.formats.mlflow_import import find_imported, version_marker

    folder = tmp_path / "models" / "churn"
    folder.mkdir(parents=True)
    (folder / "1.0.0.yaml").write_text(version_marker("Churn", "3") + 'version: "1.0.0"\n')
    os.mkfifo(folder / "2.0.0.yaml")
    os.symlink("/dev/zero", folder / "3.0.0.yaml")
    assert find_imported(tmp_path).versions == {("Churn", "3"): folder / "1.0.0.yaml"}


def test_what_is_said_of_many_versions_is_said_once(tmp_path: Path) -> None:
    """MLflow tags every run with mlflow.source.name and .type: one line for all versions."""
    tags = [
        {"key": "mlflow.source.name", "value": "train.py"},
        {"key": "mlflow.source.type", "value": "LOCAL"},
    ]
    runs = {
        f"r{n}": {"info": {"run_id": f"r{n}", "user_id": "ana"}, "data": {"tags": tags}}
        for n in "123"
    }
    found = registry(*(version(n, run_id=f"r{n}") for n in "123"), runs=runs)
    plan = plan_import(tmp_path, found, options())
    assert plan.notes == [
        "fraud@1.0.0, fraud@2.0.0, fraud@3.0.0: run tags with no place in the card, not "
        "imported: mlflow.source.name, mlflow.source.type"
    ]
