"""What an MLflow registered model, version and run say, as card fields (pure functions).

Every function here takes MLflow's payloads (`mlflow_rest`) and returns plain card data plus
notes about what had no place in the card; nothing reads the catalog or writes a file.
docs/migrate-from-mlflow.md lists the mapping; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..capture import public_url
from ..cards import Stage, is_semver, is_valid_id
from .mlflow_rest import DatasetInput, LoggedModel, Metric, ModelVersion, Param, Run, Tag

# MLflow's legacy stages, as ours.
STAGES = {
    "None": Stage.DEVELOPMENT,
    "Staging": Stage.STAGING,
    "Production": Stage.PRODUCTION,
    "Archived": Stage.ARCHIVED,
}
# Run tags that land in the card (code, the person, the run's name in the description).
GIT_COMMIT_TAG = "mlflow.source.git.commit"
GIT_REPO_TAGS = ("mlflow.source.git.repoURL", "mlflow.gitRepoURL")
USED_RUN_TAGS = frozenset({GIT_COMMIT_TAG, *GIT_REPO_TAGS, "mlflow.user", "mlflow.runName"})
# Registered-model tags that fill a field of the model card of the same name.
MODEL_FIELD_TAGS = ("license", "primary_metric")
TRAINING_CONTEXTS = frozenset({"training", "train"})
SEED_PARAMS = ("seed", "random_seed", "random_state")
SUMMARY_LENGTH = 200
_SLUG = re.compile(r"[^a-z0-9._-]+")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def to_date(milliseconds: int) -> dt.date:
    """MLflow's timestamps (milliseconds since the epoch) as UTC dates."""
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.timezone.utc).date()


def to_time(milliseconds: int) -> str:
    """The UTC time of day ("HH:MM") that orders events of one date across cards."""
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.timezone.utc).strftime("%H:%M")


def card_id(name: str) -> str | None:
    """A model or dataset id from an MLflow name: lowercased, accents dropped (`Résumé` is
    `resume`), other characters as '-'."""
    folded = unicodedata.normalize("NFKD", name.strip().casefold())
    latin = "".join(c for c in folded if not unicodedata.combining(c))
    slug = _SLUG.sub("-", latin).strip("-._")[:64].rstrip("-._")
    slug = re.sub(r"\.{2,}", ".", slug)
    return slug if slug and is_valid_id(slug) else None


def summary_of(description: str, fallback: str) -> str:
    """The description's first line, cut to a one-line summary, else the fallback."""
    first = next((line.strip() for line in description.splitlines() if line.strip()), "")
    first = first.lstrip("#").strip() or fallback
    if len(first) > SUMMARY_LENGTH:
        first = first[: SUMMARY_LENGTH - 3].rstrip() + "..."
    return first


def tag_map(tags: Iterable[Tag]) -> dict[str, str]:
    return {tag.key: tag.value for tag in tags}


# ---- versions -------------------------------------------------------------------------------


def semver_of(version: ModelVersion, tag: str) -> tuple[str | None, list[str]]:
    """The version's SemVer: its `tag` (a leading v allowed), else N.0.0 from MLflow's N."""
    notes: list[str] = []
    given = tag_map(version.tags).get(tag, "").strip()
    if given:
        candidate = given[1:] if given[:1] in ("v", "V") else given
        if is_semver(candidate):
            return candidate, notes
        notes.append(f"its {tag} tag {given!r} is not SemVer; used the version number instead")
    if version.version.isdigit():
        return f"{int(version.version)}.0.0", notes
    notes.append(f"MLflow version {version.version!r} is not a number and has no {tag} tag")
    return None, notes


def stage_of(version: ModelVersion) -> Stage | None:
    return STAGES.get(version.current_stage)


def hyperparameter(text: str) -> Any:
    """A parameter (always text in MLflow) as the number or true/false it spells, written
    as Python writes numbers (what `mlflow.log_param` stored); other text stays text, such
    as `0755` or `1_000`, which int() would read but which are not written as numbers."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    return text


def _latest(metrics: Iterable[Metric]) -> dict[tuple[str, str, str], Metric]:
    """The latest reading per (key, dataset name, dataset digest): highest step, then time."""
    found: dict[tuple[str, str, str], Metric] = {}
    for metric in metrics:
        key = (metric.key, metric.dataset_name, metric.dataset_digest)
        seen = found.get(key)
        if seen is None or (metric.step, metric.timestamp) >= (seen.step, seen.timestamp):
            found[key] = metric
    return found


@dataclass(frozen=True)
class DatasetUse:
    """A dataset version a run logged as input, or that a metric was computed on."""

    id: str
    version: str  # MLflow's digest
    name: str
    context: str | None
    uri: str | None
    rows: int | None
    source_type: str

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


def dataset_uses(inputs: Iterable[DatasetInput], notes: list[str]) -> list[DatasetUse]:
    found: list[DatasetUse] = []
    for item in inputs:
        dataset = item.dataset
        dataset_id = card_id(dataset.name)
        if dataset_id is None or not dataset.digest.strip():
            notes.append(
                f"input dataset {dataset.name!r} has no usable name or digest; not imported"
            )
            continue
        context = tag_map(item.tags).get("mlflow.data.context") or None
        found.append(
            DatasetUse(
                dataset_id,
                dataset.digest.strip(),
                dataset.name,
                context,
                _source_uri(dataset.source),
                _rows(dataset.profile),
                dataset.source_type,
            )
        )
    return found


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _source_uri(source: str) -> str | None:
    data = _json(source)
    if isinstance(data, dict):
        for key in ("uri", "url", "path", "file_path", "table_name"):
            if isinstance(data.get(key), str) and data[key].strip():
                return str(data[key]).strip()
    return None


def _rows(profile: str) -> int | None:
    data = _json(profile)
    rows = data.get("num_rows") if isinstance(data, dict) else None
    return rows if isinstance(rows, int) and not isinstance(rows, bool) and rows >= 0 else None


def metrics_of(
    run: Run | None, logged: LoggedModel | None, uses: list[DatasetUse], notes: list[str]
) -> list[dict[str, Any]]:
    """Latest value per key; a logged model's readings keep the dataset MLflow recorded."""
    by_digest = {(use.name, use.version): use for use in uses}
    readings: list[dict[str, Any]] = []
    covered: set[str] = set()
    for (key, name, digest), metric in sorted(
        _latest(logged.data.metrics if logged else []).items()
    ):
        item: dict[str, Any] = {"name": key, "value": metric.value}
        if name and digest:
            use = by_digest.get((name, digest))
            dataset_id = use.id if use else card_id(name)
            if dataset_id is not None:
                item["dataset"] = f"{dataset_id}@{digest}"
            if use is not None and use.context:
                item["split"] = use.context
        readings.append(item)
        covered.add(key)
    for (key, _, _), metric in sorted(_latest(run.data.metrics if run else []).items()):
        if key not in covered:
            readings.append({"name": key, "value": metric.value})
    kept = []
    for item in readings:
        if math.isfinite(item["value"]):
            kept.append(item)
        else:
            notes.append(f"metric {item['name']} is {item['value']}; not imported")
    return kept


