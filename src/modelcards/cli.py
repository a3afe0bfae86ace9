"""The command line: click only. Each command wires options to the library and maps the
result to an exit code (0 success, 1 invalid catalog or failed check, 2 usage or path errors)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .cards import Relation, Stage
from .cli_params import (
    Day,
    F,
    LookupCatalog,
    ModelVersion,
    Selector,
    date_option,
    time_option,
    today_option,
)
from .codes import RULES
from .discovery import UnsafeCatalogPath, check_catalog_path
from .edit import EditError, FileEdit, Promotion, apply_edits, write_edits
from .edit import deprecate as deprecate_version
from .edit import promote as promote_version
from .edit import retire as retire_version
from .edit_scaffold import NewModel, NewVersion, new_model, new_version
from .errors import PathProblem, Refusal, UsageProblem
from .formats import (
    FORMATS,
    bad_reference_message,
    export_text,
    export_warnings,
    is_reference,
)
from .formats.import_defaults import HF_BY, MLFLOW_BY, MLFLOW_PAGE_SIZE
from .history import GitError, validate_against_base
from .loading import load_catalog
from .lookup import (
    FIELDS,
    as_record,
    check_usable,
    field_lines,
    resolve,
    several,
    text_lines,
)
from .problems import Problem
from .recording import RecordRequest, record_version
from .repo_init import DEFAULT_CATALOG as DEFAULT_CATALOG_FOLDER
from .repo_init import (
    DEFAULT_TITLE,
    ON_GITHUB,
    FilesExist,
    InitRequest,
    next_steps,
    plan_repository,
    repository_branch,
    write_repository,
)
from .reporters import REPORTERS, display_path, problem_line
from .rules.docs import close_codes, entry_text, rule_entries
from .schema import write_schemas
from .source import MAX_FILE_BYTES, FileRefused, read_regular_file
from .summary import render_summary, write_summary
from .texts import lines_for_terminal, one_line
from .validate import resolve_today, validate_catalog
from .writing import check_output, write_atomically

if TYPE_CHECKING:
    from .formats.mlflow_import import Plan as MlflowPlan

DEFAULT_CATALOG = Path("catalog")


class PathError(click.ClickException):
    """A path that cannot be read or written: exit 2, like a usage error."""

    exit_code = 2


@contextmanager
def _library_errors(ctx: click.Context) -> Iterator[None]:
    """The library's two kinds of error (errors.py) as exit codes: a usage problem exits 2
    (after the command's usage, unless it is about a path), a refusal exits 1 with its
    message and, for an edit, the problems that refused it."""
    try:
        yield
    except PathProblem as error:
        raise PathError(str(error)) from None
    except UsageProblem as error:
        raise click.UsageError(str(error), ctx) from None
    except Refusal as error:
        click.echo(f"Error: {lines_for_terminal(str(error))}", err=True)
        if isinstance(error, EditError):
            for found in error.about_new:
                click.echo(found.line, err=True)
            _print_problems(error.problems)
        sys.exit(1)


class _Command(click.Command):
    def invoke(self, ctx: click.Context) -> object:
        with _library_errors(ctx):
            return super().invoke(ctx)


class _Group(click.Group):
    """Every command of the tree is a _Command, every sub-group a _Group."""

    command_class = _Command
    group_class = type


def _real_catalog(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A catalog named through a symbolic link is a usage error (docs/security.md)."""
    if value is not None:
        try:
            check_catalog_path(value)
        except UnsafeCatalogPath as error:
            raise click.BadParameter(str(error), ctx, param) from None
    return value


def _catalog_argument(kind: click.Path) -> Callable[[F], F]:
    return click.argument(
        "catalog", required=False, default=DEFAULT_CATALOG, type=kind, callback=_real_catalog
    )


catalog_argument = _catalog_argument(click.Path(exists=True, file_okay=False, path_type=Path))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="modelcards")
def cli() -> None:
    """A git repository as a model registry: validate the cards, build the catalog site."""


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@cli.command()
@catalog_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default=None,
    help="Output format [default: github under GitHub Actions, else text].",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@today_option("The date reviews and sunsets are judged against")
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Also check the change against this git ref (branch, tag or commit): published "
    "versions are never deleted or rewritten.",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a Markdown summary of the change for reviewers to this file "
    "[default with --base: $GITHUB_STEP_SUMMARY when it is set].",
)
def validate(
    catalog: Path,
    output_format: str | None,
    strict: bool,
    today: dt.date | None,
    base: str | None,
    summary_file: Path | None,
) -> None:
    """Check every card in CATALOG (default ./catalog) and every reference between cards.

    Exits 0 when the catalog is valid, 1 when it is not, 2 on usage errors.
    """
    history = None
    if base is None:
        result = validate_catalog(catalog, today)
    else:
        try:
            result, history = validate_against_base(catalog, base, today)
        except GitError as error:
            raise PathError(f"--base {base}: {error}") from None
    REPORTERS[output_format or _default_format()](result, sys.stdout, strict)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file is None and base is not None and step_summary:
        summary_file = Path(step_summary)
    if summary_file is not None:
        try:
            write_summary(summary_file, render_summary(result, history, strict=strict))
        except OSError as error:
            raise PathError(
                f"cannot write the summary to {summary_file}: {error.strerror}"
            ) from None
    sys.exit(0 if result.passes(strict=strict) else 1)


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Folder to write the schemas into.",
)
def schema(output: Path) -> None:
    """Write the JSON Schemas (draft 2020-12) of catalog.yaml and the three card kinds."""
    try:
        written = write_schemas(output)
    except OSError as error:
        raise PathError(f"cannot write schemas into {output}: {error.strerror}") from None
    for path in written:
        click.echo(f"wrote {path}")


