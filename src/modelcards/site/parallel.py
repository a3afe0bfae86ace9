"""Render pages into a folder, over several processes when the site is large enough.

A page is a pure function of the prepared site data, so pages can be rendered in any order
by any process. The pages are cut up front into pieces of equal estimated cost, the costliest
pages first; forked workers (forking.py) inherit the loaded catalog and the compiled
templates as they are, each takes the next piece nobody has taken (forking.Tickets) until
none is left, and writes its pages itself, so only paths and sizes travel back. Estimates
are rough (a worker also pays for the memory it shares with the parent), so taking pieces
as they come keeps both processes busy to the end where fixed shares left one idle. Small jobs
(or a machine with one CPU, or a process where forking is not possible or not safe, such as
`serve`) render in this process: there workers cost more than they save.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

from jinja2 import TemplateError

from ..forking import (
    ChildFailed,
    Forked,
    Tickets,
    available_cpus,
    fork_possible,
    run_forked,
)
from . import swap
from .context import SiteData
from .errors import BuildFailed
from .pages import KINDS, render_page
from .reuse import folders_of
from .structure import Page

PARALLEL_MIN_PAGES = 400  # below this, starting processes costs more than it saves
CHUNK = 64  # at least this many pages per worker: fewer do not pay for the fork
PIECES = Tickets.MOST  # pieces of work handed out: the last to finish waits for one at most


def page_costs(pages: Sequence[Page], versions: int) -> list[int]:
    """Each page's estimated rendering time, in version pages (its kind's cost: pages.KINDS)."""
    return [1 + int(versions * KINDS[page.kind].cost) for page in pages]


def pieces(pages: Sequence[Page], costs: Sequence[int], count: int) -> list[list[Page]]:
    """The pages, costliest first, cut into at most `count` pieces of about equal cost (a
    page that costs more than a piece is a piece of its own)."""
    order = sorted(range(len(pages)), key=lambda i: -costs[i])  # stable: site order otherwise
    share = sum(costs) / count
    cut: list[list[Page]] = []
    piece: list[Page] = []
    load = 0
    for index in order:
        piece.append(pages[index])
        load += costs[index]
        if load >= share * (len(cut) + 1):
            cut.append(piece)
            piece = []
    return [*cut, piece] if piece else cut


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


def _write(site: SiteData, pages: Iterable[Page], folder: Path) -> Iterator[tuple[str, int]]:
    for page in pages:
        for name, data in render_checked(site, page).items():
            # "x": a new file, never one written through (it could be a hard link that the
            # site being served shares: reuse.py)
            with open(folder / name, "xb") as stream:
                stream.write(data)
            yield name, len(data)


def processes_allowed(jobs: int | None) -> int:
    """How many processes may render at once: `jobs`, else one per CPU; one where forking
    is not possible or not safe."""
    wanted = jobs if jobs is not None else available_cpus()
    return wanted if wanted >= 2 and fork_possible() else 1


def workers_for(work: int, jobs: int | None) -> int:
    """How many processes to render `work` (in version pages, see page_costs) with."""
    if work < PARALLEL_MIN_PAGES:
        return 1
    return min(processes_allowed(jobs), -(-work // CHUNK))


def render_pages(
    site: SiteData, pages: Sequence[Page], folder: Path, jobs: int | None = None
) -> dict[str, int]:
    """Render `pages` into `folder` (its subfolders exist already): {path: size in bytes}."""
    costs = page_costs(pages, len(site.catalog.versions))
    workers = min(workers_for(sum(costs), jobs), len(pages))
    if workers <= 1:
        return dict(_write(site, pages, folder))
    cut = pieces(pages, costs, PIECES)
    with Tickets(len(cut)) as tickets:
        task = partial(_write_pieces, site, cut, tickets, folder)
        try:
            shares = run_forked([task] * workers)
        except ChildFailed as error:
            raise BuildFailed(str(error)) from None
    return {name: size for share in shares for name, size in share}


def _write_pieces(
    site: SiteData, cut: Sequence[Sequence[Page]], tickets: Tickets, folder: Path
) -> list[tuple[str, int]]:
    """The pieces this process gets to, rendered and written."""
    return _written(site, (page for number in tickets for page in cut[number]), folder)


def _written(site: SiteData, pages: Iterable[Page], folder: Path) -> list[tuple[str, int]]:
    try:
        return list(_write(site, pages, folder))
    except BuildFailed:
        raise
    except Exception as error:  # a worker reports what went wrong, whatever it was
        raise BuildFailed(f"rendering failed: {type(error).__name__}: {error}") from None


class Ahead:
    """Pages a forked process renders into a folder of their own while this one goes on
    working out the rest of the build (every page's fingerprint, what the standby site
    holds, what to keep): after a one-card edit the pages that list the whole catalog are
    most of the rendering, and they are known to change before anything else is.
    `finish` moves them into the new site; leaving the `with` block stops the process and
    removes the folder, whatever happened."""

    def __init__(self, site: SiteData, pages: Sequence[Page], output: Path, jobs: int | None):
        self.paths = frozenset(page.path for page in pages)
        self._folder: Path | None = None
        self._child: Forked[list[tuple[str, int]]] | None = None
        work = sum(page_costs(pages, len(site.catalog.versions)))
        # a process of their own pays from a piece's worth of work (CHUNK version pages)
        if work < CHUNK or processes_allowed(jobs) < 2:
            self.paths = frozenset()  # not worth a process: rendered with the others
            return
        self._folder = folder = swap.new_folder(output)  # a leftover the next build removes
        for name in folders_of(self.paths):
            os.mkdir(folder / name)
        self._child = Forked(partial(_written, site, pages, folder))

    def finish(self, target: Path, wanted: Collection[str]) -> dict[str, int]:
        """Wait for the pages and move those `wanted` into `target` (their folders exist
        there, and their paths are free): {path: size}."""
        if self._child is None or self._folder is None:
            return {}
        try:
            written = self._child.result()
        except ChildFailed as error:
            raise BuildFailed(str(error)) from None
        finally:
            self._child = None
        moved = {name: size for name, size in written if name in wanted}
        for name in moved:
            os.rename(self._folder / name, target / name)
        return moved

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            self._child.__exit__()  # stops it (forking._stop ignores a child already gone)
        if self._folder is not None:
            swap.remove(self._folder)
