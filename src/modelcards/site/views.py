"""What the pages show about models and versions, derived from the resolved catalog.

Pure functions of frozen inputs: the same catalog always gives the same views, and a page
can be rendered from them alone (in any order, or in parallel).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..cards import LifecycleEvent, Metric, MetricInfo, Stage
from ..catalog import Catalog, Model, ModelVersion
from ..metrics import is_worse
from ..queries import previous_version, production, resolve_replacement

Verdict = Literal["better", "worse", "same"]
MetricKey = tuple[str, str | None, str | None, str | None]

# The stage that best describes a model, from the most to the least alive.
STATUS_ORDER = (
    Stage.PRODUCTION, Stage.STAGING, Stage.DEVELOPMENT, Stage.ARCHIVED, Stage.DEPRECATED,
    Stage.RETIRED,
)


def metric_key(metric: Metric) -> MetricKey:
    return metric.name, metric.dataset, metric.split, metric.slice


@dataclass(frozen=True)
class Reading:
    """A metric of one version, compared with the same metric of the version before it."""

    metric: Metric
    label: str
    unit: str | None
    goal: str | None
    previous: float | None

    @property
    def delta(self) -> float | None:
        return None if self.previous is None else self.metric.value - self.previous

    @property
    def verdict(self) -> Verdict | None:
        if self.previous is None or self.goal is None:
            return None
        if self.metric.value == self.previous:
            return "same"
        return "worse" if is_worse(self.goal, self.metric.value, self.previous) else "better"


def reading(metric: Metric, previous: Metric | None, known: Mapping[str, MetricInfo]) -> Reading:
    info = known.get(metric.name)
    return Reading(
        metric=metric,
        label=(info.label if info and info.label else metric.name),
        unit=info.unit if info else None,
        goal=info.goal if info else None,
        previous=previous.value if previous else None,
    )


def compare_metrics(
    version: ModelVersion, previous: ModelVersion | None, known: Mapping[str, MetricInfo]
) -> list[Reading]:
    """Every metric of `version`, each against the same name, dataset, split and slice."""
    before = {metric_key(m): m for m in previous.card.metrics} if previous else {}
    return [reading(m, before.get(metric_key(m)), known) for m in version.card.metrics]


def primary_metric(model: Model, version: ModelVersion) -> Metric | None:
    name = model.card.primary_metric
    return next(
        (m for m in version.card.metrics if m.name == name and m.slice is None), None
    )


def primary_reading(
    model: Model, version: ModelVersion, known: Mapping[str, MetricInfo]
) -> Reading | None:
    """The primary metric, against the previous version on the same dataset and split.

    A version may report it on several datasets; the first one the previous version also
    reports is chosen, so the change shown compares like with like.
    """
    name = model.card.primary_metric
    mine = [m for m in version.card.metrics if m.name == name and m.slice is None]
    if not mine:
        return None
    previous = previous_version(model, version)
    before = {metric_key(m): m for m in previous.card.metrics} if previous else {}
    chosen = next((m for m in mine if metric_key(m) in before), mine[0])
    return reading(chosen, before.get(metric_key(chosen)), known)


@dataclass(frozen=True)
class ModelSummary:
    model: Model
    latest: ModelVersion | None
    production: tuple[ModelVersion, ...]
    status: Stage | None
    primary: Reading | None
    primary_version: ModelVersion | None

    @property
    def stages(self) -> list[str]:
        return sorted({v.stage.value for v in self.model.versions})


def status(model: Model) -> Stage | None:
    stages = {v.stage for v in model.versions}
    return next((stage for stage in STATUS_ORDER if stage in stages), None)


def summarise(model: Model, known: Mapping[str, MetricInfo]) -> ModelSummary:
    live = production(model)
    latest = model.versions[-1] if model.versions else None
    shown = live[0] if live else latest
    return ModelSummary(
        model=model,
        latest=latest,
        production=live,
        status=status(model),
        primary=primary_reading(model, shown, known) if shown else None,
        primary_version=shown,
    )


@dataclass(frozen=True)
class Deprecation:
    """Why a version should no longer be used, and what to use instead."""

    event: LifecycleEvent | None
    replacement: str | None  # a model version reference
    retired: LifecycleEvent | None

    @property
    def sunset(self) -> dt.date | None:
        return self.event.sunset if self.event else None


def deprecation(version: ModelVersion) -> Deprecation | None:
    if version.stage not in (Stage.DEPRECATED, Stage.RETIRED):
        return None
    events = version.card.lifecycle
    deprecated = next((e for e in reversed(events) if e.stage is Stage.DEPRECATED), None)
    replaced_by = deprecated.replaced_by if deprecated else None
    return Deprecation(
        event=deprecated,
        replacement=resolve_replacement(version, replaced_by) if replaced_by else None,
        retired=events[-1] if version.stage is Stage.RETIRED else None,
    )


def aliases_of(model: Model, version: ModelVersion) -> list[str]:
    return sorted(alias for alias, name in model.card.aliases.items() if name == version.version)


def model_of(catalog: Catalog, version: ModelVersion) -> Model:
    return catalog.models[version.model_id]


def metric_series(model: Model) -> dict[str, list[tuple[ModelVersion, Metric]]]:
    """Each metric name with one unsliced value per version that reports it, primary first.

    Versions are often evaluated on different snapshots; each point uses the dataset and
    split most versions share when the version reports it, else the version's first one.
    """
    names: dict[str, None] = {}
    for version in model.versions:
        names.update((m.name, None) for m in version.card.metrics if m.slice is None)
    primary = model.card.primary_metric
    series = {}
    for name in sorted(names, key=lambda n: (n != primary, n)):
        entries = [
            (v, [m for m in v.card.metrics if m.name == name and m.slice is None])
            for v in model.versions
        ]
        counts = Counter((m.dataset, m.split) for _, found in entries for m in found)
        dominant = max(counts, key=lambda key: counts[key])  # first seen wins a tie
        series[name] = [
            (v, next((m for m in found if (m.dataset, m.split) == dominant), found[0]))
            for v, found in entries if found
        ]
    return series