def _known_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None or value.upper() in RULES:
        return value and value.upper()
    close = close_codes(value)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise click.BadParameter(
        f"no rule has the code {value!r}{hint} (modelcards rule lists them all)",
        ctx,
        param,
        param_hint="'CODE'",
    )


@cli.command()
@click.argument("code", required=False, callback=_known_code)
def rule(code: str | None) -> None:
    """Explain the problem CODE (such as MC025): what it reports, why it matters, an example
    and how to fix it. Without CODE, list every code with its severity and title."""
    if code is not None:
        click.echo(entry_text(rule_entries()[code]), nl=False)
        return
    for known, entry in RULES.items():
        click.echo(f"{known}  {entry.severity.value:<7}  {entry.title}")


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomically(output, text)
    except OSError as error:
        raise PathError(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"wrote {output}")


@cli.command()
@click.argument("target", required=False, metavar="[MODEL@VERSION]")
@click.argument("catalog", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "export_format",
    type=click.Choice(FORMATS),
    required=True,
    help="hf: a Hugging Face README.md; cyclonedx: a CycloneDX 1.6 JSON ML-BOM.",
)
@click.option(
    "--all",
    "all_versions",
    is_flag=True,
    help="One BOM of every version in the catalog (cyclonedx only); takes no MODEL@VERSION.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write [default: standard output].",
)
@today_option(
    "Today, for validating the catalog and as the BOM's metadata.timestamp (midnight UTC)"
)
def export(
    target: str | None,
    catalog: Path | None,
    export_format: str,
    all_versions: bool,
    output: Path | None,
    today: dt.date | None,
) -> None:
    """Export MODEL@VERSION of CATALOG (default ./catalog) for the Hub or supply-chain tools."""
    if all_versions:
        if catalog is not None:
            raise click.UsageError("--all exports every version: give only CATALOG")
        target, catalog = None, Path(target) if target else None
    elif target is None:
        raise click.UsageError("missing MODEL@VERSION (or --all for the whole catalog)")
    root = catalog or DEFAULT_CATALOG
    if not root.is_dir():
        raise PathError(f"catalog folder {root} does not exist")
    try:
        check_catalog_path(root)
    except UnsafeCatalogPath as error:
        raise click.BadParameter(str(error), param_hint="'[CATALOG]'") from None
    if target is not None and not is_reference(target):
        raise click.UsageError(bad_reference_message(load_catalog(root)[0], target))
    if output is not None:
        check_output(output, root)
    result = validate_catalog(root, resolve_today(today))
    if result.errors:
        raise click.ClickException(
            f"{root} is invalid ({len(result.errors)} errors); run: modelcards validate {root}"
        )
    text = export_text(result.catalog, target, export_format, today)
    left_out = export_warnings(result.catalog, target, export_format)
    for warning in left_out:
        click.echo(f"warning: {warning}", err=True)
    _write_text(text, output)


@cli.group("import")
def import_group() -> None:
    """Bring cards in from elsewhere: a Hugging Face README, an MLflow Model Registry."""


