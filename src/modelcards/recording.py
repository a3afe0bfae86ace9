"""Record a version straight from the training job: one call that writes a complete card.

A training job knows, at its end, exactly the facts a person copies wrong: the artifacts and
their SHA-256, the code commit, the data it read, its metrics, the environment it ran in.
`record_version` (or `modelcards.record(...)`, or `modelcards record` on the command line)
writes them into models/<model>/<version>.yaml:

- artifacts are hashed by streaming them; remote ones take a digest given with the URI;
- metrics and hyperparameters come from the files the job wrote (JSON or YAML), checked at
  their own lines;
- the code's repository and commit, the Python version, a digest of the installed packages
  and the container image are captured where the job runs (capture.py);
- `previous` carries over what `new version --from` carries (edit_scaffold.CARRIED_OVER).

The card is validated with the whole catalog before anything is written (edit.apply_edits,
as for `promote`): if it would not validate, nothing is written and the problems come back
with the codes and messages of `validate`. A problem with a metric read from a file is shown
at the metric's line in that file.

Usage errors (a malformed id, version or artifact) raise UsageError; a refusal that no card
line explains (a dirty working tree, an unreadable artifact, a missing model, an existing
version) raises RecordError. Everything else comes back in a Recorded.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Union

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    ScalarString,
)
from yaml.nodes import MappingNode, SequenceNode

from . import capture
from .cards import SHA256_PATTERN, Relation, Stage, is_pinned_image
from .edit import (
    EditError,
    FileEdit,
    UsageError,
    apply_edits,
    as_text,
    check_edits,
    dump,
    event_date,
    event_moment,
    flow_map,
    flow_seq,
    make_event,
    new_yaml,
)
from .edit_scaffold import (
    CARRIED_OVER,
    NewVersion,
    check_new_version,
    lineage_from,
    previous_card,
)
from .errors import PathProblem
from .problems import Problem
from .record_inputs import MetricOrigin, read_hyperparameters, read_metrics
from .schema import schema_hint
from .source import parse_source
from .texts import capped

__all__ = [
    "ArtifactInput",
    "RecordError",
    "RecordRequest",
    "Recorded",
    "UnreadableInput",
    "UsageError",
    "record",
    "record_version",
]

_SHA256 = re.compile(SHA256_PATTERN)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DIGEST_SUFFIX = "@sha256:"
_LISTED_FILES = 5


class RecordError(EditError):
    """The record was refused for a reason no card line explains; nothing was written."""


class UnreadableInput(RecordError, PathProblem):
    """An artifact or input file that cannot be read (the CLI exits 2, as for any path)."""


# ---- what the job hands over ----------------------------------------------------------------


@dataclass(frozen=True)
class ArtifactInput:
    """One artifact: a local file to hash, a remote URI with its digest, or both.

    The command line writes these as `--artifact` values (see `parse`).
    """

    uri: str
    """What the card records as the artifact's location."""
    path: Path | None = None
    """A local copy to hash (streamed); its SHA-256 and size go into the card."""
    sha256: str | None = None
    """The digest, for a remote artifact; checked against `path` when both are given."""
    format: str | None = None
    """File format [default: the URI's file extension, e.g. onnx]."""

    @classmethod
    def parse(cls, spec: str) -> ArtifactInput:
        """PATH, PATH=URI, URI@sha256:HEX or PATH=URI@sha256:HEX.

        A value that starts with a URI scheme (`s3://`, `https://`, `hf://` ...) is a remote
        URI as a whole (so `=` in its query is fine); anything else is a local PATH, up to the
        first `=`, then the URI it is stored at. Without `=URI` the card records PATH as
        written. `@sha256:HEX` at the end gives the digest: required knowledge for a remote
        file, a check for a local one.
        """
        text = spec.strip()
        digest = None
        at = text.rfind(_DIGEST_SUFFIX)
        if at >= 0:
            digest = text[at + len(_DIGEST_SUFFIX) :]
            text = text[:at]
            if not _SHA256.match(digest):
                raise UsageError(
                    f"--artifact {spec!r}: the digest after @sha256: must be 64 lowercase "
                    "hexadecimal digits"
                )
        if _URI.match(text):
            return cls(uri=text, sha256=digest)
        path_text, equals, uri = text.partition("=")
        if not path_text or (equals and not uri):
            raise UsageError(
                f"--artifact {spec!r}: write PATH, PATH=URI or URI@sha256:<64 hex digits>"
            )
        return cls(
            uri=uri or PurePosixPath(Path(path_text).as_posix()).as_posix(),
            path=Path(path_text),
            sha256=digest,
        )


