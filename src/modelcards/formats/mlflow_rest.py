"""Reading an MLflow Model Registry over its REST API, with the standard library only.

The tracking server's API (`/api/2.0/mlflow/...`) is read with urllib, so importing from
MLflow needs neither the `mlflow` package nor a server-side install. Answers are checked
against the shapes below (pydantic, ignoring fields we do not use); anything else is a
`RegistryError` that says what the server did wrong. Nothing here writes anything: the
result is a `Registry` snapshot, plain data that `mlflow_import` plans cards from (and that
tests record as JSON).

Authentication follows MLflow's own client: `MLFLOW_TRACKING_TOKEN` (a bearer token), else
`MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD` (basic auth);
`MLFLOW_TRACKING_INSECURE_TLS=true` skips certificate checks, `MLFLOW_TRACKING_SERVER_CERT_PATH`
names a CA bundle, and `MLFLOW_HTTP_REQUEST_TIMEOUT` is the timeout of one request in seconds.
"""

from __future__ import annotations

import base64
import difflib
import http.client
import json
import os
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .import_defaults import MLFLOW_PAGE_SIZE

API = "/api/2.0/mlflow/"
DEFAULT_PAGE_SIZE = MLFLOW_PAGE_SIZE
DEFAULT_TIMEOUT = 120.0  # seconds; MLflow's own default for MLFLOW_HTTP_REQUEST_TIMEOUT
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # one page of a registry is far smaller
MAX_PAGES = 100_000
_LOGGED_MODEL_SOURCE = re.compile(r"^models:/(m-[0-9a-f]+)$")


class RegistryError(Exception):
    """The registry could not be read: unreachable, refused, missing, or not MLflow."""


class NotFound(RegistryError):
    """The server answered RESOURCE_DOES_NOT_EXIST (HTTP 404 with MLflow's error body)."""


# ---- the answers' shapes --------------------------------------------------------------------


class Payload(BaseModel):
    # Servers add fields over releases; only the shape of what we read is checked.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Tag(Payload):
    key: str
    value: str = ""


class Alias(Payload):
    alias: str
    version: str


class RegisteredModel(Payload):
    name: str
    creation_timestamp: int | None = None
    last_updated_timestamp: int | None = None
    description: str = ""
    tags: list[Tag] = []
    aliases: list[Alias] = []


class ModelVersion(Payload):
    name: str
    version: str
    creation_timestamp: int
    last_updated_timestamp: int | None = None
    user_id: str = ""
    current_stage: str = "None"
    description: str = ""
    source: str = ""
    run_id: str = ""
    status: str = "READY"
    run_link: str = ""
    tags: list[Tag] = []

    @property
    def logged_model_id(self) -> str | None:
        """MLflow 3 registers a logged model (`models:/m-...`) rather than a run's folder."""
        match = _LOGGED_MODEL_SOURCE.match(self.source)
        return match.group(1) if match else None


class Metric(Payload):
    key: str
    value: float
    timestamp: int = 0
    step: int = 0
    dataset_name: str = ""
    dataset_digest: str = ""


class Param(Payload):
    key: str
    value: str = ""


class Dataset(Payload):
    name: str
    digest: str
    source_type: str = ""
    source: str = ""
    profile: str = ""


class DatasetInput(Payload):
    tags: list[Tag] = []
    dataset: Dataset


class RunInputs(Payload):
    dataset_inputs: list[DatasetInput] = []


class RunInfo(Payload):
    run_id: str
    run_name: str = ""
    user_id: str = ""
    experiment_id: str = ""
    start_time: int | None = None
    artifact_uri: str = ""


class RunData(Payload):
    metrics: list[Metric] = []
    params: list[Param] = []
    tags: list[Tag] = []


class Run(Payload):
    info: RunInfo
    data: RunData = RunData()
    inputs: RunInputs = RunInputs()


class LoggedModelInfo(Payload):
    model_id: str
    artifact_uri: str = ""
    source_run_id: str = ""


class LoggedModelData(Payload):
    params: list[Param] = []
    metrics: list[Metric] = []


