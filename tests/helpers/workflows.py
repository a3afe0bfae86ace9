"""GitHub workflows: the linters of the test extra, and what a publishing workflow must do
with the build cache (this repository's pages workflow and the ones `modelcards init` writes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

# The test extra installs actionlint and shellcheck beside this Python: first on PATH.
TOOLS_PATH = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def tool_path(name: str) -> str:
    found = shutil.which(name, path=TOOLS_PATH)
    assert found, f"{name} is part of the test extra (pyproject.toml)"
    return found


def run_actionlint(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """actionlint over workflow files; it checks their `run:` scripts with shellcheck."""
    tool_path("shellcheck")
    return subprocess.run(
        [tool_path("actionlint"), *map(str, paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": TOOLS_PATH},
        check=False,
    )


KEPT = "${{ runner.temp }}/modelcards-build"  # the cache folder and the key that signs it


def assert_keeps_the_build_cache(
    steps: list[dict[str, Any]], *, catalog: str, output: str, version: str
) -> None:
    """One actions/cache step before the build keeps the build cache, its key and the site
    between runs, keyed so that another modelcards, Python, OS or catalog never restores it,
    and the build reads the cache and the key from there (docs/performance.md)."""
    (index,) = [
        i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/cache@")
    ]
    cache = steps[index]["with"]
    assert set(cache["path"].strip().split("\n")) == {KEPT, output}
    prefix = cache["restore-keys"].strip()
    assert "\n" not in prefix
    assert cache["key"] == prefix + "${{ github.run_id }}-${{ github.run_attempt }}"
    for part in ("${{ runner.os }}", version, catalog):
        assert part in prefix, part
    (build,) = [step["run"] for step in steps[index + 1 :] if " build " in step.get("run", "")]
    assert 'XDG_CACHE_HOME="$RUNNER_TEMP/modelcards-build/key"' in build
    assert '--cache "$RUNNER_TEMP/modelcards-build/cache"' in build


def assert_publishes_only_from_its_branch(workflow: dict[Any, Any]) -> None:
    """A cache is saved in the scope of the run's branch: a publishing workflow never runs for
    pull requests (least of all pull_request_target, which runs in the base's scope)."""
    assert set(workflow[True]) <= {"push", "schedule", "workflow_dispatch"}
