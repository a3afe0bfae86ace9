"""Exports of a resolved catalog for other tools: Hugging Face model cards and CycloneDX ML-BOMs.

Pure functions of the Catalog: they never read cards again, never print and never write;
the CLI and the site decide where the text goes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..cards import split_model_version
from ..catalog import Catalog, ModelVersion
from ..errors import PathProblem, Refusal, UsageProblem
from ..rules.references import missing_version_message
from ..texts import capped
from .cyclonedx import bom_json_text, bom_timestamp, render_cyclonedx_bom, source_date_epoch
from .files import BOM_FILE, HF_FILE
from .huggingface import hf_export_warnings, render_hf_readme

FORMATS = ("hf", "cyclonedx")


class UnknownVersion(Refusal, LookupError):
    """A MODEL@VERSION that names no version of the catalog; the message lists what exists."""


class BadReference(UsageProblem, ValueError):
    """Not of the shape MODEL@VERSION: a usage error (exit 2)."""


class UnsupportedExport(UsageProblem, ValueError):
    """An export the format cannot make (a Hugging Face card of every version): exit 2."""


class UnsafeOutput(PathProblem, ValueError):
    """An output file the export must not write (inside the catalog): a usage error."""


def is_reference(reference: str) -> bool:
    """Whether `reference` has the shape MODEL@VERSION (a model id and a SemVer version)."""
    return split_model_version(reference) is not None


def bad_reference_message(catalog: Catalog | None, reference: str) -> str:
    """Why `reference` is malformed, with the model's versions when the catalog knows it."""
    model_id = reference.partition("@")[0]
    known = capped(v.version for v in catalog.versions_of(model_id)) if catalog else ""
    hint = f"; its versions are: {known}" if known else ", such as fraud-detector@2.1.0"
    return f"{reference!r} is not MODEL@VERSION{hint}"


def check_output(output: Path, catalog_root: Path) -> None:
    """Refuse an output inside the catalog folder: it would overwrite or add a card."""
    if output.resolve().is_relative_to(catalog_root.resolve()):
        raise UnsafeOutput(
            f"refusing to write {output}: it is inside the catalog folder {catalog_root}, "
            "where every file is a card; choose a path outside it"
        )


def find_version(catalog: Catalog, reference: str) -> ModelVersion:
    if not is_reference(reference):
        raise BadReference(bad_reference_message(catalog, reference))
    model_id = reference.partition("@")[0]
    found = catalog.versions.get(reference)
    if found is None or model_id not in catalog.models:
        raise UnknownVersion(missing_version_message(catalog, reference))
    return found


__all__ = [
    "BOM_FILE",
    "FORMATS",
    "HF_FILE",
    "BadReference",
    "UnknownVersion",
    "UnsafeOutput",
    "UnsupportedExport",
    "bad_reference_message",
    "bom_json_text",
    "bom_timestamp",
    "check_output",
    "export_text",
    "export_warnings",
    "find_version",
    "hf_export_warnings",
    "is_reference",
    "render_cyclonedx_bom",
    "render_hf_readme",
    "source_date_epoch",
]


def export_text(
    catalog: Catalog, target: str | None, export_format: str, today: dt.date | None = None
) -> str:
    """The text of one export; `target` None means every version (CycloneDX only); `today`
    dates the BOM (default: SOURCE_DATE_EPOCH, else the clock's date)."""
    if export_format == "hf":
        if target is None:
            raise UnsupportedExport("--all works with --format cyclonedx only: a Hugging Face card "
                             "describes one version")
        return render_hf_readme(catalog, find_version(catalog, target))
    if target is None:
        versions = list(catalog.versions.values())
    else:
        versions = [find_version(catalog, target)]
    return bom_json_text(render_cyclonedx_bom(catalog, versions, timestamp=bom_timestamp(today)))


def export_warnings(catalog: Catalog, target: str | None, export_format: str) -> list[str]:
    """What the export cannot carry, a sentence each (the Hub's model-index has no place for
    a metric without a dataset); a CycloneDX BOM carries every metric."""
    if export_format == "hf" and target is not None:
        return hf_export_warnings(catalog, find_version(catalog, target))
    return []
