"""The build cache sits in the working tree, where a pull request can commit anything: whatever
is there, a build is correct (a cold one at worst) and never fails on it; `--cache` gets the
output folder's checks (issue 18, item 7)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.site.cache import CACHE_FOLDER, manifest_path

from ..helpers.catalogs import BASE_SITE_FILES, CatalogMaker, snapshot

CACHE = Path(CACHE_FOLDER)
Plant = Callable[[Path], None]


def _deep_json(path: Path) -> None:
    path.write_text("[" * 200_000 + "]" * 200_000 + "\n")


def _dev_zero(path: Path) -> None:
    os.symlink("/dev/zero", path)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _huge(path: Path) -> None:
    with path.open("wb") as stream:  # sparse: costs no disk
        stream.truncate(600 * 1024 * 1024)


def _folder(path: Path) -> None:
    path.mkdir()


PLANTS: dict[str, Plant] = {
    "deep JSON": _deep_json,
    "link to /dev/zero": _dev_zero,
    "FIFO": _fifo,
    "600 MB": _huge,
    "folder": _folder,
}


def _cache_files() -> list[Path]:
    """The card cache and the site manifest of `site/`, as a build run from tmp_path names them."""
    return [CACHE / "cards.json", manifest_path(CACHE, Path("site"))]


@pytest.mark.timeout(120)
@pytest.mark.usefixtures("memory_cap")
@pytest.mark.parametrize("name", sorted(PLANTS))
def test_whatever_is_committed_as_the_cache_a_build_is_a_cold_one(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    name: str,
) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build", "-o", "expected", "--no-cache"]).exit_code == 0
    CACHE.mkdir()
    for path in _cache_files():
        PLANTS[name](path)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.output.endswith(
        f"built {BASE_SITE_FILES} files into site\n"
    )  # every page rendered
    assert snapshot(Path("site")) == snapshot(Path("expected"))


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    tmp_path: Path,
) -> None:
    """A committed `.modelcards-cache -> somewhere` would send the build's writes there."""
    make_catalog()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, CACHE)
    assert runner.invoke(cli, ["build"]).exit_code == 0
    assert runner.invoke(cli, ["build"]).output.endswith(
        f"built {BASE_SITE_FILES} files into site\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_committed_gitignore_link_is_not_written_through(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    tmp_path: Path,
) -> None:
    make_catalog()
    CACHE.mkdir()
    target = tmp_path / "victim"
    os.symlink(target, CACHE / ".gitignore")  # dangling: writing it would create the target
    assert runner.invoke(cli, ["build"]).exit_code == 0
    assert not target.exists()
    assert (CACHE / "cards.json").is_file()  # the cache itself works


@pytest.mark.parametrize(
    ("cache", "message"),
    [
        (
            ".",
            "refusing to keep the cache in .: it holds the catalog catalog; choose a separate "
            "folder such as .modelcards-cache/",
        ),
        (
            "catalog",
            "refusing to keep the cache in catalog: it is the catalog folder; choose a "
            "separate folder",
        ),
        (
            "catalog/cache",
            "refusing to keep the cache in catalog/cache: it is inside the catalog "
            "folder, where every file must be a card",
        ),
        ("/", "refusing to keep the cache in /: it is the root of the file system"),
        (
            "site",
            "refusing to keep the cache in site: it is inside the site folder site, which "
            "every build replaces and publishes",
        ),
        ("site/cache", "refusing to keep the cache in site/cache: it is inside the site folder"),
        ("file", "Invalid value for '--cache': Directory 'file' is a file."),
        ("link", "refusing to keep the cache in link: it is a symbolic link; name the real folder"),
    ],
)
@pytest.mark.parametrize("command", ["build", "serve"])
def test_refuses_cache_folders_it_must_not_write_into(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    cache: str,
    message: str,
    command: str,
) -> None:
    make_catalog()
    Path("file").write_text("keep me\n")
    Path("real").mkdir()
    os.symlink("real", "link")
    port = ["--port", "0"] if command == "serve" else []
    result = runner.invoke(cli, [command, "--cache", cache, *port])
    assert result.exit_code == 2, result.output
    assert f"Error: {message}" in result.output
    assert "Traceback" not in result.output
    assert Path("file").read_text() == "keep me\n"
    assert not Path("site").exists() and list(Path("real").iterdir()) == []
    assert sorted(p.name for p in Path("catalog").iterdir()) == [
        "catalog.yaml",
        "datasets",
        "models",
    ]


def test_no_cache_does_not_check_the_cache_folder(
    runner: CliRunner,
    make_catalog: CatalogMaker,
) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build", "--cache", "/", "--no-cache"]).exit_code == 0
