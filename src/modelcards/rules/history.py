"""History rules (`validate --base REF`): a version, or a dataset version, published on the
base is a record.

- a version on the base may not be deleted (MC060), and a renamed model folder is a
  deletion plus an addition (MC061);
- its recorded facts may not change (MC062);
- metrics, lifecycle events and monitoring observations are append-only (MC063 to MC065);
- a dataset version may not be removed (MC066), and its `version`, `date`, `uri`, `sha256`
  and `rows` may not change (MC067); its description may;
- a promotion to production made on the branch is gated with every reading (MC068): the
  readings the gate leaves out of a promotion, those measured after it, are left out so that
  appending them cannot fail a published one; a new promotion can still take an override, so
  dating it in the past does not hide a regression.

history.py reads the base through git and pairs its cards with the working tree's (a
`History`); these rules judge the pairs. Messages quote what the base had, in its own words.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..cards import DatasetCard, DatasetVersion, LifecycleEvent, Stage, VersionCard
from ..catalog import Catalog, ModelVersion
from ..codes import problem
from ..history_cards import BaseCard, CardChanges
from ..parse import format_loc
from ..problems import Problem
from ..queries import entering_events
from ..source import Loc, SourceDocument
from ..texts import LIST_LIMIT, capped
from .context import RuleContext
from .policy import IF_PUBLISHED, gate_findings

if TYPE_CHECKING:  # history.py runs these rules, so it is imported only for its types
    from ..history import BaseVersion, History

CODES = frozenset({"MC060", "MC061", "MC062", "MC063", "MC064", "MC065", "MC066", "MC067", "MC068"})

# The recorded facts of a version, and its append-only logs (with their codes).
FROZEN_FIELDS = ("version", "released", "artifacts", "framework", "training", "lineage")
APPEND_ONLY: tuple[tuple[Loc, str, str], ...] = (
    (("metrics",), "MC063", "metrics are"),
    (("lifecycle",), "MC064", "the lifecycle is"),
    (("monitoring", "observations"), "MC065", "monitoring observations are"),
)

# The recorded facts of a dataset version.
DATASET_FACTS = ("version", "date", "uri", "sha256", "rows")
_SHOWN_CHARS = 160


def check(catalog: Catalog, history: History, today: dt.date) -> list[Problem]:
    """Every history problem of the working tree against the base `history` was read from."""
    return [
        *_record_problems(catalog, history),
        *_deletion_problems(catalog, history),
        *_new_promotions(catalog, history, today),
        *dataset_record_problems(
            catalog,
            history.cards,
            history.ref,
            lambda entry, loc, shown: _had(history, entry, loc, shown),
        ),
    ]


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


def _new_promotions(catalog: Catalog, history: History, today: dt.date) -> list[Problem]:
    """Promotions to production made on the branch, gated with every reading: only a
    published promotion leaves out the readings measured after it (rules/policy.py)."""
    if not catalog.settings.policy.gates:
        return []
    context = RuleContext.build(catalog, today)
    found: list[Problem] = []
    for model in catalog.models.values():
        for version in model.versions:
            for index, event in _new_production_events(history, version):
                judged = set(gate_findings(context, model, version, event))
                everything = gate_findings(context, model, version, event, every_reading=True)
                found += [
                    _gated_with_every_reading(catalog, history, version, index, message)
                    for code, message in everything
                    if (code, message) not in judged  # else the gate's own MC041 or MC045
                ]
    return found


def _new_production_events(
    history: History, version: ModelVersion
) -> list[tuple[int, LifecycleEvent]]:
    """The events of `version` entering production that are not on the base, without an
    override (a gate passes those)."""
    base = history.base_card(version.ref)
    if base is None and version.ref in history.base_refs:
        return []  # as on the base: nothing new
    first_new = len(base.lifecycle) if base is not None else 0
    return [
        (index, event)
        for index, event in entering_events(version.card, Stage.PRODUCTION)
        if index >= first_new and not event.override
    ]


def _gated_with_every_reading(
    catalog: Catalog, history: History, version: ModelVersion, index: int, message: str
) -> Problem:
    # The way out the gate gives a published event is no way out of a new one.
    gate_says = message.partition(IF_PUBLISHED)[0]
    return problem(
        "MC068",
        version.path,
        catalog.position(version.path, ("lifecycle", index, "stage")),
        f"{gate_says}. This promotion is not on {history.ref}: it is gated with every reading, "
        "also those measured after its date or on data dated after it (only a published "
        "promotion leaves them out)",
    )


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
        found.append(
            problem(
                "MC062",
                new.path,
                catalog.position(new.path, loc),
                f"{format_loc(loc)} of {new.ref} may not change once the version is on "
                f"{history.ref}: {_had(history, entry, loc)}. A published version is a record; "
                f"restore it, and publish what changed as a new version "
                f"(modelcards new version {new.model_id} <VERSION> --from {new.version})",
            )
        )
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
        found.append(
            problem(
                code,
                new.path,
                catalog.position(new.path, place if index < len(after) else loc),
                f"{message}. {what.capitalize()} append-only: keep every entry {history.ref} has, "
                "and add new entries at the end",
            )
        )
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
            found.append(
                problem(
                    "MC061",
                    target.path,
                    (1, 1),
                    f"{target.ref} is {ref} from {history.ref} under a new name: the model folder "
                    f"models/{model_id}/ was renamed to models/{target.model_id}/. A rename is a "
                    f"deletion plus an addition, and {ref} may not be deleted; keep "
                    f"models/{model_id}/ (retire its versions if they should no longer be used) "
                    f"and add the new model next to it",
                )
            )
            continue
        what = "was deleted"
        if os.path.lexists(entry.path):
            what = (
                f"is no longer a version card here ({entry.path.name} is not a file the "
                "catalog loads)"
            )
        found.append(
            problem(
                "MC060",
                entry.path,
                (1, 1),
                f"version {ref} exists on {history.ref} and {what}; a published version is a "
                f"record: restore the file and retire it instead "
                f"(modelcards retire {ref} --by <you> --reason <why>)",
            )
        )
    return found


# ---- dataset versions are records ---------------------------------------------------------------


def _users(catalog: Catalog, reference: str) -> list[str]:
    """The model versions trained or evaluated on a dataset version."""
    found = []
    for version in sorted(catalog.versions.values(), key=lambda v: v.ref):
        card = version.card
        named = [
            *(card.training.data if card.training else ()),
            *(m.dataset for m in card.metrics if m.dataset),
        ]
        if reference in named:
            found.append(version.ref)
    return found


def _record_note(catalog: Catalog, reference: str) -> str:
    users = _users(catalog, reference)
    if not users:
        return ""
    names = (
        users[0]
        if len(users) == 1
        else capped(users)
        if len(users) > LIST_LIMIT
        else ", ".join(users[:-1]) + " and " + users[-1]
    )
    verb = "was" if len(users) == 1 else "were"
    return f" ({names} {verb} trained or evaluated on it)"


def dataset_record_problems(
    catalog: Catalog, changes: CardChanges, ref: str, had: Any
) -> list[Problem]:
    """MC066 and MC067 for every dataset card that differs from the base. `had(entry, loc)`
    says what the base had at a place, in its own words."""
    found: list[Problem] = []
    for (kind, dataset_id), entry in sorted(changes.deleted.items()):
        if kind != "dataset" or not isinstance(entry.card, DatasetCard):
            continue
        for version in entry.card.versions:
            reference = f"{dataset_id}@{version.version}"
            found.append(
                problem(
                    "MC066",
                    entry.path,
                    (1, 1),
                    f"dataset version {reference} exists on {ref} and was deleted with "
                    f"datasets/{dataset_id}.yaml; a published dataset version is a record"
                    f"{_record_note(catalog, reference)}: restore the file",
                )
            )
    for (kind, dataset_id), entry in sorted(changes.changed.items()):
        dataset = catalog.datasets.get(dataset_id)
        if kind != "dataset" or not isinstance(entry.card, DatasetCard) or dataset is None:
            continue  # an unreadable card on either side is reported on its own
        found += _dataset_versions(catalog, entry, entry.card, dataset.card, ref, had)
    return found


def _dataset_versions(
    catalog: Catalog, entry: BaseCard, old: DatasetCard, new: DatasetCard, ref: str, had: Any
) -> list[Problem]:
    found: list[Problem] = []
    now: dict[str, tuple[int, DatasetVersion]] = {}
    for index, version in enumerate(new.versions):
        now.setdefault(version.version, (index, version))
    for before_index, before in enumerate(old.versions):
        reference = f"{entry.key}@{before.version}"
        note = _record_note(catalog, reference)
        if before.version not in now:
            found.append(
                problem(
                    "MC066",
                    entry.path,
                    catalog.position(entry.path, ("versions",)),
                    f"dataset version {reference} exists on {ref} and was removed from versions; a "
                    f"published dataset version is a record{note}: restore its entry, describe "
                    "what is wrong with it in its description, and add corrected data as a new "
                    "version",
                )
            )
            continue
        index, after = now[before.version]
        name = _changed_fact(before, after)
        if name is None:
            continue
        loc = ("versions", index, name)
        base_loc = ("versions", before_index, name)
        found.append(
            problem(
                "MC067",
                entry.path,
                catalog.position(entry.path, loc),
                f"{format_loc(loc)} of dataset version {reference} may not change once it is on "
                f"{ref}: {had(entry, base_loc, loc)}. A published dataset version is a "
                f"record{note}; restore it, and publish changed data as a new version: a new "
                "entry at the end of versions",
            )
        )
    return found


def _changed_fact(old: DatasetVersion, new: DatasetVersion) -> str | None:
    return next((name for name in DATASET_FACTS if getattr(old, name) != getattr(new, name)), None)
