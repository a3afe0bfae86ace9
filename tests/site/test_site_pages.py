"""What each page shows, for the small BASE catalog (exact texts a reader relies on)."""

from __future__ import annotations

import json
import re
import textwrap

from ..helpers.catalogs import BASE, V1, V2, CatalogMaker, edit
from ..helpers.site import links, site_files, text


def test_home_lists_every_model_with_filters(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog())
    page = files["index.html"].decode()
    assert '<option value="Edge ML">Edge ML (1)</option>' in page
    assert '<option value="Risk ML">Risk ML (1)</option>' in page
    stages = re.search(r'<select id="filter-stage".*?</select>', page, re.S)
    assert stages is not None
    # Each model's current stages: fraud is in production (its 1.0.0 deprecated is history).
    assert re.findall(r'<option value="(\w+)">', stages.group(0)) == ["development", "production"]
    row = text(
        page.split('data-model="fraud"')[1].split('<th scope="row">')[1].split("</tr>")[0].encode()
    )
    assert row == (
        "Fraud detector fraud Scores card transactions for fraud. Risk ML tabular-classification "
        "2.0.0 2.0.0 ROC AUC: 0.91 on tx@2025-Q3 (test) (2.0.0) production"
    )
    assert "2 models · 1 dataset · what needs attention" in text(files["index.html"])
    index = files["assets/search-index.js"].decode()
    assert index.startswith("window.MODELCARDS_SEARCH = {") and index.endswith("};\n")
    rows = json.loads(index.removeprefix("window.MODELCARDS_SEARCH = ").removesuffix(";\n"))
    assert [row["id"] for row in rows["models"]] == ["fraud", "small"]  # by name
    assert rows["models"][0] == {
        "id": "fraud",
        "name": "Fraud detector",
        "href": "models/fraud/index.html",
        "summary": "Scores card transactions for fraud.",
        "owners": ["Risk ML"],
        "task": "tabular-classification",
        "tags": [],
        "latest": ["2.0.0", "models/fraud/2.0.0/index.html"],
        "released": "2026-01-05",
        "pre": None,
        "live": [["2.0.0", "models/fraud/2.0.0/index.html", None]],
        "primary": ["ROC AUC", "0.91", "tx@2025-Q3 (test)", "2.0.0", -0.91],
        "status": "production",
        "stages": ["production"],
        "text": "1.0.0 2.0.0 champion Transactions tx@2025-Q3 tx@2025-Q4",
    }


def test_datasets_page_lists_every_dataset(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog())
    assert (
        "Used by Transactions tx Card transactions with labels. Data team 2 2025-Q4 "
        "2026-01-02 2 model versions of 1 model" in text(files["datasets/index.html"])
    )
    assert (
        'href="../datasets/index.html" aria-current="page">Datasets</a>'
        in files["datasets/index.html"].decode()
    )
    assert (
        '<a href="../../datasets/index.html">Datasets</a>'
        in files["datasets/tx/index.html"].decode()
    )  # the breadcrumb


def test_model_page_history_change_and_banner(make_catalog: CatalogMaker) -> None:
    page = site_files(make_catalog())["models/fraud/index.html"]
    shown = text(page)
    assert (
        "2.0.0 production 2026-01-05 0.91 tx@2025-Q3 (test) +0.01 (better) vs 1.0.0 Retrained on "
        "Q4 data. 1.0.0 deprecated 2025-10-05 0.9 tx@2025-Q3 (test) — First model."
    ) in shown
    assert (
        "fraud@1.0.0 is deprecated. Deprecated on 2026-01-20 by bob: Superseded "
        "Sunset: 2027-01-01 . Use fraud@2.0.0 instead."
    ) in shown
    assert "../../models/fraud/2.0.0/index.html" in links(page)
    assert (
        page.count(b'<svg xmlns="http://www.w3.org/2000/svg" class="mc-chart mc-metric-chart"') == 1
    )
    assert page.count(b'class="mc-chart mc-timeline"') == 1
    assert b'class="mc-lineage' in page


