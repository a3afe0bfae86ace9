"""`validate --base REF`: a version published on the base branch is a record.

The base's version cards are read through git (history_git), parsed with the same code as
the working tree, and compared with the resolved working-tree catalog:

- a version on the base may not be deleted (MC060), and a renamed model folder is a
  deletion plus an addition (MC061);
- its recorded facts may not change (MC062);
- metrics, lifecycle events and monitoring observations are append-only (MC063 to MC065);
- a dataset version is a record too (MC066, MC067; history_cards reads the model cards,
  dataset cards and catalog.yaml of the base, for these rules and for the summary).

Only files whose content differs from the base are parsed, so the cost grows with the size
of the change, not of the catalog.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .cards import VersionCard, is_semver
from .catalog import MODEL_FILE, Catalog, ModelVersion
from .codes import problem
from .history_cards import BaseCard, CardChanges, compare_cards, dataset_record_problems
from .history_git import BaseTree, GitError, blob_id, read_blobs, read_tree
from .parse import format_loc, parse_card
from .problems import Problem, sort_problems
from .semver import version_key
from .source import (
    MAX_FILE_BYTES,
    FileRefused,
    Loc,
    SourceDocument,
    parse_source,
    read_regular_file,
)
from .validate import ValidationResult, validate_catalog

__all__ = ["BaseVersion", "GitError", "History", "compare_with_base", "validate_against_base"]

# The recorded facts of a version, and its append-only logs (with their codes).
FROZEN_FIELDS = ("version", "released", "artifacts", "framework", "training", "lineage")
APPEND_ONLY: tuple[tuple[Loc, str, str], ...] = (
    (("metrics",), "MC063", "metrics are"),
    (("lifecycle",), "MC064", "the lifecycle is"),
    (("monitoring", "observations"), "MC065", "monitoring observations are"),
)
_VERSION_FILE = re.compile(r"^models/([^/]+)/([^/]+)\.yaml$")
_SHOWN_CHARS = 160


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
    history = compare_with_base(result.catalog, ref)
    merged = ValidationResult(result.catalog, sort_problems(result.problems + history.problems))
    return merged, history


def compare_with_base(catalog: Catalog, ref: str) -> History:
    """Compare the resolved working-tree catalog with the version cards on `ref`."""
    tree = read_tree(catalog.root, ref)
    files = _version_files(tree)
    changed_paths, deleted_paths = _differing(catalog, files)
    wanted = [files[p][1] for p in changed_paths + deleted_paths]
    contents = read_blobs(tree.top, wanted, tree.sizes, MAX_FILE_BYTES)
    changed = _parse_all(catalog.root, changed_paths, files, contents)
    deleted = _parse_all(catalog.root, deleted_paths, files, contents)
    base_refs = frozenset(ref for ref, _ in files.values())
    base_models = frozenset(
        path.split("/")[1] for path in tree.blobs
        if path.startswith("models/") and path.count("/") == 2
    )
    added = sorted(
        (v for v in catalog.versions.values() if v.ref not in base_refs),
        key=lambda v: (v.model_id, version_key(v.version)),
    )
    cards = compare_cards(catalog, tree)
    history = History(ref, base_refs, base_models, changed, deleted, added, cards=cards)
    history.problems.extend(_record_problems(catalog, history))
    history.problems.extend(_deletion_problems(catalog, history))
    history.problems.extend(dataset_record_problems(
        catalog, cards, ref, lambda entry, loc, shown: _had(history, entry, loc, shown)
    ))
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


# ---- what the base had, in its own words ------------------------------------------------------


def _node_at(document: SourceDocument | None, loc: Loc) -> Node | None:
    node = document.root if document else None
    for part in loc:
        if isinstance(node, MappingNode):
            node = next(
                (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(part)),
                None,
            )
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def base_text(entry: BaseVersion | BaseCard, loc: Loc) -> str | None:
    """The base's text of the value at `loc`, on one line, or None when it had none."""
    node = _node_at(entry.source, loc)
    if node is None:
        return None
    written = " ".join(entry.text[node.start_mark.index : node.end_mark.index].split())
    if isinstance(node, ScalarNode) and not written:
        return "nothing (null)"
    return written if len(written) <= _SHOWN_CHARS else written[: _SHOWN_CHARS - 3] + "..."


def _had(
    history: History, entry: BaseVersion | BaseCard, loc: Loc, named: Loc | None = None
) -> str:
    """What the base had at `loc`, in its own words; `named`: how to name the place when the
    working tree has it elsewhere (a dataset version that moved in the list)."""
    shown = base_text(entry, loc)
    if shown is None:
        return f"{history.ref} had no {format_loc(tuple(named or loc))}"
    return f"{history.ref} had `{shown}`"


# ---- recorded facts and append-only logs ------------------------------------------------------


Place = tuple[str | int, ...]


