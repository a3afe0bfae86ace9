"""Every problem code has one home: the module that owns it (its CODES) and its entry in
docs/rules.md (What / Why / Example / Fix), which `modelcards rule CODE` prints."""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

from click.testing import CliRunner

import modelcards
from modelcards.cli import cli
from modelcards.codes import RULES
from modelcards.rules.docs import OWNERS, close_codes, docs_text, rule_entries, rules_page

from ..helpers.catalogs import REPO

PARTS = ("**What.** ", "**Why.** ", "**Example.**\n", "**Fix.** ")


def _modules_declaring_codes() -> list[ModuleType]:
    names = [info.name for info in pkgutil.walk_packages(modelcards.__path__, "modelcards.")]
    modules = [importlib.import_module(name) for name in sorted(names)]
    return [module for module in modules if hasattr(module, "CODES")]


def test_every_code_has_exactly_one_owner_and_every_owned_code_exists() -> None:
    declaring = _modules_declaring_codes()
    assert {m.__name__ for m in declaring} == {m.__name__ for m in OWNERS}
    owners: dict[str, list[str]] = {}
    for module in declaring:
        assert isinstance(module.CODES, frozenset)
        for code in module.CODES:
            owners.setdefault(code, []).append(module.__name__)
    assert {code: names for code, names in owners.items() if len(names) != 1} == {}
    assert set(owners) == set(RULES)


def test_an_owner_reports_the_codes_it_declares() -> None:
    for module in OWNERS:
        source = (REPO / "src" / (module.__name__.replace(".", "/") + ".py")).read_text()
        body = source.split("CODES = frozenset(", 1)[1].split(")", 1)[1]
        missing = sorted(code for code in module.CODES if f'"{code}"' not in body)
        assert missing == [], f"{module.__name__} declares {missing} but never reports them"


def test_every_entry_has_what_why_example_and_fix_in_that_order() -> None:
    entries = rule_entries()
    assert list(entries) == list(RULES)  # the page follows codes.py, family by family
    for code, entry in entries.items():
        places = [entry.text.find(part) for part in PARTS]
        assert -1 not in places and places == sorted(places), f"{code}: {places}"
        assert entry.text.startswith("**What.** "), code
        assert entry.title == RULES[code].title


def test_docs_rules_page_is_made_from_the_package_entries() -> None:
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert rules_page(page) == page, "docs/rules.md is out of date: run python scripts/rules_doc.py"
    assert page.endswith(docs_text())


def test_rule_prints_one_codes_entry() -> None:
    result = CliRunner().invoke(cli, ["rule", "mc025"])
    assert result.exit_code == 0
    entry = rule_entries()["MC025"]
    assert result.output == (
        "MC025 replaced_by does not resolve\n"
        "error, reported by modelcards.rules.references\n\n" + entry.text + "\n"
    )
    assert "replaced_by: 2.1.0}\n```\n`error MC025 replaced_by '2.1.0' does not resolve" in (
        result.output
    )


def test_rule_without_a_code_lists_every_code_with_its_title() -> None:
    result = CliRunner().invoke(cli, ["rule"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(RULES)
    assert "MC025  error    replaced_by does not resolve" in lines
    assert "MC050  warning  unknown metric name" in lines


def test_an_unknown_code_exits_2_naming_close_codes() -> None:
    result = CliRunner().invoke(cli, ["rule", "MC027"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for 'CODE': no rule has the code 'MC027'; did you mean MC026, "
        "MC025, MC024? (modelcards rule lists them all)\n"
    )
    assert close_codes("MC999") == [
        "MC049",
        "MC019",
        "MC009",
    ]  # none near in number: alike in spelling
    assert close_codes("nothing") == []


def test_the_history_rules_are_a_rule_family() -> None:
    owner = {code: entry.owner for code, entry in rule_entries().items()}
    assert {owner[f"MC06{i}"] for i in range(8)} == {"modelcards.rules.history"}
    assert re.fullmatch(r"modelcards\.(source|parse|cards|discovery|loading)", owner["MC001"])
