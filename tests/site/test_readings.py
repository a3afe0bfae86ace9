"""One version, one number: the reading of a metric is defined once, and every page, chart,
export and the pull-request summary show that one, naming its dataset version and split."""

from __future__ import annotations

import json
import re
import textwrap

from modelcards.validate import validate_catalog

from ..helpers.catalogs import BASE, V2, CatalogMaker, M, edit
from ..helpers.site import TODAY, site_files, text

# 2.0.0 reports auc on its own new snapshot first, and on 1.0.0's snapshot to compare.
TWO_READINGS = edit(
    V2,
    "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
    "  - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test}\n"
    "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
)


def edits(name: str, *changes: tuple[str, str]) -> dict[str, str | None]:
    """BASE with several changes to one card."""
    text = textwrap.dedent(BASE[name])
    for old, new in changes:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    return {name: text}


def row(page: str, model: str) -> str:
    return text(page.split(f'data-model="{model}"')[1].split("</tr>")[0].encode())


def test_every_view_shows_the_one_reading(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog(TWO_READINGS))
    home = files["index.html"].decode()
    assert row(home, "fraud").endswith("ROC AUC: 0.93 on tx@2025-Q4 (test) (2.0.0) production")
    history = text(files["models/fraud/index.html"])
    assert (
        "2.0.0 production 2026-01-05 0.93 tx@2025-Q4 (test) +0.01 (better) vs 1.0.0 on "
        "tx@2025-Q3 (test) Retrained on Q4 data."
    ) in history
    assert "1.0.0 deprecated 2025-10-05 0.9 tx@2025-Q3 (test) — First model." in history
    catalog = json.loads(files["api/catalog.json"])
    fraud = next(m for m in catalog["models"] if m["id"] == "fraud")
    assert fraud["reading"] == {
        "version": "2.0.0",
        "metric": "auc",
        "value": 0.93,
        "dataset": "tx@2025-Q4",
        "split": "test",
    }
    v2 = next(v for v in catalog["versions"] if v["ref"] == "fraud@2.0.0")
    assert v2["reading"] == {
        "version": "2.0.0",
        "metric": "auc",
        "value": 0.93,
        "dataset": "tx@2025-Q4",
        "split": "test",
    }


def test_a_model_chooses_which_entry_is_the_reading(make_catalog: CatalogMaker) -> None:
    chosen = edit(M, "primary_metric: auc", "primary_metric: auc\nreading: {dataset: tx@2025-Q3}")
    home = site_files(make_catalog(TWO_READINGS | chosen))["index.html"].decode()
    assert row(home, "fraud").endswith("ROC AUC: 0.91 on tx@2025-Q3 (test) (2.0.0) production")
    none = edit(M, "primary_metric: auc", "primary_metric: auc\nreading: {split: validation}")
    files = site_files(make_catalog(TWO_READINGS | none))
    assert row(files["index.html"].decode(), "fraud").endswith("— production")
    assert "2.0.0 production 2026-01-05 — — Retrained" in text(files["models/fraud/index.html"])


def test_a_change_is_only_between_comparable_readings(make_catalog: CatalogMaker) -> None:
    # 2.0.0 reports auc on tx@2025-Q4 only, 1.0.0 on tx@2025-Q3: nothing to compare with.
    files = site_files(
        make_catalog(
            edits(
                V2,
                ("value: 0.91, dataset: tx@2025-Q3", "value: 0.91, dataset: tx@2025-Q4"),
                ("approved_by: [carol]}", "approved_by: [carol], override: New test set}"),
            )
        )
    )
    history = text(files["models/fraud/index.html"])
    assert "2.0.0 production 2026-01-05 0.91 tx@2025-Q4 (test) — Retrained" in history
    version = text(files["models/fraud/2.0.0/index.html"])
    assert "ROC AUC (higher is better) 0.91 — tx@2025-Q4 test — —" in version


def test_a_lower_error_rate_is_better(make_catalog: CatalogMaker) -> None:
    wer = {
        **edit(M, "primary_metric: auc", "primary_metric: wer"),
        **edit(
            BASE_V1,
            "{name: auc, value: 0.90, dataset: tx@2025-Q3, split: test, ci: [0.89, 0.91]}",
            "{name: wer, value: 0.126, dataset: tx@2025-Q3, split: test}",
        ),
        **edit(V2, "{name: auc, value: 0.91,", "{name: wer, value: 0.114,"),
        **edit(
            "catalog.yaml", "gates:\n    - {metric: primary, max_regression: 0.01}\n", "gates: []\n"
        ),
    }
    files = site_files(make_catalog(wer))
    assert "0.114% tx@2025-Q3 (test) -0.012 (better) vs 1.0.0" in text(
        files["models/fraud/index.html"]
    )
    assert (
        "Word error rate (lower is better) 0.114% — tx@2025-Q3 test 0.126 (1.0.0) -0.012 (better)"
        in text(files["models/fraud/2.0.0/index.html"])
    )