@import_group.command("hf")
@click.argument("readme", type=click.Path(dir_okay=False, path_type=Path))
@catalog_argument
@click.option("--model", "model_id", required=True, help="Id of the model in the catalog.")
@click.option(
    "--version",
    default=None,
    help="Version to create [default: the exported card's version, else 1.0.0].",
)
@click.option("--owner", default=None, help="Owner of a new model [default: 'unassigned'].")
@click.option(
    "--by",
    default=HF_BY,
    show_default=True,
    help="Who the first lifecycle event names (cards not exported by modelcards).",
)
@today_option("Release date of an imported version")
def import_hf(
    readme: Path,
    catalog: Path,
    model_id: str,
    version: str | None,
    owner: str | None,
    by: str,
    today: dt.date | None,
) -> None:
    """Import a Hugging Face README.md into CATALOG as a model card and a version card.

    Fields that cannot be mapped are listed as warnings; nothing is written unless the new
    cards validate with the rest of the catalog (exit 1 otherwise).
    """
    try:
        raw = read_regular_file(readme, MAX_FILE_BYTES).decode("utf-8")
        text = raw.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it
    except FileRefused as error:
        limit = " for a card" if error.size is not None else ""
        raise PathError(f"cannot read {readme}: it {error.reason}{limit}") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise PathError(f"cannot read {readme}: {reason}") from None
    from .formats.huggingface_import import ImportRequest, plan_hf_import, write_plan

    day = resolve_today(today)
    request = ImportRequest(catalog, readme, model_id, version, owner, by, day)
    plan = plan_hf_import(request, text)
    for warning in plan.warnings:  # they quote the README, which may hold escape sequences
        click.echo(f"warning: {one_line(warning)}")
    if plan.errors:
        for p in plan.errors:
            click.echo(problem_line(p))
        raise click.ClickException("the imported cards would not validate; nothing was written")
    for path in write_plan(plan):
        click.echo(f"wrote {display_path(path)}")


@import_group.command("mlflow")
@catalog_argument
@click.option(
    "--tracking-uri",
    envvar="MLFLOW_TRACKING_URI",
    required=True,
    metavar="URI",
    help="http(s) URL of the MLflow tracking server [default: $MLFLOW_TRACKING_URI]. "
    "Credentials come from MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and "
    "MLFLOW_TRACKING_PASSWORD.",
)
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="NAME",
    help="Registered model to import (repeatable) [default: every model].",
)
@click.option(
    "--owner",
    default=None,
    help="Owner of new model cards whose registered model has no owner tag.",
)
@click.option(
    "--owner-tag",
    default="owner",
    show_default=True,
    metavar="KEY",
    help="Registered-model tag that names the owner.",
)
@click.option(
    "--task", default=None, help="Task of new model cards whose registered model has no task tag."
)
@click.option(
    "--task-tag",
    default="task",
    show_default=True,
    metavar="KEY",
    help="Registered-model tag that names the task.",
)
@click.option(
    "--dataset-owner", default=None, help="Owner of new dataset cards (MLflow records none)."
)
@click.option(
    "--semver-tag",
    default="semver",
    show_default=True,
    metavar="KEY",
    help="Model-version tag holding its SemVer; without it, MLflow version N is N.0.0.",
)
@click.option(
    "--by",
    default=MLFLOW_BY,
    show_default=True,
    help="Who stage events name (MLflow does not record who changed a stage).",
)
@click.option(
    "--drafts",
    is_flag=True,
    help="Also write cards that do not validate yet, with what is missing marked "
    "TODO (a draft: modelcards validate lists what is left to fill in).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option(
    "--page-size",
    type=click.IntRange(1, 1000),
    default=MLFLOW_PAGE_SIZE,
    show_default=True,
    help="Models or versions asked for per request.",
)
@today_option("The date validation judges events against")
def import_mlflow(
    catalog: Path,
    tracking_uri: str,
    models: tuple[str, ...],
    owner: str | None,
    owner_tag: str,
    task: str | None,
    task_tag: str,
    dataset_owner: str | None,
    semver_tag: str,
    by: str,
    drafts: bool,
    dry_run: bool,
    page_size: int,
    today: dt.date | None,
) -> None:
    """Import the registered models of an MLflow tracking server into CATALOG.

    New models, versions and datasets become cards; on a later run, versions imported before
    are left as they are (they are records) and only new versions, stage changes and aliases
    are added. Everything is read from the server before anything is written: an unreachable
    server, refused credentials, a missing model or an answer that is not MLflow's stop the
    import with nothing written (exit 2). Cards that would not validate are not written
    (exit 1) unless --drafts asks for them.
    """
    from .formats import mlflow_import, mlflow_rest  # the HTTP client, only for this command

    day = resolve_today(today)
    options = mlflow_import.ImportOptions(
        day,
        owner=owner,
        owner_tag=owner_tag,
        task=task,
        task_tag=task_tag,
        dataset_owner=dataset_owner,
        semver_tag=semver_tag,
        by=by,
    )
    try:
        server = mlflow_rest.Server.from_environment(tracking_uri, page_size)
        registry = mlflow_rest.read_registry(server, models)
        plan = mlflow_import.plan_import(catalog, registry, options)
        plan = mlflow_import.check_plan(plan, day, drafts=drafts)
        if not dry_run:
            mlflow_import.write_plan(plan)
    except mlflow_rest.RegistryError as error:
        raise PathError(f"{error}; nothing was written") from None
    except EditError as error:
        raise PathError(error.message) from None
    except OSError as error:
        raise PathError(f"cannot write {error.filename}: {error.strerror}") from None
    _report_import(plan, dry_run=dry_run, drafts=drafts, uri=server.uri)
    if plan.refused:
        sys.exit(1)


