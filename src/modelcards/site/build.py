"""Build the site: validate, render into a folder beside the output, then swap it in.

A failed build (an invalid catalog, a template error, a full disk) leaves the earlier site
untouched: the new site is written into a temporary folder next to the output, which
replaces it with two renames only once every page is in place.

Builds are incremental: each page has a fingerprint of everything it is made from
(fingerprint.py); pages whose fingerprint matches the last build's (cache.py) are taken
over from the site being replaced instead of rendered again (reuse.py). Pages are rendered
by a pool of processes on larger sites (parallel.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from ..cardcache import CardCache
from ..catalog import Catalog, read_catalog_files
from ..validate import Findings, RecordedFindings, resolve_today, validate_catalog
from .cache import (
    Manifest,
    default_cache_folder,
    file_size,
    load_manifest,
    save_manifest,
    site_identity,
)
from .context import SiteData, prepare
from .errors import BuildFailed as BuildFailed
from .fingerprint import BuildInputs, build_inputs, code_digest, fingerprints, read_inputs
from .parallel import render_checked, render_pages
from .render import DEFAULT_THEME, make_environment
from .reuse import Reuse, link_file, move_back, move_folders, plan, scan
from .structure import Page, site_pages

MARKER = ".modelcards-site"
MARKER_TEXT = b"Built by modelcards. This folder is replaced as a whole on every build.\n"
THEME_FOLDER = "theme"
CARDS_FILE = "cards.json"  # validated cards by file digest, in the cache folder


class UnsafeOutput(Exception):
    """The output folder is one a build must not replace (exit 2)."""


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


def check_output(config: SiteConfig) -> None:
    """Refuse outputs whose replacement would destroy something that is not a site."""
    output, catalog = config.output.resolve(), config.catalog.resolve()
    shown = str(config.output)
    if output == Path(output.anchor):
        raise UnsafeOutput(f"refusing to build into {shown}: it is the root of the file system")
    if catalog.is_relative_to(output):
        raise UnsafeOutput(
            f"refusing to build into {shown}: it holds the catalog {config.catalog}, which a "
            "build would replace; choose a separate folder such as site/"
        )
    if output.is_relative_to(catalog):
        raise UnsafeOutput(
            f"refusing to build into {shown}: it is inside the catalog folder, where every "
            "file must be a card; choose a folder outside it such as site/"
        )
    theme = config.theme_folder()
    if theme is not None and theme.resolve().is_relative_to(output):
        raise UnsafeOutput(f"refusing to build into {shown}: it holds the theme folder {theme}")
    if output.exists() and not output.is_dir():
        raise UnsafeOutput(f"cannot build into {shown}: it is a file, not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise UnsafeOutput(
            f"refusing to replace {shown}: it is not empty and was not built by modelcards "
            f"(it has no {MARKER} file); remove it or choose another folder"
        )


def make_site_environment(theme: Path | None) -> Environment:
    try:
        return make_environment(theme)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise BuildFailed(f"template {where}: {error.message}") from None
    except TemplateError as error:
        raise BuildFailed(f"theme: {error}") from None


def render_site(catalog: Catalog, today: dt.date, theme: Path | None) -> dict[str, bytes]:
    """Every file of the site, in memory: {path from the site root: bytes}."""
    site = prepare(catalog, today, make_site_environment(theme))
    files: dict[str, bytes] = {}
    for page in site_pages(catalog):
        files.update(render_checked(site, page))
    files[MARKER] = MARKER_TEXT
    return files


def write_site(files: dict[str, bytes], output: Path) -> None:
    """Write `files` into a new folder beside `output`, then swap it in."""
    staging = _staging(output.resolve())
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _swap(staging, output.resolve())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    old = staging.with_name(staging.name.replace(".new-", ".old-", 1))
    output.rename(old)
    try:
        staging.rename(output)
    except OSError:
        old.rename(output)  # put the earlier site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def build_site(config: SiteConfig) -> BuildReport:
    """Validate the catalog and, when it is valid, render the site and swap it in.

    With the cache, only pages whose fingerprint changed since the last build are rendered;
    the others are kept from the site being replaced. The result is the same bytes either way.
    """
    check_output(config)
    today = resolve_today(config.today)
    theme, code = config.theme_folder(), code_digest(DEFAULT_THEME)
    output, cache = config.output.resolve(), config.cache_folder()
    previous = load_manifest(cache, output, code, MARKER) if config.use_cache else None
    files = read_catalog_files(config.catalog)
    read = read_inputs(config.catalog, files, today, theme, code) if config.use_cache else None
    if previous is not None and read is not None and _current(previous, read, output):
        # Nothing changed since the site in place was built from these very files: its
        # validation stands (the findings are remembered), and so does every page.
        return BuildReport(previous.findings, tuple(sorted([*previous.pages, MARKER])), 0)
    cards = CardCache.open(cache / CARDS_FILE) if config.use_cache else None
    result = validate_catalog(config.catalog, today, cards, files)
    if cards is not None:
        _save_quietly(cards)
    if not result.passes():
        return BuildReport(result, None)
    inputs = _inputs(result.catalog, read) or build_inputs(result.catalog, today, theme, code)
    if previous is not None and _current(previous, inputs, output):
        return BuildReport(result, tuple(sorted([*previous.pages, MARKER])), 0)
    # Templates are compiled only now that pages are to be rendered: a no-op build needs none.
    env = make_site_environment(theme)
    site = prepare(result.catalog, today, env, result.problems)
    pages = site_pages(result.catalog)
    prints = fingerprints(site, inputs)
    keys = {page.path: prints.page(page) for page in pages}
    sizes, rendered = _render_and_swap(site, pages, keys, previous, output, config.jobs)
    if config.use_cache:
        manifest = Manifest(code, str(output), site_identity(output, MARKER), inputs.whole,
                            {path: (keys[path], sizes[path]) for path in keys},
                            RecordedFindings(result.scope, result.problems))
        save_manifest(cache, output, manifest)
    return BuildReport(result, tuple(sorted([*keys, MARKER])), rendered)


def _render_and_swap(
    site: SiteData, pages: list[Page], keys: dict[str, str], previous: Manifest | None,
    output: Path, jobs: int | None,
) -> tuple[dict[str, int], int]:
    """Make the new site aside, taking over what is unchanged, and swap it in."""
    staging = _staging(output)
    try:
        sizes, rendered, moves = _fill(site, pages, keys, previous, output, staging, jobs)
        (staging / MARKER).write_bytes(MARKER_TEXT)
        move_folders(output, staging, moves)
        try:
            _swap(staging, output)
        except BaseException:
            move_back(output, staging, moves)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sizes, rendered


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
    return all(file_size(os.path.join(folder, path)) == size
               for path, (_, size) in previous.pages.items())


def _staging(output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
    return staging


def _folders(names: Iterable[str]) -> list[str]:
    """Every folder the files need, each after its parent."""
    found: set[str] = set()
    for name in names:
        folder = posixpath.dirname(name)
        while folder and folder not in found:
            found.add(folder)
            folder = posixpath.dirname(folder)
    return sorted(found, key=lambda f: (f.count("/"), f))


def _fill(
    site: SiteData, pages: list[Page], keys: dict[str, str], previous: Manifest | None,
    output: Path, staging: Path, jobs: int | None,
) -> tuple[dict[str, int], int, list[str]]:
    """Link the unchanged files that do not move with their folder, render the rest.

    Returns {path: size}, how many files were rendered, and the folders to move from the old
    site once the rest is in place (reuse.py).
    """
    unchanged: dict[str, int] = {}
    if previous is not None:
        for path, key in keys.items():
            known = previous.pages.get(path)
            if known is not None and known[0] == key:
                unchanged[path] = known[1]
    reuse = plan(scan(output), unchanged, keys) if unchanged else Reuse([], [], set(), [*keys])
    for folder in _folders([*reuse.outside, *reuse.moves]):
        os.mkdir(os.path.join(staging, folder))  # parents first: plain mkdir, no stat per level
    sizes = {path: unchanged[path] for path in reuse.kept}
    for path in reuse.links:
        if not link_file(output, staging, path):
            del sizes[path]
    todo = [page for page in pages if page.path not in sizes]
    sizes.update(render_pages(site, todo, staging, jobs))
    return sizes, len(todo), reuse.moves