BASE_V1 = "models/fraud/1.0.0.yaml"
V3 = (
    textwrap.dedent(BASE[V2])
    .replace('"2.0.0"', '"3.0.0"')
    .replace("fraud@1.0.0, relation", "fraud@2.0.0, relation")
    .replace("2026-01-20", "2026-02-20")
    .replace("2026-01-05", "2026-02-05")
    .replace(
        "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
        "  - {name: auc, value: 0.92, dataset: tx@2025-Q3, split: test}\n"
        "  - {name: auc, value: 0.915, dataset: tx@2025-Q4, split: test}",
    )
)


def test_each_metric_is_compared_with_the_nearest_version_that_reports_it(
    make_catalog: CatalogMaker,
) -> None:
    # 2.0.0 has no reading on tx@2025-Q3; 3.0.0's is compared with 1.0.0's.
    v2 = (
        textwrap.dedent(BASE[V2])
        .replace("value: 0.91, dataset: tx@2025-Q3", "value: 0.91, dataset: tx@2025-Q4")
        .replace(
            "approved_by: [carol]}",
            "approved_by: [carol], override: New test set}\n"
            "  - {stage: archived, date: 2026-02-20, by: bob}",
        )
    )
    files = {
        V2: v2,
        "models/fraud/3.0.0.yaml": V3,
        **edit(M, 'champion: "2.0.0"', 'champion: "3.0.0"'),
    }
    site = site_files(make_catalog(files))
    version = text(site["models/fraud/3.0.0/index.html"])
    assert "ROC AUC (higher is better) 0.92 — tx@2025-Q3 test 0.9 (1.0.0) +0.02 (better)" in version


def test_a_metric_reported_twice_on_one_place_is_an_error(make_catalog: CatalogMaker) -> None:
    twice = edit(
        V2,
        "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
        "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}\n"
        "  - {name: auc, value: 0.92, dataset: tx@2025-Q3, split: test}",
    )
    result = validate_catalog(make_catalog(twice), TODAY)
    assert [(p.code, p.line, p.message) for p in result.problems] == [
        (
            "MC046",
            11,
            "metrics[1] reports auc on tx@2025-Q3 (test) again (metrics[0] has 0.91): a version has "
            "one value per metric, dataset version, split and slice; keep one, or name the slice "
            "each measures",
        )
    ]


def test_charts_draw_one_series_per_dataset_version_and_split(make_catalog: CatalogMaker) -> None:
    page = site_files(make_catalog(TWO_READINGS))["models/fraud/index.html"].decode()
    chart = re.search(r'<svg[^>]*class="mc-chart mc-metric-chart".*?</svg>', page, re.S)
    assert chart is not None
    svg = chart.group(0)
    # tx@2025-Q3: 1.0.0 and 2.0.0, a line of circles; tx@2025-Q4: 2.0.0 alone, a square.
    plot, legend_part = svg.split('<g class="mc-legend">')
    assert plot.count("<polyline") == 1
    assert plot.count('<circle class="mc-point"') == 2 and plot.count('<rect class="mc-point"') == 1
    assert legend_part.count("<circle") == 1 and legend_part.count("<rect") == 1
    legend = re.findall(r'<text class="mc-legend-label"[^>]*>([^<]*)</text>', svg)
    assert legend == ["tx@2025-Q3 (test)", "tx@2025-Q4 (test)"]
    assert "ROC AUC</text>" in svg


def test_the_reading_setting_names_a_dataset_that_exists(make_catalog: CatalogMaker) -> None:
    for named, message in (
        (
            "txs",
            "reading names no known dataset: there is no datasets/txs.yaml (did you mean 'tx'?)",
        ),
        ("tx@2024-Q1", "dataset 'tx' has no version '2024-Q1'; its versions are: 2025-Q3, 2025-Q4"),
    ):
        chosen = edit(
            M, "primary_metric: auc", f"primary_metric: auc\nreading: {{dataset: {named}}}"
        )
        result = validate_catalog(make_catalog(chosen), TODAY)
        assert [(p.code, p.line, p.message) for p in result.problems] == [("MC021", 6, message)]
