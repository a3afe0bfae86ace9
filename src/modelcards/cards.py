"""The four file kinds of a catalog as pydantic models: the one source of truth for the schema.

No I/O here. Values arrive from YAML, so types are strict (a number where text is expected
is an error that tells the user to quote it) and unknown fields are rejected.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    StringConstraints,
    WithJsonSchema,
    WrapSerializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .cardmarkdown import MAX_CHARACTERS, too_long
from .texts import VISIBLE, describe_character, first_invisible

# The problem codes this module owns (checks the card models make on one value; parse
# reports their errors).
CODES = frozenset({"MC022", "MC080"})

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$"
SEMVER_PATTERN = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
SHA256_PATTERN = r"^[0-9a-f]{64}$"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
COMMIT_PATTERN = r"^[0-9a-f]{7,40}$"

_ID = re.compile(ID_PATTERN)
_SEMVER = re.compile(SEMVER_PATTERN)
_SHA256 = re.compile(SHA256_PATTERN)
_COMMIT = re.compile(COMMIT_PATTERN)
_TIME = re.compile(TIME_PATTERN)
_PINNED_IMAGE = re.compile(r"@sha256:[0-9a-f]{64}$")


def is_valid_id(value: str) -> bool:
    return bool(_ID.match(value)) and ".." not in value


def is_semver(value: str) -> bool:
    return bool(_SEMVER.match(value))


def split_model_version(reference: str) -> tuple[str, str] | None:
    """(model id, version) of a MODEL@VERSION reference, or None when it is not one: the one
    reading of the shape, for cards, the editing commands and exports alike."""
    model_id, at, version = reference.partition("@")
    return (model_id, version) if at and is_valid_id(model_id) and is_semver(version) else None


def is_pinned_image(image: str) -> bool:
    """Whether a container image reference names its content by digest (image@sha256:...)."""
    return bool(_PINNED_IMAGE.search(image))


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
            "MC004",
            "must be a SemVer version such as 1.2.0 or 2.0.0-rc.1, got '{value}'",
            {"value": value},
        )
    return value


def _checked_model_reference(value: str) -> str:
    if split_model_version(value) is None:
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


def _checked_time(value: Any) -> Any:
    # YAML 1.1 reads an unquoted 14:30 as a base-60 number (870): say how to write it.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        hours, minutes = divmod(value, 60)
        raise PydanticCustomError(
            "MC004",
            'write the time in quotes, "{time}": unquoted, YAML reads it as the number {value}',
            {"time": f"{hours:02d}:{minutes:02d}", "value": value},
        )
    return value


def _checked_scalar(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise PydanticCustomError("MC004", "must be a single value (text, number or true/false)")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _checked_markdown(value: str) -> str:
    reason = too_long(value)
    if reason is not None:
        raise PydanticCustomError("MC080", "Markdown text {reason}", {"reason": reason})
    return value


Text = Annotated[str, Field(min_length=1)]
# Names, identifiers and URIs hold no control, bidirectional or zero-width character
# (texts.py; MC019). Checked by pydantic's own regex engine, which knows Unicode categories;
# the JSON Schema gets the same set within the Basic Multilingual Plane, written out for
# editors' regex engines (Unicode 14).
_VISIBLE_SCHEMA = (
    "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f"
    "\\u0890-\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064"
    "\\u2066-\\u206f\\ue000-\\uf8ff\\ufeff\\ufff9-\\ufffb]*$"
)


def _checked_visible(value: str) -> str:
    found = first_invisible(value)
    if found is not None:
        raise PydanticCustomError("MC019", "{reason}", {"reason": invisible_reason(found)})
    return value


def invisible_reason(character: str) -> str:
    """Why a name, identifier or URI may not hold `character`."""
    return (
        f"contains {describe_character(character)}, which is invisible or acts on the "
        "text around it; names, identifiers and URIs may hold only visible characters"
    )


WebAddress = Annotated[str, Field(pattern=r"^https?://"), AfterValidator(_checked_visible)]
Visible = Annotated[
    str,
    StringConstraints(pattern=VISIBLE),
    WithJsonSchema({"type": "string", "pattern": _VISIBLE_SCHEMA}),
]
Name = Annotated[
    str,
    StringConstraints(min_length=1, pattern=VISIBLE),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": _VISIBLE_SCHEMA}),
]
# How deep a Markdown field nests is checked when a card is parsed (parse.py): it takes
# rendering the text, which pydantic would repeat for every card read from the cache.
Markdown = Annotated[
    str, AfterValidator(_checked_markdown), Field(json_schema_extra={"maxLength": MAX_CHARACTERS})
]
# YAML reads .nan and .inf as numbers; no metric, threshold or share is meaningfully either.
Number = Annotated[float, Field(allow_inf_nan=False)]
OneLine = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\n]*$")]
SemVer = Annotated[
    str, AfterValidator(_checked_semver), Field(json_schema_extra={"pattern": SEMVER_PATTERN})
]
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
    str,
    AfterValidator(_checked_model_reference),
    Field(json_schema_extra={"pattern": "^[^@]+@.+$"}),
]
DatasetReference = Annotated[
    str,
    AfterValidator(_checked_dataset_reference),
    Field(json_schema_extra={"pattern": "^[^@]+@.+$"}),
]
EventTime = Annotated[
    str,
    BeforeValidator(_checked_time),
    _matching(_TIME, "MC004", 'must be a time of day in UTC as "HH:MM", such as "14:30"'),
    Field(json_schema_extra={"pattern": TIME_PATTERN}),
]
DatasetVersionName = Annotated[
    str,
    BeforeValidator(_date_as_text),
    StringConstraints(min_length=1, pattern=VISIBLE),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": _VISIBLE_SCHEMA}),
]
ScalarValue = Annotated[
    Any,
    AfterValidator(_checked_scalar),
    WithJsonSchema({"type": ["string", "number", "integer", "boolean", "null"]}),
]


class Card(BaseModel):
    # Field docstrings become the schemas' descriptions, which editors show on hover.
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True
    )


# ---- shared parts ---------------------------------------------------------------------------


class Owner(Card):
    name: Name
    """Team or person accountable for this card."""
    contact: Visible | None = None
    """Email address, chat channel or URL to reach the owner."""


class Link(Card):
    title: Name
    """Text of the link."""
    url: Name
    """Where the link points (http or https)."""


# ---- catalog.yaml ---------------------------------------------------------------------------


class MetricInfo(Card):
    """How to read a metric: which direction is better, and how to label it."""

    goal: Literal["maximize", "minimize"]
    """Which direction is better: maximize or minimize."""
    label: Visible | None = None
    """Human-readable name shown on the site, e.g. ROC AUC."""
    unit: Visible | None = None
    """Unit shown after values, e.g. % or ms."""
    description: str | None = None
    """What the metric measures, in a sentence."""


class Gate(Card):
    metric: Name = "primary"
    """Metric name to gate on, or `primary` for the model's primary_metric."""
    max_regression: Number = Field(ge=0)
    """Largest allowed worsening (absolute) against the version in production before."""


