"""The command line's parameter types and its shared options.

Each value is parsed once, at the edge, by the library's own parser (edit.parse_target,
lookup.parse_spec, cards.TIME_PATTERN), so a command receives a checked value and the
library keeps one definition of each shape. A malformed value is refused with the message
the command has always given: a MODEL@VERSION or a selector as a usage error with the
library's sentence, a date or a time as click's "Invalid value for '--date'".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .cards import TIME_PATTERN
from .edit import UsageError, parse_target
from .lookup import BadSpec, parse_spec

F = TypeVar("F", bound=Callable[..., Any])

_TIME = re.compile(TIME_PATTERN)
_FROM_ENVIRONMENT = "[default: SOURCE_DATE_EPOCH, else the clock]"


class Day(click.DateTime):
    """A date written YYYY-MM-DD, handed to the command as a datetime.date."""

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        return super().convert(value, param, ctx).date()


class TimeOfDay(click.ParamType[str]):
    """A time of day in UTC, "HH:MM" (as lifecycle events record it)."""

    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not _TIME.match(value):
            self.fail(f"{value!r} is not a time of day as HH:MM (UTC), such as 14:30", param, ctx)
        return value


class ModelVersion(click.ParamType[str]):
    """MODEL@VERSION: a model id and a SemVer version (edit.parse_target's shape)."""

    name = "MODEL@VERSION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            parse_target(value)
        except UsageError as error:
            raise click.UsageError(str(error), ctx) from None
        return value


class Selector(click.ParamType[str]):
    """MODEL, MODEL@VERSION, MODEL@STAGE or MODEL@ALIAS, as `get` takes it (lookup.parse_spec)."""

    name = "MODEL[@VERSION|@STAGE|@ALIAS]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            parse_spec(value)
        except BadSpec as error:
            raise click.UsageError(str(error), ctx) from None
        return value


# What follows the @ of MODEL@VERSION|STAGE|ALIAS, roughly: no path separator.
_LOOKUP_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*")


class LookupCatalog(click.Path):
    """`get`'s CATALOG: an existing folder. A word that names no folder there, after a MODEL
    with no `@`, is most likely a stage, version or alias meant as `MODEL@WORD`: the error
    says so."""

    def __init__(self) -> None:
        super().__init__(exists=True, file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as error:
            spec = ctx.params.get("spec") if ctx is not None else None
            word = str(value)
            if isinstance(spec, str) and "@" not in spec and _LOOKUP_WORD.fullmatch(word):
                hint = f"To ask for a stage, version or alias of {spec}: {spec}@{word}"
                raise click.BadParameter(f"{error.message} {hint}", ctx, param) from None
            raise


def today_option(what: str) -> Callable[[F], F]:
    """--today, the date a command judges against: `what` says what the date is for."""
    return click.option("--today", type=Day(), default=None, help=f"{what} {_FROM_ENVIRONMENT}.")


date_option = click.option(
    "--date",
    "when",
    type=Day(),
    default=None,
    help="Date of the event [default: today, from SOURCE_DATE_EPOCH or the clock].",
)
time_option = click.option(
    "--time",
    metavar="HH:MM",
    type=TimeOfDay(),
    default=None,
    help="Time of day of the event in UTC: orders it against other versions' events of the "
    "same date [default: the time now, from SOURCE_DATE_EPOCH or the clock; none with --date, "
    "and same-day events without times are taken in every possible order].",
)
