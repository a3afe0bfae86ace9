"""Work spread over forked processes: results, failures, and parsing a catalog ahead."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from modelcards import forking
from modelcards import loading as loading_module
from modelcards.cardcache import CardCache
from modelcards.loading import load_catalog
from modelcards.problems import Problem

from ..helpers.catalogs import CatalogMaker

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking needs os.fork")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * value


def _fail() -> None:
    raise ValueError("bad card")


def _die() -> None:
    os._exit(3)


def _with(task: Callable[[], object]) -> list[Callable[[], object]]:
    return [partial(_pid_and, 1), task]


def test_run_forked_returns_each_result_in_order_from_other_processes() -> None:
    results = forking.run_forked([partial(_pid_and, n) for n in range(4)])
    assert [value for _, value in results] == [0, 1, 4, 9]
    assert results[0][0] == os.getpid()  # the first task runs here, the others in children
    assert len({pid for pid, _ in results}) == 4


def test_an_exception_in_a_child_is_raised_in_the_parent() -> None:
    with pytest.raises(ValueError, match="bad card"):
        forking.run_forked(_with(_fail))


def test_a_child_that_dies_without_a_result_raises_child_failed() -> None:
    with pytest.raises(forking.ChildFailed, match=r"without a result \(exit status 3\)"):
        forking.run_forked(_with(_die))


def test_a_forked_task_runs_while_this_process_goes_on() -> None:
    with forking.Forked(partial(_pid_and, 3)) as child:
        pid, value = child.result()
    assert value == 9 and pid != os.getpid()
    with forking.Forked(_fail) as failing, pytest.raises(ValueError, match="bad card"):
        failing.result()


def test_leaving_without_the_result_stops_the_child() -> None:
    with forking.Forked(partial(time.sleep, 60)) as child:
        assert child._child is not None
        pid = child._child[0]
    with pytest.raises(ChildProcessError):  # stopped and reaped: no such child any more
        os.waitpid(pid, 0)


def _take(tickets: forking.Tickets) -> tuple[int, list[int]]:
    return os.getpid(), list(tickets)


def test_tickets_hand_each_number_to_one_process_only() -> None:
    with forking.Tickets(forking.Tickets.MOST) as tickets:
        taken = forking.run_forked([partial(_take, tickets)] * 4)
    numbers = [n for _, some in taken for n in some]
    assert sorted(numbers) == list(range(forking.Tickets.MOST))  # each once, none lost
    assert all(some == sorted(some) for _, some in taken)  # handed out in order
    assert len({pid for pid, _ in taken}) == 4


def test_tickets_are_few_enough_to_fit_an_empty_pipe() -> None:
    with pytest.raises(ValueError, match="between 0 and 256 tickets, not 257"):
        forking.Tickets(257)
    with forking.Tickets(0) as none:
        assert list(none) == []


BROKEN = {
    "models/fraud/1.0.0.yaml": "version: 1.0.0\nsummary: [unclosed\n",
    "models/fraud/1.1.0.yaml": "version: 1.1.0\nreleased: 2026-01-01\nsummary: ok\nstage: nope\n",
    "models/fraud/1.2.0.yaml": "version: 1.2.0\nreleased: 2026-01-01\nsummary: Fine.\n",
    "models/other/model.yaml": "name: Other\nsummary: x\nowners: [{name: A}]\ntask: t\n"
    "extra_field: 1\n",
}


def _load(root: Path, cache: CardCache | None) -> tuple[object, list[Problem]]:
    card_json: dict[Path, str] = {}
    catalog, problems = load_catalog(root, cache, card_json=card_json)
    cards = {ref: version.card for ref, version in sorted(catalog.versions.items())}
    return (cards, sorted(catalog.models), card_json), problems


@pytest.mark.parametrize("cached", [False, True])
def test_parsing_ahead_in_workers_loads_the_same_catalog_and_problems(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cached: bool
) -> None:
    root = make_catalog(BROKEN, raw={"models/fraud/1.3.0.yaml": b"version: 1.3.0\nsummary: \xff\n"})
    store = tmp_path / "cards.json"

    def cache() -> CardCache | None:
        return CardCache.open(store) if cached else None

    serial = _load(root, cache())
    shares: list[list[str]] = []

    def spy(tasks: Sequence[partial[list[Any]]]) -> list[list[Any]]:
        shares.extend([path.name for path, _ in task.args[0]] for task in tasks)
        return forking.run_forked(tasks)

    monkeypatch.setattr(loading_module, "PARSE_AHEAD_MIN_FILES", 1)
    monkeypatch.setattr(loading_module, "available_cpus", lambda: 2)
    monkeypatch.setattr(loading_module, "run_forked", spy)
    store.unlink(missing_ok=True)
    assert _load(root, cache()) == serial
    assert len(shares) == 2 and all(shares)
    assert {"MC001", "MC013"} <= {problem.code for problem in serial[1]}
    if cached:  # once the cache knows the valid cards, only the broken files are parsed
        warm = CardCache.open(store)
        load_catalog(root, warm)
        warm.save()
        shares.clear()
        assert _load(root, cache()) == serial
        failing = {problem.file.name for problem in serial[1]}
        parsed = [name for share in shares for name in share]
        assert sorted(parsed) == sorted(failing) and "tx.yaml" not in parsed
