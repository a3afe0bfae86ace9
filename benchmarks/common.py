"""Shared pieces of the benchmark scripts: a cached generated catalog and a fair timer."""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
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


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` runs, each after a garbage collection."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median times of several actions, run in turn so machine noise hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            times[name].append(median_seconds(action, 1))
    return {name: statistics.median(values) for name, values in times.items()}
