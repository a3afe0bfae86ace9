"""Issue 15's five ratios, measured side by side on one generated catalog, in one run.

    python benchmarks/bench_all.py [--models 1000] [--versions 10] [--datasets 100] [--repeat 3]
        [--work DIR] [--changed 20] [--no-linearity] [--no-memory]

Each ratio is against a baseline measured in the same run (this machine is shared and noisy:
absolute seconds say little), by the functions of the single benchmarks, which also print
more detail when run alone:

1. validate / bare parse: `validate` against reading and parsing every file with PyYAML's C
   loader, on the catalog where every version card carries a warning (and the clean one);
   bench_validate.measure. Target <= 2x.
2. validate --base / validate: after a pull request's worth of changed cards;
   bench_base.measure. Target <= 1.5x.
3. serve edit / hugo server: an edited version card visible on reload under `modelcards
   serve`, against the same under `hugo server` (--serve-edits edits each, in turns);
   bench_serve.measure, when benchmarks/bench_serve.py is there. Target: <= 0.5 s, Hugo's
   figure.
4. one card / cold: a rebuild after one edited version card against a cold build, on disk
   (--work); bench_build.measure. Target <= 0.15x.
5. cold / hugo: a cold `modelcards build` against Hugo building the same content (a page per
   model, version and dataset rendering all of its card, each version's README and BOM, the
   catalog as JSON: about as many files); bench_build.measure. Target <= 2x this turn, <= 1x
   the goal. Also reported, with no target: against Hugo rendering one minimal page per model
   and version (the baseline issue 15 was filed against).

Then peak memory (target <= 1 GiB) and 4x the cards (target <= 4.4x the time), which
bench_build measures on the way unless --no-memory / --no-linearity. The table ends with the
run's date, the machine and its load before and after, since a busy machine changes every
figure. No ratio fails the run: CI runs this at a smoke size to keep it working.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import math
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bench_base
import bench_build
import bench_validate
import modelcards
from common import HERE, OUT, ensure_catalog, size_arguments

# bench_serve.measure(catalog, edits) -> (modelcards serve seconds, hugo server seconds)
SERVE_HOOK = "measure"
ServeMeasure = Callable[[Path, int], tuple[float, float]]


@dataclass(frozen=True)
class Row:
    measure: str
    figures: str  # the two timings (or the value) it is made of
    ratio: str
    target: str
    met: bool | None  # None: not measured


def _verdict(met: bool | None) -> str:
    return "not measured" if met is None else ("met" if met else "**not met**")


def serve_measure() -> ServeMeasure | None:
    """bench_serve's measure function, when there is one."""
    if importlib.util.find_spec("bench_serve") is None:
        return None
    import bench_serve  # type: ignore[import-not-found,unused-ignore]

    found = getattr(bench_serve, SERVE_HOOK, None)
    return found if callable(found) else None


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    return (
        f"{platform.system()} {platform.machine()}, {cpus} CPUs{f' ({model})' if model else ''}"
        f"{memory}, Python {platform.python_version()}"
    )


