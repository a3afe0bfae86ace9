"""The home page's list of models: the rows the page shows, and the data file that holds them all.

At 2,000 models one HTML table of every model is megabytes. The page renders the first
PAGE_SIZE models (so it reads without JavaScript) and site.js loads every row from
`assets/search-index.js`, then searches, filters, sorts and pages them in the browser, with
the state in the address. The data is a script that sets `window.MODELCARDS_SEARCH`, loaded
by a <script> element: fetch() of a local file is blocked under file://.

Rows are listed in the default order (by name), so the page's rows are the data's first rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..cards import Stage
from ..catalog import Catalog, Model, ModelVersion
from . import paths
from .render import format_number
from .views import STATUS_ORDER, ModelSummary, Reading

PAGE_SIZE = 50  # rows the home page renders, and shows per page


def home_order(summaries: Iterable[ModelSummary]) -> list[ModelSummary]:
    """By name, as a reader looks a model up (then by id, which is unique); numbers in names
    by their value, so "detector 106" comes before "detector 1002"."""
    return sorted(summaries, key=lambda s: (natural_key(s.model.card.name), s.model.id))


def natural_key(text: str) -> tuple[str | int, ...]:
    """`text` casefolded, each run of digits read as a number (parts alternate text, number)."""
    return tuple(
        int(part) if index % 2 else part
        for index, part in enumerate(re.split(r"(\d+)", text.casefold()))
    )


def metric_text(reading: Reading) -> str:
    """A reading's value with its unit, as the `metric_value` macro writes it."""
    unit = reading.unit
    value = format_number(reading.metric.value)
    return value + ((("" if unit == "%" else " ") + unit) if unit else "")


def _href(target: str) -> str:
    return paths.relative(paths.HOME, target)


def _version(version: ModelVersion | None) -> list[str] | None:
    return [version.version, _href(paths.version_path(version.ref))] if version else None


def _datasets(catalog: Catalog, model: Model) -> list[str]:
    """Every dataset the model's versions were trained or evaluated on: in the catalog (its
    name and `id@version`) or outside it (its name and id)."""
    refs: set[str] = set()
    words: set[str] = set()
    for version in model.versions:
        training = version.card.training
        refs.update(training.data if training else ())
        refs.update(m.dataset for m in version.card.metrics if m.dataset)
        outside = [
            *(training.external_data if training else ()),
            *(m.external_dataset for m in version.card.metrics if m.external_dataset),
        ]
        words.update(text for data in outside for text in (data.id, data.name) if text)
    words.update(refs)
    for ref in refs:
        dataset = catalog.datasets.get(ref.partition("@")[0])
        if dataset is not None:
            words.add(dataset.card.name)
    return sorted(words)


def search_text(catalog: Catalog, summary: ModelSummary) -> str:
    """What else the search box finds a model by, besides the row's own texts (its names,
    owners, task, tags and summary): version numbers and aliases, intended use, and the
    datasets it was trained or evaluated on."""
    model, card = summary.model, summary.model.card
    use = card.intended_use
    words = [
        *(v.version for v in model.versions),
        *card.aliases,
        *((*use.uses, *use.users, *use.out_of_scope) if use else ()),
        *_datasets(catalog, model),
    ]
    return " ".join(words)


def model_row(catalog: Catalog, summary: ModelSummary) -> dict[str, Any]:
    """One model as site.js draws its row (the `model_row` macro of index.html draws the same)."""
    model, card = summary.model, summary.model.card
    release = summary.latest_release
    primary = summary.primary
    return {
        "id": model.id,
        "name": card.name,
        "href": _href(paths.model_path(model.id)),
        "summary": card.summary,
        "owners": [owner.name for owner in card.owners],
        "task": card.task,
        "tags": list(card.tags),
        "latest": _version(release),
        "released": release.card.released.isoformat() if release else None,
        "pre": _version(summary.prerelease),
        "live": [
            [
                v.version,
                _href(paths.version_path(v.ref)),
                format_number(summary.traffic[v.ref]) if v.ref in summary.traffic else None,
            ]
            for v in summary.production
        ],
        "primary": [
            primary.label,
            metric_text(primary),
            primary.place,
            summary.primary_version.version,
            # A key that sorts the better reading first: the metric's goal decides.
            -primary.metric.value if primary.goal != "minimize" else primary.metric.value,
        ]
        if primary and summary.primary_version
        else None,
        "status": summary.status.value if summary.status else None,
        "stages": summary.current_stages,
        "text": search_text(catalog, summary),
    }


def filter_values(summaries: Iterable[ModelSummary]) -> dict[str, dict[str, int]]:
    """Each filter's values, with how many models have each: owner, task, tag and stage."""
    counts: dict[str, dict[str, int]] = {"owner": {}, "task": {}, "tag": {}, "stage": {}}
    for summary in summaries:
        card = summary.model.card
        found = {
            "owner": {owner.name for owner in card.owners},
            "task": {card.task},
            "tag": set(card.tags),
            "stage": set(summary.current_stages),
        }
        for key, values in found.items():
            for value in values:
                counts[key][value] = counts[key].get(value, 0) + 1
    stages = [stage.value for stage in Stage]  # in the order of the lifecycle
    return {
        key: dict(
            sorted(
                values.items(),
                key=lambda item: (
                    stages.index(item[0]) if key == "stage" else 0,
                    item[0].casefold(),
                    item[0],
                ),
            )
        )
        for key, values in counts.items()
    }


# The sort menu: each sort's value in the address, and what it says. Clicking a column's
# header sorts by it too, and again reverses it ("-name").
SORTS = {
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "latest": "Latest release, newest first",
    "primary": "Primary metric, best first",
    "status": "Status, in production first",
    "owner": "Owner, A to Z",
    "task": "Task, A to Z",
}


def search_index(catalog: Catalog, summaries: Mapping[str, ModelSummary]) -> bytes:
    """The data file of the home page: every model's row, in the default order."""
    rows = [model_row(catalog, s) for s in home_order(summaries.values())]
    data = json.dumps(
        {"models": rows, "page_size": PAGE_SIZE, "stages": [stage.value for stage in STATUS_ORDER]},
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )
    # "<" escaped so no card text can ever close a script element it is pasted into.
    escaped = data.replace("<", "\\u003c")
    return f"window.MODELCARDS_SEARCH = {escaped};\n".encode()
