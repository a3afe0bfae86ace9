"""The command line at the edge: typed parameters, shared options, two kinds of library error."""

from __future__ import annotations

import datetime as dt

import click
import pytest
from click.testing import CliRunner

from modelcards import errors
from modelcards.cards import split_model_version
from modelcards.cli import cli
from modelcards.cli_params import Day, ModelVersion, Selector, TimeOfDay
from modelcards.edit import EditError, UsageError
from modelcards.formats import BadReference, UnknownVersion, UnsupportedExport
from modelcards.formats.huggingface_import import ImportFailure, ImportUsageError
from modelcards.lookup import BadSpec, NoMatch, Refused
from modelcards.recording import RecordError, UnreadableInput
from modelcards.repo_init import FilesExist, InitUsageError
from modelcards.writing import UnsafeOutput


def _commands(group: click.Group, ctx: click.Context) -> list[click.Command]:
    found: list[click.Command] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found += _commands(command, ctx) if isinstance(command, click.Group) else [command]
    return found


COMMANDS = _commands(cli, click.Context(cli))


def test_every_date_is_a_day_and_every_today_option_says_its_default() -> None:
    for command in COMMANDS:
        for param in command.params:
            if isinstance(param.type, click.DateTime):
                assert isinstance(param.type, Day), (command.name, param.name)
            if param.name == "today":
                assert isinstance(param, click.Option) and param.help
                assert param.help.endswith(" [default: SOURCE_DATE_EPOCH, else the clock]."), (
                    command.name
                )


def test_serve_takes_builds_site_options_but_writes_nothing() -> None:
    """serve renders on demand: -o is still accepted (hidden, said to be unused), the others
    mean what they mean to build."""

    def site_options(name: str) -> dict[str, click.Parameter]:
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        return {p.name or "": p for p in command.params if p.name not in ("catalog", "port")}

    build, serve = site_options("build"), site_options("serve")
    assert list(build) == ["output", "theme", "today", "cache", "no_cache"]
    assert sorted(serve) == sorted(build)
    output = serve["output"]
    assert isinstance(output, click.Option) and output.hidden
    assert not any(isinstance(p, click.Option) and p.hidden for p in build.values())


def test_a_day_is_a_date() -> None:
    assert Day().convert("2026-03-01", None, None) == dt.date(2026, 3, 1)
    with pytest.raises(click.BadParameter, match=r"'2026-02-30' does not match the format"):
        Day().convert("2026-02-30", None, None)


def test_a_time_of_day_keeps_its_message() -> None:
    assert TimeOfDay().convert("09:30", None, None) == "09:30"
    with pytest.raises(click.BadParameter) as raised:
        TimeOfDay().convert("9:30", None, None)
    assert raised.value.message == "'9:30' is not a time of day as HH:MM (UTC), such as 14:30"


def test_references_are_read_by_the_library_parsers() -> None:
    assert split_model_version("fraud@2.0.0-rc.1") == ("fraud", "2.0.0-rc.1")
    for bad in ("fraud", "fraud@", "Fraud@1.0.0", "fraud@v1", "fraud@1.0.0@1.0.0", "@1.0.0"):
        assert split_model_version(bad) is None, bad
        with pytest.raises(click.UsageError, match="is not a model version: write MODEL@VERSION"):
            ModelVersion().convert(bad, None, None)
    assert Selector().convert("fraud@champion", None, None) == "fraud@champion"
    with pytest.raises(click.UsageError, match="is not MODEL, MODEL@VERSION, MODEL@STAGE"):
        Selector().convert("fraud@", None, None)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (UsageError, errors.UsageProblem),
        (BadSpec, errors.UsageProblem),
        (BadReference, errors.UsageProblem),
        (UnsupportedExport, errors.UsageProblem),
        (ImportUsageError, errors.UsageProblem),
        (InitUsageError, errors.UsageProblem),
        (UnsafeOutput, errors.PathProblem),  # exports' and the site's, one class
        (UnreadableInput, errors.PathProblem),
        (EditError, errors.Refusal),
        (RecordError, errors.Refusal),
        (NoMatch, errors.Refusal),
        (Refused, errors.Refusal),
        (UnknownVersion, errors.Refusal),
        (ImportFailure, errors.Refusal),
        (FilesExist, errors.Refusal),
    ],
)
def test_library_errors_are_of_two_kinds(error: type[Exception], kind: type[Exception]) -> None:
    assert issubclass(error, kind)
    if kind is errors.Refusal:
        assert not issubclass(error, errors.UsageProblem)


def test_a_usage_problem_exits_2_after_the_usage_and_a_refusal_exits_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise errors.Refusal("no\x1b[31m")

    monkeypatch.setattr("modelcards.cli.write_schemas", refuse)
    refused = CliRunner().invoke(cli, ["schema"], prog_name="modelcards")
    assert (refused.exit_code, refused.output) == (1, "Error: no\\x1b[31m\n")

    def misuse(*_: object, **__: object) -> None:
        raise errors.UsageProblem("wrong")

    monkeypatch.setattr("modelcards.cli.write_schemas", misuse)
    misused = CliRunner().invoke(cli, ["schema"], prog_name="modelcards")
    assert misused.exit_code == 2
    assert misused.output == (
        "Usage: modelcards schema [OPTIONS]\nTry 'modelcards schema --help' for help.\n\n"
        "Error: wrong\n"
    )