def _code(tags: dict[str, str], notes: list[str]) -> dict[str, Any] | None:
    repo = next((tags[key] for key in GIT_REPO_TAGS if tags.get(key, "").strip()), None)
    commit = tags.get(GIT_COMMIT_TAG, "").strip().lower() or None
    if commit is not None and not _COMMIT.match(commit):
        notes.append(f"run tag {GIT_COMMIT_TAG} {commit!r} is not a git commit; not imported")
        commit = None
    if repo is None:
        if commit is not None:
            notes.append(
                f"the run names commit {commit} but no repository "
                f"({GIT_REPO_TAGS[0]}); training.code needs one, add it by hand"
            )
        return None
    # MLflow records the checkout's remote as it is: a CI checkout's may carry a token.
    code: dict[str, Any] = {"repo": public_url(repo)}
    if commit is not None:
        code["commit"] = commit
    return code


def _params(run: Run | None, logged: LoggedModel | None) -> list[Param]:
    params = list(run.data.params) if run else []
    known = {param.key for param in params}
    params += [p for p in (logged.data.params if logged else []) if p.key not in known]
    return params


def training_of(
    run: Run | None, logged: LoggedModel | None, uses: list[DatasetUse], notes: list[str]
) -> dict[str, Any]:
    tags = tag_map(run.data.tags) if run else {}
    hyperparameters = {p.key: hyperparameter(p.value) for p in _params(run, logged)}
    seed = next(
        (
            hyperparameters[name]
            for name in SEED_PARAMS
            if isinstance(hyperparameters.get(name), int)
            and not isinstance(hyperparameters.get(name), bool)
        ),
        None,
    )
    data = [use.ref for use in uses if use.context is None or use.context in TRAINING_CONTEXTS]
    training: dict[str, Any] = {
        "code": _code(tags, notes),
        "data": list(dict.fromkeys(data)),
        "hyperparameters": dict(sorted(hyperparameters.items())),
        "seed": seed,
    }
    return {key: value for key, value in training.items() if value not in (None, [], {})}


def artifact_uri(version: ModelVersion, run: Run | None, logged: LoggedModel | None) -> str | None:
    """Where the model's files are: `runs:/` and `models:/m-` sources resolved when known."""
    source = version.source.strip()
    if source.startswith("runs:/") and run is not None and run.info.artifact_uri:
        _, _, path = source.removeprefix("runs:/").partition("/")
        return run.info.artifact_uri.rstrip("/") + (f"/{path}" if path else "")
    if version.logged_model_id and logged is not None and logged.info.artifact_uri:
        return logged.info.artifact_uri
    return source or None


def provenance(version: ModelVersion, run: Run | None, ui: str) -> str:
    """A Markdown line that links the card to the version (and run) in MLflow's UI."""
    name = urllib.parse.quote(version.name, safe="")
    line = (
        f"Imported from MLflow: [{version.name} version {version.version}]"
        f"({ui}/#/models/{name}/versions/{version.version})"
    )
    if version.run_link:
        line += f", trained in [this run]({version.run_link})"
    elif run is not None:
        title = run.info.run_name or run.info.run_id
        line += (
            f", trained in run [{title}]({ui}/#/experiments/{run.info.experiment_id}"
            f"/runs/{run.info.run_id})"
        )
    return line + "."


def unplaced_tags(version: ModelVersion, run: Run | None, semver_tag: str) -> list[str]:
    """Notes on the version's and its run's tags that have no place in a version card."""
    notes = []
    version_tags = sorted(key for key in tag_map(version.tags) if key != semver_tag)
    if version_tags:
        notes.append(
            "version tags with no place in the card, not imported: " + ", ".join(version_tags)
        )
    run_tags = sorted(
        key for key in (tag_map(run.data.tags) if run else {}) if key not in USED_RUN_TAGS
    )
    if run_tags:
        notes.append("run tags with no place in the card, not imported: " + ", ".join(run_tags))
    return notes
