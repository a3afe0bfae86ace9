"""The fast text writers behind the exports write exactly what the slow library calls wrote:
YAML scalars and flow collections as yaml.safe_dump, indented JSON as json.dumps."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcards.formats.jsontext import dumps_indented
from modelcards.yamltext import _flow, scalar_text


def holds_nel(value: Any) -> bool:
    if isinstance(value, str):
        return "\x85" in value
    if isinstance(value, dict):
        return any(holds_nel(k) or holds_nel(v) for k, v in value.items())
    return isinstance(value, list) and any(holds_nel(v) for v in value)


def pyyaml_flow(value: Any) -> str:
    """yaml.safe_dump's text; where the value holds a NEL (\\x85), with escapes, because PyYAML
    writes a NEL raw inside quotes, where it reads back as a line break."""
    text = yaml.safe_dump(
        value,
        default_flow_style=True,
        allow_unicode=not holds_nel(value),
        sort_keys=False,
        width=1_000_000,
    )
    return text.removesuffix("\n...\n").strip()


TRICKY = [
    "",
    " a",
    "a ",
    "yes",
    "No",
    "null",
    "~",
    "1.0",
    "1e3",
    "0x1F",
    "2024-01-01",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "-a",
    "- a",
    "?x",
    ":x",
    "[x]",
    "x,y",
    "{",
    "it's",
    "tab\there",
    "é ✓",
    "---x",
    "...x",
    "@x",
    "`x",
    "%x",
    "!x",
    "&x",
    "*x",
    "|x",
    ">x",
    '"q"',
    "=",
    "<<",
    ".inf",
    "+1",
    "0o17",
    "1_000",
    "12:30:00",
    "\x07bell",
    "\ufeffbom",
    "sha256:ab",
    "x" * 130,
    "https://x.org/a?b=c#d",
    "a\nb",
    "a\x85b",
    # plain-looking text, written without PyYAML's analysis (yamltext._PLAIN)
    "a - b",
    "x=1",
    "(a)",
    "v1.0 (beta)",
    "a @b",
    "_x",
    "0x1f",
    "1e3",
    "a/b.c",
    "1.0",
    "2024-01-01",
    "yes",
    "Null",
    "a  b",
    "---x",
    "...",
    # plain outside flow collections only (yamltext._BLOCK_PLAIN)
    "a: b",
    "a:",
    "a:b",
    "https://x.org/a?b=c",
    "a #b",
    "a#b",
    "it's",
    "a,b;c",
    "x [y] {z}",
    "1,000",
    "a |b >c",
    'say "x"',
]
SCALARS = [
    *TRICKY,
    1,
    -3,
    0,
    1.5,
    1e-5,
    1e20,
    -0.0,
    float("inf"),
    float("nan"),
    True,
    False,
    None,
    dt.date(2024, 1, 2),
    10**30,
]


def test_tricky_scalars_are_written_as_pyyaml_writes_them() -> None:
    for value in SCALARS:
        assert scalar_text(value) == pyyaml_flow(value), value
        assert _flow([value]) == pyyaml_flow([value]), value
        if value == value:  # NaN is never equal to itself
            assert yaml.safe_load(_flow([value])) == [value], value
        if isinstance(value, str):
            assert _flow({value: value, "k": [value, 1]}) == pyyaml_flow(
                {value: value, "k": [value, 1]}
            )


scalars = st.one_of(
    st.text(max_size=12),
    st.text("aZ19_./@+()= -:#,?'&*!|>%`[]{}\t\";$~", max_size=8),  # plain-looking, or nearly
    st.sampled_from(TRICKY),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(values)
def test_flow_text_equals_pyyaml(value: Any) -> None:
    assert _flow(value) == pyyaml_flow(value)


json_values = st.recursive(
    st.one_of(st.text(max_size=10), st.integers(), st.floats(), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_indented_json_equals_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def test_json_with_keys_json_dumps_converts_falls_back_to_it() -> None:
    value = {1: [(1, 2)], 2.5: None}
    assert dumps_indented(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
