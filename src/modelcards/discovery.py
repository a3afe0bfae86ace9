"""Which files of a catalog folder are cards: sorted by kind before anything is read.

Discovery only looks at names and file types (and refuses a catalog path a pull request
could redirect); reading and parsing the files is loading.py's, resolving the cards into
one Catalog is catalog.py's.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .cards import DatasetCard, ModelCard, VersionCard, is_semver, is_valid_id
from .codes import problem
from .problems import Problem

# The problem codes this module owns: the catalog's layout (ids, version file names, what
# belongs where). MC017 for a folder that cannot be read is raised here too (source.py owns it).
CODES = frozenset({"MC006", "MC007", "MC009", "MC016"})

CATALOG_FILE = "catalog.yaml"
MODEL_FILE = "model.yaml"


class UnsafeCatalogPath(ValueError):
    """A catalog path that is, or passes through, a symbolic link (a usage error)."""


def check_catalog_path(path: Path) -> None:
    """Refuse a catalog folder that is a symbolic link, or is reached through one inside
    its git repository.

    The history check reads the base branch at the path it is given; were that path a link,
    a pull request could point it at another folder and every published version would look
    new (docs/security.md). Links above the repository's top (a home folder on another disk,
    /tmp on macOS) belong to the machine, not to a pull request, and are followed. The path
    is walked as the system would walk it, one part at a time, without following a link.
    """
    here = Path(path.anchor) if path.is_absolute() else Path(os.getcwd())
    parts = path.parts[1:] if path.is_absolute() else path.parts
    for index, part in enumerate(parts):
        if part == "..":
            here = here.parent
            continue
        step = here / part
        if not os.path.islink(step):
            here = step
            continue
        last = index == len(parts) - 1
        if last or _in_repository(here):
            raise UnsafeCatalogPath(
                f"refusing the catalog path {path}: {step} is a symbolic link (to "
                f"{os.readlink(step)}); name the catalog folder by its real path, so that the "
                "checks read the folder a pull request cannot redirect"
            )
        here = step.resolve()


def _in_repository(folder: Path) -> bool:
    """Whether a folder (a real one, no links) is inside a git working tree, as git finds
    one: a .git entry in it or in a folder above it."""
    return any(os.path.lexists(above / ".git") for above in (folder, *folder.parents))


@dataclass
class FoundFiles:
    """The files of a catalog, sorted by kind, before parsing."""

    settings: Path | None = None
    models: dict[str, Path] = field(default_factory=dict)  # id -> folder
    versions: list[tuple[str, str, Path]] = field(default_factory=list)  # model, version, file
    datasets: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _ignored(name: str) -> bool:
    return name.startswith(".") or name == "README.md"


def _entries(folder: Path, found: FoundFiles) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            return sorted((e for e in it if not _ignored(e.name)), key=lambda e: e.name)
    except OSError as error:
        found.problems.append(
            problem("MC017", folder, (1, 1), f"cannot read the folder: {error.strerror}")
        )
        return []


def _stray(path: Path, hint: str) -> Problem:
    return problem("MC009", path, (1, 1), f"{path.name!r} does not belong here; {hint}")


def _link_problem(entry: os.DirEntry[str], root: Path) -> Problem | None:
    """A symbolic link that is broken, loops, or leads outside the catalog folder."""
    if not entry.is_symlink():
        return None
    path = Path(entry.path)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return problem(
            "MC017",
            path,
            (1, 1),
            f"{entry.name!r} is a broken or looping symbolic link; point it at a file in "
            "the catalog or remove it",
        )
    if not target.is_relative_to(root.resolve()):
        return _stray(path, "it links outside the catalog folder")
    return None


def _not_a_file(path: Path) -> Problem:
    return problem(
        "MC017", path, (1, 1), f"{path.name!r} is not a regular file; a card is a YAML file"
    )


def _unusable(entry: os.DirEntry[str], root: Path, *, card: bool) -> Problem | None:
    """Why an entry named like a card (card=True) or a folder cannot be read as one."""
    found = _link_problem(entry, root)
    if found is not None:
        return found
    path = Path(entry.path)
    if card and not entry.is_file():
        return _not_a_file(path)
    if not card and not entry.is_dir():
        return _stray(path, f"{entry.name} must be a folder")
    return None


def discover(root: Path) -> FoundFiles:
    """Sort every file under the catalog folder by kind; anything unexpected is a problem."""
    found = FoundFiles()
    for entry in _entries(root, found):
        path = Path(entry.path)
        expected = entry.name in (CATALOG_FILE, "models", "datasets")
        unusable = _unusable(entry, root, card=entry.name == CATALOG_FILE)
        if unusable is not None:
            found.problems.append(unusable if expected else _stray(path, _top_level_hint(path)))
        elif entry.name == CATALOG_FILE:
            found.settings = path
        elif entry.name == "models":
            _discover_models(path, root, found)
        elif entry.name == "datasets":
            _discover_datasets(path, root, found)
        else:
            found.problems.append(_stray(path, _top_level_hint(path)))
    return found


def _top_level_hint(path: Path) -> str:
    close = difflib.get_close_matches(path.name, [CATALOG_FILE, "models", "datasets"], n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return "a catalog holds catalog.yaml, models/ and datasets/"


def _discover_models(folder: Path, root: Path, found: FoundFiles) -> None:
    for entry in _entries(folder, found):
        path = Path(entry.path)
        unusable = _link_problem(entry, root)
        if unusable is not None:
            found.problems.append(unusable)
        elif not entry.is_dir():
            found.problems.append(_stray(path, "models/ holds one folder per model"))
        elif not is_valid_id(entry.name):
            found.problems.append(
                problem("MC006", path, (1, 1), _bad_id("model folder", entry.name))
            )
        else:
            _discover_model(entry.name, path, root, found)


def _discover_model(model_id: str, folder: Path, root: Path, found: FoundFiles) -> None:
    has_card = False
    for entry in _entries(folder, found):
        path = Path(entry.path)
        stem, suffix = os.path.splitext(entry.name)
        if suffix != ".yaml":
            unusable = _link_problem(entry, root)
            found.problems.append(unusable or _stray(path, _model_folder_hint(entry.name)))
        elif (unusable := _unusable(entry, root, card=True)) is not None:
            found.problems.append(unusable)
        elif entry.name == MODEL_FILE:
            has_card = True
        elif is_semver(stem):
            found.versions.append((model_id, stem, path))
        else:
            found.problems.append(
                problem(
                    "MC007",
                    path,
                    (1, 1),
                    f"{entry.name!r}: a version file is named by its SemVer version, "
                    "such as 1.2.0.yaml or 2.0.0-rc.1.yaml",
                )
            )
    if has_card:
        found.models[model_id] = folder
    else:
        found.problems.append(
            problem(
                "MC016",
                folder / MODEL_FILE,
                (1, 1),
                f"model folder {model_id!r} has no model.yaml; add one (modelcards new model "
                f"{model_id}) or remove the folder",
            )
        )


def _model_folder_hint(name: str) -> str:
    stem, suffix = os.path.splitext(name)
    if suffix in (".yml", ".json"):
        return f"did you mean {stem + '.yaml'!r}?"
    return "a model folder holds model.yaml and one <version>.yaml per version"


def _discover_datasets(folder: Path, root: Path, found: FoundFiles) -> None:
    for entry in _entries(folder, found):
        path = Path(entry.path)
        stem, suffix = os.path.splitext(entry.name)
        if suffix != ".yaml":
            hint = (
                f"did you mean {stem + '.yaml'!r}?"
                if suffix in (".yml", ".json")
                else "datasets/ holds one <dataset>.yaml per dataset"
            )
            found.problems.append(_link_problem(entry, root) or _stray(path, hint))
        elif (unusable := _unusable(entry, root, card=True)) is not None:
            found.problems.append(unusable)
        elif not is_valid_id(stem):
            found.problems.append(problem("MC006", path, (1, 1), _bad_id("dataset file", stem)))
        else:
            found.datasets[stem] = path


def _bad_id(what: str, name: str) -> str:
    return (
        f"{what} name {name!r} is not a valid id: use lowercase letters, digits, '.', '_' "
        "and '-', starting and ending with a letter or digit, at most 64 characters"
    )


def card_files(found: FoundFiles) -> list[tuple[Path, type[BaseModel]]]:
    """Every card file found, with the kind of card it holds."""
    return [
        *((path, VersionCard) for _, _, path in found.versions),
        *((folder / MODEL_FILE, ModelCard) for folder in found.models.values()),
        *((path, DatasetCard) for path in found.datasets.values()),
    ]
