"""`modelcards import mlflow` against a real MLflow tracking server (mlflow server, SQLite).

The server is populated with MLflow's own client: models with tags and aliases, versions
from runs (params, metrics over steps, logged input datasets, git tags), an MLflow 3 logged
model with a metric on a dataset, versions without a run, legacy stage transitions. The
import is then checked card by card, validated, built into a site, and run again after
more changes in MLflow.
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.validate import validate_catalog

from ..helpers.catalogs import EXAMPLE_CATALOG, snapshot
from ..helpers.mlflow_server import MlflowServer, require_mlflow, start_mlflow_server

# MLflow warns about its deprecated stages and pandas about MLflow: neither is ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore")

GIT_COMMIT = "4f2c1e9a7b3d4f2c1e9a7b3d4f2c1e9a7b3d4f2c"
REPO = "https://github.com/acme/fraud"


@dataclass
class Populated:
    """What the MLflow client created, to compare the cards with."""

    server: MlflowServer
    run1: Any  # mlflow.entities.Run after it finished
    run2: Any
    logged_model_id: str
    digests: dict[str, str]  # dataset name -> digest


def _client(uri: str) -> Any:
    import mlflow

    mlflow.set_tracking_uri(uri)
    return mlflow.MlflowClient(uri)


def _populate(server: MlflowServer) -> Populated:
    """Three registered models, one of them over several MLflow eras."""
    import mlflow
    import pandas as pd
    from mlflow.data.pandas_dataset import from_pandas
    from sklearn.linear_model import LogisticRegression

    client = _client(server.uri)
    mlflow.set_experiment("fraud")
    frame = pd.DataFrame({"amount": [1.0, 2.0, 3.0, 4.0], "label": [0, 1, 0, 1]})
    q3 = from_pandas(
        frame.head(3),
        source="s3://acme-data/tx/2025-Q3.parquet",
        name="transactions",
        targets="label",
    )
    q4 = from_pandas(
        frame, source="s3://acme-data/tx/2025-Q4.parquet", name="transactions", targets="label"
    )
    holdout = from_pandas(
        frame.tail(2), source="s3://acme-data/tx/holdout.parquet", name="holdout", targets="label"
    )
    with mlflow.start_run(run_name="train-1") as run:
        mlflow.log_params(
            {
                "max_depth": 8,
                "learning_rate": 0.05,
                "objective": "binary:logistic",
                "seed": 42,
                "early_stop": True,
            }
        )
        mlflow.log_input(q3, context="training")
        mlflow.log_input(holdout, context="eval")
        mlflow.log_metric("auc", 0.90, step=0)
        mlflow.log_metric("auc", 0.93, step=1)
        mlflow.log_metric("loss", 0.21)
        mlflow.set_tags(
            {
                "mlflow.source.git.commit": GIT_COMMIT,
                "mlflow.source.git.repoURL": REPO,
                "team": "payments",
            }
        )
        mlflow.log_text("weights", "model/model.txt")
    run1 = client.get_run(run.info.run_id)
    client.create_registered_model(
        "Fraud Detector",
        description="Scores card transactions for fraud.\n\nNightly.",
        tags={
            "owner": "Risk ML",
            "task": "tabular-classification",
            "team": "payments",
            "license": "apache-2.0",
            "primary_metric": "auc",
            "gdpr": "",
        },
    )
    client.create_model_version(
        "Fraud Detector",
        f"runs:/{run1.info.run_id}/model",
        run_id=run1.info.run_id,
        description="First model.",
    )
    client.transition_model_version_stage("Fraud Detector", "1", "Staging")
    client.transition_model_version_stage("Fraud Detector", "1", "Production")

    with mlflow.start_run(run_name="train-2") as run:
        mlflow.log_param("C", 0.5)
        mlflow.log_input(q4, context="training")
        mlflow.log_input(holdout, context="eval")
        model = LogisticRegression().fit(frame[["amount"]], frame["label"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = mlflow.sklearn.log_model(
                model, name="model", registered_model_name="Fraud Detector"
            )
        mlflow.log_metric("auc", 0.95, dataset=holdout, model_id=info.model_id)
        mlflow.log_metric("auc", 0.97, dataset=q4, model_id=info.model_id)
    run2 = client.get_run(run.info.run_id)
    client.set_model_version_tag("Fraud Detector", "2", "semver", "v1.1.0")
    client.set_model_version_tag("Fraud Detector", "2", "reviewed", "yes")
    client.transition_model_version_stage(
        "Fraud Detector", "2", "Production", archive_existing_versions=True
    )
    client.set_registered_model_alias("Fraud Detector", "champion", "2")
    client.create_model_version(
        "Fraud Detector", "s3://acme-models/fraud/3", description="Candidate with new features."
    )

    client.create_registered_model("churn")
    mlflow.set_experiment("churn")
    with mlflow.start_run(run_name="churn-1") as run:
        mlflow.log_param("depth", "auto")
        mlflow.log_metric("f1", 0.5)
    client.create_model_version("churn", f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    client.transition_model_version_stage("churn", "1", "Staging")

    client.create_registered_model("ranker", tags={"owner": "Search", "task": "text-ranking"})
    for number in ("1", "2"):
        client.create_model_version("ranker", f"s3://acme-models/ranker/{number}")
        client.transition_model_version_stage("ranker", number, "Production")
    return Populated(
        server,
        run1,
        run2,
        info.model_id,
        {"q3": q3.digest, "q4": q4.digest, "holdout": holdout.digest},
    )


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MlflowServer]:
    require_mlflow()
    server = start_mlflow_server(tmp_path_factory.mktemp("mlflow"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def populated(mlflow_server: MlflowServer) -> Populated:
    return _populate(mlflow_server)


# ---- helpers ----------------------------------------------------------------------------------


def import_args(uri: str, *more: str) -> list[str]:
    return [
        "import",
        "mlflow",
        "--tracking-uri",
        uri,
        "--owner",
        "Growth",
        "--task",
        "tabular-classification",
        "--dataset-owner",
        "Data team",
        *more,
    ]


def card(root: Path, relative: str) -> dict[str, Any]:
    data = yaml.safe_load((root / relative).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def day(milliseconds: int) -> dt.date:
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.timezone.utc).date()


def hm(milliseconds: int) -> str:
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.timezone.utc).strftime("%H:%M")


def utc_today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


@pytest.fixture
def empty_catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    root.mkdir()
    return root


# ---- the first import -------------------------------------------------------------------------


def test_first_import_card_by_card(
    runner: CliRunner, populated: Populated, empty_catalog: Path
) -> None:
    client = _client(populated.server.uri)
    uri = populated.server.uri
    result = runner.invoke(cli, import_args(uri, "--today", utc_today()))
    assert result.exit_code == 0, result.output
    assert sorted(snapshot(empty_catalog)) == [
        "datasets/holdout.yaml",
        "datasets/transactions.yaml",
        "models/churn/1.0.0.yaml",
        "models/churn/model.yaml",
        "models/fraud-detector/1.0.0.yaml",
        "models/fraud-detector/1.1.0.yaml",
        "models/fraud-detector/3.0.0.yaml",
        "models/fraud-detector/model.yaml",
        "models/ranker/1.0.0.yaml",
        "models/ranker/2.0.0.yaml",
        "models/ranker/model.yaml",
    ]
    assert (
        "added catalog/models/fraud-detector/1.1.0.yaml: fraud-detector@1.1.0 from MLflow "
        "version 2 (production)" in result.output.splitlines()
    )
    assert (
        "note: fraud-detector@1.0.0: run tags with no place in the card, not imported: "
        "mlflow.log-model.history, mlflow.runName" not in result.output
    )
    assert result.output.splitlines()[-1] == "11 new cards"

    model = card(empty_catalog, "models/fraud-detector/model.yaml")
    assert model == {
        "name": "Fraud Detector",
        "summary": "Scores card transactions for fraud.",
        "description": "Scores card transactions for fraud.\n\nNightly.\n",
        "owners": [{"name": "Risk ML"}],
        "task": "tabular-classification",
        "tags": ["gdpr", "team=payments"],
        "license": "apache-2.0",
        "primary_metric": "auc",
        "aliases": {"champion": "1.1.0"},
        "links": [{"title": "MLflow registered model", "url": f"{uri}/#/models/Fraud%20Detector"}],
    }
    text = (empty_catalog / "models/fraud-detector/model.yaml").read_text(encoding="utf-8")
    assert text.startswith("# mlflow: models:/Fraud Detector\n")

    v1 = client.get_model_version("Fraud Detector", "1")
    run1 = populated.run1
    first = card(empty_catalog, "models/fraud-detector/1.0.0.yaml")
    assert first == {
        "version": "1.0.0",
        "released": day(v1.creation_timestamp),
        "summary": "First model.",
        "description": (
            f"First model.\n\nImported from MLflow: [Fraud Detector version 1]({uri}/#/models/"
            f"Fraud%20Detector/versions/1), trained in run [train-1]({uri}/#/experiments/"
            f"{run1.info.experiment_id}/runs/{run1.info.run_id}).\n"
        ),
        "artifacts": [{"uri": f"{run1.info.artifact_uri}/model", "format": "mlflow"}],
        "training": {
            "code": {"repo": REPO, "commit": GIT_COMMIT},
            "data": [f"transactions@{populated.digests['q3']}"],
            "hyperparameters": {
                "early_stop": True,
                "learning_rate": 0.05,
                "max_depth": 8,
                "objective": "binary:logistic",
                "seed": 42,
            },
            "seed": 42,
        },
        "metrics": [{"name": "auc", "value": 0.93}, {"name": "loss", "value": 0.21}],
        "lifecycle": [
            {
                "stage": "development",
                "date": day(v1.creation_timestamp),
                "time": hm(v1.creation_timestamp),
                "by": run1.info.user_id,
            },
            # MLflow moved it to Archived when version 2 went to Production.
            {
                "stage": "archived",
                "date": day(v1.last_updated_timestamp),
                "time": hm(v1.last_updated_timestamp),
                "by": "mlflow",
                "reason": "MLflow stage Archived; dated by the version's last update",
            },
        ],
    }
    v2 = client.get_model_version("Fraud Detector", "2")
    second = card(empty_catalog, "models/fraud-detector/1.1.0.yaml")
    logged = client.get_logged_model(populated.logged_model_id)
    assert second["version"] == "1.1.0"  # from the semver tag, without its v
    assert second["artifacts"] == [{"uri": logged.artifact_location, "format": "mlflow"}]
    assert second["training"] == {
        "data": [f"transactions@{populated.digests['q4']}"],
        "hyperparameters": {"C": 0.5},
    }
    # The logged model's readings keep their dataset; the eval input's context is the split.
    assert second["metrics"] == [
        {
            "name": "auc",
            "value": 0.95,
            "dataset": f"holdout@{populated.digests['holdout']}",
            "split": "eval",
        },
        {
            "name": "auc",
            "value": 0.97,
            "dataset": f"transactions@{populated.digests['q4']}",
            "split": "training",
        },
    ]
    assert second["lifecycle"][-1] == {
        "stage": "production",
        "date": day(v2.last_updated_timestamp),
        "time": hm(v2.last_updated_timestamp),
        "by": "mlflow",
        "reason": "MLflow stage Production; dated by the version's last update",
    }
    assert (
        "note: fraud-detector@1.1.0: version tags with no place in the card, not "
        "imported: reviewed" in result.output.splitlines()
    )

    third = card(empty_catalog, "models/fraud-detector/3.0.0.yaml")
    assert third["summary"] == "Candidate with new features."
    assert third["artifacts"] == [{"uri": "s3://acme-models/fraud/3", "format": "mlflow"}]
    assert "training" not in third and "metrics" not in third
    created = client.get_model_version("Fraud Detector", "3").creation_timestamp
    assert third["lifecycle"] == [
        {"stage": "development", "date": day(created), "time": hm(created), "by": "mlflow"}
    ]

    assert card(empty_catalog, "datasets/transactions.yaml") == {
        "name": "transactions",
        "summary": "transactions, logged to MLflow as a run input.",
        "owners": [{"name": "Data team"}],
        "versions": sorted(
            [
                {
                    "version": populated.digests["q3"],
                    "uri": "s3://acme-data/tx/2025-Q3.parquet",
                    "rows": 3,
                    "description": f"Logged to MLflow as 'transactions' (digest "
                    f"{populated.digests['q3']}, source type s3)",
                },
                {
                    "version": populated.digests["q4"],
                    "uri": "s3://acme-data/tx/2025-Q4.parquet",
                    "rows": 4,
                    "description": f"Logged to MLflow as 'transactions' (digest "
                    f"{populated.digests['q4']}, source type s3)",
                },
            ],
            key=lambda v: str(v["version"]),
        ),
    }
    churn = card(empty_catalog, "models/churn/model.yaml")
    assert churn["owners"] == [{"name": "Growth"}] and churn["task"] == "tabular-classification"
    assert card(empty_catalog, "models/churn/1.0.0.yaml")["training"] == {
        "hyperparameters": {"depth": "auto"}
    }
    # Two versions in Production: MLflow serves the newest, so it takes the traffic.
    assert card(empty_catalog, "models/ranker/1.0.0.yaml")["lifecycle"][-1]["traffic"] == 0
    assert card(empty_catalog, "models/ranker/2.0.0.yaml")["lifecycle"][-1]["traffic"] == 100

    assert validate_catalog(empty_catalog).errors == []
    built = runner.invoke(cli, ["build", str(empty_catalog), "-o", "site", "--no-cache"])
    assert built.exit_code == 0, built.output
    page = Path("site/models/fraud-detector/1.1.0/index.html").read_text(encoding="utf-8")
    assert "holdout@" in page and "0.95" in page
    assert Path("site/datasets/transactions/index.html").is_file()


def test_pages_of_one_give_the_same_cards(
    runner: CliRunner, populated: Populated, empty_catalog: Path, tmp_path: Path
) -> None:
    """Every model and every version arrives when the server answers one item per page."""
    assert runner.invoke(cli, import_args(populated.server.uri)).exit_code == 0
    paged = tmp_path / "paged"
    paged.mkdir()
    result = runner.invoke(
        cli, [*import_args(populated.server.uri, "--page-size", "1"), str(paged)]
    )
    assert result.exit_code == 0, result.output
    assert snapshot(paged) == snapshot(empty_catalog)


def test_owner_and_task_missing_write_nothing_for_that_model_unless_drafts(
    runner: CliRunner, populated: Populated, empty_catalog: Path
) -> None:
    uri = populated.server.uri
    args = ["import", "mlflow", "--tracking-uri", uri, "--model", "churn"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert snapshot(empty_catalog) == {}
    lines = result.output.splitlines()
    assert "not written: catalog/models/churn/model.yaml: new model churn (MLflow 'churn')" in lines
    # What is still to add, once: the placeholder's error carries it.
    assert (
        "  catalog/models/churn/model.yaml:4:1: error MC054 owners is still to be filled in "
        "(TODO: who answers for this model: --owner NAME, or an 'owner' tag on the registered "
        "model); fill it in and remove the `# TODO` mark" in lines
    )
    assert not [line for line in lines if line.startswith("  still to add:")]
    assert (
        "not written: catalog/models/churn/1.0.0.yaml: churn@1.0.0 from MLflow version 1 "
        "(staging) (it needs catalog/models/churn/model.yaml, not written)" in lines
    )

    drafted = runner.invoke(cli, [*args, "--drafts"])
    assert drafted.exit_code == 0, drafted.output
    text = (empty_catalog / "models/churn/model.yaml").read_text(encoding="utf-8")
    assert "owners: null  # TODO: who answers for this model" in text
    assert "task: null  # TODO: e.g. tabular-classification" in text
    problems = validate_catalog(empty_catalog).errors
    assert [(p.file.name, p.line, p.code) for p in problems] == [
        ("model.yaml", 4, "MC054"),
        ("model.yaml", 5, "MC054"),
    ]


def test_dry_run_prints_the_plan_and_writes_nothing(
    runner: CliRunner, populated: Populated, empty_catalog: Path
) -> None:
    result = runner.invoke(cli, import_args(populated.server.uri, "--model", "ranker", "--dry-run"))
    assert result.exit_code == 0, result.output
    assert snapshot(empty_catalog) == {}
    assert result.output.splitlines() == [
        "would add catalog/models/ranker/model.yaml: new model ranker (MLflow 'ranker')",
        "would add catalog/models/ranker/1.0.0.yaml: ranker@1.0.0 from MLflow version 1 "
        "(production)",
        "would add catalog/models/ranker/2.0.0.yaml: ranker@2.0.0 from MLflow version 2 "
        "(production)",
        "dry run, nothing written: 3 new cards",
    ]


def test_import_again_after_changes_in_mlflow(
    runner: CliRunner, populated: Populated, tmp_path: Path
) -> None:
    """New versions and stage changes are appended; what was imported stays byte for byte.

    Runs on its own registered model, so that the other tests see the registry unchanged.
    """
    client = _client(populated.server.uri)
    client.create_registered_model("scorer", tags={"owner": "Risk ML", "task": "regression"})
    for number in ("1", "2"):
        client.create_model_version("scorer", f"s3://acme-models/scorer/{number}")
    client.transition_model_version_stage("scorer", "1", "Production")
    client.transition_model_version_stage("scorer", "2", "Staging")
    client.set_registered_model_alias("scorer", "champion", "1")
    root = tmp_path / "catalog"
    root.mkdir()
    args = [
        "import",
        "mlflow",
        "--tracking-uri",
        populated.server.uri,
        "--model",
        "scorer",
        str(root),
    ]
    assert runner.invoke(cli, args).exit_code == 0
    before = snapshot(root)

    client.transition_model_version_stage(
        "scorer", "2", "Production", archive_existing_versions=True
    )
    client.set_registered_model_alias("scorer", "champion", "2")
    client.set_registered_model_alias("scorer", "previous", "1")
    client.create_model_version(
        "scorer", "s3://acme-models/scorer/3", tags={"semver": "3.0.0-rc.1"}
    )
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "appended to catalog/models/scorer/1.0.0.yaml: scorer@1.0.0: archived (MLflow stage "
        "Archived)",
        "appended to catalog/models/scorer/2.0.0.yaml: scorer@2.0.0: production (MLflow stage "
        "Production)",
        "added catalog/models/scorer/3.0.0-rc.1.yaml: scorer@3.0.0-rc.1 from MLflow version 3 "
        "(development)",
        "updated catalog/models/scorer/model.yaml: scorer aliases: champion -> 2.0.0, "
        "previous -> 1.0.0",
        "1 new card, 3 changed cards",
    ]
    after = snapshot(root)
    for name in ("models/scorer/1.0.0.yaml", "models/scorer/2.0.0.yaml"):
        assert after[name].startswith(before[name]) and after[name] != before[name]
    v1 = client.get_model_version("scorer", "1")
    assert card(root, "models/scorer/1.0.0.yaml")["lifecycle"][-1] == {
        "stage": "archived",
        "date": day(v1.last_updated_timestamp),
        "time": hm(v1.last_updated_timestamp),
        "by": "mlflow",
        "reason": "MLflow stage Archived; dated by the version's last update",
    }
    assert card(root, "models/scorer/model.yaml")["aliases"] == {
        "champion": "2.0.0",
        "previous": "1.0.0",
    }
    assert validate_catalog(root).errors == []

    again = runner.invoke(cli, args)
    assert again.exit_code == 0
    assert again.output == f"nothing to import: catalog is up to date with {populated.server.uri}\n"
    assert snapshot(root) == after


def test_a_version_renamed_by_a_later_tag_is_not_imported_twice(
    runner: CliRunner, populated: Populated, tmp_path: Path
) -> None:
    """The '# mlflow:' comment, not the file name, tells which MLflow version a card holds."""
    client = _client(populated.server.uri)
    client.create_registered_model("tagger", tags={"owner": "Risk ML", "task": "regression"})
    client.create_model_version("tagger", "s3://acme-models/tagger/1")
    root = tmp_path / "catalog"
    root.mkdir()
    args = [
        "import",
        "mlflow",
        "--tracking-uri",
        populated.server.uri,
        "--model",
        "tagger",
        str(root),
    ]
    assert runner.invoke(cli, args).exit_code == 0
    client.set_model_version_tag("tagger", "1", "semver", "0.9.0")
    result = runner.invoke(cli, args)
    assert result.output.startswith("nothing to import")
    assert sorted(snapshot(root)) == ["models/tagger/1.0.0.yaml", "models/tagger/model.yaml"]


def test_missing_model(runner: CliRunner, populated: Populated, empty_catalog: Path) -> None:
    result = runner.invoke(cli, import_args(populated.server.uri, "--model", "nope"))
    assert result.exit_code == 2
    assert (
        f"Error: {populated.server.uri} has no registered model named 'nope'; its models "
        "are: 'Fraud Detector', 'churn', 'ranker'" in result.output
    )
    assert result.output.rstrip().endswith("; nothing was written")
    assert snapshot(empty_catalog) == {}
    # The card's id, or the name in other letters, is what a user types from the catalog.
    by_id = runner.invoke(cli, import_args(populated.server.uri, "--model", "fraud-detector"))
    assert by_id.exit_code == 2
    assert (
        "has no registered model named 'fraud-detector' (did you mean 'Fraud Detector'?); "
        "its models are:" in by_id.output
    )
    assert snapshot(empty_catalog) == {}


def test_a_catalog_with_a_policy_gets_only_what_validates(
    runner: CliRunner, populated: Populated, tmp_path: Path
) -> None:
    """The example catalog requires hashes, approvals and more in production: MLflow records
    none of them, so those versions are refused with the policy's reasons; the catalog's own
    cards are untouched."""

    root = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, root)
    before = snapshot(root)
    result = runner.invoke(
        cli, import_args(populated.server.uri, "--model", "ranker", "--today", utc_today())
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "added catalog/models/ranker/model.yaml: new model ranker (MLflow 'ranker')"
    assert (
        "not written: catalog/models/ranker/2.0.0.yaml: ranker@2.0.0 from MLflow version 2 "
        "(production)" in lines
    )
    assert (
        "  catalog/models/ranker/2.0.0.yaml:11:5: error MC040 policy requires an approver "
        "to reach production: add `approved_by: [name]` to this event" in lines
    )
    assert lines[-1] == (
        "1 new card, 2 cards not written (they would not validate: add what "
        "is listed, or write them as drafts with --drafts)"
    )
    after = snapshot(root)
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(set(after) - set(before)) == ["models/ranker/model.yaml"]
    assert validate_catalog(root, dt.date.fromisoformat(utc_today())).errors == []
