"""modelcards: a git repository as a model registry.

`modelcards.record(...)` writes a version card from a training job (modelcards.recording).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"
__all__ = ["__version__", "record"]

if TYPE_CHECKING:
    from .recording import record


def __getattr__(name: str) -> Any:
    # Imported on first use: `import modelcards.validate` stays as light as it was.
    if name == "record":
        from .recording import record

        return record
    raise AttributeError(f"module 'modelcards' has no attribute {name!r}")
