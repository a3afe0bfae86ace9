"""How much the PR check costs compared with merely parsing the same files.

    python benchmarks/bench_validate.py [--models 1000] [--versions 10] [--datasets 100]
        [--repeat 3] [--changed 20] [--no-base]

Baseline: read every YAML file of the catalog and parse it with PyYAML's C loader
(yaml.CSafeLoader), measured in the same run. Two catalogs of the same cards: the clean one,
and one where every version card carries a warning (generate_catalog.py --warnings: a metric
catalog.yaml does not declare, so 10,000 located warnings at 1,000 x 10). Target: `validate`
<= 2x the bare parse of the same catalog, in both. Then (bench_base.py) `validate --base main`
after a pull request's worth of changes, against `validate`: target <= 1.5x.

All four timings of the first part are interleaved, so machine noise hits them alike; each
figure is the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

import bench_base
from common import Timing, ensure_catalog, interleaved_timings, size_arguments
from modelcards.source import parse_source
from modelcards.validate import validate_catalog

TODAY = dt.date(2026, 11, 26)


def bare_parse(root: Path) -> int:
    count = 0
    for path in sorted(root.rglob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        count += 1
    return count


def billion_laughs_seconds() -> float:
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(1, 9):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    _, found = parse_source(Path("laughs.yaml"), "\n".join(lines) + "\n")
    elapsed = time.perf_counter() - start
    assert found is not None and found.code == "MC012", found
    return elapsed


def check_findings(root: Path, warned: bool) -> int:
    """Validate once, untimed: no errors; with warnings, one per version card, each pointing
    at the undeclared metric's name in its file. Returns the number of warnings."""
    result = validate_catalog(root, TODAY)
    assert not result.errors, result.errors[:3]
    versions = [p for p in root.glob("models/*/*.yaml") if p.name != "model.yaml"]
    assert len(result.warnings) == (len(versions) if warned else 0), result.warnings[:3]
    for found in result.warnings:
        line = found.file.read_text(encoding="utf-8").splitlines()[found.line - 1]
        assert line[found.column - 1 :].startswith("f1_macro"), (found, line)
    return len(result.warnings)


def ratio_line(label: str, validate: Timing, bare: Timing) -> str:
    return (
        f"{label:27s} {bare.wall:6.2f} s {validate.wall:6.2f} s  "
        f"{validate.wall / bare.wall:5.2f}x  (CPU time {validate.cpu / bare.cpu:.2f}x)"
    )


@dataclass(frozen=True)
class ValidateTimes:
    """validate and the bare parse, on the clean catalog and on the one with warnings."""

    times: dict[str, Timing]  # bare, validate, bare with warnings, validate with warnings
    files: int
    warnings: int  # located warnings in the second catalog (one per version card)

    def ratio(self, warned: bool) -> float:
        kind = ", warnings" if warned else ""
        return self.times["validate" + kind].wall / self.times["bare" + kind].wall


def measure(models: int, versions: int, datasets: int, repeat: int) -> ValidateTimes:
    """Both catalogs of this size checked once (untimed), then the four timings interleaved."""
    clean = ensure_catalog(models, versions, datasets)
    warned = ensure_catalog(models, versions, datasets, warnings=True)
    check_findings(clean, warned=False)
    warnings = check_findings(warned, warned=True)
    files = bare_parse(clean)
    times = interleaved_timings(
        {
            "bare": lambda: bare_parse(clean),
            "validate": lambda: validate_catalog(clean, TODAY),
            "bare, warnings": lambda: bare_parse(warned),
            "validate, warnings": lambda: validate_catalog(warned, TODAY),
        },
        repeat,
    )
    return ValidateTimes(times, files, warnings)


def main() -> None:
    parser = size_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--changed", type=int, default=20, help="cards changed for --base")
    parser.add_argument("--no-base", action="store_true", help="skip validate --base")
    args = parser.parse_args()
    found = measure(args.models, args.versions, args.datasets, args.repeat)
    times = found.times
    print(
        f"catalog: {args.models} models x {args.versions} versions, {args.datasets} datasets, "
        f"{found.files} files; median of {args.repeat}"
    )
    print(f"{'':27s} {'bare parse':>8s} {'validate':>8s}  ratio (target <= 2.00x)")
    print(ratio_line("clean catalog", times["validate"], times["bare"]))
    print(
        ratio_line(
            f"{found.warnings:,} warnings", times["validate, warnings"], times["bare, warnings"]
        )
    )
    print(f"billion laughs refused in: {billion_laughs_seconds() * 1000:.1f} ms")
    if not args.no_base:
        clean = ensure_catalog(args.models, args.versions, args.datasets)
        bench_base.report(bench_base.measure(clean, args.changed, args.repeat), args.repeat)


if __name__ == "__main__":
    main()
