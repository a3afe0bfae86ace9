"""The governance page: what needs someone's attention, from the same rules `validate` runs.

Overdue reviews, passed sunsets and unhashed artifacts are the rules' own warnings
(MC051, MC052, MC053), so the page and CI never disagree. The rest are facts the rules do
not treat as problems but a reviewer wants in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..cards import Stage
from ..catalog import Catalog, ModelVersion
from ..problems import Problem
from ..queries import entering_events
from ..rules import check_catalog
from ..semver import version_key
from . import paths
from .views import deprecation


@dataclass(frozen=True)
class Finding:
    subject: str  # a model id or a model version reference
    page: str  # the page that shows it, from the site root
    message: str
    when: dt.date | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    explanation: str
    findings: tuple[Finding, ...]
    needs_attention: bool = True  # False: a record for auditors, not something to act on


def attention_count(sections: Sequence[Section]) -> int:
    """How many models and versions need attention: each once, whatever its findings."""
    return len({f.subject for s in sections if s.needs_attention for f in s.findings})


def sentence(text: str) -> str:
    """Card text as one sentence: trimmed, ending with one full stop."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _subjects(catalog: Catalog) -> dict[Path, tuple[str, str]]:
    found = {m.path: (m.id, paths.model_path(m.id)) for m in catalog.models.values()}
    found.update({v.path: (v.ref, paths.version_path(v.ref)) for v in catalog.versions.values()})
    return found


def _from_rules(catalog: Catalog, problems: Sequence[Problem], code: str) -> tuple[Finding, ...]:
    subjects = _subjects(catalog)
    findings = []
    for found in problems:
        if found.code == code and found.file in subjects:
            subject, page = subjects[found.file]
            findings.append(Finding(subject, page, found.message))
    return tuple(sorted(findings, key=lambda f: (f.subject, f.message)))


def _ordered(catalog: Catalog) -> list[ModelVersion]:
    return sorted(catalog.versions.values(), key=lambda v: (v.model_id, version_key(v.version)))


def _unapproved(catalog: Catalog) -> tuple[Finding, ...]:
    findings = []
    for version in _ordered(catalog):
        if version.stage is not Stage.PRODUCTION:
            continue
        entered = entering_events(version.card, Stage.PRODUCTION)
        if entered and not entered[-1][1].approved_by:
            event = entered[-1][1]
            findings.append(
                Finding(
                    version.ref,
                    paths.version_path(version.ref),
                    f"promoted to production on {event.date} by {event.by} "
                    "with no approver recorded",
                    event.date,
                )
            )
    return tuple(findings)


def _deprecated_live(catalog: Catalog) -> tuple[Finding, ...]:
    """Deprecated, not retired: out of production, but still callable."""
    findings = []
    for version in _ordered(catalog):
        notice = deprecation(catalog, version)
        if version.stage is not Stage.DEPRECATED or notice is None or notice.event is None:
            continue
        model = catalog.models.get(version.model_id)
        named = model.card.aliases.items() if model else []
        aliases = sorted(alias for alias, name in named if name == version.version)
        reason = notice.event.reason or "no reason given"
        parts = [f"Deprecated on {notice.event.date}: {sentence(reason)}"]
        if notice.current:
            parts.append(f"Use {notice.current} instead.")
        elif notice.replacement:
            parts.append(f"Its replacement {notice.replacement} is no longer in use either.")
        parts.append(f"Sunset {notice.sunset}." if notice.sunset else "No sunset date.")
        if aliases:
            word = "alias" if len(aliases) == 1 else "aliases"
            parts.append(f"Still named by {word} {', '.join(aliases)}.")
        page = paths.version_path(version.ref)
        findings.append(Finding(version.ref, page, " ".join(parts), notice.sunset))
    return tuple(findings)


def _overrides(catalog: Catalog) -> tuple[Finding, ...]:
    """Every promotion to production that went ahead with a gate override, newest first."""
    findings = []
    for version in _ordered(catalog):
        for _, event in entering_events(version.card, Stage.PRODUCTION):
            if not event.override:
                continue
            approved = f", approved by {', '.join(event.approved_by)}" if event.approved_by else ""
            findings.append(
                Finding(
                    version.ref,
                    paths.version_path(version.ref),
                    f"Promoted to production on {event.date} by {event.by}{approved}: "
                    f"{sentence(event.override)}",
                    event.date,
                )
            )
    return tuple(sorted(findings, key=lambda f: (f.when, f.subject), reverse=True))


def _sunsets_coming(catalog: Catalog, today: dt.date) -> tuple[Finding, ...]:
    findings = []
    for version in _ordered(catalog):
        if version.stage is Stage.RETIRED:
            continue
        for event in version.card.lifecycle:
            if event.sunset is not None and event.sunset >= today:
                days = (event.sunset - today).days
                findings.append(
                    Finding(
                        version.ref,
                        paths.version_path(version.ref),
                        f"sunset on {event.sunset}, in {days} day{'s' * (days != 1)}; "
                        f"currently {version.stage.value}",
                        event.sunset,
                    )
                )
    return tuple(sorted(findings, key=lambda f: (f.when or today, f.subject)))


def attention(
    catalog: Catalog, today: dt.date, problems: Sequence[Problem] | None = None
) -> tuple[Section, ...]:
    """Every section of the governance page, in the order a reviewer reads them.

    `problems`: what validating the catalog against `today` found, when the caller has it
    (a build validates first; checking every rule again cost a large catalog a second).
    """
    if problems is None:
        problems = check_catalog(catalog, today)
    return (
        Section(
            "overdue",
            "Overdue reviews",
            "Models in production whose card was last reviewed longer ago than the policy allows.",
            _from_rules(catalog, problems, "MC051"),
        ),
        Section(
            "unapproved",
            "Production versions without an approval",
            "The event that put the version in production names no approver.",
            _unapproved(catalog),
        ),
        Section(
            "unhashed",
            "Production versions without artifact hashes",
            "Deploy jobs cannot check that the file they ship is the one that was reviewed.",
            _from_rules(catalog, problems, "MC053"),
        ),
        Section(
            "deprecated",
            "Deprecated, not yet retired",
            "Out of production, but consumers may still call them until they are retired.",
            _deprecated_live(catalog),
        ),
        Section(
            "sunset-passed",
            "Sunsets passed",
            "The sunset date has passed but the version is not retired.",
            _from_rules(catalog, problems, "MC052"),
        ),
        Section(
            "sunset-coming",
            "Sunsets coming",
            "Versions that will reach their sunset date, soonest first.",
            _sunsets_coming(catalog, today),
        ),
        Section(
            "overrides",
            "Promotions that overrode a gate",
            "Every promotion to production that went ahead with an override of the "
            "promotion gates, newest first: what an auditor checks.",
            _overrides(catalog),
            needs_attention=False,
        ),
    )
