"""Leaderboards: every model version evaluated on a dataset version, ranked per split and
metric in the metric's direction of better, linked from the dataset page and each reading."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from modelcards.cards import CatalogSettings, Metric, VersionCard
from modelcards.catalog import ModelVersion
from modelcards.loading import load_catalog
from modelcards.metrics import known_metrics
from modelcards.site.leaderboards import board_anchor, leaderboards, rank
from modelcards.site.paths import leaderboard_path, segment

from ..helpers.catalogs import RANKED, CatalogMaker, edit
from ..helpers.site import elements, site_files

METRICS = known_metrics(CatalogSettings())


def entry(model: str, name: str, value: float) -> tuple[ModelVersion, Metric]:
    card = VersionCard.model_validate(
        {
            "version": name,
            "released": dt.date(2026, 1, 1),
            "summary": "s",
            "lifecycle": [{"stage": "development", "date": dt.date(2026, 1, 1), "by": "a"}],
        }
    )
    return (
        ModelVersion(model, name, card, Path(f"models/{model}/{name}.yaml")),
        Metric(name="auc", value=value),
    )


def ranked(rows: tuple, goal: str | None) -> list[tuple[int | None, str]]:  # type: ignore[type-arg]
    return [(row.rank, row.version.ref) for row in rank(rows, goal)]


ROWS = (
    entry("b", "1.0.0", 0.90),
    entry("a", "2.0.0", 0.95),
    entry("a", "1.10.0", 0.90),
    entry("a", "1.9.0", 0.80),
)


def test_ranks_follow_the_direction_of_better_and_ties_share_a_rank() -> None:
    assert ranked(ROWS, "maximize") == [
        (1, "a@2.0.0"),
        (2, "a@1.10.0"),
        (2, "b@1.0.0"),
        (4, "a@1.9.0"),
    ]
    assert ranked(ROWS, "minimize") == [
        (1, "a@1.9.0"),
        (2, "a@1.10.0"),
        (2, "b@1.0.0"),
        (4, "a@2.0.0"),
    ]
    # an unknown direction lists by value, highest first, and ranks nothing
    assert ranked(ROWS, None) == [
        (None, "a@2.0.0"),
        (None, "a@1.10.0"),
        (None, "b@1.0.0"),
        (None, "a@1.9.0"),
    ]


def test_one_board_per_split_metric_and_slice(make_catalog: CatalogMaker) -> None:
    catalog, problems = load_catalog(make_catalog(RANKED))
    assert problems == []
    boards = leaderboards(catalog, METRICS)
    assert list(boards) == ["tx@2025-Q3", "tx@2025-Q4"]
    q4 = boards["tx@2025-Q4"]
    assert [(b.split, b.name, b.slice) for b in q4.boards] == [
        ("test", "auc", None),
        ("test", "log_loss", None),
        ("test", "auc", "new merchants"),
        ("validation", "auc", None),
    ]
    rows = {
        (b.split, b.name, b.slice): [(r.rank, r.version.ref, r.metric.value) for r in b.rows]
        for b in q4.boards
    }
    assert rows[("test", "auc", None)] == [(1, "small@0.1.0", 0.94), (2, "fraud@2.0.0", 0.93)]
    assert rows[("test", "log_loss", None)] == [(1, "fraud@2.0.0", 0.2), (2, "small@0.1.0", 0.3)]
    assert rows[("test", "auc", "new merchants")] == [
        (1, "small@0.1.0", 0.89),
        (2, "fraud@2.0.0", 0.88),
    ]
    assert rows[("validation", "auc", None)] == [(1, "fraud@2.0.0", 0.95)]
    q3 = boards["tx@2025-Q3"].boards[0]
    assert [(r.rank, r.version.ref) for r in q3.rows] == [(1, "fraud@2.0.0"), (2, "fraud@1.0.0")]


def test_anchors_and_paths_never_collide_and_stay_in_their_folder() -> None:
    keys = [
        ("test", "auc", None),
        ("test", "auc", "x"),
        ("test~auc", "x", None),
        (None, "test", None),
        ("", "test", None),
        ("a_7e", "b", None),
        ("a~", "b", None),
    ]
    anchors = [board_anchor(*key) for key in keys[:4]] + [board_anchor(*key) for key in keys[5:]]
    assert len(set(anchors)) == len(anchors)
    assert board_anchor("test", "auc", None) == "test~auc"
    assert board_anchor("test", "auc", "new merchants") == "test~auc~new_20merchants"
    for name in ("../../etc", ".hidden", "2025/Q4", "2025-Q4", "v1.2"):
        path = leaderboard_path(f"tx@{name}")
        assert path.startswith("datasets/tx/leaderboards/") and path.count("/") == 3, path
        assert not path.rsplit("/", 1)[1].startswith(".")
    assert segment("2025-Q4") == "2025-Q4" and segment("v1.2") == "v1.2"
    assert len({segment(n) for n in ("a b", "a_20b", "a-b", "a.b", "ä")}) == 5


def _ids(page: bytes) -> set[str]:
    return {attrs["id"] for _, attrs in elements(page) if "id" in attrs}


def _hrefs(page: bytes) -> list[str]:
    return [attrs["href"] for tag, attrs in elements(page) if tag == "a" and "href" in attrs]


def test_leaderboard_page_ranks_every_version_with_stage_and_interval(
    make_catalog: CatalogMaker,
) -> None:
    site = site_files(make_catalog(RANKED))
    page = site["datasets/tx/leaderboards/2025-Q4.html"]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.decode())).split())
    assert (
        "ROC AUC (higher is better; 2 model versions) ROC AUC of every model version "
        "evaluated on tx@2025-Q4 (test), best first # Model version Value "
        "1 Small fraud detector 0.1.0 development 0.94 "
        "2 Fraud detector 2.0.0 production 0.93 [0.92, 0.94]"
    ) in text
    assert "Log loss (lower is better; 2 model versions)" in text
    assert "ROC AUC on the slice new merchants" in text
    assert {"test~auc", "test~log_5floss", "test~auc~new_20merchants", "validation~auc"} <= _ids(
        page
    )
    assert "../../../models/small/0.1.0/index.html" in _hrefs(page)


def test_every_reading_and_the_dataset_page_link_to_their_board(make_catalog: CatalogMaker) -> None:
    site = site_files(make_catalog(RANKED))
    version = _hrefs(site["models/fraud/2.0.0/index.html"])
    boards = [h for h in version if "leaderboards" in h]
    assert boards == [
        "../../../datasets/tx/leaderboards/2025-Q3.html#test~auc",
        "../../../datasets/tx/leaderboards/2025-Q4.html#test~auc",
        "../../../datasets/tx/leaderboards/2025-Q4.html#test~auc~new_20merchants",
        "../../../datasets/tx/leaderboards/2025-Q4.html#test~log_5floss",
        "../../../datasets/tx/leaderboards/2025-Q4.html#validation~auc",
    ]
    for href in boards:
        path, _, anchor = href.removeprefix("../../../").partition("#")
        assert anchor in _ids(site[path])
    model = _hrefs(site["models/fraud/index.html"])
    assert "../../datasets/tx/leaderboards/2025-Q3.html#test~auc" in model  # the history's reading
    dataset = _hrefs(site["datasets/tx/index.html"])
    assert [h for h in dataset if "leaderboards" in h] == [
        "../../datasets/tx/leaderboards/2025-Q3.html",
        "../../datasets/tx/leaderboards/2025-Q4.html",
    ]


def test_a_dataset_version_nobody_evaluated_on_has_no_board(make_catalog: CatalogMaker) -> None:
    files = {
        **RANKED,
        **edit(
            "datasets/tx.yaml",
            "  - {version: 2025-Q4, date: 2026-01-02}",
            "  - {version: 2025-Q4, date: 2026-01-02}\n  - {version: 2026-Q1}",
        ),
    }
    files["models/small/0.1.0.yaml"] = RANKED["models/small/0.1.0.yaml"].replace(
        "{name: log_loss, value: 0.3, dataset: tx@2025-Q4, split: test}",
        "{name: log_loss, value: 0.3, dataset: tx@2025-Q4}",
    )
    site = site_files(make_catalog(files))
    assert "datasets/tx/leaderboards/2026-Q1.html" not in site
    board = site["datasets/tx/leaderboards/2025-Q4.html"].decode()
    assert "Split: test" in board and "No split named" in board
    assert 'id="~log_5floss"' in board
    assert b"none evaluated" in site["datasets/tx/index.html"]
