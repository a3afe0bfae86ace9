"""The rules over one catalog after another, working out again only what an edit can change.

`modelcards serve` validates the catalog after every edit, and every rule over 10,000 version
cards costs about a second. The findings of a version's `per_version` checks depend on its
card and the context only, those of a model's `per_model` checks on its card, its versions'
cards and the context (rules/__init__.py); the context is catalog.yaml, today, the ids and
references that exist and the dataset cards. So those findings are kept, by the card objects
they were worked out from (the loader hands back the very same object for unchanged bytes),
and reused while the context is the same; the `whole` checks run every time. The result is
what check_catalog finds, problem for problem (tests/unit/test_rules_incremental.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

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
        context = RuleContext.build(catalog, today)
        found = place([p for family in FAMILIES for p in family.whole(context)], catalog)
        versions: dict[str, tuple[ModelVersion, list[Problem]]] = {}
        for ref, version in catalog.versions.items():
            kept = self._versions.get(ref)
            if kept is None or not same_version(kept[0], version):
                fresh = [p for family in FAMILIES for p in family.per_version(context, version)]
                kept = (version, place(fresh, catalog))
            versions[ref] = kept
            found += kept[1]
        models: dict[str, tuple[Model, list[Problem]]] = {}
        for model in catalog.models.values():
            memo = self._models.get(model.id)
            if memo is None or not same_cards(memo[0], model):
                fresh = [p for family in FAMILIES for p in family.per_model(context, model)]
                memo = (model, place(fresh, catalog))
            models[model.id] = memo
            found += memo[1]
        self._versions, self._models = versions, models
        return found
