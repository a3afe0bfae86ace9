"""`modelcards record` and `modelcards.record(...)`: a version card from a training run.

Real files, a real git repository, real subprocesses for the independent answers
(`sha256sum`, `git rev-parse`, `pip list`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import os
import platform
import re
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import modelcards
from modelcards import capture
from modelcards.cli import cli
from modelcards.loading import load_catalog
from modelcards.recording import (
    ArtifactInput,
    RecordError,
    RecordRequest,
    UnreadableInput,
    UsageError,
    record_version,
)

from ..helpers.catalogs import BASE, V2, CatalogMaker

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Trainer",
    "GIT_AUTHOR_EMAIL": "trainer@example.org",
    "GIT_COMMITTER_NAME": "Trainer",
    "GIT_COMMITTER_EMAIL": "trainer@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
ORIGIN = "https://ci-token:s3cret@git.example/acme/fraud.git"  # a CI checkout's remote
NEW = "catalog/models/fraud/2.1.0.yaml"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` but git's own, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@pytest.fixture
def repo(make_catalog: CatalogMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git checkout at tmp_path holding the test catalog and a training script, committed,
    whose origin URL carries a token as CI checkouts' do."""
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)
    for name in capture.CONTAINER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    make_catalog()
    (tmp_path / "train.py").write_text("print('training')\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "remote", "add", "origin", ORIGIN)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "catalog and training code")
    return tmp_path


def record_args(*extra: str) -> list[str]:
    return [
        "record",
        "fraud",
        "2.1.0",
        "--summary",
        "Weekly retrain",
        "--by",
        "train-job",
        "--date",
        "2026-11-20",
        *extra,
    ]


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def sha256sum(path: Path) -> str:
    return subprocess.run(
        ["sha256sum", str(path)], capture_output=True, text=True, check=True
    ).stdout.split()[0]


# ---- the whole card --------------------------------------------------------------------------


def test_record_writes_a_complete_card_that_validates(repo: Path, runner: CliRunner) -> None:
    model = repo / "out" / "model.onnx"
    model.parent.mkdir()
    model.write_bytes(os.urandom(5 * 1024 * 1024 + 17))  # a multi-MB artifact, not committed
    write(
        repo / "out" / "metrics.yaml",
        """\
        - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test, ci: [0.92, 0.94]}
        - {name: auc, value: 0.9, dataset: tx@2025-Q4, split: test, slice: new-merchants}
        """,
    )
    write(
        repo / "out" / "params.json",
        '{"max_depth": 8, "booster": {"eta": 0.05, "objective": "binary:logistic"}}',
    )
    result = runner.invoke(
        cli,
        record_args(
            "--artifact",
            "out/model.onnx=s3://m/fraud/2.1.0/model.onnx",
            "--artifact",
            f"s3://m/fraud/2.1.0/features.json@sha256:{'c' * 64}",
            "--metrics",
            "out/metrics.yaml",
            "--hyperparameters",
            "out/params.json",
            "--data",
            "tx@2025-Q4",
            "--framework",
            "PyYAML",
            "--package",
            "pydantic",
            "--seed",
            "42",
            "--hardware",
            "1x CPU",
            "--container",
            f"ghcr.io/acme/train@sha256:{'d' * 64}",
        ),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {NEW}: recorded fraud@2.1.0\n"
    commit = git(repo, "rev-parse", "HEAD")
    packages = capture.packages_sha256(capture.installed_distributions())
    assert (repo / NEW).read_text() == (
        'version: "2.1.0"\n'
        "released: 2026-11-20\n"
        "summary: Weekly retrain\n"
        "artifacts:\n"
        f"  - {{uri: s3://m/fraud/2.1.0/model.onnx, sha256: {sha256sum(model)}, format: onnx, "
        "size_bytes: 5242897}\n"
        f"  - {{uri: s3://m/fraud/2.1.0/features.json, sha256: {'c' * 64}, format: json}}\n"
        f"framework: {{name: PyYAML, version: {importlib.metadata.version('PyYAML')}}}\n"
        "training:\n"
        f"  code: {{repo: https://git.example/acme/fraud, commit: {commit}}}\n"
        "  data: [tx@2025-Q4]\n"
        "  hyperparameters:\n"
        "    max_depth: 8\n"
        "    booster.eta: 0.05\n"
        "    booster.objective: binary:logistic\n"
        "  environment:\n"
        f"    python: {platform.python_version()}\n"
        f"    container: ghcr.io/acme/train@sha256:{'d' * 64}\n"
        "    hardware: 1x CPU\n"
        f"    packages: {{pydantic: {importlib.metadata.version('pydantic')}}}\n"
        f"    packages_sha256: {packages}\n"
        "  seed: 42\n"
        "metrics:\n"
        "  - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test, ci: [0.92, 0.94]}\n"
        "  - {name: auc, value: 0.9, dataset: tx@2025-Q4, split: test, slice: new-merchants}\n"
        "lifecycle:\n"
        "  - {stage: development, date: 2026-11-20, by: train-job}\n"
    )
    assert "s3cret" not in (repo / NEW).read_text()
    validated = runner.invoke(cli, ["validate"])
    assert validated.exit_code == 0, validated.output
    against_base = runner.invoke(cli, ["validate", "--base", "HEAD", "--summary", "summary.md"])
    assert against_base.exit_code == 0, against_base.output
    assert (
        "| `fraud@2.1.0` | development | 2026-11-20 | Weekly retrain |"
        in (repo / "summary.md").read_text()
    )


def test_dry_run_prints_the_card_and_writes_nothing(repo: Path, runner: CliRunner) -> None:
    before = snapshot(repo)
    result = runner.invoke(cli, record_args("--dry-run", "--data", "tx@2025-Q4", "--time", "14:30"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('version: "2.1.0"\nreleased: 2026-11-20\n')
    assert "  data: [tx@2025-Q4]\n" in result.stdout
    assert result.stdout.endswith(
        'lifecycle:\n  - {stage: development, date: 2026-11-20, time: "14:30", by: train-job}\n'
    )
    assert snapshot(repo) == before


# ---- artifacts -------------------------------------------------------------------------------


def test_artifacts_are_hashed_by_streaming(tmp_path: Path) -> None:
    big = tmp_path / "weights.bin"
    with big.open("wb") as stream:
        for _ in range(24):
            stream.write(os.urandom(1024 * 1024))
    tracemalloc.start()
    try:
        digest = capture.file_digest(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest == capture.FileDigest(sha256sum(big), 24 * 1024 * 1024)
    # One reused 1 MiB buffer, never the 24 MiB file.
    assert peak < 2 * capture.CHUNK_BYTES


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("model.onnx", ArtifactInput("model.onnx", Path("model.onnx"))),
        ("out/model.onnx=s3://b/m.onnx", ArtifactInput("s3://b/m.onnx", Path("out/model.onnx"))),
        (f"s3://b/m.onnx@sha256:{'a' * 64}", ArtifactInput("s3://b/m.onnx", sha256="a" * 64)),
        (
            f"m.onnx=https://h/m?v=2@sha256:{'b' * 64}",
            ArtifactInput("https://h/m?v=2", Path("m.onnx"), "b" * 64),
        ),
        ("https://h/get?file=m.onnx", ArtifactInput("https://h/get?file=m.onnx")),
    ],
)
def test_artifact_syntax(spec: str, expected: ArtifactInput) -> None:
    assert ArtifactInput.parse(spec) == expected


@pytest.mark.parametrize(
    "spec", ["=s3://b/m", "model.onnx=", "s3://b/m@sha256:abc", f"m@sha256:{'A' * 64}"]
)
def test_malformed_artifacts_are_usage_errors(spec: str) -> None:
    with pytest.raises(UsageError, match="--artifact"):
        ArtifactInput.parse(spec)


# ---- metrics and hyperparameters files -------------------------------------------------------

EXPECTED_METRICS = (
    "metrics:\n"
    "  - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test, ci: [0.92, 0.94]}\n"
    "  - {name: log_loss, value: 1.0e-05, dataset: tx@2025-Q4, split: test}\n"
)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "metrics.json",
            """\
            [
              {"name": "auc", "value": 0.93, "dataset": "tx@2025-Q4", "split": "test", "ci": [0.92, 0.94]},
              {"name": "log_loss", "value": 1e-05, "dataset": "tx@2025-Q4", "split": "test"}
            ]
            """,
        ),
        (
            "metrics.yaml",
            """\
            - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test, ci: [0.92, 0.94]}
            - {name: log_loss, value: 1.0e-05, dataset: tx@2025-Q4, split: test}
            """,
        ),
        (
            "metrics.yml",
            """\
            metrics:
              - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test, ci: [0.92, 0.94]}
              - {name: log_loss, value: 1.0e-05, dataset: tx@2025-Q4, split: test}
            """,
        ),
        (
            "metrics.json",
            """\
            {"auc": {"value": 0.93, "dataset": "tx@2025-Q4", "split": "test", "ci": [0.92, 0.94]},
             "log_loss": {"value": 1e-05, "dataset": "tx@2025-Q4", "split": "test"}}
            """,
        ),
        # The mapping of names under `metrics:`, as many training scripts json.dump it.
        (
            "metrics.json",
            """\
            {"metrics": {
              "auc": {"value": 0.93, "dataset": "tx@2025-Q4", "split": "test", "ci": [0.92, 0.94]},
              "log_loss": {"value": 1e-05, "dataset": "tx@2025-Q4", "split": "test"}}}
            """,
        ),
    ],
)
def test_metrics_files_in_both_formats_and_every_shape(
    repo: Path, runner: CliRunner, name: str, text: str
) -> None:
    write(repo / name, text)
    result = runner.invoke(cli, record_args("--metrics", name))
    assert result.exit_code == 0, result.output
    assert EXPECTED_METRICS in (repo / NEW).read_text()


