"""`modelcards import mlflow`: an MLflow Model Registry as cards, and again as it changes.

The plan is pure: given a `Registry` snapshot (read by `mlflow_rest`) and the catalog as it
is, it lists the changes an import makes, each the full new text of one file:

- a new model card per registered model, a new version card per model version, a new
  dataset card per logged input dataset (or a new version appended to an existing one);
- on cards imported before: a lifecycle event appended when the stage in MLflow changed,
  and the model's aliases updated. Version cards already imported are records: nothing else
  in them is ever rewritten.

Cards imported from MLflow carry a comment naming their MLflow origin
(`# mlflow: models:/NAME/N`), which is how a later run recognises them whatever version
they were filed under. `check_plan` validates the plan with the rest of the catalog and sets
aside the changes that would not validate (and those that need them); `write_plan` writes
the rest, each file whole. With drafts, everything is written, and what still fails is
listed for the user to complete.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..cards import LifecycleEvent, Stage
from ..catalog import Catalog, ModelVersion
from ..discovery import MODEL_FILE
from ..edit import (
    EVENT_KEYS,
    EditError,
    FileEdit,
    append_event,
    dump,
    flow_map,
    load_roundtrip,
    make_event,
    new_errors,
    problem_key,
    read_card_text,
    write_edits,
)
from ..edit_scaffold import TODO
from ..loading import load_catalog
from ..problems import Problem
from ..schema import schema_hint
from ..source import MAX_FILE_BYTES, FileRefused, read_regular_file
from ..texts import capped
from ..validate import validate_catalog
from ..yamltext import dump_yaml
from .import_defaults import MLFLOW_BY
from .mlflow_mapping import (
    MODEL_FIELD_TAGS,
    DatasetUse,
    artifact_uri,
    card_id,
    dataset_uses,
    metrics_of,
    provenance,
    semver_of,
    stage_of,
    summary_of,
    tag_map,
    to_date,
    to_time,
    training_of,
    unplaced_tags,
)
from .mlflow_rest import ModelEntry, Registry
from .mlflow_rest import ModelVersion as MlflowVersion

DEFAULT_BY = MLFLOW_BY
PROMPT_TAG = "mlflow.prompt.is_prompt"
_MARKER = re.compile(r"^# mlflow: models:/(.+?)(?:/(\d+))?\s*$")
_MARKER_LINES = 3  # the marker follows the schema comment, if any


@dataclass(frozen=True)
class ImportOptions:
    """How MLflow's facts fill the fields it has no facts for."""

    today: dt.date
    owner: str | None = None
    owner_tag: str = "owner"
    task: str | None = None
    task_tag: str = "task"
    dataset_owner: str | None = None
    semver_tag: str = "semver"
    by: str = DEFAULT_BY


@dataclass(frozen=True)
class Change:
    """One file an import writes: its full new text, and what it means to a person."""

    path: Path
    text: str
    action: str  # "add", "append" or "update"
    description: str
    needs: frozenset[Path] = frozenset()  # new files without which this one is invalid
    todo: tuple[str, ...] = ()  # what the user must still add, when the card lacks it
    blocked_by: tuple[Path, ...] = ()  # set aside because these files are


@dataclass
class Plan:
    root: Path
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not imported, and why
    refused: list[Change] = field(default_factory=list)  # set aside by check_plan
    problems: list[Problem] = field(default_factory=list)  # why (new errors only)


# ---- the catalog's cards that came from MLflow ----------------------------------------------


@dataclass
class Imported:
    """Cards of an earlier import, found by their marker comment."""

    models: dict[str, Path] = field(default_factory=dict)  # MLflow name -> model folder
    versions: dict[tuple[str, str], Path] = field(default_factory=dict)  # (name, N) -> card
    twice: set[tuple[str, str]] = field(default_factory=set)  # claimed by two cards


