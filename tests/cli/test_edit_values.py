"""Every value an editing command writes reads back as the text the user gave.

validate reads cards as YAML 1.1 (PyYAML), where `yes`, `no`, `on`, `1:30`, `0755`, `0x1F`
and `2026-01-01` written plain are not text. A command that writes them plain writes a card
that its own validation then refuses (`lifecycle[2].by: expected text, got true`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from modelcards.cli import cli

from ..helpers.catalogs import TODAY, CatalogMaker

# Each reads as something else than text in YAML 1.1 when written plain.
AMBIGUOUS = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "null",
    "~",
    "1:30",
    "0755",
    "0x1F",
    "1_000",
    "2026-01-01",
    ".inf",
    "12e3",
    "=",
    "true",
]


def _card(root: Path, name: str) -> Any:
    return yaml.safe_load((root / name).read_text(encoding="utf-8"))


def _last_event(root: Path, name: str) -> dict[str, Any]:
    event = _card(root, name)["lifecycle"][-1]
    assert isinstance(event, dict)
    return event


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_promote_writes_by_reason_and_approvers_as_text(
    runner: CliRunner, make_catalog: CatalogMaker, value: str
) -> None:
    root = make_catalog()
    result = runner.invoke(
        cli,
        [
            "promote",
            "small@0.1.0",
            "staging",
            "--by",
            value,
            "--reason",
            value,
            "--approved-by",
            value,
            "--date",
            TODAY,
        ],
    )
    assert result.exit_code == 0, result.output
    event = _last_event(root, "models/small/0.1.0.yaml")
    assert (event["by"], event["reason"], event["approved_by"]) == (value, value, [value])


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_deprecate_and_retire_write_by_and_reason_as_text(
    runner: CliRunner, make_catalog: CatalogMaker, value: str
) -> None:
    root = make_catalog()
    staged = ["promote", "small@0.1.0", "staging", "--by", "dana", "--date", TODAY]
    assert runner.invoke(cli, staged).exit_code == 0
    deprecated = runner.invoke(
        cli,
        [
            "deprecate",
            "small@0.1.0",
            "--by",
            value,
            "--reason",
            value,
            "--date",
            TODAY,
        ],
    )
    assert deprecated.exit_code == 0, deprecated.output
    event = _last_event(root, "models/small/0.1.0.yaml")
    assert (event["by"], event["reason"]) == (value, value)
    retired = runner.invoke(
        cli,
        [
            "retire",
            "small@0.1.0",
            "--by",
            value,
            "--reason",
            value,
            "--date",
            TODAY,
        ],
    )
    assert retired.exit_code == 0, retired.output
    event = _last_event(root, "models/small/0.1.0.yaml")
    assert (event["stage"], event["by"], event["reason"]) == ("retired", value, value)


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_new_model_writes_every_option_as_text(
    runner: CliRunner, make_catalog: CatalogMaker, value: str
) -> None:
    root = make_catalog()
    result = runner.invoke(
        cli,
        [
            "new",
            "model",
            "ranker",
            "--owner",
            value,
            "--task",
            value,
            "--name",
            value,
            "--summary",
            value,
        ],
    )
    assert result.exit_code == 0, result.output
    card = _card(root, "models/ranker/model.yaml")
    assert (card["name"], card["summary"], card["owners"], card["task"]) == (
        value,
        value,
        [{"name": value}],
        value,
    )


@pytest.mark.parametrize("value", AMBIGUOUS)
@pytest.mark.parametrize("carried", [False, True])
def test_new_version_writes_by_as_text(
    runner: CliRunner, make_catalog: CatalogMaker, value: str, carried: bool
) -> None:
    root = make_catalog()
    args = ["new", "version", "small", "0.2.0", "--by", value, "--date", TODAY]
    result = runner.invoke(cli, args + (["--from", "0.1.0"] if carried else []))
    assert result.exit_code == 0, result.output
    assert _last_event(root, "models/small/0.2.0.yaml")["by"] == value


def test_a_value_that_needs_no_quotes_gets_none(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    result = runner.invoke(
        cli,
        [
            "promote",
            "small@0.1.0",
            "staging",
            "--by",
            "dana",
            "--reason",
            "Shadow test",
            "--approved-by",
            "carol",
            "--date",
            TODAY,
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        (root / "models/small/0.1.0.yaml")
        .read_text(encoding="utf-8")
        .endswith(
            f"  - {{stage: staging, date: {TODAY}, by: dana, approved_by: [carol], "
            "reason: Shadow test}\n"
        )
    )
