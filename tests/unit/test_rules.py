"""A catalog per case of each rule, breaking exactly that rule: the code, the file and the line.

A rule may have several cases (the same code, broken in another way or another place): each
has a `name`, and its test id is CODE-name (MC022-training-data); a rule's first case needs no
name (its id is the code)."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from modelcards.codes import RULES
from modelcards.validate import validate_catalog

from ..helpers.catalogs import BASE, SMALL, V1, V2, CatalogMaker, M, edit

TODAY = dt.date(2026, 11, 26)


@dataclass(frozen=True)
class Case:
    code: str
    file: str
    line: int
    files: Mapping[str, str | None]
    raw: dict[str, bytes] | None = None
    fragment: str = ""  # a piece of the message the user relies on
    name: str = ""  # what tells this case from the rule's other cases (none for the first)

    @property
    def id(self) -> str:
        return f"{self.code}-{self.name}" if self.name else self.code


CASES = [
    Case("MC001", M, 3, edit(M, "summary: Scores", "summary: [Scores"), fragment="syntax"),
    Case(
        "MC002",
        M,
        8,
        edit(M, "last_reviewed: 2026-06-01", "last_reviewed: 2026-06-01\ntask: x"),
        fragment="first defined on line 4",
    ),
    Case(
        "MC003",
        M,
        8,
        edit(M, "last_reviewed: 2026-06-01", "last_reviewed: 2026-06-01\nownr: x"),
        fragment="did you mean 'owners'",
    ),
    Case(
        "MC004",
        V1,
        3,
        edit(V1, "summary: First model.", "summary: [a, b]"),
        fragment="expected text",
    ),
    Case("MC005", M, 1, edit(M, "task: tabular-classification\n", ""), fragment="'task'"),
    Case(
        "MC006",
        "models/Fraud_X",
        1,
        {"models/Fraud_X/model.yaml": BASE["models/small/model.yaml"]},
        fragment="not a valid id",
    ),
    Case(
        "MC007",
        "models/fraud/v3.yaml",
        1,
        {"models/fraud/v3.yaml": "version: '3.0.0'\n"},
        fragment="SemVer",
    ),
    Case("MC008", V2, 1, edit(V2, 'version: "2.0.0"', 'version: "2.0.1"'), fragment="2.0.1.yaml"),
    Case(
        "MC009",
        "models/fraud/model.yml",
        1,
        {"models/fraud/model.yml": "name: x\n"},
        fragment="did you mean 'model.yaml'",
    ),
    Case(
        "MC010",
        "datasets/big.yaml",
        1,
        {},
        raw={"datasets/big.yaml": b"a: " + b"x" * 1_100_000},
        fragment="limit",
    ),
    Case(
        "MC011",
        "datasets/deep.yaml",
        1,
        {"datasets/deep.yaml": "a: " + "[" * 60 + "]" * 60 + "\n"},
        fragment="nesting",
    ),
    Case(
        "MC012",
        "datasets/laughs.yaml",
        1,
        {
            "datasets/laughs.yaml": "a: &a ["
            + ",".join(["x"] * 50)
            + "]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 50) + "]\n"
                for i in range(5)
            )
        },
        fragment="expands",
    ),
    Case(
        "MC013",
        "datasets/latin.yaml",
        2,
        {},
        raw={"datasets/latin.yaml": b"name: x\nsummary: caf\xe9\n"},
        fragment="UTF-8",
    ),
    Case(
        "MC014",
        M,
        2,
        edit(M, "summary: Scores", "summary: !!python/object:os.system Scores"),
        fragment="not allowed",
    ),
    Case(
        "MC015",
        "datasets/tx.yaml",
        7,
        edit("datasets/tx.yaml", "date: 2026-01-02}", "date: 2026-01-02}\n  - {version: 2025-Q3}"),
        fragment="already listed",
    ),
    Case(
        "MC016",
        "models/ghost/model.yaml",
        1,
        {"models/ghost/0.1.0.yaml": BASE[SMALL]},
        fragment="no model.yaml",
    ),
    Case(
        "MC018",
        "models/fraud/2.0.0+build.7.yaml",
        1,
        {
            "models/fraud/2.0.0+build.7.yaml": textwrap.dedent(BASE[SMALL])
            .replace('"0.1.0"', '"2.0.0+build.7"')
            .replace("2026-02-01", "2026-01-05")
        },
        fragment="differ only in build metadata",
    ),
    Case(
        "MC019",
        V1,
        12,
        # shows as "by: ecila" in a page or a PR summary: a name that is not what it says
        edit(V1, "by: alice}", 'by: "\\u202Eecila"}'),
        fragment="lifecycle[0].by: contains U+202E RIGHT-TO-LEFT OVERRIDE",
    ),
    Case(
        "MC020",
        SMALL,
        5,
        edit(SMALL, "fraud@2.0.0", "fraud@2.5.0"),
        fragment="its versions are: 1.0.0, 2.0.0",
    ),
    Case(
        "MC021",
        V2,
        8,
        edit(V2, "data: [tx@2025-Q4]", "data: [tx@2025-Q5]"),
        fragment="its versions are: 2025-Q3, 2025-Q4",
    ),
    Case(
        "MC022",
        SMALL,
        5,
        edit(SMALL, "model: fraud@2.0.0", "model: fraud-2.0.0"),
        fragment="<model>@<version>",
    ),
    Case(
        "MC022",
        V2,
        8,
        edit(V2, "data: [tx@2025-Q4]", "data: [tx-2025-Q4]"),
        fragment="<dataset>@<version>",
        name="training-data",
    ),
    Case(
        "MC023", M, 6, edit(M, 'champion: "2.0.0"', 'champion: "9.0.0"'), fragment="does not exist"
    ),
    Case(
        "MC024",
        V1,
        12,
        {
            V1: textwrap.dedent(BASE[V1]).replace(
                "lifecycle:", "lineage:\n  - {model: small@0.1.0, relation: merged}\nlifecycle:"
            ),
            SMALL: BASE[SMALL],
        },
        fragment="fraud@1.0.0 -> small@0.1.0 -> fraud@2.0.0 -> fraud@1.0.0",
    ),
    Case(
        "MC025",
        V1,
        14,
        edit(V1, "replaced_by: 2.0.0", "replaced_by: 2.1.0"),
        fragment="no version 2.1.0",
    ),
    Case(
        "MC026",
        M,
        6,
        edit(M, 'aliases: {champion: "2.0.0"}', 'aliases: {production: "2.0.0"}'),
        fragment="reads as a stage",
    ),
    Case(
        "MC030",
        V2,
        15,
        edit(
            V2,
            "date: 2026-01-05, by: alice}\n  - {stage: production, date: 2026-01-20",
            "date: 2026-01-10, by: alice}\n  - {stage: production, date: 2026-01-08",
        ),
        fragment="before the previous",
    ),
    Case(
        "MC031",
        V2,
        14,
        edit(V2, "stage: staging, date: 2026-01-05", "stage: staging, date: 2026-01-01"),
        fragment="before the version was released",
    ),
    Case(
        "MC032",
        V1,
        14,
        edit(V1, "stage: deprecated", "stage: development"),
        fragment="production -> development",
    ),
    Case("MC033", V1, 14, edit(V1, "reason: Superseded, ", ""), fragment="reason"),
    Case("MC034", V1, 14, edit(V1, "replaced_by: 2.0.0", "replaced_by: 1.0.0"), fragment="itself"),
    Case(
        "MC035",
        V2,
        15,
        # A canary: 1.0.0 stays in production at 50% while 2.0.0 takes 40%.
        edit(
            V1,
            "approved_by: [carol]}\n  - {stage: deprecated, date: 2026-01-20, by: bob, reason: Superseded, replaced_by: 2.0.0, sunset: 2027-01-01}",
            "approved_by: [carol], traffic: 50}",
        )
        | edit(V2, "approved_by: [carol]}", "approved_by: [carol], traffic: 40}"),
        fragment="adds up to 90%",
    ),
    Case(
        "MC036",
        V1,
        14,
        # Retired since, so the sunset having passed is no warning (MC052).
        edit(
            V1,
            "sunset: 2027-01-01}",
            "sunset: 2026-01-10}\n  - {stage: retired, date: 2026-02-01, by: bob}",
        ),
        fragment="before the deprecation itself",
    ),
    Case(
        "MC037",
        SMALL,
        8,
        edit(SMALL, "by: dana}", "by: dana}\n  - {stage: staging, date: 2026-11-27, by: dana}"),
        fragment="after today (2026-11-26)",
    ),
    Case("MC040", V2, 8, edit(V2, "data: [tx@2025-Q4]", "data: []"), fragment="training.data"),
    Case("MC041", V2, 15, edit(V2, "value: 0.91", "value: 0.85"), fragment="from 0.9 (fraud@1.0.0"),
    Case(
        "MC042",
        "models/small/model.yaml",
        5,
        edit(
            "models/small/model.yaml",
            "task: tabular-classification",
            "task: tabular-classification\nprimary_metric: f1",
        ),
        fragment="reported by no version",
    ),
    Case(
        "MC043",
        "catalog.yaml",
        4,
        edit("catalog.yaml", "artifacts.sha256,", "artifacts.sha512,"),
        fragment="artifacts.sha512",
    ),
    Case(
        "MC044",
        V1,
        10,
        edit(V1, "ci: [0.89, 0.91]", "ci: [0.91, 0.95]"),
        fragment="lower <= 0.9 <= upper",
    ),
    Case(
        "MC045",
        V2,
        15,
        edit(V2, "dataset: tx@2025-Q3, split: test}", "dataset: tx@2025-Q4, split: test}"),
        fragment="report auc on no common dataset version and split",
    ),
    Case(
        "MC046",
        V2,
        11,
        edit(
            V2,
            "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
            "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}\n  - {name: auc, value: 0.92, dataset: tx@2025-Q3, split: test}",
        ),
        fragment="again (metrics[0] has 0.91)",
    ),
    Case(
        "MC047",
        V2,
        16,
        edit(
            V2,
            "approved_by: [carol]}",
            "approved_by: [carol]}\n  - {stage: archived, date: 2026-03-01, by: bob}",
        ),
        fragment="leaves fraud with no version in production",
    ),
    Case(
        "MC048",
        V2,
        16,
        edit(
            V2,
            "approved_by: [carol]}",
            "approved_by: [carol]}\n  - {stage: production, date: 2026-03-01, by: bob}",
        ),
        fragment="repeats the one before it",
    ),
    Case(
        "MC054",
        SMALL,
        4,
        edit(
            SMALL,
            "summary: Distilled from fraud 2.0.0.\n",
            "summary: Distilled from fraud 2.0.0.\nartifacts: []  # TODO: the files\n",
        ),
        fragment="artifacts is still to be filled in (TODO: the files)",
    ),
    Case(
        "MC055",
        SMALL,
        5,
        edit(SMALL, "relation: distilled}", "relation: distilled}  # TODO: check the relation"),
        fragment="mark is left on lineage[0]",
    ),
    Case(
        "MC050",
        V2,
        11,
        edit(
            V2,
            "- {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
            "- {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}\n  - {name: acuracy, value: 0.9}",
        ),
        fragment="did you mean 'accuracy'",
    ),
    Case(
        "MC051",
        M,
        7,
        edit(M, "last_reviewed: 2026-06-01", "last_reviewed: 2025-06-01"),
        fragment="every 365 days",
    ),
    Case(
        "MC052", V1, 14, edit(V1, "sunset: 2027-01-01", "sunset: 2026-10-01"), fragment="has passed"
    ),
    Case(
        "MC053",
        V2,
        5,
        edit(V2, ", sha256: %(SHA_B)s", "") | edit("catalog.yaml", "artifacts.sha256, ", ""),
        fragment="no sha256",
    ),
    Case(
        "MC057",
        M,
        1,
        edit(
            M,
            "name: Fraud",
            "# yaml-language-server: $schema=../../../schema/model.schema.json\nname: Fraud",
        ),
        fragment="$schema=../../../schema/model.schema.json names a file that does not exist",
    ),
    Case(
        "MC080",
        M,
        4,
        edit(M, "task: ", "description: " + "x" * 50_001 + "\ntask: "),
        fragment="is 50,001 characters long; a Markdown field holds at most 50,000",
    ),
    Case(
        "MC081",
        M,
        4,
        # 800 nested list markers: 1.6 KB that made Python-Markdown raise RecursionError
        edit(M, "task: ", "description: '" + "- " * 800 + "x'\ntask: "),
        fragment="description: Markdown text nests more than 32 levels deep",
    ),
]


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
