"""Edits that could lie or half-apply: every edit appends at the end of the log or is
refused, and an edit of several files writes all of them or none."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cards import Stage
from modelcards.cli import cli
from modelcards.edit import EditError, append_event, make_event
from modelcards.source import parse_source

from ..helpers.catalogs import STAGED, V2, CatalogMaker, snapshot

HEAD = 'version: "1.0.0"\nreleased: 2026-01-01\nsummary: x\n'
EVENT = make_event(Stage.PRODUCTION, dt.date(2026, 1, 5), "bob")

# Layouts whose last event ends with, or is, an alias: the event was inserted where the
# anchor was, in the middle of the log, and the command reported success.
ALIASED = {
    "a value": "lifecycle:\n  - stage: development\n    date: 2026-01-01\n    by: &who alice\n"
    "  - stage: staging\n    date: 2026-01-02\n    by: *who\n",
    "a whole event": "lifecycle:\n  - &dev {stage: development, date: 2026-01-01, by: alice}\n"
    "  - {stage: staging, date: 2026-01-02, by: alice}\n  - *dev\n",
    "a flow list": "lifecycle: [&dev {stage: development, date: 2026-01-01, by: alice}, *dev]\n",
    "a merge": "lifecycle:\n  - &dev {stage: development, date: 2026-01-01, by: alice}\n"
    "  - {<<: *dev, stage: staging}\n",
    "a nested flow": "lifecycle:\n  - stage: development\n    date: 2026-01-01\n"
    "    by: alice\n    approved_by: &people [carol]\n"
    "  - {stage: staging, date: 2026-01-02, by: bob, approved_by: *people}\n"
    "# the end\n",
}


def lifecycle(text: str) -> list[object]:
    document, failure = parse_source(Path("v.yaml"), text)
    assert document is not None and failure is None
    events = document.data["lifecycle"]
    assert isinstance(events, list)
    return events


@pytest.mark.parametrize("name", list(ALIASED))
def test_an_event_is_appended_at_the_end_whatever_the_last_one_ends_with(name: str) -> None:
    text = HEAD + ALIASED[name]
    edited = append_event(text, Path("v.yaml"), EVENT)
    assert lifecycle(edited) == [*lifecycle(text), EVENT]
    kept = iter(edited.splitlines())
    assert all(any(line == other for other in kept) for line in text.splitlines()[:-1])


def test_an_edit_that_would_not_land_at_the_end_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import modelcards.edit as edit

    def misplaced(text: str, path: Path, event: dict[str, object], last: object) -> str:
        return text.replace(
            "lifecycle:\n", "lifecycle:\n  - {stage: production, date: 2026-01-05, by: bob}\n", 1
        )

    monkeypatch.setattr(edit, "_append_block", misplaced)  # as the alias bug did
    with pytest.raises(EditError, match="would not land at the end of the log"):
        append_event(HEAD + ALIASED["a value"], Path("v.yaml"), EVENT)


def test_promote_through_the_cli_appends_after_an_aliased_event(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    aliased = STAGED.replace(
        "  - {stage: staging, date: 2026-03-02, by: alice}\n",
        "  - {stage: development, date: 2026-03-02, by: &who alice}\n"
        "  - {stage: staging, date: 2026-03-03, by: *who}\n",
    )
    root = make_catalog({"models/fraud/2.1.0.yaml": aliased})
    result = runner.invoke(
        cli,
        [
            "promote",
            "fraud@2.1.0",
            "production",
            "--by",
            "bob",
            "--approved-by",
            "carol",
            "--date",
            "2026-03-10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (root / "models/fraud/2.1.0.yaml").read_text() == aliased + (
        "  - {stage: production, date: 2026-03-10, by: bob, approved_by: [carol]}\n"
    )


def test_a_promotion_editing_two_files_writes_both_or_neither(
    runner: CliRunner, make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog({"models/fraud/2.1.0.yaml": STAGED})
    before = snapshot(root)
    real_replace = os.replace
    calls: list[str] = []

    def second_fails(source: str | Path, target: str | Path) -> None:
        calls.append(str(target))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    result = runner.invoke(
        cli,
        [
            "promote",
            "fraud@2.1.0",
            "production",
            "--by",
            "bob",
            "--approved-by",
            "carol",
            "--date",
            "2026-03-10",
        ],
    )
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code != 0
    assert "No space left on device" in result.output
    written = [Path(target).resolve() for target in calls[:2]]
    assert written == [(root / "models/fraud/2.1.0.yaml").resolve(), (root / V2).resolve()]
    assert snapshot(root) == before  # the first file is back as it was, nothing left over
    assert runner.invoke(cli, ["validate", str(root), "--today", "2026-11-26"]).exit_code == 0