_DONE = {"add": "added", "append": "appended to", "update": "updated"}
_WOULD = {"add": "would add", "append": "would append to", "update": "would update"}


def _report_import(plan: MlflowPlan, *, dry_run: bool, drafts: bool, uri: str) -> None:
    for note in plan.notes:
        click.echo(f"note: {note}")
    verbs = _WOULD if dry_run else _DONE
    for change in plan.changes:
        click.echo(f"{verbs[change.action]} {display_path(change.path)}: {change.description}")
    for change in plan.refused:
        needs = ", ".join(display_path(path) for path in change.blocked_by)
        because = f" (it needs {needs}, not written)" if needs else ""
        click.echo(f"not written: {display_path(change.path)}: {change.description}{because}")
        shown = [problem for problem in plan.problems if problem.file == change.path]
        for problem in shown:
            click.echo(f"  {problem_line(problem)}")
        for todo in change.todo:
            if not any(todo in problem.message for problem in shown):  # MC054 says it
                click.echo(f"  still to add: {todo}")
    written = {change.path for change in plan.refused}
    for problem in plan.problems:
        if problem.file not in written:
            click.echo(problem_line(problem))
    if not plan.changes and not plan.refused:
        click.echo(f"nothing to import: {display_path(plan.root)} is up to date with {uri}")
        return
    counts = ", ".join(
        f"{n} {word}{'s' if n > 1 else ''}{after}"
        for n, word, after in (
            (sum(c.action == "add" for c in plan.changes), "new card", ""),
            (sum(c.action != "add" for c in plan.changes), "changed card", ""),
            (
                len(plan.refused),
                "card",
                " not written (they would not validate: add what is "
                "listed, or write them as drafts with --drafts)",
            ),
        )
        if n
    )
    state = "dry run, nothing written: " if dry_run else ""
    if drafts and plan.problems and not dry_run:
        counts += "; the drafts do not validate yet: modelcards validate lists what is left"
    click.echo(f"{state}{counts or 'nothing written'}")


# ---- editing the cards: new, promote, deprecate, retire ------------------------------------


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(problem_line(p), err=True)


@contextmanager
def _editing() -> Iterator[None]:
    """A file the editing commands cannot write: exit 2 (their refusals are library errors,
    mapped for every command by _library_errors)."""
    try:
        yield
    except OSError as error:
        raise PathError(f"cannot write {error.filename}: {error.strerror}") from None


def _apply(catalog: Path, make: Callable[[], list[FileEdit]], *, check: bool = True) -> None:
    """Build the edits, check them against the whole catalog, write them, say what changed."""
    with _editing():
        edits = make()
        if check:
            apply_edits(catalog, edits)
        else:
            write_edits(catalog, edits)
    for edit in edits:
        click.echo(f"wrote {display_path(edit.path)}: {edit.description}")


@cli.group()
def new() -> None:
    """Scaffold a card: fields that must be filled in are left empty and marked TODO."""


@new.command("model")
@click.argument("model_id", metavar="ID")
@catalog_argument
@click.option("--owner", "owners", multiple=True, help="Owning team or person (repeatable).")
@click.option("--task", default=None, help="Task, e.g. tabular-classification.")
@click.option("--name", default=None, help="Display name [default: from the id].")
@click.option("--summary", default=None, help="One line: what the model does.")
def new_model_command(
    model_id: str,
    catalog: Path,
    owners: tuple[str, ...],
    task: str | None,
    name: str | None,
    summary: str | None,
) -> None:
    """Create models/ID/model.yaml in CATALOG (default ./catalog)."""
    request = NewModel(model_id, owners, task, name, summary)
    _apply(catalog, lambda: [new_model(catalog, request)], check=False)


