"""The home page's list of models in a real browser, on the example catalog: search, filters,
sorting and pages, all in the address, over HTTP under a sub-path and from file://
(Playwright driving chromium; fixtures shared with test_browser.py). The same at 2,000
models is in test_site_large.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..helpers.browser import Watched, address, shown

# The example's models in the home page's default order: by name.
BY_NAME = [
    "fraud-detector",
    "fraud-detector-edge",
    "complaint-detector",
    "merchant-embedder",
    "ride-demand-forecaster",
    "merchant-categorizer",
    "callcenter-asr",
]


def ready(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#models[data-ready]")


def data(page: Any) -> dict[str, Any]:
    """Every model's row as the search index gives it, by id."""
    return {row["id"]: row for row in page.evaluate("window.MODELCARDS_SEARCH.models")}


def test_search_finds_models_by_every_field_it_names(site: str, watched: Watched) -> None:
    page = watched.page
    ready(page, site + "index.html")
    assert shown(page) == BY_NAME
    for query, expected in [
        ("edge", ["fraud-detector-edge"]),
        ("Risk ML", ["fraud-detector", "fraud-detector-edge"]),  # owner
        ("h3", ["ride-demand-forecaster"]),  # tag
        ("time-series", ["ride-demand-forecaster"]),  # task
        ("callcenter-asr", ["callcenter-asr"]),  # id
        ("rebalancing overnight", ["ride-demand-forecaster"]),  # summary words
        ("3.0.0-rc.1", ["fraud-detector"]),  # a version number
        ("2.0.1", ["callcenter-asr"]),
        ("issuer decision", ["fraud-detector"]),  # intended use
        ("Merchant descriptors", ["merchant-embedder", "merchant-categorizer"]),  # a dataset
        ("card-transactions@2024-Q4", ["fraud-detector"]),  # a dataset version
        ("no such model anywhere", []),
    ]:
        page.fill("#filter-q", query)
        assert shown(page) == expected, query
        count = page.inner_text("#result-count")
        assert count == f"{len(expected)} of 7 models", query
    assert page.is_visible("#no-results")
    page.fill("#filter-q", "")
    assert shown(page) == BY_NAME and page.inner_text("#result-count") == "7 models"
    assert watched.errors == []


def test_each_filter_narrows_the_list_and_counts_each_choice(
    site: str,
    watched: Watched,
) -> None:
    page = watched.page
    ready(page, site + "index.html")
    rows = data(page)
    fields = {"owner": "owners", "task": "task", "tag": "tags", "stage": "stages"}
    for key, field in fields.items():
        options = page.eval_on_selector_all(
            f"#filter-{key} option", "os => os.filter(o => o.value).map(o => [o.value, o.text])"
        )
        assert options, key
        for value, label in options:
            page.select_option(f"#filter-{key}", value)
            models = shown(page)
            assert models, (key, value)
            for model in models:
                have = rows[model][field]
                assert value in (have if isinstance(have, list) else [have]), (key, value, model)
            assert label == f"{value} ({len(models)})"  # the count the option promised
        page.select_option(f"#filter-{key}", "")
        assert shown(page) == BY_NAME
    assert watched.errors == []


def test_the_stage_filter_takes_each_models_current_stages(site: str, watched: Watched) -> None:
    """fraud-detector has a deprecated and a retired version, but is in production (and has a
    release candidate in development): it is neither deprecated nor retired."""
    page = watched.page
    ready(page, site + "index.html")
    stages = page.eval_on_selector_all("#filter-stage option", "os => os.map(o => o.value)")
    assert stages == ["", "development", "staging", "production"]
    page.select_option("#filter-stage", "development")
    assert shown(page) == ["fraud-detector", "merchant-embedder", "ride-demand-forecaster"]
    assert data(page)["fraud-detector"]["stages"] == ["development", "production"]


def test_the_view_lives_in_the_address(site: str, watched: Watched) -> None:
    page = watched.page
    ready(page, site + "index.html")
    page.fill("#filter-q", "fraud")
    assert address(page).endswith("index.html?q=fraud")
    page.select_option("#filter-task", "tabular-classification")
    page.click("th[data-sort=latest] button")
    assert address(page).endswith("index.html?q=fraud&task=tabular-classification&sort=latest")
    assert shown(page) == ["fraud-detector", "fraud-detector-edge"]
    assert page.get_attribute("th[data-sort=latest]", "aria-sort") == "descending"
    page.click("th[data-sort=latest] button")
    assert address(page).endswith("sort=-latest") and shown(page) == [
        "fraud-detector-edge",
        "fraud-detector",
    ]
    # Back undoes one choice at a time; the controls follow.
    page.go_back()
    assert address(page).endswith("sort=latest") and page.input_value("#filter-sort") == "latest"
    page.go_back()
    assert address(page).endswith("?q=fraud&task=tabular-classification")
    assert page.get_attribute("th[data-sort=latest]", "aria-sort") is None
    # A view opened from its address (shared, or after leaving and coming back) is the same.
    shared = site + "index.html?q=fraud&sort=-name"
    ready(page, shared)
    assert page.input_value("#filter-q") == "fraud" and page.input_value("#filter-sort") == "-name"
    assert shown(page) == ["fraud-detector-edge", "fraud-detector"]
    page.click("#models tbody tr a")
    page.wait_for_url("**/models/fraud-detector-edge/index.html")
    page.go_back()
    page.wait_for_selector("#models[data-ready]")
    assert address(page) == shared and shown(page) == ["fraud-detector-edge", "fraud-detector"]
    page.click("#model-filters button[type=reset]")
    assert address(page).endswith("index.html") and shown(page) == BY_NAME
    assert watched.errors == []


ROW = """rows => rows.map(r => [r.dataset.model, r.innerText.replace(/\\s+/g, ' ').trim(),
  [...r.querySelectorAll('a')].map(a => a.getAttribute('href'))])"""


def test_the_script_draws_the_rows_the_page_came_with(
    browser: Any,
    served_root: tuple[Path, str],
) -> None:
    """site.js draws every row from the search index; the page's own rows (drawn by the
    model_row macro, for readers without JavaScript) must read and link the same."""
    url = served_root[1] + "index.html"
    plain = browser.new_context(java_script_enabled=False)
    page = plain.new_page()
    page.goto(url)
    written = page.eval_on_selector_all("#models tbody tr", ROW)
    assert not page.is_visible("#model-filters")  # controls that would do nothing are hidden
    plain.close()
    scripted = browser.new_context()
    page = scripted.new_page()
    ready(page, url)
    drawn = page.eval_on_selector_all("#models tbody tr", ROW)
    assert page.is_visible("#model-filters")
    scripted.close()
    assert [row[0] for row in written] == BY_NAME
    assert drawn == written


@pytest.mark.parametrize("width", [1280, 390])
def test_the_search_placeholder_is_not_cut_off(
    browser: Any,
    served_root: tuple[Path, str],
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    ready(page, served_root[1] + "index.html")
    room, needed = page.eval_on_selector(
        "#filter-q",
        """input => {
        const style = getComputedStyle(input), canvas = document.createElement('canvas');
        const text = canvas.getContext('2d');
        text.font = style.font;
        return [input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                text.measureText(input.placeholder).width];
    }""",
    )
    context.close()
    assert needed <= room
