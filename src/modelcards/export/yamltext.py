"""YAML text that reads like a hand-written card.

Short mappings and lists of plain values go on one line in flow style
(`- {stage: production, date: 2026-01-20, by: bob}`), long ones in block style,
and text with line breaks as a literal block (`description: |`). PyYAML quotes each
scalar, so whatever is written here reads back as the same value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import yaml
from pydantic import BaseModel

MAX_LINE = 120
_WIDE = 1_000_000  # never let PyYAML fold a line: a card's lines are as long as their content


def plain(value: Any) -> Any:
    """Plain Python values (dict, list, str, numbers, dates) from cards, enums and the like."""
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


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def _is_multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value


def _flow(value: Any) -> str:
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=_WIDE
    )
    return text.removesuffix("\n...\n").strip()


def scalar_text(value: Any) -> str:
    """One scalar as YAML, quoted only where YAML needs it."""
    if isinstance(value, (dt.date, bool, int, float)) or value is None:
        return _flow(value)
    return _flow(str(value))


def _flat(value: Any, *, lists: bool = False) -> bool:
    """Fits flow style: its items are one-line scalars (or, with `lists`, lists of them,
    as in a list item `- {name: auc, ci: [0.89, 0.91]}`)."""
    items = value.values() if isinstance(value, Mapping) else value
    return all(
        (_is_scalar(v) and not _is_multiline(v))
        or (lists and isinstance(v, (list, tuple)) and _flat(v))
        for v in items
    )


def _literal(value: str, indent: str) -> list[str]:
    chomp = "" if value.endswith("\n") else "-"
    body = value.removesuffix("\n") if chomp == "" else value
    lines = [f"{indent}  {line}" if line.strip() else "" for line in body.split("\n")]
    return [f"|{chomp}", *lines]


def _mapping_lines(data: Mapping[str, Any], indent: str) -> list[str]:
    lines: list[str] = []
    for key, value in data.items():
        lines.extend(_entry_lines(f"{indent}{scalar_text(key)}:", value, indent))
    return lines


def _entry_lines(head: str, value: Any, indent: str) -> list[str]:
    """`head` is `key:` or `-`; the value follows on the same line or on indented lines."""
    if _is_multiline(value):
        first, *rest = _literal(value, indent)
        return [f"{head} {first}", *rest]
    if _is_scalar(value):
        return [f"{head} {scalar_text(value)}"]
    if not value:
        return [f"{head} {'{}' if isinstance(value, Mapping) else '[]'}"]
    if _flat(value):
        line = f"{head} {_flow(value)}"
        if len(line) <= MAX_LINE:
            return [line]
    if isinstance(value, Mapping):
        return [head, *_mapping_lines(value, indent + "  ")]
    return [head, *_sequence_lines(value, indent + "  ")]


def _sequence_lines(items: Sequence[Any], indent: str) -> list[str]:
    lines: list[str] = []
    for item in items:
        if isinstance(item, Mapping) and item and not (
            _flat(item, lists=True) and _fits(indent, item)
        ):
            block = _mapping_lines(item, indent + "  ")
            lines.append(f"{indent}- {block[0].lstrip()}")
            lines.extend(block[1:])
        elif isinstance(item, Mapping) and item:
            lines.append(f"{indent}- {_flow(item)}")
        else:
            lines.extend(_entry_lines(f"{indent}-", item, indent))
    return lines


def _fits(indent: str, item: Mapping[str, Any]) -> bool:
    return len(f"{indent}- {_flow(item)}") <= MAX_LINE


def dump_yaml(data: Mapping[str, Any]) -> str:
    """A mapping as YAML text, one top-level key after another, ending with a newline."""
    return "\n".join(_mapping_lines(data, "")) + "\n"
