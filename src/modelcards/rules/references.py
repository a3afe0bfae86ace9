"""Every reference resolves; lineage has no cycles (MC020 to MC025, MC034)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..cards import LifecycleEvent, Stage, is_semver
from ..catalog import Catalog, Model, ModelVersion
from ..problems import Problem
from ..queries import (
    GONE,
    current_replacements,
    maybe_before,
    resolve_replacement,
    stages_before,
    surely_before,
)
from ..semver import version_key
from ..texts import LIST_LIMIT, capped
from .context import RuleContext

# The problem codes this module owns (tests/unit/test_rule_owners.py: one owner per code).
CODES = frozenset(
    {
        "MC015",
        "MC018",
        "MC020",
        "MC021",
        "MC023",
        "MC024",
        "MC025",
        "MC026",
        "MC034",
    }
)


def check(context: RuleContext) -> Iterator[Problem]:
    return context.run(whole, per_version, per_model)


def whole(context: RuleContext) -> Iterator[Problem]:
    """What reads other versions' cards (replacements, strandings, cycles) or every card."""
    catalog = context.catalog
    # Most versions name no replacement: the two checks of replacements look at those that do.
    replacing = [
        v
        for v in catalog.versions.values()
        if any(e.replaced_by is not None for e in v.card.lifecycle)
    ]
    for version in replacing:
        yield from _replacements(context, version)
    yield from _strandings(context, _senders(replacing))
    yield from _cycles(context)
    yield from _duplicate_dataset_versions(context)
    yield from _equal_precedence(context)


