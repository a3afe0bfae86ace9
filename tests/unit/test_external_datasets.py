"""Readings on datasets outside the catalog (`external_dataset`) and training data outside it
(`training.external_data`): valid cards, compared by their data, shown on the site."""

from __future__ import annotations

import datetime as dt
import textwrap

from modelcards.validate import validate_catalog

from ..helpers.catalogs import BASE, V1, V2, CatalogMaker, edit
from ..helpers.site import site_files

ARC = "external_dataset: {id: ai2_arc, name: ARC, config: ARC-Challenge}"


def on_external_data(v1: float, v2: float) -> dict[str, str | None]:
    """fraud 1.0.0 and 2.0.0 (which replaced it in production) read auc on ARC, not tx."""
    first = textwrap.dedent(BASE[V1]).replace(
        "{name: auc, value: 0.90, dataset: tx@2025-Q3, split: test, ci: [0.89, 0.91]}",
        f"{{name: auc, value: {v1}, split: test, {ARC}}}",
    )
    second = textwrap.dedent(BASE[V2]).replace(
        "{name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
        f"{{name: auc, value: {v2}, split: test, {ARC}}}",
    )
    assert first != textwrap.dedent(BASE[V1]) and second != textwrap.dedent(BASE[V2])
    return {V1: first, V2: second}


def test_readings_on_the_same_external_data_are_gated(make_catalog: CatalogMaker) -> None:
    assert validate_catalog(make_catalog(on_external_data(0.90, 0.91))).errors == []
    errors = validate_catalog(make_catalog(on_external_data(0.90, 0.80))).errors
    assert [(p.code, p.message.split(";")[0]) for p in errors] == [
        (
            "MC041",
            "promotion to production regresses auc on ai2_arc:ARC-Challenge (test) from 0.9 "
            "(fraud@1.0.0, in production before) to 0.8, by 0.1, more than the gate's 0.01",
        )
    ]


def test_a_metric_names_one_dataset_at_most(make_catalog: CatalogMaker) -> None:
    root = make_catalog(
        edit(V2, "dataset: tx@2025-Q3, split: test}", f"dataset: tx@2025-Q3, split: test, {ARC}}}")
    )
    errors = validate_catalog(root).errors
    assert [(p.code, p.line, p.message) for p in errors] == [
        (
            "MC004",
            10,
            "metrics[0]: a metric names at most one of `dataset` (a dataset version in "
            "this catalog) or `external_dataset` (data outside it)",
        )
    ]


def test_the_version_page_shows_external_data(make_catalog: CatalogMaker) -> None:
    files = on_external_data(0.90, 0.91)
    files[V2] = (files[V2] or "").replace(
        "  data: [tx@2025-Q4]", "  data: [tx@2025-Q4]\n  external_data: [{id: wikipedia}]"
    )
    page = site_files(make_catalog(files), dt.date(2026, 11, 26))["models/fraud/2.0.0/index.html"]
    html = page.decode("utf-8")
    assert (
        '<span class="external-data">ARC <span class="small muted">(<code>'
        "ai2_arc:ARC-Challenge</code>, outside the catalog)</span></span>"
    ) in html
    assert (
        'tx@2025-Q4</a>, <span class="external-data">wikipedia <span class="small muted">'
        "(<code>wikipedia</code>, outside the catalog)</span></span></dd>"
    ) in html
