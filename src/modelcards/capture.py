"""What a training job can say about itself when it ends, without anyone copying it by hand.

- a file's SHA-256 and size, read in chunks (a model of many gigabytes is never held in memory);
- the code: the repository's remote URL (without credentials) and the full commit, and the
  tracked files with uncommitted changes; a detached HEAD (how CI checks out a commit) is fine;
- the Python version, and a SHA-256 of every installed distribution (see `packages_sha256`);
- the container image the job runs in, from the environment variables in CONTAINER_VARIABLES.

Nothing here prints or writes; failures are CaptureError with a sentence for a person.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .history_git import GitError, run_git
from .source import FileRefused, open_regular_file

CHUNK_BYTES = 1 << 20
# Read in this order; the first that is set names the image. MODELCARDS_CONTAINER_IMAGE is ours
# (set it in the job, ideally to image@sha256:...); CI_JOB_IMAGE is set by GitLab CI's runner.
CONTAINER_VARIABLES = ("MODELCARDS_CONTAINER_IMAGE", "CI_JOB_IMAGE")


class CaptureError(Exception):
    """A fact the job should know could not be found out (or must not be recorded as is)."""


# ---- files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileDigest:
    sha256: str
    size_bytes: int


def file_digest(path: Path) -> FileDigest:
    """SHA-256 and size of a regular file, read CHUNK_BYTES at a time into one reused buffer
    (a FIFO or a device, which could block or never end, is refused)."""
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(CHUNK_BYTES)
    view = memoryview(buffer)
    try:
        handle, _ = open_regular_file(path)
        with os.fdopen(handle, "rb", buffering=0) as stream:
            while count := stream.readinto(buffer):
                digest.update(view[:count])
                size += count
    except FileRefused as error:
        raise CaptureError(f"{path} {error}; an artifact is a file") from None
    except OSError as error:
        raise CaptureError(f"cannot read {path}: {error.strerror}") from None
    return FileDigest(digest.hexdigest(), size)


# ---- the code -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeState:
    """Where the training code is: what a version card's training.code records."""

    repo: str
    commit: str
    path: str | None  # the folder inside the repository, when it is not the top
    branch: str | None  # None on a detached HEAD
    changed: tuple[str, ...]  # tracked files with uncommitted changes (untracked ones do not count)


def _git_text(args: list[str], cwd: Path) -> str:
    return run_git(args, cwd).decode("utf-8", "surrogateescape").strip()


def code_state(folder: Path, repo: str | None = None) -> CodeState:
    """The git checkout `folder` is in. `repo` names the repository when its remotes do not."""
    try:
        top = Path(_git_text(["rev-parse", "--show-toplevel"], folder))
    except GitError as error:
        raise CaptureError(
            f"{folder} is not inside a git repository ({error}); run from the training code's "
            "checkout, or give the code's repository and commit yourself"
        ) from None
    try:
        commit = _git_text(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top)
    except GitError:
        raise CaptureError(f"the git repository {top} has no commit yet; commit the code") from None
    branch = _branch(top)
    url = repo if repo is not None else _remote_url(top, branch)
    status = run_git(["status", "--porcelain=v1", "-z", "--untracked-files=no"], top)
    changed = _changed_files(status)
    inside = folder.resolve().relative_to(top.resolve()).as_posix()
    return CodeState(public_url(url), commit, None if inside == "." else inside, branch, changed)


def _changed_files(status: bytes) -> tuple[str, ...]:
    """Paths from `git status --porcelain=v1 -z`: "XY path", a rename followed by its old path."""
    entries = iter(status.split(b"\0"))
    changed = []
    for entry in entries:
        if len(entry) < 4:
            continue
        changed.append(entry[3:].decode("utf-8", "surrogateescape"))
        if entry[:2].strip(b" ")[:1] in (b"R", b"C") or entry[1:2] in (b"R", b"C"):
            next(entries, None)  # the old path of a rename or copy
    return tuple(changed)


def _branch(top: Path) -> str | None:
    try:
        return _git_text(["symbolic-ref", "--quiet", "--short", "HEAD"], top) or None
    except GitError:
        return None  # detached HEAD: actions/checkout and most CI check out a bare commit


def _remote_url(top: Path, branch: str | None) -> str:
    """The URL of the branch's remote, else of `origin`, else of the only remote."""
    remotes = _git_text(["remote"], top).split()
    name = None
    if branch is not None:
        try:
            name = _git_text(["config", "--get", f"branch.{branch}.remote"], top)
        except GitError:
            name = None
    if name not in remotes:
        name = "origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else None
    if name is None:
        listed = f"remotes {', '.join(remotes)}" if remotes else "no remote"
        raise CaptureError(
            f"cannot tell the repository's URL: {top} has {listed} and none is the branch's "
            "remote or 'origin'; name the repository yourself (--code-repo URL)"
        )
    return _git_text(["remote", "get-url", name], top)


_SCP_LIKE = re.compile(r"^(?:[^@/:]+@)?([^/:]+):(?!//)(.+)$")


def public_url(url: str) -> str:
    """A repository URL fit for a card: no user name or token, a browsable https form for the
    ssh forms (git@host:owner/repo.git, ssh://git@host/owner/repo), no trailing .git.

    CI checkouts may carry a token in the remote URL (GitLab's https://gitlab-ci-token:...@);
    a card is public to everyone who can read the registry, so credentials never reach it.
    """
    text = url.strip()
    scp = _SCP_LIKE.match(text)
    if scp and "://" not in text and len(scp.group(1)) > 1:  # not a drive letter (C:\\repo)
        text = f"https://{scp.group(1)}/{scp.group(2)}"
    parts = urllib.parse.urlsplit(text)
    if parts.scheme and parts.netloc:
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        scheme = "https" if parts.scheme in ("ssh", "git+ssh", "git") else parts.scheme
        port = f":{parts.port}" if parts.port and scheme == parts.scheme else ""
        path = parts.path.removesuffix("/").removesuffix(".git")
        text = urllib.parse.urlunsplit((scheme, host + port, path, "", ""))
    return text


# ---- the Python environment -----------------------------------------------------------------


def python_version() -> str:
    return platform.python_version()


def canonical_name(name: str) -> str:
    """A distribution name as PEP 503 normalises it: lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_distributions() -> dict[str, str]:
    """Every distribution this interpreter can import: normalised name -> version, sorted.

    When a name is installed twice on sys.path, the first one wins, as it does for `import`
    (and for `pip list`).
    """
    found: dict[str, str] = {}
    for distribution in importlib.metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            found.setdefault(canonical_name(name), distribution.version)
    return dict(sorted(found.items()))


def packages_sha256(distributions: Mapping[str, str]) -> str:
    """SHA-256 of the UTF-8 text of one `name==version` line per distribution, the name
    normalised (canonical_name), the lines sorted bytewise, each ending with a newline.

    `python -m pip list --format=freeze` lists the same pairs, so the digest can be recomputed
    without modelcards (docs/workflow.md shows how); two environments with the same digest
    have the same distributions at the same versions.
    """
    lines = sorted(
        f"{canonical_name(name)}=={version}\n" for name, version in distributions.items()
    )
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def container_image(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """(image, the variable it came from) from CONTAINER_VARIABLES, or None outside a container
    that says so."""
    for variable in CONTAINER_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            return value, variable
    return None
