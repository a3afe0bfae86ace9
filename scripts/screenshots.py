"""Regenerate the screenshots in docs/screenshots/ from the example catalog.

    python scripts/screenshots.py [--chromium /usr/bin/chromium]

Builds the example catalog's site into a temporary folder, opens the home page, a model page
and a version page in headless chromium (Playwright) and saves PNGs of the top of each page,
in light mode, at a laptop-sized window. Dates are fixed, so reruns differ only when the
catalog or the theme changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from modelcards.site.build import render_site, write_site
from modelcards.validate import validate_catalog

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SHOTS = {
    "home.png": "index.html",
    "model.png": "models/fraud-detector/index.html",
    "version.png": "models/fraud-detector/2.0.0/index.html",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--catalog", type=Path, default=REPO / "catalog")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    result = validate_catalog(args.catalog, TODAY)
    if not result.passes():
        raise SystemExit(f"{args.catalog} is not valid; run modelcards validate")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        site = Path(folder) / "site"
        write_site(render_site(result.catalog, TODAY, None), site)
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, color_scheme="light")
        for name, path in SHOTS.items():
            page.goto((site / path).as_uri())
            page.screenshot(path=str(args.out / name))
            print(f"wrote {args.out / name}")
        browser.close()


if __name__ == "__main__":
    main()
