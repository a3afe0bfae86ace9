"""The built site in a real browser (Playwright driving Debian's chromium).

The example catalog's site is opened over HTTP under a sub-path and from file://. A missing
browser or axe-core fails under CI (env CI set) and skips elsewhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from modelcards.site.lineage import MAX_NODES

from ..helpers.browser import AXE, MEASURE, Watched, require
from ..helpers.catalogs import render
from ..helpers.generated import generate
from ..helpers.site import INJECTION, build_into


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
                    "http://127.0.0.1"
                ), f"{url} links outside the site: {target}"
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
        "index.html",
        "governance/index.html",
        "models/fraud-detector/index.html",
        "models/fraud-detector/2.0.0/index.html",
        "datasets/card-transactions/index.html",
    } <= pages
    # home, governance, models, their full lineage graphs, versions, the datasets list,
    # datasets, leaderboards
    assert len(pages) == 1 + 1 + 7 + 7 + 24 + 1 + 4 + 14
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
    build_into(catalog, root / "site")
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
@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "index.html?tag=fraud&sort=-latest",
        "models/fraud-detector/index.html",
        "models/fraud-detector/2.1.0/index.html",
        "datasets/card-transactions/index.html",
        "datasets/index.html",
        "governance/index.html",
        "404.html",
    ],
)
def test_axe_finds_no_serious_violations(
    browser: Any, served_root: tuple[Path, str], path: str, scheme: str
) -> None:
    require(
        AXE.is_file(), f"axe-core not found at {AXE} (npm install --prefix tests/.node axe-core)"
    )
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(served_root[1] + path)
    if path.startswith("index.html"):
        page.wait_for_selector("#models[data-ready]")  # the list drawn from the search index
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# ---- lineage, leaderboards, compare and charts, on the example and a generated catalog -------

WIDTHS = (1280, 390)
COMPARE = "compare/tabular-classification/index.html"
# One page of each kind whose pictures and layout issue 14 changed, on the example site.
EXAMPLE_PAGES = [
    "models/fraud-detector/index.html",  # metric charts on one axis, lineage graph, timeline
    "models/fraud-detector/lineage.html",
    "models/fraud-detector/2.1.0/index.html",  # monitoring charts with thresholds
    "datasets/card-transactions/index.html",
    "datasets/card-transactions/leaderboards/2025-Q4.html",
    COMPARE + "?a=fraud-detector@2.1.0&b=fraud-detector-edge@1.1.0",
]


def _ready(page: Any) -> None:
    """Wait for the compare page to build its view (other pages are ready on load)."""
    if page.query_selector("#compare-form"):
        page.wait_for_selector("#compare-view:not([hidden])", timeout=10_000)


def _check_layout(browser: Any, base: str, paths: list[str]) -> None:
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, found=errors: found.append(str(e)))
        for path in paths:
            page.goto(base + path)
            _ready(page)
            found = page.evaluate(MEASURE)
            assert found["sideways"] <= 0, (
                f"{path} at {width} px scrolls sideways by {found['sideways']} px"
            )
            assert found["small"] == [], f"{path} at {width} px: {found['small']}"
        assert errors == []
        context.close()


def test_my_page_kinds_fit_the_width_and_draw_no_text_below_11_px(
    browser: Any, served_root: tuple[Path, str]
) -> None:
    _check_layout(browser, served_root[0].as_uri() + "/", EXAMPLE_PAGES)


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated catalog: every model a chain of 10 versions, every tenth starting from the
    previous model's latest, and 20 models fine-tuned from the first model's latest (a wide
    lineage)."""
    root = tmp_path_factory.mktemp("generated")
    generate(root / "catalog", models=40, versions=10, datasets=6, fan_out=20)
    build_into(root / "catalog", root / "site")
    return root / "site"


GENERATED_PAGES = [
    "models/m0001-fraud-scorer/index.html",  # 20 children (12 drawn), a folded chain
    "models/m0001-fraud-scorer/lineage.html",
    "models/m0010-account-takeover/index.html",  # a parent in another model, then 10 versions
    "models/m0010-account-takeover/1.9.0/index.html",
    COMPARE + "?a=m0001-fraud-scorer@1.9.0&b=m0002-churn-predictor@1.0.0",
]


def _biggest_leaderboard(site: Path) -> str:
    boards = sorted(site.glob("datasets/*/leaderboards/*.html"), key=lambda p: p.stat().st_size)
    return boards[-1].relative_to(site).as_posix()


def test_a_generated_catalog_fits_the_width_and_draws_no_text_below_11_px(
    browser: Any, generated_site: Path
) -> None:
    _check_layout(
        browser,
        generated_site.as_uri() + "/",
        [*GENERATED_PAGES, _biggest_leaderboard(generated_site)],
    )


