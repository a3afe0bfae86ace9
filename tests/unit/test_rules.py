"""A catalog per case of each rule (tests/helpers/rule_cases.py), breaking exactly that rule:
the code, the file and the line; and the rules' cases that need a test of their own."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from modelcards.codes import RULES
from modelcards.validate import validate_catalog

from ..helpers.catalogs import BASE, SMALL, V2, CatalogMaker, M, edit
from ..helpers.rule_cases import CASES, TODAY, Case


def test_every_rule_has_a_case() -> None:
    # MC017 has its own test below; history codes (MC06x) are tested in test_history.py.
    single_catalog_rules = {code for code in RULES if code < "MC060" or "MC080" <= code <= "MC084"}
    assert sorted({case.code for case in CASES} | {"MC017"}) == sorted(single_catalog_rules)


def test_every_case_has_its_own_id() -> None:
    ids = [case.id for case in CASES]
    assert sorted(case_id for case_id in ids if ids.count(case_id) > 1) == []


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule(case: Case, make_catalog: CatalogMaker) -> None:
    root = make_catalog(case.files, raw=case.raw)
    result = validate_catalog(root, TODAY)
    matching = [p for p in result.problems if p.code == case.code]
    assert matching, f"{case.code} not reported; got {result.problems}"
    found = matching[0]
    assert found.file == root / case.file
    assert found.line == case.line
    assert case.fragment in found.message
    assert found.severity is RULES[case.code].severity
    # The catalog breaks exactly this rule (a structural error may hide other checks).
    assert {p.code for p in result.problems} == {case.code}


def test_base_catalog_is_valid(make_catalog: CatalogMaker) -> None:
    result = validate_catalog(make_catalog(), TODAY)
    assert result.problems == []
    assert sorted(result.catalog.versions) == ["fraud@1.0.0", "fraud@2.0.0", "small@0.1.0"]


def test_unreadable_file(make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permissions do not stop root (CI runs as root), so the failing read is simulated.
    root = make_catalog()
    card = root / "datasets" / "tx.yaml"
    real_open = os.open

    def refusing_open(path: str | Path, flags: int, *args: int) -> int:
        if Path(path) == card:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    result = validate_catalog(root, TODAY)
    unreadable = [p for p in result.problems if p.file == card]
    assert [(p.code, p.message) for p in unreadable] == [
        ("MC017", "cannot read the file: Permission denied")
    ]


def test_an_earlier_replacement_may_be_deprecated_since(make_catalog: CatalogMaker) -> None:
    # A chain: 1.0.0 was replaced by 2.0.0, which is later replaced by 3.0.0. The record of
    # 1.0.0 stays valid; only a deprecation in force must point at a live version.
    v3 = (
        textwrap.dedent(BASE[V2])
        .replace('"2.0.0"', '"3.0.0"')
        .replace("2026-01-", "2026-03-")
        .replace("fraud@1.0.0, relation: retrained", "fraud@2.0.0, relation: retrained")
    )
    files = (
        edit(
            V2,
            "approved_by: [carol]}",
            "approved_by: [carol]}\n  - {stage: deprecated, date: 2026-04-01, by: bob, reason: Superseded, replaced_by: 3.0.0}",
        )
        | {"models/fraud/3.0.0.yaml": v3}
        | edit(M, 'champion: "2.0.0"', 'champion: "3.0.0"')
    )
    result = validate_catalog(make_catalog(files), TODAY)
    assert result.problems == []


def test_replacements_must_not_loop(make_catalog: CatalogMaker) -> None:
    # 2.0.0's deprecation names 1.0.0, deprecated since: that event closes the loop.
    files = edit(
        V2,
        "approved_by: [carol]}",
        "approved_by: [carol]}\n  - {stage: deprecated, date: 2026-04-01, by: bob, approved_by: [carol], reason: Old, replaced_by: 1.0.0}",
    ) | edit(M, 'aliases: {champion: "2.0.0"}\n', "")
    result = validate_catalog(make_catalog(files), TODAY)
    assert [(p.code, p.file.name, p.line, p.message) for p in result.problems] == [
        (
            "MC034",
            "2.0.0.yaml",
            16,
            "replaced_by fraud@1.0.0 was already deprecated (on 2026-01-20) when this deprecation "
            "was recorded on 2026-04-01; point users at a version they can still move to",
        )
    ]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_metrics_must_be_finite(make_catalog: CatalogMaker, value: str) -> None:
    root = make_catalog(edit(V2, "value: 0.91", f"value: {value}"))
    result = validate_catalog(root, TODAY)
    assert [(p.code, p.line, p.message) for p in result.problems] == [
        ("MC004", 10, "metrics[0].value: input should be a finite number")
    ]


def test_card_text_cannot_split_a_report_line(make_catalog: CatalogMaker) -> None:
    root = make_catalog(edit(SMALL, "model: fraud@2.0.0", 'model: "fraud@2.0.0\\n::warning::x"'))
    result = validate_catalog(root, TODAY)
    assert [p.code for p in result.problems] == ["MC022"]
    assert "\n" not in result.problems[0].message
    assert "fraud@2.0.0\\n::warning::x" in result.problems[0].message


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "released: 2026-01-05",
            'released: "2026-01-05"',
            2,
            "released: '2026-01-05' is quoted, which makes it text; write the date without quotes",
        ),
        (
            "released: 2026-01-05",
            "released: 2026-01-05T10:00:00Z",
            2,
            "released: expected a date without a time, got 2026-01-05T10:00:00+00:00; write 2026-01-05",
        ),
        (
            'commit: "5a3b2c1d"',
            "commit: 12345678",
            7,
            'training.code.commit: expected text, got the number 12345678; put it in quotes ("12345678") so YAML reads it as text',
        ),
        (
            "data: [tx@2025-Q4]",
            "data: [tx@2025-Q4]\n  hyperparameters: {~: 1}",
            9,
            "training.hyperparameters: the key None must be text; put it in quotes",
        ),
    ],
)
def test_type_errors_say_what_would_be_right(
    make_catalog: CatalogMaker, old: str, new: str, line: int, message: str
) -> None:
    result = validate_catalog(make_catalog(edit(V2, old, new)), TODAY)
    assert [(p.code, p.line, p.message) for p in result.problems] == [("MC004", line, message)]


POLICY = "production: [artifacts.sha256, training.code.commit, training.data, metrics, approved_by]"


def _with_policy(production: str, *more: dict[str, str]) -> dict[str, str]:
    files = edit("catalog.yaml", POLICY, f"production: {production}")
    for extra in more:
        files |= extra
    return files


def test_a_requirement_can_apply_from_a_date(make_catalog: CatalogMaker) -> None:
    # A team adds a requirement its published versions do not meet: fraud@1.0.0 entered
    # production on 2025-10-10 and fraud@2.0.0 on 2026-01-20, neither with hyperparameters,
    # and neither card may change to add them. Written with a date, the requirement binds
    # the versions entering production from then on.
    plain = make_catalog(_with_policy("[training.hyperparameters]"))
    found = [(p.code, p.file.name) for p in validate_catalog(plain, TODAY).problems]
    assert found == [("MC040", "1.0.0.yaml"), ("MC040", "2.0.0.yaml")]
    message = validate_catalog(plain, TODAY).problems[0].message
    assert message.endswith(
        "; if the version reached it before the policy required this, the requirement can "
        "apply from a date instead: `{field: training.hyperparameters, since: YYYY-MM-DD}`"
    )
    dated = make_catalog(_with_policy("[{field: training.hyperparameters, since: 2026-01-01}]"))
    problems = validate_catalog(dated, TODAY).problems
    assert [(p.code, p.file.name, p.line) for p in problems] == [
        ("MC040", "2.0.0.yaml", 6)
    ]  # training:
    assert problems[0].message == (
        "a version that has reached production must have training.hyperparameters "
        "(catalog.yaml policy.require); training.hyperparameters is missing or empty"
    )
    later = make_catalog(_with_policy("[{field: training.hyperparameters, since: 2026-01-21}]"))
    assert validate_catalog(later, TODAY).problems == []


def test_a_version_reaching_the_stage_today_is_not_told_to_date_the_requirement(
    make_catalog: CatalogMaker,
) -> None:
    # small@0.1.0 is promoted today: it is the one to comply, not a record to exempt.
    promoted = edit(
        SMALL,
        "by: dana}",
        f"by: dana}}\n  - {{stage: production, date: {TODAY.isoformat()}, by: dana}}",
    )
    root = make_catalog(_with_policy("[training.hyperparameters]", promoted))
    problems = validate_catalog(root, TODAY).problems
    said = {p.file.name: p.message for p in problems if p.code == "MC040"}
    assert said["0.1.0.yaml"] == (
        "a version that has reached production must have training.hyperparameters "
        "(catalog.yaml policy.require); training is missing or empty"
    )
    assert said["2.0.0.yaml"].endswith("since: YYYY-MM-DD}`")  # reached it in January


def test_an_approver_can_be_required_from_a_date(make_catalog: CatalogMaker) -> None:
    # fraud@1.0.0's production event of 2025-10-10 names no approver.
    unapproved = edit(
        "models/fraud/1.0.0.yaml",
        "{stage: production, date: 2025-10-10, by: alice, approved_by: [carol]}",
        "{stage: production, date: 2025-10-10, by: alice}",
    )
    plain = make_catalog(_with_policy("[approved_by]", unapproved))
    assert [(p.code, p.file.name) for p in validate_catalog(plain, TODAY).problems] == [
        ("MC040", "1.0.0.yaml")
    ]
    dated = make_catalog(_with_policy("[{field: approved_by, since: 2026-01-01}]", unapproved))
    assert validate_catalog(dated, TODAY).problems == []


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "{field: training.data, sinc: 2026-01-01}",
            "MC003 unknown field 'sinc'; did you mean 'since'?",
        ),
        (
            "{field: training.data, since: soon}",
            "MC004 policy.require.production[0].since: expected a date such as 2026-01-05, "
            "got the text 'soon'",
        ),
        (
            "{since: 2026-01-01}",
            "MC005 missing required field 'field' in policy.require.production[0]",
        ),
        (
            "{field: training.dta, since: 2026-01-01}",
            "MC043 policy.require names 'training.dta', which is not a field of a version card",
        ),
    ],
)
def test_a_dated_requirement_written_wrong(
    make_catalog: CatalogMaker, entry: str, expected: str
) -> None:
    root = make_catalog(_with_policy(f"[{entry}]"))
    problems = validate_catalog(root, TODAY).problems
    said = [f"{p.code} {p.message}" for p in problems if p.file.name == "catalog.yaml"]
    assert said and said[0].startswith(expected), said
