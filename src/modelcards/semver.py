"""SemVer 2.0.0 precedence, as a sort key."""

from __future__ import annotations

import functools
import re

from .cards import SEMVER_PATTERN

_SEMVER = re.compile(SEMVER_PATTERN)

# A pre-release sorts before its release; numeric identifiers before alphanumeric ones.
PrereleasePart = tuple[int, int, str]
VersionKey = tuple[int, int, int, int, tuple[PrereleasePart, ...]]


@functools.lru_cache(maxsize=65_536)  # sorting asks for the same few versions again and again
def version_key(version: str) -> VersionKey:
    """Sort key giving SemVer precedence (build metadata is ignored, as the spec says)."""
    match = _SEMVER.match(version)
    if match is None:
        raise ValueError(f"not a SemVer version: {version!r}")
    major, minor, patch, prerelease = (match.group(i) for i in range(1, 5))
    if prerelease is None:
        return int(major), int(minor), int(patch), 1, ()
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in prerelease.split(".")
    )
    return int(major), int(minor), int(patch), 0, parts


def is_prerelease(version: str) -> bool:
    """Whether `version` is a pre-release (1.0.0-rc.1), which SemVer ranks below its release."""
    return version_key(version)[3] == 0
