"""The validate and schema commands through the real CLI, with exact output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli

from ..helpers.catalogs import REPO, V1, CatalogMaker, edit

BROKEN = edit(V1, "replaced_by: 2.0.0", "replaced_by: 2.1.0") | edit(
    "models/fraud/model.yaml", "last_reviewed: 2026-06-01", "last_reviewed: 2025-01-01"
)
MC025 = (
    "catalog/models/fraud/1.0.0.yaml:14:85: error MC025 replaced_by '2.1.0' does not resolve: "
    "model 'fraud' has no version 2.1.0; its versions are: 1.0.0, 2.0.0"
)
MC051 = (
    "catalog/models/fraud/model.yaml:7:16: warning MC051 fraud is in production and was last "
    "reviewed 2025-01-01; the policy asks for a review every 365 days: review the card and "
    "update last_reviewed"
)


def test_valid_catalog_text(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    result = runner.invoke(cli, ["validate", "--today", "2026-11-26"])
    assert result.exit_code == 0
    assert result.output == (
        "catalog is valid: 2 models, 3 versions, 1 dataset (0 errors, 0 warnings)\n"
    )


def test_invalid_catalog_text(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog(BROKEN)
    result = runner.invoke(cli, ["validate", "catalog", "--today", "2026-11-26"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        MC025,
        MC051,
        "catalog is invalid: 1 error, 1 warning (2 models, 3 versions, 1 dataset)",
    ]


def test_the_summary_counts_cards_that_failed_to_load(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    # A model card with a syntax error is still one of the catalog's models: "(0 models...)"
    # read as if the folder had not been found.
    make_catalog(edit("models/small/model.yaml", "task: tabular-classification", "task: [oops"))
    result = runner.invoke(cli, ["validate", "--today", "2026-11-26"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "catalog is invalid: 1 error, 0 warnings (2 models, 3 versions, 1 dataset)"
    )


def test_warnings_pass_unless_strict(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog(
        edit("models/fraud/model.yaml", "last_reviewed: 2026-06-01", "last_reviewed: 2025-01-01")
    )
    assert runner.invoke(cli, ["validate", "--today", "2026-11-26"]).exit_code == 0
    strict = runner.invoke(cli, ["validate", "--strict", "--today", "2026-11-26"])
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1].startswith("catalog is invalid: 0 errors, 1 warning")


def test_today_comes_from_source_date_epoch(
    runner: CliRunner, make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_catalog()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: reviews are overdue
    result = runner.invoke(cli, ["validate", "--strict"])
    assert result.exit_code == 1
    assert "MC051" in result.output
    assert runner.invoke(cli, ["validate", "--strict", "--today", "2026-11-26"]).exit_code == 0


def test_json_format(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog(BROKEN)
    result = runner.invoke(cli, ["validate", "--format", "json", "--today", "2026-11-26"])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["valid"] is False
    assert document["errors"][0] == {
        "file": os.path.join("catalog", "models", "fraud", "1.0.0.yaml"),
        "line": 14,
        "column": 85,
        "code": "MC025",
        "severity": "error",
        "message": "replaced_by '2.1.0' does not resolve: model 'fraud' has no version 2.1.0; "
        "its versions are: 1.0.0, 2.0.0",
    }
    assert [e["severity"] for e in document["errors"]] == ["error", "warning"]
    assert document["summary"] == {
        "models": 2,
        "versions": 3,
        "datasets": 1,
        "errors": 1,
        "warnings": 1,
    }


def test_github_format(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog(BROKEN)
    result = runner.invoke(cli, ["validate", "--format", "github", "--today", "2026-11-26"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "::error file=catalog/models/fraud/1.0.0.yaml,line=14,col=85,title=MC025::"
        "replaced_by '2.1.0' does not resolve: model 'fraud' has no version 2.1.0; "
        "its versions are: 1.0.0, 2.0.0"
    )
    assert lines[1].startswith(
        "::warning file=catalog/models/fraud/model.yaml,line=7,col=16,title=MC051::"
    )


def test_github_format_is_the_default_under_actions(
    runner: CliRunner, make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_catalog(BROKEN)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(cli, ["validate", "--today", "2026-11-26"])
    assert result.output.startswith("::error file=catalog/models/fraud/1.0.0.yaml,line=14")


def test_github_strict_reports_warnings_as_errors(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog(BROKEN)
    result = runner.invoke(
        cli, ["validate", "--format", "github", "--strict", "--today", "2026-11-26"]
    )
    assert result.output.splitlines()[1].startswith("::error file=catalog/models/fraud/model.yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "nowhere"], "Directory 'nowhere' does not exist"),
        (["validate", "--format", "xml"], "'xml' is not one of"),
        (["validate", "--today", "26/11/2026"], "'26/11/2026' does not match the format"),
        (["validate"], "Directory 'catalog' does not exist"),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_catalog_argument_must_be_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "card.yaml").write_text("a: 1\n")
    result = runner.invoke(cli, ["validate", "card.yaml"])
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_schema_command_writes_the_committed_schemas(runner: CliRunner, tmp_path: Path) -> None:

    result = runner.invoke(cli, ["schema", "-o", "out"])
    assert result.exit_code == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "catalog.schema.json",
        "dataset.schema.json",
        "model.schema.json",
        "version.schema.json",
    ]
    for name in written:
        assert (tmp_path / "out" / name).read_text() == (REPO / "schema" / name).read_text(), (
            f"schema/{name} is out of date: run `modelcards schema -o schema`"
        )


def test_schema_into_unwritable_place_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder")
    result = runner.invoke(cli, ["schema", "-o", "taken/sub"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
