"""YAML text that reads like a hand-written card.

Short mappings and lists of plain values go on one line in flow style
(`- {stage: production, date: 2026-01-20, by: bob}`), long ones in block style,
and text with line breaks as a literal block (`description: |`). PyYAML quotes each
scalar, so whatever is written here reads back as the same value; the text is PyYAML's
(the same bytes as yaml.safe_dump), written without running its emitter per value.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import yaml
from pydantic import BaseModel

MAX_LINE = 120
_WIDE = 1_000_000  # never let PyYAML fold a line: a card's lines are as long as their content


# Types `plain` returns as they are (checked by type first: isinstance against BaseModel and
# Mapping, both ABCs, is most of the walk's cost).
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})


def plain(value: Any) -> Any:
    """Plain Python values (dict, list, str, numbers, dates) from cards, enums and the like."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python", exclude_defaults=True))
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def card_data(card: BaseModel) -> dict[str, Any]:
    """A card as the plain mapping a user would write: fields left at their default omitted."""
    data = plain(card)
    assert isinstance(data, dict)
    return data


def _is_mapping(value: Any) -> bool:
    # A card's data is plain dicts: `type` first spares the Mapping ABC's slow check.
    return type(value) is dict or isinstance(value, Mapping)


def _is_scalar(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is float or kind is int:
        return True
    return not (kind is dict or isinstance(value, (Mapping, list, tuple)))


def _is_multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value


def _holds_nel(value: Any) -> bool:
    if isinstance(value, str):
        return "\x85" in value
    if isinstance(value, Mapping):
        return any(_holds_nel(k) or _holds_nel(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_nel(v) for v in value)
    return False


def _pyyaml_flow(value: Any) -> str:
    # PyYAML writes a NEL (\x85) raw inside quotes, where it reads back as a line break: text
    # holding one is written with escapes instead.
    text = yaml.safe_dump(
        value,
        default_flow_style=True,
        allow_unicode=not _holds_nel(value),
        sort_keys=False,
        width=_WIDE,
    )
    return text.removesuffix("\n...\n").strip()


@functools.lru_cache(maxsize=65_536, typed=True)
def _pyyaml_scalar(value: Any, in_flow: bool) -> str:
    """PyYAML's own text for one scalar, at the top level or as an item of a flow list."""
    if not in_flow:
        return _pyyaml_flow(value)
    return _pyyaml_flow([value])[1:-1]


# PyYAML's emitter decides the style of a string; asking its analysis directly (and writing
# the text here) gives the same bytes as yaml.safe_dump at a fraction of the cost.
_EMITTER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_RESOLVER = yaml.resolver.Resolver()


def _resolved_tag(text: str) -> str:
    """The tag YAML gives `text` written plain (str unless it reads as a number, date, ...)."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag


_STR_TAG = "tag:yaml.org,2002:str"
# Text that PyYAML's analysis allows plain in flow and block context alike: no indicator
# first, none of `:,?[]{}#` after, printable ASCII, no space at either end. (Most of a card's
# values: ids, digests, names.)
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@+()= -]*(?<! )")
# Text PyYAML's analysis allows plain outside flow collections (a value after `key: `, most
# summaries and addresses): printable ASCII after a letter, digit or `_`, with no `: ` or
# `:` at the end (a mapping), no ` #` (a comment) and no space at the end.
_BLOCK_PLAIN = re.compile(r"[A-Za-z0-9_](?:[!-9;-~]|:(?=[!-~])| (?=[!-\"$-~]))*")
_BREAKS = frozenset("\n\x85\u2028\u2029")


class _NeedsPyYAML(Exception):
    """A part whose text depends on where it sits (its line breaks are indented to match):
    the whole value is left to PyYAML."""


@functools.lru_cache(maxsize=65_536)
def _string_text(value: str, in_flow: bool) -> str:
    if not _BREAKS.isdisjoint(value):
        if in_flow:
            raise _NeedsPyYAML
        return _pyyaml_scalar(value, in_flow)  # multi-line: rare, let PyYAML decide
    if not value:
        return _pyyaml_scalar(value, in_flow)
    implicit = _resolved_tag(value) == _STR_TAG
    if _PLAIN.fullmatch(value) or (not in_flow and _BLOCK_PLAIN.fullmatch(value)):
        # the analysis's answer for these is known: plain (and single quotes when needed)
        return value if implicit else "'" + value.replace("'", "''") + "'"
    analysis = _EMITTER.analyze_scalar(value)
    plain = analysis.allow_flow_plain if in_flow else analysis.allow_block_plain
    if implicit and plain:
        return value
    if analysis.allow_single_quoted:
        return "'" + value.replace("'", "''") + "'"
    return _pyyaml_scalar(value, in_flow)  # double quoted, with escapes


def _float_text(value: float) -> str:
    """SafeRepresenter.represent_float."""
    if value != value:
        return ".nan"
    if value in (math.inf, -math.inf):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _value_text(value: Any, in_flow: bool) -> str:
    """One scalar as PyYAML writes it (`in_flow`: as an item of a flow collection)."""
    if isinstance(value, str):
        return _string_text(value, in_flow)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        text = _float_text(value)
        if _resolved_tag(text) == "tag:yaml.org,2002:float":
            return text
    return _pyyaml_scalar(value, in_flow)


_SIMPLE_KEY_LENGTH = 100  # PyYAML writes keys of 123+ characters as `? key`


def _simple_key(key: object) -> bool:
    return isinstance(key, str) and 0 < len(key) < _SIMPLE_KEY_LENGTH and _BREAKS.isdisjoint(key)


def _flow(value: Any) -> str:
    """A value in flow style on one line, exactly as yaml.safe_dump(default_flow_style=True)."""
    try:
        return _flow_text(value, False)
    except _NeedsPyYAML:
        return _pyyaml_flow(value)


def _flow_text(value: Any, in_flow: bool) -> str:
    if type(value) is str:
        return _string_text(value, in_flow)
    if _is_mapping(value):
        if not all(_simple_key(k) for k in value):
            raise _NeedsPyYAML
        items = (f"{_value_text(k, True)}: {_flow_text(v, True)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow_text(v, True) for v in value) + "]"
    return _value_text(value, in_flow)


def scalar_text(value: Any) -> str:
    """One scalar as YAML, quoted only where YAML needs it."""
    if type(value) is str:
        return _string_text(value, False)  # what _flow gives a string, without its dispatch
    if isinstance(value, (dt.date, bool, int, float)) or value is None:
        return _flow(value)
    return _flow(str(value))


def flow_scalar(value: Any) -> str:
    """One scalar as YAML writes it inside a flow collection (`{name: X}`, `[X]`), quoted
    where it must be there."""
    return _flow([value])[1:-1]


def _flat(value: Any, *, lists: bool = False) -> bool:
    """Fits flow style: its items are one-line scalars (or, with `lists`, lists of them,
    as in a list item `- {name: auc, ci: [0.89, 0.91]}`)."""
    items = value.values() if _is_mapping(value) else value
    return all(
        (_is_scalar(v) and not _is_multiline(v))
        or (lists and isinstance(v, (list, tuple)) and _flat(v))
        for v in items
    )


# Characters a literal block cannot carry as they are (YAML would read them as other line breaks
# or refuse them); text holding any is written quoted instead.
_NOT_LITERAL = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def _double_quoted(value: str) -> str:
    """PyYAML's double-quoted scalar, which escapes every character YAML could misread."""
    text = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=_WIDE)
    return text.removesuffix("\n...\n").strip()


# Text a literal block may not carry as written (tabs and blank-looking lines can be read as
# indentation): such a block is read back before it is used.
_LITERAL_RISK = re.compile(r"\t|^[ ]*$", re.MULTILINE)


def _reads_back(literal: list[str], value: str) -> bool:
    if value.strip("\n") and not _LITERAL_RISK.search(value.strip("\n")):
        return True
    text = "k: " + "\n".join(literal) + "\n"
    try:
        loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value


def _literal(value: str, indent: str) -> list[str]:
    """A literal block (`|`) that reads back as exactly `value`: an indentation indicator when
    the text starts with a space, `+` to keep more than one final line break."""
    if value.endswith("\n\n"):
        chomp, body = "+", value[:-1]
    elif value.endswith("\n"):
        chomp, body = "", value[:-1]
    else:
        chomp, body = "-", value
    first = next((line for line in body.split("\n") if line.strip(" ")), "")
    hint = "2" if first[:1] == " " else ""
    lines = [f"{indent}  {line}" if line else "" for line in body.split("\n")]
    return [f"|{hint}{chomp}", *lines]


def entry_lines(key: str, value: Any, indent: str) -> list[str]:
    """The lines of one `key: value` entry of a mapping at `indent`, as dump_yaml writes it."""
    return _entry_lines(f"{indent}{scalar_text(key)}:", value, indent)


def _mapping_lines(data: Mapping[str, Any], indent: str) -> list[str]:
    lines: list[str] = []
    for key, value in data.items():
        lines.extend(entry_lines(key, value, indent))
    return lines


def _entry_lines(head: str, value: Any, indent: str) -> list[str]:
    """`head` is `key:` or `-`; the value follows on the same line or on indented lines."""
    if _is_multiline(value):
        literal = None if _NOT_LITERAL.search(value) else _literal(value, indent)
        if literal is None or not _reads_back(literal, value):
            return [f"{head} {_double_quoted(value)}"]
        first, *rest = literal
        return [f"{head} {first}", *rest]
    if _is_scalar(value):
        return [f"{head} {scalar_text(value)}"]
    if not value:
        return [f"{head} {'{}' if _is_mapping(value) else '[]'}"]
    if _flat(value):
        line = f"{head} {_flow(value)}"
        if len(line) <= MAX_LINE:
            return [line]
    if _is_mapping(value):
        return [head, *_mapping_lines(value, indent + "  ")]
    return [head, *_sequence_lines(value, indent + "  ")]


def _sequence_lines(items: Sequence[Any], indent: str) -> list[str]:
    lines: list[str] = []
    for item in items:
        if not (_is_mapping(item) and item):
            lines.extend(_entry_lines(f"{indent}-", item, indent))
            continue
        if _flat(item, lists=True):
            line = f"{indent}- {_flow(item)}"
            if len(line) <= MAX_LINE:
                lines.append(line)
                continue
        block = _mapping_lines(item, indent + "  ")
        lines.append(f"{indent}- {block[0].lstrip()}")
        lines.extend(block[1:])
    return lines


def dump_yaml(data: Mapping[str, Any]) -> str:
    """A mapping as YAML text, one top-level key after another, ending with a newline."""
    return "\n".join(_mapping_lines(data, "")) + "\n"