@new.command("version")
@click.argument("model_id", metavar="MODEL")
@click.argument("version")
@catalog_argument
@click.option(
    "--from",
    "previous",
    metavar="VERSION",
    default=None,
    help="Carry the framework and training setup over from this version.",
)
@click.option("--by", default=None, help="Who starts the version (its development event).")
@date_option
def new_version_command(
    model_id: str,
    version: str,
    catalog: Path,
    previous: str | None,
    by: str | None,
    when: dt.date | None,
) -> None:
    """Create models/MODEL/VERSION.yaml in CATALOG (default ./catalog)."""
    request = NewVersion(model_id, version, previous, by, when)
    _apply(catalog, lambda: [new_version(catalog, request)], check=False)


@cli.command()
@click.argument("target", metavar="MODEL@VERSION", type=ModelVersion())
@click.argument("stage", metavar="STAGE", type=click.Choice([s.value for s in Stage]))
@catalog_argument
@click.option("--by", required=True, help="Who made the change.")
@click.option("--approved-by", "approved_by", multiple=True, help="Approver (repeatable).")
@click.option(
    "--traffic",
    type=click.FloatRange(0, 100),
    default=None,
    help="Percent of production traffic (a canary or staged rollout).",
)
@click.option("--reason", default=None, help="Why.")
@click.option("--override", default=None, help="Justification for promoting despite a failed gate.")
@date_option
@time_option
def promote(
    target: str,
    stage: str,
    catalog: Path,
    by: str,
    approved_by: tuple[str, ...],
    traffic: float | None,
    reason: str | None,
    override: str | None,
    when: dt.date | None,
    time: str | None,
) -> None:
    """Append a STAGE event to MODEL@VERSION, keeping the file's comments and layout.

    STAGE is one of development, staging, production, archived, retired (to deprecate a
    version, use `modelcards deprecate`, which records why and what replaces it).

    A promotion to production archives the version(s) it replaces, or with --traffic below
    100 moves the one version in production to the rest of the traffic. An event that changes
    nothing (the stage and traffic the version already has) is refused. Nothing is written
    if the catalog would not validate afterwards (exit 1).
    """
    if stage == Stage.DEPRECATED.value:
        raise click.UsageError(
            "a deprecation records why and what replaces the version: use `modelcards "
            f"deprecate {target} --by WHO --reason WHY [--replaced-by VERSION]`"
        )
    request = Promotion(
        target,
        Stage(stage),
        by,
        approved_by,
        traffic,
        reason,
        override,
        when,
        time,
    )
    _apply(catalog, lambda: promote_version(catalog, request))


@cli.command()
@click.argument("target", metavar="MODEL@VERSION", type=ModelVersion())
@catalog_argument
@click.option("--by", required=True, help="Who deprecates it.")
@click.option("--reason", required=True, help="Why users should move away.")
@click.option(
    "--replaced-by",
    "replaced_by",
    default=None,
    help="The version to move to (VERSION of the same model, or MODEL@VERSION).",
)
@click.option("--sunset", type=Day(), default=None, help="The date it will be retired.")
@click.option(
    "--approved-by",
    "approved_by",
    multiple=True,
    help="Approver (repeatable); the policy may ask for one when this takes the "
    "model's only production version out of production.",
)
@date_option
@time_option
def deprecate(
    target: str,
    catalog: Path,
    by: str,
    reason: str,
    replaced_by: str | None,
    sunset: dt.date | None,
    approved_by: tuple[str, ...],
    when: dt.date | None,
    time: str | None,
) -> None:
    """Append a deprecated event to MODEL@VERSION (nothing is written if it would not validate)."""
    _apply(
        catalog,
        lambda: deprecate_version(
            catalog,
            target,
            by,
            reason,
            replaced_by=replaced_by,
            sunset=sunset,
            date=when,
            time=time,
            approved_by=approved_by,
        ),
    )


@cli.command()
@click.argument("target", metavar="MODEL@VERSION", type=ModelVersion())
@catalog_argument
@click.option("--by", required=True, help="Who retires it.")
@click.option("--reason", default=None, help="Why.")
@date_option
@time_option
def retire(
    target: str,
    catalog: Path,
    by: str,
    reason: str | None,
    when: dt.date | None,
    time: str | None,
) -> None:
    """Append a retired event to MODEL@VERSION: final, the version may no longer be used."""
    _apply(
        catalog,
        lambda: retire_version(
            catalog,
            target,
            by,
            reason=reason,
            date=when,
            time=time,
        ),
    )


