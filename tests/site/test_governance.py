"""The governance page says exactly what needs attention: no overstated titles, each model or
version counted once, readable sentences, and every promotion that overrode a gate."""

from __future__ import annotations

import re

from ..helpers.catalogs import V1, V2, CatalogMaker, edit
from ..helpers.site import site_files, text


def section(page: str, title: str) -> str:
    """A section's text, from its heading (the table of contents lists "Title (n)")."""
    heading = re.search(re.escape(title) + r" \d", page)
    assert heading is not None, title
    start = heading.start()
    following = [
        page.find(t, start + len(title))
        for t in (
            "Overdue reviews",
            "Production versions without",
            "Deprecated, not yet retired",
            "Sunsets passed",
            "Sunsets coming",
            "Promotions that overrode a gate",
            "Built by",
        )
    ]
    return page[start : min(i for i in following if i > start)]


def test_deprecated_versions_are_not_said_to_take_traffic(make_catalog: CatalogMaker) -> None:
    page = text(site_files(make_catalog())["governance/index.html"])
    assert "still taking traffic" not in page
    assert section(page, "Deprecated, not yet retired") == (
        "Deprecated, not yet retired 1 Out of production, but consumers may still call them "
        "until they are retired. fraud@1.0.0 : Deprecated on 2026-01-20: Superseded. Use "
        "fraud@2.0.0 instead. Sunset 2027-01-01. "
    )


def test_reasons_are_sentences_without_stray_punctuation(make_catalog: CatalogMaker) -> None:
    files = edit(
        V1, "reason: Superseded,", 'reason: "Superseded by 2.0.0 (Q4 data). Kept for disputes.",'
    )
    page = text(site_files(make_catalog(files))["governance/index.html"])
    assert (
        "fraud@1.0.0 : Deprecated on 2026-01-20: Superseded by 2.0.0 (Q4 data). Kept for "
        "disputes. Use fraud@2.0.0 instead. Sunset 2027-01-01."
    ) in page
    assert ".;" not in page and ". ;" not in page


def test_each_model_or_version_is_counted_once(make_catalog: CatalogMaker) -> None:
    # fraud@1.0.0 is deprecated and its sunset is coming: two findings, one version.
    overdue = edit(
        "models/fraud/model.yaml", "last_reviewed: 2026-06-01", "last_reviewed: 2025-01-01"
    )
    page = text(site_files(make_catalog(overdue))["governance/index.html"])
    assert "What needs attention as of 2026-11-26: 2 models or versions." in page


def test_promotions_that_overrode_a_gate_are_listed(make_catalog: CatalogMaker) -> None:
    files = edit(
        V2,
        "approved_by: [carol]}",
        'approved_by: [carol], override: "Q4 data only; accepted by the risk board"}',
    )
    page = text(site_files(make_catalog(files))["governance/index.html"])
    assert section(page, "Promotions that overrode a gate") == (
        "Promotions that overrode a gate 1 Every promotion to production that went ahead with "
        "an override of the promotion gates, newest first: what an auditor checks. "
        "fraud@2.0.0 : Promoted to production on 2026-01-20 by bob, approved by carol: Q4 data "
        "only; accepted by the risk board. "
    )
    assert "What needs attention as of 2026-11-26: 1 model or version." in page
