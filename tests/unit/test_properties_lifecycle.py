"""Property-based tests of the record's guarantees over random lifecycles: many versions,
same-day events, canaries, rollbacks, deprecations.

- The gate never passes a regression beyond the policy, nor a promotion it cannot compare,
  without an override. The oracle here works out on its own which versions may have been in
  production before each promotion: every interleaving of the two cards' events of that day
  that their list order and their times allow.
- `modelcards get MODEL` (its production version(s)) answers what the built site shows in
  production: api/catalog.json and the home page.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelcards.cli import cli
from modelcards.validate import validate_catalog

from ..helpers.catalogs import render
from ..helpers.gate import MODEL, gated

TODAY = dt.date(2026, 11, 26)
START = dt.date(2026, 1, 5)
MAX_REGRESSION = 0.01  # the BASE catalog's gate
VALUES = (0.80, 0.85, 0.90, 0.905, 0.95, 0.96)


@dataclass
class Event:
    stage: str
    date: dt.date
    time: str | None = None
    traffic: float | None = None
    override: bool = False
    replaced_by: str | None = None

    def yaml(self) -> str:
        parts = [f"stage: {self.stage}", f"date: {self.date}"]
        if self.time:
            parts.append(f'time: "{self.time}"')
        parts += ["by: bob", "approved_by: [carol]"]
        if self.traffic is not None:
            parts.append(f"traffic: {self.traffic:g}")
        if self.stage == "deprecated":
            parts.append("reason: Superseded")
        if self.replaced_by:
            parts.append(f'replaced_by: "{self.replaced_by}"')
        if self.override:
            parts.append("override: Accepted by the model owner")
        return "{" + ", ".join(parts) + "}"


@dataclass
class Version:
    name: str
    metrics: list[tuple[float, str, str]]  # value, dataset, split
    events: list[Event] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return self.events[-1].stage

    def card(self) -> str:
        metrics = [
            f"{{name: auc, value: {v}, dataset: {d}, split: {s}}}" for v, d, s in self.metrics
        ]
        return gated(self.name, metrics, [e.yaml() for e in self.events], released=str(START))


@st.composite
def lifecycles(draw: st.DrawFn) -> list[Version]:
    count = draw(st.integers(2, 6))
    versions = []
    for number in range(count):
        split = draw(st.sampled_from(["test", "test", "test", "validation"]))
        metrics = [(draw(st.sampled_from(VALUES)), "tx@2025-Q4", split)]
        if draw(st.booleans()):
            metrics.append((draw(st.sampled_from(VALUES)), "tx@2025-Q3", "test"))
        versions.append(Version(f"1.{number}.0", metrics, [Event("staging", START)]))
    day = START
    for _ in range(draw(st.integers(1, 14))):
        day += dt.timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 2])))
        time = draw(st.sampled_from([None, None, None, "09:00", "12:00", "12:00", "17:30"]))
        _act(draw, versions, day, time)
    return versions


def _act(draw: st.DrawFn, versions: list[Version], day: dt.date, time: str | None) -> None:
    live = [v for v in versions if v.stage == "production"]
    ready = [v for v in versions if v.stage in ("staging", "archived")]
    action = draw(st.sampled_from(["promote", "promote", "canary", "out", "deprecate", "retire"]))
    override = draw(st.booleans()) and draw(st.booleans())
    if action == "promote" and ready:  # a full rollout, or a rollback of an archived version
        chosen = draw(st.sampled_from(ready))
        chosen.events.append(Event("production", day, time, override=override))
        for other in live:
            other.events.append(Event("archived", day, time))
    elif action == "canary" and ready and len(live) == 1:
        chosen, share = draw(st.sampled_from(ready)), draw(st.sampled_from([5, 10, 50]))
        chosen.events.append(Event("production", day, time, share, override))
        live[0].events.append(Event("production", day, time, 100 - share))
    elif action == "out" and len(live) == 1:
        live[0].events.append(Event("archived", day, time))
    elif action == "deprecate" and ready:
        chosen = draw(st.sampled_from(ready))
        named = {e.replaced_by for v in versions for e in v.events[-1:] if e.stage == "deprecated"}
        if chosen.name in named and not live:
            return  # it would strand the users sent to it
        target = live[0].name if live else None
        chosen.events.append(Event("deprecated", day, time, replaced_by=target))
    elif action == "retire":
        named = {e.replaced_by for v in versions for e in v.events[-1:] if e.stage == "deprecated"}
        done = [
            v for v in versions if v.stage in ("deprecated", "archived") and v.name not in named
        ]
        if done:
            draw(st.sampled_from(done)).events.append(Event("retired", day, time))


# ---- the oracle ----------------------------------------------------------------------------


def _orders_allow(first: Event, second: Event) -> bool:
    """Whether events of two cards may have happened in this order, by their dates and times."""
    if first.date != second.date:
        return first.date < second.date
    return first.time is None or second.time is None or first.time <= second.time


def possible_stages(other: Version, mine: Version, index: int) -> set[str | None]:
    """Stages `other` may have been in just before event `index` of `mine`: every interleaving
    of the two cards' events that keeps each card's order and the dates' and times' order."""
    found: set[str | None] = set()
    a, b = other.events, mine.events
    for places in itertools.combinations(range(len(a) + len(b)), len(a)):
        order: list[tuple[str, int]] = []
        counts = {"other": 0, "mine": 0}
        for position in range(len(a) + len(b)):
            who = "other" if position in places else "mine"
            order.append((who, counts[who]))
            counts[who] += 1
        events = [a[i] if who == "other" else b[i] for who, i in order]
        if not all(
            _orders_allow(events[x], events[y])
            for x, y in itertools.combinations(range(len(order)), 2)
            if order[x][0] != order[y][0]
        ):
            continue
        at = order.index(("mine", index))
        before = [a[i] for who, i in order[:at] if who == "other"]
        found.add(before[-1].stage if before else None)
    return found


def must_fail(versions: list[Version]) -> set[tuple[str, int]]:
    """(version, event index) of every promotion the gate must not pass."""
    failing = set()
    for mine in versions:
        for index, event in enumerate(mine.events):
            entering = event.stage == "production" and mine.events[index - 1].stage != "production"
            if not entering or event.override:
                continue
            for other in versions:
                if other is mine or "production" not in possible_stages(other, mine, index):
                    continue
                theirs = {(d, s): v for v, d, s in other.metrics}
                common = [(v, theirs[(d, s)]) for v, d, s in mine.metrics if (d, s) in theirs]
                if not common or any(old - new > MAX_REGRESSION + 1e-12 for new, old in common):
                    failing.add((mine.name, index))
    return failing


def write(versions: list[Version], folder: Path) -> Path:
    root = folder / "catalog"
    files = render({}) | {"models/gated/model.yaml": MODEL}
    files |= {f"models/gated/{v.name}.yaml": v.card() for v in versions}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# ---- the properties ------------------------------------------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lifecycles())
def test_the_gate_never_passes_a_regression_silently(versions: list[Version]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = validate_catalog(write(versions, Path(folder)), TODAY)
    flagged = {(p.file.stem, p.line) for p in result.problems if p.code in ("MC041", "MC045")}
    by_name = {v.name: v for v in versions}
    for name, index in must_fail(versions):
        first_event = 11 + len(by_name[name].metrics)  # the line of the card's first event
        assert (name, first_event + index) in flagged, (name, index, result.problems)


# Each example builds a whole site: fewer of them than for the gate.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lifecycles())
def test_get_production_is_what_the_built_site_shows(versions: list[Version]) -> None:
    """Through the real commands: `modelcards get gated --json` against what `modelcards build`
    wrote, in api/catalog.json and in the home page's "In production" column."""
    runner = CliRunner()
    env = {"SOURCE_DATE_EPOCH": str(calendar.timegm(TODAY.timetuple()))}
    with tempfile.TemporaryDirectory() as folder:
        root, site = write(versions, Path(folder)), Path(folder) / "site"
        built = runner.invoke(cli, ["build", str(root), "-o", str(site), "--no-cache"], env=env)
        got = runner.invoke(cli, ["get", "gated", str(root), "--json"], env=env)
        if built.exit_code == 1:  # an invalid catalog: neither answers
            assert got.exit_code == 1 and "has errors" in got.output, got.output
            return
        assert built.exit_code == 0, built.output
        api = json.loads((site / "api" / "catalog.json").read_text(encoding="utf-8"))
        home = (site / "index.html").read_text(encoding="utf-8")
    listed = next(m["production"] for m in api["models"] if m["id"] == "gated")
    row = re.search(r'<tr data-model="gated".*?</tr>', home, re.S)
    assert row is not None
    cell = re.search(r'<td data-label="In production">(.*?)</td>', row.group(0), re.S)
    assert cell is not None
    shown = re.findall(r">([0-9.]+)</a>", cell.group(1))
    if got.exit_code == 0:
        answered = [v["version"] for v in json.loads(got.output)["versions"]]
    else:  # nothing in production: get says so, and the site lists none
        assert got.exit_code == 1 and "production" in got.output, got.output
        answered = []
    assert listed == shown == answered
