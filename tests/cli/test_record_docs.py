"""docs/workflow.md, "From a training job": its worked example runs as written.

The files and commands are taken from the page itself: a scikit-learn training run
(docs/examples/train.py, on the Wisconsin breast cancer data scikit-learn ships), then
`modelcards record`, `validate` and `validate --base` in a new git repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from modelcards import capture

from ..helpers.catalogs import REPO

DOC = (REPO / "docs" / "workflow.md").read_text(encoding="utf-8")
SECTION = DOC.split("## 6. From a training job", 1)[1].split("\n## ", 1)[0]
EXAMPLE = SECTION.split("### A worked example", 1)[1].split("\n### ", 1)[0]
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Docs",
    "GIT_AUTHOR_EMAIL": "docs@example.org",
    "GIT_COMMITTER_NAME": "Docs",
    "GIT_COMMITTER_EMAIL": "docs@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def shell_environment(tmp_path: Path) -> dict[str, str]:
    """This interpreter as `python`, and its `modelcards`, first on PATH."""
    tools = tmp_path / "bin"
    tools.mkdir()
    # A wrapper, not a symbolic link: a link would lose the virtual environment, which Python
    # finds beside the path it was started by.
    (tools / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (tools / "python").chmod(0o755)
    installed = shutil.which("modelcards", path=str(Path(sys.executable).parent))
    assert installed, "the modelcards command is installed beside this Python"
    (tools / "modelcards").symlink_to(installed)
    path = os.pathsep.join([str(tools), os.environ.get("PATH", "")])
    environment = {**os.environ, **GIT_IDENTITY, "PATH": path}
    for name in (
        "SOURCE_DATE_EPOCH",
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        *capture.CONTAINER_VARIABLES,
    ):
        environment.pop(name, None)
    return environment


def run(script: str, cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_the_worked_example_runs_as_written(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="scikit-learn is part of the test extra")
    commands = blocks(EXAMPLE, "sh")
    files = {text.split("\n", 1)[0].removeprefix("# "): text for text in blocks(EXAMPLE, "yaml")}
    assert sorted(files) == [
        "catalog/datasets/breast-cancer-wisconsin.yaml",
        "catalog/models/breast-cancer-classifier/model.yaml",
    ]
    assert "[examples/train.py](examples/train.py)" in EXAMPLE
    work = tmp_path / "tumour-models"
    work.mkdir()
    environment = shell_environment(tmp_path)
    setup, train_and_record = commands
    assert run(setup, work, environment).returncode == 0
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    shutil.copy(REPO / "docs" / "examples" / "train.py", work / "train.py")

    done = run(train_and_record, work, environment)
    assert done.returncode == 0, done.stdout + done.stderr
    card_path = work / "catalog/models/breast-cancer-classifier/1.0.0.yaml"
    assert (
        "wrote catalog/models/breast-cancer-classifier/1.0.0.yaml: recorded "
        "breast-cancer-classifier@1.0.0\n" in done.stdout
    )
    assert "catalog is valid: 1 model, 1 version, 1 dataset" in done.stdout
    assert done.stdout.count("catalog is valid") == 2  # validate, then validate --base HEAD

    card = yaml.safe_load(card_path.read_text())
    shown = yaml.safe_load(blocks(EXAMPLE, "text")[0].replace("…", ""))
    assert list(card) == list(shown)  # the page shows every field the card has
    assert list(card["training"]) == list(shown["training"])
    assert card["metrics"] == json.loads((work / "metrics.json").read_text())
    assert card["training"]["hyperparameters"] == json.loads((work / "params.json").read_text())
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert card["training"]["code"] == {
        "repo": "https://github.com/acme/tumour-models",
        "commit": commit,
    }
    model = work / "model.joblib"
    sha256sum = subprocess.run(
        ["sha256sum", str(model)], capture_output=True, text=True, check=True
    ).stdout.split()[0]
    assert card["artifacts"][0]["sha256"] == sha256sum
    assert card["artifacts"][0]["size_bytes"] == model.stat().st_size
    assert card["framework"]["name"] == "scikit-learn"


def test_the_packages_digest_recipe_gives_the_recorded_digest(tmp_path: Path) -> None:
    section = SECTION.split("### The packages digest", 1)[1].split("\n### ", 1)[0]
    (recipe,) = blocks(section, "sh")
    done = run(recipe, tmp_path, shell_environment(tmp_path))
    assert done.returncode == 0, done.stderr
    digest = done.stdout.split()[0]
    assert digest == capture.packages_sha256(capture.installed_distributions())


def test_the_example_workflow_is_linked_and_records_with_the_documented_options() -> None:
    workflow = yaml.safe_load((REPO / "docs/examples/record-version.yml").read_text())
    assert "[examples/record-version.yml](examples/record-version.yml)" in SECTION
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    for permission in ("`contents: write`", "`pull-requests: write`"):
        assert permission in SECTION
    steps = workflow["jobs"]["train"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert any(r.startswith("modelcards record") for r in runs)
    assert any("modelcards validate --base HEAD --summary" in r for r in runs)
    (opener,) = [
        s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull-request@")
    ]
    assert opener["with"]["body-path"] == "${{ runner.temp }}/pr-body.md"
    assert opener["with"]["add-paths"] == "catalog"
