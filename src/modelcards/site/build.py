"""Build the site: validate, render every page in memory, write aside, then swap it in.

A failed build (an invalid catalog, a template error, a full disk) leaves the earlier site
untouched: nothing is written until every page has rendered, and the new site is written
into a temporary folder next to the output that replaces it with two renames.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from ..catalog import Catalog
from ..validate import ValidationResult, resolve_today, validate_catalog
from .context import prepare
from .pages import render_page
from .render import make_environment
from .structure import site_pages

MARKER = ".modelcards-site"
MARKER_TEXT = b"Built by modelcards. This folder is replaced as a whole on every build.\n"
THEME_FOLDER = "theme"


class UnsafeOutput(Exception):
    """The output folder is one a build must not replace (exit 2)."""


class BuildFailed(Exception):
    """The catalog is valid but the site could not be rendered, e.g. a template error."""


@dataclass(frozen=True)
class SiteConfig:
    catalog: Path
    output: Path
    theme: Path | None = None  # the override folder; None: `theme/` next to the catalog, if any
    today: dt.date | None = None

    def theme_folder(self) -> Path | None:
        if self.theme is not None:
            return self.theme
        beside = self.catalog.resolve().parent / THEME_FOLDER
        return beside if beside.is_dir() else None


@dataclass(frozen=True)
class BuildReport:
    validation: ValidationResult
    files: dict[str, bytes] | None  # None: the catalog is invalid and nothing was built


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


def render_site(catalog: Catalog, today: dt.date, theme: Path | None) -> dict[str, bytes]:
    """Every file of the site, in memory: {path from the site root: bytes}."""
    try:
        env = make_environment(theme)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise BuildFailed(f"template {where}: {error.message}") from None
    except TemplateError as error:
        raise BuildFailed(f"theme: {error}") from None
    site = prepare(catalog, today, env)
    files: dict[str, bytes] = {}
    for page in site_pages(catalog):
        try:
            files.update(render_page(site, page))
        except TemplateError as error:
            problem = f"{type(error).__name__}: {error}"
            raise BuildFailed(f"rendering {page.path} failed: {problem}") from None
    files[MARKER] = MARKER_TEXT
    return files


def write_site(files: dict[str, bytes], output: Path) -> None:
    """Write `files` into a new folder beside `output`, then swap it in."""
    parent = output.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=parent))
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
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
    """Validate the catalog and, when it is valid, render and write the whole site."""
    check_output(config)
    today = resolve_today(config.today)
    result = validate_catalog(config.catalog, today)
    if not result.passes():
        return BuildReport(result, None)
    files = render_site(result.catalog, today, config.theme_folder())
    write_site(files, config.output)
    return BuildReport(result, files)
