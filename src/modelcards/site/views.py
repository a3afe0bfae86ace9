"""What the pages show about models and versions, derived from the resolved catalog.

Pure functions of frozen inputs: the same catalog always gives the same views, and a page
can be rendered from them alone (in any order, or in parallel).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..cards import LifecycleEvent, Metric, MetricInfo, Stage
from ..catalog import Catalog, Model, ModelVersion
from ..metrics import is_worse
from ..queries import (
    GONE,
    Change,
    deprecation_event,
    earlier_reading,
    place,
    production,
    reading,
    reading_change,
    replacement_chain,
    traffic_share,
)
from ..semver import is_prerelease

Verdict = Literal["better", "worse", "same"]

# The stage that best describes a model, from the most to the least alive.
STATUS_ORDER = (
    Stage.PRODUCTION,
    Stage.STAGING,
    Stage.DEVELOPMENT,
    Stage.ARCHIVED,
    Stage.DEPRECATED,
    Stage.RETIRED,
)


LIVE = frozenset({Stage.DEVELOPMENT, Stage.STAGING, Stage.PRODUCTION})  # versions in use


def verdict(goal: str | None, change: Change | None) -> Verdict | None:
    """Whether a change is better or worse, by the metric's goal (None when unknown)."""
    if change is None or goal is None:
        return None
    if change.metric.value == change.before.value:
        return "same"
    return "worse" if is_worse(goal, change.metric.value, change.before.value) else "better"


@dataclass(frozen=True)
class Reading:
    """A metric of one version as a page shows it: its value and where it was measured, and
    its change from an earlier version on the same dataset version and split."""

    metric: Metric
    label: str
    unit: str | None
    goal: str | None
    change: Change | None = None

    @property
    def place(self) -> str:
        return place(self.metric)

    @property
    def previous(self) -> float | None:
        return self.change.before.value if self.change else None

    @property
    def delta(self) -> float | None:
        return self.change.delta if self.change else None

    @property
    def verdict(self) -> Verdict | None:
        return verdict(self.goal, self.change)

    @property
    def compared_elsewhere(self) -> bool:
        """Whether the change was measured on another place than the value shown."""
        return self.change is not None and self.change.metric is not self.metric


def shown(metric: Metric, change: Change | None, known: Mapping[str, MetricInfo]) -> Reading:
    info = known.get(metric.name)
    return Reading(
        metric=metric,
        label=(info.label if info and info.label else metric.name),
        unit=info.unit if info else None,
        goal=info.goal if info else None,
        change=change,
    )


def compare_metrics(
    model: Model, version: ModelVersion, known: Mapping[str, MetricInfo]
) -> list[Reading]:
    """Every metric of `version`, each against the nearest earlier version reporting it on
    the same dataset version, split and slice."""
    return [shown(m, earlier_reading(model, version, m), known) for m in version.card.metrics]


def primary_reading(
    model: Model, version: ModelVersion, known: Mapping[str, MetricInfo]
) -> Reading | None:
    """The version's reading of the primary metric (queries.reading), with its change from
    the previous comparable version (queries.reading_change)."""
    found = reading(model, version)
    if found is None:
        return None
    return shown(found, reading_change(model, version), known)


@dataclass(frozen=True)
class ModelSummary:
    model: Model
    latest: ModelVersion | None
    production: tuple[ModelVersion, ...]
    status: Stage | None
    primary: Reading | None
    primary_version: ModelVersion | None
    traffic: Mapping[str, float]  # version reference -> share, when production is split

    @property
    def stages(self) -> list[str]:
        return sorted({v.stage.value for v in self.model.versions})

    @property
    def current_stages(self) -> list[str]:
        """The stages the model is in now: those of its versions in use (development, staging,
        production); a model with none in use is in its status alone (archived, deprecated or
        retired). An old deprecated version does not make a model in production deprecated."""
        live = {v.stage for v in self.model.versions if v.stage in LIVE}
        if not live:
            return [self.status.value] if self.status else []
        return [stage.value for stage in Stage if stage in live]

    @property
    def latest_release(self) -> ModelVersion | None:
        """The newest version that is not a pre-release."""
        return next(
            (v for v in reversed(self.model.versions) if not is_prerelease(v.version)), None
        )

    @property
    def prerelease(self) -> ModelVersion | None:
        """The newest version when it is a pre-release (newer than the latest release)."""
        return self.latest if self.latest and is_prerelease(self.latest.version) else None


def status(model: Model) -> Stage | None:
    stages = {v.stage for v in model.versions}
    return next((stage for stage in STATUS_ORDER if stage in stages), None)


def split_traffic(model: Model, live: tuple[ModelVersion, ...]) -> dict[str, float]:
    """Each production version's share of traffic, when production is split between versions
    (or its one version states less than all of it); empty when one version takes it all."""
    shares = {v.ref: traffic_share(model, v) for v in live}
    if len(live) < 2 and all(share is None or share >= 100 for share in shares.values()):
        return {}
    return {ref: share for ref, share in shares.items() if share is not None}


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
        traffic=split_traffic(model, live),
    )


@dataclass(frozen=True)
class Deprecation:
    """Why a version should no longer be used, and what to use instead."""

    event: LifecycleEvent | None
    replacement: str | None  # the version its deprecation names
    retired: LifecycleEvent | None
    current: str | None = None  # where the replacements lead now: a version still in use
    since: Stage | None = None  # the named replacement's stage, when it is gone since

    @property
    def sunset(self) -> dt.date | None:
        return self.event.sunset if self.event else None


def deprecation(catalog: Catalog, version: ModelVersion) -> Deprecation | None:
    """The deprecation in force, and the replacement users are sent to now: the one its
    event names, or, when that one was deprecated or retired since, the end of the chain of
    replacements (queries.replacement_chain)."""
    found = deprecation_event(version)
    if found is None:
        if version.stage is not Stage.RETIRED:
            return None
        return Deprecation(None, None, version.card.lifecycle[-1])
    event = found[1]
    chain = replacement_chain(catalog, version)
    named = catalog.versions.get(chain.first) if chain else None
    current = chain.current if chain else None
    return Deprecation(
        event=event,
        replacement=chain.first if chain else None,
        retired=version.card.lifecycle[-1] if version.stage is Stage.RETIRED else None,
        current=current.ref if current else None,
        since=named.stage if named is not None and named.stage in GONE else None,
    )


def aliases_of(model: Model, version: ModelVersion) -> list[str]:
    return sorted(alias for alias, name in model.card.aliases.items() if name == version.version)
