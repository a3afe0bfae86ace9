"""`validate --base REF`: a version published on the base branch is a record.

The base's version cards are read through git (history_git), parsed with the same code as
the working tree, and compared with the resolved working-tree catalog:

- a version on the base may not be deleted (MC060), and a renamed model folder is a
  deletion plus an addition (MC061);
- its recorded facts may not change (MC062);
- metrics, lifecycle events and monitoring observations are append-only (MC063 to MC065);
- a dataset version is a record too (MC066, MC067; history_cards reads the model cards,
  dataset cards and catalog.yaml of the base, for these rules and for the summary).

This module reads the base and pairs its cards with the working tree's; the rules themselves
(the codes above) are a rule family, rules/history.py.

Only files whose content differs from the base are parsed, so the cost grows with the size
of the change, not of the catalog.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .cards import VersionCard, is_semver
from .catalog import Catalog, ModelVersion
from .discovery import MODEL_FILE
from .history_cards import CardChanges, compare_cards
from .history_git import BaseTree, GitError, blob_id, read_blobs, read_tree
from .parse import parse_card
from .problems import Problem, sort_problems
from .rules import history as history_rules
from .semver import version_key
from .source import (
    MAX_FILE_BYTES,
    FileRefused,
    SourceDocument,
    parse_source,
    read_regular_file,
)
from .validate import ValidationResult, resolve_today, validate_catalog

__all__ = ["BaseVersion", "GitError", "History", "compare_with_base", "validate_against_base"]

_VERSION_FILE = re.compile(r"^models/([^/]+)/([^/]+)\.yaml$")


@dataclass(frozen=True)
class BaseVersion:
    """A version card as the base ref has it (card None when it does not parse there)."""

    ref: str
    path: Path  # where the file is (or was) in the working tree
    card: VersionCard | None
    source: SourceDocument | None
    text: str


@dataclass(frozen=True)
class History:
    """What changed between the base ref and the working tree, and what breaks the rules."""

    ref: str
    base_refs: frozenset[str]
    base_models: frozenset[str]
    changed: dict[str, BaseVersion]  # on both sides, with different content
    deleted: dict[str, BaseVersion]
    added: list[ModelVersion]
    problems: list[Problem] = field(default_factory=list)
    cards: CardChanges = field(default_factory=CardChanges)  # model and dataset cards, settings

    def base_card(self, ref: str) -> VersionCard | None:
        """The base's card of a version, when it differs from the working tree's."""
        entry = self.changed.get(ref) or self.deleted.get(ref)
        return entry.card if entry else None


def validate_against_base(
    root: Path, ref: str, today: dt.date | None = None
) -> tuple[ValidationResult, History]:
    """validate_catalog plus the history rules against `ref`. Raises GitError."""
    result = validate_catalog(root, today)
    history = compare_with_base(result.catalog, ref, today)
    merged = ValidationResult.of(result.catalog, sort_problems(result.problems + history.problems))
    return merged, history


def compare_with_base(catalog: Catalog, ref: str, today: dt.date | None = None) -> History:
    """Compare the resolved working-tree catalog with the version cards on `ref`; `today`
    (default: as `validate` resolves it) judges the gates of promotions new on the branch."""
    tree = read_tree(catalog.root, ref)
    files = _version_files(tree)
    changed_paths, deleted_paths = _differing(catalog, files)
    wanted = [files[p][1] for p in changed_paths + deleted_paths]
    contents = read_blobs(tree.top, wanted, tree.sizes, MAX_FILE_BYTES)
    changed = _parse_all(catalog.root, changed_paths, files, contents)
    deleted = _parse_all(catalog.root, deleted_paths, files, contents)
    base_refs = frozenset(ref for ref, _ in files.values())
    base_models = frozenset(
        path.split("/")[1]
        for path in tree.blobs
        if path.startswith("models/") and path.count("/") == 2
    )
    added = sorted(
        (v for v in catalog.versions.values() if v.ref not in base_refs),
        key=lambda v: (v.model_id, version_key(v.version)),
    )
    cards = compare_cards(catalog, tree)
    history = History(ref, base_refs, base_models, changed, deleted, added, cards=cards)
    history.problems.extend(history_rules.check(catalog, history, resolve_today(today)))
    return history


# ---- reading the base ----------------------------------------------------------------------


def _version_files(tree: BaseTree) -> dict[str, tuple[str, str]]:
    """Base version files: relative path -> (model@version, blob id)."""
    found: dict[str, tuple[str, str]] = {}
    for path, oid in tree.blobs.items():
        match = _VERSION_FILE.match(path)
        if match and match.group(2) + ".yaml" != MODEL_FILE and is_semver(match.group(2)):
            found[path] = (f"{match.group(1)}@{match.group(2)}", oid)
    return found


def _differing(catalog: Catalog, files: dict[str, tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Base version files whose working-tree copy differs, and those that are missing.

    A version is missing unless the working tree has a version file at its very path, found
    as the catalog was loaded: whatever else is there (nothing, a folder, a link leading out
    of the catalog) the base's version is gone from the catalog, and that is reported. A file
    that is there but cannot be read is an error of the working tree's own (MC010, MC017).
    """
    changed: list[str] = []
    deleted: list[str] = []
    for path, (ref, oid) in sorted(files.items()):
        if ref not in catalog.version_refs:
            deleted.append(path)
            continue
        try:
            data = read_regular_file(catalog.root / path, MAX_FILE_BYTES)
        except (FileRefused, OSError):
            continue
        if blob_id(data, len(oid)) != oid:
            changed.append(path)
    return changed, deleted


def _parse_all(
    root: Path, paths: list[str], files: dict[str, tuple[str, str]], contents: dict[str, bytes]
) -> dict[str, BaseVersion]:
    parsed = (_parse_base(root, path, files[path], contents) for path in paths)
    return {entry.ref: entry for entry in parsed}


def _parse_base(
    root: Path, path: str, entry: tuple[str, str], contents: dict[str, bytes]
) -> BaseVersion:
    ref, oid = entry
    where = root / path
    text = contents.get(oid, b"").decode("utf-8", "replace").removeprefix("\ufeff")
    document, failure = parse_source(where, text)
    card = None
    if document is not None and failure is None:
        card, _ = parse_card(VersionCard, document)
    return BaseVersion(ref, where, card, document, text)
