"""The promotion gate and the order of events: compared with whatever was in production at
the moment of the promotion, same-day events included, and never a silent pass."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.validate import validate_catalog

from ..helpers.catalogs import CatalogMaker, edit
from ..helpers.gate import MODEL, gated

TODAY = dt.date(2026, 11, 26)


def auc(value: float, split: str = "test", dataset: str = "tx@2025-Q4") -> str:
    return f"{{name: auc, value: {value}, dataset: {dataset}, split: {split}}}"


def production(date: str, extra: str = "") -> str:
    return f"{{stage: production, date: {date}, by: bob, approved_by: [carol]{extra}}}"


def problems(make_catalog: CatalogMaker, versions: dict[str, str]) -> list[tuple[str, str, int]]:
    files: dict[str, str | None] = {"models/gated/model.yaml": MODEL}
    files |= {f"models/gated/{name}.yaml": text for name, text in versions.items()}
    result = validate_catalog(make_catalog(files), TODAY)
    return [(p.code, p.file.name, p.line) for p in result.problems]


def messages(make_catalog: CatalogMaker, versions: dict[str, str]) -> list[str]:
    files: dict[str, str | None] = {"models/gated/model.yaml": MODEL}
    files |= {f"models/gated/{name}.yaml": text for name, text in versions.items()}
    return [p.message for p in validate_catalog(make_catalog(files), TODAY).problems]


STAGING = "{stage: staging, date: 2026-03-01, by: alice}"


def test_a_promotion_on_the_day_the_incumbent_was_promoted_is_compared_with_it(
    make_catalog: CatalogMaker,
) -> None:
    # A (0.95) and B (0.80) both enter production on 2026-03-10, splitting traffic: which
    # came first is unknown, so B is compared with A (and A with B, which it beats).
    versions = {
        "1.0.0": gated("1.0.0", [auc(0.95)], [STAGING, production("2026-03-10", ", traffic: 50")]),
        "2.0.0": gated("2.0.0", [auc(0.80)], [STAGING, production("2026-03-10", ", traffic: 50")]),
    }
    assert problems(make_catalog, versions) == [("MC041", "2.0.0.yaml", 13)]
    # The message says the comparison comes from the unknown order, and how a published
    # event (which may not change, so takes no `override:`) gets out of it.
    assert messages(make_catalog, versions) == [
        "promotion to production regresses auc on tx@2025-Q4 (test) from 0.95 (gated@1.0.0, in "
        "production on 2026-03-10 too, before or after this event: no `time` orders them) to "
        "0.8, by 0.15, more than the gate's 0.01; improve the model or add `override: "
        "<justification>` to this event; if this event is already published, promote "
        "gated@1.0.0 on another day instead"
    ]


def test_a_canary_and_a_full_rollout_on_one_day(make_catalog: CatalogMaker) -> None:
    # 1.0.0 goes to production as a 10% canary and to 100% the same day; 2.0.0 (worse)
    # replaces it that day too. Whatever the order, 2.0.0 met 1.0.0 in production.
    versions = {
        "1.0.0": gated(
            "1.0.0",
            [auc(0.95)],
            [
                STAGING,
                production("2026-03-10", ", traffic: 10"),
                production("2026-03-10"),
                "{stage: archived, date: 2026-03-10, by: bob}",
            ],
        ),
        "2.0.0": gated("2.0.0", [auc(0.80)], [STAGING, production("2026-03-10")]),
    }
    assert problems(make_catalog, versions) == [("MC041", "2.0.0.yaml", 13)]


def test_times_order_events_of_one_date(make_catalog: CatalogMaker) -> None:
    # With times, the order is known: 2.0.0 at 08:00 came before 1.0.0 at 09:00 and met
    # nothing in production; 1.0.0, better than 2.0.0, passes its own gate.
    early = {
        "1.0.0": gated(
            "1.0.0",
            [auc(0.95)],
            [STAGING, production("2026-03-10", ', time: "09:00", traffic: 50')],
        ),
        "2.0.0": gated(
            "2.0.0",
            [auc(0.80)],
            [STAGING, production("2026-03-10", ', time: "08:00", traffic: 50')],
        ),
    }
    assert problems(make_catalog, early) == []
    late = {
        **early,
        "2.0.0": gated(
            "2.0.0",
            [auc(0.80)],
            [STAGING, production("2026-03-10", ', time: "14:30", traffic: 50')],
        ),
    }
    assert problems(make_catalog, late) == [("MC041", "2.0.0.yaml", 13)]


def test_a_time_is_quoted_and_never_goes_backwards_within_a_card(
    make_catalog: CatalogMaker,
) -> None:
    unquoted = {
        "1.0.0": gated("1.0.0", [auc(0.95)], [STAGING, production("2026-03-10", ", time: 14:30")])
    }
    assert messages(make_catalog, unquoted) == [
        'lifecycle[1].time: write the time in quotes, "14:30": unquoted, YAML reads it as the '
        "number 870"
    ]
    backwards = {
        "1.0.0": gated(
            "1.0.0",
            [auc(0.95)],
            [
                '{stage: staging, date: 2026-03-10, time: "12:00", by: alice}',
                production("2026-03-10", ', time: "09:00"'),
            ],
        )
    }
    assert problems(make_catalog, backwards) == [("MC030", "1.0.0.yaml", 13)]


def test_no_comparable_reading_is_an_error_unless_overridden(make_catalog: CatalogMaker) -> None:
    first = gated(
        "1.0.0",
        [auc(0.95)],
        [STAGING, production("2026-03-05"), "{stage: archived, date: 2026-03-10, by: bob}"],
    )
    other_split = gated(
        "2.0.0", [auc(0.80, split="validation")], [STAGING, production("2026-03-10")]
    )
    versions = {"1.0.0": first, "2.0.0": other_split}
    assert problems(make_catalog, versions) == [("MC045", "2.0.0.yaml", 13)]
    assert messages(make_catalog, versions) == [
        "promotion to production cannot be gated: gated@2.0.0 and gated@1.0.0 (in production "
        "before) report auc on no common dataset version and split (gated@2.0.0: "
        "tx@2025-Q4 (validation); gated@1.0.0: tx@2025-Q4 (test)); report auc of gated@2.0.0 "
        "on tx@2025-Q4 (test), or add `override: <justification>` to this event"
    ]
    other_dataset = {
        **versions,
        "2.0.0": gated(
            "2.0.0", [auc(0.80, dataset="tx@2025-Q3")], [STAGING, production("2026-03-10")]
        ),
    }
    assert problems(make_catalog, other_dataset) == [("MC045", "2.0.0.yaml", 13)]
    overridden = {
        **versions,
        "2.0.0": gated(
            "2.0.0",
            [auc(0.80, split="validation")],
            [
                STAGING,
                production("2026-03-10", ', override: "Validation split only, accepted by carol"'),
            ],
        ),
    }
    assert problems(make_catalog, overridden) == []


def test_a_candidate_without_the_gated_metric_cannot_pass(make_catalog: CatalogMaker) -> None:
    first = gated(
        "1.0.0",
        [auc(0.95)],
        [STAGING, production("2026-03-05"), "{stage: archived, date: 2026-03-10, by: bob}"],
    )
    silent = gated(
        "2.0.0",
        ["{name: f1, value: 0.5, dataset: tx@2025-Q4, split: test}"],
        [STAGING, production("2026-03-10")],
    )
    assert messages(make_catalog, {"1.0.0": first, "2.0.0": silent}) == [
        "promotion to production cannot be gated: gated@2.0.0 reports no auc without a slice "
        "to compare with gated@1.0.0 (in production before, on tx@2025-Q4 (test)); report auc "
        "of gated@2.0.0 on tx@2025-Q4 (test), or add `override: <justification>` to this event"
    ]


def test_a_gate_on_a_model_without_a_primary_metric_cannot_pass(
    make_catalog: CatalogMaker,
) -> None:
    files = {
        "models/gated/model.yaml": MODEL.replace("primary_metric: auc\n", ""),
        "models/gated/1.0.0.yaml": gated(
            "1.0.0",
            [auc(0.95)],
            [STAGING, production("2026-03-05"), "{stage: archived, date: 2026-03-10, by: bob}"],
        ),
        "models/gated/2.0.0.yaml": gated("2.0.0", [auc(0.80)], [STAGING, production("2026-03-10")]),
    }
    result = validate_catalog(make_catalog(files), TODAY)
    assert [(p.code, p.file.name, p.line, p.message) for p in result.problems] == [
        (
            "MC045",
            "2.0.0.yaml",
            13,
            "promotion to production cannot be gated: the catalog gates the primary metric and "
            "gated has no primary_metric; set it in model.yaml, or add "
            "`override: <justification>` to this event",
        )
    ]


def test_the_first_production_version_is_not_gated(make_catalog: CatalogMaker) -> None:
    versions = {
        "1.0.0": gated("1.0.0", [auc(0.5, split="validation")], [STAGING, production("2026-03-05")])
    }
    assert problems(make_catalog, versions) == []


def test_an_event_after_today_is_an_error(make_catalog: CatalogMaker) -> None:
    files = edit(
        "models/small/0.1.0.yaml",
        "by: dana}",
        "by: dana}\n  - {stage: staging, date: 2026-12-01, by: dana}",
    )
    result = validate_catalog(make_catalog(files), TODAY)
    assert [(p.code, p.line, p.column, p.message) for p in result.problems] == [
        (
            "MC037",
            8,
            28,
            "staging event dated 2026-12-01 is after today (2026-11-26); the lifecycle records "
            "what has happened: add the event on the day it happens",
        )
    ]


@pytest.fixture
def runner(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    return runner


def test_edits_refuse_a_date_after_today(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    before = (root / "models/small/0.1.0.yaml").read_bytes()
    result = runner.invoke(
        cli, ["promote", "small@0.1.0", "staging", "--by", "dana", "--date", "2031-01-01"]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: --date 2031-01-01 is after today (2026-11-26); the lifecycle records what has "
        "happened, so record the event on the day it happens (nothing was written)\n"
    )
    assert (root / "models/small/0.1.0.yaml").read_bytes() == before
    for args in (["deprecate", "fraud@2.0.0", "--reason", "x"], ["retire", "fraud@1.0.0"]):
        result = runner.invoke(cli, [*args, "--by", "bob", "--date", "2026-11-27"])
        assert result.exit_code == 1
        assert "--date 2026-11-27 is after today (2026-11-26)" in result.output


def test_get_never_answers_from_the_future(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog(
        edit(
            "models/small/0.1.0.yaml",
            "by: dana}",
            "by: dana}\n  - {stage: staging, date: 2031-01-01, by: dana}",
        )
    )
    result = runner.invoke(cli, ["get", "small@staging"])
    assert result.exit_code == 1
    assert "MC037" in result.output


def test_edits_record_a_time_of_day(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    result = runner.invoke(
        cli,
        [
            "promote",
            "small@0.1.0",
            "staging",
            "--by",
            "dana",
            "--date",
            "2026-03-01",
            "--time",
            "14:30",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        (root / "models/small/0.1.0.yaml")
        .read_text()
        .endswith('  - {stage: staging, date: 2026-03-01, time: "14:30", by: dana}\n')
    )
    assert validate_catalog(root, TODAY).problems == []
    wrong = runner.invoke(cli, ["retire", "small@0.1.0", "--by", "dana", "--time", "9:30"])
    assert wrong.exit_code == 2
    assert "'9:30' is not a time of day as HH:MM (UTC), such as 14:30" in wrong.output


def _promote(runner: CliRunner, target: str, epoch: str, *options: str) -> str:
    """`modelcards promote TARGET production` at the moment SOURCE_DATE_EPOCH says."""
    result = runner.invoke(
        cli,
        ["promote", target, "production", "--by", "bob", "--approved-by", "carol", *options],
        env={"SOURCE_DATE_EPOCH": epoch},
    )
    return result.output


def test_two_promotions_made_on_one_day_are_in_the_order_they_were_made(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    # The day one of a registry: 1.0.0 goes to production in the morning, 2.0.0 (no reading
    # comparable with it) in the afternoon. Each command writes the UTC time, so 1.0.0's
    # published event is not judged against 2.0.0 (before: MC045 on 1.0.0's event too, which
    # no change to the new event could clear), and 2.0.0 passes with an override.
    staged = [STAGING.replace("2026-03-01", "2026-11-01")]
    root = make_catalog(
        {
            "models/gated/model.yaml": MODEL,
            "models/gated/1.0.0.yaml": gated("1.0.0", [auc(0.9)], staged),
            "models/gated/2.0.0.yaml": gated("2.0.0", [auc(0.95, dataset="tx@2025-Q3")], staged),
        }
    )
    morning, afternoon = "1795687200", "1795705200"  # 2026-11-26 10:00 and 15:00 UTC
    assert _promote(runner, "gated@1.0.0", morning).startswith("wrote ")
    assert (
        (root / "models/gated/1.0.0.yaml")
        .read_text()
        .endswith(
            '  - {stage: production, date: 2026-11-26, time: "10:00", by: bob, approved_by: '
            "[carol]}\n"
        )
    )
    refused = _promote(runner, "gated@2.0.0", afternoon)
    assert refused.splitlines()[1:] == [
        "gated@2.0.0, the new production event: error MC045 promotion to production cannot be "
        "gated: gated@2.0.0 and gated@1.0.0 (in production before) report auc on no common "
        "dataset version and split (gated@2.0.0: tx@2025-Q3 (test); gated@1.0.0: tx@2025-Q4 "
        '(test)); report auc of gated@2.0.0 on tx@2025-Q4 (test), or pass --override "<justification>"'
    ]
    assert _promote(runner, "gated@2.0.0", afternoon, "--override", "New test set").startswith(
        "wrote "
    )
    # The version it replaced is archived at the same moment.
    assert (
        (root / "models/gated/1.0.0.yaml")
        .read_text()
        .endswith(
            '  - {stage: archived, date: 2026-11-26, time: "15:00", by: bob, reason: Replaced in '
            "production by 2.0.0}\n"
        )
    )
    assert validate_catalog(root, TODAY).problems == []


def test_an_event_given_a_date_gets_no_time_unless_given_one(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    result = runner.invoke(
        cli,
        ["retire", "small@0.1.0", "--by", "dana", "--date", "2026-11-26"],
        env={"SOURCE_DATE_EPOCH": "1795705200"},
    )
    assert result.exit_code == 0, result.output
    assert (
        (root / "models/small/0.1.0.yaml")
        .read_text()
        .endswith("  - {stage: retired, date: 2026-11-26, by: dana}\n")
    )


OUT = "{stage: archived, date: 2026-04-01, by: bob}"


def test_readings_on_data_published_after_a_promotion_do_not_rejudge_it(
    make_catalog: CatalogMaker,
) -> None:
    # 2.0.0 replaced 1.0.0 on 2026-04-01, better on tx@2025-Q4. In July the team evaluates
    # both on the new tx@2026-Q2 and appends the readings (a record allows it): 2.0.0 is
    # worse there. Its published promotion stays as it was judged; with data that existed at
    # the promotion (dated before it), the same readings are compared.
    def catalog(q2_date: str) -> list[tuple[str, str, int]]:
        tx = edit(
            "datasets/tx.yaml",
            "- {version: 2025-Q4, date: 2026-01-02}",
            f"- {{version: 2025-Q4, date: 2026-01-02}}\n  - {{version: 2026-Q2, date: {q2_date}}}",
        )
        new = auc(0.99, dataset="tx@2026-Q2"), auc(0.90, dataset="tx@2026-Q2")
        versions = {
            "1.0.0": gated("1.0.0", [auc(0.95), new[0]], [STAGING, production("2026-03-10"), OUT]),
            "2.0.0": gated("2.0.0", [auc(0.96), new[1]], [STAGING, production("2026-04-01")]),
        }
        files: dict[str, str | None] = {"models/gated/model.yaml": MODEL, **tx}
        files |= {f"models/gated/{name}.yaml": text for name, text in versions.items()}
        result = validate_catalog(make_catalog(files), TODAY)
        return [(p.code, p.file.name, p.line) for p in result.problems if p.is_error]

    assert catalog("2026-07-01") == []
    assert catalog("2026-03-20") == [("MC041", "2.0.0.yaml", 14)]


def test_a_reading_measured_after_a_promotion_does_not_rejudge_it(
    make_catalog: CatalogMaker,
) -> None:
    # 2.0.0 replaced 1.0.0 on 2026-04-01, better on tx@2025-Q4. In July the team evaluates
    # both on tx@2025-Q3, data that existed at the promotion, and appends the readings: 2.0.0
    # is worse there. Said to be measured in July, the readings leave the published promotion
    # as it was judged; without the day they judge it again, and the error says the way out.
    def versions(measured: str, on_old: str = "") -> dict[str, str]:
        later = auc(0.99, dataset="tx@2025-Q3")[:-1] + on_old + "}"
        worse = auc(0.90, dataset="tx@2025-Q3")[:-1] + measured + "}"
        return {
            "1.0.0": gated("1.0.0", [auc(0.95), later], [STAGING, production("2026-03-10"), OUT]),
            "2.0.0": gated("2.0.0", [auc(0.96), worse], [STAGING, production("2026-04-01")]),
        }

    def errors(measured: str, on_old: str = "") -> list[tuple[str, str, int]]:
        files: dict[str, str | None] = {"models/gated/model.yaml": MODEL}
        files |= {
            f"models/gated/{name}.yaml": text for name, text in versions(measured, on_old).items()
        }
        result = validate_catalog(make_catalog(files), TODAY)
        return [(p.code, p.file.name, p.line) for p in result.problems if p.is_error]

    assert errors(", measured: 2026-07-02") == []
    assert errors("", on_old=", measured: 2026-07-02") == []  # either side measured later
    assert errors(", measured: 2026-04-01") == [("MC041", "2.0.0.yaml", 14)]  # that day: part of it
    assert errors("") == [("MC041", "2.0.0.yaml", 14)]
    files: dict[str, str | None] = {"models/gated/model.yaml": MODEL}
    files |= {f"models/gated/{name}.yaml": text for name, text in versions("").items()}
    found = validate_catalog(make_catalog(files), TODAY).problems
    [message] = [p.message for p in found if p.code == "MC041"]
    assert message.endswith(
        "; if this event is already published, give a reading added after the promotion the "
        "day it was measured (`measured: YYYY-MM-DD`): it is then no part of this gate"
    )


def test_a_reading_is_measured_between_the_release_and_today(make_catalog: CatalogMaker) -> None:
    def measured(day: str) -> list[tuple[str, str, int]]:
        reading = auc(0.95)[:-1] + f", measured: {day}}}"
        return problems(make_catalog, {"1.0.0": gated("1.0.0", [reading], [STAGING])})

    assert measured("2026-03-01") == []  # released on 2026-03-01 (helpers.gate)
    assert measured(str(TODAY)) == []
    assert measured("2026-02-28") == [("MC049", "1.0.0.yaml", 10)]
    assert measured("2026-11-27") == [("MC049", "1.0.0.yaml", 10)]
    early = auc(0.95)[:-1] + ", measured: 2026-02-28}"
    [before] = messages(make_catalog, {"1.0.0": gated("1.0.0", [early], [STAGING])})
    assert before == "auc measured on 2026-02-28 is before the version was released on 2026-03-01"


def test_readings_all_measured_after_a_promotion_leave_it_ungated(
    make_catalog: CatalogMaker,
) -> None:
    # The only reading both versions have was measured after the promotion: the gate cannot
    # compare (MC045), and says why, rather than that the two share no dataset and split.
    later = auc(0.90)[:-1] + ", measured: 2026-07-02}"
    versions = {
        "1.0.0": gated("1.0.0", [auc(0.95)], [STAGING, production("2026-03-10"), OUT]),
        "2.0.0": gated("2.0.0", [later], [STAGING, production("2026-04-01")]),
    }
    assert problems(make_catalog, versions) == [("MC045", "2.0.0.yaml", 13)]
    assert messages(make_catalog, versions) == [
        "promotion to production cannot be gated: gated@2.0.0 and gated@1.0.0 (in production "
        "before) report auc on tx@2025-Q4 (test) only in readings measured after this promotion "
        "(a `measured` day after it, or a dataset version dated after it), which are no part of "
        "its gate; date the promotion on or after the day they were measured, or add "
        "`override: <justification>` to this event"
    ]
