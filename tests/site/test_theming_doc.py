"""docs/theming.md, "What templates receive", against what the pages really pass: the example
catalog is built (one process, no cache, so every page renders here) and each template's
context is recorded as Jinja2 receives it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import jinja2
import pytest

from modelcards.site.build import SiteConfig, build_site

from ..helpers.catalogs import REPO

THEMING = REPO / "docs" / "theming.md"
TEMPLATES = REPO / "templates"
EVERY_PAGE = "Every page"


def documented() -> dict[str, set[str]]:
    """{template or EVERY_PAGE: the names listed under its heading}."""
    text = THEMING.read_text(encoding="utf-8")
    section = text.split("\n## What templates receive\n", 1)[1].split("\n## ", 1)[0]
    lists: dict[str, set[str]] = {}
    for part in re.split(r"^### ", section, flags=re.MULTILINE)[1:]:
        heading, _, body = part.partition("\n")
        name = heading.strip().strip("`")
        # "- `a`, `b`: ..." documents a and b; names later in the line are their parts.
        items = re.findall(r"^- ((?:`\w+`(?:, )?)+)", body, flags=re.MULTILINE)
        lists[name] = {n for item in items for n in re.findall(r"`(\w+)`", item)}
    return lists


@pytest.fixture(scope="module")
def passed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """{template: every name its pages passed to it}, over the example catalog's site."""
    seen: dict[str, set[str]] = {}
    original = jinja2.Template.render

    def recording(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        assert self.name is not None
        seen.setdefault(self.name, set()).update(*(dict(a) for a in args), kwargs)
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Template, "render", recording)
        output = tmp_path_factory.mktemp("theming") / "site"
        report = build_site(
            SiteConfig(
                REPO / "catalog", output, today=dt.date(2026, 12, 1), use_cache=False, jobs=1
            )
        )
    assert report.files is not None, "the example catalog must build"
    return seen


def used_by_others(template: str) -> bool:
    """Whether another template extends, includes or imports `template` (a partial)."""
    pattern = re.compile(
        r"{%-?\s*(?:extends|include|import|from)\s+[\"']" + re.escape(template) + "[\"']"
    )
    return any(
        pattern.search(p.read_text(encoding="utf-8"))
        for p in TEMPLATES.glob("*.html")
        if p.name != template
    )


def page_templates() -> Iterator[str]:
    return (p.name for p in sorted(TEMPLATES.glob("*.html")) if not used_by_others(p.name))


def test_every_page_template_is_rendered_and_documented(passed: dict[str, set[str]]) -> None:
    pages = set(page_templates())
    assert pages, "no page templates found"
    assert set(passed) == pages  # partials (base.html, _macros.html) are not rendered alone
    assert set(documented()) - {EVERY_PAGE} == pages


def test_every_page_receives_what_theming_md_says_every_page_does(
    passed: dict[str, set[str]],
) -> None:
    common = documented()[EVERY_PAGE]
    assert {"page", "link", "settings"} <= common  # the list was read
    shared = set.intersection(*(passed[t] for t in page_templates()))
    assert sorted(shared - common) == [], "passed to every page, not in 'Every page'"
    assert sorted(common - shared) == [], "in 'Every page', not passed to every page"


@pytest.mark.parametrize("template", list(page_templates()))
def test_a_template_receives_exactly_what_theming_md_lists(
    template: str,
    passed: dict[str, set[str]],
) -> None:
    docs = documented()
    expected = docs[EVERY_PAGE] | docs.get(template, set())
    assert sorted(passed[template] - expected) == [], f"{template}: passed, not in theming.md"
    assert sorted(expected - passed[template]) == [], f"{template}: in theming.md, not passed"
