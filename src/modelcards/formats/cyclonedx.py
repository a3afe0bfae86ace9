"""Model versions as a CycloneDX 1.6 ML-BOM (JSON), written with the standard library.

One `machine-learning-model` component per version (the BOM's subject, metadata.component,
when there is one version; the catalog is the subject of a BOM of several), one `data`
component per dataset version it was trained or evaluated on, in the catalog or outside it,
and a dependency graph with an entry per component: each model depends on its training data
and its parents inside the BOM. The output is deterministic: keys sorted, components in
catalog order, the serial number a UUID derived from the content, and the timestamp the day's
midnight (UTC) of --today, else SOURCE_DATE_EPOCH, else the clock's date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urljoin

from .. import __version__
from ..cards import Artifact, DatasetVersion, ExternalDataset, LineageEntry, Metric, Owner
from ..catalog import Catalog, Dataset, ModelVersion
from ..semver import version_key
from ..texts import json_text
from ..urls import recorded_uri
from .files import HF_FILE, version_export_path
from .jsontext import dumps_indented

SPEC_VERSION = "1.6"
SCHEMA_URL = "http://cyclonedx.org/schema/bom-1.6.schema.json"
PROPERTY_PREFIX = "modelcards:"
# Names the serial numbers of modelcards BOMs: uuid5(namespace, canonical content).
SERIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/modelcards/cyclonedx")

# SPDX ids of common model and data licenses, by their lowercase form (cards and the Hub write
# them lowercase). Any other license is written as a named license, which the schema accepts.
_SPDX_LIST = """
Apache-2.0 MIT BSD-2-Clause BSD-3-Clause BSD-3-Clause-Clear BSL-1.0 ISC Zlib Unlicense WTFPL
MPL-2.0 EPL-1.0 EPL-2.0 ECL-2.0 EUPL-1.1 EUPL-1.2 AFL-3.0 Artistic-2.0 OSL-3.0 PostgreSQL NCSA
GPL-2.0-only GPL-2.0-or-later GPL-3.0-only GPL-3.0-or-later AGPL-3.0-only AGPL-3.0-or-later
LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0-only LGPL-3.0-or-later GFDL-1.3-only
CC0-1.0 CC-BY-2.0 CC-BY-2.5 CC-BY-3.0 CC-BY-4.0 CC-BY-SA-3.0 CC-BY-SA-4.0 CC-BY-NC-2.0
CC-BY-NC-3.0 CC-BY-NC-4.0 CC-BY-ND-4.0 CC-BY-NC-ND-3.0 CC-BY-NC-ND-4.0 CC-BY-NC-SA-2.0
CC-BY-NC-SA-3.0 CC-BY-NC-SA-4.0 CDLA-Sharing-1.0 CDLA-Permissive-1.0 CDLA-Permissive-2.0
ODbL-1.0 ODC-By-1.0 PDDL-1.0 OFL-1.1 LPPL-1.3c MS-PL etalab-2.0
"""
SPDX_IDS = {spdx.lower(): spdx for spdx in _SPDX_LIST.split()}
# The Hub's short names for licenses whose SPDX id carries a suffix.
SPDX_IDS |= {
    "gpl-2.0": "GPL-2.0-only",
    "gpl-3.0": "GPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3.0": "LGPL-3.0-only",
    "odbl": "ODbL-1.0",
    "odc-by": "ODC-By-1.0",
    "pddl": "PDDL-1.0",
}

_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+$")


def model_ref(reference: str) -> str:
    return f"model:{reference}"


def data_ref(reference: str) -> str:
    return f"dataset:{reference}"


def external_data_ref(external: ExternalDataset) -> str:
    return f"external-dataset:{external.reference}"


CATALOG_REF = "catalog"

# What a model of each task takes and gives (CycloneDX modelParameters inputs and outputs),
# and how such models learn, where the task says so; other tasks leave them out.
_SUPERVISED = "supervised"
TASK_PARAMETERS: dict[str, tuple[str | None, str, str]] = {
    task: (approach, given, gives)
    for task, approach, given, gives in (
        ("tabular-classification", _SUPERVISED, "tabular", "class label"),
        ("tabular-regression", _SUPERVISED, "tabular", "number"),
        ("time-series-forecasting", _SUPERVISED, "time series", "time series"),
        ("text-classification", _SUPERVISED, "text", "class label"),
        ("token-classification", _SUPERVISED, "text", "token labels"),
        ("zero-shot-classification", None, "text", "class label"),
        ("question-answering", _SUPERVISED, "text", "text"),
        ("translation", _SUPERVISED, "text", "text"),
        ("summarization", _SUPERVISED, "text", "text"),
        ("text-generation", None, "text", "text"),
        ("text2text-generation", None, "text", "text"),
        ("fill-mask", "self-supervised", "text", "text"),
        ("feature-extraction", None, "text", "embedding vector"),
        ("sentence-similarity", None, "text", "similarity score"),
        ("automatic-speech-recognition", _SUPERVISED, "audio", "text"),
        ("audio-classification", _SUPERVISED, "audio", "class label"),
        ("text-to-speech", _SUPERVISED, "text", "audio"),
        ("image-classification", _SUPERVISED, "image", "class label"),
        ("object-detection", _SUPERVISED, "image", "bounding boxes"),
        ("image-segmentation", _SUPERVISED, "image", "segmentation mask"),
        ("image-to-text", _SUPERVISED, "image", "text"),
        ("text-to-image", None, "text", "image"),
        ("reinforcement-learning", "reinforcement-learning", "observation", "action"),
        ("robotics", "reinforcement-learning", "observation", "action"),
    )
}


def bom_timestamp(today: dt.date | None = None) -> dt.datetime:
    """When the BOM was made: `today` at midnight UTC, else SOURCE_DATE_EPOCH, else the
    clock's date at midnight UTC, so that the same catalog gives the same BOM all day."""
    if today is None:
        exact = source_date_epoch()
        if exact is not None:
            return exact
        today = dt.datetime.now(dt.timezone.utc).date()
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc)