def test_a_mapping_of_names_to_values(repo: Path) -> None:
    write(repo / "metrics.yaml", "auc: 0.93\nf1: 0.71\n")
    result = record_version(
        repo / "catalog",
        RecordRequest(
            "fraud",
            "2.1.0",
            "Weekly retrain",
            "train-job",
            metrics=repo / "metrics.yaml",
            code_dir=repo,
        ),
        dry_run=True,
    )
    assert "metrics:\n  - {name: auc, value: 0.93}\n  - {name: f1, value: 0.71}\n" in result.text
    # Valid, but no gate can compare them: said while the job still knows its data.
    assert result.notes[0] == (
        "metrics without a dataset: auc, f1; the promotion gate compares readings of one "
        "dataset version and split, so it cannot compare these with another version's (MC045 "
        "when this version is promoted over one); give the metrics as a list of {name, value, "
        "dataset, split}"
    )


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "metrics.json",
            """\
            [
              {"name": "auc", "value": 0.93},
              {"name": "f1",
               "value": "n/a"}
            ]
            """,
            "metrics.json:4:13: error MC004 value: expected a number, got the text 'n/a'",
        ),
        (
            "metrics.yaml",
            """\
            - {name: auc, value: 0.93}
            - {name: f1, value: 0.7, splt: test}
            """,
            "metrics.yaml:2:26: error MC003 unknown field 'splt'; did you mean 'split'?",
        ),
        (
            "metrics.yaml",
            "auc: 0.93\nf1: .nan\n",
            "metrics.yaml:2:1: error MC004 value: input should be a finite number",
        ),
        (
            "metrics.json",
            '[{"name": "auc", "value": 0.93,}]\n',
            "metrics.json:1:32: error MC001 invalid JSON: Expecting property name enclosed in double quotes",
        ),
        ("metrics.yaml", "- {name: auc, value: 0.93\n", "metrics.yaml:2:1: error MC001"),
        (
            "metrics.yaml",
            "just text\n",
            "metrics.yaml:1:1: error MC004 a metrics file is a list of metrics",
        ),
        (
            "params.yaml",
            "depth: 8\nlayers: [64, 32]\n",
            "params.yaml:2:9: error MC004 hyperparameters.layers: must be a single value",
        ),
    ],
)
def test_mistakes_in_the_job_files_are_reported_at_their_lines(
    repo: Path, runner: CliRunner, name: str, text: str, line: str
) -> None:
    write(repo / name, text)
    before = snapshot(repo)
    option = "--hyperparameters" if name.startswith("params") else "--metrics"
    result = runner.invoke(cli, record_args(option, name))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(line), result.stderr
    assert result.stderr.endswith(
        "Error: the job's input files have errors, so nothing was written\n"
    )
    assert snapshot(repo) == before


