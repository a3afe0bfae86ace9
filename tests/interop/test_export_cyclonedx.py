"""`modelcards export --format cyclonedx`: valid CycloneDX 1.6 ML-BOMs that carry the cards' facts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from modelcards.catalog import Catalog, ModelVersion
from modelcards.cli import cli
from modelcards.formats import bom_json_text, bom_timestamp, render_cyclonedx_bom
from modelcards.formats.cyclonedx import SERIAL_NAMESPACE
from modelcards.formats.files import BOM_FILE, version_export_path
from modelcards.queries import last_recorded
from modelcards.site.build import SiteConfig, build_site
from modelcards.validate import validate_catalog

from ..helpers.catalogs import EXAMPLE_CATALOG, SMALL, CatalogMaker, edit

VALIDATOR = JsonStrictValidator(SchemaVersion.V1_6)


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = validate_catalog(EXAMPLE_CATALOG)
    assert result.errors == []
    return result.catalog


def every_component(bom: dict[str, Any]) -> list[dict[str, Any]]:
    """The BOM's subject (metadata.component) and its components."""
    return [bom["metadata"]["component"], *bom["components"]]


def components(bom: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {c["bom-ref"]: c for c in every_component(bom) if c["type"] == kind}


def check_dependency_graph(bom: dict[str, Any]) -> None:
    """An entry per component, the subject's first, each once, naming only components."""
    refs = [c["bom-ref"] for c in every_component(bom)]
    assert len(refs) == len(set(refs))
    entries = [d["ref"] for d in bom["dependencies"]]
    assert entries == refs
    for dependency in bom["dependencies"]:
        assert set(dependency.get("dependsOn", [])) <= set(refs)


def expected_metric(m: Any) -> dict[str, Any]:
    where = "; ".join(
        part
        for part in (
            f"dataset={m.dataset}" if m.dataset else "",
            f"split={m.split}" if m.split else "",
            f"slice={m.slice}" if m.slice else "",
        )
        if part
    )
    found: dict[str, Any] = {"type": m.name, "value": str(m.value)}
    if where:
        found["slice"] = where
    if m.ci:
        found["confidenceInterval"] = {"lowerBound": str(m.ci[0]), "upperBound": str(m.ci[1])}
    return found


def check_model_component(
    catalog: Catalog, version: ModelVersion, component: dict[str, Any]
) -> None:
    card = version.card
    assert (component["name"], component["version"]) == (version.model_id, version.version)
    hashes = [{"alg": "SHA-256", "content": a.sha256} for a in card.artifacts if a.sha256]
    assert component.get("hashes", []) == hashes
    distributions = [
        r for r in component.get("externalReferences", []) if r["type"] == "distribution"
    ]
    assert [r["url"] for r in distributions] == [a.uri for a in card.artifacts]
    vcs = [r["url"] for r in component.get("externalReferences", []) if r["type"] == "vcs"]
    assert vcs == ([card.training.code.repo] if card.training and card.training.code else [])
    ancestors = component.get("pedigree", {}).get("ancestors", [])
    assert [(a["name"], a.get("version"), a["properties"]) for a in ancestors] == [
        (
            e.model.partition("@")[0] if e.model else e.external,
            e.model.partition("@")[2] if e.model else None,
            [{"name": "modelcards:relation", "value": e.relation.value}],
        )
        for e in card.lineage
    ]
    model_card = component["modelCard"]
    assert model_card["modelParameters"]["task"] == catalog.models[version.model_id].card.task
    metrics = model_card.get("quantitativeAnalysis", {}).get("performanceMetrics", [])
    assert metrics == [expected_metric(m) for m in card.metrics]


def check_data_components(catalog: Catalog, bom: dict[str, Any], references: set[str]) -> None:
    data = components(bom, "data")
    assert set(data) == {f"dataset:{r}" for r in references}
    for reference in references:
        dataset_id, _, name = reference.partition("@")
        entry = next(v for v in catalog.datasets[dataset_id].card.versions if v.version == name)
        component = data[f"dataset:{reference}"]
        assert (component["name"], component["version"]) == (dataset_id, name)
        assert component.get("hashes") == (
            [{"alg": "SHA-256", "content": entry.sha256}] if entry.sha256 else None
        )


def used_datasets(version: ModelVersion) -> set[str]:
    training = set(version.card.training.data) if version.card.training else set()
    return training | {m.dataset for m in version.card.metrics if m.dataset}


def test_every_example_version_exports_a_valid_bom(example: Catalog) -> None:
    for version in example.versions.values():
        bom = render_cyclonedx_bom(example, [version])
        assert VALIDATOR.validate_str(bom_json_text(bom)) is None, version.ref
        models = components(bom, "machine-learning-model")
        assert list(models) == [f"model:{version.ref}"]
        assert bom["metadata"]["component"]["bom-ref"] == f"model:{version.ref}"
        check_model_component(example, version, models[f"model:{version.ref}"])
        check_data_components(example, bom, used_datasets(version))
        check_dependency_graph(bom)
        parameters = models[f"model:{version.ref}"]["modelCard"]["modelParameters"]
        refs = {d["ref"] for d in parameters.get("datasets", [])}
        assert refs == {f"dataset:{r}" for r in used_datasets(version)}


def test_whole_catalog_bom(example: Catalog) -> None:
    bom = render_cyclonedx_bom(example, list(example.versions.values()))
    assert VALIDATOR.validate_str(bom_json_text(bom)) is None
    models = components(bom, "machine-learning-model")
    assert set(models) == {f"model:{ref}" for ref in example.versions}
    for ref, version in example.versions.items():
        check_model_component(example, version, models[f"model:{ref}"])
    check_data_components(example, bom, set().union(*map(used_datasets, example.versions.values())))
    check_dependency_graph(bom)
    subject = bom["metadata"]["component"]
    assert (subject["type"], subject["bom-ref"], subject["name"]) == (
        "application",
        "catalog",
        "Kestrel Labs model catalog",
    )
    assert bom["dependencies"][0] == {
        "ref": "catalog",
        "dependsOn": sorted(
            (f"model:{ref}" for ref in example.versions),
            key=lambda r: [m["bom-ref"] for m in bom["components"]].index(r),
        ),
    }
    edge = next(d for d in bom["dependencies"] if d["ref"] == "model:callcenter-asr@2.0.1")
    assert edge["dependsOn"] == ["dataset:support-calls@2026-03", "model:callcenter-asr@2.0.0"]


def test_ci_bounds_slices_and_external_ancestor(example: Catalog) -> None:
    bom = render_cyclonedx_bom(example, [example.versions["callcenter-asr@1.0.0"]])
    model = components(bom, "machine-learning-model")["model:callcenter-asr@1.0.0"]
    assert model["modelCard"]["quantitativeAnalysis"]["performanceMetrics"] == [
        {
            "type": "wer",
            "value": "0.126",
            "slice": "dataset=support-calls@2025-03; split=test",
            "confidenceInterval": {"lowerBound": "0.121", "upperBound": "0.131"},
        },
        {"type": "cer", "value": "0.061", "slice": "dataset=support-calls@2025-03; split=test"},
        {
            "type": "wer",
            "value": "0.171",
            "slice": "dataset=support-calls@2025-03; split=test; slice=de-CH",
        },
    ]
    assert model["pedigree"]["ancestors"] == [
        {
            "type": "machine-learning-model",
            "name": "openai/whisper-small",
            "purl": "pkg:huggingface/openai/whisper-small",
            "externalReferences": [
                {"type": "website", "url": "https://huggingface.co/openai/whisper-small"}
            ],
            "properties": [{"name": "modelcards:relation", "value": "fine-tuned"}],
        }
    ]
    assert model["licenses"] == [{"license": {"name": "proprietary"}}]


def test_spdx_license_becomes_an_id(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = make_catalog(
        {
            "models/small/model.yaml": """\
        name: Small fraud detector
        summary: A distilled fraud model for the edge.
        owners: [{name: Edge ML}]
        task: tabular-classification
        license: apache-2.0
        """
        }
    )
    catalog = validate_catalog(root).catalog
    bom = render_cyclonedx_bom(catalog, [catalog.versions["small@0.1.0"]])
    assert VALIDATOR.validate_str(bom_json_text(bom)) is None
    assert bom["metadata"]["component"]["licenses"] == [{"license": {"id": "Apache-2.0"}}]


def test_serial_number_is_derived_from_content(example: Catalog) -> None:
    bom = render_cyclonedx_bom(example, [example.versions["fraud-detector@2.1.0"]])
    content = {k: v for k, v in bom.items() if k != "serialNumber"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert bom["serialNumber"] == f"urn:uuid:{uuid.uuid5(SERIAL_NAMESPACE, canonical)}"
    other = render_cyclonedx_bom(example, [example.versions["fraud-detector@2.2.0"]])
    assert other["serialNumber"] != bom["serialNumber"]


# ---- through the CLI ----------------------------------------------------------------------


def export(runner: CliRunner, *args: str) -> bytes:
    result = runner.invoke(cli, ["export", *args, str(EXAMPLE_CATALOG), "--format", "cyclonedx"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_cli_output_is_byte_identical(runner: CliRunner) -> None:
    assert export(runner, "fraud-detector@2.1.0") == export(runner, "fraud-detector@2.1.0")


def test_the_timestamp_comes_from_today_or_source_date_epoch(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--today (midnight UTC), else SOURCE_DATE_EPOCH, else the clock's date: a build is the
    same all day, and a reproducible build is the same on every day."""
    plain = json.loads(export(runner, "fraud-detector@2.1.0"))
    plain = json.loads(export(runner, "fraud-detector@2.1.0"))
    assert plain["metadata"]["timestamp"] == dt.datetime.now(dt.timezone.utc).strftime(
        "%Y-%m-%dT00:00:00Z"
    )
    # Dates after the catalog's last event: export validates against the same today.
    dated = json.loads(export(runner, "fraud-detector@2.1.0", "--today", "2026-11-28"))
    assert dated["metadata"]["timestamp"] == "2026-11-28T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795654800")
    stamped = json.loads(export(runner, "fraud-detector@2.1.0"))
    assert stamped["metadata"]["timestamp"] == "2026-11-26T01:00:00Z"
    assert json.loads(export(runner, "fraud-detector@2.1.0", "--today", "2026-11-28")) == dated
    assert stamped["serialNumber"] != dated["serialNumber"]
    assert VALIDATOR.validate_str(json.dumps(stamped)) is None


def test_cli_all_writes_one_bom(runner: CliRunner, example: Catalog) -> None:
    result = runner.invoke(
        cli, ["export", "--all", str(EXAMPLE_CATALOG), "--format", "cyclonedx", "-o", "bom.json"]
    )
    assert (result.exit_code, result.output) == (0, "wrote bom.json\n")
    text = Path("bom.json").read_text(encoding="utf-8")
    assert VALIDATOR.validate_str(text) is None
    assert text == bom_json_text(render_cyclonedx_bom(example, list(example.versions.values())))


def test_cli_unknown_version(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["export", "fraud-detector@9.0.0", str(EXAMPLE_CATALOG), "--format", "cyclonedx"]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: model 'fraud-detector' has no version 9.0.0; its versions are: "
        "1.0.0, 2.0.0, 2.1.0, 2.2.0, 3.0.0-rc.1\n"
    )


def test_cli_unwritable_output_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "export",
            "fraud-detector@2.1.0",
            str(EXAMPLE_CATALOG),
            "--format",
            "cyclonedx",
            "-o",
            "missing/bom.json",
        ],
    )
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot write missing/bom.json: ")


def test_cli_refuses_to_write_a_bom_into_the_catalog(runner: CliRunner, tmp_path: Path) -> None:
    catalog = tmp_path / "copy"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    result = runner.invoke(
        cli, ["export", "--all", "copy", "--format", "cyclonedx", "-o", "copy/models/bom.json"]
    )
    assert (result.exit_code, result.output) == (
        2,
        (
            "Error: refusing to write copy/models/bom.json: it is inside the catalog folder copy, "
            "where every file is a card; choose a path outside it\n"
        ),
    )
    assert not (catalog / "models" / "bom.json").exists()


# ---- the model-card fields the cards can fill ----------------------------------------------


def test_model_card_fields_the_cards_fill(example: Catalog) -> None:
    """approach, inputs and outputs from the task; architecture; the data's classification;
    a model-card reference to the version's README on the published site."""
    bom = render_cyclonedx_bom(example, [example.versions["callcenter-asr@2.0.1"]])
    model = bom["metadata"]["component"]
    parameters = model["modelCard"]["modelParameters"]
    assert {k: v for k, v in parameters.items() if k != "datasets"} == {
        "task": "automatic-speech-recognition",
        "approach": {"type": "supervised"},
        "architectureFamily": "transformer encoder-decoder",
        "modelArchitecture": "Whisper small (int8)",
        "inputs": [{"format": "audio"}],
        "outputs": [{"format": "text"}],
    }
    assert [r for r in model["externalReferences"] if r["type"] == "model-card"] == [
        {
            "type": "model-card",
            "url": "https://models.kestrel.example/models/callcenter-asr/2.0.1/README.md",
            "comment": "the version's model card (Hugging Face README)",
        }
    ]
    data = components(bom, "data")["dataset:support-calls@2026-03"]["data"][0]
    assert data["classification"] == "confidential, personal data (voice recordings)"
    # A task without a clear learning approach, and a version without an architecture, say
    # nothing of either.
    other = render_cyclonedx_bom(example, [example.versions["merchant-embedder@1.1.0"]])
    parameters = other["metadata"]["component"]["modelCard"]["modelParameters"]
    assert "approach" not in parameters and "modelArchitecture" not in parameters


EXTERNAL = edit(
    SMALL,
    "lineage:",
    """training:
  external_data: [{id: HuggingFaceH4/ultrachat_200k}]
metrics:
  - {name: acc_norm, value: 62.03, split: test, external_dataset: {id: ai2_arc, name: ARC, config: ARC-Challenge, args: {num_few_shot: 25}}}
  - {name: auc, value: 0.9, dataset: tx@2025-Q4, split: test}
lineage:""",
)


def test_external_datasets_are_data_components(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    catalog = validate_catalog(make_catalog(EXTERNAL)).catalog
    bom = render_cyclonedx_bom(catalog, [catalog.versions["small@0.1.0"]])
    assert VALIDATOR.validate_str(bom_json_text(bom)) is None
    check_dependency_graph(bom)
    assert [c["bom-ref"] for c in bom["components"]] == [
        "dataset:tx@2025-Q4",
        "external-dataset:HuggingFaceH4/ultrachat_200k",
        'external-dataset:ai2_arc:ARC-Challenge {"num_few_shot":25}',
    ]
    arc = bom["components"][2]
    assert (arc["name"], arc["data"][0]["name"], arc["data"][0]["description"]) == (
        "ai2_arc",
        "ARC",
        "configuration ARC-Challenge",
    )
    model = bom["metadata"]["component"]
    assert [d["ref"] for d in model["modelCard"]["modelParameters"]["datasets"]] == [
        c["bom-ref"] for c in bom["components"]
    ]
    assert bom["dependencies"][0] == {
        "ref": "model:small@0.1.0",
        "dependsOn": ["external-dataset:HuggingFaceH4/ultrachat_200k"],
    }
    assert model["modelCard"]["quantitativeAnalysis"]["performanceMetrics"][0]["slice"] == (
        'dataset=ai2_arc:ARC-Challenge {"num_few_shot":25}; split=test'
    )


def test_the_site_bom_is_the_export_dated_by_the_version_record(
    example: Catalog, tmp_path: Path
) -> None:
    """A version's bom.json on the site is its export (`export --today DAY`) for the last day
    its card records (not the build's day, so a new day leaves it alone), written compact;
    every one is a valid CycloneDX 1.6 BOM."""
    for today in (dt.date(2026, 11, 26), dt.date(2027, 3, 1)):
        build_site(SiteConfig(EXAMPLE_CATALOG, tmp_path / str(today), today=today, use_cache=False))
    for version in example.versions.values():
        files = [
            tmp_path / str(day) / version_export_path(version.ref, BOM_FILE)
            for day in (dt.date(2026, 11, 26), dt.date(2027, 3, 1))
        ]
        text = files[0].read_text(encoding="utf-8")
        assert files[1].read_text(encoding="utf-8") == text  # whatever the build's day
        assert text.count("\n") == 1 and text.endswith("}\n")  # one line
        assert VALIDATOR.validate_str(text) is None, version.ref
        day = last_recorded(version)
        export = render_cyclonedx_bom(example, [version], timestamp=bom_timestamp(day))
        assert json.loads(text) == json.loads(bom_json_text(export))
        assert json.loads(text)["metadata"]["timestamp"] == f"{day.isoformat()}T00:00:00Z"
    production = example.versions["fraud-detector@2.1.0"]
    assert last_recorded(production) == max(
        [e.date for e in production.card.lifecycle]
        + [o.date for o in production.card.monitoring.observations]  # type: ignore[union-attr]
    )
