"""How fast the home page's search answers a keystroke at 2,000 models, in a real browser.

    python benchmarks/bench_home.py [--models 2000] [--versions 2] [--datasets 20]
        [--repeat 5] [--chromium /usr/bin/chromium]

Renders the home page and its search index for a generated catalog, opens it from file://
in headless chromium (Playwright) and types queries into the search box, one character at a
time. Each keystroke is timed in the page with performance.now(): from the input event to
the next painted frame (the list filtered, sorted, drawn and laid out). Target: 100 ms.

Baseline, measured in the same run and the same page: drawing the same 50 rows again
(their HTML put back into the table) and waiting for the next frame, which is what any
list of 50 models costs this browser on this machine; the ratio is what searching adds.
Also printed: waiting for a frame with nothing to draw (the machine's own latency).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from common import ensure_catalog
from modelcards.site.build import SiteConfig, build_site

TODAY = dt.date(2026, 11, 26)
QUERIES = ("fraud scorer", "law enforcement", "1.1.0", "churn predictor 12", "customer ml")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]

FRAME = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"
TYPE = f"""async (text) => {{
  const input = document.getElementById('filter-q'), frame = {FRAME}, times = [];
  for (let n = 1; n <= text.length; n += 1) {{
    const start = performance.now();
    input.value = text.slice(0, n);
    input.dispatchEvent(new Event('input', {{bubbles: true}}));
    await frame();
    times.push(performance.now() - start);
  }}
  input.value = '';
  input.dispatchEvent(new Event('input', {{bubbles: true}}));
  await frame();
  return times;
}}"""
REDRAW = f"""async ([count, redraw]) => {{
  const body = document.querySelector('#models tbody'), frame = {FRAME}, times = [];
  const rows = body.innerHTML;
  for (let n = 0; n < count; n += 1) {{
    const start = performance.now();
    if (redraw) {{ body.innerHTML = rows; }}
    await frame();
    times.push(performance.now() - start);
  }}
  return times;
}}"""


def home_site(catalog: Path, folder: Path) -> int:
    """The catalog's site, built as `modelcards build` builds it; the number of models."""
    report = build_site(SiteConfig(catalog, folder, today=TODAY, use_cache=False))
    if report.files is None:
        raise SystemExit(f"{catalog} is not valid")
    return report.validation.scope.models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=2)
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="times each query is typed")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    catalog = ensure_catalog(args.models, args.versions, args.datasets)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        site = Path(folder) / "site"
        models = home_site(catalog, site)
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((site / "index.html").as_uri())
        page.wait_for_selector("#models[data-ready]")
        typed: list[float] = []
        redrawn: list[float] = []
        idle: list[float] = []
        for _ in range(args.repeat):  # interleaved, so all see the same machine
            for query in QUERIES:
                typed += page.evaluate(TYPE, query)
                redrawn += page.evaluate(REDRAW, [len(query), True])
                idle += page.evaluate(REDRAW, [len(query), False])
        browser.close()
    keystroke, redraw = statistics.median(typed), statistics.median(redrawn)
    print(f"models:                         {models:,}")
    print(f"keystrokes timed:               {len(typed)}")
    print(
        f"keystroke to painted frame:     median {keystroke:.1f} ms, "
        f"90th percentile {statistics.quantiles(typed, n=10)[-1]:.1f} ms, "
        f"max {max(typed):.1f} ms (target <= 100 ms)"
    )
    print(f"baseline, 50 rows redrawn:      median {redraw:.1f} ms")
    print(f"a frame with nothing to draw:   median {statistics.median(idle):.1f} ms")
    print(f"ratio keystroke / redraw:       {keystroke / redraw:.2f}x")


if __name__ == "__main__":
    main()
