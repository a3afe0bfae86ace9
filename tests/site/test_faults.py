"""Builds killed at every step, as a CI cancel or the OOM killer kills them (SIGKILL): the
output folder is always the complete old site or the complete new one, never missing, and
the next build removes whatever the killed one left behind.

Each build runs in a forked process that counts its file-system changes (renames, links,
removals, new folders, files opened for writing, the atomic exchange) and kills itself just
before the Nth; it is run for every N until a build gets through."""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from modelcards.site import build as site_build
from modelcards.site import swap
from modelcards.site.build import SiteConfig, build_site

from ..helpers.catalogs import CatalogMaker, snapshot
from ..helpers.generated import generate
from ..helpers.site import TODAY, cold
from ..helpers.site_edits import EDITS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

_WRITE_MODES = set("wax+")


def _counting(kill_at: int | None, count: list[int]) -> None:
    """In the forked build: count each file-system change, and die before the `kill_at`th."""

    def step() -> None:
        count[0] += 1
        if count[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(owner: Any, name: str, changes: Callable[..., bool] = lambda *a, **k: True) -> None:
        original = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            if changes(*args, **kwargs):
                step()
            return original(*args, **kwargs)

        setattr(owner, name, counted)

    for name in ("rename", "replace", "link", "unlink", "rmdir", "mkdir", "symlink"):
        wrap(os, name)
    wrap(os, "open", lambda path, flags, *a, **k: bool(flags & (os.O_WRONLY | os.O_RDWR)))
    wrap(shutil, "copyfile")
    wrap(swap, "exchange")
    opened = builtins.open

    def open_counted(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if _WRITE_MODES & set(mode):
            step()
        return opened(file, mode, *args, **kwargs)

    builtins.open = io.open = open_counted


def build_killed(config: SiteConfig, kill_at: int | None) -> int | None:
    """Build in a forked process killed before its `kill_at`th change: None when it was
    killed, else how many changes the whole build made."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.close(reader)
            count = [0]
            _counting(kill_at, count)
            report = build_site(config)
            if report.files is not None:
                os.write(writer, str(count[0]).encode())
                code = 0
        finally:
            os._exit(code)
    os.close(writer)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(reader, "rb") as stream:
        said = stream.read()
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return None
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "the build failed"
    return int(said)


def restore(saved: Path, place: Path) -> None:
    """Put a saved state back where it was, at the same paths: a copy that keeps times, so
    each manifest still describes its site (as a CI cache restored by tar does)."""
    shutil.rmtree(place)
    shutil.copytree(saved, place, symlinks=True)


def states(root: Path) -> Iterator[tuple[str, Callable[[], SiteConfig]]]:
    """Starting points, each with the build to kill: the catalog edited since the site in
    place was built."""
    output, cache = root.parent / "site", root.parent / "cache"

    def config(**options: Any) -> SiteConfig:
        return SiteConfig(root, output, today=TODAY, cache=cache, **options)

    edits = [EDITS["change a dataset"][0], EDITS["change a version"][0]]
    yield "first build", config
    build_site(config())
    edits[0](root)
    yield "no cache", lambda: config(use_cache=False)
    yield "no standby yet", config
    build_site(config())  # the site before becomes the standby
    edits[1](root)
    yield "with a standby", config


def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_site_whole(
    make_catalog: CatalogMaker,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tested = _kill_at_every_step(make_catalog, tmp_path_factory, monkeypatch, two_renames=False)
    assert tested > 60


def test_where_sites_are_switched_by_two_renames_both_stay_whole_between_them(
    make_catalog: CatalogMaker,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the atomic exchange (macOS, Windows, some file systems), a build killed between
    the two renames of the switch leaves no output folder, but the old site whole beside it
    and the new one too; every other kill leaves the old or the new site in place."""
    monkeypatch.setattr(swap, "_EXCHANGE", None)
    tested = _kill_at_every_step(make_catalog, tmp_path_factory, monkeypatch, two_renames=True)
    assert tested > 60


def _kill_at_every_step(
    make_catalog: CatalogMaker,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    *,
    two_renames: bool,
) -> int:
    # The templates do not change here: compiled once, not for each of the 500 builds.
    environment = site_build.make_site_environment(None)
    monkeypatch.setattr(site_build, "make_site_environment", lambda theme: environment)
    root = make_catalog()
    place = root.parent
    output = place / "site"
    tested = between = 0
    for name, config in states(root):
        old = snapshot(output) if output.exists() else None
        new = cold(root)
        saved = tmp_path_factory.mktemp("saved") / "state"
        shutil.copytree(place, saved, symlinks=True)
        kill_at = 1
        while build_killed(config(), kill_at) is None:
            where = f"{name}: killed at change {kill_at}"
            there = snapshot(output) if output.exists() else None
            if there is None and old is not None and two_renames:
                # between the renames: both sites whole, under the names swap.py gives them
                aside = {
                    ("new" if ".new-" in p.name else "old"): snapshot(p)
                    for p in swap.leftovers(output)
                }
                assert aside == {"new": new, "old": old}, f"{where}: a partial site aside"
                between += 1
            else:
                assert there in (old, new), f"{where}: a partial site"
                if old is not None:
                    assert there is not None, f"{where}: no site"
            build_site(config())  # the next build: the new site, and nothing left over
            assert snapshot(output) == new, where
            assert swap.leftovers(output) == []
            restore(saved, place)
            kill_at += 1
            tested += 1
        assert snapshot(output) == new and swap.leftovers(output) == []
        assert kill_at > 5, f"{name}: the build made only {kill_at - 1} changes"
    # once per rebuild: after the first rename of the switch and before the second
    assert between == (3 if two_renames else 0)
    return tested


# ---- stopped by a signal, through the command line ---------------------------------------------


@pytest.mark.timeout(180)
def test_a_build_terminated_unwinds_and_leaves_the_site_in_place(tmp_path: Path) -> None:
    """SIGTERM (`timeout`, `docker stop`, a cancelled CI job) stops a build as Ctrl+C does:
    exit status 143, no worker left running, nothing it made aside left beside the output,
    and the site in place untouched. Sent once a folder made aside appears, mid-render."""
    catalog = tmp_path / "catalog"
    generate(catalog, 200, 5, 10)  # a render of a second or more: long enough to catch
    output = tmp_path / "site"
    command = [sys.executable, "-m", "modelcards", "build", str(catalog), "-o", str(output)]
    command += ["--today", TODAY.isoformat(), "--no-cache"]
    subprocess.run(command, check=True, capture_output=True)
    before = snapshot(output)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".site.new-*")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 143, errors
    assert "Traceback" not in errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "site"]
    assert snapshot(output) == before
    assert not _running_with(str(catalog))


def _running_with(argument: str) -> list[str]:
    """Processes whose command line holds `argument`: a build's forked workers have the
    build's (and would be adopted by init, not found as its children, had they outlived it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if argument.encode() in cmdline.read_bytes().split(b"\0"):
                found.append(cmdline.parent.name)
    return found