def _iso_date(value: Any) -> Any:
    """A date written back as JSON text (`"2026-12-01"`) is read as the date it was: a
    requirement arrives at its fields through a function, after which strict validation no
    longer knows the text came from JSON."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class Requirement(Card):
    """A field a version must have once it has reached a stage; written as the field path
    alone, or with the date it applies from. Versions that reached the stage before that date
    are judged by the policy of their day: their cards are published records, which may not
    change to add the field."""

    field: Name
    """Field path a version must have (artifacts.sha256, approved_by)."""
    since: Annotated[dt.date, BeforeValidator(_iso_date)] | None = None
    """Applies to the versions that enter the stage on or after this date [default: all]."""


def _requirement_input(value: Any) -> Any:
    """`training.data` is short for `{field: training.data}`."""
    return {"field": value} if isinstance(value, str) else value


def _requirement_output(requirement: Requirement, handler: SerializerFunctionWrapHandler) -> Any:
    """Written back as it is read: the field path alone when it has no date."""
    return requirement.field if requirement.since is None else handler(requirement)


RequirementEntry = Annotated[
    Requirement,
    BeforeValidator(_requirement_input, json_schema_input_type=Name | Requirement),
    WrapSerializer(_requirement_output),
]


class Policy(Card):
    transitions: dict[StageName, list[StageName]] | None = None
    """Stage -> allowed next stages; may only narrow the default transition graph."""
    require: dict[StageName, list[RequirementEntry]] = {}
    """Stage -> field paths a version must have once it has reached that stage; `{field, since}`
    for one that applies from a date."""
    review_interval_days: int | None = Field(default=None, gt=0)
    """A model in production whose last_reviewed is older than this is flagged."""
    gates: list[Gate] = []
    """Checks that a promotion to production does not regress a metric."""


class CatalogSettings(Card):
    """catalog.yaml: settings and policy for the whole catalog."""

    title: Name = "Model catalog"
    """Title of the catalog site."""
    description: Markdown | None = None
    """Markdown shown on the home page."""
    base_url: WebAddress | None = None
    """Public URL of the site; enables the sitemap and absolute feed links."""
    repository: WebAddress | None = None
    """URL of the git repository; enables "edit this card" links."""
    metrics: dict[Name, MetricInfo] = {}
    """Metric name -> how to read it; extends and overrides the built-in metrics."""
    policy: Policy = Policy()
    """Rules every version must follow."""


# ---- models/<model>/model.yaml -------------------------------------------------------------


class IntendedUse(Card):
    uses: list[Text] = []
    """What the model is for."""
    users: list[Text] = []
    """Who is expected to use it."""
    out_of_scope: list[Text] = []
    """Uses the model must not be put to."""


class EthicalConsideration(Card):
    name: Name
    """The risk or concern."""
    mitigation: str | None = None
    """What is done about it."""


class Considerations(Card):
    limitations: list[Text] = []
    """Known limitations."""
    ethical: list[EthicalConsideration] = []
    """Ethical risks and their mitigations."""
    caveats: Markdown | None = None
    """Markdown: anything else a user must know."""


class ReadingChoice(Card):
    """Which entry of a metric is a version's reading of it: the first one, in the card's
    order, without a slice, on this dataset and split."""

    dataset: Visible | None = None
    """A dataset (tx: any of its versions) or one dataset version (tx@2025-Q4)."""
    split: Visible | None = None
    """A split of the dataset, e.g. test."""


class ModelCard(Card):
    """models/<model>/model.yaml: what stays true across a model's versions."""

    name: Name
    """Display name."""
    summary: OneLine
    """One line (at most 200 characters) saying what the model does."""
    description: Markdown | None = None
    """Markdown: the model in full."""
    owners: list[Owner] = Field(min_length=1)
    """Who is accountable; at least one."""
    task: Name
    """What the model does, ideally a Hugging Face pipeline tag such as text-classification."""
    tags: list[Name] = []
    """Free keywords for filtering and search."""
    license: Visible | None = None
    """SPDX license identifier, or proprietary."""
    primary_metric: Visible | None = None
    """The metric used for charts, tables and gates; some version must report it."""
    reading: ReadingChoice | None = None
    """Which entry of a metric is a version's reading: by default its first one without a slice."""
    aliases: dict[Name, Visible] = {}
    """Alias -> version (quoted), e.g. champion: "2.1.0"; never a retired version."""
    intended_use: IntendedUse | None = None
    """What the model is and is not for."""
    considerations: Considerations | None = None
    """Limitations, ethical considerations and caveats."""
    links: list[Link] = []
    """Related documents: design docs, runbooks, papers."""
    last_reviewed: dt.date | None = None
    """Date of the last audit of this card."""


