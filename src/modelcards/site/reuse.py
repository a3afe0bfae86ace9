"""What an incremental build takes over from the site it replaces, and how.

An unchanged page is not rendered again: its file moves from the old site into the new one.
Whole folders move with one rename each when everything in them is unchanged (the folder
of every model untouched by an edit), single files are hard-linked otherwise. Linking each
of 30,000 files and then deleting the old site cost more than the rendering an edit needs;
a few hundred renames cost nothing.

Nothing of the old site moves until every changed page has been rendered, so a failed
render leaves it whole; the renames run just before the swap, and are undone if anything
fails from there on. What is on disk is checked, not assumed: the old site is scanned, and a
file whose size differs from the one recorded, a missing file, or an extra file or folder
(left there by hand, or by an interrupted build) keeps its folder from moving as a whole.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Listing:
    """The files (regular files: their size; anything else: -1) and folders of a site."""

    files: dict[str, int]
    folders: set[str]


def scan(root: Path) -> Listing:
    files: dict[str, int] = {}
    folders: set[str] = set()
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(root, folder)))
        except OSError:
            continue  # an unreadable folder: it counts as empty, so nothing in it is reused
        for entry in entries:
            name = f"{folder}/{entry.name}" if folder else entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.add(name)
                pending.append(name)
                continue
            try:
                found = entry.stat(follow_symlinks=False)
            except OSError:
                found = None
            regular = found is not None and stat.S_ISREG(found.st_mode)
            files[name] = found.st_size if found is not None and regular else -1
    return Listing(files, folders)


def _folder(path: str) -> str:
    """posixpath.dirname for the site's paths (relative, "/"-separated), a tenth of the cost."""
    return path.rpartition("/")[0]


class _Chains:
    """The folders above each path, worked out once per folder (30,000 paths share a few
    thousand folders)."""

    def __init__(self) -> None:
        self.memo: dict[str, tuple[str, ...]] = {"": ()}

    def above(self, path: str) -> tuple[str, ...]:
        folder = _folder(path)
        found = self.memo.get(folder)
        if found is None:
            found = (folder, *self.above(folder))
            self.memo[folder] = found
        return found

    def files_within(self, paths: Iterable[str]) -> Counter[str]:
        """How many of `paths` each folder holds, at any depth (counted by folder: the
        paths are many, the folders few)."""
        direct = Counter(map(_folder, paths))
        total = Counter[str]()
        for folder, count in direct.items():
            for holder in (folder, *self.above(folder)) if folder else ():
                total[holder] += count
        return total


@dataclass(frozen=True)
class Reuse:
    moves: list[str]  # folders that move as a whole, none inside another
    links: list[str]  # files outside them that are linked one by one
    kept: set[str]  # every file taken over, by either way
    outside: list[str]  # the new site's files that are not inside a folder that moves


def plan(old: Listing, unchanged: dict[str, int], new_files: Iterable[str]) -> Reuse:
    """Which of the new site's files to take over from the old one, and how.

    `unchanged` maps each new file whose inputs did not change to the size it was written
    with; it is taken over only if the old site still has it at that size. A folder moves
    whole when the old and the new site hold exactly the same files and folders in it and
    every one of those files is taken over.
    """
    kept = {path for path, size in unchanged.items() if old.files.get(path) == size}
    new = list(new_files)
    chains = _Chains()
    new_count = chains.files_within(new)
    kept_count = chains.files_within(path for path in new if path in kept)
    old_count = chains.files_within(old.files)
    new_folders = set(new_count)
    old_subfolders, new_subfolders = Counter[str](), Counter[str]()
    for folder in old.folders:
        old_subfolders.update(chains.above(folder))
    for folder in new_folders:
        new_subfolders.update(chains.above(folder))

    def whole(folder: str) -> bool:
        # kept files are in both sites, so equal counts mean equal contents
        return (folder in old.folders and kept_count[folder] == new_count[folder]
                == old_count[folder] and old_subfolders[folder] == new_subfolders[folder])

    moves: list[str] = []
    moved: set[str] = set()
    for folder in sorted(new_folders, key=lambda f: (f.count("/"), f)):
        if moved.isdisjoint(chains.above(folder)) and whole(folder):
            moves.append(folder)
            moved.add(folder)
    outside = [p for p in new if moved.isdisjoint(chains.above(p))]
    return Reuse(moves, [p for p in outside if p in kept], kept, outside)


def link_file(old: Path, staging: Path, name: str) -> bool:
    """Hard-link (or, where links are not possible, copy) one file into the new site."""
    source, target = old / name, staging / name
    try:
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    except OSError:
        return False
    return True


def move_folders(old: Path, staging: Path, folders: list[str]) -> None:
    """Move each folder from the old site into the new one; all of them or, on error, none."""
    done: list[str] = []
    try:
        for folder in folders:
            os.rename(old / folder, staging / folder)
            done.append(folder)
    except BaseException:
        move_back(old, staging, done)
        raise


def move_back(old: Path, staging: Path, folders: list[str]) -> None:
    """Undo move_folders, so a build that fails after it leaves the old site whole."""
    for folder in reversed(folders):
        try:
            os.rename(staging / folder, old / folder)
        except OSError:
            continue  # best effort: the next build sees the gap in its scan and renders it
