"""The four file kinds of a catalog as pydantic models: the one source of truth for the schema.

No I/O here. Values arrive from YAML, so types are strict (a number where text is expected
is an error that tells the user to quote it) and unknown fields are rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$"
SEMVER_PATTERN = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
SHA256_PATTERN = r"^[0-9a-f]{64}$"
COMMIT_PATTERN = r"^[0-9a-f]{7,40}$"

_ID = re.compile(ID_PATTERN)
_SEMVER = re.compile(SEMVER_PATTERN)
_SHA256 = re.compile(SHA256_PATTERN)
_COMMIT = re.compile(COMMIT_PATTERN)


def is_valid_id(value: str) -> bool:
    return bool(_ID.match(value)) and ".." not in value


def is_semver(value: str) -> bool:
    return bool(_SEMVER.match(value))


class Stage(str, Enum):
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"
    ARCHIVED = "archived"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Relation(str, Enum):
    FINE_TUNED = "fine-tuned"
    DISTILLED = "distilled"
    QUANTIZED = "quantized"
    RETRAINED = "retrained"
    MERGED = "merged"
    ADAPTER = "adapter"
    PRUNED = "pruned"
    CONVERTED = "converted"


# Enums arrive as plain strings from YAML, so they are the one place strict typing is relaxed.
StageName = Annotated[Stage, Field(strict=False)]
RelationName = Annotated[Relation, Field(strict=False)]


# ---- constrained strings, with errors that say what a right value looks like ----------------


def _matching(pattern: re.Pattern[str], code: str, what: str) -> Any:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise PydanticCustomError(code, "{what}, got '{value}'", {"what": what, "value": value})
        return value

    return AfterValidator(check)


def _checked_semver(value: str) -> str:
    if not _SEMVER.match(value):
        raise PydanticCustomError(
            "MC004", "must be a SemVer version such as 1.2.0 or 2.0.0-rc.1, got '{value}'",
            {"value": value},
        )
    return value


def _checked_model_reference(value: str) -> str:
    model, at, version = value.partition("@")
    if not at or not is_valid_id(model) or not _SEMVER.match(version):
        raise PydanticCustomError(
            "MC022",
            "must reference a model version as <model>@<version>, such as fraud-detector@2.1.0, "
            "got '{value}'",
            {"value": value},
        )
    return value


def _checked_dataset_reference(value: str) -> str:
    dataset, at, version = value.partition("@")
    if not at or not is_valid_id(dataset) or not version:
        raise PydanticCustomError(
            "MC022",
            "must reference a dataset version as <dataset>@<version>, such as "
            "transactions@2025-Q4, got '{value}'",
            {"value": value},
        )
    return value


def _date_as_text(value: Any) -> Any:
    # YAML reads an unquoted 2026-01-02 as a date; as a dataset version it is just a name.
    return value.isoformat() if isinstance(value, dt.date) else value


def _checked_scalar(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise PydanticCustomError("MC004", "must be a single value (text, number or true/false)")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


Text = Annotated[str, Field(min_length=1)]
OneLine = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\n]*$")]
SemVer = Annotated[str, AfterValidator(_checked_semver), Field(json_schema_extra={"pattern": SEMVER_PATTERN})]
Sha256 = Annotated[
    str,
    _matching(_SHA256, "MC004", "must be 64 lowercase hexadecimal digits (a SHA-256)"),
    Field(json_schema_extra={"pattern": SHA256_PATTERN}),
]
CommitHash = Annotated[
    str,
    _matching(_COMMIT, "MC004", "must be a git commit hash of 7 to 40 lowercase hex digits"),
    Field(json_schema_extra={"pattern": COMMIT_PATTERN}),
]
ModelReference = Annotated[
    str, AfterValidator(_checked_model_reference), Field(json_schema_extra={"pattern": "^[^@]+@.+$"})
]
DatasetReference = Annotated[
    str, AfterValidator(_checked_dataset_reference), Field(json_schema_extra={"pattern": "^[^@]+@.+$"})
]
DatasetVersionName = Annotated[str, BeforeValidator(_date_as_text), Field(min_length=1)]
ScalarValue = Annotated[
    Any,
    AfterValidator(_checked_scalar),
    WithJsonSchema({"type": ["string", "number", "integer", "boolean", "null"]}),
]


class Card(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---- shared parts ---------------------------------------------------------------------------


class Owner(Card):
    name: Text
    contact: str | None = None


class Link(Card):
    title: Text
    url: Text


# ---- catalog.yaml ---------------------------------------------------------------------------


class MetricInfo(Card):
    """How to read a metric: which direction is better, and how to label it."""

    goal: Literal["maximize", "minimize"]
    label: str | None = None
    unit: str | None = None
    description: str | None = None


class Gate(Card):
    metric: Text = "primary"
    max_regression: float = Field(ge=0)


class Policy(Card):
    transitions: dict[StageName, list[StageName]] | None = None
    require: dict[StageName, list[Text]] = {}
    review_interval_days: int | None = Field(default=None, gt=0)
    gates: list[Gate] = []


class CatalogSettings(Card):
    """catalog.yaml: settings and policy for the whole catalog."""

    title: Text = "Model catalog"
    description: str | None = None
    base_url: str | None = Field(default=None, pattern=r"^https?://")
    repository: str | None = Field(default=None, pattern=r"^https?://")
    metrics: dict[str, MetricInfo] = {}
    policy: Policy = Policy()


# ---- models/<model>/model.yaml -------------------------------------------------------------


class IntendedUse(Card):
    uses: list[Text] = []
    users: list[Text] = []
    out_of_scope: list[Text] = []


class EthicalConsideration(Card):
    name: Text
    mitigation: str | None = None


class Considerations(Card):
    limitations: list[Text] = []
    ethical: list[EthicalConsideration] = []
    caveats: str | None = None


class ModelCard(Card):
    """models/<model>/model.yaml: what stays true across a model's versions."""

    name: Text
    summary: OneLine
    description: str | None = None
    owners: list[Owner] = Field(min_length=1)
    task: Text
    tags: list[Text] = []
    license: str | None = None
    primary_metric: str | None = None
    aliases: dict[str, str] = {}
    intended_use: IntendedUse | None = None
    considerations: Considerations | None = None
    links: list[Link] = []
    last_reviewed: dt.date | None = None


