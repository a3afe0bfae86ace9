"""Editing cards from the command line the way a careful person would.

A lifecycle event is rendered by ruamel.yaml (which quotes what needs quoting) and inserted
after the last event, so every byte already in the file stays: comments, key order, quoting,
layout. Cards derived from another (`new version --from`) go through a ruamel.yaml round
trip, which keeps the comments of what is carried over. Nothing is ever re-dumped with
PyYAML. An edit is checked before anything is written: the edited files are validated with
the rest of the catalog in a temporary copy, and if the result has errors nothing is written
and the errors are returned. An edit of several files (a promotion that archives the version
it replaces) writes all of them or, when a write fails, none.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    ScalarString,
    SingleQuotedScalarString,
)
from yaml.nodes import MappingNode, SequenceNode

from .cards import Stage, split_model_version
from .catalog import Catalog, ModelVersion
from .errors import Refusal, UsageProblem
from .loading import load_catalog
from .problems import Problem, Severity, sort_problems
from .queries import production, stated_share, traffic_share
from .rules.hints import CODES as HINT_CODES
from .rules.hints import hint_problems
from .rules.policy import IF_PUBLISHED
from .rules.references import missing_version_message
from .source import MAX_FILE_BYTES, FileRefused, parse_source, read_regular_file
from .texts import capped
from .validate import ValidationResult, resolve_now, resolve_today, validate_catalog
from .writing import check_inside, write_all_or_nothing
from .yamltext import scalar_text

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Layouts tried in turn: the first that reproduces a file byte for byte is used to edit it.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0))
EVENT_KEYS = (
    "stage",
    "date",
    "time",
    "by",
    "approved_by",
    "traffic",
    "reason",
    "replaced_by",
    "sunset",
    "override",
)


class UsageError(UsageProblem):
    """A malformed argument (exit 2)."""


@dataclass(frozen=True)
class NewEvent:
    """A lifecycle event an edit appends: which version, which stage, on which lines of the
    file's new text (problems found there are about the event, not about the file)."""

    ref: str
    stage: Stage
    lines: range


@dataclass(frozen=True)
class EventProblem:
    """A problem with an event the command was asked to append, said in the command's terms:
    the event is not in the file, so a line number would point nowhere."""

    event: NewEvent
    problem: Problem

    @property
    def line(self) -> str:
        p = self.problem
        return (
            f"{self.event.ref}, the new {self.event.stage.value} event: "
            f"{p.severity.value} {p.code} {for_the_command(p.message)}"
        )


# What a card's problem asks of the event, and what the command line asks instead.
_OPTIONS = (
    ("add `approved_by: [name]` to this event", "pass --approved-by NAME"),
    ("add `override: <justification>` to this event", 'pass --override "<justification>"'),
    ("without `replaced_by`", "without --replaced-by"),
    ("name a replacement,", "pass --replaced-by VERSION,"),
)


def for_the_command(message: str) -> str:
    for card, option in _OPTIONS:
        message = message.replace(card, option)
    return message.partition(IF_PUBLISHED)[0]


