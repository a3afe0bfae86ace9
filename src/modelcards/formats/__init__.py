"""The catalog's formats for other tools: one registry of export formats, and the importers
beside their exporters.

Each export format is one `ExportFormat` in `EXPORT_FORMATS`: what `modelcards export
--format` accepts, the file the site writes next to every version's page (and links to from
it), and the page kind the fingerprints group with its model. Adding a format is one entry
here plus its module. Its importer, where there is one, sits beside it
(huggingface.py / huggingface_import.py); MLflow is imported only (mlflow_import.py).

Exports are pure functions of the Catalog: they never read cards again, never print and
never write; the CLI and the site decide where the text goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..cards import split_model_version
from ..catalog import Catalog, ModelVersion
from ..errors import Refusal, UsageProblem
from ..queries import last_recorded
from ..rules.references import missing_version_message
from ..texts import capped
from .cyclonedx import (
    bom_compact_text,
    bom_json_text,
    bom_timestamp,
    render_cyclonedx_bom,
    source_date_epoch,
)
from .files import BOM_FILE, HF_FILE
from .huggingface import hf_export_warnings, render_hf_readme


@dataclass(frozen=True)
class ExportFormat:
    """One export format, as the CLI, the site and the fingerprints all see it."""

    name: str  # the value of `modelcards export --format`
    file_name: str  # the file next to each version's page on the site
    page_kind: str  # the site's kind of page for that file
    title: str  # how the version page names it
    media_type: str  # the type its link on the version page announces
    # The text of the export of `versions` (one, or every version of the catalog); `today`
    # dates what needs a date (default: SOURCE_DATE_EPOCH, else the clock's date).
    render: Callable[[Catalog, Sequence[ModelVersion], dt.date | None], str]
    # The file the site writes beside a version's page: the same export, with no day in it
    # (a site's files are kept from build to build; docs/site.md, "What depends on the day").
    published: Callable[[Catalog, ModelVersion], str]
    # What the export of one version cannot carry, a sentence each.
    warnings: Callable[[Catalog, ModelVersion], list[str]]
    # Why it cannot describe the whole catalog at once (`--all`); None: it can.
    one_version_only: str | None = None


def _no_warnings(catalog: Catalog, version: ModelVersion) -> list[str]:
    return []  # a CycloneDX BOM carries every metric


HUGGING_FACE = ExportFormat(
    name="hf",
    file_name=HF_FILE,
    page_kind="hf-readme",
    title="Hugging Face model card",
    media_type="text/markdown",
    render=lambda catalog, versions, today: render_hf_readme(catalog, versions[0]),
    published=render_hf_readme,
    warnings=hf_export_warnings,
    one_version_only="a Hugging Face card describes one version",
)
CYCLONEDX = ExportFormat(
    name="cyclonedx",
    file_name=BOM_FILE,
    page_kind="cyclonedx-bom",
    title="CycloneDX ML-BOM",
    media_type="application/json",
    render=lambda catalog, versions, today: bom_json_text(
        render_cyclonedx_bom(catalog, versions, timestamp=bom_timestamp(today))
    ),
    # Dated by the version's own record; compact, as api/catalog.json is (tools read it).
    published=lambda catalog, version: bom_compact_text(
        render_cyclonedx_bom(catalog, [version], timestamp=bom_timestamp(last_recorded(version)))
    ),
    warnings=_no_warnings,
)
# In the order the version page lists them and the site writes them.
EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (HUGGING_FACE, CYCLONEDX)}
FORMATS = tuple(EXPORT_FORMATS)  # the choices of `modelcards export --format`


class UnknownVersion(Refusal, LookupError):
    """A MODEL@VERSION that names no version of the catalog; the message lists what exists."""


class BadReference(UsageProblem, ValueError):
    """Not of the shape MODEL@VERSION: a usage error (exit 2)."""


class UnsupportedExport(UsageProblem, ValueError):
    """An export the format cannot make (a Hugging Face card of every version): exit 2."""


def is_reference(reference: str) -> bool:
    """Whether `reference` has the shape MODEL@VERSION (a model id and a SemVer version)."""
    return split_model_version(reference) is not None


def bad_reference_message(catalog: Catalog | None, reference: str) -> str:
    """Why `reference` is malformed, with the model's versions when the catalog knows it."""
    model_id = reference.partition("@")[0]
    known = capped(v.version for v in catalog.versions_of(model_id)) if catalog else ""
    hint = f"; its versions are: {known}" if known else ", such as fraud-detector@2.1.0"
    return f"{reference!r} is not MODEL@VERSION{hint}"


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
    "CYCLONEDX",
    "EXPORT_FORMATS",
    "FORMATS",
    "HF_FILE",
    "HUGGING_FACE",
    "BadReference",
    "ExportFormat",
    "UnknownVersion",
    "UnsupportedExport",
    "bad_reference_message",
    "bom_compact_text",
    "bom_json_text",
    "bom_timestamp",
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
    """The text of one export; `target` None means every version (for the formats that
    can describe a whole catalog); `today` dates the BOM (default: SOURCE_DATE_EPOCH, else
    the clock's date)."""
    chosen = EXPORT_FORMATS[export_format]
    if target is not None:
        return chosen.render(catalog, [find_version(catalog, target)], today)
    if chosen.one_version_only is not None:
        whole = " or ".join(f.name for f in EXPORT_FORMATS.values() if f.one_version_only is None)
        raise UnsupportedExport(
            f"--all works with --format {whole} only: {chosen.one_version_only}"
        )
    return chosen.render(catalog, list(catalog.versions.values()), today)


def export_warnings(catalog: Catalog, target: str | None, export_format: str) -> list[str]:
    """What the export cannot carry, a sentence each (the Hub's model-index has no place for
    a metric without a dataset)."""
    if target is None:
        return []
    return EXPORT_FORMATS[export_format].warnings(catalog, find_version(catalog, target))
