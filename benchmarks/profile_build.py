"""Where a build's time goes, and whether a change kept the site's bytes: the three questions
every speed change asks (docs/performance.md, "Profiling a build").

    python benchmarks/profile_build.py kinds [--models 200] [--profile version]
        CPU time to render each kind of page, serially and without writing (and, with
        --profile KIND, cProfile's top functions for that kind)
    python benchmarks/profile_build.py digest [--models 200] [--kind version ...]
        one SHA-256 per kind of page over every page of that kind: run it on the code before
        and after a change (two checkouts, or PYTHONPATH=other/src) and compare
    python benchmarks/profile_build.py timeline [--models 1000] [--work DIR]
        a cold build, then a rebuild after one edited card: when each step of each starts
        and ends, and in which process (the forked ones too)

The catalog is the benchmarks' generated one (common.ensure_catalog), at the size given
(default 200 models x 10 versions x 20 datasets; --catalog takes another). Dates are judged
against a fixed day, so two runs render the same bytes.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime as dt
import functools
import hashlib
import importlib
import os
import pstats
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from common import OUT, ensure_catalog
from modelcards.site.context import SiteData, prepare
from modelcards.site.pages import render_page
from modelcards.site.render import make_environment
from modelcards.site.structure import Page, site_pages
from modelcards.validate import validate_catalog

TODAY = dt.date(2026, 11, 26)
# The steps of a build the timeline reports: (module, function). A name a refactoring
# removed is reported as missing rather than failing the run.
STEPS = [
    ("modelcards.site.build", "read_catalog_files"),
    ("modelcards.site.build", "read_inputs"),
    ("modelcards.site.build", "load_catalog"),
    ("modelcards.site.build", "_check"),
    ("modelcards.site.build", "make_site_environment"),
    ("modelcards.site.build", "prepare"),
    ("modelcards.site.build", "site_pages"),
    ("modelcards.site.build", "fingerprints"),
    ("modelcards.site.build", "_standby"),
    ("modelcards.site.build", "_ahead"),
    ("modelcards.site.build", "_render_and_switch"),  # from its start to plan: fingerprints
    ("modelcards.site.reuse", "scan"),
    ("modelcards.site.reuse", "plan"),
    ("modelcards.site.parallel", "_written"),
    ("modelcards.site.build", "render_pages"),
    ("modelcards.site.build", "save_manifest"),
    ("modelcards.site.build", "_keep_or_remove"),
]


def loaded_site(catalog: Path) -> tuple[SiteData, list[Page]]:
    """The catalog validated and prepared for rendering, and its pages, as a build has them."""
    card_json: dict[Path, str] = {}
    result = validate_catalog(catalog, TODAY, None, None, card_json)
    if not result.passes():
        sys.exit(f"{catalog}: the catalog is invalid")
    site = prepare(result.catalog, TODAY, make_environment(None), result.problems, card_json)
    return site, site_pages(result.catalog)


def kinds(catalog: Path, profiled: str | None) -> None:
    site, pages = loaded_site(catalog)
    seconds: dict[str, float] = collections.defaultdict(float)
    count: collections.Counter[str] = collections.Counter()
    size: collections.Counter[str] = collections.Counter()
    profile = cProfile.Profile()
    for page in pages:
        started = time.process_time()
        if page.kind == profiled:
            profile.enable()
        files = render_page(site, page)
        profile.disable()
        seconds[page.kind] += time.process_time() - started
        count[page.kind] += 1
        size[page.kind] += sum(map(len, files.values()))
    print(f"{'kind':16s} {'CPU':>8s} {'pages':>7s} {'each':>10s} {'bytes':>9s}")
    for kind, spent in sorted(seconds.items(), key=lambda item: -item[1]):
        each = 1000 * spent / count[kind]
        print(
            f"{kind:16s} {spent:7.2f}s {count[kind]:7d} {each:7.3f} ms {size[kind] / 1e6:7.1f} MB"
        )
    print(f"{'all':16s} {sum(seconds.values()):7.2f}s {sum(count.values()):7d}")
    if profiled is not None:
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(30)


def digests(catalog: Path, wanted: set[str]) -> dict[str, tuple[str, int]]:
    """Kind of page -> (SHA-256 over every file of its pages, with their paths; pages)."""
    site, pages = loaded_site(catalog)
    found: dict[str, Any] = collections.defaultdict(hashlib.sha256)
    count: collections.Counter[str] = collections.Counter()
    for page in pages:
        if wanted and page.kind not in wanted:
            continue
        files = render_page(site, page)
        for path in sorted(files):
            found[page.kind].update(path.encode() + b"\0" + files[path] + b"\0")
        count[page.kind] += 1
    return {kind: (found[kind].hexdigest(), count[kind]) for kind in sorted(found)}


def timeline(catalog: Path, work: Path) -> None:
    """A cold build of a copy of `catalog` in `work`, then one version card's summary edited
    and the site built again; each step printed as it ends."""
    from modelcards.site.build import SiteConfig, build_site

    copy, output, cache = work / "catalog", work / "site", work / "cache"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(catalog, copy)
    started = time.perf_counter()
    missing = [f"{module}.{name}" for module, name in STEPS if not _timed(module, name, started)]
    if missing:
        print(f"not found (renamed?): {', '.join(missing)}")
    config = SiteConfig(catalog=copy, output=output, cache=cache, today=TODAY)
    for title, change in (("cold build", None), ("one card edited", _edit_one_card)):
        if change is not None:
            change(copy)
        print(f"-- {title}")
        began = time.perf_counter()
        report = build_site(config)
        print(f"{title}: {time.perf_counter() - began:.2f} s, {report.rendered} files rendered")


def _timed(module_name: str, name: str, started: float) -> bool:
    module = importlib.import_module(module_name)
    original = getattr(module, name, None)
    if original is None:
        return False

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        begin = time.perf_counter() - started
        try:
            return original(*args, **kwargs)
        finally:
            end = time.perf_counter() - started
            # flushed: a forked process ends with os._exit, which flushes nothing
            print(f"  {name:24s} {begin:7.2f} -> {end:7.2f} s  (process {os.getpid()})", flush=True)

    setattr(module, name, timed)
    return True


def _edit_one_card(catalog: Path) -> None:
    cards = sorted(catalog.glob("models/*/*.yaml"))
    versions = [path for path in cards if path.name != "model.yaml"]
    card = versions[len(versions) // 2]
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("\nsummary: ", "\nsummary: Edited. ", 1), encoding="utf-8")


def _sizes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--catalog", type=Path, help="a catalog folder instead of a generated one")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, helped in [
        ("kinds", "CPU time by kind of page"),
        ("digest", "a digest per kind of page"),
        ("timeline", "each step of a cold build and of a one-card rebuild"),
    ]:
        _sizes(commands.add_parser(name, help=helped))
    commands.choices["kinds"].add_argument("--profile", metavar="KIND")
    commands.choices["digest"].add_argument("--kind", action="append", default=[])
    commands.choices["timeline"].add_argument("--work", type=Path, default=OUT / "timeline")
    args = parser.parse_args(argv)
    catalog = args.catalog or ensure_catalog(args.models, args.versions, args.datasets)
    if args.command == "kinds":
        kinds(catalog, args.profile)
    elif args.command == "digest":
        for kind, (digest, pages) in digests(catalog, set(args.kind)).items():
            print(f"{kind:16s} {digest} {pages}")
    else:
        timeline(catalog, args.work)


if __name__ == "__main__":
    main()
