"""A scaffold never validates clean until it is filled in: each field marked `# TODO` and still
empty is an error at its line (the list of what is left to do), and a mark left on a filled-in
value is a warning, so `--strict` fails on any leftover placeholder (issue 11, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.validate import validate_catalog

from ..helpers.catalogs import SHA_A, CatalogMaker
from ..helpers.site import TODAY

NEW = "models/fraud/2.1.0.yaml"


@pytest.fixture
def runner(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    return runner


def problems(root: Path) -> list[tuple[str, int, str]]:
    result = validate_catalog(root, TODAY)
    return [(p.code, p.line, p.message) for p in result.problems if p.file == root / NEW]


def test_an_unfilled_scaffold_lists_what_is_left_to_do(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    args = ["new", "version", "fraud", "2.1.0", "--from", "2.0.0", "--by", "alice"]
    assert runner.invoke(cli, args).exit_code == 0
    assert problems(root) == [
        # Required and still null: said with the scaffold's hint, not as "expected text".
        (
            "MC054",
            3,
            "summary is still to be filled in (TODO: one line: what changed since 2.0.0); "
            "fill it in and remove the `# TODO` mark",
        ),
        (
            "MC054",
            4,
            "artifacts is still to be filled in (TODO: this version's files, with their "
            "sha256); fill it in and remove the `# TODO` mark",
        ),
        (
            "MC054",
            6,
            "training.code.commit is still to be filled in (TODO: the commit it was "
            "trained from); fill it in and remove the `# TODO` mark",
        ),
        (
            "MC054",
            8,
            "metrics is still to be filled in (TODO: measure this version); fill it in "
            "and remove the `# TODO` mark",
        ),
        (
            "MC055",
            10,
            "a `# TODO` mark is left on lineage[0] (TODO: check the relation); check "
            "it and remove the mark",
        ),
    ]


def test_strict_fails_until_every_mark_is_gone(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    args = ["new", "version", "fraud", "2.1.0", "--from", "2.0.0", "--by", "alice"]
    assert runner.invoke(cli, args).exit_code == 0
    card = root / NEW
    filled = (
        card.read_text()
        .replace("summary:  # TODO: one line: what changed since 2.0.0", "summary: Retrained.")
        .replace(
            "artifacts: []  # TODO: this version's files, with their sha256",
            f"artifacts: [{{uri: s3://m/fraud/2.1.0/model.onnx, sha256: {SHA_A}}}]",
        )
        .replace("commit: null}  # TODO: the commit it was trained from", 'commit: "6b4c3d2e"}')
        .replace(
            "metrics: []  # TODO: measure this version",
            "metrics: [{name: auc, value: 0.92, dataset: tx@2025-Q3, split: test}]",
        )
    )
    card.write_text(filled)
    assert [p[:2] for p in problems(root)] == [("MC055", 10)]
    validate = ["validate", "--today", "2026-11-26"]
    assert runner.invoke(cli, validate).exit_code == 0
    assert runner.invoke(cli, [*validate, "--strict"]).exit_code == 1
    card.write_text(filled.replace("  # TODO: check the relation", ""))
    assert problems(root) == []
    assert runner.invoke(cli, [*validate, "--strict"]).exit_code == 0


def test_the_blank_card_has_the_same_marks(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    assert runner.invoke(cli, ["new", "version", "fraud", "2.1.0", "--by", "alice"]).exit_code == 0
    assert [(code, line) for code, line, _ in problems(root)] == [
        ("MC054", 3),  # summary
        ("MC054", 4),  # artifacts
        ("MC054", 6),  # training.code (its repo, and the commit)
        ("MC054", 7),  # training.data
        ("MC054", 8),  # metrics
    ]


def test_a_todo_inside_a_text_or_on_a_line_of_its_own_is_not_a_mark(
    make_catalog: CatalogMaker,
) -> None:
    root = make_catalog(
        {
            "models/small/0.1.0.yaml": """\
        version: "0.1.0"
        released: 2026-02-01
        summary: "Distilled; see the # TODO list of the edge team"
        # TODO: add metrics once the edge benchmark exists
        lineage:
          - {model: fraud@2.0.0, relation: distilled}
        lifecycle:
          - {stage: development, date: 2026-02-01, by: dana}
        """
        }
    )
    assert validate_catalog(root, TODAY).problems == []