MetricsInput = Union[str, "os.PathLike[str]", Sequence[Mapping[str, Any]], Mapping[str, Any]]
HyperparametersInput = Union[str, "os.PathLike[str]", Mapping[str, Any]]


@dataclass(frozen=True)
class RecordRequest:
    """Everything `record_version` needs; only the first four fields are required."""

    model_id: str
    """The model, which must exist in the catalog (models/<model>/model.yaml)."""
    version: str
    """The new version: SemVer, not yet in the catalog."""
    summary: str
    """One line: what this version is."""
    by: str
    """Who (or which pipeline) records it: the `by` of its first lifecycle event."""
    artifacts: Sequence[str | ArtifactInput] = ()
    """Artifacts, as ArtifactInput or in the command line's syntax (ArtifactInput.parse)."""
    metrics: MetricsInput | None = None
    """A metrics file (JSON or YAML, see record_inputs), or the entries themselves."""
    data: Sequence[str] = ()
    """Training data as <dataset>@<version> references [default: carried over]."""
    hyperparameters: HyperparametersInput | None = None
    """A hyperparameters file (JSON or YAML), or the mapping itself; nested mappings are
    flattened with dots [default: carried over]."""
    previous: str | None = None
    """The version this one continues: what carries over, and its lineage parent."""
    relation: str = Relation.RETRAINED.value
    """How this version derives from `previous`."""
    framework: str | None = None
    """NAME or NAME==VERSION; without a version, the installed distribution's
    [default: carried over]."""
    packages: Sequence[str] = ()
    """Key distributions whose installed versions go into environment.packages (with those
    the previous version listed)."""
    seed: int | None = None
    """The random seed [default: carried over]."""
    description: str | None = None
    """Markdown: the version in full."""
    hardware: str | None = None
    """What it trained on [default: carried over]."""
    container: str | None = None
    """The image it trained in [default: from CONTAINER_VARIABLES in the environment]."""
    code_dir: str | os.PathLike[str] | None = None
    """A folder of the training code's git checkout [default: the current folder]."""
    code_repo: str | None = None
    """The code repository's URL [default: the checkout's remote]."""
    commit: str | None = None
    """The commit, when the code is not a git checkout here (needs code_repo); git is not
    asked then."""
    allow_dirty: bool = False
    """Record even though tracked files have uncommitted changes (the description says so)."""
    date: dt.date | None = None
    """Release and first event date, never after today [default: today, from
    SOURCE_DATE_EPOCH or the clock]."""
    time: str | None = None
    """Time of day of the first event, HH:MM in UTC."""
    environ: Mapping[str, str] | None = None
    """Environment variables to read the container image from [default: os.environ]."""


@dataclass(frozen=True)
class Recorded:
    """What `record_version` wrote, or would have written and why it did not."""

    path: Path
    """The version card."""
    text: str
    """Its content ("" when the inputs were refused before it was made)."""
    written: bool
    """Whether the card is now in the catalog."""
    problems: list[Problem]
    """As `validate` reports them: the errors that stopped it, or the new card's warnings."""
    notes: list[str] = field(default_factory=list)
    """What the record assumed or could not capture, for a person to read."""
    reason: str | None = None
    """Why nothing was written, in a sentence."""

    @property
    def errors(self) -> list[Problem]:
        """The problems that stopped the record (none when it was written)."""
        return [p for p in self.problems if p.is_error]


# ---- the library call -----------------------------------------------------------------------


def record(catalog: str | os.PathLike[str], model: str, version: str, **fields: Any) -> Recorded:
    """`record_version(catalog, RecordRequest(model, version, **fields))`, for scripts:

    result = modelcards.record("catalog", "fraud-detector", "2.3.0",
                               summary="Weekly retrain", by="train-pipeline",
                               artifacts=["model.onnx=s3://models/fraud/2.3.0/model.onnx"],
                               metrics="metrics.json", data=["transactions@2026-W48"])
    if not result.written: ...
    """
    dry_run = bool(fields.pop("dry_run", False))
    return record_version(Path(catalog), RecordRequest(model, version, **fields), dry_run=dry_run)


