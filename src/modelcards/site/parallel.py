"""Render pages into a folder, over a pool of processes when the site is large enough.

A page is a pure function of the prepared site data, so pages can be rendered in any order
by any process. On Linux the workers are forked after the catalog is loaded and the
templates compiled: each inherits both as they are, with nothing pickled, and writes its
pages itself, so only paths and sizes travel back. Small sites (or a machine with one CPU,
or a platform without fork, or a process running other threads, such as `serve`) render
in this process: there a pool costs more than it saves, or forking is not safe.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from jinja2 import TemplateError

from .context import SiteData
from .errors import BuildFailed
from .pages import render_page
from .structure import Page

PARALLEL_MIN_PAGES = 400  # below this, starting processes costs more than it saves
CHUNK = 64  # pages per task: a model's pages stay together, results travel in few messages

# What the forked workers render: set before the pool starts, inherited, never pickled.
_work: tuple[SiteData, Sequence[Page], Path] | None = None


def available_cpus() -> int:
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+: honours the CPU affinity
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def render_checked(site: SiteData, page: Page) -> dict[str, bytes]:
    try:
        return render_page(site, page)
    except TemplateError as error:
        problem = f"{type(error).__name__}: {error}"
        raise BuildFailed(f"rendering {page.path} failed: {problem}") from None


def _write(site: SiteData, pages: Sequence[Page], folder: Path) -> Iterator[tuple[str, int]]:
    for page in pages:
        for name, data in render_checked(site, page).items():
            (folder / name).write_bytes(data)
            yield name, len(data)


def workers_for(pages: int, jobs: int | None) -> int:
    wanted = jobs if jobs is not None else available_cpus()
    if wanted < 2 or pages < PARALLEL_MIN_PAGES:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return min(wanted, -(-pages // CHUNK))


def _render_chunk(bounds: tuple[int, int]) -> list[tuple[str, int]] | str:
    assert _work is not None
    site, pages, folder = _work
    try:
        return list(_write(site, pages[bounds[0]:bounds[1]], folder))
    except BuildFailed as error:
        return str(error)  # a message, not an exception: it crosses the process boundary


def render_pages(
    site: SiteData, pages: Sequence[Page], folder: Path, jobs: int | None = None
) -> dict[str, int]:
    """Render `pages` into `folder` (its subfolders exist already): {path: size in bytes}."""
    workers = workers_for(len(pages), jobs)
    if workers == 1:
        return dict(_write(site, pages, folder))
    global _work
    _work = (site, pages, folder)
    gc.freeze()  # keep the inherited heap out of the workers' collections: no copy-on-write
    try:
        context = multiprocessing.get_context("fork")
        sizes: dict[str, int] = {}
        chunks = [(start, start + CHUNK) for start in range(0, len(pages), CHUNK)]
        with context.Pool(workers) as pool:
            for result in pool.imap_unordered(_render_chunk, chunks):
                if isinstance(result, str):
                    raise BuildFailed(result)
                sizes.update(result)
        return sizes
    finally:
        _work = None
        gc.unfreeze()