# ---- recording a training run ---------------------------------------------------------------


@cli.command("record")
@click.argument("model_id", metavar="MODEL")
@click.argument("version")
@catalog_argument
@click.option("--summary", required=True, help="One line: what this version is.")
@click.option("--by", required=True, help="Who or which pipeline records it.")
@click.option(
    "--artifact",
    "artifacts",
    multiple=True,
    metavar="PATH[=URI]",
    help="A file the job produced, hashed by streaming; recorded at URI when given. "
    "A remote file: URI@sha256:HEX. Repeatable.",
)
@click.option(
    "--metrics",
    "metrics_file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON or YAML: a list of {name, value, dataset, split, slice, ci}, or {name: value}.",
)
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="DATASET@VERSION",
    help="A dataset version it trained on. Repeatable [default: carried over].",
)
@click.option(
    "--hyperparameters",
    "hyperparameters_file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON or YAML mapping; nested mappings are flattened with dots [default: carried over].",
)
@click.option(
    "--from",
    "previous",
    metavar="VERSION",
    default=None,
    help="The version this one continues: framework and training setup carry over, "
    "and it becomes the lineage parent.",
)
@click.option(
    "--relation",
    type=click.Choice([r.value for r in Relation]),
    default="retrained",
    show_default=True,
    help="How this version derives from --from.",
)
@click.option(
    "--framework",
    metavar="NAME[==VERSION]",
    default=None,
    help="The library it is built with; the version is the installed one unless given.",
)
@click.option(
    "--package",
    "packages",
    multiple=True,
    metavar="NAME",
    help="A key distribution whose installed version to record. Repeatable.",
)
@click.option("--seed", type=int, default=None, help="The random seed.")
@click.option("--description", default=None, help="Markdown: the version in full.")
@click.option("--hardware", default=None, help="What it trained on, e.g. 1x NVIDIA A100 80GB.")
@click.option(
    "--container",
    metavar="IMAGE",
    default=None,
    help="The image it trained in [default: $MODELCARDS_CONTAINER_IMAGE, else $CI_JOB_IMAGE].",
)
@click.option(
    "--code-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder of the training code's git checkout [default: the current folder].",
)
@click.option(
    "--code-repo",
    metavar="URL",
    default=None,
    help="The code repository [default: the checkout's remote, without credentials].",
)
@click.option(
    "--commit",
    metavar="HASH",
    default=None,
    help="The commit, when the code is not a git checkout here (needs --code-repo).",
)
@click.option(
    "--allow-dirty",
    is_flag=True,
    help="Record even if tracked files have uncommitted changes (the card says so).",
)
@click.option("--dry-run", is_flag=True, help="Print the card and its problems; write nothing.")
@date_option
@time_option
def record_command(
    model_id: str,
    version: str,
    catalog: Path,
    summary: str,
    by: str,
    artifacts: tuple[str, ...],
    metrics_file: Path | None,
    data: tuple[str, ...],
    hyperparameters_file: Path | None,
    previous: str | None,
    relation: str,
    framework: str | None,
    packages: tuple[str, ...],
    seed: int | None,
    description: str | None,
    hardware: str | None,
    container: str | None,
    code_dir: Path | None,
    code_repo: str | None,
    commit: str | None,
    allow_dirty: bool,
    dry_run: bool,
    when: dt.date | None,
    time: str | None,
) -> None:
    """Write MODEL's VERSION card from a training run, into CATALOG (default ./catalog).

    Captures the code's repository and commit (refusing uncommitted changes unless
    --allow-dirty), the Python version, a digest of the installed packages and the container
    image. Nothing is written unless the card validates with the whole catalog: otherwise
    the problems are printed as validate prints them (exit 1).
    """
    request = RecordRequest(
        model_id,
        version,
        summary,
        by,
        artifacts=artifacts,
        metrics=metrics_file,
        data=data,
        hyperparameters=hyperparameters_file,
        previous=previous,
        relation=relation,
        framework=framework,
        packages=packages,
        seed=seed,
        description=description,
        hardware=hardware,
        container=container,
        code_dir=code_dir,
        code_repo=code_repo,
        commit=commit,
        allow_dirty=allow_dirty,
        date=when,
        time=time,
    )
    with _editing():
        result = record_version(catalog, request, dry_run=dry_run)
    if dry_run and result.text:
        click.echo(result.text, nl=False)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if result.written:
        _print_problems(result.problems)
        click.echo(f"wrote {display_path(result.path)}: recorded {model_id}@{version}")
        return
    _print_problems(result.problems)
    if not result.errors:
        return  # a dry run of a card that would validate
    if any(p.file == result.path for p in result.problems):
        click.echo(
            f"({display_path(result.path)} was not written; --dry-run prints the card these "
            "lines refer to)",
            err=True,
        )
    click.echo(f"Error: {result.reason}", err=True)
    sys.exit(1)


