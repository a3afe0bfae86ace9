"""`modelcards export --format hf`: READMEs the Hub's own library reads back to the cards' values."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.catalog import Catalog, ModelVersion
from modelcards.cli import cli
from modelcards.formats import bom_timestamp, render_cyclonedx_bom, render_hf_readme
from modelcards.formats.cyclonedx import bom_json_text
from modelcards.validate import validate_catalog

from ..helpers.catalogs import EXAMPLE_CATALOG, REPO, SMALL, CatalogMaker, edit
from ..helpers.hub import ModelCard
from ..helpers.text import fenced_after

HUB_RELATION = {
    "fine-tuned": "finetune",
    "adapter": "adapter",
    "quantized": "quantized",
    "merged": "merge",
}


def valid_catalog(root: Path) -> Catalog:
    result = validate_catalog(root)
    assert result.errors == []
    return result.catalog


def expected_results(catalog: Catalog, version: ModelVersion) -> list[tuple[object, ...]]:
    """Every metric with a dataset, as the Hub's EvalResult fields should hold it."""
    task = catalog.models[version.model_id].card.task
    rows = []
    for m in version.card.metrics:
        assert m.dataset is not None
        dataset_id, _, dataset_version = m.dataset.partition("@")
        rows.append(
            (
                task,
                dataset_id,
                catalog.datasets[dataset_id].card.name,
                m.slice,
                m.split,
                dataset_version,
                m.name,
                m.value,
            )
        )
    return sorted(rows, key=repr)


def parsed_results(card: ModelCard) -> list[tuple[object, ...]]:
    return sorted(
        (
            (
                r.task_type,
                r.dataset_type,
                r.dataset_name,
                r.dataset_config,
                r.dataset_split,
                r.dataset_revision,
                r.metric_type,
                r.metric_value,
            )
            for r in card.data.eval_results or []
        ),
        key=repr,
    )


def check_readme(catalog: Catalog, version: ModelVersion) -> None:
    model = catalog.models[version.model_id].card
    card = ModelCard(render_hf_readme(catalog, version))
    if model.license == "proprietary":
        assert (card.data.license, card.data.license_name) == ("other", "proprietary")
    else:
        assert card.data.license == model.license
    assert card.data.tags == (model.tags or None)
    assert card.data.pipeline_tag == model.task
    framework = version.card.framework
    assert card.data.library_name == (framework.name if framework else None)
    data = version.card.training.data if version.card.training else []
    assert card.data.datasets == (data or None)
    external = [e for e in version.card.lineage if e.external]
    bases = [e.external for e in external]
    assert card.data.base_model == (bases[0] if len(bases) == 1 else bases or None)
    relations = {HUB_RELATION.get(e.relation.value) for e in external}
    hub_relation = relations.pop() if len(relations) == 1 else None
    assert card.data.get("base_model_relation") == hub_relation
    assert parsed_results(card) == expected_results(catalog, version)
    for m in version.card.metrics:
        if m.ci:  # the Hub has no slot for intervals: the body's results table carries them
            row = (
                f"| `{m.name}` | `{m.dataset}` | {m.split or ''} | {m.slice or ''} | "
                f"{m.value!r} | [{m.ci[0]!r}, {m.ci[1]!r}] |"
            )
            assert row in card.text


def test_every_example_version_reads_back_through_huggingface_hub() -> None:
    catalog = valid_catalog(EXAMPLE_CATALOG)
    assert len(catalog.versions) >= 20
    for version in catalog.versions.values():
        check_readme(catalog, version)


def test_base_catalog_versions_read_back(make_catalog: CatalogMaker) -> None:
    catalog = valid_catalog(make_catalog())
    for version in catalog.versions.values():
        check_readme(catalog, version)


@pytest.mark.parametrize(
    "relation",
    [
        "fine-tuned",
        "adapter",
        "quantized",
        "merged",
        "distilled",
        "retrained",
        "pruned",
        "converted",
    ],
)
def test_base_model_relation_maps_to_the_hub_values(
    make_catalog: CatalogMaker, relation: str
) -> None:
    catalog = valid_catalog(
        make_catalog(
            edit(
                SMALL,
                "- {model: fraud@2.0.0, relation: distilled}",
                f"- {{external: acme/base, url: 'https://huggingface.co/acme/base', relation: {relation}}}",
            )
        )
    )
    card = ModelCard(render_hf_readme(catalog, catalog.versions["small@0.1.0"]))
    assert card.data.base_model == "acme/base"
    assert card.data.get("base_model_relation") == HUB_RELATION.get(relation)


