"""`modelcards get`: what a deploy job needs, resolved from the cards.

MODEL[@SELECTOR], where the selector is tried as, in order: an exact version, a stage (the
versions whose current stage it is), an alias of the model. A bare MODEL means its
production version(s). Production versions carry their traffic share, so a canary answers
with both versions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .cards import Stage
from .catalog import Catalog, Model, ModelVersion

FIELDS = ("ref", "version", "stage", "traffic", "uri", "sha256")


class NoMatch(Exception):
    """Nothing matches: exit 1 with this message."""


@dataclass(frozen=True)
class Resolved:
    model: str
    selector: str
    matched: str  # "version", "stage" or "alias"
    versions: tuple[ModelVersion, ...]


def traffic_of(model: Model, version: ModelVersion) -> float | None:
    """A production version's share of traffic (100 when it is the only one)."""
    if version.stage is not Stage.PRODUCTION:
        return None
    share = version.card.lifecycle[-1].traffic
    if share is not None:
        return share
    live = [v for v in model.versions if v.stage is Stage.PRODUCTION]
    return 100.0 if len(live) == 1 else None


def resolve(catalog: Catalog, spec: str) -> Resolved:
    model_id, at, selector = spec.partition("@")
    model = catalog.models.get(model_id)
    if model is None:
        close = difflib.get_close_matches(model_id, sorted(catalog.models), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise NoMatch(f"there is no model {model_id!r} in the catalog{hint}")
    if not at:
        selector = Stage.PRODUCTION.value
    elif not selector:
        raise NoMatch(f"{spec!r}: write MODEL, MODEL@VERSION, MODEL@STAGE or MODEL@ALIAS")
    exact = model.version(selector)
    if exact is not None:
        return Resolved(model_id, selector, "version", (exact,))
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


def _stages(model: Model) -> str:
    if not model.versions:
        return "; it has no versions yet"
    listing = ", ".join(f"{v.version} ({v.stage.value})" for v in model.versions)
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
                "traffic": _number(traffic_of(model, v)),
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


def field_lines(record: dict[str, Any], name: str) -> list[str]:
    """One line per version (per artifact for uri and sha256), for shell scripts."""
    lines: list[str] = []
    for version in record["versions"]:
        if name in ("uri", "sha256"):
            lines += [str(a.get(name) or "") for a in version["artifacts"]]
        else:
            value = version[name]
            lines.append("" if value is None else str(value))
    return lines


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
