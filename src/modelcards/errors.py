"""The two kinds of error the library raises, so that a caller handles kinds, not classes.

- `UsageProblem`: the request itself is wrong (a malformed MODEL@VERSION, an option that
  cannot be used, a path that cannot be read or written). The command line exits 2.
  `PathProblem`, one kind of it, is about a path rather than the command's wording, so the
  command line says so without repeating the command's usage.
- `Refusal`: a well-formed request that the library refuses, with nothing written (an edit
  that would not validate, a version that does not exist, a retired version asked for a
  deploy). The command line exits 1.

A class may derive from both where its callers need one exception for every failure and the
command line a usage error for some (recording.UnreadableInput is a RecordError a training
script catches, and a path the command line exits 2 on): the usage kind wins.
"""

from __future__ import annotations


class UsageProblem(Exception):
    """The request is malformed: exit 2, after the command's usage."""


class PathProblem(UsageProblem):
    """A path that cannot be used (read, written, or written into): exit 2."""


class Refusal(Exception):
    """A well-formed request refused, nothing written: exit 1."""
