"""The tests' own layout (docs/development.md, "Tests"): every test module sits in the folder
of its layer, what tests share is in tests/helpers/ (or a conftest.py), and no module imports
a test module or a conftest.py, so a test module is only ever run, never a library."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ..helpers.catalogs import REPO

TESTS = REPO / "tests"
LAYERS = ("unit", "cli", "site", "browser", "interop")
HELPERS = "helpers"


def python_files() -> list[Path]:
    """The tests' Python files, not those of the data they read (fixtures, node_modules)."""
    return sorted(
        path
        for path in TESTS.rglob("*.py")
        if not any(
            part.startswith(".") or part == "fixtures" for part in path.relative_to(TESTS).parts
        )
    )


def imported_modules(path: Path) -> list[str]:
    """Every module `path` imports (relative imports with their dots), anywhere in it."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found += [base] if node.module else [f"{base}{alias.name}" for alias in node.names]
    return found


def test_every_test_module_sits_in_its_layer() -> None:
    misplaced = [
        path.relative_to(TESTS).as_posix()
        for path in python_files()
        if path.name.startswith("test_")
        and (path.parent.parent != TESTS or path.parent.name not in LAYERS)
    ]
    assert misplaced == [], f"put each test module in one of tests/{{{','.join(LAYERS)}}}/"


def test_everything_else_is_a_helper_a_conftest_or_a_package_marker() -> None:
    folders = {TESTS, *(TESTS / layer for layer in LAYERS)}
    stray = [
        path.relative_to(TESTS).as_posix()
        for path in python_files()
        if not path.name.startswith("test_")
        and path.parent != TESTS / HELPERS
        and not (path.name in ("conftest.py", "__init__.py") and path.parent in folders)
    ]
    assert stray == [], "shared code goes into tests/helpers/, fixtures into a conftest.py"
    # Each folder is a package: test modules of the same name in two layers never collide.
    packages = folders | {TESTS / HELPERS}
    assert sorted(p.name for p in packages if not (p / "__init__.py").is_file()) == []


def test_no_module_imports_a_test_module_or_a_conftest() -> None:
    importing = {
        f"{path.relative_to(TESTS).as_posix()} imports {name}"
        for path in python_files()
        for name in imported_modules(path)
        if re.fullmatch(r"test_\w*|conftest", name.rpartition(".")[2])
    }
    assert sorted(importing) == [], "move what is shared into tests/helpers/ or a conftest.py"


def test_the_layers_are_what_the_development_guide_describes() -> None:
    guide = (REPO / "docs" / "development.md").read_text(encoding="utf-8")
    tests_section = guide.split("\n## Tests\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `tests/(\w+)/` \|", tests_section, flags=re.MULTILINE)
    assert rows == [*LAYERS, HELPERS]


def test_the_test_paths_named_in_docs_and_code_exist() -> None:
    """A test moved or renamed leaves no stale path behind (CHANGELOG.md keeps its history)."""
    named = {
        f"{path.relative_to(REPO).as_posix()}: {found}"
        for pattern in ("README.md", "docs/**/*.md", "src/**/*.py", "scripts/*.py", "benchmarks/*")
        for path in REPO.glob(pattern)
        if path.is_file() and path.suffix in (".md", ".py")
        for found in re.findall(r"\btests/[\w/.*-]+\.py\b", path.read_text(encoding="utf-8"))
        if not list(REPO.glob(found))
    }
    assert sorted(named) == []