def source_date_epoch() -> dt.datetime | None:
    """The build time SOURCE_DATE_EPOCH asks for, or None (then the BOM has no timestamp)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch else None
    except (ValueError, OverflowError, OSError):
        return None  # an unusable value is ignored, as reproducible-builds.org asks


def licenses(license_id: str | None) -> list[dict[str, Any]]:
    if license_id is None:
        return []
    spdx = SPDX_IDS.get(license_id.lower())
    return [{"license": {"id": spdx} if spdx else {"name": license_id}}]


def number(value: float) -> str:
    return repr(value)


def _property(name: str, value: object) -> dict[str, str]:
    text = value if isinstance(value, str) else json.dumps(value)
    return {"name": PROPERTY_PREFIX + name, "value": text}


def _contacts(owners: Iterable[Owner]) -> list[dict[str, str]]:
    found = []
    for owner in owners:
        contact = {"name": owner.name}
        if owner.contact and _EMAIL.match(owner.contact):
            contact["email"] = owner.contact
        found.append(contact)
    return found


def _hashes(sha256: str | None) -> list[dict[str, str]]:
    return [{"alg": "SHA-256", "content": sha256}] if sha256 else []


def _artifact_reference(artifact: Artifact) -> dict[str, Any] | None:
    url = recorded_uri(artifact.uri)
    if url is None:
        return None
    reference: dict[str, Any] = {"type": "distribution", "url": url}
    facts = [
        f"format {artifact.format}" if artifact.format else "",
        f"{artifact.size_bytes} bytes" if artifact.size_bytes is not None else "",
    ]
    if any(facts):
        reference["comment"] = ", ".join(f for f in facts if f)
    if artifact.sha256:
        reference["hashes"] = _hashes(artifact.sha256)
    return reference


def slice_text(metric: Metric) -> str | None:
    """CycloneDX metrics name no dataset or split, so the slice names all three."""
    parts = [
        f"dataset={metric.evaluated_on}" if metric.evaluated_on else "",
        f"split={metric.split}" if metric.split else "",
        f"slice={metric.slice}" if metric.slice else "",
    ]
    text = "; ".join(p for p in parts if p)
    return text or None


def performance_metric(metric: Metric) -> dict[str, Any]:
    found: dict[str, Any] = {"type": metric.name, "value": number(metric.value)}
    where = slice_text(metric)
    if where:
        found["slice"] = where
    if metric.ci:
        found["confidenceInterval"] = {
            "lowerBound": number(metric.ci[0]),
            "upperBound": number(metric.ci[1]),
        }
    return found


def _ancestor(entry: LineageEntry) -> dict[str, Any]:
    relation = _property("relation", entry.relation.value)
    if entry.model is not None:
        name, _, version = entry.model.partition("@")
        return {
            "type": "machine-learning-model",
            "name": name,
            "version": version,
            "properties": [relation],
        }
    assert entry.external is not None
    ancestor: dict[str, Any] = {
        "type": "machine-learning-model",
        "name": entry.external,
        "properties": [relation],
    }
    url = recorded_uri(entry.url)
    if url is not None:
        ancestor["externalReferences"] = [{"type": "website", "url": url}]
        if url.startswith("https://huggingface.co/"):
            ancestor["purl"] = f"pkg:huggingface/{entry.external}"
    return ancestor


def _catalog_data(version: ModelVersion) -> list[str]:
    """The catalog dataset versions a version was trained or evaluated on, each once."""
    training = list(version.card.training.data) if version.card.training else []
    evaluated = [m.dataset for m in version.card.metrics if m.dataset]
    return list(dict.fromkeys(training + evaluated))


def _external_data(version: ModelVersion) -> list[ExternalDataset]:
    """The datasets outside the catalog it was trained or evaluated on, each once."""
    training = list(version.card.training.external_data) if version.card.training else []
    evaluated = [m.external_dataset for m in version.card.metrics if m.external_dataset]
    return list({external.reference: external for external in training + evaluated}.values())


def _data_refs(version: ModelVersion) -> list[str]:
    return [data_ref(ref) for ref in _catalog_data(version)] + [
        external_data_ref(external) for external in _external_data(version)
    ]


def _risk(name: str, mitigation: str | None) -> dict[str, str]:
    return {"name": name, "mitigationStrategy": mitigation} if mitigation else {"name": name}


def _considerations(catalog: Catalog, version: ModelVersion) -> dict[str, Any]:
    model = catalog.models[version.model_id].card
    found: dict[str, Any] = {}
    if model.intended_use is not None:
        if model.intended_use.users:
            found["users"] = list(model.intended_use.users)
        if model.intended_use.uses:
            found["useCases"] = list(model.intended_use.uses)
    if model.considerations is not None:
        if model.considerations.limitations:
            found["technicalLimitations"] = list(model.considerations.limitations)
        if model.considerations.ethical:
            found["ethicalConsiderations"] = [
                _risk(risk.name, risk.mitigation) for risk in model.considerations.ethical
            ]
    return found


def _model_parameters(catalog: Catalog, version: ModelVersion) -> dict[str, Any]:
    """task, approach, architecture, datasets, inputs and outputs, as far as the cards say."""
    task = catalog.models[version.model_id].card.task
    parameters: dict[str, Any] = {"task": task}
    approach, given, gives = TASK_PARAMETERS.get(task, (None, None, None))
    if approach is not None:
        parameters["approach"] = {"type": approach}
    architecture = version.card.architecture
    if architecture is not None and architecture.family:
        parameters["architectureFamily"] = architecture.family
    if architecture is not None and architecture.name:
        parameters["modelArchitecture"] = architecture.name
    refs = _data_refs(version)
    if refs:
        parameters["datasets"] = [{"ref": ref} for ref in refs]
    if given is not None and gives is not None:
        parameters["inputs"] = [{"format": given}]
        parameters["outputs"] = [{"format": gives}]
    return parameters


def _model_card(catalog: Catalog, version: ModelVersion) -> dict[str, Any]:
    parameters = _model_parameters(catalog, version)
    card: dict[str, Any] = {"bom-ref": f"model-card:{version.ref}", "modelParameters": parameters}
    if version.card.metrics:
        card["quantitativeAnalysis"] = {
            "performanceMetrics": [performance_metric(m) for m in version.card.metrics]
        }
    considerations = _considerations(catalog, version)
    if considerations:
        card["considerations"] = considerations
    return card


def _properties(catalog: Catalog, version: ModelVersion) -> list[dict[str, str]]:
    """What CycloneDX has no field for, as modelcards:* properties (names documented)."""
    model = catalog.models[version.model_id].card
    card = version.card
    found = [_property("stage", card.stage.value), _property("released", card.released.isoformat())]
    if model.primary_metric:
        found.append(_property("primary_metric", model.primary_metric))
    if card.framework is not None:
        found.append(_property("framework", card.framework.name))
        if card.framework.version:
            found.append(_property("framework_version", card.framework.version))
    use = model.intended_use
    found += [_property("out_of_scope", text) for text in (use.out_of_scope if use else [])]
    if model.considerations is not None and model.considerations.caveats:
        found.append(_property("caveats", model.considerations.caveats))
    training = card.training
    if training is not None:
        found += [_property(f"hyperparameter:{k}", v) for k, v in training.hyperparameters.items()]
        if training.seed is not None:
            found.append(_property("seed", training.seed))
        environment = training.environment
        if environment is not None:
            for field in ("python", "container", "hardware", "packages_sha256"):
                value = getattr(environment, field)
                if value:
                    found.append(_property(f"environment:{field}", value))
            found += [_property(f"package:{k}", v) for k, v in environment.packages.items()]
    return found + _unrecorded(catalog, version)


def _external_references(catalog: Catalog, version: ModelVersion) -> list[dict[str, Any]]:
    """Every URI of the version a BOM can hold as a URL (urls.recorded_uri); the others are
    properties (_unrecorded), as text."""
    card = version.card
    found = [ref for ref in map(_artifact_reference, card.artifacts) if ref is not None]
    code = card.training.code if card.training else None
    if code is not None and (repo := recorded_uri(code.repo)) is not None:
        reference = {"type": "vcs", "url": repo}
        if code.commit:
            reference["comment"] = f"commit {code.commit}"
        found.append(reference)
    for link in catalog.models[version.model_id].card.links:
        if (url := recorded_uri(link.url)) is not None:
            found.append({"type": "documentation", "url": url, "comment": link.title})
    dashboard = card.monitoring.dashboard if card.monitoring is not None else None
    if (url := recorded_uri(dashboard)) is not None:
        found.append({"type": "other", "url": url, "comment": "monitoring dashboard"})
    base_url = recorded_uri(catalog.settings.base_url)
    if base_url:
        readme = urljoin(base_url, version_export_path(version.ref, HF_FILE))
        found.append(
            {
                "type": "model-card",
                "url": readme,
                "comment": "the version's model card (Hugging Face README)",
            }
        )
    return found


def _unrecorded(catalog: Catalog, version: ModelVersion) -> list[dict[str, str]]:
    """The version's URIs that a BOM cannot hold as URLs, kept as text."""
    card = version.card
    code = card.training.code if card.training else None
    named = [
        *((f"artifact {a.uri}", a.uri) for a in card.artifacts),
        *(((f"code {code.repo}", code.repo),) if code is not None else ()),
        *(
            (f"link {link.title}: {link.url}", link.url)
            for link in catalog.models[version.model_id].card.links
        ),
        *(
            ((f"dashboard {card.monitoring.dashboard}", card.monitoring.dashboard),)
            if card.monitoring is not None and card.monitoring.dashboard
            else ()
        ),
    ]
    return [_property("uri", text) for text, uri in named if recorded_uri(uri) is None]


