"""The data the compare page reads: one script per model, one index per task.

A static site cannot hold a page for every pair of versions (2,000 models of 10 versions
make 200 million pairs), so there is one compare page per task, `compare/<task>/index.html`,
that reads the pair from its address (`?a=model@1.0.0&b=other@2.0.0`) and builds the view
in the browser (assets/compare.js) from two kinds of script, loaded by <script> tags
because a page opened from disk may not fetch() files:
- `compare/<task>/models.js`: the task's models (id, name, where their data is), for the
  pickers;
- `models/<model>/compare.js`: everything a comparison shows about each version of one
  model, decided here, so the browser only lines up what Python says goes together:
  * each metric entry with its comparison key, `queries.comparison_key` (the same metric,
    dataset version and split, no slice: what `queries.comparable` pairs), or null when it
    is comparable with nothing; which entry is the version's reading (`queries.reading`);
    the metric's label, unit and goal (catalog.yaml or the built-ins); its leaderboard;
  * its settings as (area, name, value) rows, `changes.card_settings` (the rows the
    version page's "What changed" diffs, and the artifacts);
  * its lifecycle events, stage now and share of traffic.
Card text in them is passed through `texts.shown`, as on every page, and the JSON is ASCII
with "<" escaped, so no card text can end the script or act on the text around it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..catalog import Model, ModelVersion
from ..queries import comparison_key, reading
from ..texts import shown
from . import paths
from .changes import card_settings
from .context import SiteData
from .leaderboards import board_target

DATA_GLOBAL = "MODELCARDS_COMPARE"
INDEX_GLOBAL = "MODELCARDS_COMPARE_MODELS"


def _visible(value: Any) -> Any:
    """Every string in `value` as `texts.shown` shows it."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, list):
        return [_visible(v) for v in value]
    if isinstance(value, dict):
        return {k: _visible(v) for k, v in value.items()}
    return value


def script(assignment: str, data: Any) -> bytes:
    """`<assignment> = <data>;` as a script: ASCII JSON, "<" escaped (no card text can ever
    close a script element or a comment)."""
    text = json.dumps(_visible(data), separators=(",", ":"), ensure_ascii=True)
    escaped = text.replace("<", "\\u003c")
    return f"{assignment} = {escaped};\n".encode()


def tasks(site: SiteData) -> dict[str, list[Model]]:
    """The models of each task, by id."""
    found: dict[str, list[Model]] = {}
    for model_id in sorted(site.catalog.models):
        model = site.catalog.models[model_id]
        found.setdefault(model.card.task, []).append(model)
    return found


def task_index(site: SiteData, task: str) -> bytes:
    """compare/<task>/models.js: the task's models for the pickers."""
    models = [
        {
            "id": m.id,
            "name": m.card.name,
            "data": paths.compare_data_path(m.id),
            "versions": len(m.versions),
        }
        for m in tasks(site).get(task, [])
    ]
    key = json.dumps(task, ensure_ascii=True).replace("<", "\\u003c")
    return script(f"(window.{INDEX_GLOBAL} = window.{INDEX_GLOBAL} || {{}})[{key}]", models)


def model_data(site: SiteData, model: Model) -> bytes:
    """models/<model>/compare.js: what the compare page shows about each of its versions."""
    names = sorted({m.name for v in model.versions for m in v.card.metrics})
    metrics = {}
    for name in names:
        info = site.metrics.get(name)
        metrics[name] = {
            "label": info.label if info and info.label else name,
            "goal": info.goal if info else None,
            "unit": info.unit if info else None,
        }
    data = {
        "id": model.id,
        "name": model.card.name,
        "task": model.card.task,
        "page": paths.model_path(model.id),
        "primary": model.card.primary_metric,
        "metrics": metrics,
        "versions": [_version(site, model, v) for v in model.versions],
    }
    key = json.dumps(model.id, ensure_ascii=True)
    return script(f"(window.{DATA_GLOBAL} = window.{DATA_GLOBAL} || {{}})[{key}]", data)


def _version(site: SiteData, model: Model, version: ModelVersion) -> dict[str, Any]:
    card = version.card
    shown_reading = reading(model, version)
    return {
        "version": version.version,
        "ref": version.ref,
        "page": paths.version_path(version.ref),
        "released": card.released.isoformat(),
        "summary": card.summary,
        "stage": version.stage.value,
        "traffic": site.traffic.get(version.ref),
        "readings": [_reading(site, m, m is shown_reading) for m in card.metrics],
        "settings": [list(row) for row in card_settings(card)],
        "lifecycle": [_event(e) for e in card.lifecycle],
    }


def _reading(site: SiteData, metric: Any, is_reading: bool) -> dict[str, Any]:
    key = comparison_key(metric)
    target = board_target(site.catalog, metric)
    return {
        "name": metric.name,
        "value": metric.value,
        "ci": list(metric.ci) if metric.ci else None,
        "dataset": metric.evaluated_on,
        "split": metric.split,
        "slice": metric.slice,
        "key": list(key) if key else None,
        "reading": is_reading,
        "board": f"{target[0]}#{target[1]}" if target else None,
    }


def _event(event: Any) -> Mapping[str, Any]:
    found: dict[str, Any] = {
        "date": event.date.isoformat(),
        "stage": event.stage.value,
        "by": event.by,
    }
    for name in ("time", "traffic", "reason", "replaced_by", "override"):
        value = getattr(event, name)
        if value is not None:
            found[name] = value
    if event.approved_by:
        found["approved_by"] = list(event.approved_by)
    if event.sunset is not None:
        found["sunset"] = event.sunset.isoformat()
    return found
