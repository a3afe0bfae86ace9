"""Run the shell steps of a GitHub workflow job or composite action here, as the runner would.

Only what our workflows use: `run:` steps (bash -eo pipefail, as GitHub runs them), their
`env:`, and `${{ name }}` expressions given in a mapping; an expression not in the mapping
fails the test rather than being run as something else. `uses:` steps are the test's job
(checkout is the test's repository; setup-python is the test's virtual environment).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass(frozen=True)
class StepRun:
    name: str
    returncode: int
    output: str


def expand(text: str, expressions: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in expressions, f"the test does not know ${{{{ {name} }}}}"
        return expressions[name]

    return _EXPRESSION.sub(value, text)


def shell_steps(steps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [step for step in steps if "run" in step]


def run_steps(
    steps: Sequence[dict[str, Any]],
    *,
    cwd: Path,
    env: Mapping[str, str],
    expressions: Mapping[str, str] | None = None,
    stop_on_failure: bool = True,
) -> list[StepRun]:
    """Run each `run:` step in order, in `cwd`, with the whole environment `env` (the runner's)
    plus the step's own; stop at the first failure (as a job does) unless told otherwise."""
    known = dict(expressions or {})
    runs = []
    for step in shell_steps(steps):
        assert step.get("shell", "bash") == "bash", step
        step_env = {key: expand(str(value), known) for key, value in step.get("env", {}).items()}
        script = expand(step["run"], known)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=cwd,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            check=False,
        )
        runs.append(
            StepRun(
                step.get("name", script.splitlines()[0]), done.returncode, done.stdout + done.stderr
            )
        )
        if done.returncode != 0 and stop_on_failure:
            break
    return runs


def clean_environment(venv: Path, scratch: Path, wheels: Path) -> dict[str, str]:
    """The environment of a user (or a runner) with only the fresh venv's Python on PATH:
    nothing of the checkout or of the test's own environment is importable or runnable."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not k.startswith("GITHUB_")
    }
    ours = str(Path(sys.executable).parent)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != ours]
    identity = {
        "GIT_AUTHOR_NAME": "Ana",
        "GIT_AUTHOR_EMAIL": "ana@example.com",
        "GIT_COMMITTER_NAME": "Ana",
        "GIT_COMMITTER_EMAIL": "ana@example.com",
    }
    return {
        **env,
        **identity,
        "PATH": os.pathsep.join([str(venv / "bin"), *path]),
        "VIRTUAL_ENV": str(venv),
        "PRE_COMMIT_HOME": str(scratch / "pre-commit"),  # hook environments made afresh
        # `pip install modelcards-catalog==X` (the workflows, the pre-commit hook) finds this
        # checkout's wheel next to the usual sources, as it would find the release on the index.
        "PIP_FIND_LINKS": " ".join([str(wheels), *env.get("PIP_FIND_LINKS", "").split()]),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "SOURCE_DATE_EPOCH": "1795651200",  # 2026-11-26
    }
