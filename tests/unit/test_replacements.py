"""Replacements: a deprecation names a version users can still move to on its date; a
replacement deprecated or retired later leaves the older record valid, and pages and `get`
follow the chain to the current replacement."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.validate import validate_catalog

from ..helpers.catalogs import BASE, V1, V2, CatalogMaker, M, edit
from ..helpers.site import TODAY, site_files, text

V3 = "models/fraud/3.0.0.yaml"
THIRD = (
    textwrap.dedent(BASE[V2])
    .replace('"2.0.0"', '"3.0.0"')
    .replace("2026-01-", "2026-03-")
    .replace("fraud@1.0.0, relation: retrained", "fraud@2.0.0, relation: retrained")
)


def with_events(name: str, *events: str) -> dict[str, str | None]:
    """BASE's card `name` with lifecycle events appended."""
    return {name: textwrap.dedent(BASE[name]) + "".join(f"  - {e}\n" for e in events)}


def problems(
    make_catalog: CatalogMaker, files: dict[str, str | None]
) -> list[tuple[str, str, int, str]]:
    result = validate_catalog(make_catalog(files), TODAY)
    return [(p.code, p.file.name, p.line, p.message) for p in result.problems]


def test_a_replacement_already_deprecated_on_the_date_is_an_error(
    make_catalog: CatalogMaker,
) -> None:
    # 2.0.0 is deprecated (for 3.0.0) on 2026-04-01; on 2026-05-01 small@0.1.0 is
    # deprecated in favour of fraud@2.0.0, which users could no longer move to.
    files = (
        with_events(
            V2, "{stage: deprecated, date: 2026-04-01, by: bob, reason: Old, replaced_by: 3.0.0}"
        )
        | {V3: THIRD}
        | edit(M, 'champion: "2.0.0"', 'champion: "3.0.0"')
        | with_events(
            "models/small/0.1.0.yaml",
            "{stage: staging, date: 2026-03-15, by: dana}",
            "{stage: deprecated, date: 2026-05-01, by: dana, reason: Moved, replaced_by: fraud@2.0.0}",
        )
    )
    assert problems(make_catalog, files) == [
        (
            "MC034",
            "0.1.0.yaml",
            9,
            "replaced_by fraud@2.0.0 was already deprecated (on 2026-04-01) when this deprecation "
            "was recorded on 2026-05-01; point users at a version they can still move to, such as "
            "fraud@3.0.0, its own replacement",
        )
    ]


def test_a_replacement_deprecated_the_same_day_counts_as_already_deprecated(
    make_catalog: CatalogMaker,
) -> None:
    files = (
        with_events(
            V2, "{stage: deprecated, date: 2026-04-01, by: bob, reason: Old, replaced_by: 3.0.0}"
        )
        | {V3: THIRD}
        | edit(M, 'champion: "2.0.0"', 'champion: "3.0.0"')
        | with_events(
            "models/small/0.1.0.yaml",
            "{stage: staging, date: 2026-03-15, by: dana}",
            "{stage: deprecated, date: 2026-04-01, by: dana, reason: Moved, replaced_by: fraud@2.0.0}",
        )
    )
    assert [p[:3] for p in problems(make_catalog, files)] == [("MC034", "0.1.0.yaml", 9)]
    timed = (
        with_events(
            V2,
            '{stage: deprecated, date: 2026-04-01, time: "15:00", by: bob, reason: Old, replaced_by: 3.0.0}',
        )
        | {V3: THIRD}
        | edit(M, 'champion: "2.0.0"', 'champion: "3.0.0"')
        | with_events(
            "models/small/0.1.0.yaml",
            "{stage: staging, date: 2026-03-15, by: dana}",
            '{stage: deprecated, date: 2026-04-01, time: "09:00", by: dana, reason: Moved, replaced_by: fraud@2.0.0}',
        )
    )
    assert problems(make_catalog, timed) == []


def test_deprecating_a_replacement_without_one_of_its_own_is_the_error(
    make_catalog: CatalogMaker,
) -> None:
    # 1.0.0 sends its users to 2.0.0. Deprecating 2.0.0 with no replacement would strand them:
    # the new event is what is wrong, not 1.0.0's record, which was right when written.
    files = with_events(
        V2, "{stage: deprecated, date: 2026-04-01, by: bob, approved_by: [carol], reason: Old}"
    ) | edit(M, 'aliases: {champion: "2.0.0"}\n', "")
    assert problems(make_catalog, files) == [
        (
            "MC034",
            "2.0.0.yaml",
            16,
            "fraud@1.0.0 is deprecated in favour of fraud@2.0.0 (since 2026-01-20): deprecating "
            "fraud@2.0.0 without `replaced_by` leaves its users nowhere to go; name a replacement, "
            "or retire fraud@1.0.0 first",
        )
    ]
    retired_first = files | with_events(V1, "{stage: retired, date: 2026-03-01, by: bob}")
    assert problems(make_catalog, retired_first) == []


def test_a_replacement_retired_after_naming_its_own_keeps_the_chain(
    make_catalog: CatalogMaker,
) -> None:
    files = (
        with_events(
            V2,
            "{stage: deprecated, date: 2026-04-01, by: bob, reason: Old, replaced_by: 3.0.0}",
            "{stage: retired, date: 2026-05-01, by: bob}",
        )
        | {V3: THIRD}
        | edit(M, 'champion: "2.0.0"', 'champion: "3.0.0"')
    )
    assert problems(make_catalog, files) == []
    page = text(site_files(make_catalog(files))["models/fraud/1.0.0/index.html"])
    assert (
        "Use fraud@3.0.0 instead ( fraud@2.0.0 , named when it was deprecated, is retired since)."
        in page
    )


def test_replacements_that_would_loop_are_refused_where_the_loop_closes(
    make_catalog: CatalogMaker,
) -> None:
    files = with_events(
        V2,
        "{stage: deprecated, date: 2026-04-01, by: bob, approved_by: [carol], reason: Old, replaced_by: 1.0.0}",
    ) | edit(M, 'aliases: {champion: "2.0.0"}\n', "")
    assert [p[:3] for p in problems(make_catalog, files)] == [("MC034", "2.0.0.yaml", 16)]


@pytest.fixture
def runner(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    return runner


@pytest.mark.parametrize(
    ("replaced_by", "why"),
    [
        ("9.9.9", "model 'fraud' has no version 9.9.9; its versions are: 1.0.0, 2.0.0"),
        ("ghost@1.0.0", "there is no model 'ghost'; its models are: fraud, small"),
    ],
)
def test_a_replaced_by_that_does_not_exist_is_called_so(
    runner: CliRunner, make_catalog: CatalogMaker, replaced_by: str, why: str
) -> None:
    make_catalog()
    result = runner.invoke(
        cli,
        [
            "deprecate",
            "fraud@2.0.0",
            "--by",
            "bob",
            "--reason",
            "Old",
            "--replaced-by",
            replaced_by,
            "--approved-by",
            "carol",
        ],
    )
    assert result.exit_code == 1
    assert "loop" not in result.output
    assert result.output.splitlines()[1:] == [
        f"fraud@2.0.0, the new deprecated event: error MC025 replaced_by {replaced_by!r} does not "
        f"resolve: {why}"
    ]