def per_version(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    yield from _lineage_references(context, version)
    yield from _dataset_references(context, version)


def per_model(context: RuleContext, model: Model) -> Iterator[Problem]:
    yield from _aliases(context, model)
    yield from _reading_choice(context, model)


def _equal_precedence(context: RuleContext) -> Iterator[Problem]:
    """Versions differing only in build metadata (1.0.0 and 1.0.0+build.7) cannot be ordered."""
    seen: dict[tuple[str, object], ModelVersion] = {}
    # Only a version with build metadata can tie with another: the models that have one.
    tagged = {v.model_id for v in context.catalog.versions.values() if "+" in v.version}
    candidates = [v for v in context.catalog.versions.values() if v.model_id in tagged]
    for version in sorted(candidates, key=lambda v: v.ref):
        key = (version.model_id, version_key(version.version))
        first = seen.setdefault(key, version)
        if first is not version:
            yield context.in_version(
                "MC018",
                version,
                ("version",),
                f"{version.ref} and {first.ref} differ only in build metadata, so neither "
                "comes first; give this version its own number",
            )


def _duplicate_dataset_versions(context: RuleContext) -> Iterator[Problem]:
    for dataset in context.catalog.datasets.values():
        seen: dict[str, int] = {}
        for index, entry in enumerate(dataset.card.versions):
            if entry.version in seen:
                yield context.at(
                    "MC015",
                    dataset.path,
                    ("versions", index, "version"),
                    f"version {entry.version!r} of dataset {dataset.id!r} is already listed "
                    f"(versions[{seen[entry.version]}]); each version name is unique",
                )
            seen.setdefault(entry.version, index)


def _close(name: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


class _Known:
    """The versions found for each model (parsed or not) and the "did you mean" of each
    missing model, worked out once per catalog: a pull request can make thousands of
    references miss, and scanning every version for each cost time quadratic in the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.versions: dict[str, list[str]] = {}
        for ref in catalog.version_refs:
            model_id, _, version = ref.partition("@")
            self.versions.setdefault(model_id, []).append(version)
        for versions in self.versions.values():
            versions.sort(key=version_key)
        self.model_ids = sorted(catalog.model_ids)
        self.close: dict[str, str] = {}
        self.currents: dict[str, ModelVersion | None] | None = None

    def current_replacement(self, version: ModelVersion) -> ModelVersion | None:
        """Where the chain of replacements from `version` leads now (replacement_chain's
        current), for every version worked out at once."""
        if self.currents is None:
            self.currents = current_replacements(self.catalog)
        return self.currents.get(version.ref)

    def suggestion(self, model_id: str) -> str:
        """The model meant, when one is close; else the models there are (capped)."""
        if model_id not in self.close:
            self.close[model_id] = _close(model_id, self.model_ids) or (
                f"; its models are: {capped(self.model_ids) or 'none yet'}"
            )
        return self.close[model_id]


_KNOWN: list[_Known] = []  # the last catalog's, kept while it is the one being checked


def _known(catalog: Catalog) -> _Known:
    if not _KNOWN or _KNOWN[0].catalog is not catalog:
        _KNOWN[:] = [_Known(catalog)]
    return _KNOWN[0]


def missing_version_message(catalog: Catalog, ref: str) -> str:
    """Why a `model@version` reference misses, with (some of) the versions that do exist."""
    model_id, _, version = ref.partition("@")
    known = _known(catalog)
    if model_id not in catalog.model_ids:
        return f"there is no model {model_id!r}{known.suggestion(model_id)}"
    listing = capped(known.versions.get(model_id, [])) or "none yet"
    return f"model {model_id!r} has no version {version}; its versions are: {listing}"


def _lineage_references(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    for index, item in enumerate(version.card.lineage):
        if item.model is not None and item.model not in context.catalog.version_refs:
            yield context.in_version(
                "MC020",
                version,
                ("lineage", index, "model"),
                f"lineage names {item.model}, which does not exist: "
                + missing_version_message(context.catalog, item.model),
            )


def _dataset_references(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    card = version.card
    places: list[tuple[tuple[str | int, ...], str]] = []
    if card.training is not None:
        places += [(("training", "data", i), ref) for i, ref in enumerate(card.training.data)]
    places += [
        (("metrics", i, "dataset"), metric.dataset)
        for i, metric in enumerate(card.metrics)
        if metric.dataset is not None
    ]
    for loc, ref in places:
        message = _missing_dataset(context.catalog, ref)
        if message:
            yield context.in_version("MC021", version, loc, message)


def _reading_choice(context: RuleContext, model: Model) -> Iterator[Problem]:
    """A model's `reading.dataset` names a dataset, or one of its versions, that exists."""
    catalog = context.catalog
    choice = model.card.reading
    if choice is not None and choice.dataset is not None:
        named = choice.dataset
        message = (
            _missing_dataset(catalog, named)
            if "@" in named
            else None
            if named in catalog.dataset_ids
            else f"reading names no known dataset: there is no datasets/{named}.yaml"
            + _close(named, sorted(catalog.dataset_ids))
        )
        if message:
            yield context.at("MC021", model.path, ("reading", "dataset"), message)


def _missing_dataset(catalog: Catalog, ref: str) -> str | None:
    dataset_id, _, name = ref.partition("@")
    if dataset_id not in catalog.dataset_ids:
        known = sorted(catalog.dataset_ids)
        return f"{ref} names no known dataset: there is no datasets/{dataset_id}.yaml" + _close(
            dataset_id, known
        )
    dataset = catalog.datasets.get(dataset_id)
    if dataset is None or dataset.has_version(name):
        return None  # an unreadable dataset card is reported on its own
    versions = capped(dataset.version_names)
    return f"dataset {dataset_id!r} has no version {name!r}; its versions are: {versions}"


def _replacements(context: RuleContext, version: ModelVersion) -> Iterator[Problem]:
    catalog = context.catalog
    for index, event in enumerate(version.card.lifecycle):
        if event.replaced_by is None:
            continue
        loc = ("lifecycle", index, "replaced_by")
        ref = resolve_replacement(version, event.replaced_by)
        target = catalog.versions.get(ref)
        if ref not in catalog.version_refs:
            yield context.in_version(
                "MC025",
                version,
                loc,
                f"replaced_by {event.replaced_by!r} does not resolve: "
                + missing_version_message(catalog, ref),
            )
        elif ref == version.ref:
            yield context.in_version(
                "MC034",
                version,
                loc,
                "a version cannot be replaced by itself; name the version users should move to",
            )
        elif target is not None and event.stage is Stage.DEPRECATED:
            message = _gone_already(catalog, target, event)
            if message:
                yield context.in_version("MC034", version, loc, message)


def _gone_already(catalog: Catalog, target: ModelVersion, event: LifecycleEvent) -> str | None:
    """Why `target` could not be moved to when `event` named it, if it could not: it was
    deprecated or retired already (or, on the same date without times, may have been)."""
    gone = stages_before(target, event) & GONE
    if not gone:
        return None
    stage = Stage.RETIRED if Stage.RETIRED in gone else Stage.DEPRECATED
    since = next(e for e in target.card.lifecycle if e.stage is stage and maybe_before(e, event))
    current = _known(catalog).current_replacement(target)
    hint = f", such as {current.ref}, its own replacement" if current else ""
    if surely_before(since, event):
        when = (
            f"was already {stage.value} (on {since.date}) when this deprecation was recorded "
            f"on {event.date}"
        )
    else:
        when = (
            f"was {stage.value} on {since.date} too, and with no times to tell the two events "
            "apart it may have been first (give both a `time`)"
        )
    return f"replaced_by {target.ref} {when}; point users at a version they can still move to{hint}"


def _strandings(context: RuleContext, sent: Mapping[str, list[Sending]]) -> Iterator[Problem]:
    """An event that deprecates without a replacement, or retires, a version other deprecated
    versions still send their users to: it is the new event that leaves them nowhere to go,
    not the older records, which were right when they were written."""
    for ref, senders in sorted(sent.items()):
        target = context.catalog.versions.get(ref)
        if target is None:
            continue
        for index, event in enumerate(target.card.lifecycle):
            if not _ends_the_road(target, index):
                continue
            for sender in senders:
                if not sender.still_sending(event):
                    continue
                yield context.in_version(
                    "MC034",
                    target,
                    ("lifecycle", index, "stage"),
                    _stranding_message(sender, target, event),
                )
                break


def _ends_the_road(version: ModelVersion, index: int) -> bool:
    """Whether event `index` leaves the version deprecated or retired with no replacement."""
    event = version.card.lifecycle[index]
    if event.stage is Stage.DEPRECATED:
        return event.replaced_by is None
    if event.stage is not Stage.RETIRED:
        return False
    named = [e for e in version.card.lifecycle[:index] if e.stage is Stage.DEPRECATED]
    return not named or named[-1].replaced_by is None


def _stranding_message(sender: Sending, target: ModelVersion, event: LifecycleEvent) -> str:
    lead = (
        f"{sender.version.ref} is deprecated in favour of {target.ref} (since "
        f"{sender.event.date}): "
    )
    if event.stage is Stage.DEPRECATED:
        return (
            f"{lead}deprecating {target.ref} without `replaced_by` leaves its users nowhere to "
            f"go; name a replacement, or retire {sender.version.ref} first"
        )
    return (
        f"{lead}retiring {target.ref}, which names no replacement of its own, leaves its users "
        f"nowhere to go; deprecate it first naming a replacement, or retire "
        f"{sender.version.ref} first"
    )


@dataclass(frozen=True)
class Sending:
    """A deprecation that sends its version's users to another version."""

    version: ModelVersion
    event: LifecycleEvent

    def still_sending(self, other: LifecycleEvent) -> bool:
        """Whether the deprecation may be in force at `other`'s moment (not surely after it,
        and its version not surely retired before it)."""
        if not maybe_before(self.event, other):
            return False
        return not any(
            e.stage is Stage.RETIRED and surely_before(e, other)
            for e in self.version.card.lifecycle
        )


def _senders(replacing: list[ModelVersion]) -> dict[str, list[Sending]]:
    """Replacement reference -> the deprecations that name it (of `replacing`, the versions
    whose lifecycle names a replacement)."""
    found: dict[str, list[Sending]] = {}
    for version in sorted(replacing, key=lambda v: v.ref):
        for event in version.card.lifecycle:
            if event.stage is Stage.DEPRECATED and event.replaced_by is not None:
                ref = resolve_replacement(version, event.replaced_by)
                if ref != version.ref:
                    found.setdefault(ref, []).append(Sending(version, event))
    return found


def _aliases(context: RuleContext, model: Model) -> Iterator[Problem]:
    """Each alias names a live version of its own model: only the model's own cards are read
    (catalog.versions, asked only for references of this model, holds its versions)."""
    catalog = context.catalog
    stages = {stage.value for stage in Stage}
    for alias, name in model.card.aliases.items():
        loc = ("aliases", alias)
        if alias in stages or is_semver(alias):
            yield context.at(
                "MC026",
                model.path,
                loc,
                f"alias {alias!r} reads as a {'stage' if alias in stages else 'version'}, "
                f"so {model.id}@{alias} would not mean the alias; choose another name",
                key=True,
            )
            continue
        ref = f"{model.id}@{name}"
        if ref not in catalog.version_refs:
            yield context.at(
                "MC023",
                model.path,
                loc,
                f"alias {alias!r} names version {name!r}, which does not exist: "
                + missing_version_message(catalog, ref),
            )
        elif (target := catalog.versions.get(ref)) is not None and target.stage is Stage.RETIRED:
            yield context.at(
                "MC023",
                model.path,
                loc,
                f"alias {alias!r} names version {name}, which is retired; point it at a "
                "live version or remove it",
            )


@dataclass(frozen=True)
class Cycle:
    """A loop of lineage links: its first nodes (the whole loop, closed by its first node
    again, when it is short) and how many links it has."""

    nodes: tuple[str, ...]
    links: int


def find_cycles(edges: dict[str, list[str]], shown: int = LIST_LIMIT) -> list[Cycle]:
    """Every elementary cycle reachable by depth-first search, each listed once.

    `edges` maps a node to the nodes it points at. A cycle starts where the search (sorted
    nodes, each one's targets sorted) entered it, so the result is stable, and keeps only its
    first `shown` + 1 nodes: a pull request of 20,000 versions can make as many loops each
    20,000 long, which kept whole (or rotated to start at their smallest node) cost
    gigabytes, or minutes.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    position: dict[str, int] = {}  # where each node of the current path is on it
    cycles: dict[tuple[str, str], Cycle] = {}  # by the link that closes the loop
    for start in sorted(edges):
        if state.get(start):
            continue
        path: list[str] = [start]
        position[start] = 0
        stack = [iter(sorted(edges.get(start, [])))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                done = path.pop()
                state[done] = 2
                del position[done]
                stack.pop()
            elif state.get(nxt) == 1:
                entered = position[nxt]
                links = len(path) - entered
                nodes = (
                    tuple(path[entered : entered + shown + 1])
                    if links > shown
                    else (*path[entered:], nxt)
                )
                cycles.setdefault((path[-1], nxt), Cycle(nodes, links))
            elif not state.get(nxt):
                state[nxt] = 1
                position[nxt] = len(path)
                path.append(nxt)
                stack.append(iter(sorted(edges.get(nxt, []))))
    return sorted(cycles.values(), key=lambda cycle: (cycle.nodes, cycle.links))


def _cycles(context: RuleContext) -> Iterator[Problem]:
    catalog = context.catalog
    edges: dict[str, list[str]] = {}
    for edge in catalog.lineage:
        if not edge.external:
            edges.setdefault(edge.child, []).append(edge.parent)
    for cycle in find_cycles(edges):
        first = catalog.versions[cycle.nodes[0]]
        index = next(i for i, item in enumerate(first.card.lineage) if item.model == cycle.nodes[1])
        shown = " -> ".join(cycle.nodes[:LIST_LIMIT])
        more = cycle.links + 1 - LIST_LIMIT  # the loop's nodes, its first again at the end
        yield context.in_version(
            "MC024",
            first,
            ("lineage", index, "model"),
            f"lineage loops: {shown}{f' -> … and {more:,} more' if more > 0 else ''}"
            "; a version cannot descend from itself, so remove one of these links",
        )
