"""The rules' cases: per problem code, catalogs that break exactly that rule (the code, the
file, the line), for tests/unit/test_rules.py and tests/unit/test_rules_incremental.py.

A rule may have several cases (the same code, broken in another way or another place): each
has a `name`, and its test id is CODE-name (MC022-training-data); a rule's first case needs no
name (its id is the code)."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

from .catalogs import BASE, SMALL, V1, V2, M, edit

# The day the cases are judged on.
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
        "MC049",
        V2,
        10,
        edit(
            V2,
            "dataset: tx@2025-Q3, split: test}",
            "dataset: tx@2025-Q3, split: test, measured: 2025-12-01}",
        ),
        fragment="auc measured on 2025-12-01 is before the version was released on 2026-01-05",
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
