"""The built site in a real browser (Playwright driving Debian's chromium).

The example catalog's site is opened over HTTP under a sub-path and from file://. A missing
browser or axe-core fails under CI (env CI set) and skips elsewhere.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from modelcards.site.build import write_site

from .conftest import EXAMPLE_CATALOG, REPO, render
from .test_site_fixtures import INJECTION, site_files

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(os.environ.get("AXE_CORE", REPO / "tests/.node/node_modules/axe-core/axe.min.js"))
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SUB_PATH = "sub/path"


def _require(ready: bool, why: str) -> None:
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(f"{why} (required under CI)")
        pytest.skip(why)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require(CHROMIUM.exists(), f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the test extra
        _require(False, "playwright is not installed")
        raise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def served_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example site written under <root>/sub/path/, and that root served over HTTP."""
    root = tmp_path_factory.mktemp("served")
    write_site(site_files(EXAMPLE_CATALOG), root / SUB_PATH)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root / SUB_PATH, f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(params=["http", "file"])
def site(request: pytest.FixtureRequest, served_root: tuple[Path, str]) -> str:
    folder, url = served_root
    return url if request.param == "http" else folder.as_uri() + "/"


@dataclass
class Watched:
    """A page with its console errors and dialogs recorded."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context()
    page = context.new_page()
    seen = Watched(page)
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
    yield seen
    context.close()


def _visible_models(page: Any) -> list[str]:
    return list(page.eval_on_selector_all(
        "#models tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.model)"
    ))


def test_search_finds_models(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "index.html")
    everything = _visible_models(page)
    assert len(everything) == 7
    for query, expected in [
        ("edge", ["fraud-detector-edge"]),
        ("Risk ML", ["fraud-detector", "fraud-detector-edge"]),  # owner
        ("h3", ["ride-demand-forecaster"]),  # tag
        ("time-series", ["ride-demand-forecaster"]),  # task
        ("callcenter-asr", ["callcenter-asr"]),  # id
        ("rebalancing overnight", ["ride-demand-forecaster"]),  # summary words
        ("no such model anywhere", []),
    ]:
        page.fill("#filter-q", query)
        assert _visible_models(page) == expected, query
    assert page.is_visible("#no-results")
    page.fill("#filter-q", "")
    assert _visible_models(page) == everything
    assert watched.errors == []


def test_each_filter_narrows_the_list(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "index.html")
    total = len(_visible_models(page))
    for key in ("owner", "task", "tag", "stage"):
        options = page.eval_on_selector_all(
            f"#filter-{key} option", "options => options.map(o => o.value).filter(Boolean)"
        )
        assert options, key
        narrowed = False
        for value in options:
            page.select_option(f"#filter-{key}", value)
            shown = _visible_models(page)
            assert shown, (key, value)
            for model in shown:
                listed = page.get_attribute(f'tr[data-model="{model}"]', f"data-{key}")
                assert value in json.loads(listed or "[]"), (key, value, model)
            narrowed = narrowed or len(shown) < total
        assert narrowed, key
        page.select_option(f"#filter-{key}", "")
        assert len(_visible_models(page)) == total
    assert watched.errors == []


def _target_exists(url: str, site: str, page: Any) -> bool:
    if url.startswith("file:"):
        return Path(unquote(urlsplit(url).path)).is_file()
    return bool(page.request.get(url).ok)


def crawl(site: str, watched: Watched) -> dict[str, set[str]]:
    """Visit every page reachable from the home page; return the ids on each HTML page."""
    page = watched.page
    queue, ids, checked, fragments = [site + "index.html"], {}, set(), []
    while queue:
        url = queue.pop()
        if url in ids:
            continue
        response = page.goto(url)
        assert response is None or response.ok, url
        ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        targets = page.eval_on_selector_all(
            "a[href], link[href], script[src], img[src]",
            "els => els.map(e => new URL(e.getAttribute('href') || e.getAttribute('src'),"
            " document.baseURI).href)",
        )
        for target in targets:
            address, fragment = urldefrag(target)
            if address.startswith("mailto:"):
                continue  # an owner's email address
            if not address.startswith(site):
                assert address.startswith(("https://", "http://")) and not address.startswith(
                    "http://127.0.0.1"), f"{url} links outside the site: {target}"
                continue
            if fragment:
                fragments.append((url, address, fragment))
            if address.endswith(".html"):
                queue.append(address)
            elif address not in checked:
                assert _target_exists(address, site, page), f"{url} -> {address}"
                checked.add(address)
    for source, address, fragment in fragments:
        if address.endswith(".html"):
            assert fragment in ids[address], f"{source} -> {address}#{fragment}"
    return ids


def test_every_link_on_every_page_resolves_without_console_errors(
    site: str, watched: Watched
) -> None:
    ids = crawl(site, watched)
    pages = {url.removeprefix(site) for url in ids}
    assert {
        "index.html", "governance/index.html", "models/fraud-detector/index.html",
        "models/fraud-detector/2.0.0/index.html", "datasets/card-transactions/index.html",
    } <= pages
    # home, governance, models, their full lineage graphs, versions, datasets, leaderboards
    assert len(pages) == 1 + 1 + 7 + 7 + 24 + 4 + 14
    assert watched.errors == []
    assert watched.dialogs == []


def test_deprecated_version_banner_links_to_the_replacement(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "models/fraud-detector/2.0.0/index.html")
    banner = page.locator("aside.banner")
    assert banner.is_visible()
    text = " ".join(banner.inner_text().split())
    assert "fraud-detector@2.0.0 is deprecated." in text
    assert "Superseded by 2.1.0" in text and "Sunset: 2027-02-26." in text
    page.click("aside.banner a.replacement")
    page.wait_for_url("**/models/fraud-detector/2.1.0/index.html")
    assert "2.1.0" in page.inner_text("h1")
    assert watched.errors == []


@pytest.fixture(scope="module")
def injection_site(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("injection")
    catalog = root / "catalog"
    for name, text in render(INJECTION).items():
        (catalog / name).parent.mkdir(parents=True, exist_ok=True)
        (catalog / name).write_text(text, encoding="utf-8")
    write_site(site_files(catalog), root / "site")
    shutil.rmtree(catalog)
    return (root / "site").as_uri() + "/"


SCAN = """() => {
  const scripts = [...document.querySelectorAll('script')].map(s => s.getAttribute('src') || 'inline');
  const handlers = [...document.querySelectorAll('*')].flatMap(
    el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name));
  const urls = [...document.querySelectorAll('[href],[src]')].map(
    el => el.getAttribute('href') || el.getAttribute('src')).filter(u => /^\\s*javascript:/i.test(u));
  return {scripts, handlers, urls};
}"""


def test_injection_card_runs_nothing(injection_site: str, watched: Watched) -> None:
    ids = crawl(injection_site, watched)
    assert any(url.endswith("models/evil/1.0.0/index.html") for url in ids)
    for url in ids:
        watched.page.goto(url)
        found = watched.page.evaluate(SCAN)
        scripts = {"site.js", "search-index.js", "lineage.js", "compare.js", "models.js"}
        assert {Path(s).name for s in found["scripts"]} <= scripts, url
        assert found["handlers"] == [] and found["urls"] == [], url
    assert watched.dialogs == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [
    "index.html", "models/fraud-detector/index.html", "models/fraud-detector/2.1.0/index.html",
    "datasets/card-transactions/index.html", "governance/index.html",
])
def test_axe_finds_no_serious_violations(
    browser: Any, served_root: tuple[Path, str], path: str, scheme: str
) -> None:
    _require(AXE.is_file(), f"axe-core not found at {AXE} (npm install --prefix tests/.node axe-core)")
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(served_root[1] + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
