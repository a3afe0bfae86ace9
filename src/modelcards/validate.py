"""The validator as a library call: load, resolve, check. Nothing here prints."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .cardcache import CardCache
from .catalog import Catalog, load_catalog
from .problems import Problem, Severity, sort_problems
from .rules import check_catalog


@dataclass(frozen=True)
class ValidationResult:
    catalog: Catalog
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def passes(self, *, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def resolve_today(given: dt.date | None = None) -> dt.date:
    """Today for review and sunset checks: given, else SOURCE_DATE_EPOCH, else the clock."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            pass  # an unusable value is ignored, as reproducible-builds.org asks
    return dt.date.today()


def validate_catalog(
    root: Path, today: dt.date | None = None, cache: CardCache | None = None
) -> ValidationResult:
    """Validate every card under `root` and every reference between them.

    A cache spares parsing files already seen; the result is the same with or without it.
    """
    catalog, problems = load_catalog(root, cache)
    problems += check_catalog(catalog, resolve_today(today))
    return ValidationResult(catalog, sort_problems(problems))
