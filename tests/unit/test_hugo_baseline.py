"""benchmarks/hugo_site.py: the Hugo site the cold build is measured against must hold the
same content as the site `modelcards build` writes (docs/performance.md, "Hugo's time for
the same content"), or the ratio says nothing. Built with Debian's hugo, as the benchmark
does; CI installs it (.ci/run), a laptop without it skips."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.loading import load_catalog

from ..helpers.browser import require
from ..helpers.generated import generate  # puts benchmarks/ on the path, as the scripts have it

# isort: split
from hugo_site import write_equivalent_site  # benchmarks/hugo_site.py


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The generated catalog, our site built from it and Hugo's."""
    hugo = shutil.which("hugo")
    require(hugo is not None, "hugo is not installed (apt-get install hugo)")
    assert hugo is not None
    root = tmp_path_factory.mktemp("hugo-baseline")
    catalog = root / "catalog"
    generate(catalog, 6, 3, 3)
    loaded, _ = load_catalog(catalog)
    write_equivalent_site(loaded, root / "hugo")
    subprocess.run(
        [hugo, "--quiet", "-s", str(root / "hugo"), "-d", str(root / "public")],
        check=True,
        capture_output=True,
    )
    built = CliRunner().invoke(cli, ["build", str(catalog), "-o", str(root / "site"), "--no-cache"])
    assert built.exit_code == 0, built.output
    return catalog, root / "site", root / "public"


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_hugo_writes_each_version_page_and_its_exports_where_the_site_does(
    built: tuple[Path, Path, Path],
) -> None:
    _, site, public = built
    ours = {name for name in _files(site) if name.count("/") == 3 and name.startswith("models/")}
    assert ours and ours <= _files(public)
    assert {name.rsplit("/", 1)[1] for name in ours} == {"index.html", "README.md", "bom.json"}


def test_hugo_writes_about_as_many_files_as_the_site(built: tuple[Path, Path, Path]) -> None:
    _, site, public = built
    assert 0.85 <= len(_files(public)) / len(_files(site)) <= 1.15


def test_each_hugo_export_carries_the_cards_it_stands_for(
    built: tuple[Path, Path, Path],
) -> None:
    catalog, _, public = built
    loaded, _ = load_catalog(catalog)
    for ref, version in loaded.versions.items():
        folder = public / "models" / version.model_id / version.version
        front = (folder / "README.md").read_text().split("---\n")[1]
        embedded = yaml.safe_load(front)["modelcards"]
        assert embedded["model"] == version.model_id, ref
        assert embedded["version_card"]["version"] == version.version
        assert len(embedded["version_card"].get("metrics", [])) == len(version.card.metrics)
        assert embedded["model_card"]["name"] == loaded.models[version.model_id].card.name
        bom = json.loads((folder / "bom.json").read_text())
        assert bom["bomFormat"] == "CycloneDX"
        assert bom["metadata"]["component"]["version"] == version.version
        page = (folder / "index.html").read_text()
        assert version.card.summary in page.replace("&#39;", "'")
        for metric in version.card.metrics:
            assert f">{metric.name}<" in page