def test_a_missing_dataset_in_the_metrics_file_is_reported_at_its_line(
    repo: Path, runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    write(
        repo / "metrics.yaml",
        """\
        # evaluation of the weekly retrain
        - {name: auc, value: 0.93, dataset: tx@2025-Q4, split: test}
        - {name: auc, value: 0.91, dataset: tx@2099-Q1, split: test}
        """,
    )
    before = snapshot(repo)
    result = runner.invoke(cli, record_args("--metrics", "metrics.yaml"))
    assert result.exit_code == 1
    message = "dataset 'tx' has no version '2099-Q1'; its versions are: 2025-Q3, 2025-Q4"
    assert result.stderr == (
        f"metrics.yaml:3:37: error MC021 {message}\n"
        "Error: the catalog would not validate after this change, so nothing was written\n"
    )
    assert snapshot(repo) == before
    # The same code and message as validate gives for the same metric in a card.
    by_hand = textwrap.dedent(BASE[V2]).replace("dataset: tx@2025-Q3", "dataset: tx@2099-Q1")
    make_catalog({V2: by_hand})
    validated = runner.invoke(cli, ["validate"])
    assert f"error MC021 {message}\n" in validated.stdout


def test_a_missing_training_dataset_is_reported_at_the_card_line(
    repo: Path, runner: CliRunner
) -> None:
    before = snapshot(repo)
    result = runner.invoke(cli, record_args("--data", "tx@2025-Q4", "--data", "tx@2099-Q1"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{NEW}:6:22: error MC021 dataset 'tx' has no version '2099-Q1'; its versions are: "
        "2025-Q3, 2025-Q4\n"
        f"({NEW} was not written; --dry-run prints the card these lines refer to)\n"
        "Error: the catalog would not validate after this change, so nothing was written\n"
    )
    assert snapshot(repo) == before
    dry = runner.invoke(
        cli, record_args("--data", "tx@2025-Q4", "--data", "tx@2099-Q1", "--dry-run")
    )
    assert dry.stdout.splitlines()[5] == "  data: [tx@2025-Q4, tx@2099-Q1]"  # line 6, column 22


def test_an_interval_that_misses_its_value_points_at_the_metrics_file(repo: Path) -> None:
    write(repo / "metrics.json", '{\n  "auc": {"value": 0.95, "ci": [0.9, 0.94]}\n}\n')
    result = record_version(
        repo / "catalog",
        RecordRequest(
            "fraud",
            "2.1.0",
            "Weekly retrain",
            "train-job",
            metrics=repo / "metrics.json",
            code_dir=repo,
        ),
    )
    assert not result.written
    assert [(p.file.name, p.line, p.column, p.code) for p in result.problems] == [
        ("metrics.json", 2, 32, "MC044")
    ]


def test_values_yaml_would_misread_stay_what_the_job_wrote(repo: Path) -> None:
    params = {
        "flag": "yes",
        "window": "1:30",
        "mode": "0755",
        "start": "2026-01-01",
        "none": "null",
        "on": 1,
        "rate": 1e-07,
        "big": 1e20,
        "name": "a: b",
    }
    result = record_version(
        repo / "catalog",
        RecordRequest(
            "fraud",
            "2.1.0",
            "yes",
            "no",
            hyperparameters=params,
            code_dir=repo,
            description="Line one.\nLine two: with a colon.\n",
        ),
    )
    assert result.written, result.problems
    catalog, problems = load_catalog(repo / "catalog")
    assert problems == []
    card = catalog.versions["fraud@2.1.0"].card
    assert card.training is not None and card.training.hyperparameters == params
    assert (card.summary, card.lifecycle[0].by) == ("yes", "no")
    assert card.description == "Line one.\nLine two: with a colon.\n"


# ---- the code: git ---------------------------------------------------------------------------


def test_uncommitted_changes_are_refused(repo: Path, runner: CliRunner) -> None:
    (repo / "train.py").write_text("print('tuned by hand')\n")
    (repo / "model.onnx").write_bytes(b"untracked outputs do not count")
    before = snapshot(repo)
    result = runner.invoke(cli, record_args("--artifact", "model.onnx"))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the training code has uncommitted changes (train.py), so commit "
        f"{git(repo, 'rev-parse', 'HEAD')[:12]} does not say what trained this version; "
        "commit them first, or record anyway with --allow-dirty (the card's description will "
        "say so)\n"
    )
    assert snapshot(repo) == before


def test_allow_dirty_records_and_says_so(repo: Path, runner: CliRunner) -> None:
    (repo / "train.py").write_text("print('tuned by hand')\n")
    git(repo, "add", "train.py")  # staged counts too
    result = runner.invoke(cli, record_args("--allow-dirty", "--description", "Tuned."))
    assert result.exit_code == 0, result.output
    commit = git(repo, "rev-parse", "HEAD")
    assert (
        "description: |\n  Tuned.\n\n  Trained from a working tree with uncommitted "
        f"changes to train.py: commit {commit[:12]} alone does not reproduce it.\n"
        in (repo / NEW).read_text()
    )
    assert "note: recorded from a working tree with 1 uncommitted change(s)" in result.stderr


def test_a_detached_head_is_recorded(repo: Path, runner: CliRunner) -> None:
    first = git(repo, "rev-parse", "HEAD")
    (repo / "train.py").write_text("print('v2')\n")
    git(repo, "commit", "-qam", "second")
    git(repo, "checkout", "-q", "--detach", first)  # what actions/checkout does
    result = runner.invoke(cli, record_args())
    assert result.exit_code == 0, result.output
    assert (
        f"  code: {{repo: https://git.example/acme/fraud, commit: {first}}}\n"
        in (repo / NEW).read_text()
    )
    assert f"note: HEAD is detached at {first[:12]} (as CI checks out); recorded it\n" in (
        result.stderr
    )


def test_code_in_a_subfolder_records_its_path(repo: Path, runner: CliRunner) -> None:
    (repo / "training").mkdir()
    result = runner.invoke(cli, record_args("--code-dir", "training"))
    assert result.exit_code == 0, result.output
    commit = git(repo, "rev-parse", "HEAD")
    assert (
        f"  code: {{repo: https://git.example/acme/fraud, commit: {commit}, path: training}}\n"
    ) in (repo / NEW).read_text()


def test_code_named_by_hand_outside_git(
    make_catalog: CatalogMaker, tmp_path: Path, runner: CliRunner
) -> None:
    make_catalog()
    refused = runner.invoke(cli, record_args())
    assert refused.exit_code == 1
    assert "is not inside a git repository" in refused.stderr
    given = runner.invoke(
        cli, record_args("--code-repo", "https://git.example/x", "--commit", "4f2c1e9")
    )
    assert given.exit_code == 0, given.output
    assert (
        "  code: {repo: https://git.example/x, commit: 4f2c1e9}\n" in (tmp_path / NEW).read_text()
    )


def test_the_remote_is_chosen_as_documented(repo: Path) -> None:
    git(repo, "remote", "rename", "origin", "upstream")
    git(repo, "remote", "add", "fork", "git@git.example:me/fraud.git")
    with pytest.raises(capture.CaptureError, match="none is the branch's remote or 'origin'"):
        capture.code_state(repo)
    git(repo, "config", "branch.main.remote", "fork")
    assert capture.code_state(repo).repo == "https://git.example/me/fraud"
    assert capture.code_state(repo, "https://elsewhere.example/r").repo == (
        "https://elsewhere.example/r"
    )


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://gitlab-ci-token:glcbt-x@gitlab.example/g/p.git", "https://gitlab.example/g/p"),
        ("git@github.com:acme/fraud.git", "https://github.com/acme/fraud"),
        ("ssh://git@github.com:22/acme/fraud.git", "https://github.com/acme/fraud"),
        ("https://github.com/acme/fraud", "https://github.com/acme/fraud"),
        ("http://git.local:8080/acme/fraud.git/", "http://git.local:8080/acme/fraud"),
        ("/srv/git/fraud.git", "/srv/git/fraud.git"),
    ],
)
def test_repository_urls_lose_credentials(url: str, public: str) -> None:
    assert capture.public_url(url) == public


