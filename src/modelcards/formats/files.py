"""Where a version's exports live next to its page on the site: README.md and bom.json."""

from __future__ import annotations

HF_FILE = "README.md"
BOM_FILE = "bom.json"


def version_export_path(ref: str, name: str) -> str:
    """A file next to a version's page: its exports README.md (Hub card) and bom.json."""
    model_id, _, version = ref.partition("@")
    return f"models/{model_id}/{version}/{name}"
