"""Regenerate the screenshots in docs/screenshots/ from the example catalog.

    python scripts/screenshots.py [--chromium /usr/bin/chromium]

Builds the example catalog's site into a temporary folder, opens one page of each kind in
headless chromium (Playwright) and saves PNGs of the top of each page, in light mode, at a
laptop-sized window (1280 px wide: `<kind>.png`) and at a phone's width (390 px:
`<kind>-390.png`). Dates are fixed, so reruns differ only when the catalog or the theme
changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from modelcards.site.build import SiteConfig, build_site

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# One page of each kind: the file name's stem and the page's path in the site.
SHOTS = {
    "home": "index.html",
    "model": "models/fraud-detector/index.html",
    "version": "models/fraud-detector/2.0.0/index.html",
    "dataset": "datasets/card-transactions/index.html",
    "datasets": "datasets/index.html",
    "governance": "governance/index.html",
    "not-found": "404.html",
    "lineage": "models/fraud-detector/lineage.html",
    "leaderboard": "datasets/card-transactions/leaderboards/2025-Q4.html",
    "compare": "compare/tabular-classification/index.html"
    "?a=fraud-detector@2.1.0&b=fraud-detector-edge@1.1.0",
}
# Window sizes: a laptop (the plain file name) and a phone (the width after the stem).
WINDOWS = {"": (1280, 1000), "-390": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--catalog", type=Path, default=REPO / "catalog")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        site = Path(folder) / "site"
        config = SiteConfig(args.catalog, site, today=TODAY, cache=Path(folder) / "cache")
        if build_site(config).files is None:
            raise SystemExit(f"{args.catalog} is not valid; run modelcards validate")
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        for suffix, (width, height) in WINDOWS.items():
            page = browser.new_page(
                viewport={"width": width, "height": height}, color_scheme="light"
            )
            for stem, path in SHOTS.items():
                target = args.out / f"{stem}{suffix}.png"
                file, _, query = path.partition("?")
                page.goto((site / file).as_uri() + (f"?{query}" if query else ""))
                if page.query_selector("#compare-form"):  # built in the browser
                    page.wait_for_selector("#compare-view:not([hidden])")
                page.screenshot(path=str(target))
                print(f"wrote {target}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
