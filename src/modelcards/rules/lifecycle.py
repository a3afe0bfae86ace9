"""Lifecycle events: order, transitions, deprecations, production traffic (MC030 to MC037,
MC048)."""

from __future__ import annotations

from collections.abc import Iterator

from ..cards import Stage
from ..catalog import Model, ModelVersion
from ..problems import Problem
from ..queries import stated_share
from ..texts import capped
from .context import RuleContext, nothing

# The problem codes this module owns (tests/unit/test_rule_owners.py: one owner per code).
CODES = frozenset({"MC030", "MC031", "MC032", "MC033", "MC035", "MC036", "MC037", "MC048"})


def check(context: RuleContext) -> Iterator[Problem]:
    return context.run(whole, per_version, per_model)


whole = nothing


def per_version(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    yield from _dates(context, version)
    yield from _transitions(context, version)
    yield from _deprecations(context, version)


def per_model(context: RuleContext, model: Model) -> Iterator[Problem]:
    yield from _traffic(context, model)


def _dates(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    card = version.card
    for index, event in enumerate(card.lifecycle):
        loc = ("lifecycle", index, "date")
        if event.date < card.released:
            yield context.in_version(
                "MC031",
                version,
                loc,
                f"{event.stage.value} event dated {event.date} is before the version was "
                f"released on {card.released}",
            )
        if event.date > context.today:
            yield context.in_version(
                "MC037",
                version,
                loc,
                f"{event.stage.value} event dated {event.date} is after today "
                f"({context.today}); the lifecycle records what has happened: add the event on "
                "the day it happens",
            )
        if not index:
            continue
        before = card.lifecycle[index - 1]
        if event.date < before.date:
            yield context.in_version(
                "MC030",
                version,
                loc,
                f"date {event.date} is before the previous event's "
                f"{before.date}; the lifecycle is a log in the order things "
                "happened: add new events at the end",
            )
        elif (
            event.date == before.date
            and event.time is not None
            and before.time is not None
            and event.time < before.time
        ):
            yield context.in_version(
                "MC030",
                version,
                ("lifecycle", index, "time"),
                f"time {event.time} is before the previous event's {before.time} on the same "
                "day; the lifecycle is a log in the order things happened: add new events at "
                "the end",
            )


def _names(stages: frozenset[Stage]) -> str:
    ordered = [stage.value for stage in Stage if stage in stages]
    return ", ".join(ordered) if ordered else "nothing (it is final)"


def _transitions(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    events = version.card.lifecycle
    if events[0].stage is Stage.RETIRED:
        yield context.in_version(
            "MC032",
            version,
            ("lifecycle", 0, "stage"),
            "a version cannot start out retired; its first event is any other stage",
        )
    for index in range(1, len(events)):
        before, after = events[index - 1].stage, events[index].stage
        allowed = context.transitions[before]
        if after is before is Stage.PRODUCTION and (
            events[index].traffic == events[index - 1].traffic
        ):
            yield context.in_version(
                "MC048",
                version,
                ("lifecycle", index),
                "this production event repeats the one before it (same stage, same traffic); "
                "the lifecycle records changes: remove it",
            )
        elif after not in allowed:
            yield context.in_version(
                "MC032",
                version,
                ("lifecycle", index, "stage"),
                f"{before.value} -> {after.value} is not an allowed transition; from "
                f"{before.value} a version may go to: {_names(allowed)}",
            )


def _deprecations(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    for index, event in enumerate(version.card.lifecycle):
        if event.stage is Stage.DEPRECATED and not (event.reason or "").strip():
            yield context.in_version(
                "MC033",
                version,
                ("lifecycle", index),
                "a deprecated event needs a `reason` telling users why to move away",
            )
        if event.sunset is not None and event.sunset < event.date:
            yield context.in_version(
                "MC036",
                version,
                ("lifecycle", index, "sunset"),
                f"sunset {event.sunset} is before the deprecation itself ({event.date}); "
                "users need a date after it to move away",
            )


def _traffic(context: RuleContext, model: Model) -> Iterator[Problem]:
    live = [v for v in model.versions if v.stage is Stage.PRODUCTION]
    if len(live) < 2:
        return
    for version in live:
        if stated_share(version) is None:
            yield context.in_version(
                "MC035",
                version,
                ("lifecycle", len(version.card.lifecycle) - 1),
                f"{len(live)} versions of {model.id} are in production, so each production "
                "event states its `traffic` (percent), summing to 100",
            )
    shares = [stated_share(v) for v in live]
    if None in shares:
        return
    total = sum(share for share in shares if share is not None)
    if abs(total - 100) > 1e-9:
        split = capped(f"{v.version} ({stated_share(v):g}%)" for v in live)
        newest = live[-1]
        yield context.in_version(
            "MC035",
            newest,
            ("lifecycle", len(newest.card.lifecycle) - 1, "traffic"),
            f"production traffic of {model.id} adds up to {total:g}%, not 100%: {split}",
        )
