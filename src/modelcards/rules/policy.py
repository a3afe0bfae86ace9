"""catalog.yaml policy and metrics: required fields, gates, primary metric, production left
empty, when readings were measured (MC040-MC047, MC049, MC050)."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import typing
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ..cards import Gate, LifecycleEvent, Metric, Policy, Stage, VersionCard
from ..catalog import Model, ModelVersion
from ..metrics import regression
from ..parse import _model_in, _step  # the annotation walk shared with "did you mean"
from ..problems import Problem
from ..queries import (
    comparable,
    entering_events,
    incumbents,
    place,
    stages_before,
    surely_before,
    unsliced,
)
from ..texts import capped
from .context import DEFAULT_TRANSITIONS, RuleContext

# The problem codes this module owns (tests/unit/test_rule_owners.py: one owner per code).
CODES = frozenset(
    {
        "MC040",
        "MC041",
        "MC042",
        "MC043",
        "MC044",
        "MC045",
        "MC046",
        "MC047",
        "MC049",
        "MC050",
    }
)

APPROVERS = "approved_by"
# Said with a missing required field: a version published before the requirement cannot add it
# (its card is a record), so the requirement can start at a date instead.
SINCE_HINT = (
    "; if the version reached it before the policy required this, the requirement can apply "
    "from a date instead: `{{field: {field}, since: YYYY-MM-DD}}`"
)


def check(context: RuleContext) -> Iterator[Problem]:
    return context.run(whole, per_version, per_model)


def whole(context: RuleContext) -> Iterator[Problem]:
    yield from _policy_settings(context)


def per_version(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    yield from _required_fields(context, version)
    yield from _intervals(context, version)
    yield from _measured_days(context, version)
    yield from _repeated_metrics(context, version)
    yield from _metric_names(context, version)


def per_model(context: RuleContext, model: Model) -> Iterator[Problem]:
    yield from _primary_metric(context, model)
    yield from _gates(context, model)
    yield from _left_empty(context, model)


# ---- catalog.yaml itself ----------------------------------------------------------------


@functools.cache
def field_path_exists(path: str) -> bool:
    """Whether a policy.require path names a field of a version card."""
    if path == APPROVERS:
        return True
    annotation: Any = VersionCard
    for part in path.split("."):
        while _model_in(annotation) is None and typing.get_origin(annotation) is not None:
            inner = _step(annotation, 0)
            if inner is None:
                break
            annotation = inner
        annotation = _step(annotation, part)
        if annotation is None:
            return False
    return True


def _policy_settings(context: RuleContext) -> Iterator[Problem]:
    path = context.catalog.settings_path
    if path is None:
        return
    policy = context.catalog.settings.policy
    for stage, targets in (policy.transitions or {}).items():
        for index, target in enumerate(targets):
            if target not in DEFAULT_TRANSITIONS[stage]:
                yield context.at(
                    "MC043",
                    path,
                    ("policy", "transitions", stage.value, index),
                    f"policy.transitions may only narrow the default graph, and "
                    f"{stage.value} -> {target.value} is not in it",
                )
    for stage in policy.require:
        for index, (field, _) in enumerate(requirements(policy, stage)):
            if not field_path_exists(field):
                yield context.at(
                    "MC043",
                    path,
                    ("policy", "require", stage.value, index),
                    f"policy.require names {field!r}, which is not a field of a version card "
                    "(use a dotted path such as artifacts.sha256, or approved_by)",
                )


def requirements(policy: Policy, stage: Stage) -> list[tuple[str, dt.date | None]]:
    """Each field `stage` requires, with the date it applies from (None: always)."""
    return [(entry.field, entry.since) for entry in policy.require.get(stage, [])]


# ---- required fields ----------------------------------------------------------------------


def _missing(
    value: Any, parts: list[str], loc: tuple[str | int, ...]
) -> tuple[str | int, ...] | None:
    """The location of the first missing part of a field path, or None if all is there."""
    if isinstance(value, list):
        if not value:
            return loc
        for index, item in enumerate(value):
            found = _missing(item, parts, (*loc, index))
            if found is not None:
                return found
        return None
    if isinstance(value, BaseModel):  # first: comparing a model with "" or {} is slow
        if not parts:
            return None
        return _missing(getattr(value, parts[0], None), parts[1:], (*loc, parts[0]))
    if value is None or value == "" or value == {}:
        return loc
    return None if not parts else loc


def _required_fields(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    policy = context.catalog.settings.policy
    for stage in policy.require:
        for field, since in requirements(policy, stage):
            # A requirement that applies from a date binds the versions entering the stage
            # from then on: the others reached it under the policy of their day.
            entered = [
                (index, event)
                for index, event in entering_events(version.card, stage)
                if since is None or event.date >= since
            ]
            if not entered:
                continue
            if field == APPROVERS:
                for index, event in entered:
                    if not event.approved_by:
                        yield context.in_version(
                            "MC040",
                            version,
                            ("lifecycle", index),
                            f"policy requires an approver to reach {stage.value}: add "
                            "`approved_by: [name]` to this event",
                        )
                continue
            if not field_path_exists(field):
                continue  # reported once, on catalog.yaml
            missing = _missing(version.card, field.split("."), ())
            if missing is not None:
                where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in missing)
                yield context.in_version(
                    "MC040",
                    version,
                    missing,
                    f"a version that has reached {stage.value} must have {field} "
                    f"(catalog.yaml policy.require); {where.lstrip('.') or 'it'} is missing "
                    f"or empty{_since_hint(context, field, since, entered)}",
                )


def _since_hint(
    context: RuleContext,
    field: str,
    since: dt.date | None,
    entered: list[tuple[int, LifecycleEvent]],
) -> str:
    """How a plain requirement can start at a date, for a version that reached the stage
    before today (likely a published record); a version reaching it today is told to comply."""
    if since is not None or all(event.date >= context.today for _, event in entered):
        return ""
    return SINCE_HINT.format(field=field)


@functools.lru_cache(maxsize=4)
def _version_files(refs: frozenset[str]) -> Counter[str]:
    """How many version files each model has, counted once per catalog: counting them for
    each model in turn took a second on 1,000 models x 10 versions."""
    return Counter(ref.partition("@")[0] for ref in refs)


def _left_empty(context: RuleContext, model: Model) -> Iterator[Problem]:
    """Taking the last version out of production is a production change: it needs what the
    policy asks of one (an approver). A hand-over within one day (one version archived, the
    next promoted) leaves production empty at no moment that matters. Judged at the moment of
    the event, not at the end of its day: an event that handed over is not made wrong by a
    later one that takes the next version out too (it is a published record by then)."""
    policy = context.catalog.settings.policy
    dates = [since for field, since in requirements(policy, Stage.PRODUCTION) if field == APPROVERS]
    if not dates:
        return
    since = None if None in dates else min(d for d in dates if d is not None)
    if len(model.versions) < _version_files(context.catalog.version_refs)[model.id]:
        return  # a version that does not parse may be in production: its own errors first
    for version in model.versions:
        events = version.card.lifecycle
        for index in range(1, len(events)):
            event = events[index]
            if events[index - 1].stage is not Stage.PRODUCTION or event.stage is Stage.PRODUCTION:
                continue
            if (since is not None and event.date < since) or event.approved_by:
                continue
            if _handed_over(model, version, index):
                continue
            yield context.in_version(
                "MC047",
                version,
                ("lifecycle", index),
                f"this takes {version.ref} out of production and leaves {model.id} with no "
                f"version in production (deploy jobs asking for {model.id}@production get "
                "nothing); the policy requires an approver for production changes: add "
                "`approved_by: [name]` to this event",
            )


def _handed_over(model: Model, version: ModelVersion, index: int) -> bool:
    """Whether production stays served as event `index` takes `version` out: another version
    may be in production at that moment (as far as the order of events tells), or one (this
    one included) enters production later that day."""
    event = version.card.lifecycle[index]

    def enters_that_day(events: list[LifecycleEvent]) -> bool:
        return any(e.date == event.date and e.stage is Stage.PRODUCTION for e in events)

    if enters_that_day(version.card.lifecycle[index:]):
        return True
    return any(
        Stage.PRODUCTION in stages_before(other, event) or enters_that_day(other.card.lifecycle)
        for other in model.versions
        if other is not version
    )


# ---- metrics --------------------------------------------------------------------------------


def _intervals(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    for index, metric in enumerate(version.card.metrics):
        if metric.ci is not None and not metric.ci[0] <= metric.value <= metric.ci[1]:
            yield context.in_version(
                "MC044",
                version,
                ("metrics", index, "ci"),
                f"confidence interval [{metric.ci[0]:g}, {metric.ci[1]:g}] of {metric.name} "
                f"must be [lower, upper] with lower <= {metric.value:g} <= upper",
            )


def _measured_days(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    """A reading's `measured` day lies between the release and today: it decides which
    promotions the reading is part of, so a day outside would move it out of their gates."""
    released = version.card.released
    for index, metric in enumerate(version.card.metrics):
        day = metric.measured
        if day is None or released <= day <= context.today:
            continue
        when = (
            f"before the version was released on {released}"
            if day < released
            else f"after today ({context.today}); a reading is recorded once it is measured"
        )
        yield context.in_version(
            "MC049",
            version,
            ("metrics", index, "measured"),
            f"{metric.name} measured on {day} is {when}",
        )


def _repeated_metrics(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    """One value per metric, dataset version, split and slice: with two, which one a page,
    a chart or the gate shows would be arbitrary."""
    seen: dict[tuple[str, str | None, str | None, str | None], int] = {}
    for index, metric in enumerate(version.card.metrics):
        key = (metric.name, metric.evaluated_on, metric.split, metric.slice)
        first = seen.setdefault(key, index)
        if first == index:
            continue
        where = place(metric) + (f", slice {metric.slice}" if metric.slice else "")
        yield context.in_version(
            "MC046",
            version,
            ("metrics", index),
            f"metrics[{index}] reports {metric.name} on {where} again (metrics[{first}] has "
            f"{version.card.metrics[first].value:g}): a version has one value per metric, "
            "dataset version, split and slice; keep one, or name the slice each measures",
        )


def _unknown_metric(context: RuleContext, name: str) -> str | None:
    if name in context.metrics:
        return None
    close = _closest(name, tuple(context.metrics))
    hint = f"did you mean {close!r}? If not, " if close else ""
    return (
        f"metric {name!r} is not known, so charts and gates cannot tell if higher is better; "
        f"{hint}declare it under `metrics:` in catalog.yaml with its goal"
    )


@functools.lru_cache(maxsize=1024)
def _closest(name: str, known: tuple[str, ...]) -> str | None:
    """The known metric name closest to `name`, if one is close: worked out once per name, as
    a catalog repeats an undeclared name in version after version."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _metric_names(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    names: list[tuple[tuple[str | int, ...], str]] = [
        (("metrics", i, "name"), m.name) for i, m in enumerate(version.card.metrics)
    ]
    if version.card.monitoring is not None:
        names += [
            (("monitoring", "observations", i, "metric"), o.metric)
            for i, o in enumerate(version.card.monitoring.observations)
        ]
    reported: set[str] = set()
    for loc, name in names:
        message = _unknown_metric(context, name)
        if message and name not in reported:
            reported.add(name)
            yield context.in_version("MC050", version, loc, message)


