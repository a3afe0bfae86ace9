"""Problems are values: every check returns them, reporters format them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalog, at a place a person can open."""

    file: Path
    line: int
    column: int
    code: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Stable reading order: by file, then position, then code."""
    return sorted(problems, key=lambda p: (str(p.file), p.line, p.column, p.code, p.message))
