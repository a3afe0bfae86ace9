"""`modelcards init`: a team's own registry repository, through the real CLI.

The slow end-to-end path (the wheel in a fresh virtual environment, the workflows' steps, the
pre-commit hook) is tests/interop/test_registry_e2e.py.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from modelcards import __version__
from modelcards.cli import cli
from modelcards.repo_init import REQUIREMENT, TEMPLATES
from modelcards.schema import render_schemas
from modelcards.validate import validate_catalog

from ..helpers.catalogs import TODAY
from ..helpers.workflows import (
    assert_keeps_the_build_cache,
    assert_publishes_only_from_its_branch,
    run_actionlint,
)

WORKFLOW_VALIDATE = ".github/workflows/modelcards-validate.yml"
WORKFLOW_PAGES = ".github/workflows/modelcards-pages.yml"
ALWAYS = [
    "catalog/catalog.yaml",
    "catalog/README.md",
    WORKFLOW_VALIDATE,
    WORKFLOW_PAGES,
    ".pre-commit-config.yaml",
    ".gitignore",
]
SCHEMAS = [f"schema/{name}" for name in render_schemas()]
EXAMPLE = [
    "catalog/datasets/support-tickets.yaml",
    "catalog/models/ticket-router/model.yaml",
    "catalog/models/ticket-router/1.0.0.yaml",
]


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def init(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(cli, ["init", *args, "--today", TODAY])


def workflow(path: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_init_writes_a_registry_that_validates(runner: CliRunner, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    result = init(runner, "--example")
    assert result.exit_code == 0, result.output
    written = [
        line.split(":")[0].removeprefix("wrote ")
        for line in result.output.splitlines()
        if line.startswith("wrote ")
    ]
    assert written == ALWAYS + EXAMPLE + SCHEMAS
    assert sorted(files_under(tmp_path)) == sorted(written)
    assert result.output.endswith(
        "Next steps (docs/setup.md of modelcards walks through them):\n"
        "  modelcards validate\n"
        '  git add -A && git commit -m "A model registry, set up by modelcards init"\n'
        "  git push -u origin main\n"
        "Then on GitHub:\n"
        "  Settings > Pages > Build and deployment > Source: GitHub Actions\n"
        "  Settings > Rules (or Branches): require the status check `validate` before merging\n"
    )
    checked = validate_catalog(tmp_path / "catalog")
    assert checked.problems == []  # no MC057 either: every hint names a schema init wrote
    assert checked.scope.versions == 1
    for name, text in render_schemas().items():
        assert (tmp_path / "schema" / name).read_text(encoding="utf-8") == text


def test_everything_that_installs_modelcards_pins_this_version(
    runner: CliRunner, tmp_path: Path
) -> None:
    assert init(runner).exit_code == 0
    assert f"modelcards-catalog=={__version__}" == REQUIREMENT
    for name in (WORKFLOW_VALIDATE, WORKFLOW_PAGES):
        steps = [
            step for job in workflow(tmp_path / name)["jobs"].values() for step in job["steps"]
        ]
        installs = [step["run"] for step in steps if "pip install" in step.get("run", "")]
        assert installs == [f'python -m pip install "{REQUIREMENT}"'], name
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    (hook,) = config["repos"][0]["hooks"]
    assert config["repos"][0]["repo"] == "local"
    assert hook["additional_dependencies"] == [REQUIREMENT]
    assert hook["entry"] == "modelcards validate catalog"
    assert hook["files"] == "^catalog/"


def test_workflows_pass_actionlint_and_ask_for_the_least(runner: CliRunner, tmp_path: Path) -> None:
    assert init(runner, "--catalog", "registry/catalog", "--branch", "trunk").exit_code == 0
    linted = run_actionlint([tmp_path / WORKFLOW_VALIDATE, tmp_path / WORKFLOW_PAGES])
    assert linted.returncode == 0, linted.stdout + linted.stderr

    check = workflow(tmp_path / WORKFLOW_VALIDATE)
    # YAML 1.1 reads the key `on` as true. No path filter: a required check must always run.
    assert check[True] == {"pull_request": None, "workflow_dispatch": None}
    assert check["permissions"] == {"contents": "read"}
    (job,) = check["jobs"].values()
    assert "permissions" not in job
    validate_step = job["steps"][-1]["run"]
    assert 'modelcards validate registry/catalog --base "origin/$BASE_REF"' in validate_step

    pages = workflow(tmp_path / WORKFLOW_PAGES)
    assert pages[True]["push"] == {"branches": ["trunk"]}
    assert pages[True]["schedule"] == [{"cron": "17 5 * * *"}]
    assert pages["permissions"] == {}
    assert pages["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    build_step = [s["run"] for s in pages["jobs"]["build"]["steps"] if "build" in s.get("run", "")]
    assert build_step == [
        'XDG_CACHE_HOME="$RUNNER_TEMP/modelcards-build/key" modelcards build registry/catalog '
        '-o site --today "$(date -u +%Y-%m-%d)" --cache "$RUNNER_TEMP/modelcards-build/cache"'
    ]
    assert_keeps_the_build_cache(
        pages["jobs"]["build"]["steps"],
        catalog="registry/catalog",
        output="site",
        version=f"-{__version__}-",
    )
    assert_publishes_only_from_its_branch(pages)


def test_init_in_an_existing_repository_with_the_catalog_elsewhere(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("# Our ML platform\n")
    result = init(runner, "--catalog", "registry/catalog", "--title", "Acme: models", "--example")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "README.md").read_text() == "# Our ML platform\n"
    card = (tmp_path / "registry/catalog/models/ticket-router/model.yaml").read_text()
    assert card.startswith("# yaml-language-server: $schema=../../../../schema/model.schema.json\n")
    settings = (tmp_path / "registry/catalog/catalog.yaml").read_text()
    assert settings.startswith("# yaml-language-server: $schema=../../schema/catalog.schema.json\n")
    assert "\ntitle: 'Acme: models'\n" in settings
    assert validate_catalog(tmp_path / "registry" / "catalog").problems == []
    hook = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][
        0
    ]
    assert hook["files"] == "^registry/catalog/"
    assert "modelcards validate registry/catalog" in result.output


def test_init_refuses_to_overwrite_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc\n")
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "catalog.yaml").write_text("title: Ours\n")
    before = files_under(tmp_path)
    result = init(runner)
    assert result.exit_code == 1
    assert result.output == (
        "Error: these files exist already, so nothing was written:\n"
        "  .gitignore\n"
        "  catalog/catalog.yaml\n"
        "Move them aside, or keep them with --skip-existing.\n"
    )
    assert files_under(tmp_path) == before


def test_skip_existing_keeps_the_teams_files_and_says_what_to_merge(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc\n")
    result = init(runner, "--skip-existing")
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n"
    assert "kept .gitignore as it was: add /site/ and .modelcards-cache/ to it\n" in result.output
    assert (tmp_path / WORKFLOW_VALIDATE).is_file()


def test_init_makes_the_folder_and_tells_to_start_git(runner: CliRunner, tmp_path: Path) -> None:
    result = init(runner, "registry")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "registry" / "catalog" / "catalog.yaml").is_file()
    steps = result.output.split("Next steps (docs/setup.md of modelcards walks through them):\n")[1]
    assert steps.splitlines()[:7] == [
        "  cd registry",
        "  git init -b main",
        '  modelcards new model my-model --owner "My team"',
        "  modelcards validate",
        '  git add -A && git commit -m "A model registry, set up by modelcards init"',
        "  git remote add origin https://github.com/OWNER/REPOSITORY.git",
        "  git push -u origin main",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--catalog", "../catalog"], "give a folder inside the repository"),
        (["--catalog", "/srv/catalog"], "give a folder inside the repository"),
        (["--catalog", "schema/catalog"], "init writes other files there"),
        (["--branch", "a b"], "is not a branch name"),
        (["--title", " "], "--title must be one line of text"),
    ],
)
def test_bad_options_are_usage_errors(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = init(runner, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert files_under(tmp_path) == {}


def test_a_file_where_the_folder_should_be_is_a_path_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "taken").write_text("")
    assert init(runner, "taken").exit_code == 2


def test_the_templates_travel_inside_the_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {
        f"modelcards/repo_templates/{p.relative_to(TEMPLATES).as_posix()}"
        for p in TEMPLATES.rglob("*")
        if p.is_file()
    }
    assert len(templates) == 9
    assert templates <= names


# ---- a new user's first minutes -------------------------------------------------------------


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


def test_init_in_a_subfolder_of_a_repository_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """GitHub runs only the workflows at the repository's top: written in a subfolder they
    would never run, and their paths would be relative to the wrong folder."""
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "ml").mkdir()
    for folder in ("ml", "ml/registry"):
        result = init(runner, folder)
        assert result.exit_code == 2
        assert (
            f"{tmp_path / folder} is inside the git repository {tmp_path}, not at its top: "
            f"GitHub runs only the workflows in {tmp_path}/.github/workflows. Run init there "
            f"with the catalog where you want it (modelcards init {tmp_path} --catalog "
            f"{folder}/catalog), or make {tmp_path / folder} a repository of its own first "
            "(git init)"
        ) in " ".join(result.output.split())
    assert files_under(tmp_path) == {}
    assert init(runner, "--catalog", "ml/catalog").exit_code == 0


def test_init_publishes_from_the_repositorys_own_branch(runner: CliRunner, tmp_path: Path) -> None:
    """In a repository whose default branch is not main, the site is published from it."""
    _git(tmp_path, "init", "-q", "-b", "master")
    result = init(runner)
    assert result.exit_code == 0, result.output
    assert workflow(tmp_path / WORKFLOW_PAGES)[True]["push"] == {"branches": ["master"]}
    assert (
        "the site is published from master, the repository's branch (--branch changes it)\n"
    ) in result.output
    assert result.output.splitlines()[-4] == "  git push -u origin master"


def test_a_clone_publishes_from_its_remotes_default_branch(
    runner: CliRunner, tmp_path: Path
) -> None:
    origin, clone = tmp_path / "origin", tmp_path / "clone"
    _git(tmp_path, "init", "-q", "-b", "trunk", str(origin))
    _git(
        origin,
        "-c",
        "user.name=A",
        "-c",
        "user.email=a@example.com",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "start",
    )
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    _git(clone, "checkout", "-q", "-b", "add-model-registry")
    result = init(runner, "clone")
    assert result.exit_code == 0, result.output
    assert workflow(clone / WORKFLOW_PAGES)[True]["push"] == {"branches": ["trunk"]}
    explicit = init(runner, "clone", "--branch", "main", "--skip-existing")
    assert "the site is published from" not in explicit.output


def test_the_gitignore_keeps_out_what_the_catalog_readme_creates(
    runner: CliRunner, tmp_path: Path
) -> None:
    """catalog/README.md tells a team to work in `.venv` at the top: `git add -A` must not
    commit it (nor the site and cache that `serve` writes)."""
    _git(tmp_path, "init", "-q", "-b", "main")
    assert init(runner).exit_code == 0
    assert "python3 -m venv .venv" in (tmp_path / "catalog" / "README.md").read_text()
    ignored = ".venv/bin/python", "site/index.html", "catalog/.modelcards-cache/x"
    assert _git(tmp_path, "check-ignore", *ignored).splitlines() == list(ignored)


def test_uncommenting_the_example_metrics_gives_a_valid_catalog(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The commented examples in catalog.yaml work as they are when uncommented."""
    assert init(runner, "--example").exit_code == 0
    settings = tmp_path / "catalog" / "catalog.yaml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("# metrics:\n")
    block = text[start : text.index("\n\n", start) + 1]
    settings.write_text(text.replace(block, block.replace("# ", "", 3)), encoding="utf-8")
    checked = validate_catalog(tmp_path / "catalog")
    assert checked.problems == []
    loaded = yaml.safe_load(settings.read_text(encoding="utf-8"))
    assert sorted(loaded["metrics"]) == ["latency_p95_ms", "recall_at_fpr_1pct"]


def test_a_version_promoted_on_the_day_of_init_passes_the_gate(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example's own promotion has no time: were it dated the day of init, a better version
    promoted that day would have no known order against it (both orders are judged)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # TODAY, 2026-11-26
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    assert init(runner, "--example").exit_code == 0
    folder = tmp_path / "catalog" / "models" / "ticket-router"
    first = (folder / "1.0.0.yaml").read_text(encoding="utf-8")
    card, _, _ = first.partition("lifecycle:")
    card = card.replace('"1.0.0"', '"1.1.0"').replace("1.0.0/", "1.1.0/")
    card = card.replace("value: 0.87", "value: 0.89")
    (folder / "1.1.0.yaml").write_text(
        card + f"lifecycle:\n  - {{stage: development, date: {TODAY}, by: me}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli,
        [
            "promote",
            "ticket-router@1.1.0",
            "production",
            "--by",
            "me",
            "--approved-by",
            "you",
        ],
    )
    assert result.exit_code == 0, result.output
    checked = runner.invoke(cli, ["validate", "--today", TODAY])
    assert checked.exit_code == 0, checked.output
