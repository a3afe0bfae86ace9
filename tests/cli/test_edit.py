"""The editing commands: new, promote, deprecate, retire; byte-for-byte results."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.edit import EditError, FileEdit, apply_edits, write_edits

from ..helpers.catalogs import BASE, SHA_A, SMALL, STAGED, V1, V2, CatalogMaker, edit, snapshot

# A version file with comments everywhere a person puts them.
COMMENTED_SMALL = """\
# yaml-language-server: $schema=../../../schema/version.schema.json
version: "0.1.0"   # the first edge model
released: 2026-02-01
summary: Distilled from fraud 2.0.0.
lineage:
  - {model: fraud@2.0.0, relation: distilled}
# Append events at the end; never rewrite one.
lifecycle:
  - {stage: development, date: 2026-02-01, by: dana}  # started by the edge team
"""


def test_promote_keeps_comments_and_appends_in_the_file_style(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog({SMALL: COMMENTED_SMALL})
    result = runner.invoke(
        cli,
        [
            "promote",
            "small@0.1.0",
            "staging",
            "--by",
            "dana",
            "--reason",
            "Shadow: 5% of traffic",
            "--date",
            "2026-03-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output == "wrote catalog/models/small/0.1.0.yaml: small@0.1.0: staging\n"
    assert (root / SMALL).read_text() == COMMENTED_SMALL + (
        "  - {stage: staging, date: 2026-03-01, by: dana, reason: 'Shadow: 5% of traffic'}\n"
    )


def test_block_style_lifecycle_gets_a_block_event(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    block = COMMENTED_SMALL.replace(
        "  - {stage: development, date: 2026-02-01, by: dana}  # started by the edge team\n",
        "- stage: development  # started by the edge team\n  date: 2026-02-01\n  by: dana\n",
    )
    root = make_catalog({SMALL: block})
    args = ["promote", "small@0.1.0", "staging", "--by", "dana", "--date", "2026-03-01"]
    assert runner.invoke(cli, args).exit_code == 0
    assert (root / SMALL).read_text() == block + (
        "- stage: staging\n  date: 2026-03-01\n  by: dana\n"
    )


def test_promotion_to_production_archives_the_version_it_replaces(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog({"models/fraud/2.1.0.yaml": STAGED})
    result = runner.invoke(
        cli,
        [
            "promote",
            "fraud@2.1.0",
            "production",
            "--by",
            "bob",
            "--approved-by",
            "carol",
            "--approved-by",
            "dave",
            "--date",
            "2026-03-10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote catalog/models/fraud/2.1.0.yaml: fraud@2.1.0: production",
        "wrote catalog/models/fraud/2.0.0.yaml: fraud@2.0.0: archived (replaced by 2.1.0)",
    ]
    assert (root / "models/fraud/2.1.0.yaml").read_text() == STAGED + (
        "  - {stage: production, date: 2026-03-10, by: bob, approved_by: [carol, dave]}\n"
    )
    assert (root / V2).read_text() == textwrap.dedent(BASE[V2]) % {"SHA_B": "b" * 64} + (
        "  - {stage: archived, date: 2026-03-10, by: bob, reason: Replaced in production by 2.1.0}\n"
    )


def test_canary_moves_the_incumbent_to_the_rest_of_the_traffic(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog({"models/fraud/2.1.0.yaml": STAGED})
    result = runner.invoke(
        cli,
        [
            "promote",
            "fraud@2.1.0",
            "production",
            "--by",
            "bob",
            "--approved-by",
            "carol",
            "--traffic",
            "10",
            "--date",
            "2026-03-10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        (root / "models/fraud/2.1.0.yaml")
        .read_text()
        .endswith(
            "  - {stage: production, date: 2026-03-10, by: bob, approved_by: [carol], traffic: 10}\n"
        )
    )
    assert (
        (root / V2)
        .read_text()
        .endswith(
            "  - {stage: production, date: 2026-01-20, by: bob, approved_by: [carol]}\n"
            "  - {stage: production, date: 2026-03-10, by: bob, traffic: 90, "
            "reason: Traffic split with 2.1.0 at 10%}\n"
        )
    )
    lookup = runner.invoke(cli, ["get", "fraud", "--field", "traffic", "--all"])
    assert lookup.output == "2.0.0\t90\t90\n2.1.0\t10\t10\n"


def test_refused_promotion_writes_nothing(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog({"models/fraud/2.1.0.yaml": STAGED})
    before = snapshot(root)
    # The policy asks for an approver to reach production.
    args = ["promote", "fraud@2.1.0", "production", "--by", "bob", "--date", "2026-03-10"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the catalog would not validate after this change, so nothing was written",
        # The event is not in the file: what to pass on the command line, not a line number.
        "fraud@2.1.0, the new production event: error MC040 policy requires an approver to "
        "reach production: pass --approved-by NAME",
    ]
    assert snapshot(root) == before


def test_refused_deprecation_writes_nothing(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    before = snapshot(root)
    result = runner.invoke(
        cli,
        [
            "deprecate",
            "fraud@2.0.0",
            "--by",
            "bob",
            "--reason",
            "Drift",
            "--date",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[2] == (
        "fraud@2.0.0, the new deprecated event: error MC034 fraud@1.0.0 is deprecated in favour "
        "of fraud@2.0.0 (since 2026-01-20): deprecating fraud@2.0.0 without --replaced-by leaves "
        "its users nowhere to go; pass --replaced-by VERSION, or retire fraud@1.0.0 first"
    )
    assert snapshot(root) == before


def test_deprecate(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog(
        {
            **edit(V1, "replaced_by: 2.0.0, ", ""),
            "models/fraud/2.1.0.yaml": STAGED,
        }
    )
    result = runner.invoke(
        cli,
        [
            "deprecate",
            "fraud@2.0.0",
            "--by",
            "bob",
            "--reason",
            "Drift on new merchants",
            "--replaced-by",
            "2.1.0",
            "--sunset",
            "2027-03-01",
            "--date",
            "2026-11-20",
            "--approved-by",
            "carol",  # 2.0.0 is fraud's only production version
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "wrote catalog/models/fraud/2.0.0.yaml: fraud@2.0.0: deprecated; use 2.1.0 instead; "
        "fraud has no version in production now: `modelcards get fraud` fails until one is "
        "promoted\n"
    )
    assert (root / V2).read_text() == textwrap.dedent(BASE[V2]) % {"SHA_B": "b" * 64} + (
        "  - {stage: deprecated, date: 2026-11-20, by: bob, approved_by: [carol], reason: Drift "
        "on new merchants, replaced_by: 2.1.0, sunset: 2027-03-01}\n"
    )


def test_retire(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    result = runner.invoke(
        cli,
        [
            "retire",
            "fraud@1.0.0",
            "--by",
            "bob",
            "--reason",
            "Sunset reached",
            "--date",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (root / V1).read_text() == textwrap.dedent(BASE[V1]) % {"SHA_A": SHA_A} + (
        "  - {stage: retired, date: 2026-11-20, by: bob, reason: Sunset reached}\n"
    )


def test_event_date_and_time_default_to_source_date_epoch(
    runner: CliRunner, make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798900260")  # 2027-01-02 14:31 UTC
    assert runner.invoke(cli, ["retire", "fraud@1.0.0", "--by", "bob"]).exit_code == 0
    assert (
        (root / V1)
        .read_text()
        .endswith('  - {stage: retired, date: 2027-01-02, time: "14:31", by: bob}\n')
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["retire", "fraud@9.9.9", "--by", "bob"],
            1,
            "Error: model 'fraud' has no version 9.9.9; its versions are: 1.0.0, 2.0.0\n",
        ),
        (
            ["retire", "ghost@1.0.0", "--by", "bob"],
            1,
            "Error: there is no model 'ghost'; its models are: fraud, small\n",
        ),
        (
            ["retire", "fraud-1.0.0", "--by", "bob"],
            2,
            "'fraud-1.0.0' is not a model version: write MODEL@VERSION",
        ),
        (["promote", "fraud@2.0.0", "live", "--by", "bob"], 2, "'live' is not one of"),
        (["promote", "fraud@2.0.0", "staging"], 2, "Missing option '--by'"),
    ],
)
def test_bad_targets(
    runner: CliRunner, make_catalog: CatalogMaker, args: list[str], code: int, message: str
) -> None:
    root = make_catalog()
    before = snapshot(root)
    result = runner.invoke(cli, args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert snapshot(root) == before


# ---- scaffolds ----------------------------------------------------------------------------------


def test_new_model(runner: CliRunner, make_catalog: CatalogMaker, tmp_path: Path) -> None:
    root = make_catalog()
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "model.schema.json").write_text("{}")
    result = runner.invoke(
        cli,
        [
            "new",
            "model",
            "churn-predictor",
            "--owner",
            "Growth ML",
            "--task",
            "tabular-classification",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (root / "models/churn-predictor/model.yaml").read_text() == (
        "# yaml-language-server: $schema=../../../schema/model.schema.json\n"
        "name: Churn predictor\n"
        "summary:  # TODO: one line: what it does\n"
        "owners:\n"
        "  - {name: Growth ML}\n"
        "task: tabular-classification\n"
        "tags: []\n"
        "primary_metric: null  # TODO: the metric used for charts and promotion gates\n"
        "intended_use:\n"
        "  uses: []  # TODO: what it is for\n"
        "  out_of_scope: []  # TODO: what it must not be used for\n"
    )
    # What is left to fill in is exactly what validate reports.
    check = runner.invoke(cli, ["validate", "--today", "2026-11-26"])
    assert check.output.splitlines()[0] == (
        "catalog/models/churn-predictor/model.yaml:3:1: error MC054 summary is still to be "
        "filled in (TODO: one line: what it does); fill it in and remove the `# TODO` mark"
    )


def test_new_model_without_options_marks_what_is_missing(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    assert runner.invoke(cli, ["new", "model", "ranker"]).exit_code == 0
    text = (root / "models/ranker/model.yaml").read_text()
    assert "  - {name: null}  # TODO: the team that answers for this model\n" in text
    assert "task:  # TODO: e.g. tabular-classification, text-classification\n" in text


def test_new_model_refuses_an_existing_or_invalid_id(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    before = snapshot(root)
    existing = runner.invoke(cli, ["new", "model", "fraud"])
    assert existing.exit_code == 1
    assert "already exists" in existing.output
    invalid = runner.invoke(cli, ["new", "model", "Fraud_2"])
    assert invalid.exit_code == 2
    assert "'Fraud_2' is not a valid model id" in invalid.output
    assert snapshot(root) == before


def test_new_blank_version(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    args = ["new", "version", "small", "0.2.0", "--by", "dana", "--date", "2026-11-20"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output == "wrote catalog/models/small/0.2.0.yaml: new version small@0.2.0\n"
    assert (root / "models/small/0.2.0.yaml").read_text() == (
        'version: "0.2.0"\n'
        "released: 2026-11-20\n"
        "summary:  # TODO: one line: what this version is\n"
        "artifacts: []  # TODO: [{uri: ..., sha256: <64 hex digits>}]\n"
        "training:\n"
        "  code: {repo: null, commit: null}  # TODO: the training code and the commit it ran from\n"
        "  data: []  # TODO: the dataset versions it was trained on, as <dataset>@<version>\n"
        "metrics: []  # TODO: [{name: auc, value: 0.9, dataset: <dataset>@<version>}]\n"
        "lifecycle:\n"
        "  - {stage: development, date: 2026-11-20, by: dana}\n"
    )


def test_new_version_from_the_previous_one(runner: CliRunner, make_catalog: CatalogMaker) -> None:
    v2 = (
        textwrap.dedent(BASE[V2])
        .replace(
            "training:\n", 'framework: {name: xgboost, version: "2.0.3"}  # pinned\ntraining:\n'
        )
        .replace(
            "  data: [tx@2025-Q4]\n",
            "  data: [tx@2025-Q4]\n  hyperparameters:\n"
            "    max_depth: 8  # tuned\n    eta: 0.05\n  seed: 42\n",
        )
    )
    root = make_catalog({V2: v2})
    args = ["new", "version", "fraud", "2.1.0", "--from", "2.0.0", "--date", "2026-11-20"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (root / "models/fraud/2.1.0.yaml").read_text() == (
        'version: "2.1.0"\n'
        "released: 2026-11-20\n"
        "summary:  # TODO: one line: what changed since 2.0.0\n"
        "artifacts: []  # TODO: this version's files, with their sha256\n"
        'framework: {name: xgboost, version: "2.0.3"}  # pinned\n'
        "training:\n"
        "  code: {repo: https://git.example/fraud, commit: null}  # TODO: the commit it was "
        "trained from\n"
        "  data: [tx@2025-Q4]\n"
        "  hyperparameters:\n"
        "    max_depth: 8  # tuned\n"
        "    eta: 0.05\n"
        "  seed: 42\n"
        "metrics: []  # TODO: measure this version\n"
        "lineage:\n"
        "  - {model: fraud@2.0.0, relation: retrained}  # TODO: check the relation\n"
        "lifecycle:\n"
        "  - {stage: development, date: 2026-11-20, by: null}  # TODO: who\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["new", "version", "fraud", "2.0.0"], 1, "already exists; a version is published once"),
        (["new", "version", "ghost", "1.0.0"], 1, "there is no model 'ghost'"),
        (["new", "version", "fraud", "v3"], 2, "'v3' is not a SemVer version"),
        (["new", "version", "fraud", "3.0.0", "--from", "2.5.0"], 1, "--from 2.5.0:"),
    ],
)
def test_new_version_refusals(
    runner: CliRunner, make_catalog: CatalogMaker, args: list[str], code: int, message: str
) -> None:
    root = make_catalog()
    before = snapshot(root)
    result = runner.invoke(cli, args)
    assert result.exit_code == code
    assert message in result.output
    assert snapshot(root) == before


def test_flow_list_lifecycle_is_edited_by_round_trip(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    flow = COMMENTED_SMALL.replace(
        "lifecycle:\n  - {stage: development, date: 2026-02-01, by: dana}  # started by the edge team\n",
        "lifecycle: [{stage: development, date: 2026-02-01, by: dana}]  # one event so far\n",
    )
    root = make_catalog({SMALL: flow})
    args = ["promote", "small@0.1.0", "staging", "--by", "dana", "--date", "2026-03-01"]
    assert runner.invoke(cli, args).exit_code == 0
    assert (root / SMALL).read_text() == flow.replace(
        "by: dana}]", "by: dana}, {stage: staging, date: 2026-03-01, by: dana}]"
    )


# ---- line endings, refusals that say why ---------------------------------------------------


@pytest.mark.parametrize("layout", ["flow items", "block items"])
def test_edit_keeps_crlf_line_endings(
    runner: CliRunner, make_catalog: CatalogMaker, layout: str
) -> None:
    text = (
        COMMENTED_SMALL
        if layout == "flow items"
        else COMMENTED_SMALL.replace(
            "  - {stage: development, date: 2026-02-01, by: dana}  # started by the edge team\n",
            "- stage: development  # started by the edge team\n  date: 2026-02-01\n  by: dana\n",
        )
    )
    crlf = text.replace("\n", "\r\n").encode()
    root = make_catalog(raw={SMALL: crlf})
    args = ["promote", "small@0.1.0", "staging", "--by", "dana", "--date", "2026-03-01"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    added = (
        "  - {stage: staging, date: 2026-03-01, by: dana}\r\n"
        if layout == "flow items"
        else "- stage: staging\r\n  date: 2026-03-01\r\n  by: dana\r\n"
    )
    assert (root / SMALL).read_bytes() == crlf + added.encode()


def test_edit_refused_when_the_catalog_already_has_errors(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    # fraud 2.0.0 is broken; small 0.1.0, the one promoted, is not.
    root = make_catalog(edit(V2, "sha256: %(SHA_B)s", "sha256: nothex"))
    before = snapshot(root)
    args = ["promote", "small@0.1.0", "staging", "--by", "dana", "--date", "2026-03-01"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the catalog already has errors; fix them first (nothing was written):",
        "catalog/models/fraud/2.0.0.yaml:5:50: error MC004 artifacts[0].sha256: must be 64 "
        "lowercase hexadecimal digits (a SHA-256), got 'nothex'",
    ]
    assert snapshot(root) == before


def test_an_edit_that_fixes_the_catalog_goes_through(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    # 2.1.0 takes 10% of production while 2.0.0 still takes all of it: 110% (MC035).
    canary = STAGED + (
        "  - {stage: production, date: 2026-03-10, by: bob, approved_by: [carol], traffic: 10}\n"
    )
    root = make_catalog({"models/fraud/2.1.0.yaml": canary})
    assert "error MC035" in runner.invoke(cli, ["validate", "--today", "2026-03-11"]).output
    args = [
        "promote",
        "fraud@2.0.0",
        "production",
        "--traffic",
        "90",
        "--by",
        "bob",
        "--approved-by",
        "carol",
        "--date",
        "2026-03-11",
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (
        (root / V2)
        .read_text()
        .endswith(
            "  - {stage: production, date: 2026-03-11, by: bob, approved_by: [carol], traffic: 90}\n"
        )
    )


def test_edit_of_a_broken_version_lists_its_errors(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog(edit(SMALL, "released: 2026-02-01", "released: someday"))
    before = snapshot(root)
    args = ["promote", "small@0.1.0", "staging", "--by", "dana", "--date", "2026-03-01"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: small@0.1.0 has errors of its own; fix them before editing it:",
        "catalog/models/small/0.1.0.yaml:2:11: error MC004 released: expected a date such as "
        "2026-01-05, got the text 'someday'",
    ]
    assert snapshot(root) == before


def test_deprecation_with_a_sunset_before_its_date_is_refused(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog(
        {
            **edit(V1, "replaced_by: 2.0.0, ", ""),
            "models/fraud/2.1.0.yaml": STAGED,
        }
    )
    before = snapshot(root)
    result = runner.invoke(
        cli,
        [
            "deprecate",
            "fraud@2.0.0",
            "--by",
            "bob",
            "--reason",
            "Drift",
            "--replaced-by",
            "2.1.0",
            "--date",
            "2026-11-20",
            "--sunset",
            "2026-10-01",
            "--approved-by",
            "carol",
        ],
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "Error: the catalog would not validate after this change, so nothing was written"
    )
    assert [line.split(": ")[1].split(" ")[:2] for line in lines[1:]] == [["error", "MC036"]]
    assert lines[1].startswith(
        "fraud@2.0.0, the new deprecated event: error MC036 sunset 2026-10-01"
    )
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("version", "existing"), [("1.0.0+build.7", "1.0.0"), ("2.0.0+b", "2.0.0")]
)
def test_new_version_equal_in_precedence_to_an_existing_one_is_refused(
    runner: CliRunner, make_catalog: CatalogMaker, version: str, existing: str
) -> None:
    root = make_catalog()
    before = snapshot(root)
    result = runner.invoke(cli, ["new", "version", "fraud", version])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: fraud already has version {existing} (catalog/models/fraud/{existing}.yaml), "
        f"which differs from {version} only in build metadata: SemVer gives them the same "
        "precedence, so the two could not be told apart; choose another version\n"
    )
    assert snapshot(root) == before


def test_new_pre_release_of_an_existing_version_is_allowed(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    result = runner.invoke(cli, ["new", "version", "fraud", "2.0.0-rc.1", "--by", "a"])
    assert result.exit_code == 0, result.output
    assert (root / "models/fraud/2.0.0-rc.1.yaml").is_file()


def test_edits_are_never_written_outside_the_catalog(
    make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    root = make_catalog()
    escaped = FileEdit(root / "models" / ".." / ".." / "escaped.yaml", "x: 1\n", "escape")
    with pytest.raises(EditError, match="outside the catalog folder"):
        apply_edits(root, [escaped])
    with pytest.raises(EditError, match="outside the catalog folder"):
        write_edits(root, [escaped])
    assert not (tmp_path / "escaped.yaml").exists()
