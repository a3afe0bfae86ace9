"""Find the files of a catalog, parse each into a card, and resolve them into one Catalog.

The Catalog is what every later stage reads (rules, site, exports): it never changes after
it is built, and it keeps the parsed source of each file so problems can be located.
"""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .cardcache import CardCache, digest
from .cards import (
    CatalogSettings,
    DatasetCard,
    ModelCard,
    Relation,
    Stage,
    VersionCard,
    is_semver,
    is_valid_id,
)
from .codes import problem
from .forking import ChildFailed, available_cpus, fork_possible, run_forked
from .parse import CardT, parse_card
from .positions import positions
from .problems import Problem
from .semver import version_key
from .source import (
    Loc,
    Locator,
    SourceDocument,
    decode_text,
    parse_bytes,
    read_card_bytes,
    read_source,
)

# The problem codes this module owns: the catalog's layout (ids, version file names, what
# belongs where).
CODES = frozenset({"MC006", "MC007", "MC008", "MC009", "MC016"})

CATALOG_FILE = "catalog.yaml"
MODEL_FILE = "model.yaml"


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
    # Cards as pydantic's model_dump_json writes them, where the card cache had the text at
    # hand: catalog.json holds every card in that form, and need not write them again.
    card_json: Mapping[Path, str] = field(default_factory=dict, repr=False)
    _recent_locator: list[Locator] = field(default_factory=list, repr=False, compare=False)

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
        recent = self._recent_locator
        locator = next((found for found in recent if found.document.path == path), None)
        if locator is None:
            source = self.sources.get(path)
            if source is None:
                return 1, 1
            recent[:] = [locator := source.locator()]
        return locator.position(loc, key=key)

    def positions(
        self, path: Path, requests: Sequence[tuple[Loc, bool]]
    ) -> list[tuple[int, int]]:
        """Where each (location, whether its key is meant) is in the file at `path`, found
        together in one pass over the file (positions.py)."""
        source = self.sources.get(path)
        return positions(source, requests) if source else [(1, 1)] * len(requests)


class UnsafeCatalogPath(ValueError):
    """A catalog path that is, or passes through, a symbolic link (a usage error)."""


def check_catalog_path(path: Path) -> None:
    """Refuse a catalog folder that is a symbolic link, or is reached through one inside
    its git repository.

    The history check reads the base branch at the path it is given; were that path a link,
    a pull request could point it at another folder and every published version would look
    new (docs/security.md). Links above the repository's top (a home folder on another disk,
    /tmp on macOS) belong to the machine, not to a pull request, and are followed. The path
    is walked as the system would walk it, one part at a time, without following a link.
    """
    here = Path(path.anchor) if path.is_absolute() else Path(os.getcwd())
    parts = path.parts[1:] if path.is_absolute() else path.parts
    for index, part in enumerate(parts):
        if part == "..":
            here = here.parent
            continue
        step = here / part
        if not os.path.islink(step):
            here = step
            continue
        last = index == len(parts) - 1
        if last or _in_repository(here):
            raise UnsafeCatalogPath(
                f"refusing the catalog path {path}: {step} is a symbolic link (to "
                f"{os.readlink(step)}); name the catalog folder by its real path, so that the "
                "checks read the folder a pull request cannot redirect"
            )
        here = step.resolve()


def _in_repository(folder: Path) -> bool:
    """Whether a folder (a real one, no links) is inside a git working tree, as git finds
    one: a .git entry in it or in a folder above it."""
    return any(os.path.lexists(above / ".git") for above in (folder, *folder.parents))


@dataclass
class _Found:
    """The files of a catalog, sorted by kind, before parsing."""

    settings: Path | None = None
    models: dict[str, Path] = field(default_factory=dict)  # id -> folder
    versions: list[tuple[str, str, Path]] = field(default_factory=list)  # model, version, file
    datasets: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _ignored(name: str) -> bool:
    return name.startswith(".") or name == "README.md"


def _entries(folder: Path, found: _Found) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            return sorted((e for e in it if not _ignored(e.name)), key=lambda e: e.name)
    except OSError as error:
        found.problems.append(
            problem("MC017", folder, (1, 1), f"cannot read the folder: {error.strerror}")
        )
        return []


def _stray(path: Path, hint: str) -> Problem:
    return problem("MC009", path, (1, 1), f"{path.name!r} does not belong here; {hint}")


