"""Read the catalog as it is on a git ref, through git itself, in a few batched calls.

Four git processes whatever the size of the catalog: find the repository top, resolve the
ref, list the catalog's files on the ref with their blob ids and sizes (`git ls-tree -l`),
and read the blobs that differ from the working tree (`git cat-file --batch`), only those
under the size limit; a fifth reads the targets of symbolic links, when the base has any.
Unchanged files are recognised by hashing the working-tree file the way git does, so they
are never parsed twice.
"""

from __future__ import annotations

import hashlib
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .discovery import UnsafeCatalogPath, check_catalog_path

MAX_LINK_BYTES = 4096  # the longest target a committed symbolic link is read for


class GitError(Exception):
    """git could not answer: not a repository, an unknown ref, git missing."""


@dataclass(frozen=True)
class BaseTree:
    """The catalog's files on a ref: path relative to the catalog root -> blob id."""

    ref: str
    commit: str
    top: Path
    prefix: str  # the catalog folder relative to the repository top ("" for the top itself)
    blobs: dict[str, str]
    sizes: dict[str, int]  # blob id -> size in bytes


def run_git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """git's standard output; GitError with the last line git printed when it fails."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def locate(catalog_root: Path) -> tuple[Path, str]:
    """The repository top and the catalog's path inside it (posix, "" for the top).

    The catalog is named by the path it was given: a path that is or passes through a
    symbolic link inside the repository is refused, so the path inside the repository is the
    one CI named, and the base is read there (not wherever a link in the pull request leads).
    """
    try:
        check_catalog_path(catalog_root)
    except UnsafeCatalogPath as error:
        raise GitError(str(error)) from None
    try:
        out = run_git(["rev-parse", "--show-toplevel"], catalog_root)
    except GitError as error:
        raise GitError(
            f"{catalog_root} is not inside a git repository, so there is no base to compare "
            f"with ({error})"
        ) from None
    top = Path(out.decode("utf-8").strip())
    relative = catalog_root.resolve().relative_to(top.resolve()).as_posix()
    return top, "" if relative == "." else relative


def resolve_commit(top: Path, ref: str) -> str:
    try:
        out = run_git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top
        )
    except GitError:
        raise GitError(
            f"unknown git ref {ref!r}: no branch, tag or commit by that name (in CI, fetch the "
            "base branch first, for example with actions/checkout's fetch-depth: 0)"
        ) from None
    return out.decode().strip()


_REGULAR_MODES = {"100644", "100755"}
_LINK_MODE = "120000"
_MAX_LINK_HOPS = 8


def read_tree(catalog_root: Path, ref: str) -> BaseTree:
    """List the catalog's files on `ref` with their blob ids.

    A symbolic link committed inside the catalog stands for the file it leads to there (the
    catalog loader follows links that stay inside the catalog), so its path gets that file's
    blob id; a link that leads nowhere in the catalog is left out, as the loader refuses it.
    """
    top, prefix = locate(catalog_root)
    commit = resolve_commit(top, ref)
    pathspec = ["--", prefix] if prefix else []
    out = run_git(["ls-tree", "-r", "-z", "-l", "--full-tree", commit, *pathspec], top)
    blobs: dict[str, str] = {}
    sizes: dict[str, int] = {}
    links: dict[str, str] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        inside = path[len(prefix) + 1 :] if prefix else path
        if kind != "blob":
            continue  # submodules
        sizes[oid] = int(size)
        if mode == _LINK_MODE:
            links[inside] = oid
        elif mode in _REGULAR_MODES:
            blobs[inside] = oid
    blobs.update(_resolve_links(top, links, blobs, sizes))
    return BaseTree(ref, commit, top, prefix, blobs, sizes)


def _resolve_links(
    top: Path, links: dict[str, str], blobs: dict[str, str], sizes: dict[str, int]
) -> dict[str, str]:
    """Each link's path -> the blob id of the regular file it leads to inside the catalog."""
    texts = read_blobs(top, list(links.values()), sizes, MAX_LINK_BYTES)
    targets = {oid: data.decode("utf-8", "surrogateescape") for oid, data in texts.items()}
    resolved: dict[str, str] = {}
    for path in links:
        here = path
        for _ in range(_MAX_LINK_HOPS):
            target = targets.get(links[here], "")
            if not target or target.startswith("/"):
                break
            here = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
            if here.startswith("../") or here == "..":
                break  # outside the catalog
            if here in blobs:
                resolved[path] = blobs[here]
                break
            if here not in links:
                break
    return resolved


def blob_id(data: bytes, oid_length: int) -> str:
    """The id git gives a file's content (SHA-1, or SHA-256 in a sha256 repository)."""
    digest = hashlib.sha256 if oid_length == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def read_blobs(top: Path, oids: list[str], sizes: dict[str, int], limit: int) -> dict[str, bytes]:
    """The content of each blob of at most `limit` bytes, in one `git cat-file --batch` call.

    `sizes` comes from `git ls-tree -l`: a blob over the limit (or of unknown size) is left
    out unread, so a huge file on the base costs nothing; the caller treats it as a file it
    could not read.
    """
    wanted = sorted(oid for oid in set(oids) if sizes.get(oid, limit + 1) <= limit)
    if not wanted:
        return {}
    out = run_git(["cat-file", "--batch"], top, stdin="".join(f"{o}\n" for o in wanted).encode())
    contents: dict[str, bytes] = {}
    position = 0
    for oid in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].decode().split(" ")
        if len(header) != 3:
            raise GitError(f"git cat-file could not read blob {oid}")
        size = int(header[2])
        contents[header[0]] = out[end + 1 : end + 1 + size]
        position = end + 1 + size + 1  # content, then a newline
    return contents
