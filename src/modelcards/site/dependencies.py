"""What each kind of page is made from: the cards its fingerprint covers (fingerprint.py).

A kind of page declares one `Depends` in the table of page kinds (pages.KINDS); a kind that
declares none depends on WHOLE_CATALOG, so a page nobody described can be rendered more often
than needed, never left stale. When in doubt a page depends on more, never on less: a wrong
"unchanged" would publish a stale page, a wrong "changed" only costs a render.

What each declaration covers (on top of the build's global inputs, which every page has):
- a model's pages (model page, badge, and each version's page, README.md and bom.json): the
  model card and every version card of the model (previous versions, aliases, summaries
  and deprecations are read across versions); version pages and exports also the lineage
  edges of those versions, whether each version they name exists, and the cards of every
  dataset the versions name; the model page also the cards of every version (and its model)
  in the lineage graph it draws (with the versions it folds and the neighbours it leaves out
  for a "+N more" node); the model and version pages also the cards of the versions
  that replacements lead to (a banner names where the chain leads now);
- a model's full lineage page: the model card, and every node and edge of its full lineage
  graph (every ancestor and descendant, before the nearest are kept) with their cards;
- a dataset page: its card and the cards of the versions trained or evaluated on it, and
  for those in production every card of their model (shares of traffic are split between
  versions);
- a leaderboard: the dataset's card, and the card of every version ranked on it and of
  its model (the model's name is shown), and for those in production every card of their
  model (their share of traffic);
- the model page also the cards of the datasets its versions' metrics name (a reading links
  to its leaderboard when the dataset lists that version);
- a compare page: its task alone (it reads the pair in the browser); a task's index of
  models: the model cards of the task and their versions' references; a model's compare
  data: what its version pages read, less the lineage and replacements;
- the pages that list the whole catalog (home, the list of datasets, governance, feed,
  catalog.json, search index, sitemap): every card;
- the theme's assets and the 404 page: no card at all.
Cards are identified by their path and their text, so any edit, even a comment, counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..cards import Stage
from ..catalog import ModelVersion
from ..queries import replacement_chain, resolve_replacement
from .context import SiteData
from .lineage import lineage_subgraph, model_neighbourhood

MISSING = "-"


@dataclass(frozen=True)
class CardDigests:
    """The digest of each card of one build, and the questions dependencies ask of them."""

    site: SiteData
    cards: Mapping[Path, str]  # card file -> digest of its name and text
    everything: str  # every card at once

    def card(self, path: Path) -> str:
        return self.cards.get(path, MISSING)

    def version(self, ref: str) -> str:
        found = self.site.catalog.versions.get(ref)
        return self.card(found.path) if found else MISSING

    def model(self, model_id: str) -> str:
        found = self.site.catalog.models.get(model_id)
        return self.card(found.path) if found else MISSING

    def dataset(self, dataset_id: str) -> str:
        found = self.site.catalog.datasets.get(dataset_id)
        return self.card(found.path) if found else MISSING

    def family(self, model_id: str) -> Iterator[str]:
        yield model_id
        yield self.model(model_id)
        for version in self.versions(model_id):
            yield version.ref
            yield self.card(version.path)

    def versions(self, model_id: str) -> tuple[ModelVersion, ...]:
        model = self.site.catalog.models.get(model_id)
        return model.versions if model else tuple(self.site.catalog.versions_of(model_id))

    def neighbours(self, model_id: str) -> Iterator[str]:
        """Lineage edges of the model's versions, the versions they and replaced_by name
        (whether each exists), and the datasets the versions name."""
        site, catalog = self.site, self.site.catalog
        named: set[str] = set()
        datasets: set[str] = set()
        for version in self.versions(model_id):
            for edge in (*site.parents.get(version.ref, ()), *site.children.get(version.ref, ())):
                yield repr(edge)
                named.update((edge.child, edge.parent))
            for event in version.card.lifecycle:
                if event.replaced_by:
                    named.add(resolve_replacement(version, event.replaced_by))
            card = version.card
            references = [
                *(card.training.data if card.training else ()),
                *(m.dataset for m in card.metrics if m.dataset),
            ]
            datasets.update(ref.partition("@")[0] for ref in references)
        for ref in sorted(named):
            yield f"{ref}={ref in catalog.versions}"
        for dataset_id in sorted(datasets):
            yield dataset_id
            yield self.dataset(dataset_id)

    def metric_datasets(self, model_id: str) -> Iterator[str]:
        named = {
            m.dataset.partition("@")[0]
            for v in self.versions(model_id)
            for m in v.card.metrics
            if m.dataset
        }
        for dataset_id in sorted(named):
            yield dataset_id
            yield self.dataset(dataset_id)

    def replacements(self, model_id: str) -> Iterator[str]:
        """The cards of every version the model's deprecated versions send their users to,
        in turn: a banner names where the chain of replacements leads now."""
        catalog = self.site.catalog
        for version in self.versions(model_id):
            chain = replacement_chain(catalog, version)
            for ref in chain.refs if chain else ():
                yield ref
                yield self.version(ref)

    def lineage_graph(self, model_id: str) -> Iterator[str]:
        catalog, index = self.site.catalog, self.site.lineage
        drawn = model_neighbourhood(catalog, model_id, index)
        yield from map(repr, drawn.links)
        refs = {ref for node in drawn.nodes for ref in (node.ref, *node.folded)}
        # Who stands behind a "+N more" node, and which version it hangs from.
        for ref in [v.ref for v in self.versions(model_id)]:
            refs.update(index.parents.get(ref, ()))
            refs.update(index.children.get(ref, ()))
        for node in drawn.nodes:
            yield repr(node)
        yield from self.version_cards(refs)

    def full_lineage(self, model_id: str) -> Iterator[str]:
        nodes, edges = lineage_subgraph(self.site.catalog, model_id, None, self.site.lineage)
        yield from map(repr, edges)
        yield from map(repr, nodes)
        yield from self.version_cards({node.ref for node in nodes})

    def version_cards(self, refs: Iterable[str]) -> Iterator[str]:
        """Each version's card and its model's card."""
        for ref in sorted(refs):
            yield ref
            yield self.version(ref)
            yield self.model(ref.partition("@")[0])

    def production_families(self, versions: Iterable[ModelVersion]) -> Iterator[str]:
        """A production version's share of traffic is read from its model's other versions."""
        for model_id in sorted({v.model_id for v in versions if v.stage is Stage.PRODUCTION}):
            yield from self.family(model_id)


Inputs = Callable[[CardDigests, str], Iterable[str]]


def _subject(site: SiteData, subject: str) -> str:
    return subject


def _none(site: SiteData, subject: str) -> str:
    return ""


@dataclass(frozen=True)
class Depends:
    """What the pages of a kind are made from: `inputs` of the page's scope (by default its
    subject). Pages whose declarations share a name and whose scopes are equal have the same
    inputs, digested once (every page of a model's versions, every page listing the whole
    catalog)."""

    name: str
    inputs: Inputs
    scope: Callable[[SiteData, str], str] = _subject


def _nothing(cards: CardDigests, scope: str) -> Iterable[str]:
    return ()


def _model(cards: CardDigests, model_id: str) -> Iterator[str]:
    yield from cards.family(model_id)
    yield from cards.lineage_graph(model_id)
    yield from cards.replacements(model_id)
    yield from cards.metric_datasets(model_id)


def _version_family(cards: CardDigests, model_id: str) -> Iterator[str]:
    yield from cards.family(model_id)
    yield from cards.neighbours(model_id)
    yield from cards.replacements(model_id)


def _compare_index(cards: CardDigests, task: str) -> Iterator[str]:
    for model in cards.site.catalog.models.values():
        if model.card.task == task:
            yield model.id
            yield cards.model(model.id)
            yield from (v.ref for v in model.versions)


def _compare_data(cards: CardDigests, model_id: str) -> Iterator[str]:
    yield from cards.family(model_id)
    yield from cards.metric_datasets(model_id)


def _leaderboard(cards: CardDigests, ref: str) -> Iterator[str]:
    yield cards.dataset(ref.partition("@")[0])
    board = cards.site.leaderboards.get(ref)
    rows = [r.version for b in (board.boards if board else ()) for r in b.rows]
    yield from cards.version_cards({v.ref for v in rows})
    yield from cards.production_families(rows)


def _lineage(cards: CardDigests, model_id: str) -> Iterator[str]:
    yield cards.model(model_id)
    yield from cards.full_lineage(model_id)


def _dataset(cards: CardDigests, dataset_id: str) -> Iterator[str]:
    yield cards.dataset(dataset_id)
    usages = cards.site.usage.get(dataset_id, [])
    for usage in usages:
        yield usage.version.ref
        yield cards.card(usage.version.path)
    yield from cards.production_families(u.version for u in usages)


def _model_of_version(site: SiteData, ref: str) -> str:
    return site.catalog.versions[ref].model_id


WHOLE_CATALOG = Depends("catalog", lambda cards, _: (cards.everything,), _none)
NO_CARDS = Depends("theme", _nothing, _none)  # the global inputs alone
MODEL = Depends("model", _model)
BADGE = Depends("badge", lambda cards, model_id: cards.family(model_id))
VERSION_FAMILY = Depends("version", _version_family, _model_of_version)
COMPARE = Depends("compare", _nothing)  # the page names its task; the pair is read in the browser
COMPARE_INDEX = Depends("compare-index", _compare_index)
COMPARE_DATA = Depends("compare-data", _compare_data)
LEADERBOARD = Depends("leaderboard", _leaderboard)
LINEAGE = Depends("lineage", _lineage)
DATASET = Depends("dataset", _dataset)