def model_component(catalog: Catalog, version: ModelVersion) -> dict[str, Any]:
    model = catalog.models[version.model_id].card
    card = version.card
    component: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": model_ref(version.ref),
        "name": version.model_id,
        "version": version.version,
        "description": card.summary,
        "authors": _contacts(model.owners),
        "modelCard": _model_card(catalog, version),
        "properties": _properties(catalog, version),
    }
    hashes = [h for a in card.artifacts for h in _hashes(a.sha256)]
    if hashes:
        component["hashes"] = hashes
    if model.license:
        component["licenses"] = licenses(model.license)
    if model.tags:
        component["tags"] = list(model.tags)
    references = _external_references(catalog, version)
    if references:
        component["externalReferences"] = references
    pedigree: dict[str, Any] = {}
    if card.lineage:
        pedigree["ancestors"] = [_ancestor(entry) for entry in card.lineage]
    code = card.training.code if card.training else None
    if code is not None and code.commit:
        commit = {"uid": code.commit, "url": recorded_uri(code.repo)}
        pedigree["commits"] = [{k: v for k, v in commit.items() if v is not None}]
    if pedigree:
        component["pedigree"] = pedigree
    return component


def data_component(dataset: Dataset, entry: DatasetVersion) -> dict[str, Any]:
    reference = f"{dataset.id}@{entry.version}"
    data: dict[str, Any] = {"type": "dataset", "name": dataset.card.name}
    url = recorded_uri(entry.uri)
    if url is not None:
        data["contents"] = {"url": url}
    if dataset.card.classification:
        data["classification"] = dataset.card.classification
    owners = [{"organization": {"name": o.name}} for o in dataset.card.owners]
    data["governance"] = {"owners": owners}
    component: dict[str, Any] = {
        "type": "data",
        "bom-ref": data_ref(reference),
        "name": dataset.id,
        "version": entry.version,
        "description": entry.description or dataset.card.summary,
        "data": [data],
    }
    if entry.sha256:
        component["hashes"] = _hashes(entry.sha256)
    if dataset.card.license:
        component["licenses"] = licenses(dataset.card.license)
    if url is not None:
        component["externalReferences"] = [{"type": "distribution", "url": url}]
    properties = []
    if entry.rows is not None:
        properties.append(_property("rows", entry.rows))
    if entry.date is not None:
        properties.append(_property("date", entry.date.isoformat()))
    if properties:
        component["properties"] = properties
    return component