def _link_problem(entry: os.DirEntry[str], root: Path) -> Problem | None:
    """A symbolic link that is broken, loops, or leads outside the catalog folder."""
    if not entry.is_symlink():
        return None
    path = Path(entry.path)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return problem(
            "MC017", path, (1, 1),
            f"{entry.name!r} is a broken or looping symbolic link; point it at a file in "
            "the catalog or remove it",
        )
    if not target.is_relative_to(root.resolve()):
        return _stray(path, "it links outside the catalog folder")
    return None


def _not_a_file(path: Path) -> Problem:
    return problem(
        "MC017", path, (1, 1), f"{path.name!r} is not a regular file; a card is a YAML file"
    )


def _unusable(entry: os.DirEntry[str], root: Path, *, card: bool) -> Problem | None:
    """Why an entry named like a card (card=True) or a folder cannot be read as one."""
    found = _link_problem(entry, root)
    if found is not None:
        return found
    path = Path(entry.path)
    if card and not entry.is_file():
        return _not_a_file(path)
    if not card and not entry.is_dir():
        return _stray(path, f"{entry.name} must be a folder")
    return None


def discover(root: Path) -> _Found:
    """Sort every file under the catalog folder by kind; anything unexpected is a problem."""
    found = _Found()
    for entry in _entries(root, found):
        path = Path(entry.path)
        expected = entry.name in (CATALOG_FILE, "models", "datasets")
        unusable = _unusable(entry, root, card=entry.name == CATALOG_FILE)
        if unusable is not None:
            found.problems.append(unusable if expected else _stray(path, _top_level_hint(path)))
        elif entry.name == CATALOG_FILE:
            found.settings = path
        elif entry.name == "models":
            _discover_models(path, root, found)
        elif entry.name == "datasets":
            _discover_datasets(path, root, found)
        else:
            found.problems.append(_stray(path, _top_level_hint(path)))
    return found


