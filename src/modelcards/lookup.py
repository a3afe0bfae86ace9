"""`modelcards get`: what a deploy job needs, resolved from the cards.

MODEL[@SELECTOR], where the selector is tried as, in order: an exact version, a stage (the
versions whose current stage it is), an alias of the model. So a version wins over a stage,
and a stage over an alias; validation refuses an alias that reads as a version or is named
like a stage, so in a valid catalog the three never compete. A bare MODEL means
its production version(s), the one with the most traffic first (queries.production, the
order the site shows). Production versions carry their traffic share, so a canary answers
with both versions.

A malformed spec (no model id, an empty selector, a second "@") is a usage error (BadSpec,
exit 2); a well-formed one that names nothing is NoMatch (exit 1).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .cards import Stage, is_valid_id
from .catalog import Catalog, Model, ModelVersion
from .errors import Refusal, UsageProblem
from .queries import deprecation_event, production, replacement_chain, traffic_share
from .texts import capped, one_line

FIELDS = ("ref", "version", "stage", "traffic", "uri", "sha256")


class NoMatch(Refusal):
    """Nothing matches: exit 1 with this message."""


class BadSpec(UsageProblem, ValueError):
    """Not of the shape MODEL[@SELECTOR]: a usage error (exit 2) with this message."""


def parse_spec(spec: str) -> tuple[str, str | None]:
    """(model id, selector or None), checked for shape only."""
    model_id, at, selector = spec.partition("@")
    if not is_valid_id(model_id) or (at and (not selector or "@" in selector)):
        raise BadSpec(
            f"{spec!r} is not MODEL, MODEL@VERSION, MODEL@STAGE or MODEL@ALIAS, such as "
            "fraud-detector or fraud-detector@production"
        )
    return model_id, selector if at else None


@dataclass(frozen=True)
class Resolved:
    model: str
    selector: str
    matched: str  # "version", "stage" or "alias"
    versions: tuple[ModelVersion, ...]


def resolve(catalog: Catalog, spec: str) -> Resolved:
    """What `spec` names: raises BadSpec when it is malformed, NoMatch when it names nothing."""
    model_id, given = parse_spec(spec)
    model = catalog.models.get(model_id)
    if model is None:
        close = difflib.get_close_matches(model_id, sorted(catalog.models), n=1, cutoff=0.6)
        hint = (
            f"; did you mean {close[0]!r}?"
            if close
            else f"; its models are: {capped(sorted(catalog.models)) or 'none yet'}"
        )
        raise NoMatch(f"there is no model {model_id!r} in the catalog{hint}")
    selector = Stage.PRODUCTION.value if given is None else given
    exact = model.version(selector)
    if exact is not None:
        return Resolved(model_id, selector, "version", (exact,))
    if selector == Stage.PRODUCTION.value:
        found = production(model)
        if not found:
            raise NoMatch(f"no version of {model_id} is in {selector}{_stages(model)}")
        return Resolved(model_id, selector, "stage", found)
    if selector in {stage.value for stage in Stage}:
        found = tuple(v for v in model.versions if v.stage.value == selector)
        if not found:
            raise NoMatch(f"no version of {model_id} is in {selector}{_stages(model)}")
        return Resolved(model_id, selector, "stage", found)
    if selector in model.card.aliases:
        target = model.version(model.card.aliases[selector])
        if target is not None:
            return Resolved(model_id, selector, "alias", (target,))
    raise NoMatch(
        f"{model_id} has no version, stage or alias {selector!r}; versions: "
        f"{', '.join(v.version for v in model.versions) or 'none'}; aliases: "
        f"{', '.join(sorted(model.card.aliases)) or 'none'}"
    )


class Refused(Refusal):
    """An answer that could hurt a deploy, given only when asked for (exit 1)."""


def check_usable(catalog: Catalog, resolved: Resolved, *, allow_retired: bool) -> list[str]:
    """Refuse retired versions unless `allow_retired`; warnings for deprecated ones."""
    warnings = []
    for version in resolved.versions:
        notice = deprecation_event(version)
        chain = replacement_chain(catalog, version)
        current = chain.current if chain else None
        instead = current.ref if current else None
        if version.stage is Stage.RETIRED and not allow_retired:
            retired = version.card.lifecycle[-1]
            # Card text in a one-line message: a line break in it must not start a line of
            # its own (a forged `::error::` workflow command, a fake answer).
            why = f": {one_line(retired.reason)}" if retired.reason else ""
            moved = f"; its replacement is {instead}" if instead else ""
            raise Refused(
                f"{version.ref} is retired (since {retired.date}{why}) and may no longer be "
                f"deployed{moved}. Pass --allow-retired to read its record anyway"
            )
        if version.stage is Stage.DEPRECATED and notice is not None:
            event = notice[1]
            parts = [f"{version.ref} is deprecated ({one_line(event.reason or '')})"]
            if instead:
                parts.append(f"use {instead} instead")
            if event.sunset:
                parts.append(f"sunset {event.sunset}")
            warnings.append("; ".join(parts))
    return warnings


def _stages(model: Model) -> str:
    if not model.versions:
        return "; it has no versions yet"
    listing = capped(f"{v.version} ({v.stage.value})" for v in model.versions)
    return f"; its versions are: {listing}"


def as_record(catalog: Catalog, resolved: Resolved) -> dict[str, Any]:
    model = catalog.models[resolved.model]
    return {
        "model": resolved.model,
        "selector": resolved.selector,
        "matched": resolved.matched,
        "versions": [
            {
                "ref": v.ref,
                "version": v.version,
                "stage": v.stage.value,
                "traffic": _number(traffic_share(model, v)),
                "released": v.card.released.isoformat(),
                "artifacts": [
                    a.model_dump(mode="json", exclude_none=True) for a in v.card.artifacts
                ],
            }
            for v in resolved.versions
        ],
    }


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.is_integer() else value


def field_lines(record: dict[str, Any], name: str, *, every: bool = False) -> list[str]:
    """One line per version (per artifact for uri and sha256), for shell scripts. `every`:
    each line starts with the version and its traffic share, tab-separated, so several
    versions (a canary) cannot be confused."""
    lines: list[str] = []
    for version in record["versions"]:
        if name in ("uri", "sha256"):
            values = [str(a.get(name) or "") for a in version["artifacts"]]
        else:
            value = version[name]
            values = ["" if value is None else str(value)]
        if every:
            share = "" if version["traffic"] is None else str(version["traffic"])
            values = [f"{version['version']}\t{share}\t{value}" for value in values]
        lines += values
    return lines


def several(record: dict[str, Any], spec: str, name: str) -> str | None:
    """Why one field cannot answer for several versions, when the record has several."""
    versions = record["versions"]
    if len(versions) < 2:
        return None
    listed = ", ".join(
        f"{v['version']} ({v['traffic']}% of traffic)" if v["traffic"] is not None else v["version"]
        for v in versions
    )
    return (
        f"{record['model']}@{record['selector']} is {len(versions)} versions: {listed}. Pass "
        f"--all to print the {name} of each as VERSION<TAB>TRAFFIC<TAB>VALUE lines, or name "
        f"one version ({versions[0]['ref']})"
    )


def text_lines(record: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for version in record["versions"]:
        share = f"  traffic {version['traffic']}%" if version["traffic"] is not None else ""
        lines.append(f"{version['ref']}  {version['stage']}{share}")
        if not version["artifacts"]:
            lines.append("  (no artifacts recorded)")
        for artifact in version["artifacts"]:
            lines.append(f"  {artifact['uri']}  sha256:{artifact.get('sha256') or '(none)'}")
    return lines
