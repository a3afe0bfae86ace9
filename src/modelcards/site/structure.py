"""Which files the site has: a pure function of the resolved catalog.

Each Page names its output path, the kind of page and what it is about; rendering one needs
nothing but the prepared catalog, so pages can be rendered in any order or in parallel.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Catalog
from ..formats import EXPORT_FORMATS
from . import paths
from .leaderboards import leaderboard_refs
from .render import ASSETS


@dataclass(frozen=True)
class Page:
    path: str  # from the site root, with "/" separators
    kind: str  # a key of pages.KINDS, which says how pages of the kind are rendered and kept
    subject: str = ""  # the model id, version reference, dataset id or theme file it shows


# A model's pages, by what decides them: its id, its versions and whether any has lineage.
ModelShape = tuple[str, tuple[str, ...], bool]


def site_pages(catalog: Catalog, known: dict[ModelShape, list[Page]] | None = None) -> list[Page]:
    """`known`: the pages of models as an earlier call listed them, taken over for models
    of the same shape and filled in with the others (`serve` lists the pages of one catalog
    after another)."""
    pages = [
        Page(paths.HOME, "home"),
        Page(paths.GOVERNANCE, "governance"),
        Page(paths.DATASETS, "datasets"),
        Page(paths.NOT_FOUND, "not-found"),
        Page(paths.CATALOG_JSON, "catalog-json"),
        Page(paths.FEED, "feed"),
        Page(paths.SEARCH_INDEX, "search-index"),
        *(Page(name, "asset", name) for name in ASSETS),
    ]
    linked = {ref for edge in catalog.lineage for ref in (edge.parent, edge.child)}
    for task in sorted({m.card.task for m in catalog.models.values()}):
        pages.append(Page(paths.compare_path(task), "compare", task))
        pages.append(Page(paths.compare_index_path(task), "compare-index", task))
    for model_id in sorted(catalog.models):
        versions = catalog.models[model_id].versions
        shape = (model_id, tuple(v.ref for v in versions), any(v.ref in linked for v in versions))
        found = known.get(shape) if known is not None else None
        if found is None:
            found = _model_pages(shape)
            if known is not None:
                known[shape] = found
        pages += found
    pages += [Page(paths.dataset_path(d), "dataset", d) for d in sorted(catalog.datasets)]
    pages += [
        Page(paths.leaderboard_path(ref), "leaderboard", ref) for ref in leaderboard_refs(catalog)
    ]
    if catalog.settings.base_url:
        pages.append(Page(paths.SITEMAP, "sitemap"))
    return pages


def _model_pages(shape: ModelShape) -> list[Page]:
    model_id, refs, has_lineage = shape
    pages = [
        Page(paths.model_path(model_id), "model", model_id),
        Page(paths.compare_data_path(model_id), "compare-data", model_id),
    ]
    if has_lineage:
        pages.append(Page(paths.lineage_path(model_id), "lineage", model_id))
    pages.append(Page(paths.badge_path(model_id), "badge", model_id))
    for ref in refs:  # in SemVer order already
        pages.append(Page(paths.version_path(ref), "version", ref))
        pages += [
            Page(paths.version_export_path(ref, export.file_name), export.page_kind, ref)
            for export in EXPORT_FORMATS.values()
        ]
    return pages
