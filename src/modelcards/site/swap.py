"""Replacing the output folder: the old site stays whole until one atomic switch.

A build fills a folder that is not being served (a new one beside the output, or the standby
site that reuse.py brings up to date), then switches it with the output folder in one step:
`renameat2(RENAME_EXCHANGE)` on Linux. At every instant the output path holds the complete old
site or the complete new one, so a build killed at any point (a CI cancel, an OOM kill) leaves
a whole site. Where the exchange is not available (other systems, file systems without it)
the switch is two renames, between which the output path is missing for an instant; both
sites are complete throughout.

A killed build can leave `.<output>.new-*` or `.<output>.old-*` folders beside the output;
the next build removes them. Builds into one folder take turns (a lock on the folder that
holds the output), so a build never takes the folders of another running build for leftovers.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: builds into one folder must not run at the same time there
    fcntl = None  # type: ignore[assignment]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# The errors that say "this system or file system cannot exchange": fall back to renames.
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV}


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc < 2.28)
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_EXCHANGE = _renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False when this system cannot."""
    if _EXCHANGE is None:
        return False
    if (
        _EXCHANGE(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
        == 0
    ):
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def switch(ready: Path, output: Path) -> Path | None:
    """Make `ready` the output folder; returns where the old site now is (None: there was none).

    With the exchange, the old site ends up at `ready`'s path.
    """
    if not os.path.lexists(output):
        os.rename(ready, output)
        return None
    if exchange(ready, output):
        return ready
    old = ready.with_name(ready.name.replace(".new-", ".old-", 1))
    os.rename(output, old)
    try:
        os.rename(ready, output)
    except BaseException:
        os.rename(old, output)  # put the old site back
        raise
    return old


def new_folder(output: Path) -> Path:
    """An empty folder beside the output, named so that the next build knows it for a leftover."""
    output.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    os.chmod(folder, 0o755)  # mkdtemp makes it private; a web server must read it
    return folder


def leftovers(output: Path) -> list[Path]:
    """The folders that builds killed on their way left beside the output."""
    prefixes = (f".{output.name}.new-", f".{output.name}.old-")
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return []
    return sorted(
        Path(entry.path)
        for entry in entries
        if entry.name.startswith(prefixes) and entry.is_dir(follow_symlinks=False)
    )


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def locked(output: Path) -> Iterator[None]:
    """Hold the lock of the folder holding `output` (builds into it take turns), after
    removing what killed builds left there."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(output.parent, os.O_RDONLY) if fcntl is not None else None
    try:
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        for folder in leftovers(output):
            remove(folder)
        yield
    finally:
        if handle is not None:
            os.close(handle)  # closing releases the lock