# ---- models/<model>/<version>.yaml ---------------------------------------------------------


class Artifact(Card):
    uri: Text
    sha256: Sha256 | None = None
    format: str | None = None
    size_bytes: int | None = Field(default=None, ge=0)


class Framework(Card):
    name: Text
    version: str | None = None


class CodeReference(Card):
    repo: Text
    commit: CommitHash | None = None
    path: str | None = None


class Environment(Card):
    python: str | None = None
    container: str | None = None
    hardware: str | None = None
    packages: dict[str, str] = {}


class Training(Card):
    code: CodeReference | None = None
    data: list[DatasetReference] = []
    hyperparameters: dict[str, ScalarValue] = {}
    environment: Environment | None = None
    seed: int | None = None


class Metric(Card):
    name: Text
    value: float
    dataset: DatasetReference | None = None
    split: str | None = None
    ci: list[float] | None = Field(default=None, min_length=2, max_length=2)
    slice: str | None = None


class LineageEntry(Card):
    model: ModelReference | None = None
    external: str | None = None
    url: str | None = None
    relation: RelationName

    @model_validator(mode="after")
    def _one_source(self) -> LineageEntry:
        if (self.model is None) == (self.external is None):
            raise PydanticCustomError(
                "MC004",
                "a lineage entry names exactly one of `model` (a version in this catalog) "
                "or `external` (for example a Hugging Face repo id)",
            )
        return self


class LifecycleEvent(Card):
    stage: StageName
    date: dt.date
    by: Text
    approved_by: list[Text] = []
    traffic: float | None = Field(default=None, ge=0, le=100)
    reason: str | None = None
    replaced_by: str | None = None
    sunset: dt.date | None = None
    override: str | None = None


class Observation(Card):
    date: dt.date
    metric: Text
    value: float
    threshold: float | None = None


class Monitoring(Card):
    dashboard: str | None = None
    observations: list[Observation] = []


class VersionCard(Card):
    """models/<model>/<version>.yaml: one version's record."""

    version: SemVer
    released: dt.date
    summary: OneLine
    description: str | None = None
    artifacts: list[Artifact] = []
    framework: Framework | None = None
    training: Training | None = None
    metrics: list[Metric] = []
    lineage: list[LineageEntry] = []
    lifecycle: list[LifecycleEvent] = Field(min_length=1)
    monitoring: Monitoring | None = None

    @property
    def stage(self) -> Stage:
        """The current stage: that of the last lifecycle event."""
        return self.lifecycle[-1].stage


# ---- datasets/<dataset>.yaml ---------------------------------------------------------------


class DatasetVersion(Card):
    version: DatasetVersionName
    date: dt.date | None = None
    uri: str | None = None
    sha256: Sha256 | None = None
    rows: int | None = Field(default=None, ge=0)
    description: str | None = None


class DatasetCard(Card):
    """datasets/<dataset>.yaml: a dataset and its versions."""

    name: Text
    summary: OneLine
    owners: list[Owner] = Field(min_length=1)
    license: str | None = None
    description: str | None = None
    versions: list[DatasetVersion] = Field(min_length=1)


CARD_KINDS: dict[str, type[Card]] = {
    "catalog": CatalogSettings,
    "model": ModelCard,
    "version": VersionCard,
    "dataset": DatasetCard,
}