# ---- models/<model>/<version>.yaml ---------------------------------------------------------


class Artifact(Card):
    uri: Name
    """Where the artifact is stored."""
    sha256: Sha256 | None = None
    """SHA-256 of the artifact: 64 lowercase hex digits."""
    format: Visible | None = None
    """File format, e.g. onnx, safetensors."""
    size_bytes: int | None = Field(default=None, ge=0)
    """Size of the artifact in bytes."""


class Framework(Card):
    name: Name
    """Library the model is built with, e.g. xgboost, transformers."""
    version: Visible | None = None
    """Version of that library (quoted)."""


class Architecture(Card):
    family: Visible | None = None
    """Architecture family, e.g. transformer, gradient-boosted trees, convolutional network."""
    name: Visible | None = None
    """The specific architecture, e.g. Whisper small, XGBoost, ResNet-50."""


class CodeReference(Card):
    repo: Name
    """URL of the training code repository."""
    commit: CommitHash | None = None
    """Commit the training ran from: 7 to 40 lowercase hex digits (quoted)."""
    path: Visible | None = None
    """Folder or file inside the repository, for monorepos."""


class Environment(Card):
    python: Visible | None = None
    """Python version (quoted), e.g. "3.11.7"."""
    container: Visible | None = None
    """Training image, ideally pinned by digest (image@sha256:...)."""
    hardware: str | None = None
    """What it trained on, e.g. 1x NVIDIA A100 80GB."""
    packages: dict[Name, Visible] = {}
    """Package -> version (quoted) of the key dependencies."""
    packages_sha256: Sha256 | None = None
    """SHA-256 of every installed Python distribution, as sorted name==version lines."""


