"""validate --base: each history rule on a real git repository, with its file and line."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.codes import RULES
from modelcards.history import GitError, compare_with_base, validate_against_base
from modelcards.validate import validate_catalog

from ..helpers.catalogs import BASE, SMALL, V1, V2, M, render
from ..helpers.history import DATASET, base_files, changed, git, make_repo, write

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def history_problems(
    root: Path, files: Mapping[str, str | None]
) -> list[tuple[str, str, int, str]]:
    write(root, files)
    result, _ = validate_against_base(root, "main", TODAY)
    return [
        (p.code, p.file.relative_to(root).as_posix(), p.line, p.message) for p in result.problems
    ]


def test_base_catalog_passes_against_itself(catalog: Path) -> None:
    result, history = validate_against_base(catalog, "main", TODAY)
    assert result.problems == []
    assert history.added == [] and history.changed == {} and history.deleted == {}


def test_edited_released_metric(catalog: Path) -> None:
    files = changed(V2, "- {name: auc, value: 0.91,", "- {name: auc, value: 0.93,")
    assert history_problems(catalog, files) == [
        (
            "MC063",
            V2,
            10,
            "metrics[0] was changed: main had `{name: auc, value: 0.91, dataset: tx@2025-Q3, "
            "split: test}`. Metrics are append-only: keep every entry main has, and add new entries "
            "at the end",
        )
    ]


def test_deleted_version(catalog: Path) -> None:
    assert history_problems(catalog, {SMALL: None}) == [
        (
            "MC060",
            SMALL,
            1,
            "version small@0.1.0 exists on main and was deleted; a published version is a record: "
            "restore the file and retire it instead (modelcards retire small@0.1.0 --by <you> "
            "--reason <why>)",
        )
    ]


def test_rewritten_lifecycle_event(catalog: Path) -> None:
    files = changed(V1, "by: bob, reason: Superseded", "by: dave, reason: Superseded")
    assert history_problems(catalog, files) == [
        (
            "MC064",
            V1,
            14,
            "lifecycle[2] was changed: main had `{stage: deprecated, date: 2026-01-20, by: bob, "
            "reason: Superseded, replaced_by: 2.0.0, sunset: 2027-01-01}`. The lifecycle is "
            "append-only: keep every entry main has, and add new entries at the end",
        )
    ]


def test_removed_lifecycle_event_points_where_it_was(catalog: Path) -> None:
    files = changed(V2, "  - {stage: staging, date: 2026-01-05, by: alice}\n", "")
    problems = history_problems(catalog, files)
    assert [(code, file, line) for code, file, line, _ in problems] == [("MC064", V2, 14)]
    assert problems[0][3].startswith(
        "lifecycle[0] was removed: main had `{stage: staging, date: 2026-01-05, by: alice}`."
    )


def test_event_inserted_before_the_end(catalog: Path) -> None:
    files = changed(
        V2,
        "  - {stage: production,",
        "  - {stage: development, date: 2026-01-06, by: alice}\n  - {stage: production,",
    )
    problems = history_problems(catalog, files)
    assert [(code, line) for code, _, line, _ in problems] == [("MC064", 15)]
    assert problems[0][3].startswith(
        "an entry was inserted before lifecycle[1], which was main's lifecycle[1]."
    )


def test_removed_observation(catalog: Path) -> None:
    files = changed(V2, "    - {date: 2026-02-01, metric: auc, value: 0.91}\n", "")
    assert history_problems(catalog, files) == [
        (
            "MC065",
            V2,
            19,
            "monitoring.observations[0] was removed: main had `{date: 2026-02-01, metric: auc, "
            "value: 0.91}`. Monitoring observations are append-only: keep every entry main has, and "
            "add new entries at the end",
        )
    ]


def test_renamed_model_folder(catalog: Path) -> None:
    (catalog / "models" / "small").rename(catalog / "models" / "small-edge")
    problems = history_problems(catalog, {})
    assert problems == [
        (
            "MC061",
            "models/small-edge/0.1.0.yaml",
            1,
            "small-edge@0.1.0 is small@0.1.0 from main under a new name: the model folder "
            "models/small/ was renamed to models/small-edge/. A rename is a deletion plus an "
            "addition, and small@0.1.0 may not be deleted; keep models/small/ (retire its versions "
            "if they should no longer be used) and add the new model next to it",
        )
    ]


def test_changed_artifact_is_a_recorded_fact(catalog: Path) -> None:
    files = changed(V2, "s3://m/fraud/2.0.0/model.onnx", "s3://m/fraud/2.0.0/model-v2.onnx")
    assert history_problems(catalog, files) == [
        (
            "MC062",
            V2,
            5,
            "artifacts[0].uri of fraud@2.0.0 may not change once the version is on main: main had "
            "`s3://m/fraud/2.0.0/model.onnx`. A published version is a record; restore it, and "
            "publish what changed as a new version (modelcards new version fraud <VERSION> --from "
            "2.0.0)",
        )
    ]


def test_added_training_field_says_the_base_had_none(catalog: Path) -> None:
    files = changed(V2, "  data: [tx@2025-Q4]\n", "  data: [tx@2025-Q4]\n  seed: 7\n")
    problems = history_problems(catalog, files)
    assert [(code, line) for code, _, line, _ in problems] == [("MC062", 9)]
    assert (
        "training.seed of fraud@2.0.0 may not change once the version is on main: "
        "main had no training.seed." in problems[0][3]
    )


def test_documentation_edits_pass(catalog: Path) -> None:
    files = {
        **changed(V1, "summary: First model.", "summary: The first fraud model."),
        **changed(
            V2,
            "summary: Retrained on Q4 data.",
            "summary: Retrained on Q4 data.\ndescription: |\n  Same features, newer data.\n",
        ),
        **changed(M, "summary: Scores card transactions for fraud.", "summary: Scores fraud."),
    }
    assert history_problems(catalog, files) == []


def test_reformatting_without_changing_values_passes(catalog: Path) -> None:
    files = changed(
        V2,
        "  - {stage: staging, date: 2026-01-05, by: alice}\n",
        "  - stage: staging  # the first event\n    date: 2026-01-05\n    by: alice\n",
    )
    assert history_problems(catalog, files) == []


def test_appended_entries_pass(catalog: Path) -> None:
    files = changed(
        V2,
        "    - {date: 2026-03-01, metric: psi, value: 0.12, threshold: 0.25}\n",
        "    - {date: 2026-03-01, metric: psi, value: 0.12, threshold: 0.25}\n"
        "    - {date: 2026-04-01, metric: psi, value: 0.14, threshold: 0.25}\n",
    )
    files[V2] = (
        files[V2]
        .replace(
            "approved_by: [carol]}\n",
            "approved_by: [carol]}\n"
            "  - {stage: archived, date: 2026-05-01, by: bob, approved_by: [carol]}\n",
        )
        .replace(
            "split: test}\n",
            "split: test}\n  - {name: auc, value: 0.905, dataset: tx@2025-Q4, split: test}\n",
        )
    )
    write(catalog, files)
    result, history = validate_against_base(catalog, "main", TODAY)
    assert [p.code for p in result.errors] == []
    assert sorted(history.changed) == ["fraud@2.0.0"]


def test_added_production_promotion_is_gated(catalog: Path) -> None:
    new_version = textwrap.dedent(BASE[V2]).replace('"2.0.0"', '"2.1.0"').replace(
        "2026-01-05", "2026-03-02"
    ).replace("2026-01-20", "2026-03-10").replace("value: 0.91", "value: 0.85").replace(
        "fraud@1.0.0", "fraud@2.0.0"
    ) % {"SHA_B": "c" * 64}
    files = {"models/fraud/2.1.0.yaml": new_version}
    files[V2] = base_files()[V2].replace(
        "approved_by: [carol]}\n",
        "approved_by: [carol]}\n  - {stage: archived, date: 2026-03-10, by: bob}\n",
    )
    problems = history_problems(catalog, files)
    assert [(code, file, line) for code, file, line, _ in problems] == [
        ("MC041", "models/fraud/2.1.0.yaml", 15)
    ]
    assert "regresses auc on tx@2025-Q3 (test) from 0.91 (fraud@2.0.0" in problems[0][3]


def test_a_promotion_made_on_the_branch_is_gated_with_every_reading(catalog: Path) -> None:
    # 2.1.0 beats 2.0.0 on tx@2025-Q4 but regresses on tx@2025-Q3, a reading said to be
    # measured after the promotion, which is dated in the past: a published promotion leaves
    # such a reading out (it was appended later), so dating a new one earlier would hide the
    # regression. A promotion made on the branch is judged with every reading (MC068); once
    # it is on main, appending the same reading is what a re-evaluation does, and passes.
    new_version = textwrap.dedent(BASE[V2]).replace('"2.0.0"', '"2.1.0"').replace(
        "2026-01-05", "2026-03-02"
    ).replace("2026-01-20", "2026-03-10").replace(
        "  - {name: auc, value: 0.91, dataset: tx@2025-Q3, split: test}",
        "  - {name: auc, value: 0.92, dataset: tx@2025-Q4, split: test}\n"
        "  - {name: auc, value: 0.85, dataset: tx@2025-Q3, split: test, measured: 2026-11-20}",
    ).replace("fraud@1.0.0", "fraud@2.0.0") % {"SHA_B": "c" * 64}
    files = {"models/fraud/2.1.0.yaml": new_version}
    files[V2] = (
        base_files()[V2]
        .replace(
            "approved_by: [carol]}\n",
            "approved_by: [carol]}\n  - {stage: archived, date: 2026-03-10, by: bob}\n",
        )
        .replace(
            "split: test}\n",
            "split: test}\n  - {name: auc, value: 0.9, dataset: tx@2025-Q4, split: test}\n",
        )
    )
    problems = history_problems(catalog, files)
    assert [(code, file, line) for code, file, line, _ in problems] == [
        ("MC068", "models/fraud/2.1.0.yaml", 16)
    ]
    assert problems[0][3] == (
        "promotion to production regresses auc on tx@2025-Q3 (test) from 0.91 (fraud@2.0.0, "
        "in production before) to 0.85, by 0.06, more than the gate's 0.01; improve the model "
        "or add `override: <justification>` to this event. This promotion is not on main: it "
        "is gated with every reading, also those measured after its date or on data dated "
        "after it (only a published promotion leaves them out)"
    )
    assert validate_catalog(catalog, TODAY).problems == []  # without --base: as if published
    repo = catalog.parent
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "2.1.0 in production")
    git(repo, "branch", "-f", "main")
    assert history_problems(catalog, {}) == []


def test_catalog_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path, "registry/cards")
    write(root, {SMALL: None})
    history = compare_with_base(validate_catalog(root, TODAY).catalog, "main", TODAY)
    assert [(p.code, p.file) for p in history.problems] == [("MC060", root / SMALL)]


def test_other_files_on_the_base_are_ignored(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    repo = root.parent
    (repo / "README.md").write_text("# registry\n")
    (root / "README.md").write_text("# catalog\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "readmes")
    (root / "README.md").unlink()
    result, _ = validate_against_base(root, "HEAD", TODAY)
    assert result.problems == []


def test_unknown_ref(catalog: Path) -> None:
    with pytest.raises(GitError, match="unknown git ref 'origin/nope'"):
        validate_against_base(catalog, "origin/nope", TODAY)


# ---- through the command line ------------------------------------------------------------------


def test_cli_reports_history_errors(runner: CliRunner, catalog: Path) -> None:
    write(catalog, {SMALL: None})
    args = ["validate", "repo/catalog", "--base", "main", "--today", "2026-11-26"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "repo/catalog/models/small/0.1.0.yaml:1:1: error MC060 version small@0.1.0 exists on main "
        "and was deleted; a published version is a record: restore the file and retire it "
        "instead (modelcards retire small@0.1.0 --by <you> --reason <why>)",
        "catalog is invalid: 1 error, 0 warnings (2 models, 2 versions, 1 dataset)",
    ]


def test_cli_github_format(runner: CliRunner, catalog: Path) -> None:
    write(catalog, changed(V1, "by: bob, reason", "by: eve, reason"))
    args = ["validate", "repo/catalog", "--base", "main", "--format", "github"]
    result = runner.invoke(cli, [*args, "--today", "2026-11-26"])
    assert result.exit_code == 1
    assert result.output.startswith(
        "::error file=repo/catalog/models/fraud/1.0.0.yaml,line=14,col=5,title=MC064::"
        "lifecycle[2] was changed"
    )


def test_cli_unknown_ref_exits_2(runner: CliRunner, catalog: Path) -> None:
    result = runner.invoke(cli, ["validate", "repo/catalog", "--base", "nope"])
    assert result.exit_code == 2
    assert (
        "Error: --base nope: unknown git ref 'nope': no branch, tag or commit by that name"
        in result.output
    )
    assert "Traceback" not in result.output


def test_cli_outside_a_repository_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write(root, dict(render({})))
    result = runner.invoke(cli, ["validate", "plain", "--base", "main"])
    assert result.exit_code == 2
    assert "is not inside a git repository, so there is no base to compare with" in result.output


def test_history_codes_are_registered() -> None:
    history = {code for code in RULES if "MC060" <= code <= "MC069"}
    assert {code: RULES[code].title for code in sorted(history)} == {
        "MC060": "version on the base was deleted",
        "MC061": "model folder renamed",
        "MC062": "recorded field of a published version changed",
        "MC063": "published metric changed or removed",
        "MC064": "published lifecycle event changed or removed",
        "MC065": "published monitoring observation changed or removed",
        "MC066": "published dataset version deleted",
        "MC067": "recorded field of a published dataset version changed",
        "MC068": "promotion made on the branch fails its gate on later readings",
    }


# ---- dataset versions are records too -----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "had"),
    [
        ("sha256: " + "c" * 64, "sha256: " + "d" * 64, "sha256", "c" * 64),
        ("uri: s3://d/tx/2025-Q3/", "uri: s3://d/tx/2025-Q3-fixed/", "uri", "s3://d/tx/2025-Q3/"),
        ("rows: 1200", "rows: 1250", "rows", "1200"),
        ("date: 2025-10-01", "date: 2025-10-02", "date", "2025-10-01"),
    ],
)
def test_a_published_dataset_version_is_a_record(
    catalog: Path, old: str, new: str, field: str, had: str
) -> None:
    problems = history_problems(catalog, changed(DATASET, old, new))
    assert problems == [
        (
            "MC067",
            DATASET,
            5,
            f"versions[0].{field} of dataset version tx@2025-Q3 may not change once it is on main: "
            f"main had `{had}`. A published dataset version is a record (fraud@1.0.0 and "
            "fraud@2.0.0 were trained or evaluated on it); restore it, and publish changed data as "
            "a new version: a new entry at the end of versions",
        )
    ]


def test_recording_a_missing_fact_is_a_change_too(catalog: Path) -> None:
    files = changed(
        DATASET,
        "{version: 2025-Q4, date: 2026-01-02}",
        "{version: 2025-Q4, date: 2026-01-02, rows: 5000}",
    )
    problems = history_problems(catalog, files)
    assert [(code, line) for code, _, line, _ in problems] == [("MC067", 6)]
    assert (
        "versions[1].rows of dataset version tx@2025-Q4 may not change once it is on main: "
        "main had no versions[1].rows." in problems[0][3]
    )


def test_a_published_dataset_version_may_not_be_removed(catalog: Path) -> None:
    files = changed(DATASET, "  - {version: 2025-Q4, date: 2026-01-02}\n", "")
    problems = history_problems(catalog, files)
    assert [p for p in problems if p[0] != "MC021"] == [
        (
            "MC066",
            DATASET,
            5,
            "dataset version tx@2025-Q4 exists on main and was removed from versions; a published "
            "dataset version is a record (fraud@2.0.0 was trained or evaluated on it): restore its "
            "entry, describe what is wrong with it in its description, and add corrected data as a "
            "new version",
        )
    ]


def test_a_deleted_dataset_file_deletes_each_of_its_versions(catalog: Path) -> None:
    problems = history_problems(catalog, {DATASET: None})
    assert [(code, file, line) for code, file, line, _ in problems if code.startswith("MC06")] == [
        ("MC066", DATASET, 1),
        ("MC066", DATASET, 1),
    ]
    assert problems[0][3].startswith(
        "dataset version tx@2025-Q3 exists on main and was deleted with datasets/tx.yaml;"
    )


def test_dataset_descriptions_and_new_versions_may_change(catalog: Path) -> None:
    files = changed(
        DATASET,
        "{version: 2025-Q4, date: 2026-01-02}",
        "{version: 2025-Q4, date: 2026-01-02, description: Labels of December are late.}\n"
        "  - {version: 2026-Q1, date: 2026-04-01, rows: 900}",
    )
    files[DATASET] = files[DATASET].replace("name: Transactions", "name: Card transactions")
    assert history_problems(catalog, files) == []


# ---- hostile working trees (issue 18, items 1 and 3) --------------------------------------------


def _commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_a_catalog_swapped_for_a_link_cannot_rewrite_history(
    runner: CliRunner, catalog: Path
) -> None:
    """The reproduction: catalog/ renamed to catalog2/, a link catalog -> catalog2 in its
    place, and a published version rewritten. CI's own command must not pass."""
    repo = catalog.parent
    git(repo, "mv", "catalog", "catalog2")
    os.symlink("catalog2", repo / "catalog")
    write(repo / "catalog2", changed(V1, "released: 2025-10-05", "released: 2001-01-01"))
    _commit_all(repo, "rewrite history through a link")
    runner_dir = Path.cwd()
    os.chdir(repo)
    try:
        result = runner.invoke(cli, ["validate", "catalog", "--base", "main"])
    finally:
        os.chdir(runner_dir)
    assert result.exit_code == 2, result.output
    assert (
        f"refusing the catalog path catalog: {repo / 'catalog'} is a symbolic link (to catalog2); "
        "name the catalog folder by its real path" in result.output
    )
    assert "Traceback" not in result.output