def record_version(catalog: Path, request: RecordRequest, *, dry_run: bool = False) -> Recorded:
    """Write the version card of a training run if the catalog stays valid with it.

    With `dry_run`, the card is made and checked but not written. Every refusal that no
    card line explains (no such model, a version that exists, a date after today) is a
    RecordError, so that a training script catches one exception.
    """
    try:
        return _record_version(catalog, request, dry_run)
    except RecordError:
        raise
    except EditError as error:
        raise RecordError(error.message, error.problems, error.about_new) from None


def _record_version(catalog: Path, request: RecordRequest, dry_run: bool) -> Recorded:
    path = check_new_version(
        catalog, NewVersion(request.model_id, request.version, request.previous)
    )
    event_date(request.date)  # a date after today is refused before any work is done
    if request.relation not in {r.value for r in Relation}:
        choices = ", ".join(r.value for r in Relation)
        raise UsageError(f"relation {request.relation!r} is not one of: {choices}")
    metrics, origins, input_problems = _metrics(request.metrics)
    hyperparameters, found = _hyperparameters(request.hyperparameters)
    input_problems += found
    if input_problems:
        return Recorded(
            path,
            "",
            False,
            input_problems,
            [],
            "the job's input files have errors, so nothing was written",
        )
    notes: list[str] = []
    _note_undated_readings(metrics, notes)
    code = _code(request, notes)  # a dirty tree is refused before gigabytes are hashed
    artifacts = [_artifact(item, notes) for item in request.artifacts]
    yaml, carried = (
        previous_card(path, request.previous) if request.previous else (new_yaml(), None)
    )
    parts = _Parts(carried, artifacts, metrics, hyperparameters, code)
    card = _card(request, parts, notes)
    text = schema_hint(catalog, path.parent, "version") + dump(yaml, card)
    edit = FileEdit(path, text, f"recorded {request.model_id}@{request.version}")
    remap = _Remapper(path, text, origins)
    if dry_run:
        result = check_edits(catalog, [edit])
        shown = [p for p in result.problems if p.is_error or p.file == path]
        reason = _REFUSED if result.errors else "a dry run writes nothing"
        return Recorded(path, text, False, remap(shown), notes, reason)
    try:
        written = apply_edits(catalog, [edit])
    except EditError as error:
        return Recorded(path, text, False, remap(error.problems), notes, error.message)
    warnings = [p for p in written.warnings if p.file == path]
    return Recorded(path, text, True, remap(warnings), notes)


_REFUSED = "the catalog would not validate after this change, so nothing was written"


# ---- inputs ---------------------------------------------------------------------------------


def _metrics(
    given: MetricsInput | None,
) -> tuple[list[dict[str, Any]], list[MetricOrigin | None], list[Problem]]:
    if given is None:
        return [], [], []
    if isinstance(given, (str, os.PathLike)):
        read = read_metrics(Path(given))
        return read.metrics, list(read.origins), read.problems
    if isinstance(given, Mapping):
        entries = [
            {"name": name, **value}
            if isinstance(value, Mapping)
            else {"name": name, "value": value}
            for name, value in given.items()
        ]
    else:
        entries = [dict(entry) for entry in given]
    return entries, [None] * len(entries), []


def _note_undated_readings(metrics: list[dict[str, Any]], notes: list[str]) -> None:
    """Readings on no named data are valid, but compare with nothing: the promotion gate
    will ask for them again (MC045). Said now, while the job still knows its data."""
    names = [
        str(m.get("name")) for m in metrics if not (m.get("dataset") or m.get("external_dataset"))
    ]
    if names:
        notes.append(
            f"metrics without a dataset: {capped(names)}; the promotion gate compares readings "
            "of one dataset version and split, so it cannot compare these with another "
            "version's (MC045 when this version is promoted over one); give the metrics as a "
            "list of {name, value, dataset, split}"
        )


