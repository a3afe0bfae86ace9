"""The incremental build's cache: which fingerprint each file of the current site was made from.

One small JSON file per output folder, in the cache folder (default `.modelcards-cache/`
next to the catalog folder), never inside the site. It is trusted only when everything
about it checks out: signed with the card cache's key (cardcache.py; so a manifest
committed to the repository, or written by anyone without the key, is ignored), the same
format and package code, the same output folder, and that folder still the one the
recorded build swapped in: its modification time and that of its marker file, which every
build writes anew, are the ones recorded. Anything else (unreadable, corrupted, truncated,
from another modelcards, describing another folder or a site that another build has since
replaced) means no cache: the build renders every page, as a cold build does. A kept file
must also still have the size it was written with.

Times, not inode numbers, tell one site from another: a copy that keeps them (`cp -a`,
`tar`, so the CI cache a pages workflow restores on a fresh runner) is the same site, still
trusted when the key came with it (docs/performance.md, "The publish").

The trade-off: an unchanged page is taken over from an earlier site (reuse.py), so a
file edited by hand inside the output folder without changing its size would survive an
incremental build (and, through a hard link, the standby site would see the edit too). The
output folder belongs to modelcards; `--no-cache` builds everything from scratch.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..cardcache import MAX_CACHE_BYTES, make_cache_folder, signature, signed_by, signing_key
from ..problems import Problem, Severity
from ..rules.incremental import RuleMemo
from ..source import FileRefused, read_regular_file
from ..validate import Findings, Scope
from ..writing import write_atomically

CACHE_FOLDER = ".modelcards-cache"
FORMAT = "modelcards-site-cache-5"


def default_cache_folder(catalog: Path) -> Path:
    return catalog.resolve().parent / CACHE_FOLDER


def usable_cache_folder(folder: Path) -> bool:
    """Whether the cache may be read and written: a real folder, or none yet. In place of the
    default one, a pull request could commit a link that sends the build's writes anywhere
    (or a file); the build then runs as with --no-cache."""
    try:
        found = os.lstat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode)


def manifest_path(cache: Path, output: Path) -> Path:
    """One manifest per output folder, so two sites built from one catalog do not clash."""
    key = hashlib.blake2b(str(output.resolve()).encode(), digest_size=8).hexdigest()
    return cache / f"site-{key}.json"


def _identity(path: Path) -> int:
    """What tells this folder (or file) apart from one made later at the same path, and
    survives a copy that keeps times (an inode number does not)."""
    return os.stat(path, follow_symlinks=False).st_mtime_ns


def standby_path(cache: Path, output: Path) -> Path:
    """Where the site before the current one of `output` is kept, to be brought up to date
    by the next build (reuse.py); it has a manifest of its own."""
    return manifest_path(cache, output).with_suffix(".standby")


@dataclass(frozen=True)
class Manifest:
    code: str  # the fingerprint of the package's code and default theme
    output: str
    identity: list[int]  # of the output folder, then of its marker file
    inputs: str  # the digest of everything the build read (fingerprint.BuildInputs.whole)
    pages: dict[str, tuple[str, int]]  # path -> (fingerprint, size)
    findings: Findings  # what validating those inputs found (warnings only: it built)
    rules: RuleMemo | None = None  # the rules' findings by card, for the next build's check

    def to_json(self) -> dict[str, Any]:
        scope = self.findings.scope
        return {
            "format": FORMAT,
            "modelcards": __version__,
            "code": self.code,
            "output": self.output,
            "identity": self.identity,
            "inputs": self.inputs,
            "pages": {path: [key, size] for path, (key, size) in self.pages.items()},
            "scope": [scope.models, scope.versions, scope.datasets],
            "problems": [_problem_json(p) for p in self.findings.problems],
            "rules": _memo_json(self.rules) if self.rules is not None else None,
        }


def _problem_json(problem: Problem, *, absolute: bool = True) -> list[object]:
    # The file as an absolute path: the next build may run from another folder, and the
    # reporters show each file relative to the folder they run in. (The rules' memo keeps
    # it as found: it is used only for the catalog folder named the same way.)
    return [
        os.path.abspath(problem.file) if absolute else str(problem.file),
        problem.line,
        problem.column,
        problem.code,
        problem.severity.value,
        problem.message,
    ]


def _problem(data: object) -> Problem | None:
    if not (isinstance(data, list) and len(data) == 6):
        return None
    file, line, column, code, severity, message = data
    if not (
        isinstance(file, str)
        and type(line) is int
        and type(column) is int
        and isinstance(code, str)
        and severity in _SEVERITIES
        and isinstance(message, str)
    ):
        return None
    return Problem(Path(file), line, column, code, Severity(severity), message)


_SEVERITIES = {severity.value for severity in Severity}


def _findings(scope: object, problems: object) -> Findings | None:
    if not (
        isinstance(scope, list)
        and len(scope) == 3
        and all(type(n) is int for n in scope)
        and isinstance(problems, list)
    ):
        return None
    found = _problems(problems)
    return Findings(found, Scope(*scope)) if found is not None else None


def _problems(data: list[object]) -> list[Problem] | None:
    """Problems as _problem_json wrote them; None when any entry is not one."""
    found = [_problem(entry) for entry in data]
    return None if any(p is None for p in found) else [p for p in found if p is not None]


def _memo_json(memo: RuleMemo) -> dict[str, object]:
    def table(entries: dict[str, tuple[str, list[Problem]]]) -> dict[str, object]:
        return {
            name: [key, [_problem_json(p, absolute=False) for p in found]]
            for name, (key, found) in entries.items()
        }

    return {"context": memo.context, "versions": table(memo.versions), "models": table(memo.models)}


def _memo(data: object) -> RuleMemo | None:
    """The rules' memo, or None when there is none (or it is not one)."""
    if not (isinstance(data, dict) and isinstance(data.get("context"), str)):
        return None
    versions, models = _memo_table(data.get("versions")), _memo_table(data.get("models"))
    if versions is None or models is None:
        return None
    return RuleMemo(data["context"], versions, models)