def _top_level_hint(path: Path) -> str:
    close = difflib.get_close_matches(path.name, [CATALOG_FILE, "models", "datasets"], n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return "a catalog holds catalog.yaml, models/ and datasets/"


def _discover_models(folder: Path, root: Path, found: _Found) -> None:
    for entry in _entries(folder, found):
        path = Path(entry.path)
        unusable = _link_problem(entry, root)
        if unusable is not None:
            found.problems.append(unusable)
        elif not entry.is_dir():
            found.problems.append(_stray(path, "models/ holds one folder per model"))
        elif not is_valid_id(entry.name):
            found.problems.append(
                problem("MC006", path, (1, 1), _bad_id("model folder", entry.name))
            )
        else:
            _discover_model(entry.name, path, root, found)


def _discover_model(model_id: str, folder: Path, root: Path, found: _Found) -> None:
    has_card = False
    for entry in _entries(folder, found):
        path = Path(entry.path)
        stem, suffix = os.path.splitext(entry.name)
        if suffix != ".yaml":
            unusable = _link_problem(entry, root)
            found.problems.append(unusable or _stray(path, _model_folder_hint(entry.name)))
        elif (unusable := _unusable(entry, root, card=True)) is not None:
            found.problems.append(unusable)
        elif entry.name == MODEL_FILE:
            has_card = True
        elif is_semver(stem):
            found.versions.append((model_id, stem, path))
        else:
            found.problems.append(
                problem(
                    "MC007", path, (1, 1),
                    f"{entry.name!r}: a version file is named by its SemVer version, "
                    "such as 1.2.0.yaml or 2.0.0-rc.1.yaml",
                )
            )
    if has_card:
        found.models[model_id] = folder
    else:
        found.problems.append(
            problem(
                "MC016", folder / MODEL_FILE, (1, 1),
                f"model folder {model_id!r} has no model.yaml; add one (modelcards new model "
                f"{model_id}) or remove the folder",
            )
        )


def _model_folder_hint(name: str) -> str:
    stem, suffix = os.path.splitext(name)
    if suffix in (".yml", ".json"):
        return f"did you mean {stem + '.yaml'!r}?"
    return "a model folder holds model.yaml and one <version>.yaml per version"


def _discover_datasets(folder: Path, root: Path, found: _Found) -> None:
    for entry in _entries(folder, found):
        path = Path(entry.path)
        stem, suffix = os.path.splitext(entry.name)
        if suffix != ".yaml":
            hint = (
                f"did you mean {stem + '.yaml'!r}?"
                if suffix in (".yml", ".json")
                else "datasets/ holds one <dataset>.yaml per dataset"
            )
            found.problems.append(_link_problem(entry, root) or _stray(path, hint))
        elif (unusable := _unusable(entry, root, card=True)) is not None:
            found.problems.append(unusable)
        elif not is_valid_id(stem):
            found.problems.append(problem("MC006", path, (1, 1), _bad_id("dataset file", stem)))
        else:
            found.datasets[stem] = path


def _bad_id(what: str, name: str) -> str:
    return (
        f"{what} name {name!r} is not a valid id: use lowercase letters, digits, '.', '_' "
        "and '-', starting and ending with a letter or digit, at most 64 characters"
    )


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
        todo = [(path, raw) for path, kind in cards
                if (raw := self.files[path][0]) is not None
                and (self.cache is None or not self.cache.knows(kind, digest(raw)))]
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
                self.ahead[path] = (_document(path, raw, data), None) if failure is None else (
                    None, failure)

    def card(self, path: Path, kind: type[CardT]) -> tuple[CardT | None, SourceDocument | None]:
        """The card in a file, from the cache when its bytes were seen before."""
        read = self.files.pop(path, None)
        raw, failure = read if read is not None else read_card_bytes(path)
        if raw is None:
            return self._failed(failure)
        key = digest(raw) if self.cache is not None else ""
        cached = self.cache.get(kind, key) if self.cache is not None else None
        if cached is not None:
            text, failure = decode_text(path, raw)
            if text is None:
                return self._failed(failure)
            known = self.sources[path] = SourceDocument(path, None, text)
            card, self.card_json[path] = cached
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
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a catalog is loaded.

    Loading allocates millions of small objects, all kept and none in reference cycles, so
    every automatic collection rescans a growing heap for nothing: a third of the load time
    on a large catalog.
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

    found: _Found
    contents: Mapping[Path, tuple[bytes | None, Problem | None]]  # card file -> bytes, or why not


def _card_files(found: _Found) -> list[tuple[Path, type[BaseModel]]]:
    return [
        *((path, VersionCard) for _, _, path in found.versions),
        *((folder / MODEL_FILE, ModelCard) for folder in found.models.values()),
        *((path, DatasetCard) for path in found.datasets.values()),
    ]


def read_catalog_files(root: Path) -> CatalogFiles:
    found = discover(root)
    return CatalogFiles(found, {path: read_card_bytes(path) for path, _ in _card_files(found)})


def load_catalog(
    root: Path, cache: CardCache | None = None, files: CatalogFiles | None = None
) -> tuple[Catalog, list[Problem]]:
    """Load every card under `root` into a Catalog, with every problem found on the way.

    With a cache, cards whose file bytes were seen before are not parsed again. `files`:
    the catalog's files, when the caller has read them already (read_catalog_files).
    """
    with _collector_paused():
        return _load_catalog(root, cache, files or read_catalog_files(root))


def _load_catalog(
    root: Path, cache: CardCache | None, files: CatalogFiles
) -> tuple[Catalog, list[Problem]]:
    found = files.found
    parsed = _Parsed(problems=list(found.problems), cache=cache)
    parsed.parse_ahead(_card_files(found), files)
    settings = _load_settings(found.settings, parsed)
    versions = dict(_load_versions(found.versions, parsed))
    model_cards = dict(_load_cards(found.models, ModelCard, parsed, MODEL_FILE))
    dataset_cards = dict(_load_cards(found.datasets, DatasetCard, parsed, None))
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
    catalog = Catalog(
        root=root,
        settings=settings,
        settings_path=found.settings,
        models=models,
        datasets=datasets,
        versions=versions,
        model_ids=frozenset(found.models),
        dataset_ids=frozenset(found.datasets),
        version_refs=frozenset(f"{m}@{v}" for m, v, _ in found.versions),
        sources=parsed.sources,
        lineage=tuple(_lineage_edges(versions.values())),
        card_json=parsed.card_json,
    )
    return catalog, parsed.problems


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
        card, document = parsed.card(path, VersionCard)
        if card is None or document is None:
            continue
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
            continue
        entry = ModelVersion(model_id, version, card, path)
        yield entry.ref, entry


def _lineage_edges(versions: Iterable[ModelVersion]) -> Iterator[LineageEdge]:
    for entry in versions:
        for item in entry.card.lineage:
            if item.model is not None:
                yield LineageEdge(entry.ref, item.model, item.relation)
            elif item.external is not None:
                yield LineageEdge(entry.ref, item.external, item.relation, True, item.url)