def _marker(path: Path) -> tuple[str, str | None] | None:
    try:  # bounded: a FIFO or a link to /dev/zero named like a card must not hang the import
        text = read_regular_file(path, MAX_FILE_BYTES).decode("utf-8")
    except (FileRefused, OSError, UnicodeDecodeError):
        return None
    for line in text.split("\n", _MARKER_LINES)[:_MARKER_LINES]:
        match = _MARKER.match(line.rstrip("\r\n"))
        if match:
            return match.group(1), match.group(2)
    return None


def find_imported(root: Path) -> Imported:
    found = Imported()
    for path in sorted((root / "models").glob("*/*.yaml")):
        mark = _marker(path)
        if mark is None:
            continue
        name, number = mark
        if number is None and path.name == MODEL_FILE:
            found.models.setdefault(name, path.parent)
        elif number is not None:
            if (name, number) in found.versions:
                found.twice.add((name, number))
            found.versions[(name, number)] = path
    return found


def model_marker(name: str) -> str:
    return f"# mlflow: models:/{name}\n"


def version_marker(name: str, number: str) -> str:
    return f"# mlflow: models:/{name}/{number}\n"


# ---- card text ------------------------------------------------------------------------------


def card_text(
    root: Path, path: Path, kind: str, marker: str, data: dict[str, Any], todo: dict[str, str]
) -> str:
    """A new card as a person would write it; a field still to fill in is `null  # TODO`."""
    lines = dump_yaml(data).splitlines()
    for index, line in enumerate(lines):
        key = line.partition(":")[0]
        if key in todo and not line.startswith(" "):
            lines[index] = f"{line}  # {TODO}: {todo[key]}"
    return schema_hint(root, path.parent, kind) + marker + "\n".join(lines) + "\n"


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, [], {}, "")}


# ---- planning -------------------------------------------------------------------------------

# The reason of the stage events an import writes: it names MLflow's stage at that import.
_STAGE_REASON = "MLflow stage {stage}; dated by the version's last update"
_STAGE_IN_REASON = re.compile(r"^MLflow stage (\S+); dated by the version's last update$")


def _stage_at_last_import(events: Sequence[LifecycleEvent]) -> str:
    """MLflow's stage when the card was last imported into: named by the last stage event an
    import wrote, else `None` (a version imported at MLflow's None has only its development
    event)."""
    for event in reversed(events):
        found = _STAGE_IN_REASON.match(event.reason or "")
        if found:
            return found.group(1)
    return "None"


@dataclass
class _VersionPlan:
    mlflow: MlflowVersion
    number: int
    semver: str
    path: Path
    existing: ModelVersion | None  # the card of an earlier import
    lifecycle: list[dict[str, Any]] = field(default_factory=list)  # of a new card
    appended: list[dict[str, Any]] = field(default_factory=list)  # to an existing card
    data: dict[str, Any] = field(default_factory=dict)
    uses: list[DatasetUse] = field(default_factory=list)


