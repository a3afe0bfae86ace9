"""Edits that would add noise to a log that never shrinks, or leave nothing to deploy, and
the advice the editing commands give when they refuse (issue 11, items 7 and 11)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.validate import validate_catalog

from ..helpers.catalogs import STAGED, V2, CatalogMaker, edit, snapshot
from ..helpers.site import TODAY


@pytest.fixture
def runner(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    return runner


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fraud@2.0.0", "production"], "fraud@2.0.0 is already in production (100% of traffic)"),
        (["small@0.1.0", "development"], "small@0.1.0 is already in development"),
    ],
)
def test_a_promotion_that_changes_nothing_is_refused(
    runner: CliRunner, make_catalog: CatalogMaker, args: list[str], message: str
) -> None:
    root = make_catalog()
    before = snapshot(root)
    result = runner.invoke(cli, ["promote", *args, "--by", "bob", "--approved-by", "carol"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {message}: an event that changes nothing is not recorded, since the lifecycle "
        "is a log that never shrinks (nothing was written)\n"
    )
    assert snapshot(root) == before


def test_a_canary_at_its_current_share_is_refused(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog({"models/fraud/2.1.0.yaml": STAGED})
    args = ["promote", "fraud@2.1.0", "production", "--by", "bob", "--approved-by", "carol"]
    assert runner.invoke(cli, [*args, "--traffic", "10", "--date", "2026-03-10"]).exit_code == 0
    again = runner.invoke(cli, [*args, "--traffic", "10"])
    assert again.exit_code == 1
    assert again.output.startswith(
        "Error: fraud@2.1.0 is already in production (10% of traffic): an event that changes "
        "nothing is not recorded"
    )


def test_a_production_event_repeating_the_last_is_an_error(make_catalog: CatalogMaker) -> None:
    files = edit(
        V2,
        "approved_by: [carol]}",
        "approved_by: [carol]}\n  - {stage: production, date: 2026-02-01, by: bob}",
    )
    result = validate_catalog(make_catalog(files), TODAY)
    assert [(p.code, p.line, p.message) for p in result.problems] == [
        (
            "MC048",
            16,
            "this production event repeats the one before it (same stage, same traffic); the "
            "lifecycle records changes: remove it",
        )
    ]


def test_taking_the_only_production_version_out_needs_an_approver(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    before = snapshot(root)
    result = runner.invoke(cli, ["promote", "fraud@2.0.0", "archived", "--by", "bob"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the catalog would not validate after this change, so nothing was written",
        "fraud@2.0.0, the new archived event: error MC047 this takes fraud@2.0.0 out of "
        "production and leaves fraud with no version in production (deploy jobs asking for "
        "fraud@production get nothing); the policy requires an approver for production "
        "changes: pass --approved-by NAME",
    ]
    assert snapshot(root) == before
    done = runner.invoke(
        cli, ["promote", "fraud@2.0.0", "archived", "--by", "bob", "--approved-by", "carol"]
    )
    assert done.exit_code == 0, done.output
    assert done.output == (
        "wrote catalog/models/fraud/2.0.0.yaml: fraud@2.0.0: archived; fraud has no version in "
        "production now: `modelcards get fraud` fails until one is promoted\n"
    )


def test_deprecating_the_only_production_version_takes_an_approver(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog({"models/fraud/2.1.0.yaml": STAGED})
    args = [
        "deprecate",
        "fraud@2.0.0",
        "--by",
        "bob",
        "--reason",
        "Drift",
        "--replaced-by",
        "2.1.0",
    ]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1
    assert "error MC047" in refused.output and "pass --approved-by NAME" in refused.output
    done = runner.invoke(cli, [*args, "--approved-by", "carol"])
    assert done.exit_code == 0, done.output
    assert "fraud has no version in production now" in done.output


def test_a_hand_over_stays_valid_when_the_next_version_leaves_production_that_day(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    # 2.1.0 replaces 2.0.0 in the morning (2.0.0 archived at the same minute); in the
    # afternoon 2.1.0 is deprecated too, with an approver. 2.0.0's archive handed over and is
    # published by then: it stays valid (judged at the end of the day, it got MC047 and the
    # deprecation could not be made until the next day).
    root = make_catalog({"models/fraud/2.1.0.yaml": STAGED})
    morning = ["promote", "fraud@2.1.0", "production", "--by", "bob", "--approved-by", "carol"]
    done = runner.invoke(cli, morning, env={"SOURCE_DATE_EPOCH": "1795687200"})  # 10:00 UTC
    assert done.exit_code == 0, done.output
    afternoon = ["deprecate", "fraud@2.1.0", "--by", "bob", "--reason", "Drift"]
    afternoon += ["--approved-by", "carol"]
    done = runner.invoke(cli, afternoon, env={"SOURCE_DATE_EPOCH": "1795705200"})  # 15:00 UTC
    assert done.exit_code == 0, done.output
    assert validate_catalog(root, TODAY).errors == []


def test_promote_points_at_deprecate(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    result = runner.invoke(cli, ["promote", "fraud@2.0.0", "deprecated", "--by", "bob"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: a deprecation records why and what replaces the version: use `modelcards "
        "deprecate fraud@2.0.0 --by WHO --reason WHY [--replaced-by VERSION]`\n"
    )


def test_promote_help_lists_the_stages(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["promote", "--help"])
    assert "STAGE is one of development, staging, production, archived, retired" in " ".join(
        result.output.split()
    )


def test_new_version_from_a_missing_version_lists_those_that_exist(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog()
    result = runner.invoke(cli, ["new", "version", "fraud", "3.0.0", "--from", "9.9.9"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: --from 9.9.9: fraud has no version 9.9.9; its versions are: 1.0.0, 2.0.0\n"
    )
