"""`modelcards init`: the files of a team's own registry repository.

A catalog folder with a commented catalog.yaml, the workflows that validate pull requests and
publish the site, a pre-commit configuration, a .gitignore and the JSON Schemas that the
cards' editor hints name; optionally a first model to edit. Every file that installs
modelcards pins the installed version. The files are templates in `repo_templates/`, which
travel inside the wheel. Nothing is overwritten: a plan whose files exist is refused whole,
or (asked for) written without them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2

from . import __version__
from .errors import Refusal, UsageProblem
from .history_git import GitError, run_git
from .schema import SCHEMA_FOLDER, hint_line, render_schemas, schema_file_name
from .validate import resolve_today
from .writing import write_atomically
from .yamltext import scalar_text

DISTRIBUTION = "modelcards-catalog"
REQUIREMENT = f"{DISTRIBUTION}=={__version__}"
PYTHON = "3.12"  # the workflows' Python
TEMPLATES = Path(__file__).parent / "repo_templates"
DEFAULT_CATALOG = "catalog"
DEFAULT_TITLE = "Model catalog"
WORKFLOWS = ".github/workflows"
EXAMPLE_MODEL = "ticket-router"


@dataclass(frozen=True)
class Template:
    source: str  # under repo_templates/: no leading dots, which packaging tools skip
    destination: str  # in the repository; {catalog} is the catalog folder
    purpose: str
    if_kept: str  # what to check by hand when --skip-existing keeps the team's own file


FILES = (
    Template(
        "catalog/catalog.yaml",
        "{catalog}/catalog.yaml",
        "title and policy of the catalog",
        "it is your catalog's settings",
    ),
    Template(
        "catalog/README.md",
        "{catalog}/README.md",
        "how the team works with the cards",
        "nothing to merge",
    ),
    Template(
        "workflows/modelcards-validate.yml",
        f"{WORKFLOWS}/modelcards-validate.yml",
        "validates every pull request against its base branch",
        f"make sure it runs modelcards validate --base with {REQUIREMENT}",
    ),
    Template(
        "workflows/modelcards-pages.yml",
        f"{WORKFLOWS}/modelcards-pages.yml",
        "publishes the site to GitHub Pages on merge and daily",
        f"make sure it builds with {REQUIREMENT} and runs daily",
    ),
    Template(
        "pre-commit-config.yaml",
        ".pre-commit-config.yaml",
        "validates before each commit",
        "add the modelcards-validate hook of docs/setup.md to it",
    ),
    Template(
        "gitignore",
        ".gitignore",
        "keeps the built site and the cache out of git",
        "add /site/ and .modelcards-cache/ to it",
    ),
)
EXAMPLE_FILES = (
    Template(
        "example/datasets/support-tickets.yaml",
        "{catalog}/datasets/support-tickets.yaml",
        "an example dataset",
        "nothing to merge",
    ),
    Template(
        f"example/models/{EXAMPLE_MODEL}/model.yaml",
        f"{{catalog}}/models/{EXAMPLE_MODEL}/model.yaml",
        "an example model",
        "nothing to merge",
    ),
    Template(
        f"example/models/{EXAMPLE_MODEL}/1.0.0.yaml",
        f"{{catalog}}/models/{EXAMPLE_MODEL}/1.0.0.yaml",
        "its first version, in production",
        "nothing to merge",
    ),
)
_SAFE_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_BRANCH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/-]*$")


class InitUsageError(UsageProblem, ValueError):
    """An option init cannot use: a catalog path outside the repository, a bad branch name."""


class FilesExist(Refusal):
    """Files init would write exist already; nothing was written."""

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__(", ".join(map(str, paths)))
        self.paths = list(paths)


@dataclass(frozen=True)
class InitRequest:
    folder: Path  # the repository's top folder (made if missing)
    catalog: str = DEFAULT_CATALOG  # the catalog folder, relative to `folder`
    title: str = DEFAULT_TITLE
    branch: str = "main"  # the branch the site is published from
    example: bool = False
    today: dt.date | None = None  # the example's dates [default: SOURCE_DATE_EPOCH, the clock]


@dataclass(frozen=True)
class RepoFile:
    path: PurePosixPath  # relative to the repository folder
    text: str
    purpose: str
    if_kept: str


def check_request(request: InitRequest) -> None:
    catalog = PurePosixPath(request.catalog)
    if (
        catalog.is_absolute()
        or not catalog.parts
        or not all(_SAFE_PART.match(part) for part in catalog.parts)
    ):
        raise InitUsageError(
            f"--catalog {request.catalog!r}: give a folder inside the repository, such as "
            "catalog or registry/catalog (letters, digits, '.', '_', '-'; no '..')"
        )
    if catalog.parts[0] in (SCHEMA_FOLDER, "site"):
        raise InitUsageError(f"--catalog {request.catalog!r}: init writes other files there")
    if not _BRANCH.match(request.branch) or ".." in request.branch:
        raise InitUsageError(f"--branch {request.branch!r} is not a branch name")
    if not request.title.strip() or "\n" in request.title:
        raise InitUsageError("--title must be one line of text")
    _check_folder(request.folder)


def _check_folder(folder: Path) -> None:
    """The folder is a repository's top, or in none: GitHub runs only the workflows at the
    top, and their paths are relative to it."""
    top, resolved = repository_top(folder), folder.resolve()
    if top is None or top == resolved:
        return
    inside = resolved.relative_to(top).as_posix()
    raise InitUsageError(
        f"{resolved} is inside the git repository {top}, not at its top: GitHub runs only the "
        f"workflows in {top}/{WORKFLOWS}. Run init there with the catalog where you want it "
        f"(modelcards init {top} --catalog {inside}/{DEFAULT_CATALOG}), or make {resolved} a "
        "repository of its own first (git init)"
    )


def plan_repository(request: InitRequest) -> list[RepoFile]:
    """Every file init writes, with its text, in the order it is listed."""
    check_request(request)
    catalog = PurePosixPath(request.catalog).as_posix()
    environment = _templates()
    today = resolve_today(request.today)
    values = {
        "version": __version__,
        "requirement": REQUIREMENT,
        "python": PYTHON,
        "catalog": catalog,
        "catalog_files": scalar_text(f"^{re.escape(catalog)}/"),
        "branch": request.branch,
        "title": request.title,
        "today": today.isoformat(),
        # The example happened a week ago: a first promotion on the day of init then has a
        # known order after it (same-day events without times are judged in every order).
        "example_day": (today - dt.timedelta(days=7)).isoformat(),
        # Made-up digests of the example's files: well-formed, so its reproducibility is whole.
        "example_sha256": hashlib.sha256(b"modelcards init --example: model").hexdigest(),
        "example_data_sha256": hashlib.sha256(b"modelcards init --example: data").hexdigest(),
        "example_image_sha256": hashlib.sha256(b"modelcards init --example: image").hexdigest(),
    }
    chosen = FILES + (EXAMPLE_FILES if request.example else ())
    files = []
    for template in chosen:
        path = PurePosixPath(template.destination.format(catalog=catalog))
        text = environment.get_template(template.source).render(values)
        files.append(
            RepoFile(path, _with_hint(request, path, text), template.purpose, template.if_kept)
        )
    files += [
        RepoFile(
            PurePosixPath(SCHEMA_FOLDER, name),
            text,
            "the JSON Schema the cards' hints name",
            f"if it is older than {__version__}, rewrite it: modelcards schema -o schema",
        )
        for name, text in render_schemas().items()
    ]
    return files


def _templates() -> jinja2.Environment:
    # Not {{ }}: the workflows are full of GitHub's own ${{ }} expressions.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["yaml"] = scalar_text
    return environment


def _with_hint(request: InitRequest, path: PurePosixPath, text: str) -> str:
    """A card of the catalog gets the editor hint naming the schema init writes beside it."""
    kind = _card_kind(PurePosixPath(request.catalog), path)
    if kind is None:
        return text
    schema = request.folder / SCHEMA_FOLDER / schema_file_name(kind)
    return hint_line(schema, request.folder / path.parent) + text


def _card_kind(catalog: PurePosixPath, path: PurePosixPath) -> str | None:
    if path.suffix != ".yaml" or not path.is_relative_to(catalog):
        return None
    inside = path.relative_to(catalog).parts
    if inside == ("catalog.yaml",):
        return "catalog"
    if inside[0] == "datasets":
        return "dataset"
    return "model" if inside[-1] == "model.yaml" else "version"


def existing_files(folder: Path, files: Sequence[RepoFile]) -> list[Path]:
    """The files of the plan that are there already (a dangling link counts)."""
    return [
        folder / file.path
        for file in files
        if (folder / file.path).exists() or (folder / file.path).is_symlink()
    ]


def write_repository(
    folder: Path, files: Sequence[RepoFile], *, skip_existing: bool = False
) -> tuple[list[RepoFile], list[RepoFile]]:
    """Write the files under `folder`: (written, kept as they were).

    Any file of the plan already there stops the whole plan before anything is written
    (FilesExist), unless `skip_existing`: then those are kept and the rest written.
    """
    present = set(existing_files(folder, files))
    if present and not skip_existing:
        raise FilesExist(sorted(present))
    written, kept = [], []
    for file in files:
        target = folder / file.path
        if target in present:
            kept.append(file)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, file.text)
        written.append(file)
    return written, kept


def repository_top(folder: Path) -> Path | None:
    """The top of the git repository that `folder` is (or, made, would be) in, if any."""
    resolved = folder.resolve()
    return next(
        (above for above in (resolved, *resolved.parents) if (above / ".git").exists()), None
    )


def in_git_repository(folder: Path) -> bool:
    return repository_top(folder) is not None


def repository_branch(folder: Path) -> str | None:
    """The branch a repository's site is published from: its remote's default branch
    (origin/HEAD, as a clone has it), else the branch checked out; None outside a repository
    or when git cannot say."""
    top = repository_top(folder)
    if top is None:
        return None
    for ref, prefix in (("refs/remotes/origin/HEAD", "origin/"), ("HEAD", "")):
        try:
            name = run_git(["symbolic-ref", "--quiet", "--short", ref], top).decode().strip()
        except (GitError, UnicodeDecodeError):
            continue
        name = name.removeprefix(prefix)
        if _BRANCH.match(name) and ".." not in name:
            return name
    return None


def next_steps(request: InitRequest, shown_folder: str) -> list[str]:
    """The commands that take the new files to a published catalog (docs/setup.md)."""
    catalog = PurePosixPath(request.catalog).as_posix()
    option = "" if catalog == DEFAULT_CATALOG else f" {catalog}"
    new_repository = not in_git_repository(request.folder)
    return [
        *([f"cd {shown_folder}"] if shown_folder != "." else []),
        *([f"git init -b {request.branch}"] if new_repository else []),
        *([] if request.example else [f'modelcards new model my-model{option} --owner "My team"']),
        f"modelcards validate{option}",
        'git add -A && git commit -m "A model registry, set up by modelcards init"',
        *(
            ["git remote add origin https://github.com/OWNER/REPOSITORY.git"]
            if new_repository
            else []
        ),
        f"git push -u origin {request.branch}",
    ]


# What only the repository's settings on GitHub can do (docs/setup.md, steps 5 and 6).
ON_GITHUB = [
    "Settings > Pages > Build and deployment > Source: GitHub Actions",
    "Settings > Rules (or Branches): require the status check `validate` before merging",
]
