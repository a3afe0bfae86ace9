"""The pull-request summary: Markdown a reviewer reads in ten seconds.

What the change adds (versions, stage changes, deprecations, metrics against the previous
version with the direction of "better" marked) and what is wrong with it. It is computed
from the resolved catalog and the History of `validate --base`; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .cards import LifecycleEvent, Metric, Stage
from .catalog import Catalog, ModelVersion
from .history import History
from .metrics import known_metrics, regression
from .problems import Problem
from .queries import previous_version, resolve_replacement
from .reporters import display_path
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
    """Card text inside a table cell: one line, no pipes, no HTML."""
    shown = " ".join(str(text).split())
    return shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


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
            found += [(version, m) for m in version.card.metrics[len(old.metrics):]]
    return found


def _metric_key(metric: Metric) -> tuple[str, str | None, str | None, str | None]:
    return metric.name, metric.dataset, metric.split, metric.slice


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
    yield from _table(["Version", "Stage", "Released", "Summary"], rows)
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
        rows.append([
            f"`{added.version.ref}`", f"{before} → **{event.stage.value}**", event.date.isoformat(),
            _cell(event.by), _cell(", ".join(event.approved_by)) or "—", _traffic(event),
            _cell(event.override) if event.override else "—",
        ])
    header = ["Version", "Change", "Date", "By", "Approved by", "Traffic", "Gate override"]
    yield from _table(header, rows)
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
    yield from _table(["Version", "Reason", "Replaced by", "Sunset"], rows)
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
        previous = previous_version(model, version) if model else None
        earlier = previous.card.metrics if previous else []
        before = next((m for m in earlier if _metric_key(m) == _metric_key(metric)), None)
        info = meanings.get(metric.name)
        goal = info.goal if info else None
        split = f"({metric.split})" if metric.split else None
        where = " ".join(part for part in (metric.dataset, split) if part)
        if metric.slice:
            where += f", slice {metric.slice}"
        rows.append([
            f"`{version.ref}`", f"{_cell(metric.name)} ({_direction(goal)})", _cell(where) or "—",
            f"{metric.value:g}",
            f"{before.value:g} ({previous.version})" if before and previous else "—",
            _change(goal, metric.value, before.value) if before else "new",
        ])
    yield "### Metrics against the previous version"
    yield ""
    yield from _table(["Version", "Metric", "Evaluated on", "Value", "Previous", "Change"], rows)
    yield ""


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def render_summary(
    result: ValidationResult, history: History | None, *, strict: bool = False
) -> str:
    """The Markdown summary of a validation, with what the change adds when `history` is given."""
    catalog = result.catalog
    against = f" against `{history.ref}`" if history else ""
    verdict = "✅ valid" if result.passes(strict=strict) else "❌ invalid"
    lines = [f"## modelcards: catalog {verdict}{against}", ""]
    counts = [_plural(len(result.errors), "error"), _plural(len(result.warnings), "warning")]
    if history is None:
        hint = "Run `modelcards validate --base REF` to list what a change adds."
        lines += [" · ".join(counts), "", hint, ""]
    else:
        events = added_events(catalog, history)
        deprecations = sum(a.event.stage is Stage.DEPRECATED for a in events)
        counts = [
            _plural(len(history.added), "version") + " added",
            _plural(len(events), "stage change"),
            _plural(deprecations, "deprecation"),
            *counts,
        ]
        lines += [" · ".join(counts), ""]
        lines += [*_versions_added(history), *_stage_changes(events), *_deprecations(events)]
        lines += list(_metric_changes(catalog, history))
    lines += list(_problems(result))
    return "\n".join(lines).rstrip("\n") + "\n"


def write_summary(path: Path, text: str) -> None:
    """Write the summary (replacing the file: GitHub gives each step its own summary file)."""
    path.write_text(text, encoding="utf-8")
