"""Formatters: they turn problems into text for a stream; they compute nothing."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .problems import Problem
from .texts import counted, one_line
from .validate import Findings, Scope


def display_path(path: Path) -> str:
    """A path relative to the current folder when it is below it, as editors and CI expect."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _counts(result: Findings) -> str:
    return f"{counted(len(result.errors), 'error')}, {counted(len(result.warnings), 'warning')}"


def scope_text(scope: Scope) -> str:
    """`2 models, 3 versions, 1 dataset`: what a validation covered."""
    counts = (scope.models, "model"), (scope.versions, "version"), (scope.datasets, "dataset")
    return ", ".join(counted(count, word) for count, word in counts)


def _summary(result: Findings, strict: bool) -> str:
    scope = scope_text(result.scope)
    if result.passes(strict=strict):
        return f"catalog is valid: {scope} ({_counts(result)})"
    return f"catalog is invalid: {_counts(result)} ({scope})"


def problem_line(p: Problem) -> str:
    """`path:line:col: severity CODE message`, the form editors and CI logs link to. (A
    path from the working tree may hold any character: shown escaped, as messages are.)"""
    where = one_line(display_path(p.file))
    return f"{where}:{p.line}:{p.column}: {p.severity.value} {p.code} {p.message}"


def report_text(result: Findings, stream: TextIO, strict: bool) -> None:
    for p in result.problems:
        stream.write(problem_line(p) + "\n")
    stream.write(_summary(result, strict) + "\n")


def problem_record(p: Problem) -> dict[str, object]:
    return {
        "file": display_path(p.file),
        "line": p.line,
        "column": p.column,
        "code": p.code,
        "severity": p.severity.value,
        "message": p.message,
    }


def report_json(result: Findings, stream: TextIO, strict: bool) -> None:
    counts = result.scope
    document = {
        "valid": result.passes(strict=strict),
        # Every problem, warnings included: each record carries its severity.
        "errors": [problem_record(p) for p in result.problems],
        "summary": {
            "models": counts.models,
            "versions": counts.versions,
            "datasets": counts.datasets,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
        },
    }
    json.dump(document, stream, indent=2)
    stream.write("\n")


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(result: Findings, stream: TextIO, strict: bool) -> None:
    for p in result.problems:
        level = "error" if p.is_error or strict else "warning"
        stream.write(
            f"::{level} file={_escape_property(one_line(display_path(p.file)))},line={p.line},"
            f"col={p.column},title={_escape_property(p.code)}::{_escape_data(p.message)}\n"
        )
    stream.write(_summary(result, strict) + "\n")


REPORTERS: dict[str, Callable[[Findings, TextIO, bool], None]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
}
