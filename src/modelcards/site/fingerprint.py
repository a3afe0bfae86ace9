"""What each page is made from, as one digest: the key of the incremental build.

A page's fingerprint covers everything its renderer can read, and a little more: when two
builds give a page the same fingerprint, rendering it again would give the same bytes, so
the earlier file can be kept. When in doubt a page depends on more, never on less: a wrong
"unchanged" would publish a stale page, a wrong "changed" only costs a render.

What goes in:
- every page: the build's global inputs (the package's code and default theme, the theme
  override folder, catalog.yaml, the date used as today, SOURCE_DATE_EPOCH, where the
  catalog and its repository are); the cache keeps digests by page path, and pages with
  the same inputs share one digest;
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
  catalog.json, search index, sitemap): every card.
Cards are identified by their path and their text, so any edit, even a comment, counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..cardcache import runtime
from ..cards import Stage
from ..catalog import Catalog, ModelVersion
from ..formats import EXPORT_FORMATS
from ..loading import CatalogFiles
from ..queries import replacement_chain, resolve_replacement
from ..source import FileRefused, decode_text, read_card_bytes, read_regular_file
from .context import SiteData, repository_root
from .lineage import lineage_subgraph, model_neighbourhood
from .render import MAX_THEME_FILE_BYTES
from .structure import Page

FORMAT = "modelcards-fingerprint-2"
PACKAGE = Path(__file__).resolve().parent.parent
MISSING = "-"
# The libraries whose output lands in the site: templates, Markdown, sanitising, YAML, JSON.
RENDERING_LIBRARIES = ("jinja2", "markupsafe", "cmarkgfm", "nh3", "pyyaml", "pydantic-core")
GLOBAL_KINDS = frozenset(
    {"home", "governance", "catalog-json", "feed", "search-index", "sitemap", "datasets"}
)
MODEL_KINDS = frozenset({"version", *(f.page_kind for f in EXPORT_FORMATS.values())})


def _digest(parts: Iterable[str]) -> str:
    """One digest of the parts, each ended by a NUL (one encode and one update: it runs
    for every card and every group of pages)."""
    text = "\0".join(parts) + "\0"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _files(folder: Path, pattern: str) -> Iterator[str]:
    """Each file under `folder` matching `pattern`, as its name and the digest of its bytes,
    read as the theme loader reads them; or why they cannot be read (a link out of the
    folder, a FIFO): a page that needs such a file fails the build, the others do not."""
    for path in sorted(folder.rglob(pattern)):
        if path.is_dir():
            continue
        yield path.relative_to(folder).as_posix()
        try:
            data = read_regular_file(path, MAX_THEME_FILE_BYTES, inside=folder)
        except (FileRefused, OSError) as error:
            yield f"unreadable: {error}"
            continue
        yield hashlib.blake2b(data, digest_size=20).hexdigest()


def code_digest(default_theme: Path) -> str:
    """The package's Python code and default theme, Python's version and those of the
    libraries that write the pages: a changed renderer is a changed input, even in an
    editable install whose version number stays the same, or in a CI job that installs a
    newer Jinja2 on a cached site."""
    return _digest([__version__, runtime(*RENDERING_LIBRARIES), *_files(PACKAGE, "*.py"),
                    "theme", *_files(default_theme, "*")])


def global_digest(
    root: Path, settings: str | None, today: dt.date, theme: Path | None, code: str
) -> str:
    """`settings`: the text of catalog.yaml, None when there is none."""
    parts = [
        FORMAT, code, "override", *(_files(theme, "*") if theme is not None else ()),
        "settings", settings if settings is not None else MISSING,
        today.isoformat(), os.environ.get("SOURCE_DATE_EPOCH", ""),
        str(root.resolve()), str(repository_root(root)),
    ]
    return _digest(parts)


def _card_digests(root: Path, texts: Mapping[Path, str]) -> dict[Path, str]:
    found = {}
    for path, text in texts.items():
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = str(path)
        found[path] = _digest([name, text])
    return found


@dataclass(frozen=True)
class Fingerprints:
    """Digests of the inputs of each page of one build."""

    site: SiteData
    base: str  # the global inputs
    cards: Mapping[Path, str]  # card file -> digest of its name and text
    everything: str  # every card at once
    memo: dict[tuple[str, str], str] = field(default_factory=dict)  # page group -> digest

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
        """The digest of a page's inputs. Pages with the same inputs (every page of a
        version's family, every page listing the whole catalog) share one digest, worked out
        once: the cache stores it by path, so a page needs no digest of its own."""
        group = self._group(page)
        if group not in self.memo:
            self.memo[group] = _digest([self.base, *group, *self._inputs(*group)])
        return self.memo[group]

    def _group(self, page: Page) -> tuple[str, str]:
        if page.kind in GLOBAL_KINDS:
            return "catalog", ""
        if page.kind in ("model", "badge", "dataset", "lineage", "leaderboard", "compare-index",
                         "compare-data"):
            return page.kind, page.subject
        if page.kind in MODEL_KINDS:
            return "version", self.site.catalog.versions[page.subject].model_id
        if page.kind == "compare":  # the page names its task; the pair is read in the browser
            return "compare", page.subject
        return "theme", ""  # assets and the 404 page depend on the global inputs alone

    def _inputs(self, group: str, subject: str) -> Iterator[str]:
        if group == "catalog":
            yield self.everything
        elif group in ("model", "badge"):
            yield from self._family(subject)
            if group == "model":
                yield from self._lineage_graph(subject)
                yield from self._replacements(subject)
                yield from self._metric_datasets(subject)
        elif group == "compare-index":
            for model in self.site.catalog.models.values():
                if model.card.task == subject:
                    yield model.id
                    yield self.model(model.id)
                    yield from (v.ref for v in model.versions)
        elif group == "compare-data":
            yield from self._family(subject)
            yield from self._metric_datasets(subject)
        elif group == "leaderboard":
            yield self.dataset(subject.partition("@")[0])
            board = self.site.leaderboards.get(subject)
            rows = [r.version for b in (board.boards if board else ()) for r in b.rows]
            yield from self._cards({v.ref for v in rows})
            # A production version's share of traffic is read from its model's other versions.
            for model_id in sorted({v.model_id for v in rows if v.stage is Stage.PRODUCTION}):
                yield from self._family(model_id)
        elif group == "lineage":
            yield self.model(subject)
            yield from self._full_lineage(subject)
        elif group == "version":
            yield from self._family(subject)
            yield from self._neighbours(subject)
            yield from self._replacements(subject)
        elif group == "dataset":
            yield self.dataset(subject)
            usages = self.site.usage.get(subject, [])
            for usage in usages:
                yield usage.version.ref
                yield self.card(usage.version.path)
            # A production version's share of traffic is read from its model's other versions.
            for model_id in sorted({u.version.model_id for u in usages
                                    if u.version.stage is Stage.PRODUCTION}):
                yield from self._family(model_id)

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

    def _metric_datasets(self, model_id: str) -> Iterator[str]:
        named = {m.dataset.partition("@")[0] for v in self._versions(model_id)
                 for m in v.card.metrics if m.dataset}
        for dataset_id in sorted(named):
            yield dataset_id
            yield self.dataset(dataset_id)

    def _replacements(self, model_id: str) -> Iterator[str]:
        """The cards of every version the model's deprecated versions send their users to,
        in turn: a banner names where the chain of replacements leads now."""
        catalog = self.site.catalog
        for version in self._versions(model_id):
            chain = replacement_chain(catalog, version)
            for ref in chain.refs if chain else ():
                yield ref
                yield self.version(ref)

    def _lineage_graph(self, model_id: str) -> Iterator[str]:
        catalog, index = self.site.catalog, self.site.lineage
        drawn = model_neighbourhood(catalog, model_id, index)
        yield from map(repr, drawn.links)
        refs = {ref for node in drawn.nodes for ref in (node.ref, *node.folded)}
        # Who stands behind a "+N more" node, and which version it hangs from.
        for ref in [v.ref for v in self._versions(model_id)]:
            refs.update(index.parents.get(ref, ()))
            refs.update(index.children.get(ref, ()))
        for node in drawn.nodes:
            yield repr(node)
        yield from self._cards(refs)

    def _full_lineage(self, model_id: str) -> Iterator[str]:
        nodes, edges = lineage_subgraph(self.site.catalog, model_id, None, self.site.lineage)
        yield from map(repr, edges)
        yield from map(repr, nodes)
        yield from self._cards({node.ref for node in nodes})

    def _cards(self, refs: Iterable[str]) -> Iterator[str]:
        """Each version's card and its model's card."""
        for ref in sorted(refs):
            yield ref
            yield self.version(ref)
            yield self.model(ref.partition("@")[0])


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build reads, digested: the global inputs and every card."""

    base: str
    cards: Mapping[Path, str]  # card file -> digest of its name and text
    everything: str  # every card at once

    @property
    def whole(self) -> str:
        """Equal for two builds only when they would make the same site, page for page."""
        return _digest([self.base, self.everything])