class Planner:
    def __init__(self, root: Path, registry: Registry, options: ImportOptions) -> None:
        self.root = root
        self.registry = registry
        self.options = options
        self.catalog: Catalog = load_catalog(root)[0]
        self.imported = find_imported(root)
        self.plan = Plan(root)
        self.datasets: dict[str, dict[str, DatasetUse]] = {}  # id -> digest -> use
        self.notes: dict[str, list[str]] = {}  # what was not imported -> of what

    def note(self, subject: str, text: str) -> None:
        self.notes.setdefault(text, []).append(subject)

    def run(self) -> Plan:
        ids: dict[str, str] = {}
        for entry in self.registry.models:
            model_id = self._model_id(entry, ids)
            if model_id is not None:
                self._model(entry, model_id)
        self._dataset_changes()
        # One line per thing said, however many versions it is said of: MLflow sets the same
        # run tags on every run, and a registry has hundreds of versions.
        self.plan.notes = [f"{capped(subjects)}: {text}" for text, subjects in self.notes.items()]
        return self.plan

    def _model_id(self, entry: ModelEntry, ids: dict[str, str]) -> str | None:
        name = entry.model.name
        if tag_map(entry.model.tags).get(PROMPT_TAG, "").lower() == "true":
            self.note(f"MLflow model {name!r}", "a prompt, not a model; not imported")
            return None
        folder = self.imported.models.get(name)
        model_id = folder.name if folder is not None else card_id(name)
        if model_id is None:
            self.note(
                f"MLflow model {name!r}",
                "its name gives no usable model id (letters and digits); not imported",
            )
            return None
        if model_id in ids:
            self.note(
                f"MLflow model {name!r}",
                f"its id {model_id} is also that of MLflow "
                f"model {ids[model_id]!r}; not imported (rename one in MLflow)",
            )
            return None
        ids[model_id] = name
        return model_id

    # ---- one registered model ----

    def _model(self, entry: ModelEntry, model_id: str) -> None:
        folder = self.root / "models" / model_id
        versions = self._versions(entry, model_id, folder)
        self._production_shares(versions)
        model_path = folder / MODEL_FILE
        new_model = not model_path.exists()
        needs = frozenset({model_path}) if new_model else frozenset()
        for plan in versions:
            if plan.existing is None:
                self._new_version(entry, model_id, plan, needs)
            elif plan.appended:
                self._append_events(plan)
        aliases = self._aliases(entry, versions)
        if new_model:
            self._new_model(entry, model_id, model_path, aliases, versions)
        else:
            self._update_aliases(model_id, model_path, aliases, versions)

    def _versions(self, entry: ModelEntry, model_id: str, folder: Path) -> list[_VersionPlan]:
        name = entry.model.name
        taken: dict[str, str] = {}
        plans: list[_VersionPlan] = []
        ready = [v for v in entry.versions if v.status == "READY"]
        for version in entry.versions:
            if version.status != "READY":
                self.note(
                    f"{name} version {version.version}",
                    f"status {version.status} in MLflow; not imported",
                )
        for version in sorted(ready, key=lambda v: int(v.version) if v.version.isdigit() else 0):
            key = (name, version.version)
            subject = f"{name} version {version.version}"
            if key in self.imported.twice:
                self.note(
                    subject,
                    "two cards say they were imported from it; fix the "
                    "'# mlflow:' comments, then import again",
                )
                continue
            path = self.imported.versions.get(key)
            semver, notes = semver_of(version, self.options.semver_tag)
            for text in notes:
                self.note(subject, text)
            if path is not None:
                semver = path.stem
            elif semver is None:
                continue
            else:
                path = folder / f"{semver}.yaml"
                if path.exists():
                    self.note(
                        subject,
                        f"{path} exists and was not imported from MLflow; "
                        f"not imported (give it a {self.options.semver_tag} tag)",
                    )
                    continue
            if semver in taken:
                self.note(
                    subject,
                    f"it would be {model_id}@{semver}, like version "
                    f"{taken[semver]}; not imported (give it a "
                    f"{self.options.semver_tag} tag)",
                )
                continue
            taken[semver] = version.version
            existing = self.catalog.versions.get(f"{model_id}@{semver}")
            if path.exists() and existing is None:
                self.note(subject, f"{path} does not validate; nothing added to it")
                continue
            plan = _VersionPlan(
                version,
                int(version.version) if version.version.isdigit() else 0,
                semver,
                path,
                existing,
            )
            self._stage(plan)
            plans.append(plan)
        return plans

    def _stage(self, plan: _VersionPlan) -> None:
        """The lifecycle of a new card, or the event that MLflow's stage adds to an old one."""
        version = plan.mlflow
        stage = stage_of(version)
        if stage is None:
            self.note(
                f"{version.name} version {version.version}",
                f"unknown MLflow stage {version.current_stage!r}; the stage is not imported",
            )
        updated = version.last_updated_timestamp or version.creation_timestamp
        when, at = to_date(updated), to_time(updated)
        reason = _STAGE_REASON.format(stage=version.current_stage)
        if plan.existing is None:
            run = self.registry.runs.get(version.run_id) if version.run_id else None
            who = version.user_id or (run.info.user_id if run else "") or self.options.by
            created = version.creation_timestamp
            plan.lifecycle = [
                make_event(Stage.DEVELOPMENT, to_date(created), who, time=to_time(created))
            ]
            if stage not in (None, Stage.DEVELOPMENT):
                plan.lifecycle.append(
                    make_event(stage, when, self.options.by, reason=reason, time=at)
                )
            return
        events = plan.existing.card.lifecycle
        if version.current_stage == _stage_at_last_import(events):
            return  # an edit in MLflow moved its date, not its stage; what happened here stays
        current = events[-1].stage
        if current in (Stage.DEPRECATED, Stage.RETIRED):
            # Stages MLflow does not have: the version's lifecycle is kept here from then on.
            self.note(
                plan.existing.ref,
                f"{current.value} here, so MLflow's later stage "
                f"{version.current_stage} ({when.isoformat()}) is not imported",
            )
            return
        if stage is Stage.DEVELOPMENT and current in (Stage.PRODUCTION, Stage.ARCHIVED):
            stage = Stage.ARCHIVED  # out of a stage in MLflow: no longer served
            reason = _STAGE_REASON.format(stage="None")
        if stage is None or stage is current:
            return
        if any(e.stage is stage and e.date >= when for e in events):
            return  # recorded already; the card has moved on since
        plan.appended.append(make_event(stage, when, self.options.by, reason=reason, time=at))

    def _final_stage(self, plan: _VersionPlan) -> Stage:
        events = plan.appended or plan.lifecycle
        if events:
            return Stage(events[-1]["stage"])
        assert plan.existing is not None
        return plan.existing.card.lifecycle[-1].stage

    def _production_shares(self, plans: list[_VersionPlan]) -> None:
        """Several versions in Production: MLflow serves the newest, so it takes the traffic."""
        live = [
            p
            for p in plans
            if p.mlflow.current_stage == "Production" and self._final_stage(p) is Stage.PRODUCTION
        ]
        if len(live) < 2:
            return
        newest = max(live, key=lambda p: p.number)
        latest = max(p.mlflow.last_updated_timestamp or p.mlflow.creation_timestamp for p in live)
        for plan in live:
            share = 100 if plan is newest else 0
            events = plan.appended or plan.lifecycle
            if events and events[-1]["stage"] == Stage.PRODUCTION.value:
                shared = {**events[-1], "traffic": share}
                events[-1] = {key: shared[key] for key in EVENT_KEYS if key in shared}
                continue
            assert plan.existing is not None
            if plan.existing.card.lifecycle[-1].traffic != share:
                reason = f"MLflow serves the newest version in Production ({newest.semver})"
                plan.appended.append(
                    make_event(
                        Stage.PRODUCTION,
                        to_date(latest),
                        self.options.by,
                        traffic=share,
                        reason=reason,
                        time=to_time(latest),
                    )
                )

    def _new_version(
        self, entry: ModelEntry, model_id: str, plan: _VersionPlan, needs: frozenset[Path]
    ) -> None:
        version = plan.mlflow
        subject = f"{model_id}@{plan.semver}"
        run = self.registry.runs.get(version.run_id) if version.run_id else None
        logged_id = version.logged_model_id
        logged = self.registry.logged_models.get(logged_id) if logged_id else None
        notes: list[str] = []
        if version.run_id and run is None:
            notes.append(f"run {version.run_id} is not on the server; no training or metrics")
        uses = dataset_uses(run.inputs.dataset_inputs if run else [], notes)
        uri = artifact_uri(version, run, logged)
        description = version.description.strip()
        data = _pruned(
            {
                "version": plan.semver,
                "released": to_date(version.creation_timestamp),
                "summary": summary_of(
                    description, f"Version {version.version} of {version.name} in MLflow."
                ),
                "description": "\n\n".join(
                    filter(
                        None, [description, provenance(version, run, self.registry.tracking_uri)]
                    )
                )
                + "\n",
                "artifacts": [{"uri": uri, "format": "mlflow"}] if uri else [],
                "training": training_of(run, logged, uses, notes),
                "metrics": metrics_of(run, logged, uses, notes),
                "lifecycle": plan.lifecycle,
            }
        )
        notes += unplaced_tags(version, run, self.options.semver_tag)
        for text in notes:
            self.note(subject, text)
        references = {m["dataset"] for m in data.get("metrics", []) if "dataset" in m}
        references |= set(data.get("training", {}).get("data", []))
        for use in uses:
            if use.ref in references:
                self.datasets.setdefault(use.id, {}).setdefault(use.version, use)
            else:
                self.note(
                    subject,
                    f"input dataset {use.ref} (context {use.context}) is "
                    "neither training data nor named by a metric; not imported",
                )
        for reference in sorted(references - {use.ref for use in uses}):
            self.note(
                subject,
                f"metric dataset {reference} was not logged as an input of "
                "the run; add its dataset card by hand",
            )
        text = card_text(
            self.root, plan.path, "version", version_marker(version.name, version.version), data, {}
        )
        stage = self._final_stage(plan).value
        dataset_files = frozenset(
            self.root / "datasets" / f"{ref.partition('@')[0]}.yaml" for ref in references
        )
        self.plan.changes.append(
            Change(
                plan.path,
                text,
                "add",
                f"{subject} from MLflow version {version.version} ({stage})",
                needs | dataset_files,
            )
        )

    def _append_events(self, plan: _VersionPlan) -> None:
        assert plan.existing is not None
        text = read_card_text(plan.path)
        for event in plan.appended:
            text = append_event(text, plan.path, event)
        stages = ", ".join(
            event["stage"] + (f" at {event['traffic']}% of traffic" if "traffic" in event else "")
            for event in plan.appended
        )
        self.plan.changes.append(
            Change(
                plan.path,
                text,
                "append",
                f"{plan.existing.ref}: {stages} (MLflow stage {plan.mlflow.current_stage})",
            )
        )

    # ---- the model card ----

    def _aliases(self, entry: ModelEntry, plans: list[_VersionPlan]) -> dict[str, str]:
        by_number = {p.mlflow.version: p.semver for p in plans}
        aliases: dict[str, str] = {}
        for alias in sorted(entry.model.aliases, key=lambda a: a.alias):
            if alias.version in by_number:
                aliases[alias.alias] = by_number[alias.version]
            else:
                self.note(
                    f"MLflow model {entry.model.name!r}",
                    f"alias {alias.alias} names "
                    f"version {alias.version}, which is not imported; alias left out",
                )
        return aliases

    def _new_model(
        self,
        entry: ModelEntry,
        model_id: str,
        path: Path,
        aliases: dict[str, str],
        plans: list[_VersionPlan],
    ) -> None:
        model = entry.model
        tags = tag_map(model.tags)
        options = self.options
        owner = tags.get(options.owner_tag, "").strip() or options.owner
        task = tags.get(options.task_tag, "").strip() or options.task
        used = {options.owner_tag, options.task_tag, *MODEL_FIELD_TAGS}
        internal = sorted(key for key in tags if key.startswith("mlflow.") and key not in used)
        if internal:
            self.note(
                model_id,
                "registered-model tags with no place in the card, not "
                "imported: " + ", ".join(internal),
            )
        keywords = [
            key if value.strip() in ("", "true") else f"{key}={value}"
            for key, value in sorted(tags.items())
            if key not in used and not key.startswith("mlflow.")
        ]
        ui_name = urllib.parse.quote(model.name, safe="")
        description = model.description.strip()
        summary = summary_of(description, f"{model.name}, imported from MLflow.")
        data = _pruned(
            {
                "name": model.name,
                "summary": summary,
                "description": description + "\n" if description not in ("", summary) else None,
                "owners": [{"name": owner}] if owner else None,
                "task": task,
                "tags": keywords,
                "license": tags.get("license", "").strip() or None,
                "primary_metric": tags.get("primary_metric", "").strip() or None,
                "aliases": aliases,
                "links": [
                    {
                        "title": "MLflow registered model",
                        "url": f"{self.registry.tracking_uri}/#/models/{ui_name}",
                    }
                ],
            }
        )
        todo = {}
        if owner is None:
            data["owners"] = None
            todo["owners"] = (
                f"who answers for this model: --owner NAME, or an "
                f"'{options.owner_tag}' tag on the registered model"
            )
        if task is None:
            data["task"] = None
            todo["task"] = (
                f"e.g. tabular-classification: --task TASK, or a "
                f"'{options.task_tag}' tag on the registered model"
            )
        ordered = {key: data[key] for key in _MODEL_ORDER if key in data}
        text = card_text(self.root, path, "model", model_marker(model.name), ordered, todo)
        needs = frozenset(
            p.path for p in plans if p.existing is None and p.semver in aliases.values()
        )
        self.plan.changes.insert(
            0,
            Change(
                path,
                text,
                "add",
                f"new model {model_id} (MLflow {model.name!r})",
                needs,
                tuple(todo.values()),
            ),
        )

    def _update_aliases(
        self, model_id: str, path: Path, aliases: dict[str, str], plans: list[_VersionPlan]
    ) -> None:
        model = self.catalog.models.get(model_id)
        current = dict(model.card.aliases) if model else None
        if current is None:
            if aliases:
                self.note(model_id, f"{path} does not validate; its aliases were not updated")
            return
        moved = {k: v for k, v in aliases.items() if current.get(k) != v}
        if not moved:
            return
        text = read_card_text(path)
        yaml, data = load_roundtrip(text, path)
        if not isinstance(data, CommentedMap):
            return
        if not isinstance(data.get("aliases"), CommentedMap):
            data.insert(_insert_at(data), "aliases", CommentedMap())
        for alias, version in moved.items():
            data["aliases"][alias] = version
        shown = ", ".join(f"{alias} -> {version}" for alias, version in moved.items())
        needs = frozenset(
            p.path for p in plans if p.existing is None and p.semver in moved.values()
        )
        self.plan.changes.append(
            Change(
                path,
                dump(yaml, data),
                "update",
                f"{model_id} aliases: {shown}",
                needs,
            )
        )

    # ---- datasets ----

    def _dataset_changes(self) -> None:
        for dataset_id, uses in sorted(self.datasets.items()):
            path = self.root / "datasets" / f"{dataset_id}.yaml"
            known = self.catalog.datasets.get(dataset_id)
            versions = [
                _dataset_version(use)
                for _, use in sorted(uses.items())
                if known is None or not known.has_version(use.version)
            ]
            if not versions:
                continue
            shown = ", ".join(v["version"] for v in versions)
            if known is not None:
                yaml, data = load_roundtrip(read_card_text(path), path)
                for version in versions:
                    data["versions"].append(flow_map(version))
                change = Change(
                    path, dump(yaml, data), "append", f"dataset {dataset_id}: versions {shown}"
                )
            elif path.exists():
                self.note(
                    f"dataset {dataset_id}", f"{path} does not validate; versions {shown} not added"
                )
                continue
            else:
                change = self._new_dataset(dataset_id, path, versions, next(iter(uses.values())))
            self.plan.changes.insert(0, change)

    def _new_dataset(
        self, dataset_id: str, path: Path, versions: list[dict[str, Any]], use: DatasetUse
    ) -> Change:
        owner = self.options.dataset_owner
        data = {
            "name": use.name,
            "summary": f"{use.name}, logged to MLflow as a run input.",
            "owners": [{"name": owner}] if owner else None,
            "versions": versions,
        }
        todo = {} if owner else {"owners": "who answers for this data: --dataset-owner NAME"}
        text = card_text(self.root, path, "dataset", "", data, todo)
        return Change(
            path,
            text,
            "add",
            f"new dataset {dataset_id} (versions {', '.join(v['version'] for v in versions)})",
            todo=tuple(todo.values()),
        )


