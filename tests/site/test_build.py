"""`modelcards build` through the real CLI: exit codes, safety of the output, determinism,
theme overrides, and the default theme inside the wheel."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.site.render import DEFAULT_THEME

from ..helpers.catalogs import BASE_SITE_FILES, V1, CatalogMaker, edit, snapshot


def test_build_writes_the_site(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "catalog is valid: 2 models, 3 versions, 1 dataset (0 errors, 0 warnings)\n"
        f"built {BASE_SITE_FILES} files into site\n"
    )
    assert (Path("site") / "models/fraud/2.0.0/index.html").is_file()


def test_same_input_builds_byte_identical_sites(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build", "-o", "one"]).exit_code == 0
    assert runner.invoke(cli, ["build", "-o", "two"]).exit_code == 0
    one, two = snapshot(Path("one")), snapshot(Path("two"))
    assert len(one) == BASE_SITE_FILES and one == two


def test_invalid_catalog_builds_nothing_and_keeps_the_old_site(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build"]).exit_code == 0
    before = snapshot(Path("site"))
    make_catalog(edit(V1, "replaced_by: 2.0.0", "replaced_by: 2.1.0"))
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "catalog/models/fraud/1.0.0.yaml:14:85: error MC025 replaced_by '2.1.0'" in result.output
    assert result.output.endswith("nothing built; site is unchanged\n")
    assert snapshot(Path("site")) == before
    # no leftovers: only the incremental build cache of the first build sits beside them
    assert sorted(p.name for p in Path(".").iterdir()) == [".modelcards-cache", "catalog", "site"]


def test_template_error_keeps_the_old_site(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build"]).exit_code == 0
    before = snapshot(Path("site"))
    theme = Path("theme")
    theme.mkdir()
    (theme / "version.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ no_such.thing }}{% endblock %}'
    )
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert (
        "rendering models/fraud/1.0.0/index.html failed: "
        f"{Path.cwd()}/theme/version.html:1: UndefinedError: 'no_such' is undefined"
    ) in result.output
    assert snapshot(Path("site")) == before
    (theme / "version.html").write_text("{% block main %}")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "/theme/version.html:1: Unexpected end of template" in result.output
    assert snapshot(Path("site")) == before


def test_a_single_template_can_be_overridden(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    theme = Path("theme")
    theme.mkdir()
    (theme / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost? Ask #ml-platform</h1>{% endblock %}'
    )
    (theme / "assets").mkdir()
    (theme / "assets" / "style.css").write_text("body { color: rebeccapurple; }\n")
    assert runner.invoke(cli, ["build"]).exit_code == 0
    site = Path("site")
    assert "<h1>Lost? Ask #ml-platform</h1>" in (site / "404.html").read_text()
    assert (site / "assets/style.css").read_text() == "body { color: rebeccapurple; }\n"
    default_home = (DEFAULT_THEME / "index.html").read_text()
    assert "Search" in default_home and 'id="filter-q"' in (site / "index.html").read_text()
    other = Path("elsewhere")
    other.mkdir()
    (other / "404.html").write_text("{% block main %}elsewhere{% endblock %}")
    assert runner.invoke(cli, ["build", "--theme", "elsewhere"]).exit_code == 0
    assert (site / "404.html").read_text() == "elsewhere"


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("catalog", "it is the catalog folder"),
        (".", "it holds the catalog catalog"),
        ("catalog/site", "it is inside the catalog folder"),
        ("/", "it is the root of the file system"),
        ("docs", "it is not empty and was not built by modelcards"),
    ],
)
def test_refuses_outputs_it_must_not_replace(
    runner: CliRunner, make_catalog: CatalogMaker, output: str, message: str
) -> None:
    make_catalog()
    Path("docs").mkdir()
    (Path("docs") / "guide.md").write_text("keep me\n")
    result = runner.invoke(cli, ["build", "-o", output])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert (Path("docs") / "guide.md").read_text() == "keep me\n"
    assert not Path("catalog/site").exists()


def test_the_wheel_carries_the_default_theme(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {
        f"modelcards/site/templates/{p.relative_to(DEFAULT_THEME).as_posix()}"
        for p in DEFAULT_THEME.rglob("*")
        if p.is_file()
    }
    assert "modelcards/site/templates/index.html" in theme
    assert "modelcards/site/templates/assets/style.css" in theme
    assert theme <= names
