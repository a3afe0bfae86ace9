"""The rules over one catalog after another, working out again only what an edit can change.

`modelcards serve` validates the catalog after every edit, and every rule over 10,000 version
cards costs about a second. The findings of a version's `per_version` checks depend on its
card and the context only, those of a model's `per_model` checks on its card, its versions'
cards and the context (rules/__init__.py); the context is catalog.yaml, today, the ids and
references that exist and the dataset cards. So those findings are kept, by the card objects
they were worked out from (the loader hands back the very same object for unchanged bytes),
and reused while the context is the same; the `whole` checks run every time. The result is
what check_catalog finds, problem for problem (tests/unit/test_rules_incremental.py).

A build does the same from one process to the next (`check_remembering`): the findings are
kept in its signed cache by digests of the cards' names and texts and of the context
(`RuleMemo`), so a publish after one edit checks again only that card's version and model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from ..cards import CatalogSettings, DatasetCard
from ..catalog import Catalog, Model, ModelVersion, same_cards, same_version
from ..problems import Problem
from . import FAMILIES
from .context import RuleContext, place


@dataclass(frozen=True)
class _Context:
    """Everything besides its own cards that a version's or a model's findings read."""

    settings: CatalogSettings
    today: dt.date
    model_ids: frozenset[str]
    dataset_ids: frozenset[str]
    version_refs: frozenset[str]
    datasets: Mapping[str, DatasetCard]

    @classmethod
    def of(cls, catalog: Catalog, today: dt.date) -> _Context:
        datasets = {key: found.card for key, found in catalog.datasets.items()}
        return cls(
            catalog.settings,
            today,
            catalog.model_ids,
            catalog.dataset_ids,
            catalog.version_refs,
            datasets,
        )


@dataclass(frozen=True)
class ScopedFindings:
    """What the rules found, by the scope that found it."""

    whole: list[Problem]
    versions: dict[str, list[Problem]]  # by version reference, in the catalog's order
    models: dict[str, list[Problem]]  # by model id, in the catalog's order

    def all(self) -> list[Problem]:
        """Every problem, in the order check_catalog's families give them scope by scope."""
        return [*self.whole, *chain(*self.versions.values()), *chain(*self.models.values())]


def check_scoped(
    catalog: Catalog,
    today: dt.date,
    kept_version: Callable[[ModelVersion], list[Problem] | None],
    kept_model: Callable[[Model], list[Problem] | None],
) -> ScopedFindings:
    """check_catalog, taking the findings of each version and model that `kept_*` still
    has (they must come from the same cards, in the same context) instead of checking."""
    context = RuleContext.build(catalog, today)
    whole = place([p for family in FAMILIES for p in family.whole(context)], catalog)

    def checked(scope: str) -> Callable[[Any], list[Problem]]:
        return lambda card: place(
            [p for family in FAMILIES for p in getattr(family, scope)(context, card)], catalog
        )

    versions = _each(catalog.versions, kept_version, checked("per_version"))
    models = _each(catalog.models, kept_model, checked("per_model"))
    return ScopedFindings(whole, versions, models)


Card = TypeVar("Card", ModelVersion, Model)


def _each(
    items: Mapping[str, Card],
    kept: Callable[[Card], list[Problem] | None],
    check: Callable[[Card], list[Problem]],
) -> dict[str, list[Problem]]:
    """The findings of each item: those kept for it, else those `check` finds."""
    found: dict[str, list[Problem]] = {}
    for key, item in items.items():
        known = kept(item)
        found[key] = check(item) if known is None else known
    return found


@dataclass
class IncrementalCheck:
    """check_catalog, for a sequence of catalogs (one `serve` session)."""

    _context: _Context | None = None
    # version reference -> (the version, its placed findings)
    _versions: dict[str, tuple[ModelVersion, list[Problem]]] = field(default_factory=dict)
    _models: dict[str, tuple[Model, list[Problem]]] = field(default_factory=dict)

    def check(self, catalog: Catalog, today: dt.date) -> list[Problem]:
        """Every problem check_catalog(catalog, today) finds, in its order."""
        known = _Context.of(catalog, today)
        if known != self._context:
            self._versions.clear()
            self._models.clear()
            self._context = known
        found = check_scoped(catalog, today, self._kept_version, self._kept_model)
        self._versions = {ref: (catalog.versions[ref], p) for ref, p in found.versions.items()}
        self._models = {key: (catalog.models[key], p) for key, p in found.models.items()}
        return found.all()

    def _kept_version(self, version: ModelVersion) -> list[Problem] | None:
        kept = self._versions.get(version.ref)
        return kept[1] if kept is not None and same_version(kept[0], version) else None

    def _kept_model(self, model: Model) -> list[Problem] | None:
        kept = self._models.get(model.id)
        return kept[1] if kept is not None and same_cards(kept[0], model) else None


# ---- from one build to the next ------------------------------------------------------------


@dataclass(frozen=True)
class RuleMemo:
    """The findings of each version's and each model's checks, with the digest of the cards
    they were worked out from, and the digest of the context they share (`context_digest`)."""

    context: str
    versions: dict[str, tuple[str, list[Problem]]]  # reference -> (card digest, findings)
    models: dict[str, tuple[str, list[Problem]]]  # id -> (digest of its cards, findings)


def check_remembering(
    catalog: Catalog, today: dt.date, digests: Mapping[Path, str], memo: RuleMemo | None
) -> tuple[list[Problem], RuleMemo]:
    """check_catalog, taking the findings `memo` has for cards whose digests (`digests`: card
    file -> digest of its name and text) are unchanged in an unchanged context; and the memo
    of this check, for the next. A card without a digest is always checked."""
    context = context_digest(catalog, today, digests)
    usable = memo if memo is not None and memo.context == context else None

    def version_key(version: ModelVersion) -> str:
        return digests.get(version.path, "")

    def model_key(model: Model) -> str:
        parts = [digests.get(model.path, ""), *map(version_key, model.versions)]
        return "" if "" in parts else _digest(parts)

    def kept(
        table: Mapping[str, tuple[str, list[Problem]]], name: str, key: str
    ) -> list[Problem] | None:
        found = table.get(name)
        return found[1] if found is not None and key and found[0] == key else None

    found = check_scoped(
        catalog,
        today,
        lambda v: kept(usable.versions, v.ref, version_key(v)) if usable else None,
        lambda m: kept(usable.models, m.id, model_key(m)) if usable else None,
    )
    remembered = RuleMemo(
        context,
        {ref: (version_key(catalog.versions[ref]), p) for ref, p in found.versions.items()},
        {key: (model_key(catalog.models[key]), p) for key, p in found.models.items()},
    )
    return found.all(), remembered


def context_digest(catalog: Catalog, today: dt.date, digests: Mapping[Path, str]) -> str:
    """A digest of what _Context holds (what a version's or a model's findings read besides
    its own cards), and of the catalog folder as named: findings name their files by it."""
    settings = catalog.sources.get(catalog.settings_path) if catalog.settings_path else None
    return _digest(
        [
            str(catalog.root),
            today.isoformat(),
            "settings",
            settings.text if settings is not None else "-",
            "models",
            *sorted(catalog.model_ids),
            "datasets",
            *sorted(catalog.dataset_ids),
            "versions",
            *sorted(catalog.version_refs),
            "dataset cards",
            *(digests.get(catalog.datasets[key].path, "-") for key in sorted(catalog.datasets)),
        ]
    )


def _digest(parts: list[str]) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()