def external_data_component(external: ExternalDataset) -> dict[str, Any]:
    """A dataset outside the catalog: what the cards say of it (its id, config, revision)."""
    data: dict[str, Any] = {"type": "dataset", "name": external.name or external.id}
    if external.config:
        data["description"] = f"configuration {external.config}"
    component: dict[str, Any] = {
        "type": "data",
        "bom-ref": external_data_ref(external),
        "name": external.id,
        "data": [data],
        "properties": [_property("external", True)],
    }
    if external.revision:
        component["version"] = external.revision
    return component


def _data_components(catalog: Catalog, versions: Sequence[ModelVersion]) -> list[dict[str, Any]]:
    """The catalog's dataset versions the versions use (by dataset id and card order), then the
    external datasets (in the order the versions name them)."""
    wanted = {ref for version in versions for ref in _catalog_data(version)}
    components = []
    for dataset_id in sorted(catalog.datasets):
        dataset = catalog.datasets[dataset_id]
        for entry in dataset.card.versions:
            if f"{dataset_id}@{entry.version}" in wanted:
                components.append(data_component(dataset, entry))
    external = {e.reference: e for version in versions for e in _external_data(version)}
    return components + [external_data_component(e) for e in external.values()]


def _training_refs(version: ModelVersion) -> list[str]:
    training = version.card.training
    if training is None:
        return []
    return [data_ref(ref) for ref in training.data] + [
        external_data_ref(external) for external in training.external_data
    ]