def _primary_metric(context: RuleContext, model: Model) -> Iterator[Problem]:
    primary = model.card.primary_metric
    if primary is None:
        return
    message = _unknown_metric(context, primary)
    if message:
        yield context.at("MC050", model.path, ("primary_metric",), message)
    reported = {m.name for v in model.versions for m in v.card.metrics}
    if model.versions and primary not in reported:
        names = capped(sorted(reported)) or "none"
        yield context.at(
            "MC042",
            model.path,
            ("primary_metric",),
            f"primary_metric {primary!r} is reported by no version of {model.id}; "
            f"metrics reported: {names}",
        )


# ---- gates ----------------------------------------------------------------------------------


def _gates(context: RuleContext, model: Model) -> Iterator[Problem]:
    for version in model.versions:
        for index, event in entering_events(version.card, Stage.PRODUCTION):
            if event.override:
                continue
            loc = ("lifecycle", index, "stage")
            for code, message in gate_findings(context, model, version, event):
                if code == "MC041" and event.date < context.today and IF_PUBLISHED not in message:
                    message += IF_PUBLISHED + MEASURED_LATER
                yield context.in_version(code, version, loc, message)


def gate_findings(
    context: RuleContext,
    model: Model,
    version: ModelVersion,
    event: LifecycleEvent,
    *,
    every_reading: bool = False,
) -> list[tuple[str, str]]:
    """What the gates find wrong with `event`, a promotion of `version` to production:
    (code, message). Readings measured after the event are left out unless `every_reading`
    (a promotion made on a branch, which can still take an override: rules/history.py)."""
    gates = context.catalog.settings.policy.gates
    found: list[tuple[str, str]] = []
    if not gates:
        return found  # no incumbents to look for
    for previous in incumbents(model, version, event):
        known = _entered_before(previous, event)
        for gate in gates:
            judged = _gate(context, model, gate, version, previous, event, every_reading)
            for code, message in judged:
                if not known:
                    message = _unknown_order(message, previous, event)
                found.append((code, message))
    return found


