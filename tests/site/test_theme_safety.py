"""Themes come with pull requests: their templates run sandboxed, and only regular files from
inside the theme folder are read (issue 18, item 8)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2 import Environment

from modelcards.cli import cli
from modelcards.site import render
from modelcards.site.build import SiteConfig, build_site

from ..helpers.catalogs import EXAMPLE_CATALOG, CatalogMaker, snapshot

# Server-side template injection payloads, as published for Jinja2 (the `cycler`, `joiner`
# and `namespace` globals are the usual ways to `os`; see PayloadsAllTheThings, "Server Side
# Template Injection/Python.md", MIT licence), plus what our own pages hand to templates: the
# cards' paths, whose methods read and write files.
PAYLOADS = {
    "cycler": (
        "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
        "SecurityError: access to attribute '__init__' of 'type' object is unsafe.",
    ),
    "joiner": (
        "{{ joiner.__init__.__globals__.os.popen('touch PWNED').read() }}",
        "SecurityError: access to attribute '__init__' of 'type' object is unsafe.",
    ),
    "namespace": (
        "{{ namespace.__init__.__globals__.os.popen('touch PWNED').read() }}",
        "SecurityError: access to attribute '__init__' of 'type' object is unsafe.",
    ),
    "class walk": (
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "SecurityError: access to attribute '__class__' of 'str' object is unsafe.",
    ),
    "a card's path": (
        "{% for s in summaries %}{{ s.model.path.write_text('PWNED') }}{% endfor %}",
        "SecurityError: access to attribute 'write_text' of 'PosixPath' object is unsafe.",
    ),
    "shared data": (
        "{% for s in summaries %}{{ filters.clear() }}{% endfor %}",
        "SecurityError: access to attribute 'clear' of 'dict' object is unsafe.",
    ),
}


def _theme_home(body: str) -> None:
    theme = Path("theme")
    theme.mkdir(exist_ok=True)
    (theme / "index.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n' + body + "\n{% endblock %}\n"
    )


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_template_injection_fails_the_build_naming_the_template(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    tmp_path: Path,
    name: str,
) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build"]).exit_code == 0
    before = snapshot(Path("site"))
    payload, error = PAYLOADS[name]
    _theme_home(payload)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1, result.output
    assert f"rendering index.html failed: {tmp_path}/theme/index.html:3: {error}" in result.output
    assert "Traceback" not in result.output
    assert not Path("PWNED").exists()
    assert list(Path("catalog").rglob("*.yaml"))  # the cards are there, untouched
    assert all("PWNED" not in p.read_text() for p in Path("catalog").rglob("*.yaml"))
    assert snapshot(Path("site")) == before


def test_any_exception_in_a_template_is_a_build_error(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    tmp_path: Path,
) -> None:
    make_catalog()
    _theme_home("{{ 1 // 0 }}")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert (
        f"rendering index.html failed: {tmp_path}/theme/index.html:3: ZeroDivisionError: "
        "integer division or modulo by zero"
    ) in result.output
    assert "Traceback" not in result.output


def test_a_template_error_reaches_the_log_as_one_escaped_line(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    tmp_path: Path,
) -> None:
    """An error can quote the theme: the name of a template not found, here a terminal escape
    sequence and a line that GitHub Actions would read as a workflow command."""
    make_catalog()
    _theme_home('{% include "a\x1b]0;pwned\x07\n::error::forged" %}')
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert (
        f"error: rendering index.html failed: {tmp_path}/theme/index.html:3: "
        "TemplateNotFound: a\\x1b]0;pwned\\x07\\n::error::forged; site is unchanged\n"
    ) in result.output
    assert "\x1b" not in result.output and "\n::error::" not in result.output


def test_the_sandbox_leaves_ordinary_templates_alone(
    runner: CliRunner,
    make_catalog: CatalogMaker,
) -> None:
    """Loops, filters, attributes of the cards, links and macros all still work."""
    make_catalog()
    _theme_home(
        '{% import "_macros.html" as m %}{% for s in summaries %}'
        '<a href="{{ link.model(s.model.id) }}">{{ s.model.card.name|upper }}</a>'
        "{{ s.model.path.name }}{% endfor %}{{ settings.title }} {{ datasets_list|length|number }}"
    )
    assert runner.invoke(cli, ["build"]).exit_code == 0
    home = Path("site/index.html").read_text()
    assert '<a href="models/fraud/index.html">FRAUD DETECTOR</a>model.yaml' in home


@pytest.mark.parametrize(
    ("plant", "reason"),
    [
        (
            lambda p: os.symlink("/etc/passwd", p),
            "leads outside {theme} (it is a link to /etc/passwd)",
        ),
        (
            lambda p: os.symlink("/proc/self/environ", p),
            "leads outside {theme} (it is a link to /proc/",
        ),
        (lambda p: os.mkfifo(p), "is not a regular file but a named pipe (FIFO)"),
        (
            lambda p: p.write_bytes(b"/*" + b" " * 5_000_000 + b"*/"),
            "is 5,000,004 bytes, over the 4,194,304-byte limit",
        ),
    ],
    ids=["passwd", "environ", "fifo", "huge"],
)
@pytest.mark.timeout(60)
def test_an_asset_that_is_not_a_regular_file_inside_the_theme_is_refused(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    tmp_path: Path,
    plant: object,
    reason: str,
) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build"]).exit_code == 0
    before = snapshot(Path("site"))
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    plant(theme / "assets" / "style.css")  # type: ignore[operator]
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1, result.output
    # The first page to need the style sheet fails (the 404 page inlines it).
    assert (
        f"failed: ThemeFileRefused: theme file "
        f"{theme}/assets/style.css {reason.format(theme=theme)}"
    ) in result.output
    assert snapshot(Path("site")) == before


def test_links_that_stay_inside_the_theme_are_followed(
    runner: CliRunner,
    make_catalog: CatalogMaker,
) -> None:
    make_catalog()
    theme = Path("theme")
    (theme / "assets").mkdir(parents=True)
    (theme / "shared.css").write_text("body { color: teal; }\n")
    os.symlink("../shared.css", theme / "assets" / "style.css")
    assert runner.invoke(cli, ["build"]).exit_code == 0
    assert Path("site/assets/style.css").read_text() == "body { color: teal; }\n"


def test_a_theme_folder_that_is_a_link_is_refused(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    tmp_path: Path,
) -> None:
    """Were theme/ a link to /, 'inside the theme folder' would be anywhere."""
    make_catalog()
    os.symlink("/", tmp_path / "theme")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1, result.output
    assert (
        f"theme: the theme folder {tmp_path}/theme is a symbolic link; name the real folder"
        in result.output
    )


@pytest.mark.timeout(60)
@pytest.mark.usefixtures("memory_cap")
def test_a_fifo_in_the_theme_does_not_hang_a_build_that_does_not_need_it(
    make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    """The incremental build digests every theme file; one it cannot read is digested as
    such, and fails only the pages that need it."""
    root = make_catalog()
    theme = tmp_path / "theme"
    theme.mkdir()
    os.mkfifo(theme / "notes.txt")
    os.symlink("/dev/zero", theme / "zero.html")
    report = build_site(SiteConfig(root, tmp_path / "site", cache=tmp_path / "cache"))
    assert report.files is not None


def test_the_default_theme_renders_byte_for_byte_as_without_the_sandbox(tmp_path: Path) -> None:
    """The example catalog, rendered with the default theme alone (the package's own
    templates: a plain Jinja2 environment) and with a theme folder, even an empty one (the
    sandbox, since a theme comes with pull requests): the same bytes."""

    def site(output: str, theme: Path | None) -> dict[str, bytes]:
        config = SiteConfig(
            EXAMPLE_CATALOG, tmp_path / output, theme, dt.date(2026, 11, 26), use_cache=False
        )
        build_site(config)
        return snapshot(tmp_path / output)

    (tmp_path / "theme").mkdir()
    assert type(render.make_environment(None)) is Environment
    assert isinstance(render.make_environment(tmp_path / "theme"), render.ThemeEnvironment)
    sandboxed = site("sandboxed", tmp_path / "theme")
    assert site("plain", None) == sandboxed
    assert len(sandboxed) > 90