# ---- the environment -------------------------------------------------------------------------


def test_packages_digest_is_what_pip_lists(tmp_path: Path) -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    pairs = dict(line.split("==", 1) for line in listed.splitlines() if "==" in line)
    lines = sorted(
        re.sub(r"[-_.]+", "-", name).lower() + f"=={version}\n" for name, version in pairs.items()
    )
    by_pip = hashlib.sha256("".join(lines).encode()).hexdigest()
    assert capture.packages_sha256(capture.installed_distributions()) == by_pip


def test_container_image_from_the_environment(repo: Path) -> None:
    def recorded(**fields: object) -> tuple[str, list[str]]:
        result = record_version(
            repo / "catalog",
            RecordRequest(
                "fraud",
                "2.1.0",
                "s",
                "b",
                code_dir=repo,
                **fields,  # type: ignore[arg-type]
            ),
            dry_run=True,
        )
        found = re.search(r"^    container: (.*)$", result.text, re.MULTILINE)
        return (found.group(1) if found else ""), result.notes

    pinned = f"registry.example/train@sha256:{'e' * 64}"
    assert recorded(environ={}) == ("", [])
    image, notes = recorded(environ={"CI_JOB_IMAGE": "python:3.12"})
    assert image == "python:3.12"
    assert notes == [
        "container image from $CI_JOB_IMAGE: python:3.12",
        "container image python:3.12 is not pinned by digest (image@sha256:...): the same name "
        "can later mean other content",
    ]
    both = {"CI_JOB_IMAGE": "python:3.12", "MODELCARDS_CONTAINER_IMAGE": pinned}
    assert recorded(environ=both) == (
        pinned,
        [f"container image from $MODELCARDS_CONTAINER_IMAGE: {pinned}"],
    )
    assert recorded(environ=both, container="given:1")[0] == "given:1"