def file_system(path: Path) -> str:
    """The type of the file system `path` is on (ext4, tmpfs, ...), from /proc/mounts."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    resolved = str(path.resolve())
    mounted = [
        (point, kind)
        for point, kind in mounts
        if (resolved + "/").startswith(point.rstrip("/") + "/")
    ]
    return max(mounted, key=lambda found: len(found[0]))[1] if mounted else "unknown"


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(HERE), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "?"


def main() -> None:
    parser = size_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--changed", type=int, default=20, help="cards changed for --base")
    parser.add_argument("--serve-edits", type=int, default=10, help="edits timed under serve")
    parser.add_argument(
        "--work", type=Path, default=OUT, help="folder to build in (default: benchmarks/out)"
    )
    parser.add_argument("--no-linearity", action="store_true", help="skip the quarter catalog")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory build")
    args = parser.parse_args()
    size = (args.models, args.versions, args.datasets)
    started, load_before = dt.datetime.now(dt.timezone.utc), load()

    print("1/4 validate and the bare parse ...", flush=True)
    validate = bench_validate.measure(*size, args.repeat)
    print("2/4 validate --base ...", flush=True)
    base = bench_base.measure(ensure_catalog(*size), args.changed, args.repeat)
    serve = serve_measure()
    print("3/4 serve and hugo server ..." if serve else "3/4 (no bench_serve.measure)", flush=True)
    served = serve(ensure_catalog(*size), args.serve_edits) if serve else None
    print("4/4 build: cold, hugo, incremental ...", flush=True)
    build = bench_build.measure(
        *size,
        args.repeat,
        args.work,
        linearity=not args.no_linearity,
        memory=not args.no_memory,
    )
    finished = dt.datetime.now(dt.timezone.utc)

    t, b = validate.times, build.wall
    rows = [
        Row(
            f"validate / bare parse ({validate.warnings:,} warnings)",
            f"{t['validate, warnings'].wall:.2f} s / {t['bare, warnings'].wall:.2f} s",
            f"{validate.ratio(True):.2f}x",
            "<= 2x",
            validate.ratio(True) <= 2,
        ),
        Row(
            "validate / bare parse (clean)",
            f"{t['validate'].wall:.2f} s / {t['bare'].wall:.2f} s",
            f"{validate.ratio(False):.2f}x",
            "<= 2x",
            validate.ratio(False) <= 2,
        ),
        Row(
            f"validate --base / validate ({base.changed} cards changed)",
            f"{base.based:.2f} s / {base.plain:.2f} s",
            f"{base.based / base.plain:.2f}x",
            "<= 1.5x",
            base.based / base.plain <= 1.5,
        ),
        Row(
            "serve: edit visible / hugo server",
            f"{served[0]:.3f} s / {served[1]:.3f} s (medians of {args.serve_edits})"
            if served
            else "benchmarks/bench_serve.py",
            f"{served[0] / served[1]:.2f}x" if served else "",
            "<= 0.5 s",
            served[0] <= 0.5 if served else None,
        ),
        Row(
            f"one card edited / cold, on {file_system(build.work)}",
            f"{b['one card']:.2f} s / {b['cold']:.2f} s"
            + ("" if build.identical else " (DIFFERS from cold)"),
            f"{build.ratio('one card'):.3f}x",
            "<= 0.15x",
            build.ratio("one card") <= 0.15 and build.identical,
        ),
        Row(
            "cold build / hugo, the same content",
            f"{b['cold']:.2f} s / {b['hugo']:.2f} s "
            f"(CPU {build.cpu['cold'] / build.cpu['hugo']:.2f}x)",
            f"{build.ratio('cold', 'hugo'):.2f}x",
            "<= 2x (goal 1x)",
            build.ratio("cold", "hugo") <= 2,
        ),
        Row(
            "cold build / hugo, minimal pages (for comparison)",
            f"{b['cold']:.2f} s / {b['hugo minimal']:.2f} s "
            f"(CPU {build.cpu['cold'] / build.cpu['hugo minimal']:.2f}x)",
            f"{build.ratio('cold', 'hugo minimal'):.2f}x",
            "",
            None,
        ),
        Row(
            "no-op rebuild / cold",
            f"{b['no-op']:.2f} s / {b['cold']:.2f} s",
            f"{build.ratio('no-op'):.3f}x",
            "<= 0.10x",
            build.ratio("no-op") <= 0.10,
        ),
        Row(
            "one card after a tar restore (CI) / cold",
            f"{b['restored']:.2f} s / {b['cold']:.2f} s",
            f"{build.ratio('restored'):.3f}x",
            "<= 0.15x",
            build.ratio("restored") <= 0.15,
        ),
    ]
    if "quarter" in b:
        ratio = build.ratio("cold", "quarter")
        rows.append(
            Row(
                "4x the cards (cold / cold of a quarter)",
                f"{b['cold']:.2f} s / {b['quarter']:.2f} s",
                f"{ratio:.2f}x",
                "<= 4.4x",
                ratio <= 4.4,
            )
        )
    if not math.isnan(build.memory_mib):
        rows.append(
            Row(
                "peak memory of a cold build",
                f"{build.memory_mib:.0f} MiB",
                "",
                "<= 1 GiB",
                build.memory_mib <= 1024,
            )
        )
    rows.append(
        Row(
            "median HTML page",
            f"{build.median_kib:.1f} KiB (largest {build.largest_kib:.0f} KiB)",
            "",
            "<= 30 KB",
            build.median_kib * 1024 <= 30_000,
        )
    )

    print()
    print(
        f"catalog: {args.models} models x {args.versions} versions, {args.datasets} datasets "
        f"({validate.files:,} files); site {build.files:,} files; Hugo {build.hugo_files:,} "
        f"files (same content), {build.minimal_files:,} (minimal); median of {args.repeat}"
    )
    print(f"built in: {build.work}")
    print()
    print("| measure | figures | ratio | target | |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row.measure} | {row.figures} | {row.ratio} | {row.target} "
            f"| {_verdict(row.met) if row.target else ''} |"
        )
    print()
    print(
        f"date: {started:%Y-%m-%d %H:%M} to {finished:%H:%M} UTC; modelcards "
        f"{modelcards.__version__} ({commit()})"
    )
    print(f"machine: {machine()}")
    print(f"load (1 / 5 / 15 min): {load_before} before, {load()} after")
    laughs = bench_validate.billion_laughs_seconds()
    print(f"a billion-laughs file refused in {laughs * 1000:.1f} ms")
    if not served:
        print(
            "serve: not measured: no benchmarks/bench_serve.py with "
            f"{SERVE_HOOK}(catalog, edits) yet"
        )
    if not build.identical:
        sys.exit("the incremental build differs from a cold build")


if __name__ == "__main__":
    main()
