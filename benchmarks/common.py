"""Shared pieces of the benchmark scripts: a cached generated catalog and a fair timer."""

from __future__ import annotations

import gc
import os
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


def ensure_catalog(models: int, versions: int, datasets: int, seed: int = 0) -> Path:
    """The generated catalog of this size, made once and reused by later runs."""
    folder = OUT / f"catalog-{models}x{versions}x{datasets}-s{seed}"
    done = folder / ".complete"
    if not done.exists():
        generate(
            folder, models=models, versions=versions, datasets=datasets, seed=seed, overwrite=True
        )
        done.write_text("generated\n")
    return folder


@dataclass(frozen=True)
class Step:
    """A timed action, and what must happen before each run of it without being timed."""

    run: Callable[[], object]
    setup: Callable[[], object] = lambda: None


def median_seconds(action: Callable[[], object] | Step, repeat: int) -> float:
    """Median wall time of `repeat` runs, each after its setup, a flush of the disk cache
    (so no run pays for writing back what the one before it wrote) and a collection."""
    step = action if isinstance(action, Step) else Step(action)
    times = []
    for _ in range(repeat):
        step.setup()
        if hasattr(os, "sync"):
            os.sync()
        gc.collect()
        start = time.perf_counter()
        step.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(
    actions: dict[str, Callable[[], object] | Step], repeat: int
) -> dict[str, float]:
    """Median times of several actions, run in turn so machine noise hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            times[name].append(median_seconds(action, 1))
    return {name: statistics.median(values) for name, values in times.items()}
