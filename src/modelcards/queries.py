"""Questions asked of a resolved catalog, each answered in one place.

The rules, the site, the exports, the pull-request summary and `get` read the catalog through
these queries: which stage a version was in at a moment, in which order events happened,
which versions are in production and with what share of traffic, which versions a promotion
replaced, where a chain of replacements leads. Defined once, they cannot drift apart: the
version the gate compares with is the one the site shows in production before, and the
production version `get` answers is the one the site shows.

Order of events. Within one card, events happened in the order they are listed. Across
cards, an earlier date comes first; on one date, two events that both carry a `time`
(HH:MM, UTC) are ordered by it. Otherwise their order is unknown, and the queries that
depend on it answer for every order that could have been: a promotion on the day its
incumbent was itself promoted is compared with that incumbent, so the gate never passes
because two events shared a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .cards import LifecycleEvent, Metric, ReadingChoice, Stage, VersionCard
from .catalog import Catalog, Model, ModelVersion
from .semver import version_key

# ---- the order of events -------------------------------------------------------------------


def surely_before(first: LifecycleEvent, second: LifecycleEvent) -> bool:
    """Whether `first` certainly happened before `second` (events of two different cards)."""
    if first.date != second.date:
        return first.date < second.date
    return first.time is not None and second.time is not None and first.time < second.time


def maybe_before(first: LifecycleEvent, second: LifecycleEvent) -> bool:
    """Whether `first` happened, or may have happened, before `second` (of another card):
    an earlier date, or the same date without two different times to tell them apart."""
    if first.date != second.date:
        return first.date < second.date
    return first.time is None or second.time is None or first.time <= second.time


def _after(events: list[LifecycleEvent], count: int) -> Stage | None:
    """The stage a card is in once its first `count` events have happened."""
    return events[count - 1].stage if count else None


def stages_before(version: ModelVersion, event: LifecycleEvent) -> frozenset[Stage | None]:
    """Every stage `version` may have been in just before `event` of another card (None:
    it had no event yet). One stage when the order is known, more on a shared date."""
    events = version.card.lifecycle
    # One pass (every gate asks this of every other version): `surely` counts up to the last
    # event surely before, `maybe` is the first event that cannot have been before.
    surely, maybe, day = 0, None, event.date
    for i, e in enumerate(events):
        if e.date < day or (e.date == day and surely_before(e, event)):
            surely = i + 1
        elif maybe is None and not maybe_before(e, event):
            maybe = i
    last = len(events) if maybe is None else maybe
    return frozenset(_after(events, count) for count in range(surely, max(surely, last) + 1))


def stage_on(version: ModelVersion, day: dt.date) -> Stage | None:
    """The stage `version` was in at the end of `day` (None: it had no event yet)."""
    return _after(version.card.lifecycle, sum(e.date <= day for e in version.card.lifecycle))


def entering_events(card: VersionCard, stage: Stage) -> list[tuple[int, LifecycleEvent]]:
    """The events by which a version entered `stage` (not repeats while already in it)."""
    events = card.lifecycle
    return [
        (i, e)
        for i, e in enumerate(events)
        if e.stage is stage and (i == 0 or events[i - 1].stage is not stage)
    ]


# ---- production and traffic ----------------------------------------------------------------


def stated_share(version: ModelVersion) -> float | None:
    """The traffic share stated by the event that made the version's current stage."""
    return version.card.lifecycle[-1].traffic


def production(model: Model) -> tuple[ModelVersion, ...]:
    """The versions in production now (their last event is production), the one with the
    most traffic first, then the newest: what `get MODEL` answers and the site shows."""
    live = [v for v in model.versions if v.stage is Stage.PRODUCTION]
    newest_first = sorted(live, key=lambda v: version_key(v.version), reverse=True)
    return tuple(sorted(newest_first, key=lambda v: -(_share_among(v, len(live)) or 0.0)))


def _share_among(version: ModelVersion, live: int) -> float | None:
    share = stated_share(version)
    if share is not None:
        return share
    return 100.0 if live == 1 else None


def traffic_share(model: Model, version: ModelVersion) -> float | None:
    """A production version's share of traffic now: as its last event states it, else 100
    when it is the only version in production. None for a version not in production, or
    one of several without a stated share (an error, MC035)."""
    if version.stage is not Stage.PRODUCTION:
        return None
    return _share_among(version, sum(v.stage is Stage.PRODUCTION for v in model.versions))


def incumbents(
    model: Model, candidate: ModelVersion, event: LifecycleEvent
) -> tuple[ModelVersion, ...]:
    """The other versions that were, or may have been, in production just before `event` of
    `candidate`: those a promotion replaced or joined, and the gate compares it with."""
    return tuple(
        v
        for v in model.versions
        if v is not candidate
        and any(e.stage is Stage.PRODUCTION for e in v.card.lifecycle)  # else never was
        and Stage.PRODUCTION in stages_before(v, event)
    )


