"""`validate --base REF` for the cards that are not version cards: model cards, dataset cards
and catalog.yaml.

What changed is listed in the pull-request summary; the rules that a dataset version
published on the base is a record (MC066, MC067) are in rules/history.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .cards import CatalogSettings, DatasetCard, ModelCard
from .catalog import Catalog
from .discovery import CATALOG_FILE, MODEL_FILE
from .history_git import BaseTree, blob_id, read_blobs
from .parse import parse_card
from .source import (
    MAX_FILE_BYTES,
    FileRefused,
    SourceDocument,
    parse_source,
    read_regular_file,
)

KINDS: dict[str, type[BaseModel]] = {
    "model": ModelCard,
    "dataset": DatasetCard,
    "settings": CatalogSettings,
}
_MODEL_FILE = re.compile(rf"^models/([^/]+)/{re.escape(MODEL_FILE)}$")
_DATASET_FILE = re.compile(r"^datasets/([^/]+)\.yaml$")

Key = tuple[str, str]  # (kind, id): ("model", "fraud"), ("dataset", "tx"), ("settings", "")


@dataclass(frozen=True)
class BaseCard:
    """A model card, a dataset card or catalog.yaml as the base ref has it (card None when it
    does not parse there)."""

    kind: str
    key: str
    path: Path  # where the file is (or was) in the working tree
    card: BaseModel | None
    source: SourceDocument | None
    text: str


@dataclass(frozen=True)
class CardChanges:
    """The model cards, dataset cards and catalog.yaml that differ from the base."""

    changed: dict[Key, BaseCard] = field(default_factory=dict)  # on both sides, different
    deleted: dict[Key, BaseCard] = field(default_factory=dict)
    added: list[Key] = field(default_factory=list)


def _base_files(tree: BaseTree) -> dict[str, tuple[Key, str]]:
    """The base's model cards, dataset cards and catalog.yaml: path -> (key, blob id)."""
    found: dict[str, tuple[Key, str]] = {}
    for path, oid in tree.blobs.items():
        if path == CATALOG_FILE:
            found[path] = (("settings", ""), oid)
        elif match := _MODEL_FILE.match(path):
            found[path] = (("model", match.group(1)), oid)
        elif match := _DATASET_FILE.match(path):
            found[path] = (("dataset", match.group(1)), oid)
    return found


def _present(catalog: Catalog) -> dict[Key, Path]:
    """The working tree's cards of these kinds, parsed or not, as the catalog found them."""
    found: dict[Key, Path] = {}
    if catalog.settings_path is not None:
        found[("settings", "")] = catalog.settings_path
    for model_id in catalog.model_ids:
        found[("model", model_id)] = catalog.root / "models" / model_id / MODEL_FILE
    for dataset_id in catalog.dataset_ids:
        found[("dataset", dataset_id)] = catalog.root / "datasets" / f"{dataset_id}.yaml"
    return found


def compare_cards(catalog: Catalog, tree: BaseTree) -> CardChanges:
    files = _base_files(tree)
    present = _present(catalog)
    changed: list[str] = []
    deleted: list[str] = []
    for path, (key, oid) in sorted(files.items()):
        if key not in present:
            deleted.append(path)
            continue
        try:
            data = read_regular_file(present[key], MAX_FILE_BYTES)
        except (FileRefused, OSError):
            continue  # the working tree's own error (MC010, MC017)
        if blob_id(data, len(oid)) != oid:
            changed.append(path)
    contents = read_blobs(
        tree.top, [files[p][1] for p in changed + deleted], tree.sizes, MAX_FILE_BYTES
    )
    base_keys = {key for key, _ in files.values()}
    return CardChanges(
        changed={files[p][0]: _parse(catalog.root / p, files[p], contents) for p in changed},
        deleted={files[p][0]: _parse(catalog.root / p, files[p], contents) for p in deleted},
        added=sorted(key for key in present if key not in base_keys),
    )


def _parse(where: Path, entry: tuple[Key, str], contents: dict[str, bytes]) -> BaseCard:
    (kind, key), oid = entry
    text = contents.get(oid, b"").decode("utf-8", "replace").removeprefix("\ufeff")
    document, failure = parse_source(where, text)
    card: BaseModel | None = None
    if document is not None and failure is None:
        if kind == "settings" and document.data is None:
            card = CatalogSettings()  # an empty catalog.yaml means "all defaults"
        else:
            card, _ = parse_card(KINDS[kind], document)
    return BaseCard(kind, key, where, card, document, text)


# ---- what changed, for the summary ---------------------------------------------------------------


def changed_fields(old: BaseModel, new: BaseModel, deeper: tuple[str, ...] = ()) -> list[str]:
    """The top-level fields that differ between two cards of one kind (one level deeper for
    the fields named in `deeper`), sorted."""
    before, after = old.model_dump(), new.model_dump()
    names = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) == after.get(name):
            continue
        inner_old, inner_new = before.get(name), after.get(name)
        if name in deeper and isinstance(inner_old, dict) and isinstance(inner_new, dict):
            names += [
                f"{name}.{inner}"
                for inner in sorted(set(inner_old) | set(inner_new))
                if inner_old.get(inner) != inner_new.get(inner)
            ]
        else:
            names.append(name)
    return names
