"""Exports of a resolved catalog for other tools: Hugging Face model cards and CycloneDX ML-BOMs.

Pure functions of the Catalog: they never read cards again, never print and never write;
the CLI and the site decide where the text goes.
"""

from __future__ import annotations

from ..catalog import Catalog, ModelVersion
from ..rules.references import missing_version_message
from .cyclonedx import bom_json_text, render_cyclonedx_bom, source_date_epoch
from .huggingface import render_hf_readme

FORMATS = ("hf", "cyclonedx")
HF_FILE = "README.md"
BOM_FILE = "bom.json"


class UnknownVersion(LookupError):
    """A MODEL@VERSION that names no version of the catalog; the message lists what exists."""


def find_version(catalog: Catalog, reference: str) -> ModelVersion:
    model_id, at, version = reference.partition("@")
    if not at or not model_id or not version:
        known = ", ".join(v.version for v in catalog.versions_of(model_id))
        hint = f"; its versions are: {known}" if known else ", such as fraud-detector@2.1.0"
        raise UnknownVersion(f"{reference!r} is not MODEL@VERSION{hint}")
    found = catalog.versions.get(reference)
    if found is None or model_id not in catalog.models:
        raise UnknownVersion(missing_version_message(catalog, reference))
    return found


__all__ = [
    "BOM_FILE",
    "FORMATS",
    "HF_FILE",
    "UnknownVersion",
    "bom_json_text",
    "export_text",
    "find_version",
    "render_cyclonedx_bom",
    "render_hf_readme",
    "source_date_epoch",
]


def export_text(catalog: Catalog, target: str | None, export_format: str) -> str:
    """The text of one export; `target` None means every version (CycloneDX only)."""
    if export_format == "hf":
        if target is None:
            raise ValueError("--all works with --format cyclonedx only: a Hugging Face card "
                             "describes one version")
        return render_hf_readme(catalog, find_version(catalog, target))
    if target is None:
        versions = list(catalog.versions.values())
    else:
        versions = [find_version(catalog, target)]
    return bom_json_text(render_cyclonedx_bom(catalog, versions))
