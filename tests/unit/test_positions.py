"""Positions found in one pass over the parser's events (positions.py) are exactly those of a
full composition of the file (SourceDocument.position), and the rules' problems, placed in
one batch per file, point where placing each one by itself points."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelcards.loading import load_catalog
from modelcards.positions import positions
from modelcards.rules import FAMILIES
from modelcards.rules.context import RuleContext, Unplaced, place
from modelcards.source import Loc, SourceDocument, parse_source

from ..helpers.catalogs import render
from ..helpers.generated import generate

P = Path("card.yaml")
TODAY = dt.date(2026, 11, 26)
Request = tuple[Loc, bool]

# Parts a location may name that a document may or may not have: pydantic names the null key
# 'None'; an int names a list item or a key written 1; True and "1" are traps for the matching.
ODD_PARTS: list[str | int] = ["None", "1", 1, 0, -1, 7, True, "missing", "<<", "~", "", "name"]

keys = st.one_of(
    st.sampled_from(["name", "value", "metrics", "None", "1", "~", "null", "true", "<<", ""]),
    st.text(min_size=1, max_size=6),
    st.integers(-2, 3),
    st.none(),
    st.booleans(),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=30,
)


def composed(document: SourceDocument, requests: list[Request]) -> list[tuple[int, int]]:
    """Each position asked of the file composed anew: how every position was found before."""
    return [document.position(loc, key=key) for loc, key in requests]


def with_shared(data: Any, shared: Any, rng: random.Random) -> Any:
    """`data` with one object put in several places: its YAML has an anchor and aliases."""
    if isinstance(data, dict):
        return {
            k: shared if rng.random() < 0.2 else with_shared(v, shared, rng)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [shared if rng.random() < 0.2 else with_shared(v, shared, rng) for v in data]
    return data


@st.composite
def documents(draw: st.DrawFn) -> SourceDocument:
    """A YAML document in one of the many shapes PyYAML writes: block or flow, canonical
    (explicit tags and `? key`), wrapped or not, with anchors and aliases or not."""
    data = draw(st.dictionaries(keys, values, min_size=1, max_size=8))
    if draw(st.booleans()):
        shared = draw(
            st.one_of(
                st.lists(values, min_size=1, max_size=3),
                st.dictionaries(keys, values, min_size=1, max_size=3),
            )
        )
        data = with_shared(data, shared, random.Random(draw(st.integers(0, 2**16))))
    text = yaml.safe_dump(
        data,
        default_flow_style=draw(st.sampled_from([False, True, None])),
        canonical=draw(st.booleans()),
        indent=draw(st.integers(2, 5)),
        width=draw(st.sampled_from([20, 80, 1000])),
        allow_unicode=draw(st.booleans()),
        explicit_start=draw(st.booleans()),
        sort_keys=draw(st.booleans()),
    )
    document, problem = parse_source(P, text)
    assert document is not None, (problem, text)
    return document


def children(node: Any) -> list[str | int]:
    if isinstance(node, dict):
        return ["None" if k is None else k for k in node]
    if isinstance(node, list):
        return list(range(len(node)))
    return []


def child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(None if part == "None" else part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


@st.composite
def locations(draw: st.DrawFn, data: Any) -> Request:
    """A location in `data` (mostly parts it has, some it has not), and whether its key is
    meant."""
    loc: list[str | int] = []
    node = data
    for _ in range(draw(st.integers(0, 6))):
        real = children(node)
        from_real = bool(real) and bool(draw(st.integers(0, 4)))
        part = draw(st.sampled_from(real if from_real else ODD_PARTS))
        node = child(node, part)
        loc.append(part)
    return tuple(loc), draw(st.booleans())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_one_pass_over_events_finds_what_composition_finds(data: st.DataObject) -> None:
    document = data.draw(documents())
    requests = data.draw(st.lists(locations(document.data), min_size=1, max_size=8))
    assert positions(document, requests) == composed(document, requests), document.text


HAND_WRITTEN = [
    # Merge keys stay as written in the node tree: `<<` is a key like any other.
    "base: &b {x: 1, y: [2, 3]}\nmine:\n  <<: *b\n  y: 4\n",
    "base: &b {x: 1}\nmine: {<<: [*b, {z: 2}], w: 3}\n",
    # Aliases as keys, values and items: the pass gives up and the file is composed.
    "a: &k key\n*k : 1\nother: 2\n",
    "a: &s [1, {b: 2}]\nc: *s\nd: [*s, 9]\n",
    # Keys that name the same part: the first one wins, as in the tree.
    "'1': a\n1: b\nNone: c\n~: d\n",
    "~: d\nNone: c\n!!null '': e\n",
    "? [complex, key]\n: 1\nplain: 2\n",
    # Tags, block scalars, comments, empty values, a document marker.
    "--- # start\na: !!str 1\nb: |\n  text\n  more\nc:\nd: ! tagged\ne: {f: [g, {h: }]}\n",
    "",
    "# only a comment\n",
    "---\n",
    "- a\n- [b, c]\n- {d: e}\n",
    "just a scalar\n",
]
HAND_PARTS: list[str | int] = [
    "a",
    "base",
    "mine",
    "x",
    "y",
    "z",
    "w",
    "<<",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "key",
    "other",
    "plain",
    0,
    1,
    2,
    5,
    "1",
    "None",
    "~",
]


def hand_requests() -> Iterator[Request]:
    yield (), False
    for first in HAND_PARTS:
        for second in [None, *HAND_PARTS]:
            for third in [None, 0, "b", "h"]:
                loc = tuple(p for p in (first, second, third) if p is not None)
                yield loc, False
                yield loc, True


@pytest.mark.parametrize("text", HAND_WRITTEN)
def test_hand_written_shapes(text: str) -> None:
    document, _ = parse_source(P, text)
    if document is None:  # refused by the loader (a complex key): positions agree all the same
        document = SourceDocument(P, None, text)
    requests = list(hand_requests())
    found = positions(document, requests)
    assert found == composed(document, requests)
    if yaml.compose(text, Loader=yaml.SafeLoader) is None:  # no node at all: the file's start
        assert set(found) == {(1, 1)}


def test_a_pass_stops_at_its_last_answer() -> None:
    """What comes after the last place asked about is not read, not even for its syntax."""
    document = SourceDocument(P, None, "a: 1\nb: [2, 3]\nc: {d: [unclosed\n")
    assert positions(document, [(("b", 1), False), (("a",), True)]) == [(2, 8), (1, 1)]


@pytest.fixture(scope="module")
def generated_cards() -> Iterator[list[Path]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "catalog"
        generate(root, models=6, versions=4, datasets=3, seed=3, warnings=True)
        yield sorted(root.rglob("*.yaml"))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_benchmark_cards_asked_about_many_places(
    generated_cards: list[Path], data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(generated_cards))
    document, _ = parse_source(path, path.read_text(encoding="utf-8"))
    assert document is not None
    requests = data.draw(st.lists(locations(document.data), min_size=1, max_size=12))
    assert positions(document, requests) == composed(document, requests)


# Each breaks a rule somewhere in the test catalog (BASE, tests/helpers/catalogs.py), so that
# the rules report problems in several files, several in a file, from several rule families.
BROKEN = {
    "metric": ("models/fraud/2.0.0.yaml", "{name: auc, value: 0.91", "{name: acu, value: 0.91"),
    "metric again": ("models/fraud/1.0.0.yaml", "{name: auc,", "{name: f1,"),
    "dataset": ("models/fraud/2.0.0.yaml", "data: [tx@2025-Q4]", "data: [tx@2024-Q1]"),
    "approver": ("models/fraud/2.0.0.yaml", ", approved_by: [carol]", ""),
    "date": ("models/fraud/1.0.0.yaml", "date: 2025-10-10", "date: 2025-10-01"),
    "review": ("models/fraud/model.yaml", "last_reviewed: 2026-06-01", "last_reviewed: 2020-01-01"),
    "primary": ("models/fraud/model.yaml", "primary_metric: auc", "primary_metric: f1"),
    "lineage": ("models/small/0.1.0.yaml", "fraud@2.0.0, relation", "fraud@9.0.0, relation"),
    "alias": ("models/fraud/model.yaml", 'champion: "2.0.0"', 'champion: "3.0.0"'),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(sorted(BROKEN)), min_size=1))
def test_rule_problems_placed_in_a_batch_point_where_each_alone_points(
    broken: set[str],
) -> None:
    cards = render({})
    for name in sorted(broken):
        path, old, new = BROKEN[name]
        assert old in cards[path], name
        cards[path] = cards[path].replace(old, new, 1)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in cards.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        catalog, _ = load_catalog(root)
        context = RuleContext.build(catalog, TODAY)
        found = [problem for family in FAMILIES for problem in family.check(context)]
        assert any(isinstance(problem, Unplaced) for problem in found)
        placed = place(found, catalog)
    for before, after in zip(found, placed, strict=True):
        if isinstance(before, Unplaced):
            document = catalog.sources[before.file]
            assert (after.line, after.column) == document.position(before.loc, key=before.key)
            assert (after.file, after.code, after.message) == (
                before.file,
                before.code,
                before.message,
            )
            assert type(after) is not Unplaced
        else:
            assert after is before
