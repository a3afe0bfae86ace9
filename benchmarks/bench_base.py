"""What `validate --base` costs on top of a plain `validate`.

    python benchmarks/bench_base.py [--models 1000] [--versions 10] [--datasets 100] [--changed 20]

The generated catalog is committed on `main` in a temporary git repository; then `--changed`
version cards are edited in the working tree (a one-line summary fix and an appended
monitoring observation each, both allowed). Baseline: `validate_catalog` on the same tree,
measured in the same run, interleaved. Target: `validate --base main` <= 1.5x the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import ensure_catalog, interleaved, size_arguments
from modelcards.history import validate_against_base
from modelcards.validate import validate_catalog

TODAY = dt.date(2026, 11, 26)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def change_cards(root: Path, count: int) -> list[Path]:
    """Edit `count` version cards the way a pull request would (documentation and logs)."""
    cards = sorted(p for p in root.glob("models/*/*.yaml") if p.name != "model.yaml")
    step = max(1, len(cards) // count)
    edited = []
    for path in cards[::step][:count]:
        text = path.read_text(encoding="utf-8")
        text = text.replace("\nsummary: ", "\nsummary: Reviewed. ", 1)
        if "  observations:\n" in text:
            text = text.rstrip("\n") + "\n"  # observations are the file's last list
            text += "    - {date: 2026-11-20, metric: auc, value: 0.9}\n"
        path.write_text(text, encoding="utf-8")
        edited.append(path)
    return edited


@dataclass(frozen=True)
class BaseTimes:
    plain: float  # validate, median seconds
    based: float  # validate --base main, median seconds
    changed: int  # cards changed in the working tree


def measure(source: Path, changed: int, repeat: int) -> BaseTimes:
    """Commit the catalog at `source` in a scratch repository, change `changed` version cards,
    and time validate and validate --base main, interleaved."""
    with tempfile.TemporaryDirectory(prefix="bench-base-") as scratch:
        repo = Path(scratch)
        root = repo / "catalog"
        shutil.copytree(source, root, ignore=shutil.ignore_patterns(".complete"))
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", "catalog")
        edited = change_cards(root, changed)
        result, history = validate_against_base(root, "main", TODAY)
        assert len(history.changed) == len(edited), (len(history.changed), len(edited))
        assert not result.errors, result.errors[:3]
        times = interleaved(
            {
                "validate": lambda: validate_catalog(root, TODAY),
                "validate --base": lambda: validate_against_base(root, "main", TODAY),
            },
            repeat,
        )
    return BaseTimes(times["validate"], times["validate --base"], len(edited))


def report(times: BaseTimes, repeat: int) -> None:
    print(
        f"validate:        {times.plain:.3f} s (median of {repeat}; {times.changed} cards changed)"
    )
    print(f"validate --base: {times.based:.3f} s")
    print(f"ratio validate --base / validate: {times.based / times.plain:.2f}x (target <= 1.5x)")


def main() -> None:
    parser = size_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--changed", type=int, default=20)
    args = parser.parse_args()
    source = ensure_catalog(args.models, args.versions, args.datasets)
    times = measure(source, args.changed, args.repeat)
    files = sum(1 for _ in source.rglob("*.yaml"))
    print(f"catalog: {args.models} models x {args.versions} versions, {files} files")
    report(times, args.repeat)


if __name__ == "__main__":
    main()