class EditError(Refusal):
    """An edit that was refused (exit 1); nothing was written."""

    def __init__(
        self,
        message: str,
        problems: Sequence[Problem] = (),
        about_new: Sequence[EventProblem] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.about_new = list(about_new)  # problems of the events the command would append


@dataclass(frozen=True)
class FileEdit:
    """The new full text of one file, and what the change means to a person."""

    path: Path
    text: str
    description: str
    event: NewEvent | None = None  # the lifecycle event it appends, if that is what it does


# ---- round-trip YAML ----------------------------------------------------------------------


class _Representer(RoundTripRepresenter):
    """Round trip, but a new float is written as PyYAML writes it: `1.0e-05`, not `1e-05`,
    which YAML 1.1 (what validate reads) takes for text. Floats read from the file keep
    their own text."""


def _represent_float(representer: RoundTripRepresenter, value: float) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:float", scalar_text(value))


_Representer.add_representer(float, _represent_float)


def _yaml(indent: tuple[int, int, int] = (2, 4, 2)) -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the author wrote on one line
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def new_yaml() -> YAML:
    """A YAML instance for writing a new card, in the layout of the example cards."""
    return _yaml()


def dump(yaml: YAML, data: Any) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def load_roundtrip(text: str, path: Path) -> tuple[YAML, Any]:
    """Load a card for editing, with the layout that reproduces it exactly."""
    chosen: tuple[YAML, Any] | None = None
    for indent in _INDENTS:
        yaml = _yaml(indent)
        try:
            data = yaml.load(text)
        except YAMLError as error:
            raise EditError(f"{path}: cannot edit a file that is not valid YAML: {error}") from None
        if chosen is None:
            chosen = (yaml, data)
        if dump(yaml, data) == text:
            return yaml, data
    assert chosen is not None
    return chosen  # no layout reproduces it exactly: the first keeps comments and order


def as_text(value: Any) -> Any:
    """A string quoted as PyYAML quotes it where YAML 1.1 (what validate reads) needs quotes,
    so that it reads back as the text given: `yes`, `on`, `1:30`, `0755`, `2026-01-01` are not
    text when plain, and ruamel.yaml, which follows YAML 1.2, would write them plain. Anything
    else (and a string whose style is chosen already) is returned as it is."""
    if not isinstance(value, str) or isinstance(value, ScalarString):
        return value
    text = scalar_text(value)
    if text == value:
        return value
    return (
        DoubleQuotedScalarString(value)
        if text.startswith('"')
        else (SingleQuotedScalarString(value))
    )


def flow_map(pairs: dict[str, Any]) -> CommentedMap:
    result = CommentedMap()
    for key, value in pairs.items():
        result[key] = flow_seq(value) if isinstance(value, list) else value
    result.fa.set_flow_style()
    return result


def flow_seq(items: list[Any]) -> CommentedSeq:
    result = CommentedSeq(items)
    result.fa.set_flow_style()
    return result


def _block_map(pairs: dict[str, Any]) -> CommentedMap:
    result = CommentedMap()
    for key, value in pairs.items():
        result[key] = flow_seq(value) if isinstance(value, list) else value
    return result


# ---- lifecycle events ---------------------------------------------------------------------


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def make_event(
    stage: Stage,
    date: dt.date,
    by: str,
    *,
    approved_by: Sequence[str] = (),
    traffic: float | None = None,
    reason: str | None = None,
    replaced_by: str | None = None,
    sunset: dt.date | None = None,
    override: str | None = None,
    time: str | None = None,
) -> dict[str, Any]:
    """A lifecycle event with its keys in the order the card format lists them."""
    values: dict[str, Any] = {
        # Quoted: unquoted, a YAML 1.1 reader takes 14:30 for a number.
        "stage": stage.value,
        "date": date,
        "time": None if time is None else DoubleQuotedScalarString(time),
        "by": as_text(by),
        "approved_by": [as_text(name) for name in approved_by] or None,
        "traffic": None if traffic is None else _number(traffic),
        "reason": as_text(reason),
        "replaced_by": as_text(replaced_by),
        "sunset": sunset,
        "override": as_text(override),
    }
    return {key: values[key] for key in EVENT_KEYS if values[key] is not None}


def append_event(text: str, path: Path, event: dict[str, Any]) -> str:
    """The card's text with one lifecycle event appended, in the style of the events before.

    Every byte already in the file stays as it is: the event is rendered by ruamel.yaml and
    inserted after the last event, at its indentation (or before the closing bracket of a
    lifecycle written as a flow list, `lifecycle: [...]`). The result is read back: if its
    lifecycle is not exactly the old one followed by the new event, the edit is refused.
    """
    document, failure = parse_source(path, text)
    if document is None or failure is not None or not isinstance(document.root, MappingNode):
        raise EditError(f"{path}: cannot edit a card that does not parse; run modelcards validate")
    events = next((v for k, v in document.root.value if k.value == "lifecycle"), None)
    if not isinstance(events, SequenceNode) or not events.value:
        raise EditError(f"{path}: has no lifecycle list to append to; fix the card first")
    last = _last_item(text)
    if events.flow_style:
        edited = text[: last.closing] + ", " + _render_item(event, False) + text[last.closing :]
    else:
        edited = _append_block(text, path, event, last)
    _check_appended(path, document.data, edited, event)
    return edited


@dataclass(frozen=True)
class _Item:
    """Where the last lifecycle event is in the text, as written (an alias included)."""

    start: int  # index of its first character
    column: int
    block: bool  # a block mapping (one key per line), not a flow mapping or an alias
    end: int  # index just past its last scalar, alias or flow collection
    closing: int  # index of the lifecycle's closing "]", when it is a flow list


def _last_item(text: str) -> _Item:
    """The last item of the top-level `lifecycle` list, found from the parser's events.

    Not from the node tree: there an alias is the node it names, with that node's position,
    so an event ending in `*name` seemed to end where the anchor was, mid-log.
    """
    stream = iter(yaml.parse(text, Loader=_LOADER))
    for found in stream:
        if isinstance(found, yaml.MappingStartEvent):  # the card itself
            break
    for key in stream:
        if isinstance(key, yaml.MappingEndEvent):
            break
        value = next(stream)
        if (
            isinstance(key, yaml.ScalarEvent)
            and key.value == "lifecycle"
            and isinstance(value, yaml.SequenceStartEvent)
        ):
            return _last_of(stream, bool(value.flow_style))
        _end_of(stream, value)  # skip the value
    raise EditError("the card's lifecycle list could not be found again")  # it parsed above


def _last_of(stream: Iterator[yaml.Event], flow: bool) -> _Item:
    item: _Item | None = None
    for first in stream:
        if isinstance(first, yaml.SequenceEndEvent):
            break
        block = isinstance(first, yaml.MappingStartEvent) and not first.flow_style
        start = _mark(first.start_mark)
        item = _Item(start.index, start.column, block, _end_of(stream, first), -1)
    if item is None or first is None:
        raise EditError("the card's lifecycle list is empty")
    return replace(item, closing=_mark(first.start_mark).index) if flow else item


def _end_of(stream: Iterator[yaml.Event], first: yaml.Event) -> int:
    """Consume the node that starts with `first`; the index just past its last scalar,
    alias or flow collection (a block collection's own end is where the next token is)."""
    if not isinstance(first, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        return _mark(first.end_mark).index
    end = _mark(first.end_mark).index
    for found in stream:
        if isinstance(found, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            return _mark(found.end_mark).index if first.flow_style else end
        end = _end_of(stream, found)
    return end


@dataclass(frozen=True)
class _Mark:
    index: int
    column: int


def _mark(mark: Any) -> _Mark:
    """A parser event's position (the parsers always set one)."""
    assert mark is not None
    return _Mark(int(mark.index), int(mark.column))


def _append_block(text: str, path: Path, event: dict[str, Any], last: _Item) -> str:
    rendered = _render_item(event, last.block)
    line_start = text.rfind("\n", 0, last.start) + 1
    dash = text.rfind("-", line_start, last.start)
    if dash < 0:  # the item starts on the line after its dash
        raise EditError(f"{path}: the lifecycle layout is unusual; append the event by hand")
    lead = " " * (dash - line_start) + "-" + " " * (last.column - (dash - line_start) - 1)
    lines = rendered.splitlines()
    eol = newline_of(text)
    item = lead + lines[0] + eol + "".join(" " * last.column + line + eol for line in lines[1:])
    at = _end_of_line(text, last.end)
    before = text[:at] if text[:at].endswith("\n") or not at else text[:at] + eol
    return before + item + text[at:]


def _check_appended(path: Path, before: Any, edited: str, event: dict[str, Any]) -> None:
    """Refuse an edit that would not append exactly this event at the end of the log."""
    document, failure = parse_source(path, edited)
    after = document.data if document is not None and failure is None else None
    old = before.get("lifecycle") if isinstance(before, dict) else None
    new = after.get("lifecycle") if isinstance(after, dict) else None
    same_rest = (
        isinstance(before, dict)
        and isinstance(after, dict)
        and (
            {k: v for k, v in after.items() if k != "lifecycle"}
            == {k: v for k, v in before.items() if k != "lifecycle"}
        )
    )
    if not (same_rest and isinstance(old, list) and isinstance(new, list) and new == [*old, event]):
        raise EditError(
            f"{path}: the lifecycle layout is unusual (the event would not land at "
            "the end of the log); append the event by hand"
        )


def newline_of(text: str) -> str:
    """The file's own line ending (that of its first line): an edit keeps the convention."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _end_of_line(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _render_item(event: dict[str, Any], block: bool) -> str:
    """The event as YAML text: one flow mapping line, or block mapping lines."""
    yaml = _yaml((2, 4, 2))
    if block:
        return dump(yaml, _block_map(event))
    return dump(yaml, [flow_map(event)]).strip().removeprefix("- ")


# ---- finding what to edit -------------------------------------------------------------------


def parse_target(spec: str) -> tuple[str, str]:
    """MODEL@VERSION, checked for shape."""
    parts = split_model_version(spec)
    if parts is None:
        raise UsageError(
            f"{spec!r} is not a model version: write MODEL@VERSION, such as fraud-detector@2.1.0"
        )
    return parts


def find_version(
    catalog: Catalog, model_id: str, version: str, problems: Sequence[Problem] = ()
) -> ModelVersion:
    """The version to edit; `problems` are those of loading the catalog, listed when the
    version's own cards do not load."""
    found = catalog.versions.get(f"{model_id}@{version}")
    if found is not None:
        return found
    if f"{model_id}@{version}" in catalog.version_refs:
        folder = catalog.root / "models" / model_id
        own = [p for p in problems if p.severity is Severity.ERROR and p.file.parent == folder]
        raise EditError(
            f"{model_id}@{version} has errors of its own; fix them before editing it:", own
        )
    raise EditError(missing_version_message(catalog, f"{model_id}@{version}"))


def read_card_text(path: Path) -> str:
    """The card's text with its line endings as they are (an edit must not convert them)."""
    try:
        return read_regular_file(path, MAX_FILE_BYTES).decode("utf-8")
    except FileRefused as error:
        raise EditError(f"cannot read {path}: it {error.reason}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise EditError(f"cannot read {path}: {error}") from None


def event_date(given: dt.date | None) -> dt.date:
    """The date of a new event: `given` or today, never after today (the same today that
    `validate` uses), since the lifecycle records what has happened."""
    today = resolve_today()
    if given is not None and given > today:
        raise EditError(
            f"--date {given} is after today ({today}); the lifecycle records what has happened, "
            "so record the event on the day it happens (nothing was written)"
        )
    return given or today


def event_moment(date: dt.date | None, time: str | None) -> tuple[dt.date, str | None]:
    """The date and time of day of a new event. An event recorded as it happens (no date
    given) gets the UTC time now, so the events modelcards records on one day are in a known
    order (docs/card-format.md, "The order of events"); an event given a date keeps the time
    given, if any, its hour being otherwise unknown; and so does one whose UTC date is not
    today's (near midnight on a clock away from UTC)."""
    day = event_date(date)
    if time is not None or date is not None:
        return day, time
    now = resolve_now()
    return day, now.strftime("%H:%M") if now.date() == day else None


def _event_edit(version: ModelVersion, event: dict[str, Any], description: str) -> FileEdit:
    old = read_card_text(version.path)
    text = append_event(old, version.path, event)
    lines = _inserted_lines(old, text)
    return FileEdit(
        version.path, text, description, NewEvent(version.ref, Stage(event["stage"]), lines)
    )


def _inserted_lines(old: str, new: str) -> range:
    """The lines (1-based) of `new` that are not in `old`: what an insertion added."""
    before, after = old.splitlines(), new.splitlines()
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    tail = 0
    while tail < min(len(before), len(after)) - same and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return range(same + 1, len(after) - tail + 1)


# ---- the editing commands -------------------------------------------------------------------


@dataclass(frozen=True)
class Promotion:
    target: str  # MODEL@VERSION
    stage: Stage
    by: str
    approved_by: Sequence[str] = ()
    traffic: float | None = None
    reason: str | None = None
    override: str | None = None
    date: dt.date | None = None
    time: str | None = None  # HH:MM in UTC


def promote(root: Path, request: Promotion) -> list[FileEdit]:
    """Append a stage event; a production promotion also moves the versions it replaces."""
    catalog, problems = load_catalog(root)
    version = find_version(catalog, *parse_target(request.target), problems)
    _check_it_changes(catalog, version, request)
    when, at = event_moment(request.date, request.time)
    request = replace(request, time=at)
    event = make_event(
        request.stage,
        when,
        request.by,
        approved_by=request.approved_by,
        traffic=request.traffic,
        reason=request.reason,
        override=request.override,
        time=request.time,
    )
    share = f" at {request.traffic:g}% of traffic" if request.traffic is not None else ""
    described = f"{version.ref}: {request.stage.value}{share}"
    if request.stage is not Stage.PRODUCTION:
        described += _what_follows(catalog, version)
    edits = [_event_edit(version, event, described)]
    if request.stage is Stage.PRODUCTION:
        edits += _production_companions(catalog, version, request, when)
    return edits


def _check_it_changes(catalog: Catalog, version: ModelVersion, request: Promotion) -> None:
    """Refuse an event that would record the stage and traffic the version already has."""
    if version.stage is not request.stage:
        return
    model = catalog.models.get(version.model_id)
    already = f"{version.ref} is already in {version.stage.value}"
    if request.stage is Stage.PRODUCTION:
        share = traffic_share(model, version) if model else None
        wanted = 100.0 if request.traffic is None else request.traffic
        if share is None or share != wanted:
            return  # a change of traffic: a canary grows, or a rollout completes
        already += f" ({share:g}% of traffic)"
    raise EditError(
        f"{already}: an event that changes nothing is not recorded, since the lifecycle is a "
        "log that never shrinks (nothing was written)"
    )


def _what_follows(catalog: Catalog, version: ModelVersion) -> str:
    """What taking `version` out of production leaves deploy jobs, when it leaves nothing."""
    model = catalog.models.get(version.model_id)
    if model is None or [v.ref for v in production(model)] != [version.ref]:
        return ""
    return (
        f"; {model.id} has no version in production now: `modelcards get {model.id}` "
        "fails until one is promoted"
    )


def _production_companions(
    catalog: Catalog, target: ModelVersion, request: Promotion, when: dt.date
) -> list[FileEdit]:
    """The other production versions: archived by a full rollout, rebalanced by a canary."""
    traffic, by = request.traffic, request.by
    live = [
        v
        for v in catalog.versions_of(target.model_id)
        if v.stage is Stage.PRODUCTION and v.ref != target.ref
    ]
    if not live:
        return []
    if traffic is None or traffic >= 100:
        archived = make_event(
            Stage.ARCHIVED,
            when,
            by,
            reason=f"Replaced in production by {target.version}",
            time=request.time,
        )
        return [
            _event_edit(v, archived, f"{v.ref}: archived (replaced by {target.version})")
            for v in live
        ]
    rest = 100 - traffic
    shares = [stated_share(v) for v in live]
    if len(live) == 1:
        incumbent = live[0]
        if shares[0] == rest or (shares[0] is None and rest == 100):
            return []
        event = make_event(
            Stage.PRODUCTION,
            when,
            by,
            traffic=rest,
            reason=f"Traffic split with {target.version} at {traffic:g}%",
            time=request.time,
        )
        moved = f"{incumbent.ref}: production at {rest:g}% of traffic"
        return [_event_edit(incumbent, event, moved)]
    if all(s is not None for s in shares) and abs(sum(s or 0 for s in shares) - rest) < 1e-9:
        return []
    split = capped(f"{v.version} ({stated_share(v) or 0:g}%)" for v in live)
    raise EditError(
        f"{target.model_id} already splits production traffic between {split}; with "
        f"{target.version} at {traffic:g}% the shares would not add up to 100. Change the "
        "others first (modelcards promote MODEL@VERSION production --traffic N)"
    )


def deprecate(
    root: Path,
    target: str,
    by: str,
    reason: str,
    *,
    replaced_by: str | None = None,
    sunset: dt.date | None = None,
    date: dt.date | None = None,
    time: str | None = None,
    approved_by: Sequence[str] = (),
) -> list[FileEdit]:
    catalog, problems = load_catalog(root)
    version = find_version(catalog, *parse_target(target), problems)
    when, at = event_moment(date, time)
    event = make_event(
        Stage.DEPRECATED,
        when,
        by,
        reason=reason,
        replaced_by=replaced_by,
        sunset=sunset,
        time=at,
        approved_by=approved_by,
    )
    moved = f"; use {replaced_by} instead" if replaced_by else ""
    described = f"{version.ref}: deprecated{moved}{_what_follows(catalog, version)}"
    return [_event_edit(version, event, described)]


def retire(
    root: Path,
    target: str,
    by: str,
    *,
    reason: str | None = None,
    date: dt.date | None = None,
    time: str | None = None,
) -> list[FileEdit]:
    catalog, problems = load_catalog(root)
    version = find_version(catalog, *parse_target(target), problems)
    when, at = event_moment(date, time)
    event = make_event(Stage.RETIRED, when, by, reason=reason, time=at)
    return [_event_edit(version, event, f"{version.ref}: retired")]


# ---- checking and writing -------------------------------------------------------------------


def _mirror(root: Path, into: Path) -> None:
    """A copy of the catalog; hard links where possible (the edited files are replaced)."""

    def link_or_copy(source: str, destination: str) -> None:
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)

    shutil.copytree(root, into, symlinks=True, copy_function=link_or_copy)


def check_edits(
    root: Path, edits: Sequence[FileEdit], today: dt.date | None = None
) -> ValidationResult:
    """Validate the catalog as it would be after the edits, without touching it: in a
    scratch copy, every problem reported at the real file.

    The one rule that looks outside the catalog, the editor hints' (a `$schema=` path is
    relative to the card), is judged where the files really are, not in the copy.
    """
    check_inside(root, [edit.path for edit in edits], EditError)
    with tempfile.TemporaryDirectory(prefix="modelcards-edit-") as scratch:
        copy = Path(scratch) / "catalog"
        _mirror(root, copy)
        for edit in edits:
            target = copy / edit.path.relative_to(root)
            check_inside(copy, [target], EditError)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # never write through a hard link to the original
            target.write_text(edit.text, encoding="utf-8", newline="")
        result = validate_catalog(copy, today)
        hints = hint_problems(result.catalog, lambda path: root / path.relative_to(copy))
    problems = [
        replace(p, file=root / p.file.relative_to(copy))
        for p in result.problems
        if p.code not in HINT_CODES
    ]
    return ValidationResult.of(result.catalog, sort_problems([*problems, *hints]))


def problem_key(p: Problem) -> tuple[Path, str, str]:
    """A problem apart from its position, which new text above it may shift."""
    return p.file, p.code, p.message


def new_errors(
    root: Path,
    edits: Sequence[FileEdit],
    today: dt.date | None = None,
    before: set[tuple[Path, str, str]] | None = None,
) -> list[Problem]:
    """The errors the edits would bring into the catalog: those of the scratch validation
    the catalog does not have already (`before`: the keys of its errors, when known)."""
    if before is None:
        before = {problem_key(p) for p in validate_catalog(root, today).errors}
    return [p for p in check_edits(root, edits, today).errors if problem_key(p) not in before]


def apply_edits(
    root: Path, edits: Sequence[FileEdit], today: dt.date | None = None
) -> ValidationResult:
    """Write the edits if the catalog stays valid; otherwise raise EditError, writing nothing.

    Returns the validation of the catalog as written (its warnings are worth showing).

    When errors the catalog had before the edit remain after it, those are what the refusal
    lists: they are not the edit's doing, and must be fixed first. (An edit that fixes the
    catalog's errors, such as rebalancing traffic shares that do not add up, goes through.)
    """
    result = check_edits(root, edits, today)
    if not result.errors:
        write_edits(root, edits)
        return result
    after = {problem_key(p) for p in result.errors}
    remaining = [p for p in validate_catalog(root, today).errors if problem_key(p) in after]
    if remaining:
        raise EditError(
            "the catalog already has errors; fix them first (nothing was written):", remaining
        )
    about_new = [found for p in result.errors if (found := _about_new(edits, p)) is not None]
    listed = {id(found.problem) for found in about_new}
    raise EditError(
        "the catalog would not validate after this change, so nothing was written",
        [p for p in result.errors if id(p) not in listed],
        about_new,
    )


def _about_new(edits: Sequence[FileEdit], problem: Problem) -> EventProblem | None:
    """The problem as one with an appended event, when that is where it lies."""
    for edit in edits:
        event = edit.event
        if event is not None and edit.path == problem.file and problem.line in event.lines:
            return EventProblem(event, problem)
    return None


def write_edits(root: Path, edits: Sequence[FileEdit]) -> None:
    """Write every edit, or none of them, and only inside the catalog folder."""
    check_inside(root, [edit.path for edit in edits], EditError)
    write_all_or_nothing([(edit.path, edit.text) for edit in edits])