def test_the_model_page_folds_the_chain_and_caps_the_children(
    browser: Any, generated_site: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((generated_site / "models/m0001-fraud-scorer/index.html").as_uri())
    graph = "section[aria-labelledby=lineage-heading] svg"
    folds = page.eval_on_selector_all(f"{graph} .mc-fold text", "ts => ts.map(t => t.textContent)")
    assert folds == ["8 versions", "1.1.0 … 1.8.0"]
    more = page.eval_on_selector_all(
        f"{graph} .mc-more-node text", "ts => ts.map(t => t.textContent)"
    )
    # 18 children (two of the 20 start from the model before them instead): 11 drawn
    assert more == ["+7 more", "children"]
    page.click(f"{graph} .mc-fold")
    page.wait_for_url("**/models/m0001-fraud-scorer/lineage.html")
    assert page.locator(".mc-lineage-full .mc-node").count() == MAX_NODES  # the nearest
    assert "more versions are further away" in page.inner_text("main")
    page.close()


def test_the_full_lineage_graph_pans_and_zooms(browser: Any, generated_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((generated_site / "models/m0001-fraud-scorer/lineage.html").as_uri())
    svg = "#lineage-graph svg"

    def width() -> float:
        return float(page.eval_on_selector(svg, "s => s.getBoundingClientRect().width"))

    natural = width()
    page.click("button[data-zoom=in]")
    assert width() == pytest.approx(natural * 1.25, rel=0.01)
    page.click("button[data-zoom=fit]")
    fitted = width()
    assert fitted <= page.eval_on_selector("#lineage-graph", "v => v.clientWidth") + 1
    # text this small would be under 11 px: hidden, the boxes keep their links
    assert page.eval_on_selector(svg, "s => s.classList.contains('mc-overview')")
    assert page.evaluate(MEASURE)["small"] == []
    page.click("button[data-zoom=reset]")
    assert width() == pytest.approx(natural, rel=0.01)
    view = "#lineage-graph"
    before = page.eval_on_selector(view, "v => v.scrollLeft")
    box = page.locator(view).bounding_box()
    page.mouse.move(box["x"] + 600, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 300, box["y"] + 300, steps=5)
    page.mouse.up()
    assert page.eval_on_selector(view, "v => v.scrollLeft") == pytest.approx(before + 300, abs=2)
    page.close()


@pytest.mark.parametrize("kind", ["http", "file"])
def test_compare_picks_a_pair_that_the_address_names(
    kind: str, served_root: tuple[Path, str], watched: Watched
) -> None:
    site = served_root[1] if kind == "http" else served_root[0].as_uri() + "/"
    page = watched.page
    page.goto(site + "models/fraud-detector/index.html")
    page.select_option("#compare-a", "fraud-detector@2.1.0")
    page.select_option("#compare-b", "fraud-detector@2.2.0")
    page.click("form.compare-pick button[type=submit]")
    page.wait_for_selector("#compare-view:not([hidden])")
    assert "a=fraud-detector%402.1.0&b=fraud-detector%402.2.0" in page.url
    rows = page.eval_on_selector_all(
        "#compare-metrics tbody tr", "rs => rs.map(r => r.innerText.replace(/\\s+/g, ' ').trim())"
    )
    # only readings on the same dataset version and split: 2.2.0 is on 2026-Q3 but for auc on
    # 2025-Q4 (test), which 2.1.0 also reports
    assert rows == [
        "ROC AUC (higher is better) card-transactions@2025-Q4 (test) · leaderboard "
        "0.955 [0.952, 0.958] 0.957 [0.954, 0.96] +0.002 (better)"
    ]
    # B becomes a version of another model of the task: the address follows
    page.select_option("#compare-b-model", "fraud-detector-edge")
    page.wait_for_function("() => location.search.includes('fraud-detector-edge')")
    address = page.url
    assert "b=fraud-detector-edge%401.1.0" in address
    edge_rows = page.locator("#compare-metrics tbody tr").count()
    assert edge_rows >= 3
    # pasted into a review and opened again, the address shows the same pair
    page.goto(address)
    page.wait_for_selector("#compare-view:not([hidden])")
    assert page.locator("#compare-metrics tbody tr").count() == edge_rows
    assert page.input_value("#compare-b-version") == "1.1.0"
    cards = page.inner_text("#compare-cards")
    assert (
        "A: Card fraud detector 2.1.0" in cards and "B: Card fraud detector (edge) 1.1.0" in cards
    )
    # settings that differ are shown, the same ones on request
    differing = page.locator("#compare-settings tbody tr.diff-changed:not([hidden])").count()
    assert differing > 0
    assert page.locator("#compare-settings tbody tr.diff-same:not([hidden])").count() == 0
    page.check("#compare-same")
    assert page.locator("#compare-settings tbody tr.diff-same:not([hidden])").count() > 0
    page.click("#compare-swap")
    page.wait_for_function("() => location.search.startsWith('?a=fraud-detector-edge')")
    assert watched.errors == []


@pytest.mark.parametrize("kind", ["http", "file"])
def test_a_reading_leads_to_its_leaderboard(
    kind: str, served_root: tuple[Path, str], watched: Watched
) -> None:
    site = served_root[1] if kind == "http" else served_root[0].as_uri() + "/"
    page = watched.page
    page.goto(site + "models/fraud-detector/2.1.0/index.html")
    page.click(
        "section[aria-labelledby=metrics-heading] tbody tr:first-child a:text('leaderboard')"
    )
    page.wait_for_url("**/datasets/card-transactions/leaderboards/2025-Q4.html#test~auc")
    board = page.locator("#test\\~auc")
    assert board.is_visible()
    ranked = board.locator("tbody tr").all_inner_texts()
    assert ranked[0].split()[0] == "1"
    assert any("Card fraud detector 2.1.0" in " ".join(row.split()) for row in ranked)
    assert watched.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        "models/fraud-detector/lineage.html",
        "datasets/card-transactions/leaderboards/2025-Q4.html",
        COMPARE + "?a=fraud-detector@2.1.0&b=fraud-detector-edge@1.1.0",
    ],
)
def test_axe_finds_nothing_serious_on_lineage_leaderboard_and_compare(
    browser: Any, served_root: tuple[Path, str], path: str, scheme: str
) -> None:
    require(
        AXE.is_file(), f"axe-core not found at {AXE} (npm install --prefix tests/.node axe-core)"
    )
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(served_root[1] + path)
    _ready(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
