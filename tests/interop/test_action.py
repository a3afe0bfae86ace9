"""The composite action (action.yml): its scripts, and a run of its steps in a registry
repository as the runner would run them (slow: it installs this checkout, as the action does)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from modelcards.cli import cli

from ..helpers.actions_runner import clean_environment, run_steps, shell_steps
from ..helpers.catalogs import REPO
from ..helpers.workflows import tool_path

ACTION: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]


def test_the_action_is_composite_with_the_documented_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"catalog", "mode", "base", "output", "today", "python-version"}
    assert ACTION["inputs"]["mode"]["default"] == "validate"
    assert ACTION["inputs"]["catalog"]["default"] == "catalog"


def test_inputs_reach_the_scripts_as_environment_variables_only() -> None:
    """An input pasted into a script would run as shell code (script injection)."""
    for step in shell_steps(STEPS):
        assert "${{" not in step["run"], step.get("name")


def test_the_action_scripts_pass_shellcheck(tmp_path: Path) -> None:
    tool = tool_path("shellcheck")
    for index, step in enumerate(shell_steps(STEPS)):
        script = tmp_path / f"step-{index}.sh"
        script.write_text("#!/usr/bin/env bash\n" + step["run"], encoding="utf-8")
        checked = subprocess.run(
            [tool, "--shell=bash", str(script)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stdout


def inputs(**given: str) -> dict[str, str]:
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    return {f"inputs.{name}": value for name, value in {**values, **given}.items()}


@pytest.mark.slow
def test_the_action_validates_a_pull_request_and_builds_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A registry with a published model on main, and a pull request that adds a version.
    repo, origin, work = tmp_path / "repo", tmp_path / "origin.git", tmp_path / "work"
    runner_python, temp = tmp_path / "python", tmp_path / "runner-temp"
    temp.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(runner_python)], check=True)
    env = clean_environment(runner_python, tmp_path, tmp_path)
    git = ["git", "-C", str(repo)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    assert CliRunner().invoke(cli, ["init", "--example"]).exit_code == 0
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "registry"], check=True, env=env)
    subprocess.run([*git, "switch", "-q", "-c", "feature"], check=True, env=env)
    new = CliRunner().invoke(
        cli, ["new", "version", "ticket-router", "1.1.0", "--from", "1.0.0", "--by", "ana"]
    )
    assert new.exit_code == 0
    card = repo / "catalog/models/ticket-router/1.1.0.yaml"
    # Filled in as a person would: a scaffold's placeholders are errors until then (MC054).
    filled = (
        card.read_text()
        .replace("summary:  # TODO: one line: what changed since 1.0.0", "summary: Retrained.")
        .replace(
            "artifacts: []  # TODO: this version's files, with their sha256",
            f"artifacts: [{{uri: s3://example/ticket-router/1.1.0/model.safetensors, sha256: "
            f"{'a' * 64}}}]",
        )
        .replace("commit: null}  # TODO: the commit it was trained from", 'commit: "4f2c1e9"}')
        .replace(
            "metrics: []  # TODO: measure this version",
            "metrics: [{name: f1, value: 0.88, dataset: support-tickets@2026-Q1, split: test}]",
        )
        .replace("  # TODO: check the relation", "")
    )
    assert "TODO" not in filled
    card.write_text(filled)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "1.1.0"], check=True, env=env)
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(origin)], check=True, env=env)
    # actions/checkout's default: one commit of the pull request, no base branch.
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(work)],
        check=True,
        env=env,
    )
    assert (
        subprocess.run(
            ["git", "-C", str(work), "rev-parse", "--verify", "-q", "origin/main"],
            capture_output=True,
            env=env,
        ).returncode
        != 0
    )

    summary, outputs, paths = temp / "summary.md", temp / "output", temp / "path"
    runner = {
        **env,
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(REPO),
        "RUNNER_TEMP": str(temp),
        "GITHUB_PATH": str(paths),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_BASE_REF": "main",
    }
    runs = run_steps(STEPS, cwd=work, env=runner, expressions=inputs())
    assert [run.returncode for run in runs] == [0, 0], runs
    assert "catalog is valid: 1 model, 2 versions" in runs[1].output
    assert "ticket-router@1.1.0" in summary.read_text()  # checked against origin/main
    assert paths.read_text() == f"{temp}/modelcards-venv/bin\n"

    runs = run_steps(
        STEPS[2:],
        cwd=work,
        env=runner,
        expressions=inputs(mode="build", output="public", today="2026-12-01"),
    )
    assert [run.returncode for run in runs] == [0], runs
    assert (work / "public" / "models" / "ticket-router" / "1.1.0" / "index.html").is_file()
    assert outputs.read_text().splitlines()[-1] == "site=public"
    # The build cache and its signing key under RUNNER_TEMP, outside the working tree: what
    # the cache step saves and restores. The next run, as after a restore, renders nothing.
    assert (temp / "modelcards-build/key/modelcards/cache-key").is_file()
    kept = temp / "modelcards-build/cache"
    assert (kept / "cards.json").is_file() and len(list(kept.glob("site-*.json"))) == 1
    assert not (work / ".modelcards-cache").exists()
    runs = run_steps(
        STEPS[2:],
        cwd=work,
        env=runner,
        expressions=inputs(mode="build", output="public", today="2026-12-01"),
    )
    assert runs[0].returncode == 0 and "(0 rendered," in runs[0].output, runs

    runs = run_steps(STEPS[2:], cwd=work, env=runner, expressions=inputs(mode="deploy"))
    assert runs[0].returncode == 2
    assert (
        "::error title=modelcards::mode must be validate or build, not 'deploy'" in runs[0].output
    )
