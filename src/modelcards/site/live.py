"""The site `modelcards serve` answers from: pages rendered on demand from a catalog kept loaded.

`modelcards build` renders every file; serve loads and validates the catalog once, keeps it,
and renders a page when it is asked for, with the very renderers the build uses
(pages.render_page: the same paths and bytes), each page once per generation of the catalog.
After an edit, only the files the watcher names are read and parsed again (every other card is
the object loaded before, HeldCards), and the catalog is resolved and validated again, the
rules incrementally (rules/incremental.py). A catalog with errors, or a theme that does not
compile, never replaces the generation being served: the last good site stays.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, TemplateError

from ..cardcache import CardCache, HeldCards
from ..catalog import Catalog
from ..discovery import card_files, discover
from ..loading import CatalogFiles, load_catalog, load_changed
from ..problems import Problem
from ..reporters import report_text, scope_text
from ..rules.incremental import IncrementalCheck
from ..source import read_card_bytes
from ..validate import ValidationResult, resolve_today, validated
from .build import CARDS_FILE, THEME_FOLDER, SiteConfig, make_site_environment
from .cache import usable_cache_folder
from .context import SiteData, prepare
from .errors import BuildFailed
from .parallel import render_checked
from .render import DEFAULT_THEME, check_theme_folder
from .structure import ModelShape, Page, site_pages

Echo = Callable[[str], None]


@dataclass
class Generation:
    """One valid state of the catalog and theme, and the files rendered from it so far."""

    number: int
    site: SiteData
    validation: ValidationResult
    pages: Mapping[str, Page]  # every file the build writes (but its marker), by path
    rendered: dict[str, bytes] = field(default_factory=dict)

    def file(self, path: str) -> bytes | None:
        """The bytes `build` writes at `path` (from the site root); None: no such file.
        Raises BuildFailed when a template fails on this page."""
        page = self.pages.get(path)
        if page is None:
            return None
        found = self.rendered.get(path)
        if found is None:  # two threads may render one page at once: the same bytes
            found = self.rendered[path] = render_checked(self.site, page)[path]
        return found


class LiveSite:
    """The generation being served, and how the next one is made after a change.

    `load` is called by one thread at a time (the watcher); `current` by any number of
    request threads, which wait while a load is under way so that the first request after an
    edit is answered from the catalog that has it."""

    WAIT_SECONDS = 60.0

    def __init__(self, config: SiteConfig, echo: Echo) -> None:
        self.config = config
        self.echo = echo
        self.today = resolve_today(config.today)
        self._root = config.catalog
        self._cards = HeldCards.over(self._disk_cache())
        # The last validation of the files as they are, when it passed.
        self._valid: tuple[ValidationResult, Mapping[Path, str]] | None = None
        self._check = IncrementalCheck()
        self._files: CatalogFiles | None = None
        # The last load, valid or not: its catalog, its problems and its cards' JSON.
        self._loaded: tuple[Catalog, list[Problem], dict[Path, str]] | None = None
        self._env: Environment | None = None
        self._theme_changed = False
        self._shapes: dict[ModelShape, list[Page]] = {}  # site_pages's, kept between loads
        self._generation: Generation | None = None
        self._count = 0
        self._loading = threading.Condition()
        self._busy = False

    def _disk_cache(self) -> CardCache | None:
        """The build's card cache, which spares parsing at start-up (read, then written once)."""
        folder = self.config.cache_folder()
        if not self.config.use_cache or not usable_cache_folder(folder):
            return None
        return CardCache.open(folder / CARDS_FILE)

    # ---- requests -----------------------------------------------------------------------

    def current(self) -> Generation | None:
        """The generation to answer from, once any load under way is over."""
        with self._loading:
            self._loading.wait_for(lambda: not self._busy, self.WAIT_SECONDS)
            return self._generation

    @contextlib.contextmanager
    def _busy_loading(self) -> Iterator[None]:
        with self._loading:
            self._busy = True
        try:
            yield
        finally:
            with self._loading:
                self._busy = False
                self._loading.notify_all()

    # ---- loads --------------------------------------------------------------------------

    def load(self, changed: Collection[str] = ()) -> bool:
        """Load the catalog (all of it the first time; then what `changed` names, absolute
        paths as the watcher gives them), saying what happened. True when a new generation
        is being served."""
        start = time.perf_counter()
        with self._busy_loading():
            try:
                made = self._load({Path(name) for name in changed})
            except BuildFailed as error:
                self.echo(f"error: {error}")
                made = None
            except Exception as error:  # a bug, or a limit we missed: keep serving
                self.echo(f"error: the reload failed unexpectedly: {type(error).__name__}: {error}")
                made = None
            if made is not None:
                self._generation = made
        if made is None:
            if self._generation is not None:
                self.echo("the last good site is still being served")
            return False
        self.echo(
            f"loaded {scope_text(made.validation.scope)} in {time.perf_counter() - start:.2f} s "
            f"({len(made.pages)} files, rendered when asked)"
        )
        return True

    def _load(self, changed: set[Path]) -> Generation | None:
        if any(self._in_theme(path) for path in changed):
            self._theme_changed = True  # until a generation with the new theme is served
        in_catalog = {self._catalog_path(p) for p in changed if not self._in_theme(p)}
        previous = self._generation
        env = self._environment() if self._env is None or self._theme_changed else self._env
        today = resolve_today(self.config.today)  # past midnight, the catalog is judged anew
        if previous is None or self._files is None or in_catalog or today != self.today:
            self.today = today
            self._valid = None
            result, card_json = self._validate(in_catalog)
            if not result.passes():
                self._report(result)
                return None
            self._valid = result, card_json
        elif self._valid is not None:  # the theme changed: over the catalog as it is
            result, card_json = self._valid
        else:  # over the last good catalog, as the files are invalid now
            result, card_json = previous.validation, previous.site.card_json
        site = prepare(
            result.catalog,
            self.today,
            env,
            result.problems,
            card_json,
            complete=False,
            previous=previous.site if previous is not None else None,
        )
        if len(self._shapes) > 2 * len(result.catalog.models) + 100:
            self._shapes.clear()  # models of earlier shapes, edited since
        pages = site_pages(result.catalog, self._shapes)
        self._count += 1
        made = Generation(self._count, site, result, {page.path: page for page in pages})
        if previous is not None and env is not previous.site.env:
            _try_each_kind(made)  # a template that fails on a page keeps the last good theme
        self._env, self._theme_changed = env, False
        return made

    def _validate(self, changed: set[Path]) -> tuple[ValidationResult, Mapping[Path, str]]:
        """The validation of the catalog's files as they are now, and its cards' JSON (for
        catalog.json). When only known card files changed, only they are read and loaded
        again (loading.load_changed); otherwise the folders are walked again and every file
        goes through the loader, which still takes unchanged bytes' cards as they were."""
        known, loaded = self._files, self._loaded
        if (
            known is not None
            and loaded is not None
            and changed
            and all(path in known.contents and path.is_file() for path in changed)
        ):
            fresh = {path: read_card_bytes(path) for path in changed}
            files = CatalogFiles(known.found, {**known.contents, **fresh})
            card_json = dict(loaded[2])
            self._cards.begin()
            catalog, problems = load_changed(
                loaded[0], loaded[1], known.found, fresh, self._cards, card_json
            )
            self._cards.settle(whole=False)
        else:
            files = self._read(changed)
            card_json = {}
            self._cards.begin()
            catalog, problems = load_catalog(self._root, self._cards, files, card_json)
            self._cards.settle()
        self._files, self._loaded = files, (catalog, problems, card_json)
        return validated(catalog, problems, self._check.check(catalog, self.today)), card_json

    def _report(self, result: ValidationResult) -> None:
        stream = io.StringIO()
        report_text(result, stream, False)
        self.echo(stream.getvalue().rstrip("\n"))
        self.echo("the catalog is invalid")

    def _environment(self) -> Environment:
        theme = self.config.theme_folder()
        try:
            check_theme_folder(theme)
        except TemplateError as error:
            raise BuildFailed(f"theme: {error}") from None
        return make_site_environment(theme)

    def _in_theme(self, path: Path) -> bool:
        """Whether a changed path is a theme's (the override folder's, even one just made or
        removed, or the default theme's)."""
        override = self.config.theme or self._root.resolve().parent / THEME_FOLDER
        return any(path.is_relative_to(folder.resolve()) for folder in (override, DEFAULT_THEME))

    def _read(self, changed: set[Path]) -> CatalogFiles:
        """The catalog's files, the folders walked again: those named changed, and new ones,
        are read; the others' bytes are the ones read before."""
        found = discover(self._root)
        before = self._files.contents if self._files is not None else {}
        kept = {path: read for path, read in before.items() if path not in changed}
        return CatalogFiles(
            found,
            {path: kept.get(path) or read_card_bytes(path) for path, _ in card_files(found)},
        )

    def _catalog_path(self, path: Path) -> Path:
        """A watcher's absolute path as the loader names the same file (under CATALOG as
        given, which may be relative)."""
        try:
            return self._root / path.relative_to(self._root.resolve())
        except ValueError:
            return path


def _try_each_kind(made: Generation) -> None:
    """Render one page of each kind, so that a theme template that fails on pages (not only
    one that does not compile) is found now, and the last good theme kept."""
    tried: set[str] = set()
    for path, page in made.pages.items():
        if page.kind == "asset" or (page.kind not in tried and path.endswith(".html")):
            tried.add(page.kind)
            made.file(path)
