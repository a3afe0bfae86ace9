"""The browser tests' fixtures: chromium, the example site served over HTTP under a sub-path,
and pages whose console errors and dialogs are recorded. Module-scoped: each test module
launches its browser and builds its site once."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ..helpers.browser import ARGS, CHROMIUM, SUB_PATH, QuietHandler, Watched, require
from ..helpers.catalogs import EXAMPLE_CATALOG
from ..helpers.site import build_into


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(CHROMIUM.exists(), f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the test extra
        require(False, "playwright is not installed")
        raise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def served_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example site written under <root>/sub/path/, and that root served over HTTP."""
    root = tmp_path_factory.mktemp("served")
    build_into(EXAMPLE_CATALOG, root / SUB_PATH)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root / SUB_PATH, f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["http", "file"])
def site(request: pytest.FixtureRequest, served_root: tuple[Path, str]) -> str:
    folder, url = served_root
    return url if request.param == "http" else folder.as_uri() + "/"


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context()
    page = context.new_page()
    seen = Watched(page)

    def console(message: Any) -> None:  # errors only
        if message.type == "error":
            seen.errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))

    def dialog(opened: Any) -> None:
        seen.dialogs.append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    yield seen
    context.close()