def _first_difference(old: Any, new: Any, loc: Place) -> Place | None:
    """Where two dumped values first differ, as a loc path (a list index past one's end)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if old.get(key) != new.get(key):
                return _first_difference(old.get(key), new.get(key), (*loc, key))
        return None
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            if index >= len(old) or index >= len(new):
                return (*loc, index)
            if old[index] != new[index]:
                return _first_difference(old[index], new[index], (*loc, index))
        return None
    return None if old == new else loc


def _record_problems(catalog: Catalog, history: History) -> list[Problem]:
    found: list[Problem] = []
    for ref, entry in history.changed.items():
        new = catalog.versions.get(ref)
        if new is None or entry.card is None:
            continue  # the working tree's own errors, or a base that was already broken
        found += _frozen_fields(catalog, history, entry, entry.card, new)
        found += _append_only(catalog, history, entry, entry.card, new)
    return found


def _frozen_fields(
    catalog: Catalog, history: History, entry: BaseVersion, old: VersionCard, new: ModelVersion
) -> list[Problem]:
    before = old.model_dump(include=set(FROZEN_FIELDS))
    after = new.card.model_dump(include=set(FROZEN_FIELDS))
    found: list[Problem] = []
    for name in FROZEN_FIELDS:
        loc = _first_difference(before[name], after[name], (name,))
        if loc is None:
            continue
        found.append(problem(
            "MC062", new.path, catalog.position(new.path, loc),
            f"{format_loc(loc)} of {new.ref} may not change once the version is on "
            f"{history.ref}: {_had(history, entry, loc)}. A published version is a record; "
            f"restore it, and publish what changed as a new version "
            f"(modelcards new version {new.model_id} <VERSION> --from {new.version})",
        ))
    return found


def _entries(card: VersionCard, loc: Loc) -> list[Any]:
    value: Any = card
    for part in loc:
        value = getattr(value, str(part), None)
    return list(value or [])


def _append_only(
    catalog: Catalog, history: History, entry: BaseVersion, old: VersionCard, new: ModelVersion
) -> list[Problem]:
    found: list[Problem] = []
    for loc, code, what in APPEND_ONLY:
        before, after = _entries(old, loc), _entries(new.card, loc)
        index = next(
            (i for i, item in enumerate(before) if i >= len(after) or after[i] != item), None
        )
        if index is None:
            continue
        place = (*loc, index)
        name = format_loc(place)
        if before[index] in after[index + 1 :]:
            message = f"an entry was inserted before {name}, which was {history.ref}'s {name}"
        elif index >= len(after) or (index + 1 < len(before) and after[index] == before[index + 1]):
            message = f"{name} was removed: {_had(history, entry, place)}"
        else:
            message = f"{name} was changed: {_had(history, entry, place)}"
        found.append(problem(
            code, new.path, catalog.position(new.path, place if index < len(after) else loc),
            f"{message}. {what.capitalize()} append-only: keep every entry {history.ref} has, "
            "and add new entries at the end",
        ))
    return found


# ---- deletions and renames ----------------------------------------------------------------------


def _same_record(old: VersionCard | None, new: VersionCard) -> bool:
    return old is not None and old.released == new.released and old.artifacts == new.artifacts


def _renamed_to(catalog: Catalog, history: History, entry: BaseVersion) -> ModelVersion | None:
    """The version of a model new on this branch that carries the deleted version's record."""
    model_id, _, version = entry.ref.partition("@")
    if model_id in catalog.model_ids:
        return None  # the model is still there: a plain deletion
    for candidate in catalog.versions.values():
        if (
            candidate.version == version
            and candidate.model_id not in history.base_models
            and _same_record(entry.card, candidate.card)
        ):
            return candidate
    return None


def _deletion_problems(catalog: Catalog, history: History) -> list[Problem]:
    found: list[Problem] = []
    for ref, entry in sorted(history.deleted.items()):
        model_id = ref.partition("@")[0]
        target = _renamed_to(catalog, history, entry)
        if target is not None:
            found.append(problem(
                "MC061", target.path, (1, 1),
                f"{target.ref} is {ref} from {history.ref} under a new name: the model folder "
                f"models/{model_id}/ was renamed to models/{target.model_id}/. A rename is a "
                f"deletion plus an addition, and {ref} may not be deleted; keep "
                f"models/{model_id}/ (retire its versions if they should no longer be used) "
                f"and add the new model next to it",
            ))
            continue
        what = "was deleted"
        if os.path.lexists(entry.path):
            what = f"is no longer a version card here ({entry.path.name} is not a file the " \
                "catalog loads)"
        found.append(problem(
            "MC060", entry.path, (1, 1),
            f"version {ref} exists on {history.ref} and {what}; a published version is a "
            f"record: restore the file and retire it instead "
            f"(modelcards retire {ref} --by <you> --reason <why>)",
        ))
    return found
