"""Read and parse a catalog's card files, and hand the cards to resolution (catalog.py).

What makes a load fast lives here: the card cache (cards known by the digest of their
bytes are not parsed again), parsing ahead over forked processes on large catalogs, and the
garbage collector paused while millions of objects that live as long as the catalog are made.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from .cardcache import CardCache, digest
from .cards import CatalogSettings, DatasetCard, ModelCard, VersionCard
from .catalog import Catalog, Dataset, Model, ModelVersion, resolve_catalog
from .codes import problem
from .discovery import MODEL_FILE, FoundFiles, card_files, discover
from .forking import ChildFailed, available_cpus, fork_possible, run_forked
from .parse import CardT, parse_card
from .problems import Problem
from .source import SourceDocument, decode_text, parse_bytes, read_card_bytes, read_source

# The problem code this module owns: a version file whose `version` differs from its name.
CODES = frozenset({"MC008"})

# Below this many files to parse, a second process costs more than it saves; above it, a
# process for each half of it, up to one per CPU.
PARSE_AHEAD_MIN_FILES = 400

Parsing = tuple[SourceDocument | None, Problem | None]


@dataclass
class _Parsed:
    sources: dict[Path, SourceDocument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    cache: CardCache | None = None
    card_json: dict[Path, str] = field(default_factory=dict)
    files: dict[Path, tuple[bytes | None, Problem | None]] = field(default_factory=dict)
    ahead: dict[Path, Parsing] = field(default_factory=dict)  # parsed by parse_ahead

    def parse_ahead(self, cards: list[tuple[Path, type[BaseModel]]], files: CatalogFiles) -> None:
        """Take every card file's bytes, and parse those the cache does not know over several
        processes at once when there are many: YAML parsing is most of a cold load, and
        files parse independently. Problems are still reported in the order of loading."""
        self.files = dict(files.contents)
        cache = self.cache
        todo = [
            (path, raw)
            for path, kind in cards
            if (raw := self.files[path][0]) is not None
            and (
                cache is None
                or (cache.recall(path, raw) is None and not cache.knows(kind, digest(raw)))
            )
        ]
        workers = min(available_cpus(), max(1, 2 * len(todo) // PARSE_AHEAD_MIN_FILES))
        if len(todo) < PARSE_AHEAD_MIN_FILES or workers < 2 or not fork_possible():
            return
        shares = [todo[number::workers] for number in range(workers)]
        try:
            results = run_forked([partial(_parse_all, share) for share in shares])
        except ChildFailed:
            return  # parsed one by one below, as without workers
        for share, parsings in zip(shares, results, strict=True):
            for (path, raw), (data, failure) in zip(share, parsings, strict=True):
                self.ahead[path] = (
                    (_document(path, raw, data), None) if failure is None else (None, failure)
                )

    def card(self, path: Path, kind: type[CardT]) -> tuple[CardT | None, SourceDocument | None]:
        """The card in a file, from the cache when its bytes were seen before."""
        read = self.files.pop(path, None)
        raw, failure = read if read is not None else read_card_bytes(path)
        if raw is None:
            return self._failed(failure)
        cache = self.cache
        recalled = cache.recall(path, raw) if cache is not None else None
        if recalled is not None:  # the very bytes this path held at the last load
            card, self.sources[path], self.card_json[path] = recalled
            return card, self.sources[path]
        key = digest(raw) if cache is not None else ""
        cached = cache.get(kind, key) if cache is not None else None
        if cache is not None and cached is not None:
            text, failure = decode_text(path, raw)
            if text is None:
                return self._failed(failure)
            known = self.sources[path] = SourceDocument(path, None, text)
            card, self.card_json[path] = cached
            cache.remember(path, raw, card, known, self.card_json[path])
            return card, known
        ahead = self.ahead.pop(path, None)
        document, failure = ahead if ahead is not None else parse_bytes(path, raw)
        if document is None:
            return self._failed(failure)
        self.sources[path] = document
        before = len(self.problems)
        card = self._parse(kind, document)
        if self.cache is not None and card is not None and len(self.problems) == before:
            self.card_json[path] = self.cache.put(kind, key, card)
            self.cache.remember(path, raw, card, document, self.card_json[path])
        return card, document

    def _failed(self, failure: Problem | None) -> tuple[None, None]:
        assert failure is not None
        self.problems.append(failure)
        return None, None

    def _parse(self, kind: type[CardT], document: SourceDocument | None) -> CardT | None:
        if document is None:
            return None
        card, problems = parse_card(kind, document)
        self.problems.extend(problems)
        return card

    def read(self, path: Path) -> SourceDocument | None:
        document, failure = read_source(path)
        if failure is not None:
            self.problems.append(failure)
            return None
        assert document is not None
        self.sources[path] = document
        return document


def _parse_all(files: list[tuple[Path, bytes]]) -> list[tuple[Any, Problem | None]]:
    """The data of each file, or its problem. Only that travels back from a worker: the
    text and the path are known to the parent, and pickling them would cost more time than
    parsing in parallel saves."""
    found: list[tuple[Any, Problem | None]] = []
    for path, raw in files:
        document, failure = parse_bytes(path, raw)
        found.append((document.data if document is not None else None, failure))
    return found


def _document(path: Path, raw: bytes, data: Any) -> SourceDocument:
    text, _ = decode_text(path, raw)  # it decoded in the worker, so it does here
    assert text is not None
    return SourceDocument(path, data, text)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a catalog is loaded (or a site is built).

    Loading allocates millions of small objects, all kept and none in reference cycles, so
    every automatic collection rescans a growing heap for nothing: a third of the load time
    on a large catalog. Rendering a page leaves next to no cycles either (6 objects in
    cycles after all 6,898 pages of a 200 x 10 catalog), so a build keeps it paused too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Move what was loaded out of the collector's sight for good: later collections
        # (during rules and rendering) then scan only new objects. Reference counting still
        # frees the catalog when it is dropped.
        gc.freeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class CatalogFiles:
    """A catalog's files as found and read, not parsed yet (catalog.yaml aside): what a
    build compares with its last one before it loads anything."""

    found: FoundFiles
    contents: Mapping[Path, tuple[bytes | None, Problem | None]]  # card file -> bytes, or why not


def read_catalog_files(root: Path) -> CatalogFiles:
    found = discover(root)
    return CatalogFiles(found, {path: read_card_bytes(path) for path, _ in card_files(found)})


def load_catalog(
    root: Path,
    cache: CardCache | None = None,
    files: CatalogFiles | None = None,
    card_json: dict[Path, str] | None = None,
) -> tuple[Catalog, list[Problem]]:
    """Load every card under `root` into a Catalog, with every problem found on the way.

    With a cache, cards whose file bytes were seen before are not parsed again. `files`:
    the catalog's files, when the caller has read them already (read_catalog_files).
    `card_json`: filled with each card as pydantic's model_dump_json writes it, where the
    card cache had that text at hand (the site's catalog.json need not write them again).
    """
    with collector_paused():
        return _load_catalog(
            root, cache, files or read_catalog_files(root), {} if card_json is None else card_json
        )


def _load_catalog(
    root: Path, cache: CardCache | None, files: CatalogFiles, card_json: dict[Path, str]
) -> tuple[Catalog, list[Problem]]:
    found = files.found
    parsed = _Parsed(problems=list(found.problems), cache=cache, card_json=card_json)
    parsed.parse_ahead(card_files(found), files)
    settings = _load_settings(found.settings, parsed)
    versions = dict(_load_versions(found.versions, parsed))
    model_cards = dict(_load_cards(found.models, ModelCard, parsed, MODEL_FILE))
    dataset_cards = dict(_load_cards(found.datasets, DatasetCard, parsed, None))
    catalog = resolve_catalog(
        root, found, settings, versions, model_cards, dataset_cards, parsed.sources
    )
    return catalog, parsed.problems


def load_changed(
    previous: Catalog,
    problems: list[Problem],
    found: FoundFiles,
    changed: Mapping[Path, tuple[bytes | None, Problem | None]],
    cache: CardCache | None,
    card_json: dict[Path, str],
) -> tuple[Catalog, list[Problem]]:
    """`previous` (loaded from the files `found` names, with `problems`) with the card files
    in `changed` loaded again from their new bytes: the same catalog and problems load_catalog
    would give, without going over the files that did not change. The files must be the
    same set (only their bytes changed), and not catalog.yaml. `card_json`: the previous
    load's, updated in place."""
    with collector_paused():
        discovered = set(found.problems)
        parsed = _Parsed(
            problems=[p for p in problems if p in discovered or p.file not in changed],
            cache=cache,
            card_json=card_json,
            files=dict(changed),
        )
        parsed.sources = dict(previous.sources)
        for path in changed:
            parsed.sources.pop(path, None)
            card_json.pop(path, None)
        versions: dict[str, ModelVersion] = {}
        for model_id, version, path in found.versions:  # in the order of a whole load
            if path in changed:
                entry = _version_entry(model_id, version, path, parsed)
            else:
                entry = previous.versions.get(f"{model_id}@{version}")
            if entry is not None:
                versions[entry.ref] = entry
        model_cards = dict(
            _cards_again(found.models, ModelCard, parsed, MODEL_FILE, previous.models, changed)
        )
        dataset_cards = dict(
            _cards_again(found.datasets, DatasetCard, parsed, None, previous.datasets, changed)
        )
        catalog = resolve_catalog(
            previous.root,
            found,
            previous.settings,
            versions,
            model_cards,
            dataset_cards,
            parsed.sources,
        )
        return catalog, parsed.problems


def _cards_again(
    ids: dict[str, Path],
    kind: type[CardT],
    parsed: _Parsed,
    file_name: str | None,
    before: Mapping[str, Model | Dataset],
    changed: Mapping[Path, object],
) -> Iterator[tuple[str, CardT]]:
    """Model or dataset cards: those of changed files loaded again, the others as before."""
    for card_id, location in ids.items():
        path = location / file_name if file_name else location
        if path in changed:
            card, _ = parsed.card(path, kind)
        else:
            known = before.get(card_id)
            card = cast(CardT, known.card) if known is not None else None
        if card is not None:
            yield card_id, card


def _load_settings(path: Path | None, parsed: _Parsed) -> CatalogSettings:
    if path is None:
        return CatalogSettings()
    document = parsed.read(path)
    if document is None:
        return CatalogSettings()
    if document.data is None:  # an empty catalog.yaml means "all defaults"
        return CatalogSettings()
    settings, problems = parse_card(CatalogSettings, document)
    parsed.problems.extend(problems)
    return settings or CatalogSettings()


def _load_cards(
    ids: dict[str, Path],
    kind: type[CardT],
    parsed: _Parsed,
    file_name: str | None,
) -> Iterator[tuple[str, CardT]]:
    for card_id, location in ids.items():
        path = location / file_name if file_name else location
        card, _ = parsed.card(path, kind)
        if card is not None:
            yield card_id, card


def _load_versions(
    files: list[tuple[str, str, Path]], parsed: _Parsed
) -> Iterator[tuple[str, ModelVersion]]:
    for model_id, version, path in files:
        entry = _version_entry(model_id, version, path, parsed)
        if entry is not None:
            yield entry.ref, entry


def _version_entry(model_id: str, version: str, path: Path, parsed: _Parsed) -> ModelVersion | None:
    card, document = parsed.card(path, VersionCard)
    if card is None or document is None:
        return None
    if card.version != version:
        parsed.problems.append(
            problem(
                "MC008",
                path,
                document.position(["version"]),
                f"version {card.version!r} differs from the file name {path.name!r}; "
                f"the file of version {card.version} is {card.version}.yaml",
            )
        )
        return None
    return ModelVersion(model_id, version, card, path)