def test_version_page_compares_with_the_previous_version(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog())
    shown = text(files["models/fraud/2.0.0/index.html"])
    assert "ROC AUC (higher is better) 0.91 — tx@2025-Q3 test 0.9 (1.0.0) +0.01 (better)" in shown
    assert (
        "Training data tx@2025-Q3 tx@2025-Q3 (removed) Training data tx@2025-Q4 (absent) "
        "tx@2025-Q4 Setup code commit 4f2c1e9 5a3b2c1d"
    ) in shown
    assert (
        "Code commit pinned : yes. 5a3b2c1d ✗ Data versioned and hashed : no. "
        "no sha256 for tx@2025-Q4 ✗ Environment pinned by digest : no. no container image "
        "recorded ✗ Seed set : no. no seed recorded ✓ Artifact hashed : yes. 1 artifact(s), "
        "all with sha256"
    ) in shown
    assert (
        "Parents retrained from fraud@1.0.0 Children small@0.1.0 distilled from this version"
        in shown
    )


def test_version_page_banner_links_to_the_replacement(make_catalog: CatalogMaker) -> None:
    page = site_files(make_catalog())["models/fraud/1.0.0/index.html"]
    assert (
        b'Use <a class="replacement" href="../../../models/fraud/2.0.0/index.html">'
        b"fraud@2.0.0</a> instead." in page
    )
    assert "2025-10-10 production alice carol" in text(page)


def test_monitoring_flags_drift(make_catalog: CatalogMaker) -> None:
    monitored = edit(
        V2,
        "lineage:",
        textwrap.dedent("""\
        monitoring:
          dashboard: https://grafana.example/d/fraud
          observations:
            - {date: 2026-02-01, metric: auc, value: 0.95, threshold: 0.88}
            - {date: 2026-03-01, metric: auc, value: 0.85, threshold: 0.88}
        lineage:"""),
    )
    page = site_files(make_catalog(monitored))["models/fraud/2.0.0/index.html"]
    shown = text(page)
    assert "2026-02-01 ROC AUC 0.95 0.88 no 2026-03-01 ROC AUC 0.85 0.88 Drift" in shown
    assert b'<a href="https://grafana.example/d/fraud" rel="noopener">' in page
    assert page.count(b'class="mc-point mc-drift') == 1


def test_dataset_page_lists_versions_and_their_users(make_catalog: CatalogMaker) -> None:
    shown = text(site_files(make_catalog())["datasets/tx/index.html"])
    assert (
        "fraud@1.0.0 deprecated 2025-Q3 yes auc fraud@2.0.0 production 2025-Q3 no auc "
        "fraud@2.0.0 production 2025-Q4 yes no"
    ) in shown


def test_governance_page_reuses_the_rules(make_catalog: CatalogMaker) -> None:
    overdue = edit(
        "models/fraud/model.yaml", "last_reviewed: 2026-06-01", "last_reviewed: 2025-01-01"
    )
    shown = text(site_files(make_catalog(overdue))["governance/index.html"])
    assert "What needs attention as of 2026-11-26: 2 models or versions." in shown
    assert (
        "fraud : fraud is in production and was last reviewed 2025-01-01; the policy asks for "
        "a review every 365 days"
    ) in shown
    assert (
        "fraud@1.0.0 : Deprecated on 2026-01-20: Superseded. Use fraud@2.0.0 instead. "
        "Sunset 2027-01-01."
    ) in shown
    assert "fraud@1.0.0 : sunset on 2027-01-01, in 36 days; currently deprecated" in shown


def test_feed_lists_lifecycle_events_newest_first_with_stable_ids(
    make_catalog: CatalogMaker,
) -> None:
    feed = site_files(make_catalog())["feed.xml"].decode()
    titles = re.findall(r"<title>(.*?)</title>", feed)
    assert titles == [
        "Test catalog: lifecycle events",
        "small@0.1.0: development",
        "fraud@2.0.0: production",
        "fraud@1.0.0: deprecated",
        "fraud@2.0.0: staging",
        "fraud@1.0.0: production",
        "fraud@1.0.0: development",
    ]
    assert "<updated>2026-02-01T00:00:00Z</updated>" in feed
    ids = re.findall(r"<id>(.*?)</id>", feed)
    assert len(set(ids)) == 7 and all(i.startswith("urn:uuid:") for i in ids)
    again = site_files(make_catalog({"models/small/model.yaml": BASE["models/small/model.yaml"]}))
    assert re.findall(r"<id>(.*?)</id>", again["feed.xml"].decode()) == ids


