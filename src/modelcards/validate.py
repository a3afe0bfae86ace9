"""The validator as a library call: load, resolve, check. Nothing here prints."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .cardcache import CardCache
from .catalog import Catalog
from .loading import CatalogFiles, load_catalog
from .problems import Problem, Severity, sort_problems
from .rules import check_catalog
from .rules.placeholders import without_repeats


@dataclass(frozen=True)
class Scope:
    """How much a validation covered: the counts its summary line gives."""

    models: int
    versions: int
    datasets: int


@dataclass(frozen=True)
class Findings:
    """What a validation found and how much it covered: what the reporters print. The site
    build's cache remembers these for the very same files instead of validating again."""

    problems: list[Problem]
    scope: Scope

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def passes(self, *, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


@dataclass(frozen=True)
class ValidationResult(Findings):
    """The findings of a validation, with the catalog it resolved."""

    catalog: Catalog

    @classmethod
    def of(cls, catalog: Catalog, problems: list[Problem]) -> ValidationResult:
        # The cards found, loaded or not: a model whose card fails to parse is still a model
        # the validation covered (and reported on), not "0 models".
        found = catalog.model_ids, catalog.version_refs, catalog.dataset_ids
        return cls(problems, Scope(*(len(ids) for ids in found)), catalog)


def resolve_today(given: dt.date | None = None) -> dt.date:
    """Today for review and sunset checks: given, else SOURCE_DATE_EPOCH, else the clock."""
    if given is not None:
        return given
    epoch = _source_date_epoch()
    return epoch.date() if epoch is not None else dt.date.today()


def resolve_now() -> dt.datetime:
    """The moment in UTC, from the same source as resolve_today: SOURCE_DATE_EPOCH, else the
    clock."""
    epoch = _source_date_epoch()
    return epoch if epoch is not None else dt.datetime.now(dt.timezone.utc)


def _source_date_epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            pass  # an unusable value is ignored, as reproducible-builds.org asks
    return None


def validate_catalog(
    root: Path,
    today: dt.date | None = None,
    cache: CardCache | None = None,
    files: CatalogFiles | None = None,
    card_json: dict[Path, str] | None = None,
) -> ValidationResult:
    """Validate every card under `root` and every reference between them.

    A cache spares parsing files already seen; the result is the same with or without it.
    `files`: the catalog's files, when the caller has read them already; `card_json`: filled
    as load_catalog fills it.
    """
    catalog, problems = load_catalog(root, cache, files, card_json)
    return validated(catalog, problems, check_catalog(catalog, resolve_today(today)))


def validated(catalog: Catalog, loading: list[Problem], rules: list[Problem]) -> ValidationResult:
    """The result of a validation: what loading the catalog found, then what the rules found
    (check_catalog, or the same found incrementally)."""
    return ValidationResult.of(catalog, sort_problems(without_repeats(loading + rules)))