class LoggedModel(Payload):
    info: LoggedModelInfo
    data: LoggedModelData = LoggedModelData()


class ModelEntry(Payload):
    """A registered model and its versions."""

    model: RegisteredModel
    versions: list[ModelVersion] = []


class Registry(Payload):
    """What an import reads from the server: models, versions, and the runs behind them.

    A run or logged model that the server no longer has is recorded as None.
    """

    tracking_uri: str
    models: list[ModelEntry] = []
    runs: dict[str, Run | None] = Field(default_factory=dict)
    logged_models: dict[str, LoggedModel | None] = Field(default_factory=dict)


# ---- the connection -------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """Where the tracking server is and how to talk to it."""

    uri: str  # http(s)://host[:port][/prefix], without credentials or a trailing slash
    authorization: str | None = None
    verify_tls: bool = True
    ca_file: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_environment(
        cls,
        uri: str,
        page_size: int = DEFAULT_PAGE_SIZE,
        environ: Mapping[str, str] = os.environ,
    ) -> Server:
        """A server from --tracking-uri and MLflow's own environment variables."""
        parts = urllib.parse.urlsplit(uri.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(
                f"--tracking-uri {uri!r} is not the http(s) URL of an MLflow tracking server "
                "(such as http://127.0.0.1:5000); to read a database or a folder (sqlite:, "
                "file:), start a server on it: mlflow server --backend-store-uri ..."
            )
        authorization = _authorization(environ, parts)
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port is not None:
            netloc += f":{parts.port}"
        base = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        insecure = environ.get("MLFLOW_TRACKING_INSECURE_TLS", "").strip().lower() == "true"
        return cls(
            base,
            authorization,
            verify_tls=not insecure,
            ca_file=environ.get("MLFLOW_TRACKING_SERVER_CERT_PATH") or None,
            timeout=_timeout(environ),
            page_size=page_size,
        )


def _authorization(environ: Mapping[str, str], parts: urllib.parse.SplitResult) -> str | None:
    token = environ.get("MLFLOW_TRACKING_TOKEN", "").strip()
    if token:
        return f"Bearer {token}"
    username = environ.get("MLFLOW_TRACKING_USERNAME") or urllib.parse.unquote(parts.username or "")
    password = environ.get("MLFLOW_TRACKING_PASSWORD") or urllib.parse.unquote(parts.password or "")
    if username or password:
        pair = f"{username}:{password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
    return None


def _timeout(environ: Mapping[str, str]) -> float:
    text = environ.get("MLFLOW_HTTP_REQUEST_TIMEOUT", "").strip()
    try:
        value = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _ssl_context(server: Server) -> ssl.SSLContext | None:
    if not server.uri.startswith("https:"):
        return None
    if not server.verify_tls:
        return ssl._create_unverified_context()  # asked for by MLFLOW_TRACKING_INSECURE_TLS
    return ssl.create_default_context(cafile=server.ca_file)


# ---- one request ----------------------------------------------------------------------------


class Client:
    """GET requests against one server's REST API, each answer checked to be JSON."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=_ssl_context(server))
        )

    def get(self, endpoint: str, params: Mapping[str, str | int]) -> dict[str, Any]:
        query = urllib.parse.urlencode(params)
        url = f"{self.server.uri}{API}{endpoint}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        if self.server.authorization:
            # Not sent on to another host if the server redirects.
            request.add_unredirected_header("Authorization", self.server.authorization)
        where = f"GET {API}{endpoint}"
        try:
            with self._opener.open(request, timeout=self.server.timeout) as answer:
                body = _bounded_read(answer, where)
        except urllib.error.HTTPError as error:
            raise self._refusal(error, where) from None
        except TimeoutError:
            raise RegistryError(
                f"the MLflow tracking server at {self.server.uri} did not answer {where} within "
                f"{self.server.timeout:g} s (MLFLOW_HTTP_REQUEST_TIMEOUT sets the limit)"
            ) from None
        except urllib.error.URLError as error:
            raise RegistryError(self._unreachable(error.reason)) from None
        except (http.client.HTTPException, ConnectionError) as error:
            raise RegistryError(
                f"{self.server.uri} does not answer as an MLflow tracking server ({where}: "
                f"{type(error).__name__}: {error or 'the connection was closed'})"
            ) from None
        return _json_object(body, self.server.uri, where)

    def _unreachable(self, reason: object) -> str:
        if isinstance(reason, ssl.SSLError):
            return (
                f"cannot reach the MLflow tracking server at {self.server.uri}: TLS failed "
                f"({reason}); set MLFLOW_TRACKING_SERVER_CERT_PATH to its CA bundle, or "
                "MLFLOW_TRACKING_INSECURE_TLS=true to skip the check"
            )
        text = getattr(reason, "strerror", None) or str(reason)
        return (
            f"cannot reach the MLflow tracking server at {self.server.uri}: {text}; is it "
            "running, and is --tracking-uri right?"
        )

    def _refusal(self, error: urllib.error.HTTPError, where: str) -> RegistryError:
        try:
            detail = json.loads(_bounded_read(error, where) or b"{}")
        except (ValueError, RegistryError):
            detail = {}
        detail = detail if isinstance(detail, dict) else {}
        message = str(detail.get("message") or error.reason or "").strip()
        if error.code in (401, 403):
            given = "were refused" if self.server.authorization else "are needed"
            return RegistryError(
                f"the MLflow tracking server at {self.server.uri} answered HTTP {error.code} "
                f"({message or 'unauthorized'}) to {where}: credentials {given}; set "
                "MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD"
            )
        if detail.get("error_code") == "RESOURCE_DOES_NOT_EXIST":
            return NotFound(message)
        if error.code == 404:
            return RegistryError(
                f"{self.server.uri} has no MLflow REST API ({where} answered HTTP 404); is "
                "--tracking-uri the address of an MLflow tracking server?"
            )
        code = detail.get("error_code")
        said = f": {code} {message}" if code else (f": {message}" if message else "")
        return RegistryError(
            f"the MLflow tracking server at {self.server.uri} failed {where} "
            f"(HTTP {error.code}{said})"
        )


def _bounded_read(answer: Any, where: str) -> bytes:
    body: bytes = answer.read(MAX_ANSWER_BYTES + 1)
    if len(body) > MAX_ANSWER_BYTES:
        raise RegistryError(
            f"the answer to {where} is larger than {MAX_ANSWER_BYTES // 1024 // 1024} MiB; "
            "a registry page is far smaller, so this is not an MLflow tracking server"
        )
    return body


def _json_object(body: bytes, uri: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        start = body[:60].decode("utf-8", "replace").strip()
        raise RegistryError(
            f"{uri} does not answer as an MLflow tracking server: {where} returned something "
            f"that is not JSON ({start!r})"
        ) from None
    if not isinstance(data, dict):
        raise RegistryError(
            f"{uri} does not answer as an MLflow tracking server: {where} returned "
            f"{type(data).__name__} JSON, not an object"
        )
    return data


def _parsed(kind: Any, value: Any, uri: str, where: str) -> Any:
    try:
        return TypeAdapter(kind).validate_python(value)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(part) for part in first["loc"]) or "the answer"
        raise RegistryError(
            f"{uri} does not answer as an MLflow tracking server: in {where}, {place}: "
            f"{first['msg'].lower()}"
        ) from None


# ---- reading the registry -------------------------------------------------------------------


class RegistryReader:
    """The endpoints an import needs, each answer checked against its shape."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.uri = client.server.uri

    def _pages(self, endpoint: str, params: dict[str, str | int], key: str) -> Iterator[Any]:
        token: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            query = {**params, "max_results": self.client.server.page_size}
            if token:
                query["page_token"] = token
            answer = self.client.get(endpoint, query)
            items = answer.get(key, [])
            if not isinstance(items, list):
                raise RegistryError(
                    f"{self.uri} does not answer as an MLflow tracking server: {key} in GET "
                    f"{API}{endpoint} is not a list"
                )
            yield from items
            token = answer.get("next_page_token") or None
            if token is None:
                return
            if not isinstance(token, str) or token in seen:
                raise RegistryError(
                    f"{self.uri} does not answer as an MLflow tracking server: GET {API}"
                    f"{endpoint} repeats the page token {token!r}"
                )
            seen.add(token)
        raise RegistryError(f"GET {API}{endpoint} has more than {MAX_PAGES} pages; stopped")

    def registered_models(self) -> list[RegisteredModel]:
        endpoint = "registered-models/search"
        items = list(self._pages(endpoint, {}, "registered_models"))
        found: list[RegisteredModel] = _parsed(
            list[RegisteredModel], items, self.uri, f"GET {API}{endpoint}"
        )
        return found

    def registered_model(self, name: str) -> RegisteredModel:
        endpoint = "registered-models/get"
        try:
            answer = self.client.get(endpoint, {"name": name})
        except NotFound:
            raise RegistryError(self._missing(name)) from None
        model: RegisteredModel = _parsed(
            RegisteredModel, answer.get("registered_model"), self.uri, f"GET {API}{endpoint}"
        )
        return model

    def _missing(self, name: str) -> str:
        names = sorted(model.name for model in self.registered_models())
        shown = ", ".join(repr(n) for n in names[:10]) + (", ..." if len(names) > 10 else "")
        known = f"its models are: {shown}" if names else "it has no registered models"
        # Typed from the catalog: the card's id (fraud-detector for 'Fraud Detector').
        same = [n for n in names if _loose(n) == _loose(name)]
        close = same or difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{self.uri} has no registered model named {name!r}{hint}; {known}"

    def model_versions(self, name: str) -> list[ModelVersion]:
        endpoint = "model-versions/search"
        items = list(self._pages(endpoint, {"filter": _name_filter(name)}, "model_versions"))
        found: list[ModelVersion] = _parsed(
            list[ModelVersion], items, self.uri, f"GET {API}{endpoint}"
        )
        # A filter the server cannot express (a name with both quote marks) is applied here.
        return [version for version in found if version.name == name]

    def run(self, run_id: str) -> Run | None:
        endpoint = "runs/get"
        try:
            answer = self.client.get(endpoint, {"run_id": run_id})
        except NotFound:
            return None
        run: Run = _parsed(Run, answer.get("run"), self.uri, f"GET {API}{endpoint}")
        return run

    def logged_model(self, model_id: str) -> LoggedModel | None:
        endpoint = f"logged-models/{urllib.parse.quote(model_id, safe='')}"
        try:
            answer = self.client.get(endpoint, {})
        except NotFound:
            return None
        except RegistryError as error:
            if "has no MLflow REST API" in str(error):
                return None  # a server from before MLflow 3 has no logged models
            raise
        model: LoggedModel = _parsed(
            LoggedModel, answer.get("model"), self.uri, f"GET {API}logged-models"
        )
        return model


def _loose(name: str) -> str:
    """A name without case, spaces and punctuation, to find what a user meant."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _name_filter(name: str) -> str:
    """`name = '...'` in MLflow's filter syntax; without a quote mark that fits, no filter."""
    for quote in ("'", '"'):
        if quote not in name:
            return f"name = {quote}{name}{quote}"
    return ""


def read_registry(server: Server, names: Sequence[str] = ()) -> Registry:
    """Everything an import needs, read before anything is written.

    `names` picks registered models (each must exist); none means every model. Prompts
    (registered models tagged `mlflow.prompt.is_prompt`) are not models and are left out.
    """
    reader = RegistryReader(Client(server))
    if names:
        models = [reader.registered_model(name) for name in dict.fromkeys(names)]
    else:
        models = reader.registered_models()
    registry = Registry(tracking_uri=server.uri)
    for model in models:
        versions = reader.model_versions(model.name)
        registry.models.append(ModelEntry(model=model, versions=versions))
        for version in versions:
            if version.run_id and version.run_id not in registry.runs:
                registry.runs[version.run_id] = reader.run(version.run_id)
            logged = version.logged_model_id
            if logged and logged not in registry.logged_models:
                registry.logged_models[logged] = reader.logged_model(logged)
    return registry
