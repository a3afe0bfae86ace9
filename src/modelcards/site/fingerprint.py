"""What each page is made from, as one digest: the key of the incremental build.

A page's fingerprint covers everything its renderer can read, and a little more: when two
builds give a page the same fingerprint, rendering it again would give the same bytes, so
the earlier file can be kept. When in doubt a page depends on more, never on less: a wrong
"unchanged" would publish a stale page, a wrong "changed" only costs a render.

What goes in:
- every page: the build's global inputs (the package's code and default theme, the theme
  override folder, catalog.yaml, the date used as today, SOURCE_DATE_EPOCH, where the
  catalog and its repository are) and the page's own path and kind;
- a model's pages (model page, badge, and each version's page, README.md and bom.json): the
  model card and every version card of the model (previous versions, aliases, summaries
  and deprecations are read across versions); version pages and exports also the lineage
  edges of those versions, whether each version they name exists, and the cards of every
  dataset the versions name; the model page also the cards of every version (and its model)
  in the lineage graph it draws;
- a dataset page: its card and the cards of the versions trained or evaluated on it;
- the pages that list the whole catalog (home, governance, feed, catalog.json, search
  index, sitemap): every card.
Cards are identified by their path and their text, so any edit, even a comment, counts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..catalog import Catalog, ModelVersion
from ..rules.references import resolve_replacement
from .context import SiteData
from .lineage import lineage_subgraph
from .structure import Page

FORMAT = "modelcards-fingerprint-1"
PACKAGE = Path(__file__).resolve().parent.parent
MISSING = "-"
GLOBAL_KINDS = frozenset(
    {"home", "governance", "catalog-json", "feed", "search-index", "sitemap"}
)
MODEL_KINDS = frozenset({"version", "hf-readme", "cyclonedx-bom"})


def _digest(parts: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def _files(folder: Path, pattern: str) -> Iterator[str]:
    """Each file under `folder` matching `pattern`, as its name and the digest of its bytes."""
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            yield path.relative_to(folder).as_posix()
            yield hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()


def code_digest(default_theme: Path) -> str:
    """The package's Python code and default theme: a changed renderer is a changed input,
    even in an editable install whose version number stays the same."""
    return _digest([__version__, *_files(PACKAGE, "*.py"), "theme", *_files(default_theme, "*")])


def global_digest(site: SiteData, theme: Path | None, code: str) -> str:
    catalog = site.catalog
    settings = catalog.sources.get(catalog.settings_path) if catalog.settings_path else None
    parts = [
        FORMAT, code, "override", *(_files(theme, "*") if theme is not None else ()),
        "settings", settings.text if settings else MISSING,
        site.today.isoformat(), os.environ.get("SOURCE_DATE_EPOCH", ""),
        str(catalog.root.resolve()), str(site.repo_root),
    ]
    return _digest(parts)


def _card_digests(catalog: Catalog) -> dict[Path, str]:
    root = catalog.root
    found = {}
    for path, source in catalog.sources.items():
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = str(path)
        found[path] = _digest([name, source.text])
    return found


@dataclass(frozen=True)
class Fingerprints:
    """Digests of the inputs of each page of one build."""

    site: SiteData
    base: str  # the global inputs
    cards: Mapping[Path, str]  # card file -> digest of its name and text
    everything: str  # every card at once
    memo: dict[tuple[str, str], str] = field(default_factory=dict)

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

    def page(self, page: Page) -> str:
        return _digest([self.base, page.kind, page.path, page.subject, *self._inputs(page)])

    def _inputs(self, page: Page) -> Iterator[str]:
        if page.kind in GLOBAL_KINDS:
            yield self.everything
        elif page.kind in ("model", "badge"):
            yield self._per_model("family", page.subject, self._family)
            if page.kind == "model":
                yield self._per_model("lineage", page.subject, self._lineage_graph)
        elif page.kind in MODEL_KINDS:
            model_id = self.site.catalog.versions[page.subject].model_id
            yield self._per_model("family", model_id, self._family)
            yield self._per_model("neighbours", model_id, self._neighbours)
        elif page.kind == "dataset":
            yield self.dataset(page.subject)
            for usage in self.site.usage.get(page.subject, []):
                yield usage.version.ref
                yield self.card(usage.version.path)
        # assets and the 404 page depend on the global inputs alone

    def _per_model(self, part: str, model_id: str, parts: Callable[[str], Iterator[str]]) -> str:
        """One digest per model and part, shared by all the model's pages."""
        key = (part, model_id)
        if key not in self.memo:
            self.memo[key] = _digest(parts(model_id))
        return self.memo[key]

    def _family(self, model_id: str) -> Iterator[str]:
        yield model_id
        yield self.model(model_id)
        for version in self._versions(model_id):
            yield version.ref
            yield self.card(version.path)

    def _versions(self, model_id: str) -> tuple[ModelVersion, ...]:
        model = self.site.catalog.models.get(model_id)
        return model.versions if model else tuple(self.site.catalog.versions_of(model_id))

    def _neighbours(self, model_id: str) -> Iterator[str]:
        """Lineage edges of the model's versions, the versions they and replaced_by name
        (whether each exists), and the datasets the versions name."""
        site, catalog = self.site, self.site.catalog
        named: set[str] = set()
        datasets: set[str] = set()
        for version in self._versions(model_id):
            for edge in (*site.parents.get(version.ref, ()), *site.children.get(version.ref, ())):
                yield repr(edge)
                named.update((edge.child, edge.parent))
            for event in version.card.lifecycle:
                if event.replaced_by:
                    named.add(resolve_replacement(version, event.replaced_by))
            card = version.card
            references = [*(card.training.data if card.training else ()),
                          *(m.dataset for m in card.metrics if m.dataset)]
            datasets.update(ref.partition("@")[0] for ref in references)
        for ref in sorted(named):
            yield f"{ref}={ref in catalog.versions}"
        for dataset_id in sorted(datasets):
            yield dataset_id
            yield self.dataset(dataset_id)

    def _lineage_graph(self, model_id: str) -> Iterator[str]:
        nodes, edges = lineage_subgraph(self.site.catalog, model_id, 2, self.site.lineage)
        for edge in edges:
            yield repr(edge)
        for node in nodes:
            yield repr(node)
            yield self.version(node.ref)
            yield self.model(node.ref.partition("@")[0])


def fingerprints(site: SiteData, theme: Path | None, code: str) -> Fingerprints:
    cards = _card_digests(site.catalog)
    everything = _digest(f"{path}={digest}" for path, digest in sorted(cards.items()))
    return Fingerprints(site, global_digest(site, theme, code), cards, everything)
