"""The resolved catalog: every valid card, indexed, with its lineage graph.

The Catalog is what every later stage reads (rules, site, exports): it never changes after
it is built, and it keeps the parsed source of each file so problems can be located. Which
files are cards is discovery.py's question, reading and parsing them loading.py's; here the
parsed cards become models with their versions in order, and lineage edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .cards import CatalogSettings, DatasetCard, ModelCard, Relation, Stage, VersionCard
from .discovery import MODEL_FILE, FoundFiles
from .positions import positions
from .semver import version_key
from .source import Loc, Locator, SourceDocument

# The last file a position was asked of, with its composed node tree: questions about one
# file come in a row, and composing a file is the costly part. Kept beside the Catalog, not
# in it: the resolved model holds no caches.
_recent_locator: list[Locator] = []


@dataclass(frozen=True)
class ModelVersion:
    model_id: str
    version: str
    card: VersionCard
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.model_id}@{self.version}"

    @property
    def stage(self) -> Stage:
        return self.card.stage


@dataclass(frozen=True)
class Model:
    id: str
    card: ModelCard
    path: Path
    versions: tuple[ModelVersion, ...]  # oldest first, by SemVer precedence

    def version(self, name: str) -> ModelVersion | None:
        return next((v for v in self.versions if v.version == name), None)


@dataclass(frozen=True)
class Dataset:
    id: str
    card: DatasetCard
    path: Path

    @cached_property
    def version_names(self) -> tuple[str, ...]:
        """The names of its versions, in the card's order."""
        return tuple(v.version for v in self.card.versions)

    @cached_property
    def _names(self) -> frozenset[str]:
        # A set, made once: thousands of references can each ask about a dataset of
        # thousands of versions.
        return frozenset(self.version_names)

    def has_version(self, name: str) -> bool:
        return name in self._names


@dataclass(frozen=True)
class LineageEdge:
    child: str  # model version reference
    parent: str  # model version reference, or an external id
    relation: Relation
    external: bool = False
    url: str | None = None


@dataclass(frozen=True)
class Catalog:
    """A resolved catalog: every valid card, indexed, with its lineage graph."""

    root: Path
    settings: CatalogSettings
    settings_path: Path | None
    models: Mapping[str, Model]
    datasets: Mapping[str, Dataset]
    # Every parsed version, including those of models whose model.yaml is invalid, so that
    # references to them still resolve and one broken file does not cascade into many errors.
    versions: Mapping[str, ModelVersion]
    model_ids: frozenset[str]
    dataset_ids: frozenset[str]
    # References of every version file found, parsed or not: existence checks use these.
    version_refs: frozenset[str]
    sources: Mapping[Path, SourceDocument] = field(repr=False)
    lineage: tuple[LineageEdge, ...] = ()

    def versions_of(self, model_id: str) -> list[ModelVersion]:
        found = [v for v in self.versions.values() if v.model_id == model_id]
        return sorted(found, key=lambda v: version_key(v.version))

    def parents(self, ref: str) -> list[LineageEdge]:
        return [edge for edge in self.lineage if edge.child == ref]

    def children(self, ref: str) -> list[LineageEdge]:
        return [edge for edge in self.lineage if edge.parent == ref and not edge.external]

    def position(self, path: Path, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where `loc` is in the file at `path`. Questions about one file in a row share one
        composition of it (the last file's locator is kept); for many places at once, ask
        `positions`."""
        source = self.sources.get(path)
        if source is None:
            return 1, 1
        locator = _recent_locator[0] if _recent_locator else None
        if locator is None or locator.document is not source:
            _recent_locator[:] = [locator := source.locator()]
        return locator.position(loc, key=key)

    def positions(self, path: Path, requests: Sequence[tuple[Loc, bool]]) -> list[tuple[int, int]]:
        """Where each (location, whether its key is meant) is in the file at `path`, found
        together in one pass over the file (positions.py)."""
        source = self.sources.get(path)
        return positions(source, requests) if source else [(1, 1)] * len(requests)


def same_version(before: ModelVersion, now: ModelVersion) -> bool:
    """Whether two loads of a version are made of the same card object (the loader hands
    back the object it made before for unchanged bytes: cardcache.HeldCards). Equal cards
    are not enough: what is worked out from a card includes places in its file."""
    return before is now or (before.card is now.card and before.path == now.path)


def same_cards(before: Model, now: Model) -> bool:
    """Whether two loads of a model are made of the same card objects (same_version)."""
    return (
        before.card is now.card
        and before.path == now.path
        and len(before.versions) == len(now.versions)
        and all(map(same_version, before.versions, now.versions))
    )


def resolve_catalog(
    root: Path,
    found: FoundFiles,
    settings: CatalogSettings,
    versions: dict[str, ModelVersion],
    model_cards: Mapping[str, ModelCard],
    dataset_cards: Mapping[str, DatasetCard],
    sources: Mapping[Path, SourceDocument],
) -> Catalog:
    """The Catalog of the cards that parsed: each model with its versions in SemVer order,
    and the lineage graph. `found` names every file, parsed or not (existence checks)."""
    by_model: dict[str, list[ModelVersion]] = {}
    for entry in versions.values():
        by_model.setdefault(entry.model_id, []).append(entry)
    models = {
        model_id: Model(
            model_id,
            card,
            found.models[model_id] / MODEL_FILE,
            tuple(sorted(by_model.get(model_id, []), key=lambda v: version_key(v.version))),
        )
        for model_id, card in model_cards.items()
    }
    datasets = {
        dataset_id: Dataset(dataset_id, card, found.datasets[dataset_id])
        for dataset_id, card in dataset_cards.items()
    }
    return Catalog(
        root=root,
        settings=settings,
        settings_path=found.settings,
        models=models,
        datasets=datasets,
        versions=versions,
        model_ids=frozenset(found.models),
        dataset_ids=frozenset(found.datasets),
        version_refs=frozenset(f"{m}@{v}" for m, v, _ in found.versions),
        sources=sources,
        lineage=tuple(_lineage_edges(versions.values())),
    )


def _lineage_edges(versions: Iterable[ModelVersion]) -> Iterator[LineageEdge]:
    for entry in versions:
        for item in entry.card.lineage:
            if item.model is not None:
                yield LineageEdge(entry.ref, item.model, item.relation)
            elif item.external is not None:
                yield LineageEdge(entry.ref, item.external, item.relation, True, item.url)
