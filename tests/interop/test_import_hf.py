"""`modelcards import hf`: Hub READMEs become cards; export -> import -> export is stable."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.formats import render_hf_readme
from modelcards.loading import load_catalog
from modelcards.schema import write_schemas
from modelcards.validate import validate_catalog

from ..helpers.catalogs import EXAMPLE_CATALOG, CatalogMaker, snapshot


def export_readme(root: Path, ref: str) -> str:
    catalog, _ = load_catalog(root)
    return render_hf_readme(catalog, catalog.versions[ref])


def test_round_trip_of_every_example_version(runner: CliRunner, tmp_path: Path) -> None:
    """Export a version, delete its card, import the README: the next export is identical."""
    root = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, root)
    catalog, _ = load_catalog(root)
    for ref, version in catalog.versions.items():
        first = export_readme(root, ref)
        Path("README.md").write_text(first, encoding="utf-8")
        original = version.path.read_bytes()
        version.path.unlink()
        result = runner.invoke(
            cli,
            [
                "import",
                "hf",
                "README.md",
                str(root),
                "--model",
                version.model_id,
                "--today",
                "2026-11-26",
            ],
        )
        assert result.exit_code == 0, (ref, result.output)
        assert result.output.splitlines()[-1] == f"wrote {version.path.relative_to(tmp_path)}"
        assert export_readme(root, ref) == first, ref
        assert validate_catalog(root).errors == []
        version.path.write_bytes(original)


def test_round_trip_of_a_new_model(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    first = export_readme(root, "small@0.1.0")
    Path("README.md").write_text(first, encoding="utf-8")
    shutil.rmtree(root / "models" / "small")
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "small"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "wrote catalog/models/small/model.yaml\nwrote catalog/models/small/0.1.0.yaml\n"
    )
    assert export_readme(root, "small@0.1.0") == first
    # No schema/ folder above the catalog: no editor hint, rather than one that leads nowhere.
    assert (root / "models" / "small" / "0.1.0.yaml").read_text(encoding="utf-8") == (
        "version: 0.1.0\n"
        "released: 2026-02-01\n"
        "summary: Distilled from fraud 2.0.0.\n"
        "lineage:\n"
        "  - {model: fraud@2.0.0, relation: distilled}\n"
        "lifecycle:\n"
        "  - {stage: development, date: 2026-02-01, by: dana}\n"
    )


HUB_README = textwrap.dedent("""\
    ---
    language: [de, fr]
    license: apache-2.0
    tags: [speech, whisper]
    pipeline_tag: automatic-speech-recognition
    library_name: transformers
    datasets:
      - mozilla-foundation/common_voice_11_0
      - tx@2025-Q4
    base_model: openai/whisper-small
    widget:
      - src: sample.flac
    model-index:
      - name: whisper-small-de
        results:
          - task: {type: automatic-speech-recognition, name: Speech Recognition}
            dataset: {type: mozilla-foundation/common_voice_11_0, name: Common Voice 11, config: de, split: test}
            metrics:
              - {type: wer, value: 12.5, name: Test WER}
          - task: {type: automatic-speech-recognition}
            dataset: {type: tx, name: Transactions, split: test, revision: 2025-Q4}
            metrics:
              - {type: wer, value: "9.8 ± 0.4"}
              - {type: cer, value: n/a}
    ---

    # Whisper small German

    Whisper small fine-tuned on German speech.

    ## Model Details

    ### Model Description

    <!-- Provide a longer summary of what this model is. -->

    A **German** speech recognition model.

    - **Funded by [optional]:** [More Information Needed]

    ## Uses

    ### Direct Use

    - Transcribing German audio

    ### Out-of-Scope Use

    - Real-time captioning

    ## Bias, Risks, and Limitations

    - Weaker on dialects
    """)


def test_import_of_a_hub_readme_maps_fields_and_reports_the_rest(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    write_schemas(root.parent / "schema")  # the hints point at them
    Path("README.md").write_text(HUB_README, encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "import",
            "hf",
            "README.md",
            "--model",
            "whisper-de",
            "--owner",
            "Voice AI",
            "--today",
            "2026-11-26",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "warning: README.md:24: model-index metric 'cer': its value 'n/a' is not a number; "
        "not imported",
        "warning: base_model_relation is not set; recorded the lineage as fine-tuned (the Hub's "
        "default)",
        "warning: front matter 'language' has no place in the cards; not imported",
        "warning: front matter 'widget' has no place in the cards; not imported",
        "wrote catalog/models/whisper-de/model.yaml",
        "wrote catalog/models/whisper-de/1.0.0.yaml",
    ]
    folder = root / "models" / "whisper-de"
    assert (folder / "model.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        # yaml-language-server: $schema=../../../schema/model.schema.json
        name: Whisper small German
        summary: Whisper small fine-tuned on German speech.
        description: |
          Whisper small fine-tuned on German speech.

          ## Model Details

          ### Model Description

          A **German** speech recognition model.

          ## Uses

          ### Direct Use

          - Transcribing German audio

          ### Out-of-Scope Use

          - Real-time captioning

          ## Bias, Risks, and Limitations

          - Weaker on dialects
        owners:
          - {name: Voice AI}
        task: automatic-speech-recognition
        tags: [speech, whisper]
        license: apache-2.0
        intended_use:
          uses: [Transcribing German audio]
          out_of_scope: [Real-time captioning]
        considerations:
          limitations: [Weaker on dialects]
        """)
    assert (folder / "1.0.0.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        # yaml-language-server: $schema=../../../schema/version.schema.json
        version: 1.0.0
        released: 2026-11-26
        summary: Imported from a Hugging Face model card.
        framework: {name: transformers}
        training:
          data: [tx@2025-Q4]
          external_data:
            - {id: mozilla-foundation/common_voice_11_0}
        metrics:
          - name: wer
            value: 12.5
            split: test
            external_dataset: {id: mozilla-foundation/common_voice_11_0, name: Common Voice 11, config: de}
            hub:
              name: Test WER
              task: {type: automatic-speech-recognition, name: Speech Recognition}
          - name: wer
            value: 9.8
            dataset: tx@2025-Q4
            split: test
            ci: [9.4, 10.2]
            hub:
              value: 9.8 ± 0.4
              task: {type: automatic-speech-recognition}
        lineage:
          - {external: openai/whisper-small, url: 'https://huggingface.co/openai/whisper-small', relation: fine-tuned}
        lifecycle:
          - {stage: development, date: 2026-11-26, by: modelcards-import}
        """)
    assert validate_catalog(root).errors == []


def test_imported_hub_model_round_trips(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    Path("README.md").write_text(HUB_README, encoding="utf-8")
    args = [
        "import",
        "hf",
        "README.md",
        "--model",
        "whisper-de",
        "--owner",
        "Voice AI",
        "--today",
        "2026-11-26",
    ]
    assert runner.invoke(cli, args).exit_code == 0
    first = export_readme(root, "whisper-de@1.0.0")
    Path("README.md").write_text(first, encoding="utf-8")
    shutil.rmtree(root / "models" / "whisper-de")
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "whisper-de"])
    assert result.exit_code == 0, result.output
    assert export_readme(root, "whisper-de@1.0.0") == first


def test_existing_version_is_refused(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    Path("README.md").write_text(export_readme(root, "fraud@2.0.0"), encoding="utf-8")
    before = snapshot(root)
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "fraud"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: catalog/models/fraud/2.0.0.yaml already exists: fraud has a version 2.0.0; "
        "import it under another --version or --model\n"
    )
    assert snapshot(root) == before


def test_cards_that_would_not_validate_are_not_written(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    Path("README.md").write_text(export_readme(root, "fraud@2.0.0"), encoding="utf-8")
    before = snapshot(root)
    # A second production version of fraud, without traffic shares: the catalog would break.
    result = runner.invoke(
        cli,
        [
            "import",
            "hf",
            "README.md",
            "--model",
            "fraud",
            "--version",
            "3.0.0",
            "--today",
            "2026-11-26",
        ],
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0]
        == "warning: catalog/models/fraud/model.yaml exists; kept it and added the version only"
    )
    assert [line.split(" ")[1:3] for line in lines[1:-1]] == [["error", "MC035"]] * (len(lines) - 2)
    assert lines[-1] == "Error: the imported cards would not validate; nothing was written"
    assert snapshot(root) == before


def test_broken_front_matter_names_the_line(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    Path("README.md").write_text("---\nlicense: mit\ntags: [a, b\n---\n# X\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "x"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: README.md:4:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--model", "Bad_Id"],
            "Error: --model 'Bad_Id' is not a valid model id: use lowercase "
            "letters, digits, '.', '_' and '-', starting and ending with a letter or digit\n",
        ),
        (["--model", "../evil"], "Error: --model '../evil' is not a valid model id: "),
        (
            ["--model", "x", "--version", "1.0"],
            "Error: --version '1.0' is not a SemVer version such as 1.2.0\n",
        ),
        (
            ["--model", "x", "--version", "v1"],
            "Error: --version 'v1' is not a SemVer version such as 1.2.0\n",
        ),
        (
            ["--model", "x", "--version", "../../../escaped"],
            "Error: --version '../../../escaped' is not a SemVer version such as 1.2.0\n",
        ),
    ],
)
def test_malformed_id_or_version_is_a_usage_error(
    runner: CliRunner, make_catalog: CatalogMaker, tmp_path: Path, args: list[str], message: str
) -> None:
    make_catalog()
    Path("README.md").write_text(HUB_README, encoding="utf-8")
    before = snapshot(tmp_path)
    result = runner.invoke(cli, ["import", "hf", "README.md", *args])
    assert result.exit_code == 2
    assert result.output.startswith("Usage: ")
    assert message in result.output
    assert snapshot(tmp_path) == before


def embedding(version: object) -> str:
    """A README as modelcards exports it, whose embedded version card has this version."""
    return (
        textwrap.dedent("""\
        ---
        modelcards:
          model: x
          model_card: {name: X, summary: X., owners: [{name: t}], task: other}
          version_card:
            version: %s
            released: 2026-01-01
            summary: X.
            lifecycle: [{stage: development, date: 2026-01-01, by: a}]
        ---
        # X
        """)
        % version
    )


@pytest.mark.parametrize(
    ("version", "shown"),
    [
        ('"../../../escaped"', "'../../../escaped'"),
        ('"../../escaped"', "'../../escaped'"),
        ('"/tmp/modelcards-abs/evil"', "'/tmp/modelcards-abs/evil'"),
        ("1", "1"),
        ("null", "None"),
        ('""', "''"),
    ],
)
def test_version_from_the_front_matter_never_becomes_a_path(
    runner: CliRunner, make_catalog: CatalogMaker, tmp_path: Path, version: str, shown: str
) -> None:
    make_catalog()
    Path("README.md").write_text(embedding(version), encoding="utf-8")
    before = snapshot(tmp_path)
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "trav"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: README.md: modelcards.version_card.version {shown} is not a SemVer version "
        "such as 1.2.0; nothing was imported (or give --version)\n"
    )
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/modelcards-abs").exists()


def test_a_version_given_on_the_command_line_replaces_a_bad_embedded_one(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    Path("README.md").write_text(embedding('"../../escaped"'), encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "import",
            "hf",
            "README.md",
            "--model",
            "trav",
            "--version",
            "1.0.0",
            "--today",
            "2026-11-26",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (root / "models/trav/1.0.0.yaml").is_file()


def test_never_writes_through_a_link_out_of_the_catalog(
    runner: CliRunner, make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    root = make_catalog()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "models" / "trav").symlink_to(outside, target_is_directory=True)
    Path("README.md").write_text(embedding('"1.0.0"'), encoding="utf-8")
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "trav"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: refusing to write catalog/models/trav/model.yaml: it is outside the catalog "
        "folder catalog\n"
    )
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Error: README.md has neither metadata nor text; nothing to import\n"),
        ("\n  \n", "Error: README.md has neither metadata nor text; nothing to import\n"),
        ("---\n---\n", "Error: README.md has neither metadata nor text; nothing to import\n"),
        (
            "---\nlicense: mit\n",
            "Error: README.md:1: the front matter opened by '---' is never closed\n",
        ),
    ],
)
def test_a_readme_with_nothing_to_read_imports_nothing(
    runner: CliRunner, make_catalog: CatalogMaker, text: str, message: str
) -> None:
    root = make_catalog()
    Path("README.md").write_text(text, encoding="utf-8")
    before = snapshot(root)
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "x"])
    assert (result.exit_code, result.output) == (1, message)
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "text",
    [
        "# Athena\n\nAn experimental role-play model.\n\n## Limitations\n\nIt makes things up.\n",
        "---\n---\n# Athena\n\nAn experimental role-play model.\n\n## Limitations\n\nIt makes "
        "things up.\n",
    ],
)
def test_a_readme_without_metadata_imports_its_text(
    runner: CliRunner, make_catalog: CatalogMaker, text: str
) -> None:
    """huggingface_hub reads a card without front matter as text without metadata; so does
    the import, and says what the cards then lack."""
    root = make_catalog()
    Path("README.md").write_text(text, encoding="utf-8")
    result = runner.invoke(
        cli,
        ["import", "hf", "README.md", "--model", "athena", "--owner", "t", "--today", "2026-11-26"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "warning: README.md has no metadata (front matter): the cards come from its text alone; "
        "set task, license and tags in model.yaml",
        "warning: pipeline_tag is not set; the task is 'other': set it in model.yaml",
    ]
    model = yaml.safe_load((root / "models/athena/model.yaml").read_text(encoding="utf-8"))
    assert (model["name"], model["summary"], model["task"]) == (
        "Athena",
        "An experimental role-play model.",
        "other",
    )
    assert model["considerations"]["limitations"] == ["It makes things up."]


def test_fields_of_the_wrong_shape_are_reported(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    Path("README.md").write_text(
        textwrap.dedent("""\
        ---
        pipeline_tag: [a, b]
        tags: {speech: yes}
        model-index: foo
        ---
        # X
        """),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "x", "--owner", "t"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        "warning: front matter 'pipeline_tag' should be a text, not ['a', 'b']; not imported",
        "warning: front matter 'tags' should be a text or a list of texts, not "
        "{'speech': True}; not imported",
        "warning: front matter 'model-index' should be a list of mappings (name, results), not "
        "'foo'; not imported",
        "warning: pipeline_tag is not set; the task is 'other': set it in model.yaml",
    ]
    assert (root / "models/x/model.yaml").is_file()


def test_results_of_the_wrong_shape_are_reported(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    Path("README.md").write_text(
        textwrap.dedent("""\
        ---
        pipeline_tag: text-classification
        model-index:
          - name: a
            results: {metrics: 1}
          - name: b
            results:
              - {dataset: squad, metrics: [0.5]}
              - {dataset: {type: d}, metrics: [{type: f1, value: 0.5}]}
        ---
        # X
        """),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["import", "hf", "README.md", "--model", "x", "--owner", "t"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "warning: model-index[0].results should be a list of mappings (task, dataset, metrics), "
        "not {'metrics': 1}; not imported",
        "warning: model-index: dataset should be a mapping (type, name, config, split), not 'squad'; "
        "its metrics were kept without a dataset",
        "warning: model-index: metrics should be a list of mappings (type, value), not [0.5]; "
        "not imported",
    ]
    # A dataset outside the catalog is kept as external data, not reported as lost.
    version = (root / "models" / "x" / "1.0.0.yaml").read_text(encoding="utf-8")
    assert "  - name: f1\n    value: 0.5\n    external_dataset: {id: d}\n" in version


def test_unreadable_readme_exits_2(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    result = runner.invoke(cli, ["import", "hf", "missing.md", "--model", "x"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot read missing.md: ")


def test_unknown_source_format_exits_2(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    result = runner.invoke(cli, ["import", "onnx", "README.md", "--model", "x"])
    assert result.exit_code == 2


@pytest.mark.timeout(20)
def test_a_readme_that_is_a_fifo_or_too_large_is_refused(
    runner: CliRunner, make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    make_catalog()
    os.mkfifo(tmp_path / "fifo.md")
    (tmp_path / "huge.md").write_bytes(b"#" * 2_000_000)
    for name, reason in (
        ("fifo.md", "it is not a regular file but a named pipe (FIFO)"),
        ("huge.md", "it is 2,000,000 bytes, over the 1,048,576-byte limit for a card"),
    ):
        result = runner.invoke(cli, ["import", "hf", name, "catalog", "--model", "x"])
        assert result.exit_code == 2, result.output
        assert f"Error: cannot read {name}: {reason}" in result.output
