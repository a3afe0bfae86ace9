"""Everything a page needs, prepared once per build from the resolved catalog.

SiteData is frozen and holds no caches that pages write to: rendering a page reads it and
returns bytes, so pages can be rendered in any order, in threads or in processes. Three indexes
that only the dataset, leaderboard and governance pages read (Indexes) are worked out when first
asked for. A build's fingerprints ask for the dataset and leaderboard indexes before processes
are forked to render, so those share them; the governance page's findings are worked out by
whichever process renders that page (off the way of a one-card rebuild: parallel.Ahead).
`serve` renders a version page after an edit without any of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment

from ..cards import MetricInfo
from ..catalog import Catalog, LineageEdge, same_cards
from ..metrics import known_metrics
from ..problems import Problem
from ..urls import web_url
from . import paths
from .attention import Section, attention
from .changes import Usage, usage_by_dataset
from .leaderboards import Leaderboard, leaderboards
from .lineage import LineageIndex, index_lineage
from .views import ModelSummary, summarise


class UndeclaredToday(RuntimeError):
    """A page read the day dates are judged against, but its kind does not say it reads it
    (pages.KINDS): its fingerprint would not change with the day. A bug, never a user's."""


@dataclass(frozen=True)
class SiteData:
    catalog: Catalog
    # The day dates are judged against, and what the rules found as of it: None in the view
    # given to the kinds of page that do not read them (undated; pages.KINDS), so that no
    # page shows the day unless its fingerprint covers it.
    today: dt.date | None
    env: Environment
    metrics: Mapping[str, MetricInfo]
    summaries: Mapping[str, ModelSummary]
    indexes: Indexes  # shared by the dated view and the undated one
    repo_root: Path  # "edit this card" links name files relative to it
    parents: Mapping[str, tuple[LineageEdge, ...]]  # version reference -> its lineage edges
    children: Mapping[str, tuple[LineageEdge, ...]]
    lineage: LineageIndex
    traffic: Mapping[str, float]  # version reference -> its share, where production is split
    # Cards as pydantic's model_dump_json writes them, where the card cache had the text at
    # hand when the catalog was loaded: catalog.json holds every card in that form.
    card_json: Mapping[Path, str]

    def day(self) -> dt.date:
        """The day dates are judged against, for a page whose kind reads it."""
        if self.today is None:
            raise UndeclaredToday("this kind of page reads today: say so in pages.KINDS")
        return self.today

    def findings(self) -> tuple[Section, ...]:
        """What needs attention as of the day, for a page whose kind reads the day."""
        if self.today is None:
            raise UndeclaredToday("this kind of page reads today: say so in pages.KINDS")
        return self.indexes.attention

    @property
    def usage(self) -> Mapping[str, list[Usage]]:
        """Dataset id -> the versions trained or evaluated on it."""
        return self.indexes.usage

    @property
    def leaderboards(self) -> Mapping[str, Leaderboard]:
        """Dataset version reference -> its leaderboard."""
        return self.indexes.leaderboards

    @cached_property
    def undated(self) -> SiteData:
        """The same data without the day or anything judged against it."""
        return dataclasses.replace(self, today=None)

    def edit_url(self, path: Path) -> str | None:
        """The repository's edit page of a card file, when catalog.yaml sets `repository`."""
        repository = web_url(self.catalog.settings.repository)
        if repository is None:
            return None
        try:
            relative = path.resolve().relative_to(self.repo_root).as_posix()
        except ValueError:
            return None
        return f"{repository.rstrip('/')}/edit/main/{quote(relative)}"


