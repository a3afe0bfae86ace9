"""Model versions as a CycloneDX 1.6 ML-BOM (JSON), written with the standard library.

One `machine-learning-model` component per version, one `data` component per dataset
version it was trained or evaluated on, and a dependency from each model to its training
data and to its parents inside the catalog. The output is deterministic: keys sorted,
components in catalog order, the serial number a UUID derived from the content, and a
timestamp only when SOURCE_DATE_EPOCH gives one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from .. import __version__
from ..cards import Artifact, DatasetVersion, LineageEntry, Metric, Owner
from ..catalog import Catalog, Dataset, ModelVersion
from ..semver import version_key
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
    "gpl-2.0": "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only", "agpl-3.0": "AGPL-3.0-only",
    "lgpl-2.1": "LGPL-2.1-only", "lgpl-3.0": "LGPL-3.0-only", "odbl": "ODbL-1.0",
    "odc-by": "ODC-By-1.0", "pddl": "PDDL-1.0",
}

_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+$")
_UNSET: Any = object()


def model_ref(reference: str) -> str:
    return f"model:{reference}"


def data_ref(reference: str) -> str:
    return f"dataset:{reference}"


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


def _artifact_reference(artifact: Artifact) -> dict[str, Any]:
    reference: dict[str, Any] = {"type": "distribution", "url": artifact.uri}
    facts = [f"format {artifact.format}" if artifact.format else "",
             f"{artifact.size_bytes} bytes" if artifact.size_bytes is not None else ""]
    if any(facts):
        reference["comment"] = ", ".join(f for f in facts if f)
    if artifact.sha256:
        reference["hashes"] = _hashes(artifact.sha256)
    return reference


def slice_text(metric: Metric) -> str | None:
    """CycloneDX metrics name no dataset or split, so the slice names all three."""
    parts = [
        f"dataset={metric.dataset}" if metric.dataset else "",
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
            "lowerBound": number(metric.ci[0]), "upperBound": number(metric.ci[1])
        }
    return found


def _ancestor(entry: LineageEntry) -> dict[str, Any]:
    relation = _property("relation", entry.relation.value)
    if entry.model is not None:
        name, _, version = entry.model.partition("@")
        return {"type": "machine-learning-model", "name": name, "version": version,
                "properties": [relation]}
    assert entry.external is not None
    ancestor: dict[str, Any] = {"type": "machine-learning-model", "name": entry.external,
                                "properties": [relation]}
    if entry.url:
        ancestor["externalReferences"] = [{"type": "website", "url": entry.url}]
        if entry.url.startswith("https://huggingface.co/"):
            ancestor["purl"] = f"pkg:huggingface/{entry.external}"
    return ancestor


def _evaluated_on(version: ModelVersion) -> list[str]:
    training = list(version.card.training.data) if version.card.training else []
    evaluated = [m.dataset for m in version.card.metrics if m.dataset]
    return list(dict.fromkeys(training + evaluated))


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


def _model_card(catalog: Catalog, version: ModelVersion) -> dict[str, Any]:
    parameters: dict[str, Any] = {"task": catalog.models[version.model_id].card.task}
    datasets = _evaluated_on(version)
    if datasets:
        parameters["datasets"] = [{"ref": data_ref(ref)} for ref in datasets]
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
    return found


def _external_references(catalog: Catalog, version: ModelVersion) -> list[dict[str, Any]]:
    card = version.card
    found = [_artifact_reference(a) for a in card.artifacts]
    code = card.training.code if card.training else None
    if code is not None:
        reference = {"type": "vcs", "url": code.repo}
        if code.commit:
            reference["comment"] = f"commit {code.commit}"
        found.append(reference)
    for link in catalog.models[version.model_id].card.links:
        found.append({"type": "documentation", "url": link.url, "comment": link.title})
    if card.monitoring is not None and card.monitoring.dashboard:
        dashboard = card.monitoring.dashboard
        found.append({"type": "other", "url": dashboard, "comment": "monitoring dashboard"})
    return found


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
        pedigree["commits"] = [{"uid": code.commit, "url": code.repo}]
    if pedigree:
        component["pedigree"] = pedigree
    return component


def data_component(dataset: Dataset, entry: DatasetVersion) -> dict[str, Any]:
    reference = f"{dataset.id}@{entry.version}"
    data: dict[str, Any] = {"type": "dataset", "name": dataset.card.name}
    if entry.uri:
        data["contents"] = {"url": entry.uri}
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
    if entry.uri:
        component["externalReferences"] = [{"type": "distribution", "url": entry.uri}]
    properties = []
    if entry.rows is not None:
        properties.append(_property("rows", entry.rows))
    if entry.date is not None:
        properties.append(_property("date", entry.date.isoformat()))
    if properties:
        component["properties"] = properties
    return component


def _data_components(catalog: Catalog, references: Iterable[str]) -> list[dict[str, Any]]:
    wanted = set(references)
    components = []
    for dataset_id in sorted(catalog.datasets):
        dataset = catalog.datasets[dataset_id]
        for entry in dataset.card.versions:
            if f"{dataset_id}@{entry.version}" in wanted:
                components.append(data_component(dataset, entry))
    return components


def _dependencies(versions: Sequence[ModelVersion], refs: set[str]) -> list[dict[str, Any]]:
    found = []
    for version in versions:
        training = list(version.card.training.data) if version.card.training else []
        needs = [data_ref(r) for r in training if data_ref(r) in refs]
        needs += [model_ref(e.model) for e in version.card.lineage
                  if e.model and model_ref(e.model) in refs]
        dependency: dict[str, Any] = {"ref": model_ref(version.ref)}
        if needs:
            dependency["dependsOn"] = list(dict.fromkeys(needs))
        found.append(dependency)
    return found


def catalog_order(versions: Iterable[ModelVersion]) -> list[ModelVersion]:
    return sorted(versions, key=lambda v: (v.model_id, version_key(v.version)))


def render_cyclonedx_bom(
    catalog: Catalog, versions: Sequence[ModelVersion], *, timestamp: dt.datetime | None = _UNSET
) -> dict[str, Any]:
    """A CycloneDX 1.6 BOM of these versions and the dataset versions they use.

    `timestamp` defaults to SOURCE_DATE_EPOCH (none when it is unset): same input, same BOM.
    """
    ordered = catalog_order(versions)
    components = [model_component(catalog, v) for v in ordered]
    components += _data_components(catalog, (r for v in ordered for r in _evaluated_on(v)))
    refs = {c["bom-ref"] for c in components}
    tool = {"type": "application", "name": "modelcards", "version": __version__}
    metadata: dict[str, Any] = {"tools": {"components": [tool]}}
    when = source_date_epoch() if timestamp is _UNSET else timestamp
    if when is not None:
        metadata["timestamp"] = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    bom: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": _dependencies(ordered, refs),
    }
    bom["serialNumber"] = serial_number(bom)
    return bom


def serial_number(bom: dict[str, Any]) -> str:
    """urn:uuid derived from the BOM's content (without its serial number)."""
    content = {k: v for k, v in bom.items() if k != "serialNumber"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"urn:uuid:{uuid.uuid5(SERIAL_NAMESPACE, canonical)}"


def bom_json_text(bom: dict[str, Any]) -> str:
    """The BOM as JSON text: keys sorted, two-space indent, UTF-8, final newline."""
    return dumps_indented(bom) + "\n"
