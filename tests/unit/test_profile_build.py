"""benchmarks/profile_build.py, the tool speed changes are checked with: its digests tell a
changed page kind from an unchanged one, and its timeline follows a real build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..helpers.generated import generate  # puts benchmarks/ on the path, as the scripts have it

# isort: split
import profile_build  # benchmarks/profile_build.py


@pytest.fixture()
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    generate(root, 4, 2, 2)
    return root


def test_digests_change_with_the_pages_of_an_edited_kind_only(catalog: Path) -> None:
    before = profile_build.digests(catalog, set())
    assert before == profile_build.digests(catalog, set())  # the same bytes every time
    assert before["version"][1] == 8 and before["model"][1] == 4
    card = sorted(catalog.glob("datasets/*.yaml"))[0]
    card.write_text(card.read_text().replace("\nsummary: ", "\nsummary: Edited. ", 1))
    after = profile_build.digests(catalog, set())
    changed = {kind for kind in before if before[kind] != after[kind]}
    assert "dataset" in changed and "datasets" in changed
    assert "version" not in changed and "asset" not in changed
    assert profile_build.digests(catalog, {"version"}) == {"version": after["version"]}


def test_kinds_reports_each_kind_with_its_pages(
    catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile_build.kinds(catalog, None)
    shown = capsys.readouterr().out
    assert re.search(r"^version +\d+\.\d+s +8 ", shown, re.MULTILINE), shown
    assert re.search(r"^all +\d+\.\d+s +\d+", shown, re.MULTILINE), shown


def test_timeline_follows_a_cold_build_and_a_one_card_rebuild(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile_build.timeline(catalog, tmp_path / "work")
    shown = capsys.readouterr().out
    assert "not found" not in shown  # every step it times still exists
    cold = re.search(r"^cold build: [\d.]+ s, (\d+) files rendered$", shown, re.MULTILINE)
    edited = re.search(r"^one card edited: [\d.]+ s, (\d+) files rendered$", shown, re.MULTILINE)
    assert cold and edited, shown
    assert 0 < int(edited.group(1)) < int(cold.group(1))
    assert re.search(r"^  load_catalog +[\d.]+ -> +[\d.]+ s  \(process \d+\)$", shown, re.M)
