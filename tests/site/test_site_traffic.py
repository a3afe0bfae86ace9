"""Canary traffic wherever production is shown, and the model page's facts as a reader takes
them: the example catalog's fraud-detector splits production 90/10 between 2.1.0 and 2.2.0,
has a pre-release 3.0.0-rc.1 and an old deprecated 2.0.0; plus small catalogs for the cases
the example does not have."""

from __future__ import annotations

import re
import textwrap

import pytest

from ..helpers.catalogs import EXAMPLE_CATALOG, V1, V2, CatalogMaker, edit
from ..helpers.site import elements, site_files, text

MODEL = "models/fraud-detector/index.html"


@pytest.fixture(scope="module")
def example() -> dict[str, bytes]:
    return site_files(EXAMPLE_CATALOG)


def test_every_place_that_shows_production_gives_the_shares(example: dict[str, bytes]) -> None:
    model = text(example[MODEL])
    assert "In production 2.1.0 (90%) , 2.2.0 (10%) (share of traffic)" in model
    assert "2.2.0 production (10%) 2026-10-19" in model  # the version history
    page = example["models/fraud-detector/2.2.0/index.html"]
    header = text(page.split(b'<header class="page-header">')[1].split(b"</header>")[0])
    assert "challenger at 10% of traffic. production 10% of traffic; 2.1.0 takes 90%" in header
    assert "Stage production (10% of traffic)" in text(
        example["models/fraud-detector/2.2.0/index.html"]
    )
    home_row = text(
        example["index.html"].split(b'data-model="fraud-detector"')[1].split(b"</tr>")[0]
    )
    assert "2.1.0 (90%) , 2.2.0 (10%)" in home_row
    usage = text(example["datasets/card-transactions/index.html"])
    assert "fraud-detector@2.2.0 production (10%)" in usage
    assert (
        b"<title>fraud-detector: production 2.1.0 90%, 2.2.0 10%</title>"
        in example["badges/fraud-detector.svg"]
    )
    # A model with one version in production shows no share: it takes all the traffic.
    assert "In production 1.1.0 Last reviewed" in text(
        example["models/fraud-detector-edge/index.html"]
    )


def test_each_step_of_a_canary_is_its_own_feed_entry(example: dict[str, bytes]) -> None:
    feed = example["feed.xml"].decode()
    titles = re.findall(r"<title>(fraud-detector@2\.[12]\.0: production.*?)</title>", feed)
    assert titles == [
        "fraud-detector@2.2.0: production at 10% of traffic",
        "fraud-detector@2.1.0: production at 90% of traffic",
        "fraud-detector@2.1.0: production at 100% of traffic",
    ]
    assert (
        "fraud-detector@2.1.0 went from 100% to 90% of production traffic on 2026-11-02 "
        "by m.okafor. Approved by a.lindqvist."
    ) in feed


def test_model_page_facts(example: dict[str, bytes]) -> None:
    page = example[MODEL]
    shown = text(page)
    assert "Primary metric ROC AUC Latest release 2.2.0 (pre-release 3.0.0-rc.1 )" in shown
    assert "with the reading of ROC AUC and its change" in shown
    mails = [
        a["href"]
        for tag, a in elements(page)
        if tag == "a" and a.get("href", "").startswith("mailto:")
    ]
    assert mails == ["mailto:risk-ml@kestrel.example", "mailto:julien.moreau@kestrel.example"]


def test_an_old_deprecated_version_is_noted_in_the_history_not_atop_the_page(
    example: dict[str, bytes],
) -> None:
    page = example[MODEL].decode()
    notice = page.index("fraud-detector@2.0.0 is deprecated.")
    assert page.index('id="versions-heading"') < notice
    assert "<h3>Deprecated versions</h3>" in page
    assert 'class="banner' not in page.split('id="versions-heading"')[0]


def test_a_model_with_no_version_in_use_says_so_first(make_catalog: CatalogMaker) -> None:
    promoted = "  - {stage: production, date: 2026-01-20, by: bob, approved_by: [carol]}\n"
    sunset = "sunset: 2027-01-01}\n"
    root = make_catalog(
        {
            **edit(V1, sunset, sunset + "  - {stage: retired, date: 2026-02-10, by: bob}\n"),
            **edit(
                V2,
                promoted,
                promoted + "  - {stage: deprecated, date: 2026-03-01, by: bob, "
                "reason: Product closed, approved_by: [carol]}\n",
            ),
        }
    )
    files = site_files(root)
    head = text(files["models/fraud/index.html"].split(b'<dl class="facts">')[0])
    assert "No version of Fraud detector is in use: every version is deprecated or retired." in head
    assert "fraud@2.0.0 is deprecated. Deprecated on 2026-03-01 by bob: Product closed" in head


def test_latest_release_when_every_version_is_a_pre_release(make_catalog: CatalogMaker) -> None:
    root = make_catalog(
        {
            "models/small/0.1.0.yaml": None,
            "models/small/0.1.0-rc.1.yaml": textwrap.dedent("""\
            version: "0.1.0-rc.1"
            released: 2026-02-01
            summary: A first candidate.
            lifecycle:
              - {stage: development, date: 2026-02-01, by: carol}
            """),
        }
    )
    shown = text(site_files(root)["models/small/index.html"])
    assert "Latest release 0.1.0-rc.1 (pre-release)" in shown


def test_a_contact_that_is_not_an_address_stays_text(make_catalog: CatalogMaker) -> None:
    root = make_catalog(
        edit("models/fraud/model.yaml", "contact: risk@acme.example", 'contact: "#risk-ml on chat"')
    )
    page = site_files(root)["models/fraud/index.html"]
    assert b"mailto:" not in page and b"#risk-ml on chat" in page
