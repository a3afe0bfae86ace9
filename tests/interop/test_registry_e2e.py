"""A team's own registry repository, end to end, from the installed wheel (slow: about a minute).

The wheel of this checkout goes into a fresh virtual environment outside the checkout; in a new
git repository `modelcards init` sets up the registry, `new` adds a model and a version, a
branch changes them and is checked with `validate --base main` and its summary, and `build`
renders the site with the default theme found inside the wheel. Then the generated workflows'
shell steps run in that repository (the same commands, outside GitHub), and pre-commit runs
the generated hook on a changed card.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from modelcards import __version__

from ..helpers.actions_runner import clean_environment, run_steps
from ..helpers.catalogs import REPO

pytestmark = pytest.mark.slow

PR_WORKFLOW = ".github/workflows/modelcards-validate.yml"
PAGES_WORKFLOW = ".github/workflows/modelcards-pages.yml"


@dataclass(frozen=True)
class Registry:
    """A new git repository set up by the installed modelcards, with an `origin` to push to."""

    repo: Path
    venv: Path
    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            args, cwd=self.repo, env=self.env, capture_output=True, text=True, check=False
        )
        if check:
            assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
        return done

    def modelcards(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.venv / "bin" / "modelcards"), *args, check=check)

    def git(self, *args: str) -> str:
        return self.run("git", *args).stdout

    def fill(self, card: str, old: str, new: str) -> None:
        path = self.repo / card
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {card}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def registry(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    base = tmp_path_factory.mktemp("registry-e2e")
    venv, repo = base / "venv", base / "repo"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = clean_environment(venv, base, wheel.parent)
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    yield Registry(repo, venv, env)


MODEL_CARD, FIRST = "catalog/models/fraud/model.yaml", "catalog/models/fraud/1.0.0.yaml"
HASH = "a" * 64
FILLED_FIRST = [
    (
        MODEL_CARD,
        "primary_metric: null  # TODO: the metric used for charts and promotion gates",
        "primary_metric: auc",
    ),
    (MODEL_CARD, "uses: []  # TODO: what it is for", "uses: [Ranking card payments for review]"),
    (
        MODEL_CARD,
        "out_of_scope: []  # TODO: what it must not be used for",
        "out_of_scope: [Credit decisions]",
    ),
    (
        FIRST,
        "summary:  # TODO: one line: what this version is",
        "summary: First model, trained on 2026-Q3 payments.",
    ),
    (
        FIRST,
        "artifacts: []  # TODO: [{uri: ..., sha256: <64 hex digits>}]",
        f"artifacts: [{{uri: s3://acme/fraud/1.0.0/model.onnx, sha256: {HASH}}}]",
    ),
    (
        FIRST,
        "code: {repo: null, commit: null}  # TODO: the training code and the commit it ran from",
        'code: {repo: https://git.example/fraud, commit: "4f2c1e9"}',
    ),
    (
        FIRST,
        "data: []  # TODO: the dataset versions it was trained on, as <dataset>@<version>",
        "data: []",
    ),
    (
        FIRST,
        "metrics: []  # TODO: [{name: auc, value: 0.9, dataset: <dataset>@<version>}]",
        "metrics: [{name: auc, value: 0.91}]",
    ),
]
FILLED_NEXT = [
    ("summary:  # TODO: one line: what changed since 1.0.0", "summary: Retrained on 2026-Q4."),
    (
        "artifacts: []  # TODO: this version's files, with their sha256",
        f"artifacts: [{{uri: s3://acme/fraud/1.1.0/model.onnx, sha256: {HASH}}}]",
    ),
    ("commit: null}  # TODO: the commit it was trained from", 'commit: "5a3b2c1"}'),
    ("metrics: []  # TODO: measure this version", "metrics: [{name: auc, value: 0.92}]"),
    ("  # TODO: check the relation", ""),
]


def test_from_the_wheel_to_a_reviewed_change_and_a_site(registry: Registry) -> None:
    r = registry
    version = r.modelcards("--version").stdout
    assert version == f"modelcards, version {__version__}\n"
    where = r.run("python", "-c", "import modelcards.site.render as m; print(m.DEFAULT_THEME)")
    theme = Path(where.stdout.strip())
    assert theme.is_relative_to(r.venv) and (theme / "index.html").is_file()
    assert not theme.is_relative_to(REPO)
    # The rule entries travel in the wheel (package data), as docs/rules.md gives them.
    explained = r.modelcards("rule", "MC025").stdout
    assert explained.startswith("MC025 replaced_by does not resolve\nerror, reported by ")
    assert "**Fix.** " in explained

    init = r.modelcards("init", "--title", "Acme models")
    assert f"wrote {PR_WORKFLOW}: " in init.stdout
    r.modelcards(
        "new",
        "model",
        "fraud",
        "--owner",
        "Risk ML",
        "--task",
        "tabular-classification",
        "--summary",
        "Scores card payments for fraud.",
    )
    r.modelcards("new", "version", "fraud", "1.0.0", "--by", "ana")
    unfinished = r.modelcards("validate", check=False)
    assert unfinished.returncode == 1
    assert "catalog/models/fraud/1.0.0.yaml:4:1: error MC054 summary" in unfinished.stdout
    # Each placeholder is an error until filled in, as a person fills them in (MC054).
    assert "catalog/models/fraud/model.yaml:8:1: error MC054 primary_metric" in unfinished.stdout
    for card, old, new in FILLED_FIRST:
        r.fill(card, old, new)
    assert "(0 errors, 0 warnings" in r.modelcards("validate").stdout
    r.git("add", "-A")
    r.git("commit", "-q", "-m", "A model registry")

    r.git("switch", "-q", "-c", "fraud-1.1")
    r.modelcards("new", "version", "fraud", "1.1.0", "--from", "1.0.0", "--by", "ana")
    for old, new in FILLED_NEXT:
        r.fill("catalog/models/fraud/1.1.0.yaml", old, new)
    r.git("add", "-A")
    r.git("commit", "-q", "-m", "fraud 1.1.0")
    checked = r.modelcards("validate", "--base", "main", "--summary", "summary.md")
    assert "catalog is valid" in checked.stdout
    summary = (r.repo / "summary.md").read_text(encoding="utf-8")
    assert "fraud@1.1.0" in summary

    built = r.modelcards("build")
    assert "catalog is valid" in built.stdout
    page = (r.repo / "site" / "models" / "fraud" / "1.1.0" / "index.html").read_text()
    assert "Retrained on 2026-Q4." in page
    assert "Acme models" in (r.repo / "site" / "index.html").read_text()
    assert r.git("status", "--porcelain", "--ignored", "site", ".modelcards-cache") == (
        "!! .modelcards-cache/\n!! site/\n"
    )


def test_the_workflows_steps_run_as_written(registry: Registry) -> None:
    """The pull-request check on the branch, then the pages build, by their own `run:` lines."""
    r = registry
    origin = r.repo.parent / "origin.git"
    if not origin.exists():
        subprocess.run(
            ["git", "clone", "-q", "--bare", str(r.repo), str(origin)], check=True, env=r.env
        )
        r.git("remote", "add", "origin", str(origin))
        r.git("fetch", "-q", "origin")
    summary = r.repo.parent / "step-summary.md"
    runner = {**r.env, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}

    check = yaml.safe_load((r.repo / PR_WORKFLOW).read_text())
    steps = check["jobs"]["validate"]["steps"]
    runs = run_steps(steps, cwd=r.repo, env=runner, expressions={"github.base_ref": "main"})
    assert [run.returncode for run in runs] == [0, 0], runs
    assert "fraud@1.1.0" in summary.read_text(encoding="utf-8")

    # A rewrite of the published 1.0.0 fails the check, annotated on the line.
    r.fill("catalog/models/fraud/1.0.0.yaml", "released: 2026-11-26", "released: 2026-11-20")
    runs = run_steps(steps, cwd=r.repo, env=runner, expressions={"github.base_ref": "main"})
    assert runs[-1].returncode == 1
    assert "::error file=catalog/models/fraud/1.0.0.yaml,line=3,col=11,title=MC062::" in (
        runs[-1].output
    )
    r.git("checkout", "--", "catalog/models/fraud/1.0.0.yaml")

    pages = yaml.safe_load((r.repo / PAGES_WORKFLOW).read_text())
    temp = r.repo.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    runs = run_steps(
        pages["jobs"]["build"]["steps"], cwd=r.repo, env={**runner, "RUNNER_TEMP": str(temp)}
    )
    assert [run.returncode for run in runs] == [0, 0], runs
    assert (r.repo / "site" / "governance" / "index.html").is_file()
    # What the cache step keeps: the cache and its key, outside the working tree.
    assert (temp / "modelcards-build/cache/cards.json").is_file()
    assert (temp / "modelcards-build/key/modelcards/cache-key").is_file()


def test_the_pre_commit_hook_validates_a_changed_card(registry: Registry) -> None:
    """pre-commit with the generated configuration, unchanged: its hook environment installs
    modelcards-catalog==X (this checkout's wheel) and validates the catalog."""
    r = registry
    pre_commit = [sys.executable, "-m", "pre_commit"]
    r.fill("catalog/models/fraud/model.yaml", "tags: []", "tags: [payments]")
    r.git("add", "catalog/models/fraud/model.yaml")
    passed = r.run(*pre_commit, "run", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "modelcards validate" in passed.stdout and "Passed" in passed.stdout

    r.fill("catalog/models/fraud/model.yaml", "tags: [payments]", "tags: [payments]\ntask: x")
    r.git("add", "catalog/models/fraud/model.yaml")
    failed = r.run(*pre_commit, "run", check=False)
    assert failed.returncode == 1
    assert "catalog/models/fraud/model.yaml:" in failed.stdout and "MC002" in failed.stdout
    r.git("checkout", "HEAD", "--", "catalog/models/fraud/model.yaml")
