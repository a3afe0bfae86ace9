"""Why a build stopped."""

from __future__ import annotations

from ..texts import one_line


class BuildFailed(Exception):
    """The catalog is valid but the site could not be rendered, e.g. a template error.

    Its message is one line, every control character escaped: it can quote a theme, which
    comes with pull requests (`{% include "\\x1b]0;…\\n::error::…" %}` names a template
    that is not found), and the build prints it into the CI log."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))
