"""Taking unchanged pages over from earlier sites: kept in the standby site where they are,
linked from the site being served, never written through; nothing that is not exactly what a
cold build would write; the site being served untouched until the switch, and whole whenever
a build fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelcards.site import swap
from modelcards.site.cache import standby_path
from modelcards.site.reuse import EMPTY, Listing, plan, scan

from ..helpers.catalogs import CatalogMaker, snapshot
from ..helpers.site import build, cold, config
from ..helpers.site_edits import EDITS

STANDBY = Listing(
    files={
        "a/x.html": 10,
        "a/b/y.html": 20,
        "a/b/z.json": 30,
        "c/w.html": 40,
        "top.html": 5,
        "stray.txt": 3,
    },
    folders={"a", "a/b", "c", "d"},
)
STANDBY_KNOWN = {
    "a/x.html": ("k1", 10),
    "a/b/y.html": ("k2", 20),
    "a/b/z.json": ("k3", 30),
    "c/w.html": ("k4", 40),
    "top.html": ("k5", 5),
}


def test_the_standby_keeps_what_is_unchanged_and_the_rest_is_linked_or_rendered() -> None:
    served = {"a/b/z.json": ("k3b", 31), "e/v.html": ("k6", 60)}
    keys = {
        "a/x.html": "k1",
        "a/b/y.html": "k2",
        "a/b/z.json": "k3b",
        "e/v.html": "k6",
        "top.html": "k5new",
        "e/f/g.html": "k7",
    }
    steps = plan(STANDBY, STANDBY_KNOWN, served, keys)
    assert steps.keep == {"a/x.html": 10, "a/b/y.html": 20}
    assert steps.link == {"a/b/z.json": 31, "e/v.html": 60}
    assert sorted(steps.render) == ["e/f/g.html", "top.html"]
    # everything else goes, the files to replace first: nothing is written through
    assert steps.remove == ["a/b/z.json", "c/w.html", "stray.txt", "top.html"]
    assert steps.stale_folders == ["c", "d"]
    assert steps.new_folders == ["e", "e/f"]


def test_a_standby_file_of_another_size_is_made_again() -> None:
    steps = plan(STANDBY, {**STANDBY_KNOWN, "a/x.html": ("k1", 11)}, {}, {"a/x.html": "k1"})
    assert steps.keep == {} and steps.render == ["a/x.html"]


def test_a_new_folder_links_from_the_served_site_or_renders() -> None:
    steps = plan(EMPTY, {}, {"a/x.html": ("k1", 10)}, {"a/x.html": "k1", "b/y.html": "k2"})
    assert (steps.keep, steps.link, steps.render) == ({}, {"a/x.html": 10}, ["b/y.html"])
    assert steps.new_folders == ["a", "b"] and steps.remove == []


def test_scan_lists_files_with_sizes_and_marks_what_is_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "a/b").mkdir(parents=True)
    (tmp_path / "a/b/page.html").write_bytes(b"12345")
    (tmp_path / "link").symlink_to(tmp_path / "a/b/page.html")
    found = scan(tmp_path)
    assert found.files == {"a/b/page.html": 5, "link": -1}
    assert found.folders == {"a", "a/b"}


def inode(path: Path) -> int:
    return os.stat(path).st_ino


def test_rebuilds_link_from_the_served_site_then_keep_the_standby(
    make_catalog: CatalogMaker,
) -> None:
    root = make_catalog()
    build(root)
    site = root.parent / "site"
    standby = standby_path(root.parent / "cache", site.resolve())
    page = "assets/style.css"  # made from the theme alone
    first = inode(site / page)
    EDITS["change a dataset"][0](root)  # touches fraud's versions, not the small model
    build(root)
    assert inode(site / page) == first  # linked from the site it replaced
    assert snapshot(site) == cold(root)
    assert inode(standby / page) == first  # which is now the standby
    EDITS["change a version"][0](root)
    build(root)
    assert inode(site / page) == first  # kept where it was in the standby
    assert snapshot(site) == cold(root)
    assert sorted(p.name for p in root.parent.iterdir()) == ["cache", "catalog", "site"]


def test_the_served_site_is_untouched_until_the_switch(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    site = root.parent / "site"
    build(root)
    EDITS["change a dataset"][0](root)
    build(root)  # now there is a standby, sharing files with the served site by links
    served = snapshot(site)
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    EDITS["change a version"][0](root)
    expected = cold(root)  # not while building: builds into one folder take turns
    real_switch = swap.switch
    seen: list[bool] = []

    def checked(ready: Path, output: Path) -> Path | None:
        seen.append(True)
        assert snapshot(output) == served
        assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == names
        assert snapshot(ready) == expected
        return real_switch(ready, output)

    monkeypatch.setattr(swap, "switch", checked)
    build(root)
    assert seen and snapshot(site) == expected


def test_a_file_left_in_the_standby_does_not_survive(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    build(root)
    EDITS["change a dataset"][0](root)
    build(root)
    standby = standby_path(root.parent / "cache", (root.parent / "site").resolve())
    (standby / "models/small/notes.txt").write_text("left here by hand")
    (standby / "models/small/0.1.0/old").mkdir()
    EDITS["change a version"][0](root)
    build(root)
    assert snapshot(root.parent / "site") == cold(root)
    assert not (root.parent / "site/models/small/0.1.0/old").exists()


def test_a_failed_switch_keeps_the_site_and_leaves_nothing_behind(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    build(root)
    site = root.parent / "site"
    before = snapshot(site)
    EDITS["change a dataset"][0](root)

    def full_disk(ready: Path, output: Path) -> Path | None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(swap, "switch", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build(root)
    assert snapshot(site) == before
    assert sorted(p.name for p in root.parent.iterdir()) == ["cache", "catalog", "site"]


def test_without_the_exchange_two_renames_switch_the_sites(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    root = make_catalog()
    build(root)
    EDITS["change a dataset"][0](root)
    build(root)
    assert snapshot(root.parent / "site") == cold(root)
    assert swap.leftovers(root.parent / "site") == []


def test_leftovers_of_killed_builds_are_removed_by_the_next(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    build(root)
    for name in (".site.new-abc", ".site.old-def"):
        (root.parent / name / "models").mkdir(parents=True)
    other = root.parent / ".other.new-xyz"  # another output's: not ours to remove
    other.mkdir()
    EDITS["change a dataset"][0](root)
    build(root)
    assert sorted(p.name for p in root.parent.iterdir()) == [
        ".other.new-xyz",
        "cache",
        "catalog",
        "site",
    ]


def test_no_cache_keeps_no_standby(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    build(root, use_cache=False)
    EDITS["change a dataset"][0](root)
    build(root, use_cache=False)
    assert not (root.parent / "cache").exists()
    assert snapshot(root.parent / "site") == cold(root)
    assert config(root).output.exists()
