"""Leaderboards: for each dataset version, every model version evaluated on it, ranked.

One page per dataset version that some model version reports a metric on. It holds a board
per split and metric (and per slice, after the whole split): every model version with a
value there, ranked in the metric's direction of better (catalog.yaml or the built-in
meanings), with its confidence interval and its stage now. A metric whose direction is not
known is listed by value, unranked. Ties share a rank (1, 2, 2, 4); within a tie, and for
the order of everything else, model id then SemVer.

Which values: a version's entries that name the dataset version, the first per split,
metric and slice in the card's order (a second one is an error, MC046). These are the
entries `queries.comparable` pairs: the same dataset version and split, no slice, compare;
a slice is ranked only against the same slice.

Boards are found in one pass over every version (SiteData.leaderboards); a page, and a link
to a board, needs no other page's data: the path and the anchor are functions of the
dataset version, split, metric and slice alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..cards import Metric, MetricInfo
from ..catalog import Catalog, ModelVersion
from ..semver import version_key
from . import paths

Key = tuple[str | None, str, str | None]  # split, metric, slice


@dataclass(frozen=True)
class Row:
    rank: int | None  # None: the metric's direction is unknown
    version: ModelVersion
    metric: Metric


@dataclass(frozen=True)
class Board:
    split: str | None
    name: str
    slice: str | None
    label: str
    goal: str | None
    unit: str | None
    rows: tuple[Row, ...]

    @property
    def anchor(self) -> str:
        return board_anchor(self.split, self.name, self.slice)


@dataclass(frozen=True)
class Leaderboard:
    dataset_id: str
    version: str  # the dataset version's name
    boards: tuple[Board, ...]  # by split, then metric (whole split first, then slices)

    @property
    def ref(self) -> str:
        return f"{self.dataset_id}@{self.version}"

    @property
    def path(self) -> str:
        return paths.leaderboard_path(self.ref)

    @property
    def splits(self) -> list[str | None]:
        return list(dict.fromkeys(b.split for b in self.boards))

    @property
    def versions(self) -> set[str]:
        """The refs of every model version on it (what the page is made from)."""
        return {row.version.ref for board in self.boards for row in board.rows}


def board_anchor(split: str | None, name: str, slice_: str | None) -> str:
    """The element id of a board: "test~auc", "test~auc~new-customers", "~auc" (no split).
    Each part is encoded (paths.segment) so that different boards never share an id."""
    parts = [paths.segment(split) if split else "", paths.segment(name)]
    if slice_ is not None:
        parts.append(paths.segment(slice_))
    return "~".join(parts)


def _order(version: ModelVersion) -> tuple[str, tuple[object, ...], str]:
    try:
        return version.model_id, tuple(version_key(version.version)), version.version
    except ValueError:
        return version.model_id, (), version.version


def rank(rows: Iterable[tuple[ModelVersion, Metric]], goal: str | None) -> tuple[Row, ...]:
    """Best first by `goal`, ties sharing a rank; unranked by value (highest first) when the
    direction is unknown."""
    ordered = sorted(rows, key=lambda r: _order(r[0]))
    sign = 1.0 if goal == "minimize" else -1.0
    ordered.sort(key=lambda r: sign * r[1].value)
    if goal not in ("maximize", "minimize"):
        return tuple(Row(None, v, m) for v, m in ordered)
    found: list[Row] = []
    for position, (version, metric) in enumerate(ordered, start=1):
        tied = found and found[-1].metric.value == metric.value
        found.append(Row(found[-1].rank if tied else position, version, metric))
    return tuple(found)


def leaderboard_refs(catalog: Catalog) -> list[str]:
    """The dataset versions that have a leaderboard: those some model version reports a
    metric on (and the catalog lists)."""
    named = {m.dataset for v in catalog.versions.values() for m in v.card.metrics}
    return sorted(ref for ref in named if ref is not None and _listed(catalog, ref))


def leaderboards(catalog: Catalog, known: Mapping[str, MetricInfo]) -> dict[str, Leaderboard]:
    """Every dataset version's leaderboard, by dataset version reference."""
    found: dict[str, dict[Key, list[tuple[ModelVersion, Metric]]]] = {}
    for version in catalog.versions.values():
        seen: set[tuple[str, Key]] = set()
        for metric in version.card.metrics:
            ref = metric.dataset
            if ref is None or not _listed(catalog, ref):
                continue
            key: Key = (metric.split, metric.name, metric.slice)
            if (ref, key) in seen:
                continue
            seen.add((ref, key))
            found.setdefault(ref, {}).setdefault(key, []).append((version, metric))
    boards: dict[str, Leaderboard] = {}
    for ref in sorted(found):
        dataset_id, _, name = ref.partition("@")
        keys = sorted(
            found[ref],
            key=lambda k: (k[0] is not None, k[0] or "", k[2] is not None, k[1], k[2] or ""),
        )
        boards[ref] = Leaderboard(
            dataset_id, name, tuple(_board(key, found[ref][key], known) for key in keys)
        )
    return boards


def _board(
    key: Key, rows: list[tuple[ModelVersion, Metric]], known: Mapping[str, MetricInfo]
) -> Board:
    split, name, slice_ = key
    info = known.get(name)
    goal = info.goal if info else None
    return Board(
        split,
        name,
        slice_,
        info.label if info and info.label else name,
        goal,
        info.unit if info else None,
        rank(rows, goal),
    )


def _listed(catalog: Catalog, ref: str) -> bool:
    dataset_id, _, name = ref.partition("@")
    dataset = catalog.datasets.get(dataset_id)
    return dataset is not None and dataset.has_version(name)


def board_target(catalog: Catalog, metric: Metric) -> tuple[str, str] | None:
    """The page and the anchor of the board a metric entry is ranked on, None when it names
    no dataset version of the catalog (and so is on no board)."""
    if metric.dataset is None or not _listed(catalog, metric.dataset):
        return None
    return paths.leaderboard_path(metric.dataset), board_anchor(
        metric.split, metric.name, metric.slice
    )
