"""What an incremental build takes over from the sites it made before, and how.

The site being served is never touched by a build (swap.py switches a complete new one in).
So the new site is made in another folder: the *standby*, the site before the one being
served, kept in the cache folder and brought up to date; or, when there is none, a new folder.

- a file whose fingerprint is the one the standby's copy was made with stays where it is;
- a file whose fingerprint is the one the served copy was made with is hard-linked from the
  site being served;
- any other file is rendered, and whatever the new site does not have is removed.

No file is ever written in place: a file to change is removed and made anew, so a file the
two sites share through a hard link never changes under the site being served. After the
switch the old site becomes the standby, so a rebuild touches only what changed in the last
two builds: a few hundred renames and links for a one-card edit. (Moving unchanged folders
out of the site being served cost nothing either, but a build killed meanwhile left that site
with folders missing; linking every unchanged file and deleting the old site cost seconds.)

What is on disk is checked, not assumed: the standby is scanned, and a file whose size
differs from the one recorded, a missing file, or anything the record does not list (left
there by hand, or by an interrupted build) is removed or made again. A linked file must
still have the size recorded for it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

Known = Mapping[str, tuple[str, int]]  # what a manifest records: path -> (fingerprint, size)


@dataclass(frozen=True)
class Listing:
    """The files (regular files: their size; anything else: -1) and folders of a site."""

    files: dict[str, int]
    folders: set[str]


EMPTY = Listing({}, set())


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


def folders_of(names: Iterable[str]) -> list[str]:
    """Every folder the files need, each after its parent."""
    found: set[str] = set()
    for name in names:
        folder = name.rpartition("/")[0]
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return sorted(found, key=lambda f: (f.count("/"), f))


@dataclass(frozen=True)
class Plan:
    keep: dict[str, int]  # files already in the target as the new site has them: path -> size
    link: dict[str, int]  # files to link from the site being served: path -> recorded size
    render: list[str]  # files to render
    remove: list[str]  # files (or links, or anything but folders) to remove from the target
    stale_folders: list[str]  # folders of the target the new site does not have
    new_folders: list[str]  # folders to make, each after its parent


def plan(
    target: Listing, target_known: Known, served_known: Known, keys: Mapping[str, str]
) -> Plan:
    """How to turn the target folder into the new site whose files have fingerprints `keys`.

    `target_known` is what the target's manifest records (empty for a new folder),
    `served_known` what the manifest of the site being served records (empty when there is
    none that can be trusted).
    """
    keep: dict[str, int] = {}
    link: dict[str, int] = {}
    render: list[str] = []
    for path, key in keys.items():
        there = target_known.get(path)
        if there is not None and there[0] == key and target.files.get(path) == there[1]:
            keep[path] = there[1]
            continue
        served = served_known.get(path)
        if served is not None and served[0] == key:
            link[path] = served[1]
        else:
            render.append(path)
    needed = folders_of(keys)
    wanted = set(needed)
    stale = sorted((f for f in target.folders if f not in wanted), key=lambda f: (-f.count("/"), f))
    return Plan(
        keep=keep,
        link=link,
        render=render,
        remove=sorted(path for path in target.files if path not in keep),
        stale_folders=stale,
        new_folders=[f for f in needed if f not in target.folders],
    )


def prepare(target: Path, served: Path, steps: Plan) -> tuple[dict[str, int], list[str]]:
    """Carry out a plan but for the rendering: returns {path: size} of the files in place
    and the paths left to render (those planned, and links that did not work out)."""
    folder, source = str(target), str(served)
    for path in steps.remove:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(folder, path))
    for stale in steps.stale_folders:
        shutil.rmtree(os.path.join(folder, stale), ignore_errors=True)
    for new in steps.new_folders:
        os.mkdir(os.path.join(folder, new))  # parents first: plain mkdir, no stat per level
    sizes = dict(steps.keep)
    render = list(steps.render)
    for path, size in steps.link.items():
        if link_file(os.path.join(source, path), os.path.join(folder, path), size):
            sizes[path] = size
        else:
            render.append(path)
    return sizes, render


def link_file(source: str, target: str, size: int) -> bool:
    """Hard-link (or, where links are not possible, copy) a file of the recorded size."""
    try:
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target, follow_symlinks=False)
        found = os.stat(target, follow_symlinks=False)
    except OSError:
        return False
    if stat.S_ISREG(found.st_mode) and found.st_size == size:
        return True
    os.unlink(target)
    return False