def _dependencies(
    versions: Sequence[ModelVersion], components: Sequence[dict[str, Any]], subject: str
) -> list[dict[str, Any]]:
    """One entry per component, the BOM's subject first: a model depends on its training data
    and its parents in the BOM; a catalog on its models; data on nothing."""
    refs = {c["bom-ref"] for c in components} | {subject}
    needs: dict[str, list[str]] = {}
    for version in versions:
        found = [ref for ref in _training_refs(version) if ref in refs]
        found += [
            model_ref(e.model)
            for e in version.card.lineage
            if e.model and model_ref(e.model) in refs
        ]
        needs[model_ref(version.ref)] = list(dict.fromkeys(found))
    if subject == CATALOG_REF:
        needs[CATALOG_REF] = [model_ref(v.ref) for v in versions]
    found_entries = []
    for ref in [subject, *(c["bom-ref"] for c in components if c["bom-ref"] != subject)]:
        entry: dict[str, Any] = {"ref": ref}
        if needs.get(ref):
            entry["dependsOn"] = needs[ref]
        found_entries.append(entry)
    return found_entries


def catalog_order(versions: Iterable[ModelVersion]) -> list[ModelVersion]:
    return sorted(versions, key=lambda v: (v.model_id, version_key(v.version)))


def catalog_component(catalog: Catalog) -> dict[str, Any]:
    """The subject of a BOM of several versions: the catalog they belong to."""
    component: dict[str, Any] = {
        "type": "application",
        "bom-ref": CATALOG_REF,
        "name": catalog.settings.title,
        "description": "A model catalog: every version in this BOM.",
    }
    if (url := recorded_uri(catalog.settings.base_url)) is not None:
        component["externalReferences"] = [{"type": "website", "url": url}]
    return component


