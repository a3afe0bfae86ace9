"""The layers of docs/development.md, enforced: its module map names every module of the package
with its layer, and each module imports only what its layer may.

The modules come from the package itself (pkgutil) and their imports from their source (ast,
imports inside functions included), so a new module or a new import is checked without
anyone updating a list here.
"""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import modelcards

from ..helpers.catalogs import REPO

DEVELOPMENT = REPO / "docs" / "development.md"
LAYERS = ("core", "edit", "formats", "site", "cli")
# Which layers a module of each layer may import (development.md, "Layers").
MAY_IMPORT = {
    "core": {"core"},
    "edit": {"core", "edit", "formats"},
    "formats": {"core", "edit", "formats"},
    "site": {"core", "formats", "site"},
    "cli": set(LAYERS),
}
# Third-party libraries of the outer layers: the CLI's, and the renderer's.
ONLY_IN = {"click": {"cli"}, "watchfiles": {"site"}, "nh3": {"site"}, "markupsafe": {"site"}}
NOT_IN_CORE = ["click", "jinja2", "nh3", "markupsafe", "watchfiles"]
# What parses card files: the renderer reads the resolved catalog and never these. The source
# module also reads files safely (read_regular_file, ...), which the renderer may use.
PARSERS = (
    "yaml",
    "ruamel",
    "modelcards.parse",
    "modelcards.positions",
    "modelcards.loading",
    "modelcards.validate",
    "modelcards.cardcache",
    "modelcards.edit",
)
PARSING_NAMES = re.compile(r"parse|read_source|SourceDocument|Locator|load|read_catalog")


@cache
def package_modules() -> dict[str, Path]:
    """Every module of the package: {dotted name: source file}."""
    found = {"modelcards": Path(modelcards.__file__)}
    for info in pkgutil.walk_packages(modelcards.__path__, "modelcards."):
        spec = info.module_finder.find_spec(info.name, None)
        assert spec is not None and spec.origin is not None
        found[info.name] = Path(spec.origin)
    return found


@cache
def imports_of(module: str) -> frozenset[tuple[str, str | None]]:
    """(module, name) pairs `module` imports, relative imports made absolute; name is None for
    `import x` and for the module part of `from x import y` when y is itself a module."""
    path = package_modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[tuple[str, str | None]] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*parts, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                if f"{source}.{alias.name}" in package_modules():
                    found.add((f"{source}.{alias.name}", None))
                else:
                    found.add((source, alias.name))
    return frozenset(found)


def _import_nodes(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import of a module, but for those that load nothing when it is imported: under
    `if TYPE_CHECKING:` (types only) and in a module's `__getattr__` (a lazy attribute, such
    as `modelcards.record`; test_core_loads_neither_... checks what importing loads)."""
    skipped = [
        node
        for node in tree.body
        if (isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
        or (isinstance(node, ast.FunctionDef) and node.name == "__getattr__")
    ]
    inside = {id(n) for node in skipped for n in ast.walk(node)}
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in inside
    ]


def imported_modules(module: str) -> set[str]:
    return {name for name, _ in imports_of(module)}


def owner(name: str) -> str | None:
    """The package module `name` (a module or something inside one) belongs to."""
    while name:
        if name in package_modules():
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def documented_layers() -> dict[str, str]:
    """{module: layer} from development.md's module map (`| `site.pages` | site | ... |`)."""
    text = DEVELOPMENT.read_text(encoding="utf-8")
    section = text.split("\n## Modules\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w.]+)` \| (\w+) \|", section, flags=re.MULTILINE)
    layers = {}
    for name, layer in rows:
        assert layer in LAYERS, f"development.md: {name}: unknown layer {layer!r}"
        module = name if name == "modelcards" else f"modelcards.{name}"
        assert module not in layers, f"development.md: {name} is listed twice"
        layers[module] = layer
    return layers


def layer_of(module: str) -> str:
    return documented_layers()[module]


def test_the_module_map_names_every_module_and_only_those() -> None:
    documented = set(documented_layers())
    actual = set(package_modules())
    assert sorted(actual - documented) == [], "modules missing from development.md's map"
    assert sorted(documented - actual) == [], "development.md's map names modules that are gone"


def test_each_layer_imports_only_the_layers_beneath_it() -> None:
    wrong = sorted(
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module in package_modules()
        for imported in imported_modules(module)
        if (target := owner(imported)) is not None
        and layer_of(target) not in MAY_IMPORT[layer_of(module)]
    )
    assert wrong == []


def test_outer_libraries_stay_in_their_layers() -> None:
    wrong = sorted(
        f"{module} ({layer_of(module)}) imports {imported}"
        for module in package_modules()
        for imported in imported_modules(module)
        for library, layers in ONLY_IN.items()
        if imported.split(".")[0] == library and layer_of(module) not in layers
    )
    assert wrong == []


def test_importers_and_exporters_are_formats() -> None:
    misplaced = sorted(
        module
        for module in package_modules()
        if re.search(r"import|export", module.rpartition(".")[2]) and layer_of(module) != "formats"
    )
    assert misplaced == []


def renderer_modules() -> set[str]:
    """The site modules that rendering a page runs: those pages.py reaches inside the site
    (build.py and serve.py, which validate first and then render, are not among them)."""
    seen: set[str] = set()
    todo = ["modelcards.site.parallel"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(
            target
            for imported in imported_modules(module)
            if (target := owner(imported)) and target.startswith("modelcards.site.")
        )
    return seen


def test_the_renderer_never_parses_cards() -> None:
    renderer = renderer_modules()
    assert {"modelcards.site.pages", "modelcards.site.render"} <= renderer
    wrong = sorted(
        f"{module} imports {source}{'.' + name if name else ''}"
        for module in renderer
        for source, name in imports_of(module)
        if source.split(".")[0] in PARSERS
        or source in PARSERS
        or (name is not None and PARSING_NAMES.search(name) and source.startswith("modelcards"))
    )
    assert wrong == []


def test_core_loads_neither_cli_nor_site_nor_their_libraries() -> None:
    """Imports at run time too: importing every core module loads none of the outer ones."""
    core = sorted(m for m, layer in documented_layers().items() if layer == "core")
    outer = [*NOT_IN_CORE, *(m for m, layer in documented_layers().items() if layer != "core")]
    probe = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in core)
        + f"print(sorted(m for m in {outer!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