def _hyperparameters(
    given: HyperparametersInput | None,
) -> tuple[dict[str, Any] | None, list[Problem]]:
    if given is None:
        return None, []
    if isinstance(given, (str, os.PathLike)):
        return read_hyperparameters(Path(given))
    flat: dict[str, Any] = {}

    def flatten(data: Mapping[str, Any], prefix: str) -> None:
        for key, value in data.items():
            if isinstance(value, Mapping) and value:
                flatten(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = value

    flatten(given, "")
    return flat, []


def _artifact(item: str | ArtifactInput, notes: list[str]) -> dict[str, Any]:
    spec = ArtifactInput.parse(item) if isinstance(item, str) else item
    entry: dict[str, Any] = {"uri": spec.uri}
    if spec.path is not None:
        if not spec.path.exists():
            raise UnreadableInput(f"artifact {spec.path} does not exist")
        try:
            digest = capture.file_digest(spec.path)
        except capture.CaptureError as error:
            raise UnreadableInput(str(error)) from None
        if spec.sha256 is not None and spec.sha256 != digest.sha256:
            raise RecordError(
                f"artifact {spec.path} has sha256 {digest.sha256}, not the {spec.sha256} given "
                "with it: the file is not the one that was meant (or the digest is stale)"
            )
        entry["sha256"] = digest.sha256
    elif spec.sha256 is not None:
        entry["sha256"] = spec.sha256
    else:
        notes.append(
            f"artifact {spec.uri} has no sha256 (give it as {spec.uri}@sha256:<hex>); deploy "
            "jobs cannot check what they download"
        )
    entry["format"] = spec.format or _format(spec.uri)
    if spec.path is not None:
        entry["size_bytes"] = digest.size_bytes
    return {key: value for key, value in entry.items() if value is not None}


def _format(uri: str) -> str | None:
    """The file extension of the URI's path, lower case: onnx, safetensors, pkl, ..."""
    suffix = PurePosixPath(urllib.parse.urlsplit(uri).path or uri).suffix.lower()
    return suffix[1:] if re.fullmatch(r"\.[a-z0-9_-]{1,16}", suffix) else None


# ---- the card -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """What the card is made of besides the request itself."""

    carried: CommentedMap | None  # the previous version's card, for what carries over
    artifacts: list[dict[str, Any]]
    metrics: list[dict[str, Any]]
    hyperparameters: dict[str, Any] | None
    code: capture.CodeState | None  # None when the commit was given by hand


def _flow(pairs: Mapping[str, Any]) -> CommentedMap:
    return flow_map(
        {as_text(key): as_text(value) for key, value in pairs.items() if value is not None}
    )


def _block(pairs: Mapping[str, Any]) -> CommentedMap:
    block = CommentedMap()
    for key, value in pairs.items():
        block[as_text(key)] = as_text(value)
    return block


def _put(target: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    """Set a key, keeping its place (and comments) if it is there, else at its place in `order`."""
    if key in target:
        target[key] = value
        return
    before = order[: order.index(key)]
    target.insert(sum(1 for k in target if k in before), key, value)


_TRAINING_ORDER = ("code", "data", "hyperparameters", "environment", "seed")


def _card(request: RecordRequest, parts: _Parts, notes: list[str]) -> CommentedMap:
    released, at = event_moment(request.date, request.time)
    card = CommentedMap()
    card["version"] = DoubleQuotedScalarString(request.version)
    card["released"] = released
    card["summary"] = as_text(request.summary)
    description = _description(request.description, parts.code)
    if description:
        card["description"] = (
            LiteralScalarString(description) if "\n" in description else as_text(description)
        )
    if parts.artifacts:
        card["artifacts"] = CommentedSeq([_flow(a) for a in parts.artifacts])
    old = parts.carried if parts.carried is not None else CommentedMap()
    if parts.carried is not None:
        kept = [key for key in CARRIED_OVER if old.get(key) is not None]
        notes.append(
            f"carried over from {request.previous}: {', '.join(kept) or 'nothing'} (what the "
            "job gave replaces it; the code and the environment are captured anew)"
        )
    framework = _framework(request.framework, notes) or _carried_framework(old, notes)
    if framework is not None:
        card["framework"] = framework
    card["training"] = _training(request, parts, old.get("training"), notes)
    if parts.metrics:
        card["metrics"] = CommentedSeq([_flow(m) for m in parts.metrics])
    if request.previous is not None:
        card["lineage"] = lineage_from(request.model_id, request.previous, request.relation)
    # A separate date object: ruamel.yaml writes a shared one as an anchor and an alias.
    started = dt.date.fromordinal(released.toordinal())
    event = make_event(Stage.DEVELOPMENT, started, request.by, time=at)
    card["lifecycle"] = CommentedSeq([_flow(event)])
    return card


def _description(given: str | None, code: capture.CodeState | None) -> str | None:
    """The description, and a word about uncommitted changes when the record allowed them."""
    if code is None or not code.changed:
        return given
    dirty = (
        f"Trained from a working tree with uncommitted changes to {_listing(code.changed)}: "
        f"commit {code.commit[:12]} alone does not reproduce it."
    )
    return f"{given.rstrip()}\n\n{dirty}\n" if given else dirty


def _listing(paths: Sequence[str]) -> str:
    listed = ", ".join(paths[:_LISTED_FILES])
    more = len(paths) - _LISTED_FILES
    return f"{listed} and {more} more" if more > 0 else listed


def _code(request: RecordRequest, notes: list[str]) -> capture.CodeState | None:
    """The code's repository and commit, from git unless both are given by hand."""
    if request.commit is not None:
        if request.code_repo is None:
            raise UsageError("a commit given by hand needs the repository too (--code-repo URL)")
        return None
    folder = Path(request.code_dir) if request.code_dir is not None else Path.cwd()
    try:
        state = capture.code_state(folder, request.code_repo)
    except capture.CaptureError as error:
        raise RecordError(str(error)) from None
    if state.changed and not request.allow_dirty:
        raise RecordError(
            f"the training code has uncommitted changes ({_listing(state.changed)}), so commit "
            f"{state.commit[:12]} does not say what trained this version; commit them first, "
            "or record anyway with --allow-dirty (the card's description will say so)"
        )
    if state.changed:
        notes.append(
            f"recorded from a working tree with {len(state.changed)} uncommitted change(s); "
            "the description says so"
        )
    if state.branch is None:
        notes.append(f"HEAD is detached at {state.commit[:12]} (as CI checks out); recorded it")
    return state


def _framework(spec: str | None, notes: list[str]) -> CommentedMap | None:
    if spec is None:
        return None
    name, _, version = (part.strip() for part in spec.partition("=="))
    if not name:
        raise UsageError(f"--framework {spec!r}: write NAME or NAME==VERSION")
    if not version:
        version = capture.installed_version(name) or ""
        if not version:
            notes.append(
                f"framework {name} is not an installed distribution here; give its "
                f"version as {name}==VERSION"
            )
    return _flow({"name": name, "version": version or None})


def _carried_framework(old: Mapping[str, Any], notes: list[str]) -> Any:
    """The previous version's framework, at the version installed here when it is installed."""
    framework = old.get("framework")
    if not isinstance(framework, CommentedMap) or not isinstance(framework.get("name"), str):
        return framework
    installed = capture.installed_version(framework["name"])
    if installed is None:
        notes.append(
            f"framework {framework['name']} is not installed here; its version is "
            "carried over as it was (give --framework NAME==VERSION)"
        )
    elif framework.get("version") != installed:
        quoted = framework.get("version")  # keep the card's quoting style
        framework["version"] = (
            type(quoted)(installed) if isinstance(quoted, ScalarString) else (as_text(installed))
        )
    return framework


def _training(request: RecordRequest, parts: _Parts, old: Any, notes: list[str]) -> CommentedMap:
    """The carried-over training section with what the job gave and what was captured."""
    training = old if isinstance(old, CommentedMap) else CommentedMap()
    code = parts.code
    reference = (
        {"repo": code.repo, "commit": code.commit, "path": code.path}
        if code is not None
        else {"repo": capture.public_url(request.code_repo or ""), "commit": request.commit}
    )
    _put(training, "code", _flow(reference), _TRAINING_ORDER)
    if request.data:
        _put(training, "data", flow_seq([as_text(ref) for ref in request.data]), _TRAINING_ORDER)
    if parts.hyperparameters:
        _put(training, "hyperparameters", _block(parts.hyperparameters), _TRAINING_ORDER)
    elif parts.hyperparameters is not None:
        training.pop("hyperparameters", None)  # the job says it had none
    old_environment = training.get("environment")
    environment = _environment(
        request, old_environment if isinstance(old_environment, Mapping) else {}, notes
    )
    _put(training, "environment", environment, _TRAINING_ORDER)
    if request.seed is not None:
        _put(training, "seed", request.seed, _TRAINING_ORDER)
    return training


def _environment(request: RecordRequest, old: Mapping[str, Any], notes: list[str]) -> CommentedMap:
    """Where the job runs, captured: Python, container, packages. Only the hardware and the
    names of the key packages carry over (their versions are those installed now)."""
    environment = CommentedMap()
    environment["python"] = as_text(capture.python_version())
    image = _container(request, notes)
    if image is not None:
        environment["container"] = as_text(image)
    hardware = request.hardware if request.hardware is not None else old.get("hardware")
    if hardware:
        environment["hardware"] = as_text(hardware)
    packages = _packages(request.packages, old.get("packages"), notes)
    if packages:
        environment["packages"] = _flow(packages)
    installed = capture.installed_distributions()
    environment["packages_sha256"] = capture.packages_sha256(installed)
    return environment


def _container(request: RecordRequest, notes: list[str]) -> str | None:
    if request.container is not None:
        image: str | None = request.container
    else:
        found = capture.container_image(os.environ if request.environ is None else request.environ)
        image = found[0] if found else None
        if found:
            notes.append(f"container image from ${found[1]}: {found[0]}")
    if image is not None and not is_pinned_image(image):
        notes.append(
            f"container image {image} is not pinned by digest (image@sha256:...): "
            "the same name can later mean other content"
        )
    return image


def _packages(names: Sequence[str], old: Any, notes: list[str]) -> dict[str, str]:
    """Installed versions of the named distributions and of those the previous version named."""
    carried = [str(name) for name in old] if isinstance(old, Mapping) else []
    found: dict[str, str] = {}
    for name in names:
        version = capture.installed_version(name)
        if version is None:
            raise RecordError(
                f"package {name!r} is not installed in this Python environment "
                f"({capture.python_version()}); name installed distributions"
            )
        found[name] = version
    for name in carried:
        if name in found:
            continue
        version = capture.installed_version(name)
        if version is None:
            notes.append(
                f"package {name} (listed by the previous version) is not installed here; left out"
            )
        else:
            found[name] = version
    return found


# ---- problems where the user can fix them ---------------------------------------------------


class _Remapper:
    """Moves a problem found in a metric of the new card to the metric's line in the metrics
    file it was read from: the card is not written, the metrics file is what to fix."""

    def __init__(self, card: Path, text: str, origins: Sequence[MetricOrigin | None]) -> None:
        self.card, self.text, self.origins = card, text, origins

    def __call__(self, problems: Sequence[Problem]) -> list[Problem]:
        if not any(o is not None for o in self.origins):
            return list(problems)
        places = _places(self.card, self.text)
        moved = []
        for found in problems:
            place = places.get((found.line, found.column)) if found.file == self.card else None
            origin = None
            if place is not None and place[0][:1] == ("metrics",) and len(place[0]) > 1:
                index = place[0][1]
                if isinstance(index, int) and index < len(self.origins):
                    origin = self.origins[index]
            if origin is None or place is None:
                moved.append(found)
                continue
            line, column = origin.position(place[0][2:], key=place[1])
            moved.append(replace(found, file=origin.document.path, line=line, column=column))
        return moved


def _places(path: Path, text: str) -> dict[tuple[int, int], tuple[tuple[str | int, ...], bool]]:
    """Every key's and value's position in a card -> (its location, whether it is the key)."""
    document, _ = parse_source(path, text)
    found: dict[tuple[int, int], tuple[tuple[str | int, ...], bool]] = {}
    if document is None or document.root is None:
        return found

    def walk(node: Any, loc: tuple[str | int, ...]) -> None:
        found[(node.start_mark.line + 1, node.start_mark.column + 1)] = (loc, False)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                here = (*loc, key.value)
                found[(key.start_mark.line + 1, key.start_mark.column + 1)] = (here, True)
                walk(value, here)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    walk(document.root, ())
    return found