def build_inputs(catalog: Catalog, today: dt.date, theme: Path | None, code: str) -> BuildInputs:
    settings = catalog.sources.get(catalog.settings_path) if catalog.settings_path else None
    texts = {path: source.text for path, source in catalog.sources.items()}
    return _inputs(catalog.root, settings.text if settings else None, texts, today, theme, code)


def _inputs(
    root: Path, settings: str | None, texts: Mapping[Path, str], today: dt.date,
    theme: Path | None, code: str,
) -> BuildInputs:
    cards = _card_digests(root, texts)
    # Each digest covers a card's name (from the catalog folder) and text: sorted, they say
    # what every card is, however the catalog folder's path was spelled.
    everything = _digest(sorted(cards.values()))
    return BuildInputs(global_digest(root, settings, today, theme, code), cards, everything)


def read_inputs(
    root: Path, files: CatalogFiles, today: dt.date, theme: Path | None, code: str
) -> BuildInputs | None:
    """The inputs of a build of `root`, from its files alone: the same digests as
    build_inputs gives for the catalog they load into, without parsing a line.

    None when the catalog's folders hold anything discovery reports (a stray file, a link
    leading outside) or a card that cannot be read as text: only a full build says what."""
    found = files.found
    if found.problems:
        return None
    texts: dict[Path, str] = {}
    settings: str | None = None
    if found.settings is not None:
        settings = _text(found.settings, read_card_bytes(found.settings)[0])
        if settings is None:
            return None
        texts[found.settings] = settings
    for path, (raw, _) in files.contents.items():
        text = _text(path, raw)
        if text is None:
            return None
        texts[path] = text
    return _inputs(root, settings, texts, today, theme, code)


def _text(path: Path, raw: bytes | None) -> str | None:
    return decode_text(path, raw)[0] if raw is not None else None


def fingerprints(site: SiteData, inputs: BuildInputs) -> Fingerprints:
    return Fingerprints(site, inputs.base, inputs.cards, inputs.everything)
