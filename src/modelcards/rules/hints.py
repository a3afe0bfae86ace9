"""Editor hints: a card's `# yaml-language-server: $schema=PATH` line names a file that exists.

A hint that leads nowhere costs the editor's completion and checking without a word, which is
how cards copied from another repository (or imported by 0.1.0) lost them. A URL is not
checked: that would need the network.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..catalog import Catalog
from ..codes import problem
from ..discovery import MODEL_FILE
from ..problems import Problem
from ..schema import find_schema, read_schema_hint, schema_file_name
from .context import RuleContext, nothing

# The problem codes this module owns (tests/unit/test_rule_owners.py: one owner per code).
CODES = frozenset({"MC057"})


def check(context: RuleContext) -> Iterator[Problem]:
    return context.run(whole, per_version, per_model)


per_version = per_model = nothing


def whole(context: RuleContext) -> Iterator[Problem]:
    yield from hint_problems(context.catalog)


def hint_problems(
    catalog: Catalog, located: Callable[[Path], Path] = lambda path: path
) -> list[Problem]:
    """Every hint of the catalog's files that names no file. `located`: where a file really
    is, when the catalog was loaded from a copy (an edit's scratch copy): a hint's path is
    relative to the card, so it is judged, and reported, there."""
    found = []
    for path, source in catalog.sources.items():
        hint = read_schema_hint(source.text)
        real = located(path)
        target = hint.local_path(real) if hint is not None else None
        if hint is None or target is None or target.is_file():
            continue
        found.append(
            problem(
                "MC057",
                real,
                (hint.line, hint.column),
                f"the editor hint $schema={hint.target} names a file that does not exist; "
                + _remedy(real, _kind(catalog, path)),
            )
        )
    return found


def _kind(catalog: Catalog, path: Path) -> str:
    """The kind of a file the catalog loaded, from where it sits (valid or not)."""
    if path == catalog.settings_path:
        return "catalog"
    if path.parent.name == "datasets":
        return "dataset"
    return "model" if path.name == MODEL_FILE else "version"


def _remedy(path: Path, kind: str) -> str:
    schema = find_schema(path.parent, kind)
    if schema is not None:
        relative = Path(os.path.relpath(schema, path.parent.resolve())).as_posix()
        return f"point it at {relative}"
    return (
        f"write the schemas into the folder it names (modelcards schema -o FOLDER writes "
        f"{schema_file_name(kind)} and the others), or remove the line"
    )
