"""Placeholders left in a card (MC054, MC055): what `modelcards new` marks `# TODO`.

A scaffold leaves what must be new empty and marks it with a `# TODO` comment. A mark on a
value still empty (null, an empty list or mapping) is an error: the list of errors is the list
of what is left to do. A mark left on a value that was filled in is a warning, so
`validate --strict` fails until every mark is gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..codes import problem
from ..parse import NULL_TEXT, format_loc
from ..problems import Problem
from ..source import SourceDocument
from .context import RuleContext, nothing

# The problem codes this module owns (tests/unit/test_rule_owners.py: one owner per code).
CODES = frozenset({"MC054", "MC055"})

# A comment (a "#" at the start of a line or after a space) starting with TODO.
MARK = re.compile(r"(?:^|\s)#\s*TODO\b:?\s*(.*)$")
NULL_TAG = "tag:yaml.org,2002:null"


def check(context: RuleContext) -> Iterator[Problem]:
    return context.run(whole, per_version, per_model)


per_version = per_model = nothing


def whole(context: RuleContext) -> Iterator[Problem]:
    marked = [(path, s) for path, s in context.catalog.sources.items() if "TODO" in s.text]
    for path, source in sorted(marked, key=lambda item: item[0]):
        yield from _marks(path, source)


def _marks(path: Path, source: SourceDocument) -> Iterator[Problem]:
    lines = source.text.splitlines()
    marked = {
        number: match
        for number, line in enumerate(lines)
        if (match := MARK.search(line)) is not None
    }
    if not marked:
        return
    root = source.root
    if root is None:
        return  # a file that does not parse is reported on its own
    found = _on_lines(root, (), set(marked))
    for number, match in sorted(marked.items()):
        if number not in found:
            continue  # a TODO inside a quoted text, or on a line of its own: not a mark
        loc, node, position = found[number]
        if _inside_text(node, number, match.start()):
            continue
        what = match.group(1).strip()
        said = f" (TODO: {what})" if what else ""
        empty = _unfilled(node, ())
        if empty is not None:
            yield problem(
                "MC054",
                path,
                position,
                f"{_name((*loc, *empty))} is still to be filled in{said}; fill it in and remove "
                "the `# TODO` mark",
            )
        else:
            yield problem(
                "MC055",
                path,
                position,
                f"a `# TODO` mark is left on {_name(loc)}{said}; check it and remove the mark",
            )


Loc = tuple[str | int, ...]


def _on_lines(
    node: Node, loc: Loc, lines: set[int]
) -> dict[int, tuple[Loc, Node, tuple[int, int]]]:
    """For each marked line, the outermost value that starts on it (its path and position)."""
    found: dict[int, tuple[Loc, Node, tuple[int, int]]] = {}
    if isinstance(node, MappingNode):
        for key, value in node.value:
            line = key.start_mark.line
            place = (*loc, str(key.value) if isinstance(key, ScalarNode) else "?")
            if line in lines and line not in found:
                found[line] = (place, value, (line + 1, key.start_mark.column + 1))
            found = {**_on_lines(value, place, lines), **found}
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            line = item.start_mark.line
            place = (*loc, index)
            if line in lines and line not in found:
                found[line] = (place, item, (line + 1, item.start_mark.column + 1))
            found = {**_on_lines(item, place, lines), **found}
    return found


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _nodes(key)
            yield from _nodes(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _nodes(item)


def _unfilled(node: Node, loc: Loc) -> Loc | None:
    """Where a value, or one inside it, is still empty (null, "", [] or {}), relative to it;
    None when it is filled in."""
    if isinstance(node, ScalarNode):
        empty = node.tag == NULL_TAG or (node.value == "" and node.style is None)
        return loc if empty else None
    if not node.value:
        return loc
    if isinstance(node, MappingNode):
        for key, value in node.value:
            found = _unfilled(value, (*loc, str(key.value)))
            if found is not None:
                return found
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            found = _unfilled(item, (*loc, index))
            if found is not None:
                return found
    return None


# How the card's own check says that a required value is still null (MC004).
STILL_NULL = f"got {NULL_TEXT}"


def without_repeats(problems: list[Problem]) -> list[Problem]:
    """One problem per marked line. A required field still null is said by the placeholder
    (MC054), which carries the scaffold's hint ("TODO: e.g. tabular-classification"), rather
    than by the card's own check, which says only that text was expected; any other error
    on the line says more than "still to be filled in", so the placeholder is left out."""
    marked = {(p.file, p.line) for p in problems if p.code == "MC054"}
    kept = [p for p in problems if not _repeats_a_placeholder(p, marked)]
    taken = {(p.file, p.line) for p in kept if p.is_error and p.code != "MC054"}
    return [p for p in kept if p.code != "MC054" or (p.file, p.line) not in taken]


def _repeats_a_placeholder(problem: Problem, marked: set[tuple[Path, int]]) -> bool:
    return (
        problem.code == "MC004"
        and problem.message.endswith(STILL_NULL)
        and (problem.file, problem.line) in marked
    )


def _inside_text(node: Node, line: int, column: int) -> bool:
    """Whether the "#" at `column` of `line` is inside a text value rather than a comment."""
    return any(
        isinstance(inner, ScalarNode)
        and inner.start_mark.line == line == inner.end_mark.line
        and inner.start_mark.column <= column < inner.end_mark.column
        for inner in _nodes(node)
    )


def _name(loc: Loc) -> str:
    return format_loc(loc) or "the card"
