"""The Jinja2 environment: the catalog's theme folder first, then the default theme.

Templates are found like mkdocs themes: a file in the override folder replaces the default
file of the same name, so a catalog can change one template (or the CSS) and keep the rest.
The environment is made once per build; Jinja2 compiles each template once and caches it.
"""

from __future__ import annotations

import datetime as dt
import os
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..queries import place
from ..source import FileRefused, read_regular_file
from .markup import render_markdown

# A symlink to the repository's templates/ folder: setuptools copies what it points at into
# the wheel, so the default theme travels with the package.
DEFAULT_THEME = Path(__file__).resolve().parent / "templates"
PAGE_TEMPLATES = (
    "index.html",
    "model.html",
    "version.html",
    "dataset.html",
    "datasets.html",
    "governance.html",
    "404.html",
    "lineage.html",
    "leaderboard.html",
    "compare.html",
)
ASSETS = (
    "assets/style.css",
    "assets/site.js",
    "assets/lineage.js",
    "assets/compare.js",
    "assets/favicon.svg",
)
MAX_THEME_FILE_BYTES = 4 * 1024 * 1024


def format_number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or (abs(value) >= 1e5 and float(value).is_integer()):
        return f"{int(value):,}"
    return f"{value:.6g}"


def format_delta(value: float | None) -> str:
    if value is None:
        return ""
    return "±0" if value == 0 else f"{value:+.4g}"


def format_size(size: int | None) -> str:
    if size is None:
        return ""
    amount = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if amount < 1000 or unit == "TB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{size} B"  # unreachable: the loop returns at TB


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class ThemeFileRefused(TemplateError):
    """A theme file that is not read: a link leading out of its folder, a FIFO, too large."""


class ThemeLoader(BaseLoader):
    """Theme files from the override folder first, then from the default theme.

    A file is read only when it is a regular file inside its folder (a link may lead
    elsewhere in the folder, never out of it) and under MAX_THEME_FILE_BYTES: a theme in a
    pull request cannot publish /etc/passwd through a link in assets/, nor hang the build on
    a FIFO. Such a file fails the build, naming it; it is never skipped, which would publish
    another file in its place without anyone noticing.
    """

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.folders:
            path = os.path.join(folder, *pieces)
            if os.path.lexists(path):
                return _theme_text(folder, path), path, lambda: True
        raise TemplateNotFound(template)


def check_theme_folder(folder: Path | None) -> None:
    """Were theme/ a link in a pull request, "inside the theme folder" would mean anywhere."""
    if folder is not None and folder.is_symlink():
        raise ThemeFileRefused(
            f"the theme folder {folder} is a symbolic link; name the real folder"
        )


def _theme_text(folder: Path, path: str) -> str:
    try:
        return read_regular_file(path, MAX_THEME_FILE_BYTES, inside=folder).decode("utf-8")
    except FileRefused as error:
        raise ThemeFileRefused(f"theme file {path} {error.reason}") from None
    except UnicodeDecodeError:
        raise ThemeFileRefused(f"theme file {path} is not UTF-8 text") from None
    except OSError as error:
        raise ThemeFileRefused(f"cannot read theme file {path}: {error.strerror}") from None


# Whose methods a template may call: values of these modules' types (or classes from them).
# A sandboxed template may otherwise call any public method of what it is given, and the
# cards it is given hold paths, whose methods read and write files: a Path's name may be
# shown, its methods never called. A module is never reached into.
_SAFE_MODULES = frozenset({"builtins", "datetime", "decimal", "enum", "markupsafe"})
_SAFE_PACKAGES = ("jinja2.", "markupsafe.", "modelcards.")


class ThemeEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox for theme templates (no `__globals__` and friends, no mutation of the
    data the pages share), and attributes only of the values templates are meant to see."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # (type, attribute, callable) -> verdict: every check but a class's own module
        # depends on the type alone, and a page reads the same few attributes thousands of times.
        self._verdicts: dict[tuple[type, str, bool], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, (type, types.ModuleType)):
            return self._judge(obj, attr, value)
        key = (type(obj), attr, callable(value))
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._judge(obj, attr, value)
        return verdict

    def _judge(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, types.ModuleType):
            return False
        module = str(getattr(obj if isinstance(obj, type) else type(obj), "__module__", ""))
        if (
            module not in _SAFE_MODULES
            and not module.startswith(_SAFE_PACKAGES)
            and (callable(value))
        ):
            return False  # other values' data (a path's name) may be shown, never called
        return bool(super().is_safe_attribute(obj, attr, value))


def make_environment(override: Path | None) -> Environment:
    check_theme_folder(override)
    folders = [override] if override is not None else []
    loader = ThemeLoader([*folders, DEFAULT_THEME])
    # A theme folder comes with pull requests: its templates run in the sandbox. The default
    # theme alone is the package's own code, as trusted as this module, and renders the same
    # bytes in a plain environment, a quarter faster (tests/site/test_theme_safety.py).
    kind = ThemeEnvironment if override is not None else Environment
    env = kind(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        markdown=render_markdown,
        number=format_number,
        delta=format_delta,
        size=format_size,
        isodate=format_date,
        place=place,
    )
    for name in PAGE_TEMPLATES:
        env.get_template(name)  # compile every page template now, so a broken one fails early
    return env


def asset_source(env: Environment, name: str) -> str:
    """The text of a theme file that is copied as is (CSS, JS), override first."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source
