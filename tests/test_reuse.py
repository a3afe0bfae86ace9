"""Taking unchanged pages over from the old site: whole folders by one rename, other files
by a link, nothing that is not exactly what a cold build would write, and the old site whole
whenever a build fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelcards.site import build as site_build
from modelcards.site.reuse import Listing, plan, scan

from .conftest import CatalogMaker
from .test_incremental import EDITS, build, cold, snapshot

OLD = Listing(
    files={"a/x.html": 10, "a/b/y.html": 20, "a/b/z.json": 30, "c/w.html": 40, "top.html": 5},
    folders={"a", "a/b", "c"},
)


def test_a_folder_whose_files_are_all_unchanged_moves_whole() -> None:
    unchanged = {"a/x.html": 10, "a/b/y.html": 20, "a/b/z.json": 30, "top.html": 5}
    reuse = plan(OLD, unchanged, [*unchanged, "c/w.html"])
    assert reuse.moves == ["a"]  # not a/b as well: it moves inside a
    assert reuse.links == ["top.html"]
    assert reuse.kept == set(unchanged)


def test_one_changed_file_keeps_its_folders_but_not_their_siblings() -> None:
    unchanged = {"a/x.html": 10, "a/b/y.html": 20, "top.html": 5}
    reuse = plan(OLD, unchanged, ["a/x.html", "a/b/y.html", "a/b/z.json", "c/w.html", "top.html"])
    assert reuse.moves == []
    assert sorted(reuse.links) == ["a/b/y.html", "a/x.html", "top.html"]


def test_a_file_of_another_size_or_an_extra_file_is_not_taken_over() -> None:
    resized = plan(OLD, {"a/x.html": 11, "a/b/y.html": 20, "a/b/z.json": 30},
                   ["a/x.html", "a/b/y.html", "a/b/z.json"])
    assert (resized.moves, resized.links) == (["a/b"], [])
    assert "a/x.html" not in resized.kept
    # the new site has no a/b/z.json: the old one's copy must not come along with a/b
    fewer = plan(OLD, {"a/x.html": 10, "a/b/y.html": 20}, ["a/x.html", "a/b/y.html"])
    assert fewer.moves == [] and sorted(fewer.links) == ["a/b/y.html", "a/x.html"]


def test_scan_lists_files_with_sizes_and_marks_what_is_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "a/b").mkdir(parents=True)
    (tmp_path / "a/b/page.html").write_bytes(b"12345")
    (tmp_path / "link").symlink_to(tmp_path / "a/b/page.html")
    found = scan(tmp_path)
    assert found.files == {"a/b/page.html": 5, "link": -1}
    assert found.folders == {"a", "a/b"}


def inodes(site: Path) -> dict[str, int]:
    return {name: os.stat(site / name).st_ino for name in ["models/small", "models/fraud",
                                                           "models/fraud/index.html"]}


def test_untouched_folders_move_and_unchanged_files_are_linked(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    build(root)
    site = root.parent / "site"
    before = inodes(site)
    EDITS["change a dataset"][0](root)  # touches fraud's versions, not the small model
    build(root)
    after = inodes(site)
    assert after["models/small"] == before["models/small"]  # the folder itself moved
    assert after["models/fraud"] != before["models/fraud"]  # made anew: a page in it changed
    assert after["models/fraud/index.html"] == before["models/fraud/index.html"]  # linked
    assert snapshot(site) == cold(root)


def test_a_file_left_in_an_untouched_folder_does_not_survive(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    build(root)
    site = root.parent / "site"
    (site / "models/small/notes.txt").write_text("left here by hand")
    (site / "models/small/0.1.0/old").mkdir()
    EDITS["change a dataset"][0](root)
    build(root)
    assert snapshot(site) == cold(root)
    assert not (site / "models/small/0.1.0/old").exists()


def test_a_failed_swap_puts_the_moved_folders_back(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    build(root)
    site = root.parent / "site"
    before = snapshot(site)
    EDITS["change a dataset"][0](root)

    def full_disk(staging: Path, output: Path) -> None:
        assert (staging / "models/small").is_dir()  # the folder had moved when this failed
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_build, "_swap", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build(root)
    assert snapshot(site) == before
    assert sorted(p.name for p in root.parent.iterdir()) == ["cache", "catalog", "site"]
