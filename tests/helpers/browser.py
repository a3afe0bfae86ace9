"""A real browser for the site tests: Debian's chromium driven by Playwright, axe-core for the
accessibility checks, and what the pages are asked. The fixtures (browser, served_root, site,
watched) are in tests/browser/conftest.py."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from .catalogs import REPO

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


AXE = Path(os.environ.get("AXE_CORE", REPO / "tests/.node/node_modules/axe-core/axe.min.js"))


ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SUB_PATH = "sub/path"


def require(ready: bool, why: str) -> None:
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(f"{why} (required under CI)")
        pytest.skip(why)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@dataclass
class Watched:
    """A page with its console errors and dialogs recorded."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


MEASURE = """() => {
  const doc = document.documentElement;
  const small = [];
  let drawn = 0;
  for (const text of document.querySelectorAll('svg text')) {
    if (!text.getClientRects().length || !text.textContent.trim()) { continue; }
    const m = text.getScreenCTM();
    if (!m) { continue; }
    drawn += 1;
    // The font size as drawn: CSS size in the SVG's units, times the SVG's scale (and
    // whatever rotation: the determinant of the matrix is the square of the scale).
    const px = parseFloat(getComputedStyle(text).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    if (px < 10.95) { small.push(text.textContent + ' at ' + px.toFixed(2) + ' px'); }
  }
  return {sideways: doc.scrollWidth - doc.clientWidth, small: small.slice(0, 5), drawn: drawn};
}"""


def shown(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all("#models tbody tr", "rows => rows.map(r => r.dataset.model)")
    )


def address(page: Any) -> str:
    """The address the page shows now (page.url can lag behind history.replaceState)."""
    return str(page.evaluate("location.href"))
