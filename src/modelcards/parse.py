"""From a SourceDocument to a card, translating pydantic's errors into located problems."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Iterator
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .cardmarkdown import too_deep
from .cards import Card, invisible_reason, markdown_fields
from .codes import problem
from .problems import Problem
from .source import Loc, Locator, SourceDocument
from .texts import VISIBLE, first_invisible

# The problem codes this module owns: a card against its model (fields, types, required
# fields, visible names).
CODES = frozenset({"MC003", "MC004", "MC005", "MC019", "MC081"})

CardT = TypeVar("CardT", bound=BaseModel)


def parse_card(kind: type[CardT], document: SourceDocument) -> tuple[CardT | None, list[Problem]]:
    """Validate a document against a card model; every error becomes a problem."""
    if not isinstance(document.data, dict):
        return None, [
            problem(
                "MC004",
                document.path,
                (1, 1),
                f"a {_kind_name(kind)} must be a mapping of fields (name: value), "
                f"got {_describe(document.data)}",
            )
        ]
    try:
        card = kind.model_validate(document.data)
    except ValidationError as error:
        at = document.locator()  # one composition for all the errors of the file
        return None, [_to_problem(kind, at, detail) for detail in error.errors()]
    return card, list(_markdown_problems(card, document))


def _markdown_problems(card: BaseModel, document: SourceDocument) -> Iterator[Problem]:
    """Markdown that would nest too deep to render: found here, where a card is parsed from
    its file (a card read from the cache passed this check when it was put there)."""
    if not isinstance(card, Card):
        return
    at = document.locator()  # composes the file only if there is a problem to place
    for loc, text in markdown_fields(card):
        reason = too_deep(text)
        if reason is not None:
            yield problem(
                "MC081",
                document.path,
                at.position(loc),
                f"{format_loc(loc)}: Markdown text {reason}",
            )


def parse_part(
    kind: type[CardT], document: SourceDocument, data: Any, prefix: Loc = ()
) -> tuple[CardT | None, list[Problem]]:
    """Validate `data`, the part of a document found at `prefix`, against a card model (a
    metric read from a metrics file, say): problems are located inside that part."""
    try:
        return kind.model_validate(data), []
    except ValidationError as error:
        at = document.locator()
        return None, [_to_problem(kind, at, detail, prefix) for detail in error.errors()]


def _kind_name(kind: type[BaseModel]) -> str:
    return {"CatalogSettings": "catalog.yaml"}.get(kind.__name__, "card")


def _to_problem(
    kind: type[BaseModel], locator: Locator, detail: ErrorDetails, prefix: Loc = ()
) -> Problem:
    loc = tuple(detail["loc"])
    document = locator.document
    at = _Located(locator, tuple(prefix))
    kind_of_error = detail["type"]
    field = format_loc(loc)
    if kind_of_error == "extra_forbidden":
        name = str(loc[-1])
        allowed = _field_names(kind, loc[:-1])
        return problem(
            "MC003",
            document.path,
            at.position(loc, key=True),
            f"unknown field {name!r}{_suggestion(name, allowed)}",
        )
    if kind_of_error == "missing":
        return problem(
            "MC005",
            document.path,
            at.position(loc),
            f"missing required field {loc[-1]!r}"
            + (f" in {format_loc(loc[:-1])}" if len(loc) > 1 else ""),
        )
    invisible = _invisible(detail)
    if invisible is not None and loc and loc[-1] == "[key]":
        return problem(
            "MC019",
            document.path,
            at.position(loc[:-1], key=True),
            f"{format_loc(loc[:-2])}: the key {loc[-2]!r} {invisible}",
        )
    if invisible is not None:
        return problem("MC019", document.path, at.position(loc), f"{field}: {invisible}")
    if loc and loc[-1] == "[key]":  # a mapping key of the wrong type, e.g. `~: 1` or `3: x`
        return problem(
            "MC004",
            document.path,
            at.position(loc[:-1], key=True),
            f"{format_loc(loc[:-2])}: the key {loc[-2]} must be text; put it in quotes",
        )
    code = kind_of_error if kind_of_error.startswith("MC") else "MC004"
    raw = at.raw_text(loc)
    return problem(code, document.path, at.position(loc), f"{field}: {_explain(detail, raw)}")


class _Located:
    """Positions inside the part of a document found at `prefix`."""

    def __init__(self, locator: Locator, prefix: tuple[str | int, ...]) -> None:
        self.locator, self.prefix = locator, prefix

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        return self.locator.position((*self.prefix, *loc), key=key)

    def raw_text(self, loc: Loc) -> str | None:
        return self.locator.raw_text((*self.prefix, *loc))


def _invisible(detail: ErrorDetails) -> str | None:
    """Why a value was refused for an invisible character (cards.Visible), if it was."""
    if detail["type"] != "string_pattern_mismatch":
        return None
    if detail.get("ctx", {}).get("pattern") != VISIBLE:
        return None
    value = detail.get("input")
    found = first_invisible(value) if isinstance(value, str) else None
    return invisible_reason(found) if found is not None else None


def format_loc(loc: tuple[Any, ...]) -> str:
    """lifecycle[2].stage: the way a person names a place in a card."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "the card"