class ExternalDataset(Card):
    """A dataset outside the catalog, such as one on the Hugging Face Hub."""

    id: Name
    """Its public id, e.g. the Hub's mozilla-foundation/common_voice_11_0."""
    name: Visible | None = None
    """Display name, e.g. Common Voice 11.0."""
    config: Visible | None = None
    """Configuration (subset) of the dataset, e.g. fi."""
    revision: Visible | None = None
    """Revision of the data: a commit, tag or version."""
    args: JsonValue | None = None
    """Arguments the data was loaded with, as written (the Hub's dataset args)."""

    @property
    def reference(self) -> str:
        """The data as one text, `id[:config][@revision]` and any args, to compare readings by.

        A catalog reference always has `@` and never `/` or `:`, so the two rarely look alike,
        and when they do (`glue@1` here and there) they name the same data.
        """
        text = self.id + (f":{self.config}" if self.config else "")
        text += f"@{self.revision}" if self.revision else ""
        if self.args is not None:
            text += " " + json.dumps(
                self.args, sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
        return text


class Training(Card):
    code: CodeReference | None = None
    """The code that trained this version."""
    data: list[DatasetReference] = []
    """Dataset versions trained on, as <dataset>@<version> references."""
    external_data: list[ExternalDataset] = []
    """Datasets outside the catalog trained on, such as Hugging Face Hub datasets."""
    hyperparameters: dict[Name, ScalarValue] = {}
    """Name -> single value (text, number or true/false)."""
    environment: Environment | None = None
    """The software and hardware it trained in."""
    seed: int | None = None
    """Random seed, for reproducibility."""


class HubTask(Card):
    type: Name
    """The Hub's task id, e.g. automatic-speech-recognition."""
    name: str | None = None
    """Its display name, e.g. Speech Recognition."""


class HubSource(Card):
    name: str | None = None
    """Who reported the result, e.g. Open LLM Leaderboard."""
    url: Visible | None = None
    """Where the result is published."""


class HubReading(Card):
    """What a Hugging Face model-index says of a reading beyond name, value and data."""

    type: Visible | None = None
    """The metric type, where the metric's `name` is not it (precision for precision_macro)."""
    name: str | None = None
    """The display name, e.g. Test WER."""
    value: str | None = None
    """The value as written when it is text, e.g. 73.8% or 12.5 ± 0.3."""
    args: JsonValue | None = None
    """Arguments of the metric, as written."""
    config: str | None = None
    """Configuration of the metric, as written."""
    verified: bool | None = None
    """Whether the Hub verified the result."""
    verify_token: str | None = None
    """The Hub's signature of a verified result."""
    task: HubTask | None = None
    """The task of the result, where it is not the model's task."""
    source: HubSource | None = None
    """Where the result comes from."""


class Metric(Card):
    name: Name
    """Metric name, e.g. auc; its goal comes from catalog.yaml or the built-ins."""
    value: Number
    """The measured value."""
    dataset: DatasetReference | None = None
    """Dataset version evaluated on, as <dataset>@<version>."""
    split: Visible | None = None
    """Split of the dataset, e.g. test."""
    ci: list[Number] | None = Field(default=None, min_length=2, max_length=2)
    """Confidence interval [lower, upper], with lower <= value <= upper."""
    slice: Visible | None = None
    """Subset the value is measured on, e.g. merchants-new; absent for the whole split."""
    measured: dt.date | None = None
    """Day the value was measured, for a reading added after the version's release (a
    re-evaluation appended to a published version); a reading measured after a promotion is
    no part of that promotion's gate. Absent: measured at the release."""
    external_dataset: ExternalDataset | None = None
    """Dataset outside the catalog evaluated on (instead of `dataset`), e.g. a Hub dataset."""
    hub: HubReading | None = None
    """How a Hugging Face model-index states this reading, kept for the export."""

    @model_validator(mode="after")
    def _one_dataset(self) -> Metric:
        if self.dataset is not None and self.external_dataset is not None:
            raise PydanticCustomError(
                "MC004",
                "a metric names at most one of `dataset` (a dataset version in this catalog) "
                "or `external_dataset` (data outside it)",
            )
        return self

    @property
    def evaluated_on(self) -> str | None:
        """The data of this reading as one text: the catalog reference or the external one.
        Readings compare when name, this, split and slice are equal."""
        if self.external_dataset is not None:
            return self.external_dataset.reference
        return self.dataset


class LineageEntry(Card):
    model: ModelReference | None = None
    """Parent version in this catalog, as <model>@<version>."""
    external: Visible | None = None
    """Parent outside the catalog, e.g. a Hugging Face repo id."""
    url: Visible | None = None
    """Link to the external parent."""
    relation: RelationName
    """How this version derives from the parent."""

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
    """The stage entered."""
    date: dt.date
    """When; never before the previous event or the release, never after today."""
    time: EventTime | None = None
    """Time of day in UTC ("14:30", quoted), to order events of different cards on one date."""
    by: Name
    """Who made the change."""
    approved_by: list[Name] = []
    """Who approved it."""
    traffic: Number | None = Field(default=None, ge=0, le=100)
    """Percent of production traffic (0 to 100), for canaries and A/B tests."""
    reason: str | None = None
    """Why; required on deprecated events."""
    replaced_by: Visible | None = None
    """On deprecation: the version users should move to (3.0.0 or other@1.0.0)."""
    sunset: dt.date | None = None
    """On deprecation: the date the version stops being served."""
    override: str | None = None
    """Justification for a promotion that a gate would otherwise refuse."""


class Observation(Card):
    date: dt.date
    """When it was observed."""
    metric: Name
    """Metric name."""
    value: Number
    """Observed value."""
    threshold: Number | None = None
    """Alert threshold; crossing it in the metric's bad direction flags drift."""


class Monitoring(Card):
    dashboard: Visible | None = None
    """URL of the live dashboard."""
    observations: list[Observation] = []
    """Observations in production; append-only."""


class VersionCard(Card):
    """models/<model>/<version>.yaml: one version's record."""

    version: SemVer
    """SemVer version (quoted); equals the file name without .yaml."""
    released: dt.date
    """Date the version was cut."""
    summary: OneLine
    """One line (at most 200 characters) saying what is new."""
    description: Markdown | None = None
    """Markdown: the version in full."""
    artifacts: list[Artifact] = []
    """The files that make up the model."""
    framework: Framework | None = None
    """The library it is built with."""
    architecture: Architecture | None = None
    """What kind of model it is: its architecture family and architecture."""
    training: Training | None = None
    """How it was trained: code, data, hyperparameters, environment, seed."""
    metrics: list[Metric] = []
    """Evaluation results; append-only once published."""
    lineage: list[LineageEntry] = []
    """What this version was derived from."""
    lifecycle: list[LifecycleEvent] = Field(min_length=1)
    """Stage changes, oldest first; the last event is the current stage. Append-only."""
    monitoring: Monitoring | None = None
    """Production monitoring: dashboard and observations."""

    @property
    def stage(self) -> Stage:
        """The current stage: that of the last lifecycle event."""
        return self.lifecycle[-1].stage


# ---- datasets/<dataset>.yaml ---------------------------------------------------------------


class DatasetVersion(Card):
    version: DatasetVersionName
    """Version name, free-form (a date, SemVer, a snapshot id); unique in the dataset."""
    date: dt.date | None = None
    """When this version was published."""
    uri: Visible | None = None
    """Where the data is stored."""
    sha256: Sha256 | None = None
    """SHA-256 of the data (or its manifest): 64 lowercase hex digits."""
    rows: int | None = Field(default=None, ge=0)
    """Number of rows or examples."""
    description: Markdown | None = None
    """Markdown: what changed in this version."""


class DatasetCard(Card):
    """datasets/<dataset>.yaml: a dataset and its versions."""

    name: Name
    """Display name."""
    summary: OneLine
    """One line (at most 200 characters) saying what the data is."""
    owners: list[Owner] = Field(min_length=1)
    """Who is accountable; at least one."""
    license: Visible | None = None
    """SPDX license identifier, or proprietary."""
    classification: Visible | None = None
    """How sensitive the data is, e.g. public, internal, confidential, personal data."""
    description: Markdown | None = None
    """Markdown: the dataset in full."""
    versions: list[DatasetVersion] = Field(min_length=1)
    """The versions of the dataset; at least one."""


def markdown_fields(card: Card) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Where a card holds Markdown, and the text: (location in the card, text)."""
    if isinstance(card, (CatalogSettings, ModelCard, VersionCard, DatasetCard)) and (
        card.description
    ):
        yield ("description",), card.description
    if isinstance(card, ModelCard) and card.considerations and card.considerations.caveats:
        yield ("considerations", "caveats"), card.considerations.caveats
    if isinstance(card, DatasetCard):
        for index, entry in enumerate(card.versions):
            if entry.description:
                yield ("versions", index, "description"), entry.description


CARD_KINDS: dict[str, type[Card]] = {
    "catalog": CatalogSettings,
    "model": ModelCard,
    "version": VersionCard,
    "dataset": DatasetCard,
}