def test_parents_inside_the_catalog_are_no_hub_base_model(make_catalog: CatalogMaker) -> None:
    catalog = valid_catalog(make_catalog())
    text = render_hf_readme(catalog, catalog.versions["small@0.1.0"])
    assert ModelCard(text).data.base_model is None
    assert "- **Derived from:** `fraud@2.0.0` (distilled, in the catalog)" in text


def test_hub_license_is_kept_and_lowercased(make_catalog: CatalogMaker) -> None:
    catalog = valid_catalog(
        make_catalog(
            edit(
                "models/small/model.yaml",
                "task: tabular-classification",
                "task: tabular-classification\nlicense: Apache-2.0",
            )
        )
    )
    card = ModelCard(render_hf_readme(catalog, catalog.versions["small@0.1.0"]))
    assert (card.data.license, card.data.get("license_name")) == ("apache-2.0", None)


def test_body_keeps_what_the_front_matter_cannot_hold() -> None:
    catalog = valid_catalog(EXAMPLE_CATALOG)
    version = catalog.versions["callcenter-asr@1.1.0"]
    text = ModelCard(render_hf_readme(catalog, version)).text
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "Model Details",
        "Uses",
        "Bias, Risks, and Limitations",
        "Training Details",
        "Evaluation",
        "Environmental Impact",
        "Technical Specifications",
        "Lifecycle",
        "Monitoring",
        "Model Card Contact",
    ]
    assert "| `wer` | `support-calls@2025-09` | test | de-CH | 0.148 |  |" in text
    assert (
        "| 2026-06-15 | deprecated | s.vermeulen |  |  | reason: German-only line "
        "discontinued; the multilingual 2.0.1 serves German too. Kept to reproduce transcripts "
        "under complaint review.; replaced by 2.0.1; sunset 2027-01-29 |"
    ) in text
    assert "| 2026-03-02 | `wer` | 0.116 | 0.16 |  |" in text
    # Markdown from the cards is copied as Markdown.
    assert catalog.models["callcenter-asr"].card.description.strip() in text  # type: ignore[union-attr]
    assert version.card.description.strip() in text  # type: ignore[union-attr]


def test_drift_is_flagged_in_the_monitoring_table(make_catalog: CatalogMaker) -> None:
    catalog = valid_catalog(
        make_catalog(
            edit(
                "models/fraud/2.0.0.yaml",
                "lifecycle:",
                "monitoring:\n  observations:\n    - {date: 2026-02-01, metric: auc, value: 0.80, "
                "threshold: 0.85}\nlifecycle:",
            )
        )
    )
    text = render_hf_readme(catalog, catalog.versions["fraud@2.0.0"])
    assert "| 2026-02-01 | `auc` | 0.8 | 0.85 | yes |" in text


# ---- through the CLI ----------------------------------------------------------------------


def test_cli_writes_the_readme(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    result = runner.invoke(
        cli, ["export", "fraud@2.0.0", str(root), "--format", "hf", "-o", "README.md"]
    )
    assert (result.exit_code, result.output) == (0, "wrote README.md\n")
    catalog = valid_catalog(root)
    assert Path("README.md").read_text(encoding="utf-8") == render_hf_readme(
        catalog, catalog.versions["fraud@2.0.0"]
    )


def test_cli_prints_to_stdout_byte_identical_twice(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog()
    first = runner.invoke(cli, ["export", "fraud@1.0.0", "--format", "hf"])
    second = runner.invoke(cli, ["export", "fraud@1.0.0", "--format", "hf"])
    assert first.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    assert first.output.startswith("---\n")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "fraud@9.9.9",
            "Error: model 'fraud' has no version 9.9.9; its versions are: 1.0.0, 2.0.0\n",
        ),
        ("nope@1.0.0", "Error: there is no model 'nope'; its models are: fraud, small\n"),
    ],
)
def test_cli_unknown_version_lists_the_known_ones(
    runner: CliRunner, make_catalog: CatalogMaker, target: str, message: str
) -> None:
    make_catalog()
    result = runner.invoke(cli, ["export", target, "--format", "hf"])
    assert (result.exit_code, result.output) == (1, message)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("fraud", "Error: 'fraud' is not MODEL@VERSION; its versions are: 1.0.0, 2.0.0\n"),
        ("fraud@", "Error: 'fraud@' is not MODEL@VERSION; its versions are: 1.0.0, 2.0.0\n"),
        ("fraud@v2", "Error: 'fraud@v2' is not MODEL@VERSION; its versions are: 1.0.0, 2.0.0\n"),
        ("@2.0.0", "Error: '@2.0.0' is not MODEL@VERSION, such as fraud-detector@2.1.0\n"),
        ("a@b@c", "Error: 'a@b@c' is not MODEL@VERSION, such as fraud-detector@2.1.0\n"),
    ],
)
def test_cli_malformed_reference_is_a_usage_error(
    runner: CliRunner, make_catalog: CatalogMaker, target: str, message: str
) -> None:
    make_catalog()
    result = runner.invoke(cli, ["export", target, "--format", "hf"])
    assert result.exit_code == 2
    assert result.output.startswith("Usage: ")
    assert result.output.endswith(message)


