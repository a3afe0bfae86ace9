"""The pull-request summary: Markdown a reviewer reads in ten seconds.

What the change adds (versions, stage changes, deprecations, metrics against the previous
version with the direction of "better" marked), every other card it adds or changes (models,
datasets and their versions, edits of published versions, catalog.yaml), the cards it could
not read, and what is wrong with it. It is computed from the resolved catalog and the History
of `validate --base`; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .cardmarkdown import table
from .cards import DatasetCard, LifecycleEvent, Metric, Monitoring, Stage
from .catalog import Catalog, ModelVersion
from .discovery import MODEL_FILE
from .history import History
from .history_cards import changed_fields
from .metrics import known_metrics, regression
from .problems import Problem
from .queries import earlier_reading, place, resolve_replacement
from .reporters import display_path
from .texts import counted, shown
from .validate import ValidationResult

MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True)
class AddedEvent:
    version: ModelVersion
    index: int

    @property
    def event(self) -> LifecycleEvent:
        return self.version.card.lifecycle[self.index]


def _cell(text: object) -> str:
    """Card text inside a table cell: one line, no HTML (the table escapes its pipes)."""
    shown = " ".join(str(text).split())
    return shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- what the change adds ------------------------------------------------------------------


def added_events(catalog: Catalog, history: History) -> list[AddedEvent]:
    """Lifecycle events the change appends (a new version's first event is its addition)."""
    found: list[AddedEvent] = []
    for version in history.added:
        found += [AddedEvent(version, i) for i in range(1, len(version.card.lifecycle))]
    for ref in sorted(history.changed):
        changed, old = catalog.versions.get(ref), history.base_card(ref)
        if changed is None or old is None:
            continue
        appended = range(len(old.lifecycle), len(changed.card.lifecycle))
        found += [AddedEvent(changed, i) for i in appended]
    return sorted(found, key=lambda a: (a.event.date, a.version.ref, a.index))


def added_metrics(catalog: Catalog, history: History) -> list[tuple[ModelVersion, Metric]]:
    found = [(v, m) for v in history.added for m in v.card.metrics]
    for ref in sorted(history.changed):
        version, old = catalog.versions.get(ref), history.base_card(ref)
        if version is not None and old is not None:
            found += [(version, m) for m in version.card.metrics[len(old.metrics) :]]
    return found


# ---- sections --------------------------------------------------------------------------------


def _versions_added(history: History) -> Iterator[str]:
    if not history.added:
        return
    yield "### Versions added"
    yield ""
    rows = [
        [f"`{v.ref}`", v.stage.value, v.card.released.isoformat(), _cell(v.card.summary)]
        for v in history.added
    ]
    yield from table(["Version", "Stage", "Released", "Summary"], rows)
    yield ""


def _traffic(event: LifecycleEvent) -> str:
    if event.traffic is not None:
        return f"{event.traffic:g}%"
    return "all" if event.stage is Stage.PRODUCTION else "—"


def _stage_changes(events: list[AddedEvent]) -> Iterator[str]:
    if not events:
        return
    yield "### Stage changes"
    yield ""
    rows = []
    for added in events:
        event = added.event
        before = added.version.card.lifecycle[added.index - 1].stage.value if added.index else "new"
        rows.append(
            [
                f"`{added.version.ref}`",
                f"{before} → **{event.stage.value}**",
                event.date.isoformat(),
                _cell(event.by),
                _cell(", ".join(event.approved_by)) or "—",
                _traffic(event),
                _cell(event.override) if event.override else "—",
            ]
        )
    header = ["Version", "Change", "Date", "By", "Approved by", "Traffic", "Gate override"]
    yield from table(header, rows)
    yield ""


def _deprecations(events: list[AddedEvent]) -> Iterator[str]:
    deprecated = [a for a in events if a.event.stage is Stage.DEPRECATED]
    if not deprecated:
        return
    yield "### Deprecations"
    yield ""
    rows = []
    for added in deprecated:
        event = added.event
        replacement = "—"
        if event.replaced_by:
            replacement = f"`{resolve_replacement(added.version, event.replaced_by)}`"
        sunset = event.sunset.isoformat() if event.sunset else "—"
        rows.append([f"`{added.version.ref}`", _cell(event.reason or "—"), replacement, sunset])
    yield from table(["Version", "Reason", "Replaced by", "Sunset"], rows)
    yield ""


def _direction(goal: str | None) -> str:
    return {"maximize": "↑ higher is better", "minimize": "↓ lower is better"}.get(
        goal or "", "direction unknown"
    )


def _change(goal: str | None, new: float, old: float) -> str:
    delta = f"{new - old:+.4g}"
    if goal is None or new == old:
        return delta if new != old else "= same"
    return f"{delta} 🟢 better" if regression(goal, new, old) < 0 else f"{delta} 🔴 worse"


def _metric_changes(catalog: Catalog, history: History) -> Iterator[str]:
    metrics = added_metrics(catalog, history)
    if not metrics:
        return
    meanings = known_metrics(catalog.settings)
    rows = []
    for version, metric in metrics:
        model = catalog.models.get(version.model_id)
        change = earlier_reading(model, version, metric) if model else None
        info = meanings.get(metric.name)
        goal = info.goal if info else None
        where = place(metric) if metric.evaluated_on or metric.split else ""
        if metric.slice:
            where += f", slice {metric.slice}"
        rows.append(
            [
                f"`{version.ref}`",
                f"{_cell(metric.name)} ({_direction(goal)})",
                _cell(where) or "—",
                f"{metric.value:g}",
                f"{change.before.value:g} ({change.earlier.version})" if change else "—",
                _change(goal, metric.value, change.before.value) if change else "new",
            ]
        )
    yield "### Metrics against earlier versions"
    yield ""
    yield from table(["Version", "Metric", "Evaluated on", "Value", "Previous", "Change"], rows)
    yield ""


# ---- the other cards ----------------------------------------------------------------------


def _model_rows(catalog: Catalog, history: History) -> list[list[str]]:
    changes = history.cards
    rows = {key: "added" for kind, key in changes.added if kind == "model"}
    rows |= {key: "removed" for kind, key in changes.deleted if kind == "model"}
    for (kind, key), entry in changes.changed.items():
        model = catalog.models.get(key)
        if kind == "model" and model is not None and entry.card is not None:
            rows[key] = "changed: " + ", ".join(changed_fields(entry.card, model.card))
    return [[f"`{key}`", _cell(rows[key])] for key in sorted(rows)]


def _dataset_rows(catalog: Catalog, history: History) -> list[list[str]]:
    changes = history.cards
    rows: dict[str, list[list[str]]] = {}
    for kind, key in changes.added:
        dataset = catalog.datasets.get(key)
        if kind == "dataset" and dataset is not None:
            names = ", ".join(v.version for v in dataset.card.versions)
            plural = "s" if len(dataset.card.versions) != 1 else ""
            rows[key] = [[f"`{key}`", _cell(f"added, with version{plural} {names}")]]
    for kind, key in changes.deleted:
        if kind == "dataset":
            rows[key] = [[f"`{key}`", "removed"]]
    for (kind, key), entry in changes.changed.items():
        dataset = catalog.datasets.get(key)
        if kind == "dataset" and dataset is not None and isinstance(entry.card, DatasetCard):
            rows[key] = _dataset_changes(key, entry.card, dataset.card)
    return [row for key in sorted(rows) for row in rows[key]]


def _dataset_changes(key: str, old: DatasetCard, new: DatasetCard) -> list[list[str]]:
    fields = [name for name in changed_fields(old, new) if name != "versions"]
    rows = [[f"`{key}`", _cell("changed: " + ", ".join(fields))]] if fields else []
    before = {v.version: v for v in old.versions}
    now = {v.version for v in new.versions}
    for version in new.versions:
        previous = before.get(version.version)
        if previous is None:
            rows.append([f"`{key}@{_cell(version.version)}`", "version added"])
        elif previous != version:
            names = ", ".join(changed_fields(previous, version))
            rows.append([f"`{key}@{_cell(version.version)}`", _cell(f"version changed: {names}")])
    rows += [[f"`{key}@{_cell(name)}`", "version removed"] for name in before if name not in now]
    return rows


def _version_edits(catalog: Catalog, history: History) -> list[list[str]]:
    """Published versions changed in ways the other sections do not show: documentation,
    monitoring, and (in error) recorded facts."""
    rows = []
    for ref in sorted(history.changed):
        version, old = catalog.versions.get(ref), history.base_card(ref)
        if version is None or old is None:
            continue
        names = [n for n in changed_fields(old, version.card) if n not in ("lifecycle", "metrics")]
        if "monitoring" in names:
            names.remove("monitoring")
            names += _monitoring_changes(old.monitoring, version.card.monitoring)
        if names:
            rows.append([f"`{ref}`", _cell(", ".join(names))])
    return rows


def _monitoring_changes(old: Monitoring | None, new: Monitoring | None) -> list[str]:
    before = old.observations if old else []
    after = new.observations if new else []
    found = []
    if (old.dashboard if old else None) != (new.dashboard if new else None):
        found.append("monitoring.dashboard")
    if len(after) > len(before):
        found.append(counted(len(after) - len(before), "monitoring observation") + " added")
    elif after != before:
        found.append("monitoring.observations")
    return found


def _settings_rows(catalog: Catalog, history: History) -> list[list[str]]:
    changes = history.cards
    key = ("settings", "")
    if key in changes.added:
        return [["`catalog.yaml`", "added"]]
    if key in changes.deleted:
        return [["`catalog.yaml`", "removed: defaults apply"]]
    entry = changes.changed.get(key)
    if entry is None or entry.card is None:
        return []
    fields = changed_fields(entry.card, catalog.settings, deeper=("policy",))
    return [["`catalog.yaml`", _cell("changed: " + ", ".join(fields))]] if fields else []


def _unread(catalog: Catalog, history: History) -> list[str]:
    """Cards the change touches that do not parse, on this branch or on the base: what they
    change cannot be listed."""
    found: dict[Path, str] = {}
    here = "on this branch"
    for ref in sorted(catalog.version_refs - set(catalog.versions)):
        if ref not in history.base_refs:
            model_id, _, name = ref.partition("@")
            path = catalog.root / "models" / model_id / f"{name}.yaml"
            found[path] = f"(new) does not parse {here}"
    for ref, entry in history.changed.items():
        if ref not in catalog.versions:
            found[entry.path] = f"does not parse {here}"
        elif entry.card is None:
            found[entry.path] = f"does not parse on `{history.ref}`"
    for (kind, key), card in history.cards.changed.items():
        parsed = {"model": catalog.models, "dataset": catalog.datasets}.get(kind)
        if parsed is not None and key not in parsed:
            found[card.path] = f"does not parse {here}"
        elif card.card is None:
            found[card.path] = f"does not parse on `{history.ref}`"
    for kind, key in history.cards.added:
        new = _card_path(catalog, kind, key)
        parsed = {"model": catalog.models, "dataset": catalog.datasets}.get(kind)
        if new is not None and parsed is not None and key not in parsed:
            found[new] = f"(new) does not parse {here}"
    return [
        f"- `{display_path(path)}` {found[path]}, so what it changes is not listed above "
        "(see the errors)"
        for path in sorted(found)
    ]


def _card_path(catalog: Catalog, kind: str, key: str) -> Path | None:
    if kind == "model":
        return catalog.root / "models" / key / MODEL_FILE
    if kind == "dataset":
        return catalog.root / "datasets" / f"{key}.yaml"
    return None


def _section(title: str, header: list[str], rows: list[list[str]]) -> Iterator[str]:
    if rows:
        yield from (f"### {title}", "", *table(header, rows), "")


def _card_sections(catalog: Catalog, history: History) -> Iterator[str]:
    yield from _section("Models", ["Model", "Change"], _model_rows(catalog, history))
    yield from _section("Datasets", ["Dataset", "Change"], _dataset_rows(catalog, history))
    yield from _section(
        "Published versions edited", ["Version", "Change"], _version_edits(catalog, history)
    )
    yield from _section("Catalog settings", ["File", "Change"], _settings_rows(catalog, history))
    unread = _unread(catalog, history)
    if unread:
        yield from ("### Cards that could not be read", "", *unread, "")


def _card_counts(catalog: Catalog, history: History) -> list[str]:
    """The counts of the other cards' changes, those that are not zero."""
    changes = history.cards
    counts = []
    for kind, word in (("model", "model"), ("dataset", "dataset")):
        added = sum(k == kind for k, _ in changes.added)
        changed = sum(k == kind for k, _ in changes.changed)
        removed = sum(k == kind for k, _ in changes.deleted)
        counts += [
            counted(number, word) + " " + verb
            for number, verb in ((added, "added"), (changed, "changed"), (removed, "removed"))
            if number
        ]
    edited = len(_version_edits(catalog, history))
    if edited:
        counts.append(counted(edited, "published version") + " edited")
    if _settings_rows(catalog, history):
        counts.append("catalog.yaml changed")
    return counts


def _problem_line(p: Problem) -> str:
    return f"- `{display_path(p.file)}:{p.line}:{p.column}` **{p.code}** {_cell(p.message)}"


def _problems(result: ValidationResult) -> Iterator[str]:
    for title, found in (("Errors", result.errors), ("Warnings", result.warnings)):
        if not found:
            continue
        yield f"### {title}"
        yield ""
        yield from (_problem_line(p) for p in found[:MAX_LISTED_PROBLEMS])
        if len(found) > MAX_LISTED_PROBLEMS:
            yield f"- … and {len(found) - MAX_LISTED_PROBLEMS} more (see the job log)"
        yield ""


def render_summary(
    result: ValidationResult, history: History | None, *, strict: bool = False
) -> str:
    """The Markdown summary of a validation, with what the change adds when `history` is given."""
    catalog = result.catalog
    against = f" against `{history.ref}`" if history else ""
    verdict = "✅ valid" if result.passes(strict=strict) else "❌ invalid"
    lines = [f"## modelcards: catalog {verdict}{against}", ""]
    counts = [counted(len(result.errors), "error"), counted(len(result.warnings), "warning")]
    if history is None:
        hint = "Run `modelcards validate --base REF` to list what a change adds."
        lines += [" · ".join(counts), "", hint, ""]
    else:
        events = added_events(catalog, history)
        deprecations = sum(a.event.stage is Stage.DEPRECATED for a in events)
        counts = [
            counted(len(history.added), "version") + " added",
            counted(len(events), "stage change"),
            counted(deprecations, "deprecation"),
            *_card_counts(catalog, history),
            *counts,
        ]
        lines += [" · ".join(counts), ""]
        lines += [*_versions_added(history), *_stage_changes(events), *_deprecations(events)]
        lines += list(_metric_changes(catalog, history))
        lines += list(_card_sections(catalog, history))
    lines += list(_problems(result))
    # Names refuse bidirectional and control characters; in free text (summaries, reasons)
    # they are shown as escapes, so no card text reorders what a reviewer reads.
    return shown("\n".join(lines).rstrip("\n") + "\n")


def write_summary(path: Path, text: str) -> None:
    """Write the summary (replacing the file: GitHub gives each step its own summary file)."""
    path.write_text(text, encoding="utf-8")
