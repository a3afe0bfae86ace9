"""Safe YAML loading that keeps where every key and value came from.

PyYAML's C parser composes the node tree (each node carries its line and column);
we then build plain Python values from it ourselves, in one pass that also refuses
duplicate keys, object-constructing tags, runaway nesting and alias expansion.
The node tree is kept so that any later problem can be located lazily.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .codes import problem
from .problems import Problem

MAX_FILE_BYTES = 1_048_576
MAX_DEPTH = 50
MAX_NODES = 200_000
# libyaml's composer recurses in C and crashes the interpreter somewhere past 20,000 levels;
# below this many possible levels it is safe to hand it the text without a pre-scan.
_SAFE_COMPOSE_DEPTH = 5_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}": SafeConstructor.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float", "timestamp")
}

Loc = Sequence[str | int]


class LoadError(Exception):
    def __init__(self, code: str, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.code, self.line, self.column, self.message = code, line, column, message


def _at(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(frozen=True)
class SourceDocument:
    """A parsed YAML file: its data and the node tree that says where each part came from."""

    path: Path
    data: Any
    root: Node | None

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `loc` (or of its key, with `key=True`).

        A path that stops early (a missing field) points at the deepest part that exists,
        which is where the user has to add what is missing.
        """
        node = self.root
        if node is None:
            return 1, 1
        anchor: Node = node
        for index, part in enumerate(loc):
            last = index == len(loc) - 1
            child: Node | None = None
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                        if last and key:
                            return _at(key_node)
                        anchor, child = key_node, value_node
                        break
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    child = anchor = node.value[part]
            if child is None:
                return _at(anchor)
            node = child
        return _at(node)


    def raw_text(self, loc: Loc) -> str | None:
        """The scalar at `loc` exactly as written in the file, if there is one."""
        node = self.root
        for part in loc:
            if isinstance(node, MappingNode):
                node = next((v for k, v in node.value if k.value == str(part)), None)
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node.value if isinstance(node, ScalarNode) else None


class _Builder:
    """Turns a composed node tree into plain values, enforcing the safety limits."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.count = 0

    def build(self, node: Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, column = _at(node)
            raise LoadError(
                "MC012", line, column,
                f"the document expands to more than {MAX_NODES:,} values (through aliases "
                "or sheer size); cards should be small and written out plainly",
            )
        if depth > MAX_DEPTH:
            line, column = _at(node)
            raise LoadError(
                "MC011", line, column,
                f"nesting deeper than {MAX_DEPTH} levels; cards are a few levels deep at most",
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            self._expect_tag(node, _SEQ)
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, MappingNode):
            self._expect_tag(node, _MAP)
            return self._mapping(node, depth)
        raise LoadError("MC001", *_at(node), "unsupported YAML node")  # pragma: no cover

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        construct = _SCALAR_TAGS.get(node.tag)
        if construct is None:
            self._expect_tag(node, _STR)
        try:
            return construct(self.loader, node)  # type: ignore[misc]
        except (ValueError, yaml.YAMLError) as error:
            raise LoadError("MC004", *_at(node), f"cannot read {node.value!r}: {error}") from None

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.build(key_node, depth + 1)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise LoadError("MC004", *_at(key_node), "a key must be a plain value")
            if key in seen:
                line, _ = _at(seen[key])
                raise LoadError(
                    "MC002", *_at(key_node),
                    f"duplicate key {key!r} (first defined on line {line}); keep one of them",
                )
            seen[key] = key_node
        if len(seen) != len(node.value):
            # Merge keys (<<: *defaults): let PyYAML splice them in, explicit keys winning.
            self.loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            result[self.build(key_node, depth + 1)] = self.build(value_node, depth + 1)
        return result

    @staticmethod
    def _expect_tag(node: Node, tag: str) -> None:
        if node.tag != tag:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadError(
                "MC014", *_at(node),
                f"the tag {shown} is not allowed in a card; write plain YAML values",
            )


def _decode(path: Path, raw: bytes) -> tuple[str | None, Problem | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return None, problem(
            "MC013", path, (line, column),
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
    return text.removeprefix("\ufeff"), None


def read_source(path: Path) -> tuple[SourceDocument | None, Problem | None]:
    """Read and parse one YAML file; on failure return the one problem that stopped it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, problem(
                "MC010", path, (1, 1),
                f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for a card; "
                "move long text to a linked document",
            )
        raw = path.read_bytes()
    except OSError as error:
        return None, problem("MC017", path, (1, 1), f"cannot read the file: {error.strerror}")
    text, decode_problem = _decode(path, raw)
    if text is None:
        return None, decode_problem
    return parse_source(path, text)


def parse_source(path: Path, text: str) -> tuple[SourceDocument | None, Problem | None]:
    """Parse YAML text into a SourceDocument, or the problem that stopped it."""
    deep = _nesting_beyond_limit(text)
    if deep is not None:
        return None, problem(
            "MC011", path, deep,
            f"nesting deeper than {MAX_DEPTH} levels; cards are a few levels deep at most",
        )
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = None if root is None else _Builder(loader).build(root)
    except LoadError as error:
        return None, problem(error.code, path, (error.line, error.column), error.message)
    except yaml.MarkedYAMLError as error:
        return None, _syntax_problem(path, error)
    except yaml.YAMLError as error:
        return None, problem("MC001", path, (1, 1), f"invalid YAML: {error}")
    except RecursionError:
        return None, problem(
            "MC011", path, (1, 1), f"nesting deeper than {MAX_DEPTH} levels; flatten the card"
        )
    finally:
        loader.dispose()
    return SourceDocument(path, data, root), None


def _possible_depth(text: str) -> int:
    """A cheap upper bound of the nesting depth: flow brackets plus the longest line.

    Block nesting needs a wider indent or another indicator on the line for each level,
    so it cannot exceed a line's length; flow nesting needs a bracket for each level.
    """
    if len(text) <= _SAFE_COMPOSE_DEPTH:
        return len(text)
    longest = max(map(len, text.splitlines()), default=0)
    return text.count("[") + text.count("{") + longest


def _nesting_beyond_limit(text: str) -> tuple[int, int] | None:
    """Where nesting passes MAX_DEPTH, for texts that could crash the C composer."""
    if _possible_depth(text) <= _SAFE_COMPOSE_DEPTH:
        return None
    loader = _Loader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.YAMLError:
        return None  # the real parse reports the syntax error with its position
    finally:
        loader.dispose()
    return None


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = " ".join(part for part in (error.context, error.problem) if part)
    if "maximum nesting" in what or "depth" in what:
        return problem("MC011", path, position, f"{what}; cards are a few levels deep at most")
    return problem("MC001", path, position, f"YAML syntax error: {what}")
