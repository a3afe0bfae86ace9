"""A cold `modelcards build` against Hugo building the same number of plain Markdown pages.

    python benchmarks/bench_build.py [--models 1000] [--versions 10] [--datasets 100] [--repeat 1]

Baseline: Debian's `hugo` rendering one Markdown page per model and per version, generated
from the same catalog (front matter with the fields a page shows, the card's Markdown as the
body) with a minimal layout, measured in the same run. Both run as fresh processes into an
empty output folder, so each pays its start-up, as a CI job does. Printed: both times and
the ratio modelcards / hugo (lower is better).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from common import OUT, ensure_catalog, interleaved
from modelcards.catalog import Catalog, load_catalog

TODAY = "2026-11-26"
LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main></body></html>
"""
CONFIG = """baseURL = "https://example.org/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
relativeURLs = true
"""


def _front_matter(fields: dict[str, object], body: str | None) -> str:
    # JSON is valid YAML front matter and needs no escaping rules of its own.
    return "---\n" + json.dumps(fields, indent=1) + "\n---\n\n" + (body or "") + "\n"


def write_hugo_site(catalog: Catalog, folder: Path) -> int:
    """A Hugo site with one page per model and per version; returns the number of pages."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "layouts/_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (folder / "layouts/_default" / name).write_text(LAYOUT)
    (folder / "layouts/index.html").write_text(LAYOUT)
    (folder / "config.toml").write_text(CONFIG)
    pages = 0
    for model in catalog.models.values():
        card = model.card
        section = folder / "content/models" / model.id
        section.mkdir(parents=True)
        (section / "_index.md").write_text(_front_matter({
            "title": card.name, "summary": card.summary, "task": card.task, "tags": card.tags,
            "owners": [o.name for o in card.owners], "primary_metric": card.primary_metric,
        }, card.description))
        pages += 1
        for version in model.versions:
            vcard = version.card
            (section / f"{version.version}.md").write_text(_front_matter({
                "title": f"{card.name} {version.version}", "summary": vcard.summary,
                "released": vcard.released.isoformat(), "stage": version.stage.value,
                "metrics": [m.model_dump(mode="json") for m in vcard.metrics],
                "lifecycle": [e.model_dump(mode="json") for e in vcard.lifecycle],
            }, vcard.description))
            pages += 1
    return pages


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--datasets", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    hugo = shutil.which("hugo")
    if hugo is None:
        sys.exit("hugo is not installed (apt-get install hugo)")
    catalog_root = ensure_catalog(args.models, args.versions, args.datasets)
    catalog, _ = load_catalog(catalog_root)
    work = OUT / f"build-{args.models}x{args.versions}x{args.datasets}"
    pages = write_hugo_site(catalog, work / "hugo")
    site, public = work / "site", work / "public"

    def modelcards_build() -> None:
        shutil.rmtree(site, ignore_errors=True)
        run([sys.executable, "-c", "from modelcards.cli import main; main()", "build",
             str(catalog_root), "-o", str(site), "--today", TODAY])

    def hugo_build() -> None:
        shutil.rmtree(public, ignore_errors=True)
        run([hugo, "--quiet", "-s", str(work / "hugo"), "-d", str(public)])

    times = interleaved({"modelcards": modelcards_build, "hugo": hugo_build}, args.repeat)
    built = sum(1 for p in site.rglob("*") if p.is_file())
    print(f"catalog: {args.models} models x {args.versions} versions, {args.datasets} datasets")
    print(f"modelcards build: {times['modelcards']:.2f} s ({built} files)")
    print(f"hugo:             {times['hugo']:.2f} s ({pages} Markdown pages)")
    print(f"ratio modelcards / hugo: {times['modelcards'] / times['hugo']:.1f}x")


if __name__ == "__main__":
    main()
