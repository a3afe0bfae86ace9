"""Shared pieces of the benchmark scripts: a cached generated catalog and a fair timer."""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_catalog import generate  # noqa: E402

OUT = HERE / "out"


def ensure_catalog(
    models: int, versions: int, datasets: int, seed: int = 0, *, warnings: bool = False
) -> Path:
    """The generated catalog of this size, made once and reused by later runs (until the
    generator changes); with `warnings`, every version card carries one (--warnings)."""
    kind = "-warnings" if warnings else ""
    folder = OUT / f"catalog-{models}x{versions}x{datasets}-s{seed}{kind}"
    done = folder / ".complete"
    generator = hashlib.sha256((HERE / "generate_catalog.py").read_bytes()).hexdigest()
    if not done.exists() or done.read_text().strip() != generator:
        generate(
            folder,
            models=models,
            versions=versions,
            datasets=datasets,
            seed=seed,
            overwrite=True,
            warnings=warnings,
        )
        done.write_text(generator + "\n")
    return folder


def hugo_binary() -> str:
    """Debian's hugo, the baseline of the build and serve benchmarks; exit when missing."""
    found = shutil.which("hugo")
    if found is None:
        sys.exit("hugo is not installed (apt-get install hugo)")
    return found


def fresh_copy(catalog: Path, place: Path) -> Path:
    """`place`, emptied, holding a copy of `catalog` in `place/catalog` (the benchmarks edit
    cards of the copy): that copy's path."""
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir(parents=True)
    copy = place / "catalog"
    shutil.copytree(catalog, copy, ignore=shutil.ignore_patterns(".complete"))
    return copy


def size_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every benchmark of the 1,000 x 10 catalog takes: its size and how many
    runs each timing is the median of."""
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--datasets", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    return parser


@dataclass(frozen=True)
class Step:
    """A timed action, and what must happen before each run of it without being timed."""

    run: Callable[[], object]
    setup: Callable[[], object] = lambda: None


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds, of this process and of the processes the action ran


def _cpu() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(step: Step) -> Timing:
    """One run after its setup, a flush of the disk cache (so no run pays for writing back
    what the one before it wrote) and a collection."""
    step.setup()
    if hasattr(os, "sync"):
        os.sync()
    gc.collect()
    cpu, start = _cpu(), time.perf_counter()
    step.run()
    return Timing(time.perf_counter() - start, _cpu() - cpu)


def _step(action: Callable[[], object] | Step) -> Step:
    return action if isinstance(action, Step) else Step(action)


def median_seconds(action: Callable[[], object] | Step, repeat: int) -> float:
    """Median wall time of `repeat` runs, each prepared as _timed says."""
    return statistics.median(_timed(_step(action)).wall for _ in range(repeat))


def interleaved_timings(
    actions: dict[str, Callable[[], object] | Step], repeat: int
) -> dict[str, Timing]:
    """Median wall and CPU times of several actions, run in turn so machine noise hits them
    alike."""
    runs: dict[str, list[Timing]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            runs[name].append(_timed(_step(action)))
    return {
        name: Timing(
            statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings)
        )
        for name, timings in runs.items()
    }


def interleaved(actions: dict[str, Callable[[], object] | Step], repeat: int) -> dict[str, float]:
    """Median wall times of several actions, run in turn so machine noise hits them alike."""
    return {name: timing.wall for name, timing in interleaved_timings(actions, repeat).items()}
