"""Safe YAML loading that keeps where every key and value came from.

PyYAML's C parser composes the node tree (each node carries its line and column);
we then build plain Python values from it ourselves, in one pass that also refuses
duplicate keys, object-constructing tags, runaway nesting and alias expansion.
Positions of problems are found later, by composing the file again (see SourceDocument).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .codes import problem
from .problems import Problem

# The problem codes this module owns: reading a file safely (size, encoding, YAML syntax and
# its limits).
CODES = frozenset({"MC001", "MC002", "MC010", "MC011", "MC012", "MC013", "MC014", "MC017"})

MAX_FILE_BYTES = 1_048_576
MAX_DEPTH = 50
MAX_NODES = 200_000
# libyaml's composer recurses in C and crashes the interpreter somewhere past 20,000 levels;
# below this many possible levels it is safe to hand it the text without a pre-scan.
_SAFE_COMPOSE_DEPTH = 5_000

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS: dict[str, str] = {}  # plain scalar text -> resolved tag, for short texts


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, with tag resolution of plain scalars memoised.

    The C composer asks Python to resolve the tag of every scalar, and a catalog repeats the
    same keys and short values thousands of times; a plain scalar's tag depends on its text
    alone, so the regular-expression matching is done once per distinct text.
    """

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))
                if len(value) <= 64 and len(_PLAIN_TAGS) < 100_000:
                    _PLAIN_TAGS[value] = tag
            return tag
        return str(super().resolve(kind, value, implicit))

    def descend_resolver(self, current_node: Node | None, current_index: object) -> None:
        pass  # no path resolvers are registered on this loader

    def ascend_resolver(self) -> None:
        pass


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
    """A parsed YAML file: its data, and its text to say where each part came from.

    Node trees are not kept: ten thousand of them cost more memory and garbage-collector time
    than parsing itself. When positions are wanted the file is composed again, once for all
    the questions asked of one `Locator` (a validation asks them in one batch per file).
    """

    path: Path
    data: Any
    text: str = field(repr=False)

    @property
    def root(self) -> Node | None:
        """The file's node tree, composed anew on each access: keep it while it is needed."""
        loader = _Loader(self.text)
        try:
            node: Node | None = loader.get_single_node()
            return node
        finally:
            loader.dispose()

    def locator(self) -> Locator:
        """Where things are in this file, for as many questions as there are."""
        return Locator(self)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `loc` (or of its key, with `key=True`); one question
        (for several, ask a `locator()`)."""
        return self.locator().position(loc, key=key)

    def raw_text(self, loc: Loc) -> str | None:
        """The scalar at `loc` exactly as written in the file, if there is one."""
        return self.locator().raw_text(loc)


class Locator:
    """Positions in one document, from its node tree: composed at the first question, and
    dropped with the locator."""

    def __init__(self, document: SourceDocument) -> None:
        self.document = document

    @cached_property
    def root(self) -> Node | None:
        return self.document.root

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
                    if isinstance(key_node, ScalarNode) and _names(key_node, part):
                        if last and key:
                            return _at(key_node)
                        anchor, child = key_node, value_node
                        break
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
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
                node = next((v for k, v in node.value if _names(k, part)), None)
            elif (
                isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value)
            ):
                node = node.value[part]
            else:
                return None
        return node.value if isinstance(node, ScalarNode) else None


def _identity(key_node: Node) -> object:
    """What makes two keys of a mapping the same key, before they are built."""
    return (key_node.tag, key_node.value) if isinstance(key_node, ScalarNode) else id(key_node)


def _names(key_node: Node, part: str | int) -> bool:
    """Whether a key node is the key a location names (pydantic writes a null key as 'None')."""
    if key_node.value == str(part):
        return True
    return part == "None" and key_node.tag == "tag:yaml.org,2002:null"


class _Builder:
    """Turns a composed node tree into plain values, enforcing the safety limits.

    This replaces PyYAML's constructor (and costs no more): it is the hot path of validation.
    """

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.count = 0

    def _charge(self, values: int, node: Node) -> None:
        """Count values against MAX_NODES, refusing the document once it has too many."""
        self.count += values
        if self.count > MAX_NODES:
            raise LoadError(
                "MC012",
                *_at(node),
                f"the document expands to more than {MAX_NODES:,} values (through aliases, "
                "merge keys or sheer size); cards should be small and written out plainly",
            )

    def build(self, node: Node, depth: int = 0) -> Any:
        self._charge(1, node)
        if isinstance(node, ScalarNode):
            return node.value if node.tag == _STR else self._scalar(node)
        if depth >= MAX_DEPTH:
            raise LoadError(
                "MC011",
                *_at(node),
                f"nesting deeper than {MAX_DEPTH} levels; cards are a few levels deep at most",
            )
        if isinstance(node, SequenceNode):
            self._expect_tag(node, _SEQ)
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, MappingNode):
            self._expect_tag(node, _MAP)
            return self._mapping(node, depth + 1)
        raise LoadError("MC001", *_at(node), "unsupported YAML node")  # pragma: no cover

    def _scalar(self, node: ScalarNode) -> Any:
        construct = _SCALAR_TAGS.get(node.tag)
        if construct is None:
            self._expect_tag(node, _STR)
        try:
            return construct(self.loader, node)  # type: ignore[misc]
        except (ValueError, yaml.YAMLError) as error:
            raise LoadError("MC004", *_at(node), f"cannot read {node.value!r}: {error}") from None

    def _key(self, key_node: Node, depth: int) -> Any:
        if key_node.tag == _STR:
            return key_node.value
        key = self.build(key_node, depth)
        if isinstance(key, (dict, list)):
            raise LoadError("MC004", *_at(key_node), "a key must be a plain value")
        return key

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        merged = False
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged = True
                continue
            key = self._key(key_node, depth)
            if key in lines:
                raise LoadError(
                    "MC002",
                    *_at(key_node),
                    f"duplicate key {key!r} (first defined on line {lines[key]}); keep one of them",
                )
            lines[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, depth)
        if merged:
            pairs = self._merged_pairs(node, depth)
            result = {self._key(k, depth): self.build(v, depth) for k, v in pairs.values()}
        return result

    def _merged_pairs(self, node: MappingNode, depth: int) -> dict[object, tuple[Node, Node]]:
        """A mapping's pairs with its merge keys (<<: *defaults) spliced in, one per key:
        explicit keys win over merged ones, and an earlier mapping of a merge list over a later
        one (as the merge-key spec says); merged keys come first, in the order they are met.

        Done here rather than by PyYAML's flatten_mapping, which before PyYAML 6.0.4 copies
        the pairs of a mapping named twice in one merge list twice, at every level: an 863-byte
        card nesting 30 such lists asks for 2**30 pairs before any value is counted. Here every
        mapping merged and every pair taken counts against MAX_NODES as it is taken, so the
        work is bounded whatever the PyYAML version (even for merges of empty mappings).
        """
        if depth >= MAX_DEPTH:
            raise LoadError(
                "MC011",
                *_at(node),
                f"merge keys nested deeper than {MAX_DEPTH} levels; cards are a few levels deep "
                "at most",
            )
        merged: dict[object, tuple[Node, Node]] = {}
        own: dict[object, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own[_identity(key_node)] = (key_node, value_node)
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode) or source.tag != _MAP:
                    raise LoadError(
                        "MC004",
                        *_at(source),
                        "a merge key (<<) takes a mapping or a list of mappings",
                    )
                pairs = self._merged_pairs(source, depth + 1)
                self._charge(1 + len(pairs), source)
                for identity, pair in pairs.items():
                    merged.setdefault(identity, pair)
        merged.update(own)
        return merged

    @staticmethod
    def _expect_tag(node: Node, tag: str) -> None:
        if node.tag != tag:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadError(
                "MC014",
                *_at(node),
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
            "MC013",
            path,
            (line, column),
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
    return text.removeprefix("\ufeff"), None


def read_source(path: Path) -> tuple[SourceDocument | None, Problem | None]:
    """Read and parse one YAML file; on failure return the one problem that stopped it."""
    raw, failure = read_card_bytes(path)
    if raw is None:
        return None, failure
    return parse_bytes(path, raw)


def parse_bytes(path: Path, raw: bytes) -> tuple[SourceDocument | None, Problem | None]:
    """Decode and parse the bytes of one YAML file, or the problem that stopped it."""
    text, decode_problem = _decode(path, raw)
    if text is None:
        return None, decode_problem
    return parse_source(path, text)


class FileRefused(Exception):
    """A file that is not read: not a regular file, a link where none may be, or too large.

    `reason` completes a sentence that starts with the file's name ("is a named pipe (FIFO)").
    """

    def __init__(self, reason: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size  # set when the file is refused for its size alone


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def open_regular_file(
    path: str | Path, *, follow_symlinks: bool = True
) -> tuple[int, os.stat_result]:
    """A file descriptor open for reading, once `fstat` says it is a regular file (the caller
    closes it). Opened without blocking: a FIFO would wait forever for a writer. Raises
    FileRefused, or OSError when it cannot be opened."""
    try:
        handle = os.open(path, _READ_FLAGS | (0 if follow_symlinks else _NO_FOLLOW))
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:
            raise FileRefused("is a symbolic link") from None
        raise
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            kind = next((name for test, name in _KINDS if test(found.st_mode)), "special")
            raise FileRefused(f"is not a regular file but {kind}")
    except BaseException:
        os.close(handle)
        raise
    return handle, found


def read_regular_file(
    path: str | Path, limit: int, *, follow_symlinks: bool = True, inside: Path | None = None
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked before it is read.

    Every file modelcards reads goes through here: a card, catalog.yaml, the base's files,
    the caches, a theme, an imported README. The file is opened without blocking (a FIFO
    would wait forever for a writer) and, with follow_symlinks=False, without following a
    link; `fstat` on the open file says what it is, so what was checked is what is read; and
    at most limit + 1 bytes are read, whatever its size claimed (a file that grows, a /proc
    file that says it is empty). With `inside`, the file (links resolved) must be inside that
    folder. Raises FileRefused, or OSError when it cannot be opened.
    """
    if inside is not None:
        real = os.path.realpath(path)
        if not Path(real).is_relative_to(os.path.realpath(inside)):
            raise FileRefused(f"leads outside {inside} (it is a link to {real})")
        path = real
    handle, found = open_regular_file(path, follow_symlinks=follow_symlinks)
    try:
        if found.st_size > limit:
            raise FileRefused(_over(found.st_size, limit), found.st_size)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0 and (chunk := os.read(handle, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(handle)
    if len(data) > limit:
        raise FileRefused(_over(len(data), limit, grew=True), len(data))
    return data


def _over(size: int, limit: int, *, grew: bool = False) -> str:
    amount = f"more than {limit:,} bytes" if grew else f"{size:,} bytes"
    return f"is {amount}, over the {limit:,}-byte limit"


def read_card_bytes(path: Path) -> tuple[bytes | None, Problem | None]:
    """A card file's bytes, refusing what is not a regular file or is over the size limit
    before reading it."""
    try:
        return read_regular_file(path, MAX_FILE_BYTES), None
    except FileRefused as refusal:
        if refusal.size is not None:
            return None, problem(
                "MC010",
                path,
                (1, 1),
                f"file {refusal.reason} for a card; move long text to a linked document",
            )
        return None, problem(
            "MC017", path, (1, 1), f"{path.name!r} {refusal.reason}; a card is a YAML file"
        )
    except OSError as error:
        return None, problem("MC017", path, (1, 1), f"cannot read the file: {error.strerror}")


def decode_text(path: Path, raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a card (a byte-order mark dropped), or where it stops being UTF-8."""
    return _decode(path, raw)


def parse_source(path: Path, text: str) -> tuple[SourceDocument | None, Problem | None]:
    """Parse YAML text into a SourceDocument, or the problem that stopped it."""
    deep = _nesting_beyond_limit(text)
    if deep is not None:
        return None, problem(
            "MC011",
            path,
            deep,
            f"nesting deeper than {MAX_DEPTH} levels; cards are a few levels deep at most",
        )
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = None if root is None else _Builder(loader).build(root)
    except LoadError as error:
        return None, problem(error.code, path, (error.line, error.column), error.message)
    except yaml.MarkedYAMLError as error:
        return None, _syntax_problem(path, text, error)
    except yaml.reader.ReaderError as error:
        return None, _reader_problem(path, text, error)
    except yaml.YAMLError as error:
        return None, problem("MC001", path, (1, 1), "invalid YAML: " + " ".join(str(error).split()))
    except RecursionError:
        return None, problem(
            "MC011", path, (1, 1), f"nesting deeper than {MAX_DEPTH} levels; flatten the card"
        )
    finally:
        loader.dispose()
    return SourceDocument(path, data, text), None


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
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark else (1, 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.YAMLError:
        return None  # the real parse reports the syntax error with its position
    finally:
        loader.dispose()
    return None


def _reader_problem(path: Path, text: str, error: yaml.reader.ReaderError) -> Problem:
    before = text[: error.position]
    line = before.count("\n") + 1
    column = error.position - (before.rfind("\n") + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(error.character)
    return problem(
        "MC001",
        path,
        (line, column),
        f"character U+{code:04X} is a control character, which YAML does not allow; remove it",
    )


def _syntax_problem(path: Path, text: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = " ".join(" ".join(part.split()) for part in (error.context, error.problem) if part)
    if "maximum nesting" in what or "depth" in what:
        return problem("MC011", path, position, f"{what}; cards are a few levels deep at most")
    hint = next((advice for clue, advice in _SYNTAX_ADVICE if clue in what), "")
    lines = text.splitlines()
    if mark and mark.line < len(lines) and "\t" in lines[mark.line] and not hint:
        hint = "; indent with spaces: YAML does not allow tabs for indentation"
    return problem("MC001", path, position, f"YAML syntax error: {what}{hint}")


# What PyYAML's most common complaints usually mean, in the words of someone editing a card.
_SYNTAX_ADVICE = (
    (
        "mapping values are not allowed",
        "; text containing ': ' needs quotes, or this line is "
        "indented differently from its neighbours",
    ),
    ("could not find expected ':'", "; each line of a mapping is `key: value`"),
    ("did not find expected key", "; check this line's indentation against the line above"),
    (
        "did not find expected ',' or ']'",
        "; a [list] opened earlier is not closed, or an item needs quotes",
    ),
    (
        "did not find expected ',' or '}'",
        "; a {mapping} opened earlier is not closed, or a value needs quotes",
    ),
    ("found undefined alias", "; define the anchor (&name) before using it (*name)"),
    ("expected <block end>", "; check the indentation of this line"),
)
