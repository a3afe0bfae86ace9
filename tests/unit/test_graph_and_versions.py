"""Unit tests of the small algorithms the rules rest on: cycles and SemVer order."""

from __future__ import annotations

import pytest

from modelcards.rules.references import find_cycles as cycles_of
from modelcards.semver import version_key


def find_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    return [list(cycle.nodes) for cycle in cycles_of(edges)]


def test_no_cycles_in_a_dag() -> None:
    assert find_cycles({"c": ["b"], "b": ["a"], "d": ["a", "b"]}) == []


def test_a_self_loop_is_a_cycle() -> None:
    assert find_cycles({"a": ["a"]}) == [["a", "a"]]


def test_each_cycle_once_starting_where_the_search_enters_it() -> None:
    edges = {"b": ["c"], "c": ["a"], "a": ["b"], "x": ["y"], "y": ["x"], "z": ["a"]}
    assert find_cycles(edges) == [["a", "b", "c", "a"], ["x", "y", "x"]]
    assert find_cycles({"a": ["c"], "c": ["b"], "b": ["c"]}) == [["c", "b", "c"]]


def test_cycles_are_found_whatever_the_insertion_order() -> None:
    forward = {"a": ["b"], "b": ["c"], "c": ["a"]}
    backward = dict(reversed(list(forward.items())))
    assert find_cycles(forward) == find_cycles(backward) == [["a", "b", "c", "a"]]


def test_a_long_cycle_keeps_its_first_nodes_and_its_length() -> None:
    ring = {f"n{i:05}": [f"n{(i + 1) % 20_000:05}"] for i in range(20_000)}
    (cycle,) = cycles_of(ring)
    assert cycle.links == 20_000 and cycle.nodes == tuple(f"n{i:05}" for i in range(11))
    (short,) = cycles_of({"b": ["a"], "a": ["b", "b"]})  # a link written twice: one loop
    assert short.nodes == ("a", "b", "a") and short.links == 2


def test_semver_precedence() -> None:
    # The ordering example of semver.org section 11, shuffled.
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.10.0",
        "2.0.0",
        "10.0.0",
    ]
    shuffled = ordered[5:] + ordered[:5]
    assert sorted(shuffled, key=version_key) == ordered


def test_build_metadata_does_not_change_precedence() -> None:
    assert version_key("1.0.0+build.7") == version_key("1.0.0")


def test_a_non_semver_version_is_refused() -> None:
    with pytest.raises(ValueError, match="not a SemVer version"):
        version_key("1.0")
