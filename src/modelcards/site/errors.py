"""Why a build stopped."""

from __future__ import annotations


class BuildFailed(Exception):
    """The catalog is valid but the site could not be rendered, e.g. a template error."""