# ---- replacements --------------------------------------------------------------------------


def resolve_replacement(version: ModelVersion, replaced_by: str) -> str:
    """`replaced_by` names a version of the same model (3.0.0) or another's (other@1.0.0)."""
    return replaced_by if "@" in replaced_by else f"{version.model_id}@{replaced_by}"


def deprecation_event(version: ModelVersion) -> tuple[int, LifecycleEvent] | None:
    """The event by which a deprecated or retired version was deprecated, if it was."""
    if version.stage not in (Stage.DEPRECATED, Stage.RETIRED):
        return None
    events = version.card.lifecycle
    return next(
        ((i, e) for i, e in reversed(list(enumerate(events))) if e.stage is Stage.DEPRECATED),
        None,
    )


def current_replacement(version: ModelVersion) -> str | None:
    """The reference users of a deprecated (or since retired) version are sent to: the
    `replaced_by` of the deprecation in force."""
    found = deprecation_event(version)
    if found is None or found[1].replaced_by is None:
        return None
    return resolve_replacement(version, found[1].replaced_by)


@dataclass(frozen=True)
class ReplacementChain:
    """Where following replacements from a version leads."""

    refs: tuple[str, ...]  # every replacement in turn, the one its deprecation names first
    end: ModelVersion | None  # where the chain stops; None when it loops or names nothing

    @property
    def first(self) -> str:
        return self.refs[0]

    @property
    def current(self) -> ModelVersion | None:
        """The replacement users can move to now: the end of the chain, when it is neither
        deprecated nor retired."""
        end = self.end
        return end if end is not None and end.stage not in GONE else None


GONE = frozenset({Stage.DEPRECATED, Stage.RETIRED})


def replacement_chain(catalog: Catalog, version: ModelVersion) -> ReplacementChain | None:
    """Follow the replacements of a deprecated (or retired) version while they have been
    deprecated or retired in turn: a replacement deprecated later hands its users on to its
    own. None when the version names no replacement."""
    first = current_replacement(version)
    if first is None:
        return None
    refs = [first]
    seen = {first, version.ref}  # a set: a chain of thousands was cubic with a list
    target = catalog.versions.get(first)
    while target is not None and (after := current_replacement(target)) is not None:
        if after in seen:
            return ReplacementChain(tuple(refs), None)
        refs.append(after)
        seen.add(after)
        target = catalog.versions.get(after)
    return ReplacementChain(tuple(refs), target)


def current_replacements(catalog: Catalog) -> dict[str, ModelVersion | None]:
    """`replacement_chain(catalog, v).current` for every version v that names a replacement,
    worked out in one pass: chains share their ends, and following each chain from each of
    its thousands of versions took time in the square of the catalog."""
    ends: dict[str, ModelVersion | None] = {}  # ref -> where following from it stops
    for ref in catalog.versions:
        path: list[str] = []
        on_path: set[str] = set()
        at: str | None = ref
        while True:
            if at in ends:
                end = ends[at]
                break
            target = catalog.versions.get(at) if at is not None else None
            if target is None or at in on_path:  # names nothing, or loops
                end = None
                break
            after = current_replacement(target)
            if after is None:
                end = ends[target.ref] = target
                break
            path.append(target.ref)
            on_path.add(target.ref)
            at = after
        for passed in path:
            ends[passed] = end
    found: dict[str, ModelVersion | None] = {}
    for ref, version in catalog.versions.items():
        first = current_replacement(version)
        if first is not None:
            end = ends.get(first)
            found[ref] = end if end is not None and end.stage not in GONE else None
    return found


def previous_version(model: Model, version: ModelVersion) -> ModelVersion | None:
    """The version just before `version` in SemVer order."""
    index = next((i for i, v in enumerate(model.versions) if v.ref == version.ref), 0)
    return model.versions[index - 1] if index > 0 else None


def last_recorded(version: ModelVersion) -> dt.date:
    """The latest day the version's card records: its release, a lifecycle event or a
    monitoring observation. What the card says is true as of that day (events are never
    dated after today)."""
    card = version.card
    observed = card.monitoring.observations if card.monitoring else ()
    return max([card.released, *(e.date for e in card.lifecycle), *(o.date for o in observed)])


# ---- readings of metrics -------------------------------------------------------------------

# A reading's "dataset version" below is its data, Metric.evaluated_on: a dataset version of
# the catalog, or an external dataset (id, config, revision and args).


def unsliced(version: ModelVersion, name: str) -> list[Metric]:
    """The version's entries of metric `name` measured on a whole dataset split (no slice)."""
    return [m for m in version.card.metrics if m.name == name and m.slice is None]


def place(metric: Metric) -> str:
    """Where a reading was measured, as people read it: "tx@2025-Q4 (test)", or for data
    outside the catalog its reference, "ai2_arc:ARC-Challenge (test)"."""
    split = f"({metric.split})" if metric.split else None
    return " ".join(part for part in (metric.evaluated_on, split) if part) or "no named dataset"


