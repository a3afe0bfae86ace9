"""Positions of many places in one file, found in one pass over the C parser's events.

Composing a file's node tree calls back into Python for every node (to build it and to
resolve its tag), and it is composed whole. The parser's events carry the same marks: one
pass over them can skip what nobody asked about and stop at the last answer, which for
problems found by the rules costs about half a composition.

The answers are exactly those of `SourceDocument.position` (tests/unit/test_positions.py compares
the two on generated documents): the first key that names a part, and for a location that
stops early the deepest part that exists. A pass that would have to look through an alias,
back at a node it has passed, gives up, and the file is composed instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from .source import Loc, SourceDocument, _Loader

Request = tuple[Loc, bool]  # a location, and whether the position of its key is wanted
Position = tuple[int, int]
Part = tuple[type, str | int]  # a part of a location, with its type: True, 1 and "1" differ

_NULL = "tag:yaml.org,2002:null"
_RESOLVER = yaml.resolver.Resolver()  # the tag resolution the composer applies


def positions(document: SourceDocument, requests: Sequence[Request]) -> list[Position]:
    """Line and column of each requested place, as `document.position(loc, key=key)` says."""
    if not requests:
        return []
    loader = _Loader(document.text)
    try:
        found = _Pass(loader.get_event, requests).run()
    finally:
        loader.dispose()
    if found is not None:
        return found
    locator = document.locator()
    return [locator.position(loc, key=key) for loc, key in requests]


class _Asked:
    """What is asked of one node of the document and of the nodes below it: the requests
    whose location ends there, and those below, by the part of their location that leads
    there."""

    __slots__ = ("below", "here", "keyed")

    def __init__(self) -> None:
        self.here: list[int] = []  # requests for this node's position
        self.keyed: list[int] = []  # requests for the position of the key that leads here
        self.below: dict[Part, _Asked] = {}

    def add(self, index: int, loc: Loc, key: bool) -> None:
        asked = self
        for part in loc:
            asked = asked.below.setdefault((type(part), part), _Asked())
        (asked.keyed if key and loc else asked.here).append(index)

    def merged(self, other: _Asked) -> _Asked:
        """Both askings as one, for one node that two parts name ("1" and 1 name key "1")."""
        both = _Asked()
        both.here, both.keyed = self.here + other.here, self.keyed + other.keyed
        both.below = dict(self.below)
        for part, asked in other.below.items():
            mine = both.below.get(part)
            both.below[part] = asked if mine is None else mine.merged(asked)
        return both


class _GiveUp(Exception):
    """The pass would have to look through an alias."""


class _Done(Exception):
    """Every request has its answer."""


def _mark(event: Event) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _is_null(key: ScalarEvent) -> bool:
    """Whether a key is null, resolved as the composer resolves it (pydantic names the null
    key 'None', and source._names takes that name for it)."""
    tag = key.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(ScalarNode, key.value, key.implicit)  # type: ignore[no-untyped-call]
    return bool(tag == _NULL)


class _Pass:
    def __init__(self, next_event: Callable[[], Event], requests: Sequence[Request]) -> None:
        self.next = next_event
        self.asked = _Asked()
        for index, (loc, key) in enumerate(requests):
            self.asked.add(index, tuple(loc), key)
        self.found: list[Position] = [(0, 0)] * len(requests)
        self.left = len(requests)

    def run(self) -> list[Position] | None:
        """The answers, or None when the pass gave up."""
        try:
            self.next()  # the stream's start
            if isinstance(self.next(), StreamEndEvent):  # no document: no node to point at
                self.answer(self.everything(self.asked), (1, 1))
            root = self.next()
            self.visit(root, self.asked, _mark(root))
        except _Done:
            return self.found
        except _GiveUp:
            return None
        raise AssertionError("every request is answered where its location ends")

    def answer(self, requests: list[int], position: Position) -> None:
        for index in requests:
            self.found[index] = position
        self.left -= len(requests)
        if self.left == 0:
            raise _Done

    def everything(self, asked: _Asked) -> list[int]:
        """Every request at or below `asked`."""
        found = asked.here + asked.keyed
        for below in asked.below.values():
            found += self.everything(below)
        return found

    def visit(self, event: Event, asked: _Asked, anchor: Position) -> None:
        """Read the node that starts with `event` to its end, answering what is asked of it
        and below it; `anchor` answers the parts it does not have (the key or item that
        leads to it, or the root)."""
        if not asked.here and not asked.below:
            self.skip(event)
            return
        if isinstance(event, AliasEvent):
            raise _GiveUp
        self.answer(asked.here, _mark(event))
        if not asked.below:
            self.skip(event)
        elif isinstance(event, MappingStartEvent):
            self.mapping(asked.below, anchor)
        elif isinstance(event, SequenceStartEvent):
            self.sequence(asked.below, anchor)
        else:  # a scalar has no parts
            self.answer(
                [i for below in asked.below.values() for i in self.everything(below)], anchor
            )

    def mapping(self, below: dict[Part, _Asked], anchor: Position) -> None:
        waiting: dict[str, list[Part]] = {}  # the parts not found yet, by the key text naming them
        for part in below:
            waiting.setdefault(str(part[1]), []).append(part)
        while not isinstance(key := self.next(), MappingEndEvent):
            named: list[Part] = []
            if waiting:
                if isinstance(key, AliasEvent):
                    raise _GiveUp  # it may be a key that names a part
                if isinstance(key, ScalarEvent):
                    named = waiting.pop(key.value, [])
                    if "None" in waiting and _is_null(key):
                        named += waiting.pop("None")
            self.skip(key)
            value = self.next()
            if not named:
                self.skip(value)
                continue
            asked = below[named[0]]
            for part in named[1:]:
                asked = asked.merged(below[part])
            self.answer(asked.keyed, _mark(key))
            self.visit(value, asked, _mark(key))
        self.answer(
            [
                i
                for parts in waiting.values()
                for part in parts
                for i in self.everything(below[part])
            ],
            anchor,
        )

    def sequence(self, below: dict[Part, _Asked], anchor: Position) -> None:
        by_index: dict[int, _Asked] = {}
        missing: list[int] = []
        for (_, part), asked in below.items():
            if isinstance(part, int) and part >= 0:
                index = int(part)
                by_index[index] = by_index[index].merged(asked) if index in by_index else asked
            else:
                missing += self.everything(asked)
        self.answer(missing, anchor)
        index = 0
        while not isinstance(item := self.next(), SequenceEndEvent):
            wanted = by_index.pop(index) if index in by_index else None
            index += 1
            if wanted is None:
                self.skip(item)
                continue
            if isinstance(item, AliasEvent):
                raise _GiveUp  # its position is the aliased node's
            self.answer(wanted.keyed, _mark(item))  # an item has no key: the item itself
            self.visit(item, wanted, _mark(item))
        self.answer([i for asked in by_index.values() for i in self.everything(asked)], anchor)

    def skip(self, event: Event) -> None:
        """Read to the end of the node that starts with `event`."""
        if not isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            return
        depth = 1
        while depth:
            kind = type(self.next())
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
