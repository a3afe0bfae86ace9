"""The example site on a laptop and on a phone: nothing scrolls the page sideways, labels stay
legible, and the 404 page works wherever a host serves it (Playwright driving chromium, as in
test_browser.py, whose fixtures these tests share)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from modelcards.site.build import SiteConfig
from modelcards.site.live import LiveSite
from modelcards.site.serve import start_server

from ..helpers.browser import SUB_PATH, Watched
from ..helpers.catalogs import EXAMPLE_CATALOG
from ..helpers.site import TODAY

WIDTHS = (1280, 390)
# Scrolled sideways: the document is wider than the window (a table or figure inside a frame
# that scrolls on its own does not count; that frame is narrower than the window).
SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


def html_pages(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(
    browser: Any,
    served_root: tuple[Path, str],
    width: int,
) -> None:
    folder, url = served_root
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    wide = []
    for path in html_pages(folder):
        page.goto(url + path)
        if page.evaluate(SIDEWAYS):
            wide.append((path, page.evaluate("document.documentElement.scrollWidth")))
    context.close()
    assert wide == []


def test_traffic_labels_are_painted_in_a_colour_that_shows(
    served_root: tuple[Path, str],
    watched: Watched,
) -> None:
    page = watched.page
    page.goto(served_root[1] + "models/fraud-detector/index.html")
    labels = page.eval_on_selector_all(
        "text.mc-traffic",
        """els => els.map(e => ({
        text: e.textContent, outside: e.classList.contains('mc-outside'),
        fill: getComputedStyle(e).fill,
        page: getComputedStyle(document.body).backgroundColor}))""",
    )
    outside = [label for label in labels if label["outside"]]
    assert sorted(label["text"] for label in outside) == ["10%", "90%"]  # short bars so far
    assert all(label["fill"] != label["page"] for label in outside)
    assert {label["text"] for label in labels} >= {"10%", "90%"}


class _PagesHandler(SimpleHTTPRequestHandler):
    """A host like GitHub Pages: the site under a sub-path, its 404.html for a missing file."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / SUB_PATH / "404.html"
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def pages_host(served_root: tuple[Path, str]) -> Iterator[str]:
    folder, _ = served_root
    root = folder.parents[len(Path(SUB_PATH).parts) - 1]
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_PagesHandler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def served_by_modelcards() -> Iterator[str]:
    """The example catalog under `modelcards serve`'s own server."""
    config = SiteConfig(
        EXAMPLE_CATALOG, EXAMPLE_CATALOG.parent / "unused", today=TODAY, use_cache=False
    )
    live = LiveSite(config, lambda _: None)
    assert live.load()
    server = start_server(live, 0)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _lands_home(page: Any, expected: str) -> None:
    """The page is the styled 404 page, and its first link leads to the home page."""
    assert page.inner_text("h1") == "Page not found"
    header = page.eval_on_selector(".site-header", "e => getComputedStyle(e).borderBottomStyle")
    assert header == "solid"  # the style sheet applies
    page.wait_for_function("want => document.querySelector('main a').href === want", arg=expected)
    page.click("main a")
    page.wait_for_url(expected)
    assert page.locator("#models").count() == 1


@pytest.mark.parametrize(
    "missing", ["models/fraud-detector/9.9.9/index.html", "no/such/folder/", "nothing.html"]
)
def test_404_page_of_serve_leads_home_from_any_depth(
    served_by_modelcards: str,
    watched: Watched,
    missing: str,
) -> None:
    response = watched.page.goto(served_by_modelcards + missing)
    assert response is not None and response.status == 404
    _lands_home(watched.page, served_by_modelcards + "index.html")
    assert watched.errors == [] or all("404" in error for error in watched.errors)


@pytest.mark.parametrize("missing", ["models/fraud-detector/9.9.9/", "a/b/c/d.html", "x"])
def test_404_page_under_a_sub_path_leads_to_that_sites_home(
    pages_host: str,
    watched: Watched,
    missing: str,
) -> None:
    response = watched.page.goto(f"{pages_host}{SUB_PATH}/{missing}")
    assert response is not None and response.status == 404
    _lands_home(watched.page, f"{pages_host}{SUB_PATH}/index.html")


def test_404_page_opened_from_disk(served_root: tuple[Path, str], watched: Watched) -> None:
    folder, _ = served_root
    watched.page.goto((folder / "404.html").as_uri())
    _lands_home(watched.page, (folder / "index.html").as_uri())
    assert watched.errors == []


def _opened(browser: Any, url: str, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(url)
    return context, page


# The box of each cell, and whether it is drawn at all (display: none gives no box).
CELLS = """(cells) => cells.map(c => { const r = c.getBoundingClientRect();
  return {label: c.dataset.label || '', left: r.left, right: r.right, shown: r.width > 0}; })"""


def test_a_phone_shows_what_runs_where_and_how_well_within_the_width(
    browser: Any,
    served_root: tuple[Path, str],
) -> None:
    """At 390 px the home page's first model shows its production versions, primary metric
    and status inside the window, before its owner and task (no hidden columns to scroll
    to); the model page's history rows stay short and show stage and reading."""
    context, page = _opened(browser, served_root[1] + "index.html", 390)
    page.wait_for_selector("#models[data-ready]")
    cells = page.eval_on_selector_all("#models tbody tr:first-child td", CELLS)
    by_label = {cell["label"]: cell for cell in cells}
    for label in ("In production", "Primary metric", "Status"):
        assert (
            by_label[label]["shown"]
            and 0 <= by_label[label]["left"] < by_label[label]["right"] <= 390
        ), label
    order = page.eval_on_selector_all(
        "#models tbody tr:first-child td",
        "cs => cs.map(c => [c.dataset.label, c.getBoundingClientRect().top])",
    )
    top = dict(order)
    assert top["In production"] < top["Owner"] and top["Primary metric"] < top["Task"]
    page.goto(served_root[1] + "models/fraud-detector/index.html")
    rows = page.eval_on_selector_all(
        "table.history tbody tr",
        """rows => rows.map(r => ({
        height: r.getBoundingClientRect().height, right: r.getBoundingClientRect().right,
        text: r.innerText}))""",
    )
    context.close()
    assert len(rows) >= 5
    assert max(row["height"] for row in rows) <= 220  # was 300 px and more, in a table row
    assert all(row["right"] <= 390 for row in rows)
    assert "production" in rows[1]["text"] and "10%" in rows[1]["text"]
    assert "0.958" in rows[1]["text"]  # the reading of the primary metric


def test_tables_fit_their_column_and_dates_stay_on_one_line(
    browser: Any,
    served_root: tuple[Path, str],
) -> None:
    """At 1280 px the version page's "What changed" table (long digests in it) is no wider
    than the column it sits in, and no date is broken over two lines."""
    context, page = _opened(
        browser, served_root[1] + "models/fraud-detector/2.1.0/index.html", 1280
    )
    table = page.eval_on_selector(
        "table.changes",
        """t => ({
        table: t.getBoundingClientRect().width,
        column: t.closest('main').getBoundingClientRect().width})""",
    )
    heights = page.eval_on_selector_all(
        "main time",
        """ts => ts.map(t => {
        const rects = t.getClientRects(); return rects.length; })""",
    )
    context.close()
    assert table["table"] <= table["column"]
    assert heights and all(lines == 1 for lines in heights)
