"""`modelcards import mlflow` when the server is not what it should be: exit 2, a clear
message, nothing written. Small HTTP servers on loopback stand in for a tracking server;
their answers have the shape MLflow 3.17's server gives (recorded from `mlflow server`)."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelcards.cli import cli

from ..helpers.mlflow_server import Answer, fake_server, free_port, json_answer, raw_server

# Recorded from mlflow server 3.17.2 (GET /api/2.0/mlflow/registered-models/search and
# model-versions/search), trimmed to one model and one version.
MODEL = {
    "name": "fraud",
    "creation_timestamp": 1796207487313,
    "last_updated_timestamp": 1796207487393,
    "description": "Scores transactions.",
    "tags": [{"key": "owner", "value": "Risk ML"}, {"key": "task", "value": "t"}],
    "aliases": [{"alias": "champion", "version": "1"}],
}
VERSION = {
    "name": "fraud",
    "version": "1",
    "creation_timestamp": 1796207487325,
    "last_updated_timestamp": 1796207487368,
    "current_stage": "Production",
    "description": "",
    "source": "runs:/ae6e2778e9ad4bf9a578554290f2ab7e/model",
    "run_id": "ae6e2778e9ad4bf9a578554290f2ab7e",
    "status": "READY",
    "run_link": "",
}
UNAUTHENTICATED = {
    "error_code": "UNAUTHENTICATED",
    "message": "You are not authenticated. Please provide valid credentials.",
}


def registry_route(run_answer: Answer, versions: list[dict[str, Any]] | None = None) -> Any:
    def route(path: str) -> Answer:
        if path.startswith("/api/2.0/mlflow/registered-models/search"):
            return json_answer({"registered_models": [MODEL]})
        if path.startswith("/api/2.0/mlflow/model-versions/search"):
            return json_answer({"model_versions": versions or [VERSION]})
        if path.startswith("/api/2.0/mlflow/runs/get"):
            return run_answer
        return 404, "text/html", b"<h1>Not Found</h1>"

    return route


def run_import(runner: CliRunner, uri: str, *more: str) -> Any:
    Path("catalog").mkdir(exist_ok=True)
    return runner.invoke(cli, ["import", "mlflow", "--tracking-uri", uri, *more])


def assert_refused(result: Any, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output == f"Error: {message}; nothing was written\n"
    assert list(Path("catalog").rglob("*")) == []


def test_unreachable_server(runner: CliRunner) -> None:
    uri = f"http://127.0.0.1:{free_port()}"
    assert_refused(
        run_import(runner, uri),
        f"cannot reach the MLflow tracking server at {uri}: "
        "Connection refused; is it running, and is --tracking-uri right?",
    )


def test_not_a_server_address(runner: CliRunner) -> None:
    result = run_import(runner, "sqlite:///mlflow.db")
    assert_refused(
        result,
        "--tracking-uri 'sqlite:///mlflow.db' is not the http(s) URL of an "
        "MLflow tracking server (such as http://127.0.0.1:5000); to read a database "
        "or a folder (sqlite:, file:), start a server on it: mlflow server "
        "--backend-store-uri ...",
    )


def test_credentials_needed(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with fake_server(lambda path: json_answer(UNAUTHENTICATED, 401)) as fake:
        result = run_import(runner, fake.uri)
    assert_refused(
        result,
        f"the MLflow tracking server at {fake.uri} answered HTTP 401 (You "
        "are not authenticated. Please provide valid credentials.) to GET "
        "/api/2.0/mlflow/registered-models/search: credentials are needed; set "
        "MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and "
        "MLFLOW_TRACKING_PASSWORD",
    )
    assert "Authorization" not in fake.requests[0]["headers"]


@pytest.mark.parametrize(
    ("variables", "header"),
    [
        ({"MLFLOW_TRACKING_TOKEN": "s3cret"}, "Bearer s3cret"),
        (
            {"MLFLOW_TRACKING_USERNAME": "ana", "MLFLOW_TRACKING_PASSWORD": "pw:1"},
            "Basic " + base64.b64encode(b"ana:pw:1").decode(),
        ),
    ],
)
def test_credentials_refused(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], header: str
) -> None:
    for name in ("MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with fake_server(
        lambda path: json_answer(
            {"error_code": "PERMISSION_DENIED", "message": "Permission denied"}, 403
        )
    ) as fake:
        result = run_import(runner, fake.uri)
    assert result.exit_code == 2
    assert (
        "answered HTTP 403 (Permission denied) to GET /api/2.0/mlflow/registered-models/"
        "search: credentials were refused" in result.output
    )
    assert fake.requests[0]["headers"]["Authorization"] == header


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (
            (200, "text/html", b"<!doctype html><title>Login</title>"),
            "does not answer as an MLflow tracking server: GET /api/2.0/mlflow/registered-models/"
            "search returned something that is not JSON ('<!doctype html><title>Login</title>')",
        ),
        (
            json_answer([1, 2]),
            "does not answer as an MLflow tracking server: GET /api/2.0/mlflow/"
            "registered-models/search returned list JSON, not an object",
        ),
        (
            json_answer({"registered_models": [{"nam": "fraud"}]}),
            "does not answer as an MLflow tracking server: in GET /api/2.0/mlflow/registered-models/"
            "search, 0.name: field required",
        ),
        (
            json_answer({"registered_models": "fraud"}),
            "does not answer as an MLflow tracking "
            "server: registered_models in GET /api/2.0/mlflow/registered-models/search is not a list",
        ),
        (
            (404, "text/html", b"<h1>Not Found</h1>"),
            "has no MLflow REST API (GET /api/2.0/mlflow/"
            "registered-models/search answered HTTP 404); is --tracking-uri the address of an MLflow "
            "tracking server?",
        ),
        (
            json_answer({"error_code": "INTERNAL_ERROR", "message": "database is locked"}, 500),
            "failed GET /api/2.0/mlflow/registered-models/search (HTTP 500: INTERNAL_ERROR database "
            "is locked)",
        ),
    ],
)
def test_answers_that_are_not_mlflow(runner: CliRunner, answer: Answer, said: str) -> None:
    with fake_server(lambda path: answer) as fake:
        result = run_import(runner, fake.uri)
    prefix = (
        fake.uri
        if said.startswith(("does", "has"))
        else f"the MLflow tracking server at {fake.uri}"
    )
    assert_refused(result, f"{prefix} {said}")


def test_a_server_that_does_not_speak_http(runner: CliRunner) -> None:
    with raw_server(b"SSH-2.0-OpenSSH_9.2\r\n") as uri:
        result = run_import(runner, uri)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {uri} does not answer as an MLflow tracking server "
        "(GET /api/2.0/mlflow/registered-models/search: "
    )
    assert list(Path("catalog").rglob("*")) == []


def test_a_failure_after_the_first_pages_writes_nothing(runner: CliRunner) -> None:
    """Models and versions read fine, then the run fails: nothing was written before it."""
    answer = json_answer({"error_code": "INTERNAL_ERROR", "message": "disk I/O error"}, 500)
    with fake_server(registry_route(answer)) as fake:
        result = run_import(runner, fake.uri)
    assert_refused(
        result,
        f"the MLflow tracking server at {fake.uri} failed GET /api/2.0/mlflow/"
        "runs/get (HTTP 500: INTERNAL_ERROR disk I/O error)",
    )


def test_a_run_the_server_no_longer_has_is_reported(runner: CliRunner) -> None:
    missing = json_answer(
        {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run with id=ae6e not found"}, 404
    )
    with fake_server(registry_route(missing)) as fake:
        result = run_import(runner, fake.uri, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "note: fraud@1.0.0: run ae6e2778e9ad4bf9a578554290f2ab7e is not on the server; no "
        "training or metrics"
    )


def test_a_page_token_that_repeats(runner: CliRunner) -> None:
    def route(path: str) -> Answer:
        return json_answer({"registered_models": [MODEL], "next_page_token": "again"})

    with fake_server(route) as fake:
        result = run_import(runner, fake.uri)
    assert_refused(
        result,
        f"{fake.uri} does not answer as an MLflow tracking server: GET "
        "/api/2.0/mlflow/registered-models/search repeats the page token 'again'",
    )


def test_pages_are_followed(runner: CliRunner) -> None:
    """Two pages of versions: the second is asked for with the first's token."""
    second = {
        **VERSION,
        "version": "2",
        "run_id": "",
        "source": "s3://m/2",
        "current_stage": "None",
    }

    def route(path: str) -> Answer:
        if "model-versions/search" in path:
            if "page_token=p2" in path:
                return json_answer({"model_versions": [second]})
            return json_answer(
                {"model_versions": [{**VERSION, "run_id": ""}], "next_page_token": "p2"}
            )
        return json_answer({"registered_models": [MODEL]})

    with fake_server(route) as fake:
        result = run_import(runner, fake.uri, "--page-size", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path("catalog/models/fraud").iterdir()) == [
        "1.0.0.yaml",
        "2.0.0.yaml",
        "model.yaml",
    ]
    searches = [r["path"] for r in fake.requests if "model-versions/search" in r["path"]]
    assert len(searches) == 2 and all("max_results=1" in s for s in searches)


def test_a_server_that_does_not_answer_in_time(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "0.5")

    def slow(path: str) -> Answer:
        time.sleep(2)
        return json_answer({})

    with fake_server(slow) as fake:
        result = run_import(runner, fake.uri)
    assert_refused(
        result,
        f"the MLflow tracking server at {fake.uri} did not answer GET "
        "/api/2.0/mlflow/registered-models/search within 0.5 s "
        "(MLFLOW_HTTP_REQUEST_TIMEOUT sets the limit)",
    )


def test_the_credentials_do_not_follow_a_redirect(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token is for the server named by --tracking-uri, not for wherever it redirects."""
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "s3cret")
    with (
        fake_server(lambda path: json_answer({"registered_models": []})) as elsewhere,
        fake_server(
            lambda path: (302, "text/plain", b"", {"Location": elsewhere.uri + path})
        ) as fake,
    ):
        result = run_import(runner, fake.uri)
    assert result.exit_code == 0, result.output
    assert result.output == f"nothing to import: catalog is up to date with {fake.uri}\n"
    assert fake.requests[0]["headers"]["Authorization"] == "Bearer s3cret"
    assert "Authorization" not in elsewhere.requests[0]["headers"]