_MODEL_ORDER = (
    "name",
    "summary",
    "description",
    "owners",
    "task",
    "tags",
    "license",
    "primary_metric",
    "aliases",
    "links",
)
# Keys after which `aliases` goes, in the card format's order.
_BEFORE_ALIASES = (
    "name",
    "summary",
    "description",
    "owners",
    "task",
    "tags",
    "license",
    "primary_metric",
)


def _insert_at(data: CommentedMap) -> int:
    keys = list(data)
    return max((keys.index(k) + 1 for k in _BEFORE_ALIASES if k in keys), default=len(keys))


def _dataset_version(use: DatasetUse) -> dict[str, Any]:
    described = f"Logged to MLflow as {use.name!r} (digest {use.version}" + (
        f", source type {use.source_type})" if use.source_type else ")"
    )
    return _pruned(
        {"version": use.version, "uri": use.uri, "rows": use.rows, "description": described}
    )


def plan_import(root: Path, registry: Registry, options: ImportOptions) -> Plan:
    """Every change an import would make, without writing anything."""
    return Planner(root, registry, options).run()


# ---- checking and writing -------------------------------------------------------------------


def _new_errors(
    root: Path, changes: Sequence[Change], today: dt.date, before: set[tuple[Path, str, str]]
) -> list[Problem]:
    return new_errors(
        root, [FileEdit(c.path, c.text, c.description) for c in changes], today, before
    )