# ---- --from ----------------------------------------------------------------------------------


def test_from_carries_over_the_setup_and_captures_the_rest(
    make_catalog: CatalogMaker, repo: Path, runner: CliRunner
) -> None:
    v2 = (
        textwrap.dedent(BASE[V2])
        .replace("training:\n", 'framework: {name: PyYAML, version: "1.0"}  # pinned\ntraining:\n')
        .replace(
            "  data: [tx@2025-Q4]\n",
            (
                "  data: [tx@2025-Q4]\n"
                "  hyperparameters:\n"
                "    max_depth: 8  # tuned\n"
                "    eta: 0.05\n"
                "  environment:\n"
                '    python: "3.9.1"\n'
                "    hardware: 1x A100\n"
                '    packages: {pydantic: "1.0", not-installed-anywhere: "0.1"}\n'
                "  seed: 42\n"
            ),
        )
    )
    make_catalog({V2: v2})
    git(repo, "commit", "-qam", "2.0.0 with its setup")
    result = runner.invoke(cli, record_args("--from", "2.0.0", "--relation", "fine-tuned"))
    assert result.exit_code == 0, result.output
    commit = git(repo, "rev-parse", "HEAD")
    packages = capture.packages_sha256(capture.installed_distributions())
    assert (repo / NEW).read_text() == (
        'version: "2.1.0"\n'
        "released: 2026-11-20\n"
        "summary: Weekly retrain\n"
        # The installed version, quoted as the card quoted it; the comment keeps its column.
        f'framework: {{name: PyYAML, version: "{importlib.metadata.version("PyYAML")}"}} # pinned\n'
        "training:\n"
        f"  code: {{repo: https://git.example/acme/fraud, commit: {commit}}}\n"
        "  data: [tx@2025-Q4]\n"
        "  hyperparameters:\n"
        "    max_depth: 8  # tuned\n"
        "    eta: 0.05\n"
        "  environment:\n"
        f"    python: {platform.python_version()}\n"
        "    hardware: 1x A100\n"
        f"    packages: {{pydantic: {importlib.metadata.version('pydantic')}}}\n"
        f"    packages_sha256: {packages}\n"
        "  seed: 42\n"
        "lineage:\n"
        "  - {model: fraud@2.0.0, relation: fine-tuned}\n"
        "lifecycle:\n"
        "  - {stage: development, date: 2026-11-20, by: train-job}\n"
    )
    assert result.stderr.splitlines() == [
        "note: carried over from 2.0.0: framework, training (what the job gave replaces it; "
        "the code and the environment are captured anew)",
        "note: package not-installed-anywhere (listed by the previous version) is not "
        "installed here; left out",
    ]


