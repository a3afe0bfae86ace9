"""The GitHub workflows and the pre-commit hook definitions are well-formed."""

from __future__ import annotations

import yaml

from ..helpers.catalogs import REPO
from ..helpers.workflows import (
    assert_keeps_the_build_cache,
    assert_publishes_only_from_its_branch,
    run_actionlint,
)

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# Workflows the docs give users to copy (docs/workflow.md links them).
EXAMPLE_WORKFLOWS = sorted((REPO / "docs" / "examples").glob("*.yml"))


def test_workflows_pass_actionlint() -> None:
    assert EXAMPLE_WORKFLOWS, "docs/examples/ holds the workflows the docs link"
    result = run_actionlint(WORKFLOWS + EXAMPLE_WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_workflow_runs_the_action_on_every_pull_request() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "validate.yml").read_text())
    # YAML 1.1 reads the key `on` as true. No path filter: a required check must always run.
    assert workflow[True] == {"pull_request": None}
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[-1] == {"uses": "./", "with": {"catalog": "catalog", "mode": "validate"}}
    action = (REPO / "action.yml").read_text()
    assert '"$modelcards" validate "$CATALOG" --base "$BASE"' in action
    assert "--format github" in action


def test_pages_workflow_publishes_on_merge_and_daily() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    assert workflow[True]["push"] == {"branches": ["main"]}
    assert workflow[True]["schedule"] == [{"cron": "17 5 * * *"}]
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_pages_workflow_keeps_the_build_cache_through_the_action() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    assert_publishes_only_from_its_branch(workflow)
    step = workflow["jobs"]["build"]["steps"][1]
    assert step["uses"] == "./" and step["with"]["mode"] == "build"
    action = yaml.safe_load((REPO / "action.yml").read_text())
    steps = action["runs"]["steps"]
    assert_keeps_the_build_cache(
        steps,
        catalog="${{ inputs.catalog }}",
        output="${{ inputs.output }}",
        version="-${{ steps.install.outputs.version }}-",
    )
    # Only a build restores or saves it; the pull-request check does not touch it.
    (cache,) = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    assert cache["if"] == "inputs.mode == 'build'"
    assert 'echo "version=${version##* }" >> "$GITHUB_OUTPUT"' in steps[1]["run"]