@pytest.mark.parametrize(
    "output",
    [
        "catalog/models/fraud/2.0.0.yaml",
        "catalog/models/fraud/README.md",
        "catalog/../catalog/models/x.yaml",
    ],
)
def test_cli_refuses_to_write_into_the_catalog(
    runner: CliRunner, make_catalog: CatalogMaker, output: str
) -> None:
    root = make_catalog()
    before = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    result = runner.invoke(cli, ["export", "fraud@2.0.0", "--format", "hf", "-o", output])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: refusing to write {output}: it is inside the catalog folder catalog, where "
        "every file is a card; choose a path outside it\n"
    )
    assert {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()} == before


@pytest.mark.parametrize(
    "args",
    [
        ["export", "fraud@2.0.0", "--format", "pdf"],
        ["export", "fraud@2.0.0"],
        ["export", "--format", "hf"],
        ["export", "--all", "--format", "hf"],
        ["export", "--all", "catalog", "extra", "--format", "cyclonedx"],
    ],
)
def test_cli_usage_errors_exit_2(
    runner: CliRunner, make_catalog: CatalogMaker, args: list[str]
) -> None:
    make_catalog()
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "Error" in result.output


def test_cli_refuses_an_invalid_catalog(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog(edit("models/fraud/1.0.0.yaml", "replaced_by: 2.0.0", "replaced_by: 2.1.0"))
    result = runner.invoke(cli, ["export", "fraud@2.0.0", "--format", "hf", "-o", "README.md"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: catalog is invalid (1 errors); run: modelcards validate catalog\n"
    )
    assert not Path("README.md").exists()


def test_cli_missing_catalog_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["export", "fraud@2.0.0", "nowhere", "--format", "hf"])
    assert (result.exit_code, result.output) == (
        2,
        "Error: catalog folder nowhere does not exist\n",
    )


# ---- docs/interop.md shows the current output ----------------------------------------------


def test_interop_doc_examples_are_current() -> None:
    """The examples of docs/interop.md, the BOM as `--today 2026-11-26` dates it."""
    doc = (REPO / "docs" / "interop.md").read_text(encoding="utf-8")
    catalog = valid_catalog(EXAMPLE_CATALOG)
    version = catalog.versions["callcenter-asr@2.0.1"]
    assert fenced_after(doc, "<!-- example: hf -->") == render_hf_readme(catalog, version)
    when = bom_timestamp(dt.date(2026, 11, 26))
    bom = bom_json_text(render_cyclonedx_bom(catalog, [version], timestamp=when))
    assert fenced_after(doc, "<!-- example: cyclonedx -->") == bom


def test_readme_front_matter_is_the_yaml_of_its_data_for_every_example_version() -> None:
    """The README writes each model card's part once per model (a memo); the text must be
    exactly what dumping the whole front matter gives, for every version, in any order."""
    from modelcards.formats.huggingface import front_matter, front_matter_text
    from modelcards.yamltext import dump_yaml

    catalog = valid_catalog(EXAMPLE_CATALOG)
    versions = list(catalog.versions.values())
    for version in [*versions, *reversed(versions)]:
        text = front_matter_text(catalog, version)
        assert text == dump_yaml(front_matter(catalog, version))
        assert f"  model: {version.model_id}\n  model_card:\n" in text
