"""The command line: click only. Each command wires options to the library and maps the
result to an exit code (0 success, 1 invalid catalog or failed check, 2 usage or path errors)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import __version__
from .reporters import REPORTERS
from .schema import write_schemas
from .validate import validate_catalog

DEFAULT_CATALOG = Path("catalog")

class PathError(click.ClickException):
    """A path that cannot be read or written: exit 2, like a usage error."""

    exit_code = 2


catalog_argument = click.argument(
    "catalog",
    required=False,
    default=DEFAULT_CATALOG,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="modelcards")
def cli() -> None:
    """A git repository as a model registry: validate the cards, build the catalog site."""


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@cli.command()
@catalog_argument
@click.option(
    "--format", "output_format", type=click.Choice(sorted(REPORTERS)), default=None,
    help="Output format [default: github under GitHub Actions, else text].",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="The date reviews and sunsets are judged against "
    "[default: SOURCE_DATE_EPOCH, else the clock].",
)
def validate(
    catalog: Path, output_format: str | None, strict: bool, today: dt.datetime | None
) -> None:
    """Check every card in CATALOG (default ./catalog) and every reference between cards.

    Exits 0 when the catalog is valid, 1 when it is not, 2 on usage errors.
    """
    result = validate_catalog(catalog, today.date() if today else None)
    REPORTERS[output_format or _default_format()](result, sys.stdout, strict)
    sys.exit(0 if result.passes(strict=strict) else 1)


@cli.command()
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"),
    show_default=True, help="Folder to write the schemas into.",
)
def schema(output: Path) -> None:
    """Write the JSON Schemas (draft 2020-12) of catalog.yaml and the three card kinds."""
    try:
        written = write_schemas(output)
    except OSError as error:
        raise PathError(f"cannot write schemas into {output}: {error.strerror}") from None
    for path in written:
        click.echo(f"wrote {path}")


def main() -> None:
    cli(prog_name="modelcards")
