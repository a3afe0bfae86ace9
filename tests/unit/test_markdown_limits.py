"""Markdown from a pull request cannot crash a build or make it slow: what cannot be rendered
within bounds is a validation error with its file and line (MC080, MC081), and whatever
validates renders quickly. No timing assertions here (the machine is shared); the generous
timeout only stops a test that would otherwise run for hours, as these inputs did."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from modelcards.cardmarkdown import MAX_CHARACTERS, MAX_NESTING, nesting, to_html, too_deep
from modelcards.cli import cli
from modelcards.formats.readme_markdown import sections
from modelcards.formats.readme_markdown import without_comments as strip_comments
from modelcards.site.build import SiteConfig, build_site
from modelcards.site.live import LiveSite
from modelcards.site.markup import render_markdown

from ..helpers.catalogs import BASE, TODAY, CatalogMaker, M, edit
from ..helpers.site import TODAY as TODAY_DATE
from ..helpers.text import repeated

NESTED_LISTS = "- " * 800 + "x"  # 1.6 KB: RecursionError in Python-Markdown


def with_description(text: str) -> dict[str, str]:
    quoted = text.replace("'", "''")
    return edit(M, "task: ", f"description: '{quoted}'\ntask: ")


def test_markdown_that_cannot_be_rendered_is_reported_by_validate_and_build(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog(with_description(NESTED_LISTS))
    validated = runner.invoke(cli, ["validate", str(root), "--today", TODAY])
    assert validated.exit_code == 1
    assert f"{M}:4:14: error MC081 description: Markdown text nests more than 32" in (
        validated.output
    )
    built = runner.invoke(
        cli, ["build", str(root), "-o", str(root.parent / "site"), "--today", TODAY]
    )
    assert built.exit_code == 1 and "MC081" in built.output
    assert isinstance(built.exception, SystemExit)  # an exit, not an exception
    assert not (root.parent / "site").exists()


# Texts that took seconds to hours, or crashed, in Python-Markdown or in the sanitiser: each
# repeated to the length limit. Mis-nested raw HTML made nh3 build 224 MB from 119 KB.
PATHOLOGICAL = [
    "[",
    "![",
    "[a](",
    "<a ",
    "<a\n",
    "\\``",
    "- \n",
    "-\n",
    "*<*",
    "`a` ",
    "> ",
    "- ",
    "1. ",
    "*a **b ",
    "_a __b ",
    "<!--",
    "``a`",
    "[a]: ",
    "](",
    "|",
    "<div>",
    "<em>",
    "<p><b id={i}>x",
    "<div><b id={i}></div>x",
    "<b id={i}>x</p>",
    "<a><b id={i}>x",
    "<table><b id={i}>x",
    "<ul><li>",
    "**_",
    "~~a ",
    "&amp;",
    "    ",
    "\t",
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_pathological_text_is_refused_or_renders(pattern: str) -> None:
    text = repeated(pattern)
    assert len(text) <= MAX_CHARACTERS
    if too_deep(text) is None:
        # the whole text validates, so it must render (and finish: see the timeout)
        assert isinstance(render_markdown(text), Markup)
        return
    # Refused: then the deepest prefix that validates renders.
    low, high = 0, len(text)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if too_deep(text[:middle]) is None else (low, middle)
    assert nesting(to_html(text[:low])) <= MAX_NESTING
    assert isinstance(render_markdown(text[:low]), Markup)


@pytest.mark.timeout(300)
def test_the_largest_text_that_validates_renders(make_catalog: CatalogMaker) -> None:
    text = repeated("[a](")  # the slowest for Python-Markdown: hours at this length
    root = make_catalog(with_description(text))
    report = build_site(SiteConfig(root, root.parent / "site", today=TODAY_DATE))
    assert report.files is not None, report.validation.problems


def test_the_length_limit_counts_characters_and_is_in_the_schema(
    make_catalog: CatalogMaker,
) -> None:
    from modelcards.cards import ModelCard

    schema = ModelCard.model_json_schema()
    assert {"type": "string", "maxLength": MAX_CHARACTERS} in schema["properties"]["description"][
        "anyOf"
    ]
    fits = "é" * MAX_CHARACTERS  # 100,000 bytes, 50,000 characters
    assert render_markdown(fits)


def test_nesting_counts_what_a_parser_may_build() -> None:
    assert nesting("<ul><li><p>x</p></li></ul>") == 3
    assert nesting("<p>a<br>b<img src=x></p>") == 1  # void elements hold nothing
    assert nesting("<b/><b/><b/>") == 3  # `/>` does not close an HTML element
    assert nesting("<div><b></div><div><b></div>") == 4  # </div> does not close the <b>
    assert nesting("<em>" * 100, limit=5) == 6  # counting stops past the limit


def test_markdown_within_the_limits_keeps_its_structure() -> None:
    text = textwrap.dedent("""\
        # Title

        - one
          - nested *two*
            > quoted `code`

        | a | b |
        |---|---|
        | 1 | 2 |

        ~~gone~~ <details><summary>More</summary>hidden</details>
        """)
    html = render_markdown(text)
    assert "<h1>Title</h1>" in html
    assert "<li>nested <em>two</em>" in html  # two spaces nest a list, as on GitHub
    assert "<blockquote>" in html and "<code>code</code>" in html
    assert "<td>1</td>" in html and "<del>gone</del>" in html
    assert "<details><summary>More</summary>hidden</details>" in html


def test_text_beyond_the_limits_renders_as_plain_text() -> None:
    """Only a theme that shows some other field as Markdown can get here."""
    html = render_markdown("> " * (MAX_NESTING + 1) + "<b>x</b>")
    assert html.startswith("<p>&gt; &gt;") and "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.timeout(120)
def test_the_import_comment_stripper_is_linear_and_exact() -> None:
    assert strip_comments("a <!-- x --> b <!-- y\n --> c <!-- open") == "a  b  c <!-- open"
    assert strip_comments("<!--" * 200_000) == "<!--" * 200_000
    assert strip_comments("<!-- -->" * 100_000 + "end") == "end"
    intro, found = sections("# T\n<!-- hidden -->\n## Uses\n" + "<!--" * 100_000)
    assert [(s.level, s.heading) for s in found] == [(1, "T"), (2, "Uses")]
    assert intro == [] and found[1].lines[0].startswith("<!--")


@pytest.mark.timeout(120)
def test_headings_of_any_length_are_read_in_linear_time() -> None:
    _, found = sections("# C#\n## Sec ##\n# " + " #" * 200_000 + "x\n")
    assert [s.heading for s in found[:2]] == ["C#", "Sec"]


def test_serve_survives_any_exception_a_reload_raises(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    config = SiteConfig(root, root.parent / "site", today=TODAY_DATE, use_cache=False)
    said: list[str] = []
    live = LiveSite(config, said.append)
    assert live.load()
    shown = live.current()
    assert shown is not None
    page = shown.file("index.html")

    def broken(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("modelcards.site.live.validated", broken)
    assert live.load([str((root / M).resolve())]) is False
    assert said[1:] == [
        "error: the reload failed unexpectedly: RecursionError: maximum recursion depth exceeded",
        "the last good site is still being served",
    ]
    assert live.current() is shown and shown.file("index.html") == page


def test_base_catalog_descriptions_are_unaffected() -> None:
    assert all(too_deep(text) is None for text in BASE.values())
