"""Render pages into a folder, over a pool of processes when the site is large enough.

A page is a pure function of the prepared site data, so pages can be rendered in any order
by any process. On Linux the workers are forked after the catalog is loaded and the
templates compiled: each inherits both as they are, with nothing pickled, renders its
share of the pages (shares of equal estimated cost) and writes them itself, so only paths
and sizes travel back. Small jobs (or a machine with one CPU, or a platform without fork,
or a process running other threads, such as `serve`) render in this process: there
workers cost more than they save, or forking is not safe.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .context import SiteData
from .errors import BuildFailed
from .pages import render_page
from .structure import Page

PARALLEL_MIN_PAGES = 400  # below this, starting processes costs more than it saves
CHUNK = 64  # at least this many pages per worker: fewer do not pay for the fork
# What a page listing the whole catalog costs, in version pages per version listed (about
# 2 ms each; measured on the benchmark catalog of 10,000 versions: catalog.json 0.57 s, the
# home page 0.23 s, the feed 0.14 s). After a one-card edit these few pages are most of the
# work, and they must not all fall to one process.
WHOLE_CATALOG_COST = {"catalog-json": 1 / 35, "home": 1 / 85, "feed": 1 / 140}


def page_costs(pages: Sequence[Page], versions: int) -> list[int]:
    """Each page's estimated rendering time, in version pages."""
    return [1 + int(versions * WHOLE_CATALOG_COST.get(page.kind, 0)) for page in pages]


def split(pages: Sequence[Page], costs: Sequence[int], workers: int) -> list[list[Page]]:
    """Shares of about equal cost: the costliest page first, each to the least loaded share."""
    shares: list[list[Page]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(pages)), key=lambda i: -costs[i]):
        lightest = loads.index(min(loads))
        shares[lightest].append(pages[index])
        loads[lightest] += costs[index]
    return shares


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


def workers_for(work: int, jobs: int | None) -> int:
    """How many processes to render `work` (in version pages, see page_costs) with."""
    wanted = jobs if jobs is not None else available_cpus()
    if wanted < 2 or work < PARALLEL_MIN_PAGES:
        return 1
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return min(wanted, -(-work // CHUNK))


def render_pages(
    site: SiteData, pages: Sequence[Page], folder: Path, jobs: int | None = None
) -> dict[str, int]:
    """Render `pages` into `folder` (its subfolders exist already): {path: size in bytes}."""
    costs = page_costs(pages, len(site.catalog.versions))
    workers = min(workers_for(sum(costs), jobs), len(pages))
    if workers <= 1:
        return dict(_write(site, pages, folder))
    gc.freeze()  # keep the inherited heap out of the workers' collections: no copy-on-write
    children: list[tuple[int, int]] = []
    try:
        for share in split(pages, costs, workers):
            children.append(_fork_worker(site, share, folder))
        outcomes = [_collect(pid, fd) for pid, fd in children]
        children.clear()
    finally:
        _stop(children)  # only after an interruption: every worker has been collected otherwise
    errors = [outcome["error"] for outcome in outcomes if "error" in outcome]
    if errors:
        raise BuildFailed(str(errors[0]))
    return {name: size for outcome in outcomes for name, size in outcome["sizes"]}


def _fork_worker(site: SiteData, pages: Sequence[Page], folder: Path) -> tuple[int, int]:
    """Start a process rendering `pages`; it reports through a pipe and exits.

    Plain fork and a pipe per worker, rather than multiprocessing.Pool: the work is split up
    front, so there is no task queue, no helper thread and nothing that can hang when a worker
    fails; each worker writes one JSON message and leaves with os._exit.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)  # pragma: no cover (runs in the child, after fork)
    try:  # pragma: no cover
        message: dict[str, Any] = {"sizes": list(_write(site, pages, folder))}
    except BuildFailed as error:  # pragma: no cover
        message = {"error": str(error)}
    except BaseException as error:  # pragma: no cover (anything, so the child never escapes)
        message = {"error": f"rendering failed: {type(error).__name__}: {error}"}
    try:  # pragma: no cover
        with os.fdopen(write_end, "w", encoding="utf-8") as stream:
            json.dump(message, stream)
    finally:  # pragma: no cover
        os._exit(0)


def _collect(pid: int, read_end: int) -> dict[str, Any]:
    with os.fdopen(read_end, encoding="utf-8") as stream:
        text = stream.read()
    _, status = os.waitpid(pid, 0)
    try:
        message: dict[str, Any] = json.loads(text)
    except ValueError:
        code = os.waitstatus_to_exitcode(status)
        return {"error": f"a rendering process ended without a result (exit status {code})"}
    return message


def _stop(children: list[tuple[int, int]]) -> None:
    for pid, read_end in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.close(read_end)