def render_cyclonedx_bom(
    catalog: Catalog, versions: Sequence[ModelVersion], *, timestamp: dt.datetime | None = None
) -> dict[str, Any]:
    """A CycloneDX 1.6 BOM of these versions and the datasets they use.

    The BOM's subject (`metadata.component`) is the version itself when there is one, else the
    catalog; `timestamp` defaults to bom_timestamp(): same input and day, same BOM.
    """
    ordered = catalog_order(versions)
    models = [model_component(catalog, v) for v in ordered]
    subject = models.pop(0) if len(models) == 1 else catalog_component(catalog)
    components = models + _data_components(catalog, ordered)
    tool = {"type": "application", "name": "modelcards", "version": __version__}
    when = timestamp if timestamp is not None else bom_timestamp()
    metadata: dict[str, Any] = {
        "timestamp": when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tools": {"components": [tool]},
        "component": subject,
    }
    bom: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": _dependencies(ordered, components, subject["bom-ref"]),
    }
    bom["serialNumber"] = serial_number(bom)
    return bom


def serial_number(bom: dict[str, Any]) -> str:
    """urn:uuid derived from the BOM's content (without its serial number)."""
    content = {k: v for k, v in bom.items() if k != "serialNumber"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"urn:uuid:{uuid.uuid5(SERIAL_NAMESPACE, canonical)}"


def bom_json_text(bom: dict[str, Any]) -> str:
    """The BOM as JSON text: keys sorted, two-space indent, UTF-8, final newline; controls
    and bidirectional characters in card text escaped (texts.json_text)."""
    return json_text(dumps_indented(bom)) + "\n"


def bom_compact_text(bom: dict[str, Any]) -> str:
    """The same JSON without indentation or spaces (the site's files: a third smaller, and
    written by json's C encoder, which indenting would not use)."""
    compact = json.dumps(bom, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return json_text(compact) + "\n"
