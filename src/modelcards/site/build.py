"""Build the site: validate, render into a folder that is not being served, then switch it in.

A failed build (an invalid catalog, a template error, a full disk) leaves the earlier site
untouched, and so does a build killed at any point: the new site is made in another folder,
which replaces the output folder in one atomic switch only once every page is in place
(swap.py).

Builds are incremental: each page has a fingerprint of everything it is made from
(fingerprint.py); pages whose fingerprint matches that of an earlier build (cache.py) are
taken over instead of rendered again (reuse.py). Pages are rendered by a pool of processes
on larger sites (parallel.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from ..cardcache import CardCache, make_cache_folder
from ..catalog import Catalog
from ..loading import collector_paused, load_catalog, read_catalog_files
from ..problems import Problem
from ..rules import check_catalog
from ..rules.incremental import RuleMemo, check_remembering
from ..validate import Findings, ValidationResult, resolve_today, validated
from ..writing import UnsafeOutput, is_inside
from . import reuse, swap
from .cache import (
    CACHE_FOLDER,
    Manifest,
    default_cache_folder,
    file_size,
    load_manifest,
    save_manifest,
    site_identity,
    standby_path,
    usable_cache_folder,
)
from .context import SiteData, prepare
from .dependencies import WHOLE_CATALOG
from .errors import BuildFailed as BuildFailed
from .fingerprint import (
    BuildInputs,
    Fingerprints,
    build_inputs,
    code_digest,
    fingerprints,
    read_inputs,
)
from .pages import KINDS
from .parallel import Ahead, render_pages
from .render import DEFAULT_THEME, check_theme_folder, make_environment
from .reuse import EMPTY, Known
from .structure import Page, site_pages

MARKER = ".modelcards-site"
MARKER_TEXT = b"Built by modelcards. This folder is replaced as a whole on every build.\n"
THEME_FOLDER = "theme"
CARDS_FILE = "cards.json"  # validated cards by file digest, in the cache folder


@dataclass(frozen=True)
class SiteConfig:
    catalog: Path
    output: Path
    theme: Path | None = None  # the override folder; None: `theme/` next to the catalog, if any
    today: dt.date | None = None
    cache: Path | None = None  # the cache folder; None: .modelcards-cache/ next to the catalog
    use_cache: bool = True  # False: render every page, and neither read nor write the cache
    jobs: int | None = None  # processes that render; None: one per available CPU

    def theme_folder(self) -> Path | None:
        if self.theme is not None:
            return self.theme
        beside = self.catalog.resolve().parent / THEME_FOLDER
        return beside if beside.is_dir() else None

    def cache_folder(self) -> Path:
        return self.cache if self.cache is not None else default_cache_folder(self.catalog)


@dataclass(frozen=True)
class BuildReport:
    validation: Findings  # a ValidationResult, or the findings of the build that made the site
    files: tuple[str, ...] | None  # the site's files; None: the catalog is invalid, nothing built
    rendered: int = 0  # how many of them were rendered (the rest were kept from the last build)

    def summary(self, output: Path) -> str:
        """`built N files into OUTPUT`, saying how many were kept when some were."""
        if self.files is None:
            return f"nothing built; {output} is unchanged"
        kept = len(self.files) - 1 - self.rendered  # the marker file is written every time
        detail = f" ({self.rendered} rendered, {kept} unchanged)" if kept > 0 else ""
        return f"built {len(self.files)} files into {output}{detail}"


def check_site_folders(config: SiteConfig) -> None:
    """Refuse outputs whose replacement would destroy something that is not a site, and a
    cache folder (--cache) a build must not write into."""
    output = config.output.resolve()
    shown = str(config.output)
    _refuse_overlaps(
        output, f"build into {shown}", "site/", config, replaced=" which a build would replace"
    )
    theme = config.theme_folder()
    if theme is not None and is_inside(output, theme):
        raise UnsafeOutput(f"refusing to build into {shown}: it holds the theme folder {theme}")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise UnsafeOutput(
            f"refusing to replace {shown}: it is not empty and was not built by modelcards "
            f"(it has no {MARKER} file); remove it or choose another folder"
        )
    if config.cache is not None and config.use_cache:
        _check_cache(config.cache, output, config)


def check_cache_folder(config: SiteConfig) -> None:
    """Refuse a cache folder (--cache) a build must not write into (see check_site_folders)."""
    if config.cache is not None and config.use_cache:
        _check_cache(config.cache, config.output.resolve(), config)


def _refuse_overlaps(
    folder: Path, doing: str, example: str, config: SiteConfig, *, replaced: str = ""
) -> None:
    """What the output and the cache folder share: neither is the root, holds the catalog,
    lies inside it, or is a file. `folder` is resolved."""
    catalog = config.catalog.resolve()
    if folder == Path(folder.anchor):
        raise UnsafeOutput(f"refusing to {doing}: it is the root of the file system")
    if is_inside(folder, catalog):
        which = f",{replaced}" if replaced else ""
        holds = (
            "is the catalog folder" if folder == catalog else f"holds the catalog {config.catalog}"
        )
        raise UnsafeOutput(
            f"refusing to {doing}: it {holds}{which}; choose a separate folder such as {example}"
        )
    if is_inside(catalog, folder):
        raise UnsafeOutput(
            f"refusing to {doing}: it is inside the catalog folder, where every file must be a "
            f"card; choose a folder outside it such as {example}"
        )
    if folder.exists() and not folder.is_dir():
        raise UnsafeOutput(f"cannot {doing}: it is a file, not a folder")


def _check_cache(cache: Path, output: Path, config: SiteConfig) -> None:
    """The output-path checks, for --cache; and it may not be in the site, which every build
    replaces (and a pages job publishes)."""
    doing = f"keep the cache in {cache}"
    if cache.is_symlink():
        raise UnsafeOutput(f"refusing to {doing}: it is a symbolic link; name the real folder")
    folder = cache.resolve()
    _refuse_overlaps(folder, doing, CACHE_FOLDER + "/", config)
    if is_inside(output, folder):
        raise UnsafeOutput(
            f"refusing to {doing}: it is inside the site folder {config.output}, which every "
            f"build replaces and publishes; choose a folder outside it such as {CACHE_FOLDER}/"
        )


def make_site_environment(theme: Path | None) -> Environment:
    try:
        return make_environment(theme)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise BuildFailed(f"template {where}: {error.message}") from None
    except TemplateError as error:
        raise BuildFailed(f"theme: {error}") from None


def build_site(config: SiteConfig) -> BuildReport:
    """Validate the catalog and, when it is valid, render the site and swap it in.

    With the cache, only pages whose fingerprint changed since the last build are rendered;
    the others are kept from the site being replaced. The result is the same bytes either way.
    """
    check_site_folders(config)
    with swap.locked(config.output.resolve()), collector_paused():  # builds take turns
        return _build(config)


def _build(config: SiteConfig) -> BuildReport:
    today = resolve_today(config.today)
    theme, code = config.theme_folder(), code_digest(DEFAULT_THEME)
    try:
        check_theme_folder(theme)  # before its files are digested
    except TemplateError as error:
        raise BuildFailed(f"theme: {error}") from None
    output, cache = config.output.resolve(), config.cache_folder()
    use_cache = config.use_cache and usable_cache_folder(cache)
    previous = load_manifest(cache, output, code, MARKER) if use_cache else None
    files = read_catalog_files(config.catalog)
    read = read_inputs(config.catalog, files, today, theme, code) if use_cache else None
    if previous is not None and read is not None and _current(previous, read, output):
        # Nothing changed since the site in place was built from these very files: its
        # validation stands (the findings are remembered), and so does every page.
        return BuildReport(previous.findings, tuple(sorted([*previous.pages, MARKER])), 0)
    cards = CardCache.open(cache / CARDS_FILE) if use_cache else None
    card_json: dict[Path, str] = {}  # cards as the card cache holds their JSON text
    catalog, loading = load_catalog(config.catalog, cards, files, card_json)
    if cards is not None:
        _save_quietly(cards)
    matched = _inputs(catalog, read)  # the inputs read, when they are those of this catalog
    result, rules = _check(catalog, loading, today, matched, previous)
    if not result.passes():
        return BuildReport(result, None)
    inputs = matched or build_inputs(result.catalog, today, theme, code)
    if previous is not None and _current(previous, inputs, output):
        return BuildReport(result, tuple(sorted([*previous.pages, MARKER])), 0)
    # Templates are compiled only now that pages are to be rendered: a no-op build needs none.
    env = make_site_environment(theme)
    site = prepare(result.catalog, today, env, result.problems, card_json)
    pages = site_pages(result.catalog)
    prints = fingerprints(site, inputs)
    standby = _standby(cache, output, code) if use_cache else None
    with _ahead(site, pages, prints, previous, standby, output, config.jobs) as ahead:
        keys = {page.path: prints.page(page) for page in pages}
        sizes, rendered, old = _render_and_switch(
            site, pages, keys, previous, standby, output, config.jobs, ahead
        )
    if use_cache:
        manifest = Manifest(
            code,
            str(output),
            site_identity(output, MARKER),
            inputs.whole,
            {path: (keys[path], sizes[path]) for path in keys},
            Findings(result.problems, result.scope),
            rules,
        )
        save_manifest(cache, output, manifest)
    _keep_or_remove(old, previous, standby, cache)
    return BuildReport(result, tuple(sorted([*keys, MARKER])), rendered)


def _check(
    catalog: Catalog,
    loading: list[Problem],
    today: dt.date,
    read: BuildInputs | None,
    previous: Manifest | None,
) -> tuple[ValidationResult, RuleMemo | None]:
    """Validate the loaded catalog: with the cache, the rules check again only the versions
    and models whose cards changed since the last build (rules/incremental.py); the result
    is the same as without it. Also what to remember for the next build. `read`: the
    catalog's inputs as its files were read, None without the cache or when the catalog
    loaded is not made of exactly those files."""
    if read is None:
        return validated(catalog, loading, check_catalog(catalog, today)), None
    memo = previous.rules if previous is not None else None
    found, remembered = check_remembering(catalog, today, read.cards, memo)
    return validated(catalog, loading, found), remembered


@dataclass(frozen=True)
class Standby:
    """Where the site before the current one is kept, and what its manifest says it holds."""

    folder: Path
    known: Manifest | None  # None: there is none that can be trusted (or no folder at all)


def _standby(cache: Path, output: Path, code: str) -> Standby | None:
    """The standby of `output`; None when it cannot be kept (the cache folder is on another
    file system than the output, so neither links nor renames reach it)."""
    try:
        make_cache_folder(cache)
        if os.stat(cache).st_dev != os.stat(output.parent).st_dev:
            return None
    except OSError:
        return None
    folder = standby_path(cache, output)
    known = load_manifest(cache, folder, code, MARKER)
    if known is None and os.path.lexists(folder):
        swap.remove(folder)  # what it holds is not known: of no use
    return Standby(folder, known)


def _ahead(
    site: SiteData,
    pages: list[Page],
    prints: Fingerprints,
    previous: Manifest | None,
    standby: Standby | None,
    output: Path,
    jobs: int | None,
) -> Ahead:
    """The pages that list the whole catalog, rendered by another process from now on, when
    neither the standby's record nor the served site's has them as they are now (after any
    edit of a card): the plan can then neither keep nor link them, so it renders them."""
    there = standby.known.pages if standby is not None and standby.known is not None else {}
    served = previous.pages if previous is not None else {}

    def changed(page: Page) -> bool:
        key = prints.page(page)
        return all(record.get(page.path, ("",))[0] != key for record in (there, served))

    listing = [p for p in pages if KINDS[p.kind].depends is WHOLE_CATALOG and changed(p)]
    return Ahead(site, listing, output, jobs)


def _render_and_switch(
    site: SiteData,
    pages: list[Page],
    keys: dict[str, str],
    previous: Manifest | None,
    standby: Standby | None,
    output: Path,
    jobs: int | None,
    ahead: Ahead,
) -> tuple[dict[str, int], int, Path | None]:
    """Make the new site in a folder that is not served and switch it in: {path: size}, how
    many files were rendered, and where the old site now is (None: there was none).
    `ahead`: pages being rendered elsewhere, among those the plan renders."""
    target = swap.new_folder(output)
    try:
        known = _claim(standby, target)
        listing = reuse.scan(target) if known else EMPTY
        steps = reuse.plan(listing, known, previous.pages if previous else {}, keys)
        sizes, render = reuse.prepare(target, output, steps)
        todo = set(render)
        rest = [p for p in pages if p.path in todo and p.path not in ahead.paths]
        sizes.update(render_pages(site, rest, target, jobs))
        sizes.update(ahead.finish(target, todo))
        (target / MARKER).unlink(missing_ok=True)  # made anew: its identity marks this build
        (target / MARKER).write_bytes(MARKER_TEXT)
        old = swap.switch(target, output)
    except BaseException:
        swap.remove(target)
        raise
    return sizes, len(todo), old


def _claim(standby: Standby | None, target: Path) -> Known:
    """Take the standby site as the folder to make the new site in (an empty `target` is
    replaced by it); what it holds, or nothing when it cannot be used."""
    if standby is None or standby.known is None:
        return {}
    try:
        os.rename(standby.folder, target)
    except OSError:
        return {}
    return standby.known.pages


def _keep_or_remove(
    old: Path | None, previous: Manifest | None, standby: Standby | None, cache: Path
) -> None:
    """Keep the site just replaced as the standby, when its manifest says what it holds."""
    if old is None:
        return
    if standby is None or previous is None:
        swap.remove(old)
        return
    try:
        os.rename(old, standby.folder)
        kept = Manifest(
            previous.code,
            str(standby.folder.resolve()),  # as load_manifest compares it, whatever --cache was
            site_identity(standby.folder, MARKER),
            previous.inputs,
            previous.pages,
            previous.findings,
        )
    except OSError:
        swap.remove(old)
        return
    save_manifest(cache, standby.folder, kept)


def _inputs(catalog: Catalog, read: BuildInputs | None) -> BuildInputs | None:
    """The inputs read from the files before loading, when the loaded catalog is made of
    exactly those files (the same bytes, so the same texts and digests)."""
    if read is None or set(read.cards) != set(catalog.sources):
        return None
    return read


def _save_quietly(cards: CardCache) -> None:
    """A cache that cannot be written only makes the next build slower, never wrong."""
    with contextlib.suppress(OSError):
        cards.save()


def _current(previous: Manifest, inputs: BuildInputs, output: Path) -> bool:
    """The site in place is the one this build would make: made from the same inputs (so
    the same pages with the same fingerprints), every file still the size it was written
    with. Nothing to render and nothing to swap."""
    if previous.inputs != inputs.whole:
        return False
    folder = str(output)  # plain strings: 30,000 Path objects cost more than the stat calls
    return all(
        file_size(os.path.join(folder, path)) == size for path, (_, size) in previous.pages.items()
    )