# ---- deploy lookups ---------------------------------------------------------------------------


@cli.command()
@click.argument("spec", metavar="MODEL[@VERSION|@STAGE|@ALIAS]", type=Selector())
@_catalog_argument(LookupCatalog())
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--field",
    type=click.Choice(FIELDS),
    default=None,
    help="Print only this field, one line per artifact for uri and sha256; with "
    "several versions (a canary) it needs --all.",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="With --field: print every version's, as VERSION<TAB>TRAFFIC<TAB>VALUE lines.",
)
@click.option(
    "--allow-retired",
    is_flag=True,
    help="Answer for a retired version too (refused otherwise: it may not be deployed).",
)
def get(
    spec: str,
    catalog: Path,
    as_json: bool,
    field: str | None,
    every: bool,
    allow_retired: bool,
) -> None:
    """Resolve what to deploy: version(s), stage, traffic, artifact uri and sha256.

    A bare MODEL means its production version(s), the one with the most traffic first.
    Refuses (exit 1) to answer from a catalog with errors, for a retired version (unless
    --allow-retired), and a --field of several versions (unless --all); a deprecated
    version is answered with a warning on stderr. A malformed MODEL[@...] is a usage error
    (exit 2).
    """
    result = validate_catalog(catalog)
    if result.errors:
        _print_problems(result.errors)
        click.echo("Error: the catalog has errors; fix them before deploying from it", err=True)
        sys.exit(1)
    resolved = resolve(result.catalog, spec)
    warnings = check_usable(result.catalog, resolved, allow_retired=allow_retired)
    record = as_record(result.catalog, resolved)
    if field is not None and not every and (refusal := several(record, spec, field)):
        click.echo(f"Error: {lines_for_terminal(refusal)}", err=True)
        sys.exit(1)
    for warning in warnings:
        click.echo(f"warning: {lines_for_terminal(warning)}", err=True)
    if field is not None:
        lines = field_lines(record, field, every=every)
    elif as_json:
        lines = [json.dumps(record, indent=2)]
    else:
        lines = text_lines(record)
    click.echo("\n".join(lines))


_output_option = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=True, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site into (replaced as a whole).",
)
_theme_option = click.option(
    "--theme",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of templates that override the default theme "
    "[default: theme/ next to the catalog folder, when it exists].",
)
_cache_option = click.option(
    "--cache",
    "cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the incremental build cache: only pages whose inputs changed are rendered "
    "[default: .modelcards-cache/ next to the catalog folder].",
)
_no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    default=False,
    help="Render every page, and neither read nor write the cache.",
)


def site_options(command: F) -> F:
    """The options of a site build, shared by build and serve: -o/--output, --theme, --today,
    --cache, --no-cache."""
    for option in reversed(
        (
            _output_option,
            _theme_option,
            today_option("The date the governance page judges reviews and sunsets against"),
            _cache_option,
            _no_cache_option,
        )
    ):
        command = option(command)
    return command


@cli.command()
@catalog_argument
@site_options
def build(
    catalog: Path,
    output: Path,
    theme: Path | None,
    today: dt.date | None,
    cache: Path | None,
    no_cache: bool,
) -> None:
    """Validate CATALOG (default ./catalog) and render the static site into OUTPUT.

    An invalid catalog builds nothing (exit 1) and leaves an earlier site untouched.
    Pages whose cards, templates and settings did not change since the last build are
    kept rather than rendered again (see --cache).
    """
    from .site.build import BuildFailed, SiteConfig, build_site  # Jinja2 on demand

    config = SiteConfig(catalog, output, theme, today, cache=cache, use_cache=not no_cache)
    try:
        report = build_site(config)
    except BuildFailed as error:
        click.echo(f"error: {error}; {output} is unchanged", err=True)
        sys.exit(1)
    except OSError as error:
        raise PathError(f"cannot write the site into {output}: {error.strerror}") from None
    REPORTERS["text"](report.validation, sys.stdout, False)
    if report.files is None:
        click.echo(f"nothing built; {output} is unchanged")
        sys.exit(1)
    click.echo(report.summary(output))


