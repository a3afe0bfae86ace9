"""The rules found incrementally (`serve`'s reloads) are the rules found over the whole catalog.

Every catalog of tests/helpers/rule_cases.py (each breaks one rule) is checked after the base catalog
with the same held cards and the same IncrementalCheck, so the findings kept from the base
meet the edit that breaks the rule; then the base again, after the broken one. The same for
a build's memo of findings by card digests (check_remembering), from one load to the next.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from modelcards.cardcache import HeldCards
from modelcards.catalog import Catalog
from modelcards.loading import load_catalog
from modelcards.rules import check_catalog
from modelcards.rules.incremental import IncrementalCheck, RuleMemo, check_remembering

from ..helpers.catalogs import CatalogMaker
from ..helpers.rule_cases import CASES, TODAY, Case


@pytest.mark.parametrize("case", CASES, ids=[case.code for case in CASES])
def test_incremental_findings_are_the_whole_catalogs(
    make_catalog: CatalogMaker, case: Case
) -> None:
    held, check = HeldCards.over(None), IncrementalCheck()
    for files, raw in (({}, None), (case.files, case.raw), ({}, None)):
        root = make_catalog()
        shutil.rmtree(root)
        root = make_catalog(files, raw=raw)
        held.begin()
        catalog, _ = load_catalog(root, held)
        held.settle()
        assert check.check(catalog, TODAY) == check_catalog(catalog, TODAY)


def _digests(catalog: Catalog) -> dict[Path, str]:
    """Each card's digest of its name and text, as a build's inputs give them."""
    return {
        path: hashlib.sha256(f"{path}\n{source.text}".encode()).hexdigest()
        for path, source in catalog.sources.items()
    }


@pytest.mark.parametrize("case", CASES, ids=[case.code for case in CASES])
def test_findings_remembered_by_digest_are_the_whole_catalogs(
    make_catalog: CatalogMaker, case: Case
) -> None:
    memo: RuleMemo | None = None
    for files, raw in (({}, None), (case.files, case.raw), ({}, None)):
        root = make_catalog()
        shutil.rmtree(root)
        root = make_catalog(files, raw=raw)
        catalog, _ = load_catalog(root)
        found, memo = check_remembering(catalog, TODAY, _digests(catalog), memo)
        assert found == check_catalog(catalog, TODAY)


def test_unchanged_cards_are_not_checked_again(make_catalog: CatalogMaker) -> None:
    """What makes it incremental: the card objects of unchanged files are the ones held."""
    root = make_catalog()
    held = HeldCards.over(None)
    first, _ = load_catalog(root, held)
    again, _ = load_catalog(root, held)
    assert all(again.versions[ref].card is v.card for ref, v in first.versions.items())
    assert all(again.models[m].card is found.card for m, found in first.models.items())


@pytest.mark.parametrize("code", ["MC041", "MC044", "MC031", "MC026"])
def test_a_finding_moves_with_its_line_when_the_card_means_the_same(
    make_catalog: CatalogMaker, code: str
) -> None:
    """A comment above the problem changes the file, not the card: the finding is worked out
    again (its line moved), not kept from the equal card before."""
    case = next(c for c in CASES if c.code == code)
    root = make_catalog(case.files, raw=case.raw)
    held, check = HeldCards.over(None), IncrementalCheck()
    lines = []
    for _ in range(2):
        catalog, _ = load_catalog(root, held)
        found = check.check(catalog, TODAY)
        assert found == check_catalog(catalog, TODAY)
        lines.append([p.line for p in found if p.code == code])
        path = root / case.file
        path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert lines[1] == [line + 1 for line in lines[0]] and lines[0]
