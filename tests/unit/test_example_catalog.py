"""The example catalog is realistic and clean: it is what new users see first."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from modelcards.cards import Stage
from modelcards.validate import ValidationResult, validate_catalog

from ..helpers.catalogs import EXAMPLE_CATALOG


@pytest.fixture(scope="module")
def result() -> ValidationResult:
    return validate_catalog(EXAMPLE_CATALOG, dt.date(2026, 11, 26))


def test_validates_clean_even_when_strict(result: ValidationResult) -> None:
    assert result.problems == []


def test_has_the_size_of_a_real_catalog(result: ValidationResult) -> None:
    catalog = result.catalog
    assert len(catalog.models) >= 5
    assert len(catalog.versions) >= 20
    assert len(catalog.datasets) >= 3


def test_uses_every_stage_and_lineage_across_models(result: ValidationResult) -> None:
    catalog = result.catalog
    reached = {event.stage for v in catalog.versions.values() for event in v.card.lifecycle}
    assert reached == set(Stage)
    relations = {edge.relation.value for edge in catalog.lineage}
    assert {"fine-tuned", "distilled", "retrained"} <= relations
    across = [
        e
        for e in catalog.lineage
        if not e.external and e.child.split("@")[0] != e.parent.split("@")[0]
    ]
    assert across


def test_has_retired_deprecated_canary_aliases_and_drift(result: ValidationResult) -> None:
    catalog = result.catalog
    current = Counter(v.stage for v in catalog.versions.values())
    assert current[Stage.RETIRED] >= 1
    deprecated = [v for v in catalog.versions.values() if v.stage is Stage.DEPRECATED]
    assert len(deprecated) >= 2
    assert all(v.card.lifecycle[-1].replaced_by for v in deprecated)
    canaries = [
        m
        for m in catalog.models.values()
        if sum(v.stage is Stage.PRODUCTION for v in m.versions) == 2
    ]
    assert canaries
    assert any(m.card.aliases for m in catalog.models.values())
    drift = [
        o
        for v in catalog.versions.values()
        if v.card.monitoring
        for o in v.card.monitoring.observations
        if o.threshold is not None
    ]
    assert drift