@cli.command()
@catalog_argument
@_theme_option
@today_option("The date the governance page judges reviews and sunsets against")
@click.option(
    "--cache",
    "cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the build's card cache, read at start-up so that unchanged cards are not "
    "parsed again [default: .modelcards-cache/ next to the catalog folder].",
)
@click.option(
    "--no-cache", is_flag=True, default=False, help="Parse every card at start-up; write no cache."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    hidden=True,  # serve wrote the site into it up to 0.2.0; accepted, and said to be unused
)
def serve(
    catalog: Path,
    theme: Path | None,
    today: dt.date | None,
    cache: Path | None,
    no_cache: bool,
    port: int,
    output: Path | None,
) -> None:
    """Serve the site of CATALOG on 127.0.0.1, each page rendered when asked for; an edited
    card or template shows on the next reload.

    Nothing is written: each address answers what `modelcards build` writes there. An edit
    that breaks validation prints the problems and keeps the last good catalog served.
    """
    from .site.build import SiteConfig, check_cache_folder
    from .site.serve import serve as serve_site

    if output is not None:
        click.echo(
            f"note: serve writes no files, so -o {output} is not used; "
            f"`modelcards build -o {output}` writes the site",
            err=True,
        )
    config = SiteConfig(catalog, Path("site"), theme, today, cache=cache, use_cache=not no_cache)
    try:
        check_cache_folder(config)
        serve_site(config, port, lambda text: click.echo(lines_for_terminal(text)))
    except OSError as error:
        raise PathError(f"cannot serve on 127.0.0.1:{port}: {error.strerror}") from None


# ---- a team's own registry repository ----------------------------------------------------------


@cli.command()
@click.argument(
    "folder", required=False, default=Path("."), type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--catalog",
    "catalog_folder",
    default=DEFAULT_CATALOG_FOLDER,
    show_default=True,
    help="The catalog folder, relative to FOLDER.",
)
@click.option(
    "--title", default=DEFAULT_TITLE, show_default=True, help="Title of the catalog site."
)
@click.option(
    "--branch",
    default=None,
    help="The branch the site is published from [default: the repository's default "
    "branch when FOLDER is a git repository, else main].",
)
@click.option("--example", is_flag=True, help="Add an example model, version and dataset.")
@click.option(
    "--skip-existing",
    is_flag=True,
    help="Keep files that exist and write the others [default: write nothing then].",
)
@today_option("The example's dates")
def init(
    folder: Path,
    catalog_folder: str,
    title: str,
    branch: str | None,
    example: bool,
    skip_existing: bool,
    today: dt.date | None,
) -> None:
    """Set up a registry repository in FOLDER (default: here): the catalog, the workflows
    that validate pull requests and publish the site, pre-commit, .gitignore, the schemas.

    Everything that installs modelcards pins this version. Existing files are never
    overwritten: if any is there, nothing is written (exit 1) unless --skip-existing.
    """
    found = None if branch else repository_branch(folder)
    request = InitRequest(folder, catalog_folder, title, branch or found or "main", example, today)
    try:
        files = plan_repository(request)
        written, kept = write_repository(folder, files, skip_existing=skip_existing)
    except FilesExist as error:
        click.echo("Error: these files exist already, so nothing was written:", err=True)
        for path in error.paths:
            click.echo(f"  {display_path(path)}", err=True)
        click.echo("Move them aside, or keep them with --skip-existing.", err=True)
        sys.exit(1)
    except OSError as error:
        raise PathError(f"cannot write {error.filename}: {error.strerror}") from None
    for file in written:
        click.echo(f"wrote {display_path(folder / file.path)}: {file.purpose}")
    for file in kept:
        click.echo(f"kept {display_path(folder / file.path)} as it was: {file.if_kept}")
    if found and found != "main":
        click.echo(
            f"the site is published from {found}, the repository's branch (--branch changes it)"
        )
    click.echo("\nNext steps (docs/setup.md of modelcards walks through them):")
    for step in next_steps(request, display_path(folder)):
        click.echo(f"  {step}")
    click.echo("Then on GitHub:")
    for step in ON_GITHUB:
        click.echo(f"  {step}")


def main() -> None:
    _unwind_on_sigterm()
    cli(prog_name="modelcards")


def _unwind_on_sigterm() -> None:
    """SIGTERM (`timeout`, `docker stop`, a cancelled CI job after its Ctrl+C) unwinds the
    command as Ctrl+C does, exit status 143: a build removes the site it was making aside
    and stops its worker processes, rather than leaving them for the next build to clear.
    Not when SIGTERM was set to be ignored by whoever started us."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