def test_times_of_day_order_the_feed_and_show_on_the_version_page(
    make_catalog: CatalogMaker,
) -> None:
    # On 2026-01-20, 2.0.0 went to production at 09:00 and 1.0.0 was deprecated at 16:00:
    # without the times the feed would list them by model and version instead.
    timed = {
        **edit(V2, "date: 2026-01-20, by: bob", 'date: 2026-01-20, time: "09:00", by: bob'),
        **edit(V1, "date: 2026-01-20, by: bob", 'date: 2026-01-20, time: "16:00", by: bob'),
    }
    files = site_files(make_catalog(timed))
    feed = files["feed.xml"].decode()
    assert re.findall(r"<title>(.*?)</title>", feed)[2:4] == [
        "fraud@1.0.0: deprecated",
        "fraud@2.0.0: production",
    ]
    assert "<updated>2026-01-20T16:00:00Z</updated>" in feed
    assert "fraud@2.0.0 moved to production on 2026-01-20 at 09:00 UTC by bob." in feed
    page = files["models/fraud/2.0.0/index.html"].decode()
    assert '<time datetime="2026-01-20T09:00Z">2026-01-20 09:00&nbsp;UTC</time>' in page
    assert '<time datetime="2026-01-05">2026-01-05</time>' in page  # an event without a time


def test_a_reading_added_later_shows_the_day_it_was_measured(make_catalog: CatalogMaker) -> None:
    later = {
        **edit(
            V2,
            "split: test}",
            "split: test}\n  - {name: auc, value: 0.9, dataset: tx@2025-Q4, split: test, "
            "measured: 2026-03-02}",
        )
    }
    page = site_files(make_catalog(later))["models/fraud/2.0.0/index.html"].decode()
    cells = re.findall(r"<td><strong>.*?</td>", page)
    assert len(cells) == 2
    assert "measured" not in cells[0]
    assert cells[1].endswith(
        ' <span class="small muted">measured <time datetime="2026-03-02">2026-03-02</time></span></td>'
    )


def test_catalog_json_holds_the_resolved_catalog(make_catalog: CatalogMaker) -> None:
    document = json.loads(site_files(make_catalog())["api/catalog.json"])
    assert list(document) == ["datasets", "lineage", "metrics", "models", "settings", "versions"]
    fraud = document["models"][0]
    assert (fraud["id"], fraud["status"], fraud["production"], fraud["versions"]) == (
        "fraud",
        "production",
        ["2.0.0"],
        ["1.0.0", "2.0.0"],
    )
    assert [v["ref"] for v in document["versions"]] == ["fraud@1.0.0", "fraud@2.0.0", "small@0.1.0"]
    assert document["versions"][0]["stage"] == "deprecated"
    # Inside a card, fields keep the card format's order, as a reader of the YAML knows it.
    assert list(document["versions"][0]["card"])[:3] == ["version", "released", "summary"]
    assert document["versions"][0]["card"]["version"] == "1.0.0"
    assert document["lineage"] == [
        {
            "child": "fraud@2.0.0",
            "parent": "fraud@1.0.0",
            "relation": "retrained",
            "external": False,
            "url": None,
        },
        {
            "child": "small@0.1.0",
            "parent": "fraud@2.0.0",
            "relation": "distilled",
            "external": False,
            "url": None,
        },
    ]


def test_badge_names_the_production_version(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog())
    assert b"<title>fraud: production 2.0.0</title>" in files["badges/fraud.svg"]
    assert b"<title>small: development 0.1.0</title>" in files["badges/small.svg"]


def test_edit_links_follow_the_repository_setting(make_catalog: CatalogMaker) -> None:
    assert b"Edit this card" not in site_files(make_catalog())["models/fraud/index.html"]
    catalog = (
        textwrap.dedent(BASE["catalog.yaml"]) + "repository: https://git.example/acme/models\n"
    )
    root = make_catalog({"catalog.yaml": catalog})
    (root.parent / ".git").mkdir()
    page = site_files(root)["models/fraud/2.0.0/index.html"]
    assert (
        b'<a href="https://git.example/acme/models/edit/main/catalog/models/fraud/2.0.0.yaml" '
        b'rel="noopener">Edit this card</a>' in page
    )


def test_home_orders_numbers_in_names_by_their_value(make_catalog: CatalogMaker) -> None:
    small = textwrap.dedent(BASE["models/small/model.yaml"])
    files: dict[str, str | None] = {
        "models/small/model.yaml": None,
        "models/small/0.1.0.yaml": None,
    }
    for number in (1002, 106, 2):
        files[f"models/d{number}/model.yaml"] = small.replace(
            "Small fraud detector", f"Detector {number}"
        )
    index = site_files(make_catalog(files))["assets/search-index.js"].decode()
    rows = json.loads(index.removeprefix("window.MODELCARDS_SEARCH = ").removesuffix(";\n"))
    assert [row["id"] for row in rows["models"]] == ["d2", "d106", "d1002", "fraud"]