def test_a_link_above_the_catalog_inside_the_repository_is_refused(tmp_path: Path) -> None:
    root = make_repo(tmp_path, "registry/cards")
    repo = root.parent.parent
    (repo / "registry").rename(repo / "elsewhere")
    os.symlink("elsewhere", repo / "registry")
    with pytest.raises(GitError, match="registry is a symbolic link"):
        validate_against_base(repo / "registry" / "cards", "main", TODAY)


def test_links_above_the_repository_are_followed(tmp_path: Path) -> None:
    """A repository reached through a link outside it (a home folder on another disk)."""
    make_repo(tmp_path)
    os.symlink(tmp_path / "repo", tmp_path / "alias")
    result, _ = validate_against_base(tmp_path / "alias" / "catalog", "main", TODAY)
    assert result.problems == []


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["build", "-o", "site"],
        ["get", "fraud"],
        ["export", "fraud@1.0.0", "--format", "hf"],
    ],
)
def test_every_command_refuses_a_linked_catalog(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    root = make_repo(tmp_path)
    os.symlink(root, tmp_path / "linked")
    args = (
        [*command, "linked"] if command[0] != "export" else [*command[:2], "linked", *command[2:]]
    )
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "is a symbolic link" in result.output
    assert "Traceback" not in result.output


def test_a_version_replaced_by_a_link_out_of_the_catalog_is_missing(
    catalog: Path, tmp_path: Path
) -> None:
    """Whatever stands at a published version's path, if the catalog does not load a version
    file there, the version is gone: reported even when a file can be read through it."""
    outside = tmp_path / "outside.yaml"
    outside.write_text(base_files()[V1].replace("2025-10-05", "2001-01-01", 1))
    (catalog / V1).unlink()
    os.symlink(outside, catalog / V1)
    result, _ = validate_against_base(catalog, "main", TODAY)
    found = [(p.code, p.file.relative_to(catalog).as_posix(), p.message) for p in result.problems]
    assert (
        "MC060",
        V1,
        "version fraud@1.0.0 exists on main and is no longer a version card here (1.0.0.yaml "
        "is not a file the catalog loads); a published version is a record: restore the file "
        "and retire it instead (modelcards retire fraud@1.0.0 --by <you> --reason <why>)",
    ) in found
    assert (
        "MC009",
        V1,
        "'1.0.0.yaml' does not belong here; it links outside the catalog folder",
    ) in found


@pytest.mark.usefixtures("memory_cap")
def test_a_link_to_dev_zero_at_a_published_path_does_not_hang(catalog: Path) -> None:
    """Committed on the branch, a link to /dev/zero would be read without end."""
    (catalog / V1).unlink()
    os.symlink("/dev/zero", catalog / V1)
    result, _ = validate_against_base(catalog, "main", TODAY)
    assert {(p.code, p.file.name) for p in result.problems} == {
        ("MC009", "1.0.0.yaml"),
        ("MC060", "1.0.0.yaml"),
        ("MC020", "2.0.0.yaml"),
    }


def test_a_fifo_at_a_published_path_does_not_hang(catalog: Path) -> None:
    (catalog / V1).unlink()
    os.mkfifo(catalog / V1)
    result, _ = validate_against_base(catalog, "main", TODAY)
    assert {(p.code, p.file.name) for p in result.problems} == {
        ("MC017", "1.0.0.yaml"),
        ("MC060", "1.0.0.yaml"),
        ("MC020", "2.0.0.yaml"),
    }


def test_a_published_version_that_is_a_link_keeps_its_record(catalog: Path) -> None:
    """A version card may be a link to a file elsewhere in the catalog; on the base, the
    record is the file the link leads to, so editing that file is rewriting history."""
    repo = catalog.parent
    hidden = catalog / "models/fraud/.record.yaml"
    (catalog / V1).rename(hidden)
    os.symlink(".record.yaml", catalog / V1)
    _commit_all(repo, "the version file becomes a link")
    git(repo, "branch", "-f", "main", "HEAD")
    write(
        catalog,
        {
            "models/fraud/.record.yaml": base_files()[V1].replace(
                "released: 2025-10-05", "released: 2001-01-01"
            )
        },
    )
    result, _ = validate_against_base(catalog, "main", TODAY)
    assert [(p.code, p.file.relative_to(catalog).as_posix()) for p in result.problems] == [
        ("MC062", V1)
    ]


def test_a_huge_blob_on_the_base_is_not_read(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blob sizes come from ls-tree: one over the card limit is never asked of cat-file."""
    repo = catalog.parent
    write(catalog, {V1: "#" * 1_100_000 + "\n"})
    _commit_all(repo, "an oversized card")
    git(repo, "branch", "-f", "main", "HEAD")
    write(catalog, {V1: base_files()[V1]})
    asked: list[list[str]] = []
    real_run = subprocess.run

    def spy(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        asked.append(args)
        return real_run(args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(subprocess, "run", spy)
    _, history = validate_against_base(catalog, "main", TODAY)
    batches = [args for args in asked if args[1:3] == ["cat-file", "--batch"]]
    assert batches == []  # the only differing file is the huge one: nothing to read
    assert "fraud@1.0.0" in history.changed and history.changed["fraud@1.0.0"].card is None
