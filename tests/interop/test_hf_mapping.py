"""How a Hub README maps to cards and back: each rule of docs/interop.md on a small README
(the corpus test, test_hf_corpus.py, measures the same rules on real cards)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from modelcards.cli import cli
from modelcards.formats.readme_markdown import first_paragraph, plain_text, read_readme, sections
from modelcards.site.markup import render_markdown

from ..helpers.catalogs import REPO, CatalogMaker
from ..helpers.hub import ModelCard
from ..helpers.text import fenced_after

TODAY = "2026-11-26"


def import_readme(runner: CliRunner, text: str, model: str = "m") -> Result:
    Path("README.md").write_bytes(text.encode("utf-8"))
    return runner.invoke(
        cli, ["import", "hf", "README.md", "--model", model, "--owner", "Team", "--today", TODAY]
    )


def cards(root: Path, model: str = "m") -> tuple[dict[str, Any], dict[str, Any]]:
    folder = root / "models" / model
    return (
        yaml.safe_load((folder / "model.yaml").read_text(encoding="utf-8")),
        yaml.safe_load((folder / "1.0.0.yaml").read_text(encoding="utf-8")),
    )


def exported(runner: CliRunner, model: str = "m") -> tuple[Result, ModelCard]:
    result = runner.invoke(cli, ["export", f"{model}@1.0.0", "--format", "hf", "--today", TODAY])
    return result, ModelCard(result.stdout)


# ---- reading the README ---------------------------------------------------------------------


def test_front_matter_after_blank_lines_and_with_crlf_is_read(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """As huggingface_hub reads it: blank lines may come before `---`, lines may end in CRLF."""
    root = make_catalog()
    text = (
        "\r\n\r\n---\r\nlicense: mit\r\npipeline_tag: fill-mask\r\n---\r\n# Tiny BERT\r\n\r\n"
        "A small BERT.\r\n"
    )
    result = import_readme(runner, text)
    assert result.exit_code == 0, result.output
    model, _ = cards(root)
    assert (model["name"], model["summary"], model["license"], model["task"]) == (
        "Tiny BERT",
        "A small BERT.",
        "mit",
        "fill-mask",
    )
    assert "\r" not in (root / "models" / "m" / "model.yaml").read_text(encoding="utf-8")


def test_a_yaml_error_names_the_readme_line(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    result = import_readme(runner, "\n\n---\nlicense: mit\ntags: [a, b\n---\n# X\n")
    assert result.exit_code == 1
    assert result.output.startswith("Error: README.md:6:")  # the line after the open list


def test_values_that_are_no_number_are_reported_with_their_line_and_skipped(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    result = import_readme(
        runner,
        textwrap.dedent("""\

        ---
        model-index:
        - name: m
          results:
          - task: {type: summarization}
            dataset: {type: samsum, name: SAMSum, split: test}
            metrics:
            - {type: rouge1, value: 30.9}
            - {type: loss, value: .nan}
            - {type: gen_len, value: NA}
            - {type: score, value: .inf}
        ---
        # M
        """),
    )
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if "not a number" in line] == [
        "warning: README.md:10: model-index metric 'loss': its value .nan is not a number; "
        "not imported",
        "warning: README.md:11: model-index metric 'gen_len': its value 'NA' is not a number; "
        "not imported",
        "warning: README.md:12: model-index metric 'score': its value .inf is not a number; "
        "not imported",
    ]
    _, version = cards(root)
    assert [m["name"] for m in version["metrics"]] == ["rouge1"]


# ---- model-index: every result survives import -> export ------------------------------------

RESULTS = textwrap.dedent("""\
    ---
    license: apache-2.0
    pipeline_tag: text-classification
    model-index:
    - name: my-model
      results:
      - task: {type: text-classification, name: Text Classification}
        dataset: {name: emotion, type: emotion, config: default, split: test, revision: abc123}
        metrics:
        - {type: accuracy, value: 0.9285, name: Accuracy, verified: true, verifyToken: eyJ0}
        - {type: precision, value: 0.888, name: Precision Macro}
        - {type: precision, value: 0.9285, name: Precision Micro}
      - task: {type: natural-language-inference, name: Natural Language Inference}
        dataset: {name: GLUE MRPC, type: glue, args: mrpc}
        metrics:
        - {type: f1, value: 0.90, args: {average: binary}, config: mrpc}
      - task: {type: text-generation}
        dataset:
          name: AI2 Reasoning Challenge (25-Shot)
          type: ai2_arc
          config: ARC-Challenge
          split: test
          args: {num_few_shot: 25}
        metrics:
        - {type: acc_norm, value: 73.8%, name: normalized accuracy}
        - {type: mean_reward, value: -147.07 +/- 80.80}
        - {type: pass@1, value: "0.85"}
        source: {name: Open LLM Leaderboard, url: 'https://huggingface.co/spaces/x'}
    ---
    # My model

    Classifies emotions.
    """)


def eval_rows(card: ModelCard) -> list[tuple[Any, ...]]:
    return [tuple(vars(r).values()) for r in card.data.eval_results or []]


def test_every_result_survives_import_and_export_as_huggingface_hub_reads_it(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog()
    result = import_readme(runner, RESULTS)
    assert result.exit_code == 0, result.output
    export, card = exported(runner)
    assert export.exit_code == 0 and export.stderr == ""
    assert eval_rows(card) == eval_rows(ModelCard(RESULTS))
    assert len(eval_rows(card)) == 7


def test_results_become_metrics_on_external_datasets(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    assert import_readme(runner, RESULTS).exit_code == 0
    _, version = cards(root)
    metrics = version["metrics"]
    # Three precision readings of one dataset would collapse: they are named after the Hub's
    # names, and keep the Hub's type for the export.
    assert [(m["name"], m.get("hub", {}).get("type")) for m in metrics] == [
        ("accuracy", None),
        ("precision_macro", "precision"),
        ("precision_micro", "precision"),
        ("f1", None),
        ("acc_norm", None),
        ("mean_reward", None),
        ("pass@1", None),
    ]
    assert metrics[0] == {
        "name": "accuracy",
        "value": 0.9285,
        "split": "test",
        "external_dataset": {
            "id": "emotion",
            "name": "emotion",
            "config": "default",
            "revision": "abc123",
        },
        "hub": {"name": "Accuracy", "verified": True, "verify_token": "eyJ0"},
    }
    assert metrics[3]["external_dataset"] == {"id": "glue", "name": "GLUE MRPC", "args": "mrpc"}
    assert metrics[3]["hub"] == {
        "args": {"average": "binary"},
        "config": "mrpc",
        "task": {"type": "natural-language-inference", "name": "Natural Language Inference"},
    }
    # Text values are read as numbers, and kept as written for the export.
    assert [(m["value"], m.get("ci"), m["hub"].get("value")) for m in metrics[4:]] == [
        (73.8, None, "73.8%"),
        (-147.07, [-227.87, -66.27], "-147.07 +/- 80.80"),
        (0.85, None, "0.85"),
    ]
    assert metrics[4]["hub"]["source"] == {
        "name": "Open LLM Leaderboard",
        "url": "https://huggingface.co/spaces/x",
    }


MULTIPL_E = textwrap.dedent("""\
    ---
    model-index:
    - name: stable-code-3b
      results:
      - task: {type: text-generation}
        dataset: {type: nuprl/MultiPL-E, name: MultiPL-HumanEval (Python)}
        metrics:
        - {name: pass@1, type: pass@1, value: 32.4, verified: false}
      - task: {type: text-generation}
        dataset: {type: nuprl/MultiPL-E, name: MultiPL-HumanEval (C++)}
        metrics:
        - {name: pass@1, type: pass@1, value: 30.9, verified: false}
      - task: {type: text-generation}
        dataset: {type: nuprl/MultiPL-E, name: MultiPL-HumanEval (C++)}
        metrics:
        - {name: pass@1, type: pass@1, value: 31.0, verified: false}
    ---
    # stable-code-3b
    """)


def test_results_told_apart_by_the_datas_name_only_stay_apart(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """stable-code-3b and MTEB cards name one Hub dataset several times, telling the subsets
    apart by display name only: each name is the reading's slice, so they do not collapse,
    and the export gives the same results back without a warning. A reading repeated on the
    same name is still one too many, and reported."""
    root = make_catalog()
    result = import_readme(runner, MULTIPL_E)
    assert result.exit_code == 0, result.output
    assert (
        "warning: model-index: a second 'pass@1' reading on nuprl/MultiPL-E; not imported "
        "(a version reports one reading per metric, dataset, split and slice)"
    ) in result.output.splitlines()
    _, version = cards(root)
    assert [(m["slice"], m["value"]) for m in version["metrics"]] == [
        ("MultiPL-HumanEval (Python)", 32.4),
        ("MultiPL-HumanEval (C++)", 30.9),
    ]
    export, card = exported(runner)
    assert export.exit_code == 0 and export.stderr == ""
    assert eval_rows(card) == eval_rows(ModelCard(MULTIPL_E))[:2]
    assert runner.invoke(cli, ["validate", "--today", TODAY]).exit_code == 0


def test_a_whole_number_goes_back_as_written(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    """MTEB cards write `value: 94`; cards read 94.0, and the export writes 94 again (and 80.0
    as 80.0). A number too large for a float is no number."""
    make_catalog()
    readme = (
        "---\nmodel-index:\n- name: m\n  results:\n  - task: {type: Retrieval}\n"
        "    dataset: {type: trec-covid, name: MTEB TRECCOVID, split: test}\n"
        "    metrics:\n    - {type: mrr_at_1, value: 94}\n    - {type: ndcg_at_10, "
        "value: 80.0}\n    - {type: huge, value: " + "9" * 400 + "}\n---\n# M\n"
    )
    result = import_readme(runner, readme)
    assert result.exit_code == 0, result.output
    assert "warning: README.md:10: model-index metric 'huge': its value 99999999999999999999"
    _, card = exported(runner)
    assert eval_rows(card) == eval_rows(ModelCard(readme))[:2]
    assert [type(r.metric_value) for r in card.data.eval_results or []] == [int, float]


def test_a_text_value_edited_since_the_import_is_exported_as_the_number(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    assert import_readme(runner, RESULTS).exit_code == 0
    path = root / "models" / "m" / "1.0.0.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("value: 73.8\n", "value: 74.1\n"), encoding="utf-8"
    )
    _, card = exported(runner)
    values = {r.metric_type: r.metric_value for r in card.data.eval_results or []}
    assert values["acc_norm"] == 74.1


def test_a_metric_the_hub_cannot_hold_is_reported_by_the_export(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """A metric without a dataset has no place in model-index: the export says so on stderr."""
    root = make_catalog()
    text = RESULTS.replace(
        "    dataset: {name: emotion, type: emotion, config: default, "
        "split: test, revision: abc123}\n",
        "",
    )
    result = import_readme(runner, text)
    assert result.exit_code == 0, result.output
    assert (
        "warning: model-index: a result names no dataset; its metrics were kept without a "
        "dataset" in result.output
    )
    export, card = exported(runner)
    assert export.exit_code == 0
    assert export.stderr.splitlines() == [
        f"warning: m@1.0.0: metric {name!r} ({value!r}) names no dataset, which model-index "
        "requires; it is in the README's results table only"
        for name, value in [
            ("accuracy", 0.9285),
            ("precision_macro", 0.888),
            ("precision_micro", 0.9285),
        ]
    ]
    assert len(card.data.eval_results or []) == 4
    assert "| `precision_macro` |  |  |  | 0.888 |  |" in export.stdout
    assert (root / "models" / "m" / "1.0.0.yaml").exists()


# ---- metadata ---------------------------------------------------------------------------------

LICENSED = textwrap.dedent("""\
    ---
    license: other
    license_name: yi-license
    license_link: https://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE
    base_model:
    - teknium/OpenHermes-2.5-Mistral-7B
    - Intel/neural-chat-7b-v3-3
    datasets: [HuggingFaceH4/ultrachat_200k, tx@2025-Q4]
    ---
    # Merged
    A merge of two models.
    """)


def test_license_link_parents_and_datasets_survive(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    result = import_readme(runner, LICENSED)
    assert result.exit_code == 0, result.output
    assert (
        "warning: base_model_relation is not set; recorded the lineage as merged (2 parents "
        "make a merge)"
    ) in result.output
    model, version = cards(root)
    assert (model["license"], model["links"]) == (
        "yi-license",
        [{"title": "License", "url": "https://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE"}],
    )
    assert version["training"] == {
        "data": ["tx@2025-Q4"],
        "external_data": [{"id": "HuggingFaceH4/ultrachat_200k"}],
    }
    assert [e["relation"] for e in version["lineage"]] == ["merged", "merged"]
    _, card = exported(runner)
    assert (card.data.license, card.data.license_name, card.data.license_link) == (
        "other",
        "yi-license",
        "https://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE",
    )
    assert card.data.base_model == [
        "teknium/OpenHermes-2.5-Mistral-7B",
        "Intel/neural-chat-7b-v3-3",
    ]
    assert card.data.get("base_model_relation") == "merge"
    assert card.data.datasets == ["tx@2025-Q4", "HuggingFaceH4/ultrachat_200k"]


def test_an_item_that_is_no_text_costs_that_item_only(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """`- false` among tags (nbailab's card: a Norwegian `no` someone typed as false) is
    reported; the other tags are kept."""
    root = make_catalog()
    result = import_readme(
        runner,
        "---\ntags:\n- automatic-speech-recognition\n- false\n"
        "- nb-NO\n- {a: 1}\n---\n# X\n\nA speech model.\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "warning: front matter 'tags': the item False is not a text; not imported",
        "warning: front matter 'tags': the item {'a': 1} is not a text; not imported",
    ]
    assert cards(root)[0]["tags"] == ["automatic-speech-recognition", "nb-NO"]


def test_invisible_characters_of_a_title_are_left_out_and_reported(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """A name may not hold a zero-width joiner (MC019); the emoji sequence of a real title
    does: the name keeps its visible characters rather than failing the import."""
    root = make_catalog()
    result = import_readme(
        runner, "---\nlicense: mit\n---\n# Coder \U0001f469\u200d\U0001f4bb\n\nA coder model.\n"
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning: the name 'Coder \U0001f469\U0001f4bb' held U+200D ZERO WIDTH JOINER, which "
        "a name may not; left it out"
    ) in result.output.splitlines()
    assert cards(root)[0]["name"] == "Coder \U0001f469\U0001f4bb"


def test_a_list_of_licenses_survives(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    assert (
        import_readme(runner, "---\nlicense: [apache-2.0, bsd-3-clause]\n---\n# X\n").exit_code == 0
    )
    assert cards(root)[0]["license"] == "apache-2.0 AND bsd-3-clause"
    # The Hub's hints say a license is one text; its library keeps the list as written.
    assert exported(runner)[1].data.get("license") == ["apache-2.0", "bsd-3-clause"]


# ---- the body ---------------------------------------------------------------------------------

BODY = textwrap.dedent("""\
    ---
    license: llama2
    ---
    <p align="center"><img src="https://x.org/logo.png" width="400"></p>
    <p align="center"><a href="https://x.org">[Homepage]</a> | <a href="https://d.x">[Discord]</a></p>

    [![badge](https://img.shields.io/x.svg)](https://x.org)

    # **Model Card for Llama 2 Chat**
    Llama 2 is a collection of [pretrained](https://x.org) and fine-tuned **generative** text models.

    ## Intended Use
    **Intended Use Cases** Llama 2 is intended for commercial and research use in English.

    **Out-of-scope Uses** Use in languages other than English.

    ## Bias, Risks, and Limitations

    <!-- This section is meant to convey both technical and sociotechnical limitations. -->

    - The model may produce inaccurate or biased answers.
    - Testing covered English only.

    ### Recommendations

    Users (both direct and downstream) should be made aware of the risks, biases and limitations of the model. More information needed for further recommendations.

    Run your own safety tests first.

    ## Ethical Considerations

    The training data was not audited for personal data.

    ## Training Data

    Two trillion tokens of public data.

    ### Training hyperparameters
    - learning_rate: 3e-4

    ## Citation

    [More Information Needed]
    """)


def test_the_body_fills_the_card(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    result = import_readme(runner, BODY)
    assert result.exit_code == 0, result.output
    model, version = cards(root)
    assert model["name"] == "Llama 2 Chat"
    assert model["summary"] == (
        "Llama 2 is a collection of pretrained and fine-tuned generative text models."
    )
    assert model["intended_use"] == {
        "uses": ["Llama 2 is intended for commercial and research use in English."],
        "out_of_scope": ["Use in languages other than English."],
    }
    assert model["considerations"] == {
        "limitations": [
            "The model may produce inaccurate or biased answers.",
            "Testing covered English only.",
        ],
        "ethical": [{"name": "The training data was not audited for personal data."}],
        "caveats": "Run your own safety tests first.\n",
    }
    assert version["description"] == (
        "## Training Data\n\nTwo trillion tokens of public data.\n\n"
        "### Training hyperparameters\n\n- learning_rate: 3e-4\n"
    )
    # The whole body is the description: without the title (it is the name), the HTML comment
    # and the placeholder.
    description = model["description"]
    assert description.startswith('<p align="center"><img src="https://x.org/logo.png"')
    assert "# **Model Card for Llama 2 Chat**" not in description
    assert "<!--" not in description and "[More Information Needed]" not in description
    assert "## Ethical Considerations\n\nThe training data was not audited" in description


def test_an_imported_description_is_safe_and_readable_on_the_site(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    text = BODY + textwrap.dedent("""\

        <script>alert(1)</script>
        <img src=x onerror="alert(2)">
        <a href="javascript:alert(3)">click</a>
        <div align="center">Built <b>with</b> care.</div>
        """)
    assert import_readme(runner, text).exit_code == 0
    html = str(render_markdown(cards(root)[0]["description"]))
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<img" not in html and "<div" not in html  # images and layout go; their text stays
    assert "Built <b>with</b> care." in html
    assert "<h2>Bias, Risks, and Limitations</h2>" in html
    assert "<li>The model may produce inaccurate or biased answers.</li>" in html
    assert '<a href="https://x.org" rel="noopener">pretrained</a>' in html


@pytest.mark.parametrize(
    ("body", "name", "summary"),
    [
        (
            "# Model Card for Model ID\n\n<!-- Provide a quick summary. -->\n\n# Table of Contents\n\n"
            "1. [Model Details](#model-details)\n\n# Model Details\n\n[More Information Needed]\n",
            "org/whisper-is",
            "org/whisper-is, imported from Hugging Face.",
        ),
        (
            "# Model Details\n- **Model Description:**\nTranslates English to Chinese.\n",
            "org/whisper-is",
            "Translates English to Chinese.",
        ),
        (
            "# <p>BLOOM LM<br/> _BigScience Large Open-science Model_ <br/>Model Card</p>\n\n"
            "Version 1.0 / 25.May.2022\n\n*This section provides information for anyone.*\n\n"
            "**Developed by:** BigScience\n\nBLOOM is a multilingual language model.\n",
            "BLOOM LM",
            "BLOOM is a multilingual language model.",
        ),
        (
            "# LlaMa 2 Coder \U0001f999\U0001f469\u200d\U0001f4bb\n\nA coder model.\n",
            "LlaMa 2 Coder \U0001f999\U0001f469\U0001f4bb",
            "A coder model.",
        ),
        (
            "# Version 1.50 A -- coherency fixes! The model should be good now. Thanks to all testers!"
            "\n\nA role-play model.\n",
            "org/whisper-is",
            "A role-play model.",
        ),
        (
            "# NexusRaven\n\n**Table of contents**\n\nNexusRaven calls functions.\n",
            "NexusRaven",
            "NexusRaven calls functions.",
        ),
        (
            "# CodeFuse\n\n[[\u4e2d\u6587]](#chinese) [[English]](#english)\n\nCodeFuse is a code "
            "model.\n",
            "CodeFuse",
            "CodeFuse is a code model.",
        ),
        (
            "<!DOCTYPE html>\n<html>\n<head>\n<style>\nbody { font-family: 'Quicksand'; }\n\n"
            ".box { margin: 0; }\n</style>\n</head>\n\n<body>\n<p>Meet HamSter, a role-play "
            "model.</p>\n</body>\n</html>\n",
            "org/whisper-is",
            "Meet HamSter, a role-play model.",
        ),
        (
            "# Lelantos\n\n*" + "Lelantos rules the shadows. " * 12 + "*\n",
            "Lelantos",
            ("Lelantos rules the shadows. " * 7).strip(),
        ),
        (
            '<div align="center">\n\n# TinyLlama-1.1B\n</div>\n\nhttps://github.com/x/TinyLlama\n\n'
            "The TinyLlama project pretrains a 1.1B Llama model.\n",
            "TinyLlama-1.1B",
            "The TinyLlama project pretrains a 1.1B Llama model.",
        ),
        (
            "  # PPO Agent Playing LunarLander-v2\n\n  This is a trained PPO agent.\n",
            "PPO Agent Playing LunarLander-v2",
            "This is a trained PPO agent.",
        ),
        (
            "# `StableLM Zephyr 3B`\n\n## Model Description\n\n`StableLM Zephyr 3B` is a 3B model.\n",
            "StableLM Zephyr 3B",
            "StableLM Zephyr 3B is a 3B model.",
        ),
    ],
)
def test_name_and_summary_are_text_never_markup_or_a_template_heading(
    runner: CliRunner, make_catalog: CatalogMaker, body: str, name: str, summary: str
) -> None:
    root = make_catalog()
    front = "---\nmodel-index:\n- name: org/whisper-is\n  results: []\n---\n"
    result = import_readme(runner, front + body)
    assert result.exit_code == 0, result.output
    model, _ = cards(root)
    assert (model["name"], model["summary"]) == (name, summary)


def test_a_style_sheet_or_script_is_no_part_of_the_description(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """HamSter's card is an HTML page: its style sheet, indented, would show on the site as a
    code block of CSS; the text around it stays."""
    root = make_catalog()
    body = (
        "<html>\n<head>\n    <style>\n        body {\n            color: #F7FAFC;\n        }\n"
        "\n        .box { margin: 0; }\n    </style>\n<script>alert(1)</script>\n</head>\n\n"
        "<p>Meet HamSter, a role-play model.</p>\n"
    )
    assert import_readme(runner, "---\nlicense: mit\n---\n" + body).exit_code == 0
    description = cards(root)[0]["description"]
    assert "color" not in description and "margin" not in description
    assert "alert" not in description and "style>" not in description
    assert "<p>Meet HamSter, a role-play model.</p>" in description


def test_a_long_first_paragraph_is_cut_at_a_sentence(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    sentence = "This model transcribes support calls in German and French for quality review. "
    result = import_readme(runner, "---\nlicense: mit\n---\n# X\n\n" + sentence * 4 + "\n")
    assert (
        "warning: the summary was cut to 200 characters; review it in model.yaml" in result.output
    )
    assert cards(root)[0]["summary"] == (sentence * 2).strip()


# ---- the Markdown reader ------------------------------------------------------------------------


def test_plain_text_drops_markup_but_keeps_words() -> None:
    assert (
        plain_text(
            "**Bold** and *it* `code` [link](https://x.org) ![img](i.png) <b>tag</b> &amp; snake_case"
        )
        == "Bold and it code link tag & snake_case"
    )


def test_sections_ignore_headings_in_code_and_comments() -> None:
    intro, found = sections(
        "Intro\n```\n# not a heading\n```\n<!-- # nor this -->\n## Uses\nText\n"
    )
    assert intro == ["Intro", "```", "# not a heading", "```", ""]
    assert [(s.level, s.title, s.lines) for s in found] == [(2, "Uses", ["Text", ""])]


def test_first_paragraph_skips_links_widgets_and_placeholders() -> None:
    lines = [
        "[Home](h) | [Discord](d)",
        "",
        "<details><summary>Click to expand</summary>",
        "",
        "[More Information Needed]",
        "",
        "Real text here.",
    ]
    assert first_paragraph(lines) == "Real text here."


def test_read_readme_gives_the_readme_line_of_each_value() -> None:
    readme = read_readme(Path("README.md"), "\n\n---\na: 1\nb:\n  - c\n---\nbody\n")
    assert readme.meta == {"a": 1, "b": ["c"]}
    assert (readme.line_of(("a",)), readme.line_of(("b", 0)), readme.body) == (4, 6, "body\n")


# ---- untrusted READMEs: bounded time, bounded fields ------------------------------------------


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "body",
    [
        "[" * 200_000,
        "![" * 100_000,
        "<a href=x>" * 50_000,
        "<http:" * 50_000,
        "**a " * 50_000,
        "<details><summary>" * 30_000,
        "- [" * 60_000,
        "\n" * 200_000 + "text",
    ],
)
def test_pathological_markdown_is_read_in_linear_time(
    runner: CliRunner, make_catalog: CatalogMaker, body: str
) -> None:
    """Text a README can hold that would make backtracking patterns rescan it: read in one
    pass (each case took minutes with the patterns it replaced). The global test timeout is
    the only clock here: no timing is asserted."""
    make_catalog()
    result = import_readme(runner, "---\nlicense: mit\n---\n# Title\n\n" + body + "\n")
    assert result.exit_code == 0, result.output
    assert result.exception is None


@pytest.mark.timeout(120)
def test_a_front_matter_after_many_blank_lines_is_found_in_linear_time() -> None:
    readme = read_readme(
        Path("README.md"), "\n" * 300_000 + "---\na: 1\n" + "\n" * 300_000 + "---\nbody\n"
    )
    assert (readme.meta, readme.first_line, readme.body) == ({"a": 1}, 300_002, "body\n")


def test_a_body_longer_than_a_markdown_field_is_cut_after_a_paragraph(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    paragraph = "A sentence about the model that is long enough to count. " * 10
    result = import_readme(
        runner, "---\nlicense: mit\n---\n# Big\n\n" + "\n\n".join([paragraph] * 200) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning: description: the README's text is 114,199 characters, more than a Markdown "
        "field holds (50,000); kept the first 49,739: link to the full card" in result.output
    )
    description = cards(root)[0]["description"]
    assert description.endswith(
        paragraph.strip() + "\n\n*(The README continues; the rest did not fit in this field.)*\n"
    )


# ---- docs/interop.md shows what the import does ------------------------------------------------


def worked_example(runner: CliRunner, root: Path, readme: str) -> dict[str, str]:
    """What docs/interop.md's worked example shows, from the README it starts with."""
    Path("README.md").write_text(readme, encoding="utf-8")
    imported = runner.invoke(
        cli,
        [
            "import",
            "hf",
            "README.md",
            "--model",
            "acme-chat-7b",
            "--owner",
            "ML platform",
            "--today",
            TODAY,
        ],
    )
    folder = root / "models" / "acme-chat-7b"
    export = runner.invoke(
        cli, ["export", "acme-chat-7b@1.0.0", "--format", "hf", "--today", TODAY]
    )
    return {
        "import-output": imported.output,
        "import-model": (folder / "model.yaml").read_text(encoding="utf-8"),
        "import-version": (folder / "1.0.0.yaml").read_text(encoding="utf-8"),
        "import-export": export.stdout[: export.stdout.index("modelcards:\n")],
    }


def test_the_worked_example_of_interop_md_is_current(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    doc = (REPO / "docs" / "interop.md").read_text(encoding="utf-8")
    readme = fenced_after(doc, "<!-- example: import-readme -->")
    shown = worked_example(runner, make_catalog(), readme)
    assert {name: fenced_after(doc, f"<!-- example: {name} -->") for name in shown} == shown
    # What it claims: every result but the .nan loss reads the same after the round trip.
    original = [row for row in eval_rows(ModelCard(readme)) if "loss" not in row]
    assert eval_rows(ModelCard(shown["import-export"] + "---\n")) == original
