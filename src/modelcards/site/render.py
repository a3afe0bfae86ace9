"""The Jinja2 environment: the catalog's theme folder first, then the default theme.

Templates are found like mkdocs themes: a file in the override folder replaces the default
file of the same name, so a catalog can change one template (or the CSS) and keep the rest.
The environment is made once per build; Jinja2 compiles each template once and caches it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from ..queries import place
from .markup import render_markdown

# A symlink to the repository's templates/ folder: setuptools copies what it points at into
# the wheel, so the default theme travels with the package.
DEFAULT_THEME = Path(__file__).resolve().parent / "templates"
PAGE_TEMPLATES = (
    "index.html", "model.html", "version.html", "dataset.html", "governance.html", "404.html",
)
ASSETS = ("assets/style.css", "assets/site.js", "assets/favicon.svg")


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


def make_environment(override: Path | None) -> Environment:
    folders = [override] if override is not None else []
    loader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in [*folders, DEFAULT_THEME]])
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        markdown=render_markdown, number=format_number, delta=format_delta, size=format_size,
        isodate=format_date, place=place,
    )
    for name in PAGE_TEMPLATES:
        env.get_template(name)  # compile every page template now, so a broken one fails early
    return env


def asset_source(env: Environment, name: str) -> str:
    """The text of a theme file that is copied as is (CSS, JS), override first."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source
