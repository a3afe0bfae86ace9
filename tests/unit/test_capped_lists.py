"""Lists in messages are capped: the size of a report grows with the number of problems,
never with their product. (About 1 MB of cards once gave 2.4 GB of output: every missing
reference listed every version of its model.)"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import overload

from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.loading import load_catalog
from modelcards.problems import Problem
from modelcards.rules import check_catalog
from modelcards.rules.references import find_cycles
from modelcards.texts import capped

from ..helpers.catalogs import EXAMPLE_CATALOG, TODAY, CatalogMaker
from ..helpers.site import TODAY as TODAY_DATE

VERSIONS = 1_000
MODEL = """\
name: Big
summary: A model with many versions.
owners: [{name: Team}]
task: tabular-classification
"""


def version_card(number: int, lineage: str = "") -> str:
    return (
        f'version: "1.{number}.0"\nreleased: 2026-01-01\nsummary: Version {number}.\n'
        f"{lineage}lifecycle:\n  - {{stage: development, date: 2026-01-01, by: alice}}\n"
    )


def test_missing_references_list_a_few_versions_and_count_the_rest(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    files: dict[str, str | None] = {"models/big/model.yaml": MODEL}
    files |= {f"models/big/1.{n}.0.yaml": version_card(n) for n in range(VERSIONS)}
    missing = "".join(f"  - {{model: big@9.{n}.0, relation: retrained}}\n" for n in range(VERSIONS))
    files["models/big/2.0.0.yaml"] = version_card(0, "lineage:\n" + missing).replace(
        '"1.0.0"', '"2.0.0"'
    )
    root = make_catalog(files)
    result = runner.invoke(cli, ["validate", str(root), "--today", TODAY])
    lines = [line for line in result.output.splitlines() if " MC020 " in line]
    assert len(lines) == VERSIONS
    assert lines[0].endswith(
        "its versions are: 1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0, 1.5.0, 1.6.0, 1.7.0, 1.8.0, "
        "1.9.0, … and 991 more"
    )
    assert max(len(line) for line in lines) < 500
    assert len(result.output) < 600 * VERSIONS  # uncapped: more than 10 MB


def test_a_long_lineage_cycle_is_shown_by_its_first_links(make_catalog: CatalogMaker) -> None:
    from modelcards.validate import validate_catalog

    count = 50
    files: dict[str, str | None] = {"models/big/model.yaml": MODEL}
    for n in range(count):
        parent = f"big@1.{(n + 1) % count}.0"
        files[f"models/big/1.{n}.0.yaml"] = version_card(
            n, f"lineage:\n  - {{model: {parent}, relation: retrained}}\n"
        )
    root = make_catalog(files)
    cycles = [p for p in validate_catalog(root, TODAY_DATE).problems if p.code == "MC024"]
    assert len(cycles) == 1
    assert cycles[0].message.startswith(
        "lineage loops: big@1.0.0 -> big@1.1.0 -> big@1.2.0 -> big@1.3.0 -> "
    )
    assert "-> … and 41 more; a version cannot descend from itself" in cycles[0].message


class _Counted(Sequence[int]):
    """A long sequence that counts the items taken from it."""

    def __init__(self, length: int) -> None:
        self.length, self.taken = length, 0

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice) or not 0 <= index < self.length:
            raise IndexError(index)
        self.taken += 1
        return index


def test_a_capped_collection_is_counted_not_walked() -> None:
    items = _Counted(20_000)
    assert capped(items) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … and 19,990 more"
    assert items.taken == 10
    assert capped(str(n) for n in range(12)) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … and 2 more"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _checked_counting_calls(root: Path) -> tuple[int, list[Problem]]:
    """The rules' problems with the catalog at `root`, and how many Python calls checking
    them made (a deterministic measure of work, unlike time on a shared machine)."""
    catalog, _ = load_catalog(root)
    calls = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(profile)
    try:
        problems = check_catalog(catalog, TODAY_DATE)
    finally:
        sys.setprofile(None)
    return calls, problems


def _python_calls(tmp_path: Path, count: int) -> int:
    """How many Python calls checking the rules makes on a catalog of `count` versions and a
    dataset of `count` versions, each version with a missing dataset version and a missing
    lineage parent (a deterministic measure of work, unlike time on a shared machine)."""
    root = tmp_path / str(count) / "catalog"
    files = {
        "catalog.yaml": "title: T\n",
        "models/big/model.yaml": MODEL,
        "datasets/d.yaml": "name: D\nsummary: S.\nowners: [{name: T}]\nversions:\n"
        + "".join(f"  - {{version: v{n}, date: 2026-01-01}}\n" for n in range(count)),
    } | {
        f"models/big/1.{n}.0.yaml": version_card(
            n,
            f"training: {{data: [d@x{n}]}}\n"
            f"lineage: [{{model: big@9.{n}.0, relation: retrained}}]\n",
        )
        for n in range(count)
    }
    _write(root, files)
    calls, problems = _checked_counting_calls(root)
    assert sorted({p.code for p in problems}) == ["MC020", "MC021"]
    assert len(problems) == 2 * count
    return calls


def test_missing_references_cost_work_in_proportion_to_the_catalog(tmp_path: Path) -> None:
    """Each of thousands of missing references once walked every version of what it missed
    (to list them, and to look the name up): validate took minutes on 20,000 versions."""
    small, large = _python_calls(tmp_path, 300), _python_calls(tmp_path, 600)
    assert large < 2.5 * small  # linear: twice the work; it was 3.6 times (quadratic)


def _loops_peak_memory(count: int) -> int:
    """Peak memory of finding the loops of `count` versions where each descends from the
    next and from the first: count - 1 loops, up to `count` links long."""
    edges = {
        f"big@1.{n}.0": ([f"big@1.{n + 1}.0"] if n + 1 < count else [])
        + (["big@1.0.0"] if n else [])
        for n in range(count)
    }
    tracemalloc.start()
    try:
        found = find_cycles(edges)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(found) == count - 1
    return peak


def test_many_long_lineage_loops_cost_memory_in_proportion_to_the_catalog() -> None:
    """Each loop was kept whole: 20,000 such versions (3 MB of cards) asked for gigabytes."""
    small, large = _loops_peak_memory(1_000), _loops_peak_memory(2_000)
    assert large < 2.5 * small  # it was 3.9 times (quadratic)


def _chain_catalog(tmp_path: Path, count: int) -> Path:
    """`count` versions, each deprecated on one day in favour of the next."""
    root = tmp_path / str(count) / "catalog"
    files = {"catalog.yaml": "title: T\n", "models/big/model.yaml": MODEL}
    for n in range(count):
        gone = (
            f"  - {{stage: deprecated, date: 2026-01-02, by: b, reason: R, "
            f"replaced_by: 1.{n + 1}.0}}\n"
            if n + 1 < count
            else ""
        )
        files[f"models/big/1.{n}.0.yaml"] = version_card(n) + gone
    _write(root, files)
    return root


def test_long_replacement_chains_cost_work_in_proportion_to_the_catalog(
    tmp_path: Path,
) -> None:
    """Each deprecation naming a replacement deprecated the same day followed the whole chain
    from there, in a list: 4,000 such versions took minutes to validate."""
    counts = []
    for count in (200, 400):
        calls, problems = _checked_counting_calls(_chain_catalog(tmp_path, count))
        problems = [p for p in problems if p.code == "MC034"]
        assert len(problems) == count - 2  # the last replacement is not deprecated
        assert problems[0].message.endswith(f"such as big@1.{count - 1}.0, its own replacement")
        counts.append(calls)
    assert counts[1] < 2.5 * counts[0]


def test_current_replacements_are_those_of_the_chains(make_catalog: CatalogMaker) -> None:
    from modelcards.queries import current_replacements, replacement_chain

    for root in (make_catalog(), EXAMPLE_CATALOG):
        catalog, _ = load_catalog(root)
        expected = {}
        for ref, version in catalog.versions.items():
            chain = replacement_chain(catalog, version)
            if chain is not None:
                expected[ref] = chain.current
        assert current_replacements(catalog) == expected
        assert any(v is not None for v in expected.values())