def _suggestion(name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if allowed:
        return f"; allowed here: {', '.join(allowed)}"
    return ""


def _field_names(kind: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at `loc` inside `kind`, following the type annotations."""
    annotation: Any = kind
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    model = _model_in(annotation)
    return list(model.model_fields) if model else []


def _step(annotation: Any, part: Any) -> Any:
    model = _model_in(annotation)
    if model is not None:
        field = model.model_fields.get(str(part))
        return field.annotation if field else None
    for arg in _unwrap(annotation):
        origin = get_origin(arg)
        if origin is list and isinstance(part, int):
            return get_args(arg)[0]
        if origin is dict:
            return get_args(arg)[1]
    return None


def _unwrap(annotation: Any) -> list[Any]:
    if get_origin(annotation) is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (typing.Union, types.UnionType):
        return [inner for arg in get_args(annotation) for inner in _unwrap(arg)]
    return [annotation]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for arg in _unwrap(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (name: value pairs)",
    "model_type": "a mapping (name: value pairs)",
    "model_attributes_type": "a mapping (name: value pairs)",
    "date_type": "a date such as 2026-01-05",
}


def _explain(detail: ErrorDetails, raw: str | None) -> str:
    kind = detail["type"]
    value = detail.get("input")
    if kind == "date_type" and isinstance(value, dt.datetime):
        return f"expected a date without a time, got {value.isoformat()}; write {value.date()}"
    if kind == "date_type" and isinstance(value, str) and _is_iso_date(value):
        return f"{value!r} is quoted, which makes it text; write the date without quotes"
    if kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, got {_describe(value)}"
        if kind == "string_type" and isinstance(value, (int, float, bool, dt.date)):
            shown = raw if raw is not None else _yaml_text(value)
            message += f'; put it in quotes ("{shown}") so YAML reads it as text'
        return message
    if kind == "enum":
        expected = detail.get("ctx", {}).get("expected", "")
        choices = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.4)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"must be one of {expected}; got {value!r}{hint}"
    if kind == "int_from_float":
        return f"expected a whole number, got {value!r}"
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return _length_message(kind, detail)
    if kind == "string_pattern_mismatch" and isinstance(value, str) and "\n" in value:
        return "must be a single line"
    return detail["msg"][0].lower() + detail["msg"][1:]


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _length_message(kind: str, detail: ErrorDetails) -> str:
    ctx = detail.get("ctx", {})
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    return f"allows at most {ctx.get('max_length')} item(s)"


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


NULL_TEXT = "nothing (null)"  # how a problem names a null value: "expected text, got ..."


def _describe(value: Any) -> str:
    if value is None:
        return NULL_TEXT
    if isinstance(value, bool):
        return f"{_yaml_text(value)} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
