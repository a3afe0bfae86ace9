"""Lists in messages are capped: the size of a report grows with the number of problems,
never with their product. (About 1 MB of cards once gave 2.4 GB of output: every missing
reference listed every version of its model.)"""

from __future__ import annotations

from click.testing import CliRunner

from modelcards.cli import cli

from .conftest import TODAY, CatalogMaker

VERSIONS = 1_000
MODEL = """\
name: Big
summary: A model with many versions.
owners: [{name: Team}]
task: tabular-classification
"""


def version_card(number: int, lineage: str = "") -> str:
    return (f'version: "1.{number}.0"\nreleased: 2026-01-01\nsummary: Version {number}.\n'
            f"{lineage}lifecycle:\n  - {{stage: development, date: 2026-01-01, by: alice}}\n")


def test_missing_references_list_a_few_versions_and_count_the_rest(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    files: dict[str, str | None] = {"models/big/model.yaml": MODEL}
    files |= {f"models/big/1.{n}.0.yaml": version_card(n) for n in range(VERSIONS)}
    missing = "".join(f"  - {{model: big@9.{n}.0, relation: retrained}}\n"
                      for n in range(VERSIONS))
    files["models/big/2.0.0.yaml"] = version_card(0, "lineage:\n" + missing).replace(
        '"1.0.0"', '"2.0.0"')
    root = make_catalog(files)
    result = runner.invoke(cli, ["validate", str(root), "--today", TODAY])
    lines = [line for line in result.output.splitlines() if " MC020 " in line]
    assert len(lines) == VERSIONS
    assert lines[0].endswith(
        "its versions are: 1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0, 1.5.0, 1.6.0, 1.7.0, 1.8.0, "
        "1.9.0, … and 991 more")
    assert max(len(line) for line in lines) < 500
    assert len(result.output) < 600 * VERSIONS  # uncapped: more than 10 MB


def test_a_long_lineage_cycle_is_shown_by_its_first_links(make_catalog: CatalogMaker) -> None:
    from modelcards.validate import validate_catalog

    from .test_site_fixtures import TODAY as TODAY_DATE

    count = 50
    files: dict[str, str | None] = {"models/big/model.yaml": MODEL}
    for n in range(count):
        parent = f"big@1.{(n + 1) % count}.0"
        files[f"models/big/1.{n}.0.yaml"] = version_card(
            n, f"lineage:\n  - {{model: {parent}, relation: retrained}}\n")
    root = make_catalog(files)
    cycles = [p for p in validate_catalog(root, TODAY_DATE).problems if p.code == "MC024"]
    assert len(cycles) == 1
    assert cycles[0].message.startswith(
        "lineage loops: big@1.0.0 -> big@1.1.0 -> big@1.2.0 -> big@1.3.0 -> ")
    assert "-> … and 41 more; a version cannot descend from itself" in cycles[0].message