class Indexes:
    """What few kinds of page read, worked out when first asked for (then kept)."""

    def __init__(
        self,
        catalog: Catalog,
        today: dt.date,
        metrics: Mapping[str, MetricInfo],
        problems: Sequence[Problem] | None,
    ) -> None:
        self._catalog = catalog
        self._today = today
        self._metrics = metrics
        self._problems = problems

    @cached_property
    def attention(self) -> tuple[Section, ...]:
        return attention(self._catalog, self._today, self._problems)

    @cached_property
    def usage(self) -> Mapping[str, list[Usage]]:
        return usage_by_dataset(self._catalog)

    @cached_property
    def leaderboards(self) -> Mapping[str, Leaderboard]:
        return leaderboards(self._catalog, self._metrics)


def repository_root(catalog_root: Path) -> Path:
    """The git work tree holding the catalog (its parent folder when there is none)."""
    start = catalog_root.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start.parent


def prepare(
    catalog: Catalog,
    today: dt.date,
    env: Environment,
    problems: Sequence[Problem] | None = None,
    card_json: Mapping[Path, str] | None = None,
    *,
    complete: bool = False,
    previous: SiteData | None = None,
) -> SiteData:
    """`problems`: the catalog's validation against `today`, when the caller has it;
    `card_json`: cards' JSON text the loader had at hand (load_catalog); `complete`: work
    out the indexes few pages read now rather than when first asked for; `previous`: the
    site data of an earlier load of the catalog, whose models' summaries are taken over
    where the model's cards are the very objects summarised then (`serve`)."""
    known = known_metrics(catalog.settings)
    kept = previous.summaries if previous is not None and previous.metrics == known else {}
    summaries: dict[str, ModelSummary] = {}
    for model_id in sorted(catalog.models):
        model, before = catalog.models[model_id], kept.get(model_id)
        reuse = before is not None and same_cards(before.model, model)
        summaries[model_id] = before if reuse and before else summarise(model, known)
    indexes = Indexes(catalog, today, known, problems)
    if complete:
        _ = indexes.attention, indexes.usage, indexes.leaderboards
    return SiteData(
        catalog=catalog,
        today=today,
        env=env,
        metrics=known,
        summaries=summaries,
        indexes=indexes,
        repo_root=repository_root(catalog.root),
        parents=_grouped(catalog.lineage, lambda edge: edge.child),
        children=_grouped((e for e in catalog.lineage if not e.external), lambda e: e.parent),
        lineage=index_lineage(catalog.lineage),
        traffic={ref: share for s in summaries.values() for ref, share in s.traffic.items()},
        card_json=card_json or {},
    )


def _grouped(
    edges: Iterable[LineageEdge], key: Callable[[LineageEdge], str]
) -> dict[str, tuple[LineageEdge, ...]]:
    """Lineage edges indexed once, so no page scans the whole graph."""
    grouped: dict[str, list[LineageEdge]] = {}
    for edge in edges:
        grouped.setdefault(key(edge), []).append(edge)
    return {ref: tuple(found) for ref, found in grouped.items()}


@dataclass(frozen=True)
class Linker:
    """Links from one page to others: relative, or absolute under `base` (the 404 page)."""

    page: str
    base: str | None = None

    def to(self, target: str) -> str:
        if self.base:
            return paths.absolute(self.base, target)
        return paths.relative(self.page, target)

    def home(self) -> str:
        return self.to(paths.HOME)

    def model(self, model_id: str) -> str:
        return self.to(paths.model_path(model_id))

    def version(self, ref: str) -> str:
        return self.to(paths.version_path(ref))

    def dataset(self, dataset_id: str) -> str:
        return self.to(paths.dataset_path(dataset_id))

    def dataset_version(self, ref: str) -> str:
        dataset_id, _, name = ref.partition("@")
        return self.dataset(dataset_id) + "#" + anchor(name)

    def external(self, url: str | None) -> str | None:
        return web_url(url)

    def contact(self, text: str | None) -> str | None:
        """An owner's contact as a link: mailto: for an email address, else an http(s) URL."""
        return paths.mail_href(text) or web_url(text)


def anchor(name: str) -> str:
    """An element id for a free-form name (a dataset version such as 2025-Q4)."""
    return "v-" + "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)
