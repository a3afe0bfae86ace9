"""The docs say what the code does: rule codes, card fields, the README's commands."""

from __future__ import annotations

import re

from modelcards.cards import CARD_KINDS
from modelcards.codes import RULES
from modelcards.schema import field_rows, fill_field_tables

from ..helpers.catalogs import REPO

RULES_DOC = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
CARD_FORMAT_DOC = (REPO / "docs" / "card-format.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_rules_doc_lists_every_code_with_its_title() -> None:
    documented = dict(re.findall(r"^### (MC\d{3}) (.+)$", RULES_DOC, flags=re.MULTILINE))
    assert documented == {code: rule.title for code, rule in RULES.items()}


def test_rules_doc_gives_every_code_an_example() -> None:
    sections = re.split(r"^### ", RULES_DOC, flags=re.MULTILINE)[1:]
    for section in sections:
        code = section[:5]
        severity = RULES[code].severity.value
        assert f"{severity} {code} " in section, f"{code} has no example message"


def test_rules_doc_gives_every_code_what_why_example_and_fix() -> None:
    sections = re.split(r"^### ", RULES_DOC, flags=re.MULTILINE)[1:]
    assert len(sections) == len(RULES)
    for section in sections:
        parts = [
            section.find(part)
            for part in ("\n**What.** ", "\n**Why.** ", "\n**Example.**\n", "\n**Fix.** ")
        ]
        assert -1 not in parts and parts == sorted(parts), f"{section[:5]}: {parts}"


def test_card_format_tables_are_current() -> None:
    assert fill_field_tables(CARD_FORMAT_DOC) == CARD_FORMAT_DOC, (
        "docs/card-format.md is out of date: run python scripts/card_format_tables.py"
    )


def test_card_format_documents_every_schema_field() -> None:
    for kind in CARD_KINDS:
        for path, *_ in field_rows(kind):
            assert f"| `{path}` |" in CARD_FORMAT_DOC, f"{kind} field {path} is not documented"


def test_readme_opens_with_its_purpose_then_two_quick_start_commands() -> None:
    first = README.split("\n## ", 1)[0]
    assert "model registry" in first
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick_start, flags=re.DOTALL)
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert commands == [
        venv + "pip install -e . && modelcards serve",
        venv + "pip install -e '.[test]' && python -m pytest",
    ]
    workflow = README.split("## The pull-request workflow", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^(\d)\. ", workflow, flags=re.MULTILINE) == ["1", "2", "3", "4", "5"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && python -m pytest"
    assert command in ci.splitlines()


def test_readme_links_resolve() -> None:
    for target in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (REPO / target).is_file(), f"README links to missing {target}"


def test_cli_reference_is_current() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