OVERRIDE = "add `override: <justification>` to this event"
BEFORE = "in production before"
IF_PUBLISHED = "; if this event is already published, "  # a new event, being made, is not
# A reading appended to a published version after the promotion (a re-evaluation) says so.
MEASURED_LATER = (
    "give a reading added after the promotion the day it was measured (`measured: YYYY-MM-DD`): "
    "it is then no part of this gate"
)


def _entered_before(old: ModelVersion, event: LifecycleEvent) -> bool:
    """Whether `old` surely entered production before `event` (of another version): if not,
    it is compared only because no `time` orders their events of one date."""
    return any(surely_before(e, event) for _, e in entering_events(old.card, Stage.PRODUCTION))


def _unknown_order(message: str, old: ModelVersion, event: LifecycleEvent) -> str:
    """A comparison made only because two events of one date have no times to order them:
    said so, and how to get out of it when this event is a published record, which may not
    change (so `override:` cannot be added to it)."""
    maybe = f"in production on {event.date} too, before or after this event: no `time` orders them"
    return (
        f"{message.replace(BEFORE, maybe, 1)}{IF_PUBLISHED}promote {old.ref} on another day instead"
    )


def _gate(
    context: RuleContext,
    model: Model,
    gate: Gate,
    new: ModelVersion,
    old: ModelVersion,
    event: LifecycleEvent,
    every_reading: bool = False,
) -> Iterator[tuple[str, str]]:
    """What a gate finds wrong with a promotion of `new` over `old`: a regression (MC041), or
    no way to compare the two (MC045): a gate never passes for want of a comparison."""
    lead = "promotion to production cannot be gated: "
    name = model.card.primary_metric if gate.metric == "primary" else gate.metric
    if name is None:
        yield (
            "MC045",
            (
                f"{lead}the catalog gates the primary metric and {model.id} has no primary_metric; "
                f"set it in model.yaml, or {OVERRIDE}"
            ),
        )
        return
    goal = context.goal(name)
    if goal is None:
        yield (
            "MC045",
            (
                f"{lead}whether a higher or lower {name} is better is not known; declare it under "
                f"`metrics:` in catalog.yaml with its goal, or {OVERRIDE}"
            ),
        )
        return
    common = comparable(new, old, name)
    pairs = [
        (mine, theirs)
        for mine, theirs in common
        if every_reading
        or (_data_existed(context, mine, event.date) and _measured_by(event.date, mine, theirs))
    ]
    if not pairs and common:
        yield "MC045", lead + _measured_after(name, new, old, common)
        return
    if not pairs:
        yield "MC045", lead + _incomparable(name, new, old)
        return
    for metric, before in pairs:
        worse = regression(goal, metric.value, before.value)
        if worse > gate.max_regression + 1e-12:
            yield (
                "MC041",
                (
                    f"promotion to production regresses {name} on {place(metric)} from "
                    f"{before.value:g} ({old.ref}, {BEFORE}) to {metric.value:g}, by "
                    f"{worse:.4g}, more than the gate's {gate.max_regression:g}; improve the model "
                    f"or {OVERRIDE}"
                ),
            )


