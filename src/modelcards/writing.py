"""Files written whole or not at all, and only where they belong.

Every file modelcards writes goes through here: cards (edits, scaffolds, `record`, imports),
`init`'s repository files, exports, schemas, the card cache and the site's manifest. A
reader never sees half a file, and a process killed at any point leaves the old file or the
new one, never a mix: each text is written to a hidden file beside its target first, then
renamed over it (a rename within one folder is atomic).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import PathProblem


class UnsafeOutput(PathProblem, ValueError):
    """An output a command must not write (inside the catalog, or over something that is
    not its own): a usage error (exit 2)."""


def is_inside(folder: Path, path: Path) -> bool:
    """Whether `path` is inside `folder` once both are resolved (`..` and symbolic links)."""
    return path.resolve().is_relative_to(folder.resolve())


def check_inside(
    folder: Path, paths: Iterable[Path], refuse: type[Exception] = UnsafeOutput
) -> None:
    """Refuse (raise `refuse`) to write anywhere but inside the catalog (or its scratch copy)."""
    for path in paths:
        if not is_inside(folder, path):
            raise refuse(f"refusing to write {path}: it is outside the catalog folder {folder}")


def check_output(output: Path, catalog_root: Path) -> None:
    """Refuse an output inside the catalog folder: it would overwrite or add a card."""
    if is_inside(catalog_root, output):
        raise UnsafeOutput(
            f"refusing to write {output}: it is inside the catalog folder {catalog_root}, "
            "where every file is a card; choose a path outside it"
        )


def _staged(path: Path, data: str | bytes) -> Path:
    """`data` in a new file beside `path`, with its mode (a new file gets the mode a plain
    write gives, the umask applied), ready to be renamed over it. (A hidden name: a file
    left by a killed process is not taken for a card.)"""
    handle, temporary = _new_file(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        if path.exists():
            shutil.copymode(path, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _new_file(path: Path) -> tuple[int, Path]:
    """A new hidden file beside `path`, opened for writing (never an existing one: O_EXCL,
    which also refuses a planted link)."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue


def write_atomically(path: Path, data: str | bytes) -> None:
    """Replace `path` with `data` (text is written as UTF-8, its newlines as they are) whole,
    or leave it as it was. Its folder must exist."""
    temporary = _staged(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_all_or_nothing(files: Sequence[tuple[Path, str]]) -> None:
    """Replace several files, all of them or, when any write fails, none.

    Missing folders are made (a new model's). Every new text is written to a file beside
    its target first, and each old file is kept
    under a second name (a hard link); only then are the new files renamed over the old,
    and a failure on the way renames the old ones back. (A promotion that archives the
    version it replaces edits two cards: the catalog is invalid with one of them alone.)
    """
    staged: list[Path] = []
    kept: list[tuple[Path, Path | None]] = []  # (target, its old file, None: it had none)
    replaced: list[tuple[Path, Path | None]] = []
    try:
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append(_staged(path, text))
            kept.append((path, _kept_aside(path)))
        for (path, old), new in zip(kept, staged, strict=True):
            os.replace(new, path)
            replaced.append((path, old))
    except BaseException:
        for path, old in reversed(replaced):
            with contextlib.suppress(OSError):
                os.replace(old, path) if old is not None else path.unlink()
        raise
    finally:
        for leftover in [*staged, *(old for _, old in kept if old is not None)]:
            leftover.unlink(missing_ok=True)


def _kept_aside(path: Path) -> Path | None:
    """A second name for the file at `path` (None when there is none), to put it back."""
    if not path.exists():
        return None
    aside = path.with_name(f".{path.name}.{os.getpid()}.{id(path):x}.old")
    try:
        os.link(path, aside)
    except OSError:  # a file system without hard links: a copy
        shutil.copy2(path, aside)
    return aside
