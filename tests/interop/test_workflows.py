"""The GitHub workflows and the pre-commit hook definitions are well-formed."""

from __future__ import annotations

from typing import Any

import yaml

from ..conftest import REPO, run_actionlint

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
