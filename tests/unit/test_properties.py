"""Property-based tests: whatever the input, the loader and validator return located
problems or succeed; they never raise."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelcards.cards import VersionCard
from modelcards.codes import RULES
from modelcards.problems import Problem
from modelcards.source import parse_source
from modelcards.validate import validate_catalog

from ..helpers.catalogs import render

TODAY = dt.date(2026, 11, 26)
CARDS = render({})
CARD_NAMES = sorted(CARDS)
FIELDS = sorted(
    {name for model in (VersionCard,) for name in model.model_fields}
    | {"stage", "date", "by", "name", "value", "model", "relation", "uri", "sha256"}
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=25,
)


def assert_located(problem: Problem, root: Path | None = None) -> None:
    assert problem.code in RULES
    assert problem.line >= 1 and problem.column >= 1
    assert problem.message and "\n" not in problem.message
    if root is not None:
        assert problem.file.is_relative_to(root)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_or_is_a_located_problem(text: str) -> None:
    document, found = parse_source(Path("card.yaml"), text)
    assert (document is None) != (found is None)
    if found is not None:
        assert_located(found)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """One card of the valid base catalog, damaged the way hurried edits damage files."""
    name = draw(st.sampled_from(CARD_NAMES))
    lines = CARDS[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "splice", "replace"]))
        if action == "delete" and lines:
            del lines[at]
        elif action == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif action == "insert":
            lines.insert(at, draw(st.text(max_size=20)) + "\n")
        elif action == "splice" and lines:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = (
                line[:cut]
                + draw(
                    st.sampled_from(
                        ["[", "{", ":", "- ", "'", "&a", "*a", "!!", "\t", "@", "\x00", " 2.0.0"]
                    )
                )
                + line[cut:]
            )
        elif action == "replace" and lines:
            key, sep, _ = lines[at].partition(":")
            dumped = yaml.safe_dump(draw(values), default_flow_style=True, width=10_000).strip()
            lines[at] = f"{key}{sep or ':'} {dumped}\n"
    return name, "".join(lines)


def validate_with(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "catalog"
        for name, text in {**CARDS, **files}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = validate_catalog(root, TODAY)
        for found in result.problems:
            assert_located(found, root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_cards_validate_or_report(card: tuple[str, str]) -> None:
    name, text = card
    validate_with({name: text})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8), st.sampled_from(CARD_NAMES))
def test_random_structures_validate_or_report(data: dict[str, object], name: str) -> None:
    validate_with({name: yaml.safe_dump(data, allow_unicode=True)})


@given(st.text(max_size=200), st.text(max_size=200))
def test_any_text_written_as_a_card_reads_back_the_same(first: str, second: str) -> None:
    """dump_yaml writes imported README text (leading spaces, blank-line runs, tabs, CRs, line
    separators) so that the card loader reads back exactly the same text."""
    from modelcards.yamltext import dump_yaml

    data = {"description": first + "\n" + second, "items": [second, first + "\n"]}
    document, failure = parse_source(Path("model.yaml"), dump_yaml(data))
    assert failure is None
    assert document is not None and document.data == data