def test_given_values_replace_carried_ones(
    make_catalog: CatalogMaker, repo: Path, runner: CliRunner
) -> None:
    write(repo / "params.yaml", "max_depth: 6\n")
    result = runner.invoke(
        cli,
        record_args(
            "--from",
            "2.0.0",
            "--data",
            "tx@2025-Q3",
            "--hyperparameters",
            "params.yaml",
            "--seed",
            "1",
        ),
    )
    assert result.exit_code == 0, result.output
    text = (repo / NEW).read_text()
    assert "  data: [tx@2025-Q3]\n  hyperparameters:\n    max_depth: 6\n" in text
    assert "  seed: 1\n" in text


# ---- refusals write nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--artifact", "missing.onnx"], 2, "artifact missing.onnx does not exist"),
        (["--artifact", "catalog"], 2, "catalog is not a regular file but a folder"),
        (["--artifact", "pipe"], 2, "pipe is not a regular file but a named pipe (FIFO)"),
        (["--artifact", f"train.py=s3://b/t.py@sha256:{'0' * 64}"], 1, "not the 0000"),
        (["--artifact", "=s3://x"], 2, "write PATH, PATH=URI or URI@sha256"),
        (["--metrics", "nowhere.json"], 2, "does not exist"),
        (["--package", "not-installed-anywhere"], 1, "is not installed in this Python"),
        (["--framework", "==1.0"], 2, "write NAME or NAME==VERSION"),
        (["--from", "1.5.0"], 1, "--from 1.5.0:"),
        (["--commit", "4f2c1e9"], 2, "needs the repository too"),
        (["--data", "not-a-reference"], 1, "error MC022"),
        (["--date", "2999-01-01"], 1, "--date 2999-01-01 is after today"),
        (["--time", "25:00"], 2, "is not a time of day"),
    ],
)
def test_refusals_write_nothing(
    repo: Path, runner: CliRunner, extra: list[str], code: int, message: str
) -> None:
    os.mkfifo(repo / "pipe")  # would block a reader that waits for a writer
    before = snapshot(repo)
    result = runner.invoke(cli, record_args(*extra))
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["record", "ghost", "1.0.0"], 1, "there is no model 'ghost'"),
        (["record", "fraud", "2.0.0"], 1, "already exists; a version is published once"),
        (["record", "fraud", "v3"], 2, "'v3' is not a SemVer version"),
    ],
)
def test_model_and_version_refusals(
    repo: Path, runner: CliRunner, args: list[str], code: int, message: str
) -> None:
    before = snapshot(repo)
    result = runner.invoke(cli, [*args, "--summary", "s", "--by", "b"])
    assert result.exit_code == code
    assert message in result.output
    assert snapshot(repo) == before


