"""What every rule needs besides the catalog: today, metric meanings, the transition graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..cards import MetricInfo, Stage
from ..catalog import Catalog, Model, ModelVersion
from ..codes import problem
from ..metrics import known_metrics
from ..problems import Problem
from ..source import Loc

S = Stage
DEFAULT_TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    S.DEVELOPMENT: frozenset({S.STAGING, S.PRODUCTION, S.ARCHIVED, S.RETIRED}),
    S.STAGING: frozenset({S.DEVELOPMENT, S.PRODUCTION, S.ARCHIVED, S.DEPRECATED, S.RETIRED}),
    # production -> production: a change of traffic during a staged rollout.
    S.PRODUCTION: frozenset({S.PRODUCTION, S.STAGING, S.ARCHIVED, S.DEPRECATED}),
    S.ARCHIVED: frozenset({S.STAGING, S.PRODUCTION, S.DEPRECATED, S.RETIRED}),
    S.DEPRECATED: frozenset({S.RETIRED}),
    S.RETIRED: frozenset(),
}


@dataclass(frozen=True)
class Unplaced(Problem):
    """A rule's problem whose line and column (0 until then) are found by `place`."""

    loc: tuple[str | int, ...] = ()
    key: bool = False


def place(problems: list[Problem], catalog: Catalog) -> list[Problem]:
    """The problems, each unplaced one with its line and column found.

    The problems of one file are placed together, in one pass over its parser events that stops
    at the last of them (positions.py): composing the file for each problem, or keeping the
    node trees of thousands of files, costs more than parsing the whole catalog did.
    """
    by_file: dict[Path, list[tuple[int, Unplaced]]] = {}
    for index, found in enumerate(problems):
        if isinstance(found, Unplaced):
            by_file.setdefault(found.file, []).append((index, found))
    placed = list(problems)
    for path, unplaced in by_file.items():
        where = catalog.positions(path, [(found.loc, found.key) for _, found in unplaced])
        for (index, found), (line, column) in zip(unplaced, where, strict=True):
            placed[index] = Problem(
                found.file, line, column, found.code, found.severity, found.message
            )
    return placed


@dataclass(frozen=True)
class RuleContext:
    catalog: Catalog
    today: dt.date
    metrics: Mapping[str, MetricInfo]
    transitions: Mapping[Stage, frozenset[Stage]]

    @classmethod
    def build(cls, catalog: Catalog, today: dt.date) -> RuleContext:
        narrowed = catalog.settings.policy.transitions
        transitions = dict(DEFAULT_TRANSITIONS)
        if narrowed is not None:
            for stage in Stage:
                allowed = frozenset(narrowed.get(stage, []))
                transitions[stage] = allowed & DEFAULT_TRANSITIONS[stage]
        return cls(catalog, today, known_metrics(catalog.settings), transitions)

    def run(
        self,
        whole: Callable[[RuleContext], Iterable[Problem]],
        per_version: Callable[[RuleContext, ModelVersion], Iterable[Problem]],
        per_model: Callable[[RuleContext, Model], Iterable[Problem]],
    ) -> Iterator[Problem]:
        """A rule family's findings over the whole catalog: its three scopes in turn."""
        yield from whole(self)
        for version in self.catalog.versions.values():
            yield from per_version(self, version)
        for model in self.catalog.models.values():
            yield from per_model(self, model)

    def at(self, code: str, path: Path, loc: Loc, message: str, *, key: bool = False) -> Problem:
        """A problem located at `loc` inside the file at `path`.

        Its line and column are found once every rule has run (`place`), with one composition
        of each file for all of its problems: they are 0 until then.
        """
        found = problem(code, path, (0, 0), message)
        return Unplaced(
            found.file, 0, 0, found.code, found.severity, found.message, tuple(loc), key
        )

    def in_version(self, code: str, version: ModelVersion, loc: Loc, message: str) -> Problem:
        return self.at(code, version.path, loc, message)

    def goal(self, metric: str) -> str | None:
        info = self.metrics.get(metric)
        return info.goal if info else None


def nothing(*_: object) -> Iterator[Problem]:
    """A scope at which a rule family finds nothing."""
    return iter(())
