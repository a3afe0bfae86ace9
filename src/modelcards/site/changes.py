"""What changed between two versions, how reproducible a version is, where a dataset is used."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..cards import Environment, Training, VersionCard, is_pinned_image
from ..catalog import Catalog, ModelVersion
from ..semver import version_key
from .render import format_size


@dataclass(frozen=True)
class Change:
    section: str
    name: str
    before: str | None  # None: absent before (added)
    after: str | None  # None: absent now (removed)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _diff(
    section: str, before: Mapping[str, object], after: Mapping[str, object]
) -> Iterator[Change]:
    for name in [*before, *(k for k in after if k not in before)]:
        old, new = _text(before.get(name)), _text(after.get(name))
        if old != new:
            yield Change(section, name, old, new)


def _environment(env: Environment | None) -> dict[str, object]:
    if env is None:
        return {}
    fields = {
        "python": env.python,
        "container": env.container,
        "hardware": env.hardware,
        "packages (sha256)": env.packages_sha256,
    }
    packages = {f"package {name}": value for name, value in env.packages.items()}
    return {k: v for k, v in {**fields, **packages}.items() if v is not None}


def _training(card: VersionCard) -> Training:
    return card.training or Training()


def _setup(card: VersionCard) -> dict[str, object]:
    training = _training(card)
    framework = card.framework
    values = {
        "framework": f"{framework.name} {framework.version or ''}".strip() if framework else None,
        "code commit": training.code.commit if training.code else None,
        "seed": training.seed,
    }
    return {k: v for k, v in values.items() if v is not None}


def _sections(card: VersionCard) -> dict[str, Mapping[str, object]]:
    """What a version was made with, by area: the rows two versions are compared on."""
    training = _training(card)
    return {
        "Hyperparameters": training.hyperparameters,
        "Training data": {ref: ref for ref in training.data},
        "Environment": _environment(training.environment),
        "Setup": _setup(card),
    }


def _artifacts(card: VersionCard) -> dict[str, object]:
    """Each artifact's URI, format, size and sha256, named by its file name (and its place
    in the list when two share one)."""
    names = [a.uri.rstrip("/").rsplit("/", 1)[-1] or a.uri for a in card.artifacts]
    rows: dict[str, object] = {}
    for index, (name, artifact) in enumerate(zip(names, card.artifacts, strict=True)):
        label = name if names.count(name) == 1 else f"{name} ({index + 1})"
        values = {
            "uri": artifact.uri,
            "format": artifact.format,
            "size": format_size(artifact.size_bytes) or None,
            "sha256": artifact.sha256,
        }
        rows.update({f"{label} {key}": value for key, value in values.items() if value is not None})
    return rows


def card_settings(card: VersionCard) -> list[tuple[str, str, str]]:
    """Every setting of a version as (area, name, value): its hyperparameters, training data,
    environment, setup (framework, code commit, seed) and artifacts. What the compare page
    diffs; the version page's "What changed" diffs the same rows but the artifacts."""
    areas = {**_sections(card), "Artifacts": _artifacts(card)}
    return [
        (area, name, str(value))
        for area, values in areas.items()
        for name, value in values.items()
        if value is not None
    ]


def card_changes(card: VersionCard, previous: VersionCard) -> list[Change]:
    """Hyperparameters, training data, environment and setup that differ from `previous`."""
    old, new = _sections(previous), _sections(card)
    return [change for area in new for change in _diff(area, old[area], new[area])]


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str


def _data_hashed(catalog: Catalog, refs: list[str]) -> tuple[bool, str]:
    if not refs:
        return False, "no training data is named"
    unhashed = []
    for ref in refs:
        dataset_id, _, name = ref.partition("@")
        dataset = catalog.datasets.get(dataset_id)
        listed = dataset.card.versions if dataset else []
        entry = next((v for v in listed if v.version == name), None)
        if entry is None or entry.sha256 is None:
            unhashed.append(ref)
    if unhashed:
        return False, "no sha256 for " + ", ".join(unhashed)
    return True, ", ".join(refs)


def reproducibility(catalog: Catalog, version: ModelVersion) -> list[Check]:
    """The five things someone needs to rebuild this version, each present or not."""
    card = version.card
    training = _training(card)
    commit = training.code.commit if training.code else None
    container = training.environment.container if training.environment else None
    data_ok, data_detail = _data_hashed(catalog, training.data)
    hashed = bool(card.artifacts) and all(a.sha256 for a in card.artifacts)
    return [
        Check("Code commit pinned", commit is not None, commit or "no commit recorded"),
        Check("Data versioned and hashed", data_ok, data_detail),
        Check(
            "Environment pinned by digest",
            bool(container and is_pinned_image(container)),
            container or "no container image recorded",
        ),
        Check("Seed set", training.seed is not None, _text(training.seed) or "no seed recorded"),
        Check(
            "Artifact hashed",
            hashed,
            f"{len(card.artifacts)} artifact(s), all with sha256"
            if hashed
            else "an artifact has no sha256"
            if card.artifacts
            else "no artifacts listed",
        ),
    ]


@dataclass(frozen=True)
class Usage:
    """A model version that was trained or evaluated on a dataset version."""

    version: ModelVersion
    dataset_version: str
    trained: bool
    evaluated: tuple[str, ...]  # metric names measured on it


def usage_by_dataset(catalog: Catalog) -> dict[str, list[Usage]]:
    """Every dataset's usage, found in one pass over the versions (not one pass per dataset)."""
    found: dict[str, list[Usage]] = {}
    ordered = sorted(catalog.versions.values(), key=lambda v: (v.model_id, version_key(v.version)))
    for version in ordered:
        trained = set(version.card.training.data) if version.card.training else set()
        evaluated: dict[str, list[str]] = {}
        for metric in version.card.metrics:
            if metric.dataset is not None:
                names = evaluated.setdefault(metric.dataset, [])
                if metric.name not in names:
                    names.append(metric.name)
        for ref in sorted(trained | set(evaluated)):
            owner, _, name = ref.partition("@")
            usage = Usage(version, name, ref in trained, tuple(evaluated.get(ref, [])))
            found.setdefault(owner, []).append(usage)
    return found


def used_by(usage: Mapping[str, list[Usage]]) -> dict[str, tuple[int, int]]:
    """How many model versions, and of how many models, use each dataset (in any version)."""
    return {
        dataset_id: (len({u.version.ref for u in uses}), len({u.version.model_id for u in uses}))
        for dataset_id, uses in usage.items()
    }