def test_a_catalog_with_errors_is_not_recorded_into(
    make_catalog: CatalogMaker, repo: Path, runner: CliRunner
) -> None:
    make_catalog({"models/small/model.yaml": "name: Small\n"})
    git(repo, "commit", "-qam", "break the small model")
    before = snapshot(repo)
    result = runner.invoke(cli, record_args())
    assert result.exit_code == 1
    assert "Error: the catalog already has errors; fix them first (nothing was written)" in (
        result.stderr
    )
    assert "catalog/models/small/model.yaml:1:1: error MC005" in result.stderr
    assert snapshot(repo) == before


# ---- the Python API --------------------------------------------------------------------------


def test_the_python_api(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    weights = b"\x80\x04weights"
    (repo / "model.pkl").write_bytes(weights)
    result = modelcards.record(
        "catalog",
        "fraud",
        "2.1.0",
        summary="From the training script",
        by="train.py",
        artifacts=["model.pkl=s3://m/fraud/2.1.0/model.pkl"],
        metrics=[{"name": "auc", "value": 0.93, "dataset": "tx@2025-Q4", "split": "test"}],
        hyperparameters={"optimizer": {"lr": 0.01}},
        data=["tx@2025-Q4"],
        seed=3,
        previous="2.0.0",
        date=dt.date(2026, 11, 20),
    )
    assert result.written and result.errors == [] and result.reason is None
    assert result.path == Path("catalog/models/fraud/2.1.0.yaml")
    assert result.path.read_text() == result.text
    assert f"sha256: {hashlib.sha256(weights).hexdigest()}, format: pkl, size_bytes: 9}}" in (
        result.text
    )
    assert "    optimizer.lr: 0.01\n" in result.text
    card = load_catalog(repo / "catalog")[0].versions["fraud@2.1.0"].card
    assert [m.value for m in card.metrics] == [0.93]

    refused = modelcards.record(
        "catalog",
        "fraud",
        "2.2.0",
        summary="s",
        by="b",
        metrics={"auc": {"value": 0.9, "dataset": "tx@1999"}},
    )
    assert not refused.written
    assert [(p.code, p.line) for p in refused.errors] == [("MC021", 10)]
    assert refused.reason == (
        "the catalog would not validate after this change, so nothing was written"
    )
    assert not (repo / "catalog/models/fraud/2.2.0.yaml").exists()

    (repo / "train.py").write_text("changed\n")
    with pytest.raises(RecordError, match="uncommitted changes"):
        modelcards.record("catalog", "fraud", "2.2.0", summary="s", by="b")
    with pytest.raises(UnreadableInput, match="does not exist"):
        modelcards.record(
            "catalog",
            "fraud",
            "2.2.0",
            summary="s",
            by="b",
            artifacts=["gone.bin"],
            allow_dirty=True,
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"model": "ghost"}, "there is no model 'ghost'"),
        ({"version": "2.0.0"}, "already exists; a version is published once"),
        ({"previous": "1.5.0"}, "--from 1.5.0"),
        ({"date": dt.date(2999, 1, 1)}, "is after today"),
    ],
)
def test_every_refusal_no_card_line_explains_is_a_record_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, object], message: str
) -> None:
    """A training script catches one exception for "nothing was written, and why" (as
    docs/workflow.md says), whichever refusal it was."""
    monkeypatch.chdir(repo)
    call: dict[str, object] = {"model": "fraud", "version": "2.1.0", **fields}
    before = snapshot(repo)
    with pytest.raises(RecordError, match=re.escape(message)):
        modelcards.record(
            "catalog", str(call.pop("model")), str(call.pop("version")), summary="s", by="b", **call
        )
    assert snapshot(repo) == before