def _memo_table(data: object) -> dict[str, tuple[str, list[Problem]]] | None:
    if not isinstance(data, dict):
        return None
    table = {}
    for name, entry in data.items():
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
            return None
        found = _problems(entry[1]) if isinstance(entry[1], list) else None
        if found is None:
            return None
        table[name] = (entry[0], found)
    return table


def site_identity(output: Path, marker: str) -> list[int]:
    return [_identity(output), _identity(output / marker)]


def _pages(data: object) -> dict[str, tuple[str, int]] | None:
    if not isinstance(data, dict):
        return None
    pages = {}
    for path, entry in data.items():
        if not (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and type(entry[1]) is int
            and isinstance(path, str)
        ):
            return None
        pages[path] = (entry[0], entry[1])
    return pages


def load_manifest(cache: Path, output: Path, code: str, marker: str) -> Manifest | None:
    """The manifest of `output`, or None when there is none that can be trusted."""
    key = signing_key()
    if key is None:
        return None
    try:
        raw = read_regular_file(
            manifest_path(cache, output), MAX_CACHE_BYTES, follow_symlinks=False
        )
        header, _, body = raw.partition(b"\n")
        if not signed_by(key, body, json.loads(header).get("signature")):
            return None
        data = json.loads(body)
        identity = site_identity(output.resolve(), marker)
    except (FileRefused, OSError, ValueError, RecursionError, AttributeError):
        return None
    if not isinstance(data, dict):
        return None
    expected = {
        "format": FORMAT,
        "modelcards": __version__,
        "code": code,
        "output": str(output.resolve()),
        "identity": identity,
    }
    if any(data.get(key) != value for key, value in expected.items()):
        return None
    pages, inputs = _pages(data.get("pages")), data.get("inputs")
    findings = _findings(data.get("scope"), data.get("problems"))
    if pages is None or not isinstance(inputs, str) or findings is None:
        return None
    rules = _memo(data.get("rules"))
    return Manifest(code, str(output.resolve()), identity, inputs, pages, findings, rules)


def save_manifest(cache: Path, output: Path, manifest: Manifest) -> None:
    """Write the manifest whole or not at all (a temporary file renamed over the old one):
    a line with its signature, then its JSON."""
    target, key = manifest_path(cache, output), signing_key()
    if key is None:  # it could not be trusted when read
        forget(cache, output)
        return
    # dumps, not dump: json.dump encodes chunk by chunk in Python, dumps in C.
    body = json.dumps(manifest.to_json(), separators=(",", ":")).encode()
    header = json.dumps({"signature": signature(key, body)}).encode()
    try:
        make_cache_folder(cache)
        write_atomically(target, header + b"\n" + body)
    except OSError:
        forget(cache, output)  # a cache that cannot be written is no cache, not a stale one


def forget(cache: Path, output: Path) -> None:
    with contextlib.suppress(OSError):
        manifest_path(cache, output).unlink(missing_ok=True)


def file_size(path: str | Path) -> int | None:
    """The size of a regular file (not a link), None when there is none."""
    try:
        found = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return found.st_size if stat.S_ISREG(found.st_mode) else None
