"""Warnings: the catalog is valid but needs someone's attention (MC051 to MC053).

The governance page of the site shows the same findings, so they live here once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..cards import Stage
from ..catalog import Model, ModelVersion
from ..problems import Problem
from ..queries import production
from .context import RuleContext, nothing

# The problem codes this module owns (tests/unit/test_rule_owners.py: one owner per code).
CODES = frozenset({"MC051", "MC052", "MC053"})


def check(context: RuleContext) -> Iterator[Problem]:
    return context.run(whole, per_version, per_model)


whole = nothing


def per_version(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    card = version.card
    if card.stage is not Stage.RETIRED:
        for index, event in enumerate(card.lifecycle):
            if event.sunset is not None and event.sunset < context.today:
                yield context.in_version(
                    "MC052",
                    version,
                    ("lifecycle", index, "sunset"),
                    f"sunset date {event.sunset} has passed but {version.ref} is "
                    f"{card.stage.value}, not retired; retire it or move the sunset",
                )
    if card.stage is Stage.PRODUCTION:
        if not card.artifacts:
            yield context.in_version(
                "MC053",
                version,
                ("version",),
                f"{version.ref} is in production but lists no artifacts; deploy jobs "
                "cannot tell what to ship",
            )
        for index, artifact in enumerate(card.artifacts):
            if artifact.sha256 is None:
                yield context.in_version(
                    "MC053",
                    version,
                    ("artifacts", index),
                    f"production artifact {artifact.uri} has no sha256, so nobody can "
                    "check the file deployed is the one reviewed",
                )


def per_model(context: RuleContext, model: Model) -> Iterator[Problem]:
    """A model in production whose review is overdue."""
    interval = context.catalog.settings.policy.review_interval_days
    if interval is None or not production(model):
        return
    reviewed = model.card.last_reviewed
    due = reviewed + dt.timedelta(days=interval) if reviewed else None
    if due is None or due < context.today:
        when = f"last reviewed {reviewed}" if reviewed else "never reviewed"
        yield context.at(
            "MC051",
            model.path,
            ("last_reviewed",),
            f"{model.id} is in production and was {when}; the policy asks for a review "
            f"every {interval} days: review the card and update last_reviewed",
        )
