"""The compare page's data: what Python decides (comparison keys, the reading, settings,
leaderboards) so the browser only lines up equal keys. The page itself runs in
tests/browser/test_browser.py."""

from __future__ import annotations

import json
from typing import Any

from modelcards.loading import load_catalog
from modelcards.queries import comparable, comparison_key
from modelcards.site.changes import card_changes, card_settings

from ..helpers.catalogs import RANKED, CatalogMaker, edit
from ..helpers.site import site_files


def loaded(script: bytes) -> Any:
    """The JSON a data script assigns."""
    text = script.decode()
    assert text.endswith(";\n")
    return json.loads(text.split("] = ", 1)[1][:-2])


def test_each_reading_carries_the_one_comparison_key(make_catalog: CatalogMaker) -> None:
    root = make_catalog(RANKED)
    catalog, _ = load_catalog(root)
    data = loaded(site_files(root)["models/fraud/compare.js"])
    assert data["id"] == "fraud" and data["task"] == "tabular-classification"
    assert [v["version"] for v in data["versions"]] == ["1.0.0", "2.0.0"]
    two = data["versions"][1]
    card = catalog.versions["fraud@2.0.0"].card
    assert [r["key"] for r in two["readings"]] == [
        list(k) if (k := comparison_key(m)) else None for m in card.metrics
    ]
    assert [r["key"] for r in two["readings"]] == [
        ["auc", "tx@2025-Q3", "test"],
        ["auc", "tx@2025-Q4", "test"],
        None,
        ["log_loss", "tx@2025-Q4", "test"],
        ["auc", "tx@2025-Q4", "validation"],
    ]
    assert [r["reading"] for r in two["readings"]] == [True, False, False, False, False]
    assert (
        two["readings"][2]["board"]
        == "datasets/tx/leaderboards/2025-Q4.html#test~auc~new_20merchants"
    )
    assert data["metrics"]["log_loss"] == {"label": "Log loss", "goal": "minimize", "unit": None}
    # the keys the page lines up are exactly the pairs queries.comparable makes
    one = data["versions"][0]
    pairs = {tuple(r["key"]) for r in two["readings"] if r["key"]} & {
        tuple(r["key"]) for r in one["readings"] if r["key"]
    }
    new, old = catalog.versions["fraud@2.0.0"], catalog.versions["fraud@1.0.0"]
    assert pairs == {comparison_key(m) for m, _ in comparable(new, old, "auc")}
    assert two["stage"] == "production" and two["traffic"] is None  # the only one: all of it
    assert [e["stage"] for e in two["lifecycle"]] == ["staging", "production"]
    assert two["lifecycle"][1]["approved_by"] == ["carol"]


def test_settings_are_the_rows_what_changed_diffs_plus_the_artifacts(
    make_catalog: CatalogMaker,
) -> None:
    hyper = edit(
        "models/fraud/2.0.0.yaml",
        "  data: [tx@2025-Q4]",
        "  data: [tx@2025-Q4]\n  seed: 7\n  hyperparameters: {depth: 6, eta: 0.1}",
    )
    catalog, problems = load_catalog(make_catalog(hyper))
    assert problems == []
    old, new = (catalog.versions[r].card for r in ("fraud@1.0.0", "fraud@2.0.0"))
    rows = card_settings(new)
    assert ("Hyperparameters", "depth", "6") in rows and ("Setup", "seed", "7") in rows
    assert ("Artifacts", "model.onnx uri", "s3://m/fraud/2.0.0/model.onnx") in rows
    assert any(r[0] == "Artifacts" and r[1] == "model.onnx sha256" for r in rows)
    before = {(a, n): v for a, n, v in card_settings(old) if a != "Artifacts"}
    after = {(a, n): v for a, n, v in rows if a != "Artifacts"}
    differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert differing == {(c.section, c.name) for c in card_changes(new, old)}


def test_the_task_index_lists_the_models_of_its_task(make_catalog: CatalogMaker) -> None:
    moved = edit("models/small/model.yaml", "task: tabular-classification", "task: edge scoring")
    site = site_files(make_catalog(moved))
    index = site["compare/tabular-classification/models.js"].decode()
    assert index.startswith(
        "(window.MODELCARDS_COMPARE_MODELS = window.MODELCARDS_COMPARE_MODELS "
        '|| {})["tabular-classification"] = '
    )
    assert [m["id"] for m in loaded(site["compare/tabular-classification/models.js"])] == ["fraud"]
    assert loaded(site["compare/edge_20scoring/models.js"]) == [
        {
            "id": "small",
            "name": "Small fraud detector",
            "data": "models/small/compare.js",
            "versions": 1,
        }
    ]
    page = site["models/fraud/index.html"].decode()
    assert 'action="../../compare/tabular-classification/index.html"' in page
    version = site["models/fraud/2.0.0/index.html"].decode()
    assert (
        'href="../../../compare/tabular-classification/index.html?a=fraud%401.0.0&amp;'
        'b=fraud%402.0.0"'
    ) in version
