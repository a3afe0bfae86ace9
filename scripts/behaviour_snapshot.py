"""A snapshot of what modelcards does, to diff before and after a change meant to keep behaviour.

    python scripts/behaviour_snapshot.py OUT        # then, after the change:
    python scripts/behaviour_snapshot.py OUT2 && diff -r OUT OUT2

It writes OUT/site/ (the example catalog built with a fixed date) and OUT/validate/, one file
per catalog the test suite leaves behind: `modelcards validate --format json` over each, run
once the suite has ended (so every catalog a test made is covered, in its final state, however
the tests build it). Paths are written relative to pytest's base folder, so two runs compare.
A refactoring (issue 12) must leave the diff empty.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-02"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (e.g. -k ...)")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    (out / "validate").mkdir(parents=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796169600"}  # 2026-12-02, for the example site
    subprocess.run(
        [
            sys.executable,
            "-m",
            "modelcards",
            "build",
            str(ROOT / "catalog"),
            "-o",
            str(out / "site"),
            "--no-cache",
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    base = out / "pytest"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not slow",
            f"--basetemp={base}",
            *args.pytest_args,
        ],
        check=False,
        cwd=ROOT,
    )
    for settings in sorted(base.rglob("catalog.yaml")):
        _snapshot(settings.parent, base, out / "validate")
    shutil.rmtree(base, ignore_errors=True)
    return 0


def _snapshot(catalog: Path, base: Path, into: Path) -> None:
    from click.testing import CliRunner

    from modelcards.cli import cli

    name = catalog.relative_to(base).as_posix().replace("/", "~")
    # Run from the catalog's parent: the paths printed are then "catalog/...", the same
    # whatever folder the snapshot is written to.
    here = Path.cwd()
    os.chdir(catalog.parent)
    try:
        result = CliRunner().invoke(
            cli, ["validate", catalog.name, "--format", "json", "--today", TODAY]
        )
    finally:
        os.chdir(here)
    text = result.output.replace(str(base), "<base>")
    with contextlib.suppress(ValueError):  # not JSON (a refusal): kept as printed
        text = json.dumps(json.loads(text), indent=1, sort_keys=True)
    (into / f"{name}.txt").write_text(f"exit {result.exit_code}\n{text}\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
