"""modelcards get: what a deploy job reads, exactly."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli

from ..helpers.catalogs import SHA_A, SHA_B, V2, CatalogMaker, edit

CANARY = (
    textwrap.dedent("""\
    version: "2.1.0"
    released: 2026-03-02
    summary: Retrained with merchant features.
    artifacts:
      - {uri: s3://m/fraud/2.1.0/model.onnx, sha256: %s, format: onnx}
    training:
      code: {repo: https://git.example/fraud, commit: "6b4c3d2e"}
      data: [tx@2025-Q4]
    metrics:
      - {name: auc, value: 0.93, dataset: tx@2025-Q3, split: test}
    lifecycle:
      - {stage: staging, date: 2026-03-02, by: alice}
      - {stage: production, date: 2026-03-10, by: bob, approved_by: [carol], traffic: 10}
    """)
    % SHA_A
)


def version_record(
    version: str, stage: str, traffic: int | None, released: str, artifact: dict[str, object]
) -> dict[str, object]:
    return {
        "ref": f"fraud@{version}",
        "version": version,
        "stage": stage,
        "traffic": traffic,
        "released": released,
        "artifacts": [artifact],
    }


V1_RECORD = version_record(
    "1.0.0",
    "deprecated",
    None,
    "2025-10-05",
    {"uri": "s3://m/fraud/1.0.0/model.onnx", "sha256": SHA_A},
)
V2_RECORD = version_record(
    "2.0.0",
    "production",
    100,
    "2026-01-05",
    {"uri": "s3://m/fraud/2.0.0/model.onnx", "sha256": SHA_B},
)


@pytest.fixture
def runner(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    return runner


def get_json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(cli, ["get", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # warnings (a deprecated version) go to stderr


@pytest.mark.parametrize(
    ("spec", "matched", "selector", "records"),
    [
        ("fraud", "stage", "production", [V2_RECORD]),
        ("fraud@production", "stage", "production", [V2_RECORD]),
        ("fraud@1.0.0", "version", "1.0.0", [V1_RECORD]),
        ("fraud@champion", "alias", "champion", [V2_RECORD]),
        ("fraud@deprecated", "stage", "deprecated", [V1_RECORD]),
    ],
)
def test_get_json(
    runner: CliRunner,
    make_catalog: CatalogMaker,
    spec: str,
    matched: str,
    selector: str,
    records: list[dict[str, object]],
) -> None:
    make_catalog()
    assert get_json(runner, spec) == {
        "model": "fraud",
        "selector": selector,
        "matched": matched,
        "versions": records,
    }


def test_canary_returns_both_versions_with_their_traffic(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog(
        {
            "models/fraud/2.1.0.yaml": CANARY,
            **edit(
                V2,
                "approved_by: [carol]}",
                "approved_by: [carol]}\n"
                "  - {stage: production, date: 2026-03-10, by: bob, traffic: 90}",
            ),
        }
    )
    canary = version_record(
        "2.1.0",
        "production",
        10,
        "2026-03-02",
        {"uri": "s3://m/fraud/2.1.0/model.onnx", "sha256": SHA_A, "format": "onnx"},
    )
    assert get_json(runner, "fraud@production") == {
        "model": "fraud",
        "selector": "production",
        "matched": "stage",
        "versions": [{**V2_RECORD, "traffic": 90}, canary],
    }
    text = runner.invoke(cli, ["get", "fraud"])
    assert text.output == (
        "fraud@2.0.0  production  traffic 90%\n"
        f"  s3://m/fraud/2.0.0/model.onnx  sha256:{SHA_B}\n"
        "fraud@2.1.0  production  traffic 10%\n"
        f"  s3://m/fraud/2.1.0/model.onnx  sha256:{SHA_A}\n"
    )
    versions = runner.invoke(cli, ["get", "fraud", "--field", "version", "--all"])
    assert versions.output == "2.0.0\t90\t2.0.0\n2.1.0\t10\t2.1.0\n"


def test_fields_for_shell_scripts(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    assert runner.invoke(cli, ["get", "fraud", "--field", "uri"]).output == (
        "s3://m/fraud/2.0.0/model.onnx\n"
    )
    assert runner.invoke(cli, ["get", "fraud@champion", "--field", "sha256"]).output == f"{SHA_B}\n"
    assert runner.invoke(cli, ["get", "small@0.1.0", "--field", "traffic"]).output == "\n"


def test_catalog_argument(runner: CliRunner, make_catalog: CatalogMaker, tmp_path: Path) -> None:
    root = make_catalog()
    (tmp_path / "elsewhere").mkdir()
    root.rename(tmp_path / "elsewhere" / "cards")
    result = runner.invoke(cli, ["get", "fraud", "elsewhere/cards", "--field", "version"])
    assert result.output == "2.0.0\n"


@pytest.mark.parametrize(
    ("arguments", "hint"),
    [
        (["fraud", "production"], True),  # a stage where the catalog goes: fraud@production meant
        (["fraud", "champion"], True),
        (["fraud", "2.0.0"], True),
        (["fraud@production", "production"], False),  # the @ is there: a folder was meant
        (["fraud", "no/such/folder"], False),
    ],
)
def test_a_missing_catalog_folder_after_a_bare_model_suggests_the_at(
    runner: CliRunner, make_catalog: CatalogMaker, arguments: list[str], hint: bool
) -> None:
    make_catalog()
    result = runner.invoke(cli, ["get", *arguments])
    assert result.exit_code == 2
    missing = arguments[1]
    said = f"Error: Invalid value for '[CATALOG]': Directory '{missing}' does not exist."
    suggestion = f" To ask for a stage, version or alias of fraud: fraud@{missing}\n"
    assert result.output.endswith(said + (suggestion if hint else "\n"))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("frod", "Error: there is no model 'frod' in the catalog; did you mean 'fraud'?\n"),
        (
            "fraud@9.0.0",
            "Error: fraud has no version, stage or alias '9.0.0'; versions: 1.0.0, "
            "2.0.0; aliases: champion\n",
        ),
        (
            "small",
            "Error: no version of small is in production; its versions are: 0.1.0 (development)\n",
        ),
    ],
)
def test_nothing_matches(
    runner: CliRunner, make_catalog: CatalogMaker, spec: str, message: str
) -> None:
    make_catalog()
    result = runner.invoke(cli, ["get", spec])
    assert result.exit_code == 1
    assert result.output == message


def test_refuses_an_invalid_catalog(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog(edit(V2, "sha256: %(SHA_B)s", "sha256: nothex"))
    result = runner.invoke(cli, ["get", "fraud"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: the catalog has errors; fix them before deploying from it"
    )
    assert result.output.startswith("catalog/models/fraud/2.0.0.yaml:5:")


@pytest.mark.parametrize(
    "spec", ["fraud@", "@1.0.0", "a@b@c", "fraud@2.0.0@x", "", "Fraud", "../fraud"]
)
def test_malformed_spec_is_a_usage_error(
    runner: CliRunner, make_catalog: CatalogMaker, spec: str
) -> None:
    make_catalog()
    result = runner.invoke(cli, ["get", spec])
    assert result.exit_code == 2
    assert result.output.startswith("Usage: ")
    assert result.output.endswith(
        f"Error: {spec!r} is not MODEL, MODEL@VERSION, MODEL@STAGE or MODEL@ALIAS, such as "
        "fraud-detector or fraud-detector@production\n"
    )


def test_malformed_spec_is_a_usage_error_even_in_a_broken_catalog(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog(edit(V2, "sha256: %(SHA_B)s", "sha256: nothex"))
    assert runner.invoke(cli, ["get", "fraud@"]).exit_code == 2


# ---- answers that could hurt a deploy (issue 11, item 8) -----------------------------------


RETIRED = {
    **edit(
        "models/fraud/1.0.0.yaml",
        "sunset: 2027-01-01}",
        "sunset: 2027-01-01}\n  - {stage: retired, date: 2026-11-01, by: bob, reason: Sunset brought forward}",
    ),
}


def test_a_retired_version_is_refused_unless_asked_for(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog(RETIRED)
    result = runner.invoke(cli, ["get", "fraud@1.0.0", "--field", "uri"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: fraud@1.0.0 is retired (since 2026-11-01: Sunset brought forward) and may no "
        "longer be deployed; its replacement is fraud@2.0.0. Pass --allow-retired to read its "
        "record anyway\n"
    )
    assert runner.invoke(cli, ["get", "fraud@retired"]).exit_code == 1
    allowed = runner.invoke(cli, ["get", "fraud@1.0.0", "--field", "uri", "--allow-retired"])
    assert (allowed.exit_code, allowed.stdout) == (0, "s3://m/fraud/1.0.0/model.onnx\n")


def test_a_deprecated_version_is_answered_with_a_warning(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog()
    result = runner.invoke(cli, ["get", "fraud@1.0.0", "--field", "version"])
    assert (result.exit_code, result.stdout) == (0, "1.0.0\n")
    assert result.stderr == (
        "warning: fraud@1.0.0 is deprecated (Superseded); use fraud@2.0.0 instead; sunset "
        "2027-01-01\n"
    )


def test_a_field_of_several_versions_needs_all_and_names_each(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    make_catalog(
        {
            "models/fraud/2.1.0.yaml": CANARY,
            **edit(
                V2,
                "approved_by: [carol]}",
                "approved_by: [carol]}\n"
                "  - {stage: production, date: 2026-03-10, by: bob, traffic: 90}",
            ),
        }
    )
    result = runner.invoke(cli, ["get", "fraud", "--field", "uri"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: fraud@production is 2 versions: 2.0.0 (90% of traffic), 2.1.0 (10% of traffic). "
        "Pass --all to print the uri of each as VERSION<TAB>TRAFFIC<TAB>VALUE lines, or name one "
        "version (fraud@2.0.0)\n"
    )
    every = runner.invoke(cli, ["get", "fraud", "--field", "uri", "--all"])
    assert every.exit_code == 0
    assert every.stdout == (
        "2.0.0\t90\ts3://m/fraud/2.0.0/model.onnx\n2.1.0\t10\ts3://m/fraud/2.1.0/model.onnx\n"
    )
    one = runner.invoke(cli, ["get", "fraud@2.1.0", "--field", "uri"])
    assert one.stdout == "s3://m/fraud/2.1.0/model.onnx\n"


def test_no_model_lists_the_models(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    make_catalog()
    result = runner.invoke(cli, ["get", "ghost"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: there is no model 'ghost' in the catalog; its models are: fraud, small\n"
    )