def _blocked(root: Path, changes: Sequence[Change], errors: Iterable[Problem]) -> set[Path]:
    """The changed files to set aside: those with errors, or in a model folder with errors."""
    changed = {c.path for c in changes}
    blocked: set[Path] = set()
    for problem in errors:
        if problem.file in changed:
            blocked.add(problem.file)
            continue
        folder = problem.file.parent
        near = {path for path in changed if path.parent == folder}
        blocked |= near or changed  # an error we cannot place stops everything
    return blocked


def check_plan(plan: Plan, today: dt.date, *, drafts: bool = False) -> Plan:
    """The plan with the changes that would not validate set aside (and their reasons).

    A change is set aside when the catalog would have new errors in its file (or, for an
    existing card, in its model's folder), or when it needs a new file that is set aside.
    With `drafts`, nothing is set aside: the errors are what the user must still complete.
    """
    root = plan.root
    before = {problem_key(p) for p in validate_catalog(root, today).errors}
    active = list(plan.changes)
    refused: list[Change] = []
    problems: list[Problem] = []
    while active:
        errors = _new_errors(root, active, today, before)
        if drafts or not errors:
            problems += errors
            break
        blocked = _blocked(root, active, errors)
        problems += [p for p in errors if p.file in blocked]
        reasons: dict[Path, tuple[Path, ...]] = dict.fromkeys(blocked, ())
        while True:  # and whatever needs them
            more = {
                c.path: tuple(sorted(c.needs & set(reasons)))
                for c in active
                if c.path not in reasons and c.needs & set(reasons)
            }
            if not more:
                break
            reasons |= more
        refused += [replace(c, blocked_by=reasons[c.path]) for c in active if c.path in reasons]
        active = [c for c in active if c.path not in reasons]
    return replace(plan, changes=active, refused=refused, problems=_unique(problems))


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def write_plan(plan: Plan) -> None:
    """Write the plan's changes, each file whole, only inside the catalog folder."""
    try:
        write_edits(plan.root, [FileEdit(c.path, c.text, c.description) for c in plan.changes])
    except EditError as error:
        raise OSError(error.message) from None
