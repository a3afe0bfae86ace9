"""Editor hints: a card's `# yaml-language-server: $schema=PATH` line names a file that exists.

A hint that leads nowhere costs the editor's completion and checking without a word, which is
how cards copied from another repository (or imported by 0.1.0) lost them. A URL is not
checked: that would need the network.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..catalog import Catalog
from ..codes import problem
from ..discovery import MODEL_FILE
from ..problems import Problem
from ..schema import find_schema, read_schema_hint, schema_file_name
from .context import RuleContext

# The problem codes this module owns (tests/test_rule_owners.py: one owner per code).
CODES = frozenset({"MC057"})


def check(context: RuleContext) -> Iterator[Problem]:
    catalog = context.catalog
    for path, source in catalog.sources.items():
        hint = read_schema_hint(source.text)
        target = hint.local_path(path) if hint is not None else None
        if hint is None or target is None or target.is_file():
            continue
        yield problem(
            "MC057", path, (hint.line, hint.column),
            f"the editor hint $schema={hint.target} names a file that does not exist; "
            + _remedy(path, _kind(catalog, path)),
        )


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