def comparison_key(metric: Metric) -> tuple[str, str, str | None] | None:
    """What two readings must share to be compared: the metric, the data (a dataset version
    of the catalog, or the same external dataset, config, revision and args: `evaluated_on`)
    and the split, with no slice. None for a reading that names no dataset (comparable with
    nothing) or measures a slice."""
    if metric.slice is not None or metric.evaluated_on is None:
        return None
    return metric.name, metric.evaluated_on, metric.split


def comparable(new: ModelVersion, old: ModelVersion, name: str) -> list[tuple[Metric, Metric]]:
    """Pairs of readings of metric `name` that may be compared (comparison_key): the same
    data and split, no slice. A reading that names no dataset is comparable with nothing."""
    before = {key: m for m in unsliced(old, name) if (key := comparison_key(m)) is not None}
    return [
        (m, before[key])
        for m in unsliced(new, name)
        if (key := comparison_key(m)) is not None and key in before
    ]


def reading(model: Model, version: ModelVersion, name: str | None = None) -> Metric | None:
    """THE reading of metric `name` (by default the model's primary metric) for `version`:
    the first entry of that metric without a slice, in the card's order, among those the
    model's `reading` setting admits (a dataset, a dataset version, a split). None when the
    version has no such entry. Every view and export that shows one value of a version's
    metric shows this one."""
    name = name or model.card.primary_metric
    if name is None:
        return None
    choice = model.card.reading
    return next((m for m in unsliced(version, name) if choice is None or _admits(choice, m)), None)


def _admits(choice: ReadingChoice, metric: Metric) -> bool:
    if choice.split is not None and metric.split != choice.split:
        return False
    if choice.dataset is None:
        return True
    if metric.dataset is None:
        return False
    return metric.dataset == choice.dataset or metric.dataset.partition("@")[0] == choice.dataset


@dataclass(frozen=True)
class Change:
    """A metric of a version against the same metric of an earlier version: the same
    dataset version, split and slice."""

    metric: Metric  # the version's entry
    earlier: ModelVersion  # the version compared with
    before: Metric  # its entry

    @property
    def delta(self) -> float:
        return self.metric.value - self.before.value


def _earlier(model: Model, version: ModelVersion) -> list[ModelVersion]:
    """The versions before `version` in SemVer order, nearest first."""
    index = next((i for i, v in enumerate(model.versions) if v.ref == version.ref), 0)
    return list(reversed(model.versions[:index]))


def _same_place(first: Metric, second: Metric) -> bool:
    return (first.name, first.evaluated_on, first.split, first.slice) == (
        second.name,
        second.evaluated_on,
        second.split,
        second.slice,
    )


def earlier_reading(model: Model, version: ModelVersion, metric: Metric) -> Change | None:
    """`metric` of `version` against the nearest earlier version (SemVer order) that reports
    the same metric on the same dataset version, split and slice. None when no earlier
    version does, or the entry names no dataset (comparable with nothing)."""
    if metric.evaluated_on is None:
        return None
    for before in _earlier(model, version):
        found = next((m for m in before.card.metrics if _same_place(m, metric)), None)
        if found is not None:
            return Change(metric, before, found)
    return None


def reading_change(model: Model, version: ModelVersion, name: str | None = None) -> Change | None:
    """How the version's reading of `name` changed from the previous comparable version: the
    nearest earlier version reporting the metric on a dataset version and split the version
    also reports it on (without a slice). The two are compared on the reading's own dataset
    version and split when that version has it, else on the first place in the card's order
    they share; the Change names the entries compared."""
    shown = reading(model, version, name)
    if shown is None:
        return None
    for before in _earlier(model, version):
        pairs = comparable(version, before, shown.name)
        if pairs:
            mine, theirs = next(((m, b) for m, b in pairs if m is shown), pairs[0])
            return Change(mine, before, theirs)
    return None


Place = tuple[str | None, str | None]  # data (Metric.evaluated_on), split


def metric_series(model: Model, name: str) -> dict[Place, list[tuple[ModelVersion, Metric]]]:
    """Metric `name` over the versions, one series per dataset version and split (no
    slices): a chart draws one line for each, never one line through different data. The
    series come in the order their first value appears (versions oldest first, entries in
    the card's order); each has at most one value per version."""
    series: dict[Place, list[tuple[ModelVersion, Metric]]] = {}
    for version in model.versions:
        for metric in unsliced(version, name):
            points = series.setdefault((metric.evaluated_on, metric.split), [])
            if not points or points[-1][0] is not version:
                points.append((version, metric))
    return series


def charted_metrics(model: Model) -> list[str]:
    """The metrics some version reports without a slice: the primary one first, then by name."""
    names = {m.name for v in model.versions for m in v.card.metrics if m.slice is None}
    primary = model.card.primary_metric
    return sorted(names, key=lambda n: (n != primary, n))