def test_the_library_needs_neither_click_nor_the_site() -> None:
    probe = (
        "import sys, modelcards\n"
        "modelcards.record\n"
        "print(sorted(m for m in ('click', 'jinja2', 'modelcards.cli', 'modelcards.site')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_written_card_reads_back_with_pyyaml(repo: Path) -> None:
    result = record_version(
        repo / "catalog",
        RecordRequest(
            "fraud",
            "2.1.0",
            "Weekly retrain",
            "train-job",
            code_dir=repo,
            seed=0,
            metrics=[{"name": "loss", "value": 2.5e-06}],
        ),
    )
    assert result.written
    data = yaml.safe_load(result.text)
    assert data["metrics"] == [{"name": "loss", "value": 2.5e-06}]
    assert data["training"]["seed"] == 0


def test_a_repository_named_by_hand_loses_its_credentials_too(
    make_catalog: CatalogMaker, tmp_path: Path, runner: CliRunner
) -> None:
    """--code-repo pasted from a CI log carries the token as the checkout's remote does."""
    make_catalog()
    given = runner.invoke(
        cli,
        record_args("--code-repo", "https://ci:s3cret@git.example/x.git", "--commit", "4f2c1e9"),
    )
    assert given.exit_code == 0, given.output
    text = (tmp_path / NEW).read_text()
    assert "  code: {repo: https://git.example/x, commit: 4f2c1e9}\n" in text
    assert "s3cret" not in text
