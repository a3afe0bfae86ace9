"""How much validation costs compared with merely parsing the same files.

    python benchmarks/bench_validate.py [--models 1000] [--versions 10] [--datasets 100]

Baseline: read every YAML file of the catalog and parse it with PyYAML's C loader
(yaml.CSafeLoader), measured in the same run. Target: `validate` <= 2x that baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import yaml

from common import ensure_catalog, interleaved
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--datasets", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = ensure_catalog(args.models, args.versions, args.datasets)
    result = validate_catalog(root, TODAY)
    assert not result.errors, result.errors[:3]
    files = bare_parse(root)
    times = interleaved(
        {"bare parse": lambda: bare_parse(root), "validate": lambda: validate_catalog(root, TODAY)},
        args.repeat,
    )
    ratio = times["validate"] / times["bare parse"]
    print(
        f"catalog: {args.models} models x {args.versions} versions, {args.datasets} datasets, "
        f"{files} files"
    )
    print(f"bare parse (PyYAML C loader): {times['bare parse']:.2f} s")
    print(f"modelcards validate:          {times['validate']:.2f} s")
    print(f"ratio validate / bare parse:  {ratio:.2f}x (target <= 2.00x)")
    print(f"billion laughs refused in:    {billion_laughs_seconds() * 1000:.1f} ms")


if __name__ == "__main__":
    main()
