"""Editor hints (`# yaml-language-server: $schema=PATH`): written only where they resolve,
and checked by validate (MC057) where they do not."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.edit import FileEdit, check_edits
from modelcards.schema import SchemaHint, read_schema_hint, write_schemas
from modelcards.validate import validate_catalog

from ..helpers.catalogs import BASE, TODAY, CatalogMaker

MODEL = "models/fraud/model.yaml"


def with_hint(target: str, *, above: str = "") -> dict[str, str]:
    text = textwrap.dedent(BASE[MODEL])
    return {MODEL: f"{above}# yaml-language-server: $schema={target}\n{text}"}


def hint_warnings(root: Path) -> list[str]:
    result = validate_catalog(root)
    return [f"{p.line}:{p.column} {p.message}" for p in result.problems if p.code == "MC057"]


def test_the_hint_is_found_where_editors_find_it() -> None:
    text = "name: x\n  # yaml-language-server: $schema=../s.json other\n# $schema=ignored.json\n"
    assert read_schema_hint(text) == SchemaHint("../s.json", 2, 35)
    assert read_schema_hint("name: x  # yaml-language-server: $schema=a.json\n") is None
    assert read_schema_hint("name: x\n") is None


def test_a_hint_to_an_existing_file_or_a_url_is_not_reported(
    make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    write_schemas(tmp_path / "schema")
    root = make_catalog(with_hint("../../../schema/model.schema.json#/properties"))
    assert hint_warnings(root) == []
    root = make_catalog(with_hint("https://schemas.example/model.schema.json"))
    assert hint_warnings(root) == []
    root = make_catalog(with_hint((tmp_path / "schema" / "model.schema.json").as_uri()))
    assert hint_warnings(root) == []


def test_a_broken_hint_is_a_warning_that_names_the_schema_to_use(tmp_path: Path) -> None:
    """A catalog copied into registry/ of another repository: its hints are one level short."""
    repo = tmp_path / "team-repo"
    (repo / ".git").mkdir(parents=True)
    write_schemas(repo / "schema")
    root = repo / "registry" / "catalog"
    for name, text in {
        **BASE,
        **with_hint("../../../schema/model.schema.json", above="\n"),
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text) % {"SHA_A": "a" * 64, "SHA_B": "b" * 64})
    assert hint_warnings(root) == [
        "2:33 the editor hint $schema=../../../schema/model.schema.json names a file that "
        "does not exist; point it at ../../../../schema/model.schema.json"
    ]
    assert validate_catalog(root).passes()  # a warning: the cards themselves are fine


def test_new_and_import_write_no_hint_without_a_schema_to_point_at(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    assert runner.invoke(cli, ["new", "model", "churn", "--owner", "Growth"]).exit_code == 0
    assert (
        runner.invoke(
            cli, ["new", "version", "churn", "1.0.0", "--by", "ana", "--date", TODAY]
        ).exit_code
        == 0
    )
    for card in ("model.yaml", "1.0.0.yaml"):
        assert "yaml-language-server" not in (root / "models/churn" / card).read_text()
    assert hint_warnings(root) == []


def test_new_points_at_the_schema_at_the_repository_top(
    runner: CliRunner, make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    root = make_catalog()
    write_schemas(tmp_path / "schema")
    assert (
        runner.invoke(
            cli,
            ["new", "version", "fraud", "3.0.0", "--from", "2.0.0", "--by", "ana", "--date", TODAY],
        ).exit_code
        == 0
    )
    first = (root / "models/fraud/3.0.0.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schema/version.schema.json"
    assert hint_warnings(root) == []


def test_an_edit_checked_in_a_scratch_copy_judges_hints_where_the_cards_are(
    make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    """Edits are validated in a copy of the catalog elsewhere; a hint's path is relative to
    its card, so the copy must not make a good hint look broken, nor hide a broken one."""
    write_schemas(tmp_path / "schema")
    good = "../../../schema/model.schema.json"
    root = make_catalog(with_hint(good))
    edit = FileEdit(root / MODEL, (root / MODEL).read_text(encoding="utf-8"), "unchanged")
    assert [p for p in check_edits(root, [edit]).problems if p.code == "MC057"] == []
    broken = make_catalog(with_hint("../../../nowhere/model.schema.json"))
    edit = FileEdit(broken / MODEL, (broken / MODEL).read_text(encoding="utf-8"), "unchanged")
    assert check_edits(broken, [edit]).problems == validate_catalog(broken).problems
    assert [p.code for p in validate_catalog(broken).problems] == ["MC057"]


def test_record_in_a_new_registry_reports_no_hint_problem(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The steps of a user's report: `init --example`, commit, `record` a version."""
    identity = {
        "GIT_AUTHOR_NAME": "Ci",
        "GIT_AUTHOR_EMAIL": "ci@example.org",
        "GIT_COMMITTER_NAME": "Ci",
        "GIT_COMMITTER_EMAIL": "ci@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for name, value in identity.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q", "-b", "main"], check=True)
    assert runner.invoke(cli, ["init", "--example"]).exit_code == 0
    (tmp_path / "model.bin").write_bytes(b"weights")
    subprocess.run(["git", "add", "-A"], check=True)
    subprocess.run(["git", "commit", "-qm", "registry"], check=True)
    result = runner.invoke(
        cli,
        [
            "record",
            "ticket-router",
            "1.1.0",
            "--summary",
            "x",
            "--by",
            "ci",
            "--artifact",
            "model.bin=s3://b/m.bin",
            "--from",
            "1.0.0",
            "--code-repo",
            "https://github.com/acme/r",
            "catalog",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "MC057" not in result.output
    assert "wrote catalog/models/ticket-router/1.1.0.yaml" in result.output
    assert hint_warnings(tmp_path / "catalog") == []