def _measured_by(day: dt.date, *readings: Metric) -> bool:
    """Whether the readings were measured by `day`: one that says it was measured later (a
    re-evaluation appended to a published version) is no part of a promotion made that day."""
    return all(r.measured is None or r.measured <= day for r in readings)


def _data_existed(context: RuleContext, reading: Metric, day: dt.date) -> bool:
    """Whether the dataset version of a reading existed on `day` (its `date` is not later):
    a reading on data published after a promotion was measured after it, so it is no part
    of that promotion's gate. Re-evaluating published versions on new data (appending the
    readings, as a record allows) then leaves their old promotions as they were judged."""
    if reading.dataset is None:
        return True
    dataset_id, _, name = reading.dataset.partition("@")
    dataset = context.catalog.datasets.get(dataset_id)
    versions = dataset.card.versions if dataset is not None else []
    found = next((v for v in versions if v.version == name), None)
    return found is None or found.date is None or found.date <= day


def _places(version: ModelVersion, name: str) -> str:
    return capped(place(m) for m in unsliced(version, name) if m.evaluated_on is not None)


def _measured_after(
    name: str, new: ModelVersion, old: ModelVersion, common: list[tuple[Metric, Metric]]
) -> str:
    """Why readings both versions have are no part of the gate: measured after it."""
    places = capped(dict.fromkeys(place(mine) for mine, _ in common))
    return (
        f"{new.ref} and {old.ref} ({BEFORE}) report {name} on {places} only in readings "
        "measured after this promotion (a `measured` day after it, or a dataset version dated "
        "after it), which are no part of its gate; date the promotion on or after the day they "
        f"were measured, or {OVERRIDE}"
    )


def _incomparable(name: str, new: ModelVersion, old: ModelVersion) -> str:
    """Why two versions' readings of `name` cannot be compared, and what would fix it."""
    mine, theirs = _places(new, name), _places(old, name)
    before = f"{old.ref} ({BEFORE}"
    if not theirs:
        return (
            f"{before}) reports no {name} on a named dataset to compare {new.ref} with; report "
            f"{name} of {old.ref} (metrics may be appended to a published version), or "
            f"{OVERRIDE}"
        )
    target = theirs.split(", ")[0]
    fix = f"report {name} of {new.ref} on {target}, or {OVERRIDE}"
    if not mine:
        return (
            f"{new.ref} reports no {name} without a slice to compare with {before}, on "
            f"{theirs}); {fix}"
        )
    return (
        f"{new.ref} and {before}) report {name} on no common dataset version and split "
        f"({new.ref}: {mine}; {old.ref}: {theirs}); {fix}"
    )
