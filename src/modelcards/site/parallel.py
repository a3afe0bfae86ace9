"""Render pages into a folder, over several processes when the site is large enough.

A page is a pure function of the prepared site data, so pages can be rendered in any order
by any process. The pages are split up front into shares of equal estimated cost; forked
workers (forking.py) inherit the loaded catalog and the compiled templates as they are,
render their share and write it themselves, so only paths and sizes travel back. Small jobs
(or a machine with one CPU, or a process where forking is not possible or not safe, such as
`serve`) render in this process: there workers cost more than they save.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

from jinja2 import TemplateError

from ..forking import ChildFailed, available_cpus, fork_possible, run_forked
from .context import SiteData
from .errors import BuildFailed
from .pages import KINDS, render_page
from .structure import Page

PARALLEL_MIN_PAGES = 400  # below this, starting processes costs more than it saves
CHUNK = 64  # at least this many pages per worker: fewer do not pay for the fork


def page_costs(pages: Sequence[Page], versions: int) -> list[int]:
    """Each page's estimated rendering time, in version pages (its kind's cost: pages.KINDS)."""
    return [1 + int(versions * KINDS[page.kind].cost) for page in pages]


def split(pages: Sequence[Page], costs: Sequence[int], workers: int) -> list[list[Page]]:
    """Shares of about equal cost: the costliest page first, each to the least loaded share."""
    shares: list[list[Page]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(pages)), key=lambda i: -costs[i]):
        lightest = loads.index(min(loads))
        shares[lightest].append(pages[index])
        loads[lightest] += costs[index]
    return shares


def render_checked(site: SiteData, page: Page) -> dict[str, bytes]:
    """A page's files; a template that fails (a theme's, whatever it raises) fails the build
    with the template's name and line."""
    try:
        return render_page(site, page)
    except Exception as error:
        where = template_line(error)
        if where is None and not isinstance(error, TemplateError):
            raise  # not a template's doing: a bug of ours, with its traceback
        problem = f"{where + ': ' if where else ''}{type(error).__name__}: {error}"
        raise BuildFailed(f"rendering {page.path} failed: {problem}") from None


def template_line(error: BaseException) -> str | None:
    """`file:line` of the template line an exception was raised from, if it was: Jinja2
    rewrites a rendering traceback so that template lines are frames of their own."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _write(site: SiteData, pages: Sequence[Page], folder: Path) -> Iterator[tuple[str, int]]:
    for page in pages:
        for name, data in render_checked(site, page).items():
            # "x": a new file, never one written through (it could be a hard link that the
            # site being served shares: reuse.py)
            with open(folder / name, "xb") as stream:
                stream.write(data)
            yield name, len(data)


def workers_for(work: int, jobs: int | None) -> int:
    """How many processes to render `work` (in version pages, see page_costs) with."""
    wanted = jobs if jobs is not None else available_cpus()
    if wanted < 2 or work < PARALLEL_MIN_PAGES:
        return 1
    if not fork_possible():
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
    tasks = [partial(_write_share, site, share, folder) for share in split(pages, costs, workers)]
    try:
        shares = run_forked(tasks)
    except ChildFailed as error:
        raise BuildFailed(str(error)) from None
    return {name: size for share in shares for name, size in share}


def _write_share(site: SiteData, pages: Sequence[Page], folder: Path) -> list[tuple[str, int]]:
    try:
        return list(_write(site, pages, folder))
    except BuildFailed:
        raise
    except Exception as error:  # a worker reports what went wrong, whatever it was
        raise BuildFailed(f"rendering failed: {type(error).__name__}: {error}") from None
