"""`modelcards new model` and `new version`: cards to fill in.

A scaffold holds what can be known (from the options, or carried over from the previous
version) and leaves what must be new empty and marked `# TODO`, so that `modelcards validate`
points at each field still to fill in (MC054, and MC055 for a mark left on a filled-in value:
rules/placeholders.py). Scaffolds are written even though they do not validate
yet: that is their purpose. They never overwrite an existing card.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .cards import Stage, is_semver, is_valid_id
from .discovery import MODEL_FILE
from .edit import (
    EditError,
    FileEdit,
    UsageError,
    dump,
    flow_map,
    load_roundtrip,
    make_event,
    read_card_text,
)
from .schema import schema_hint
from .semver import version_key
from .texts import capped
from .validate import resolve_today
from .yamltext import flow_scalar

TODO = "TODO"


def _display_name(model_id: str) -> str:
    words = model_id.replace("_", "-").replace(".", "-").split("-")
    text = " ".join(word for word in words if word)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class NewModel:
    model_id: str
    owners: Sequence[str] = ()
    task: str | None = None
    name: str | None = None
    summary: str | None = None


def new_model(root: Path, request: NewModel) -> FileEdit:
    """models/<id>/model.yaml with the required fields, those not given empty and marked."""
    if not is_valid_id(request.model_id):
        raise UsageError(
            f"{request.model_id!r} is not a valid model id: use lowercase letters, digits, '.', "
            "'_' and '-', starting and ending with a letter or digit, at most 64 characters"
        )
    folder = root / "models" / request.model_id
    path = folder / MODEL_FILE
    if folder.exists():
        raise EditError(f"{folder} already exists; edit {path} instead")
    owners = [f"  - {{name: {flow_scalar(owner)}}}\n" for owner in request.owners] or [
        f"  - {{name: null}}  # {TODO}: the team that answers for this model\n"
    ]
    summary = (
        flow_scalar(request.summary) if request.summary else f"  # {TODO}: one line: what it does"
    )
    task = (
        flow_scalar(request.task)
        if request.task
        else (f"  # {TODO}: e.g. tabular-classification, text-classification")
    )
    text = "".join(
        [
            schema_hint(root, folder, "model"),
            f"name: {flow_scalar(request.name or _display_name(request.model_id))}\n",
            f"summary:{' ' if request.summary else ''}{summary}\n",
            "owners:\n",
            *owners,
            f"task:{' ' if request.task else ''}{task}\n",
            "tags: []\n",
            f"primary_metric: null  # {TODO}: the metric used for charts and promotion gates\n",
            "intended_use:\n",
            f"  uses: []  # {TODO}: what it is for\n",
            f"  out_of_scope: []  # {TODO}: what it must not be used for\n",
        ]
    )
    return FileEdit(path, text, f"new model {request.model_id}")


@dataclass(frozen=True)
class NewVersion:
    model_id: str
    version: str
    previous: str | None = None
    by: str | None = None
    date: dt.date | None = None


def check_new_version(root: Path, request: NewVersion) -> Path:
    """The path of the new version's card, once the request is known to make sense: a valid id
    and SemVer versions, an existing model, and no version of equal precedence yet."""
    if not is_valid_id(request.model_id):
        raise UsageError(f"{request.model_id!r} is not a valid model id")
    for name in (request.version, request.previous):
        if name is not None and not is_semver(name):
            raise UsageError(f"{name!r} is not a SemVer version such as 1.2.0 or 2.0.0-rc.1")
    folder = root / "models" / request.model_id
    if not (folder / MODEL_FILE).is_file():
        raise EditError(
            f"there is no model {request.model_id!r} ({folder / MODEL_FILE} does not exist); "
            f"create it first with modelcards new model {request.model_id}"
        )
    path = folder / f"{request.version}.yaml"
    if path.exists():
        raise EditError(f"{path} already exists; a version is published once")
    same = _same_precedence(folder, request.version)
    if same is not None:
        raise EditError(
            f"{request.model_id} already has version {same.stem} ({same}), which differs from "
            f"{request.version} only in build metadata: SemVer gives them the same precedence, "
            "so the two could not be told apart; choose another version"
        )
    return path


def _same_precedence(folder: Path, version: str) -> Path | None:
    """An existing version file whose version equals `version` but for build metadata."""
    key = version_key(version)
    for path in sorted(folder.glob("*.yaml")):
        if path.name != MODEL_FILE and is_semver(path.stem) and version_key(path.stem) == key:
            return path
    return None


def new_version(root: Path, request: NewVersion) -> FileEdit:
    """models/<model>/<version>.yaml, blank or carried over from --from."""
    path = check_new_version(root, request)
    today = resolve_today(request.date)
    if request.previous is None:
        text = _blank_version(root, path, request, today)
    else:
        text = _version_from(root, path, request, today)
    return FileEdit(path, text, f"new version {request.model_id}@{request.version}")


def _by(request: NewVersion) -> str:
    return flow_scalar(request.by) if request.by else "null"


def _blank_version(root: Path, path: Path, request: NewVersion, today: dt.date) -> str:
    who = "" if request.by else f"  # {TODO}: who"
    return "".join(
        [
            schema_hint(root, path.parent, "version"),
            f'version: "{request.version}"\n',  # a SemVer version: nothing to escape
            f"released: {today.isoformat()}\n",
            f"summary:  # {TODO}: one line: what this version is\n",
            f"artifacts: []  # {TODO}: [{{uri: ..., sha256: <64 hex digits>}}]\n",
            "training:\n",
            f"  code: {{repo: null, commit: null}}  # {TODO}: the training code and the commit it "
            "ran from\n",
            f"  data: []  # {TODO}: the dataset versions it was trained on, as "
            "<dataset>@<version>\n",
            f"metrics: []  # {TODO}: [{{name: auc, value: 0.9, dataset: <dataset>@<version>}}]\n",
            "lifecycle:\n",
            f"  - {{stage: development, date: {today.isoformat()}, by: {_by(request)}}}{who}\n",
        ]
    )


# What a new version takes from the one it continues (`--from`): how it was built. What it
# produced (artifacts, metrics), what it says (summary) and what happened to it are its own.
CARRIED_OVER = ("framework", "training")


def previous_card(path: Path, previous: str) -> tuple[YAML, CommentedMap]:
    """The card of version `previous` beside `path`, loaded for a round trip (comments kept),
    with the YAML layout that reproduces it."""
    source = path.parent / f"{previous}.yaml"
    if not source.is_file():
        known = sorted(
            (p.stem for p in path.parent.glob("*.yaml") if is_semver(p.stem)), key=version_key
        )
        raise EditError(
            f"--from {previous}: {path.parent.name} has no version {previous}; its versions "
            f"are: {capped(known) or 'none yet'}"
        )
    yaml, old = load_roundtrip(read_card_text(source), source)
    if not isinstance(old, CommentedMap):
        raise EditError(f"{source} is not a mapping of fields; fix it first")
    return yaml, old


def lineage_from(model_id: str, previous: str, relation: str = "retrained") -> CommentedSeq:
    """The lineage of a version continued from `previous` of the same model."""
    return CommentedSeq([flow_map({"model": f"{model_id}@{previous}", "relation": relation})])


def _version_from(root: Path, path: Path, request: NewVersion, today: dt.date) -> str:
    """What carries over from the previous version (framework, training setup); the rest new."""
    assert request.previous is not None
    yaml, old = previous_card(path, request.previous)
    card = CommentedMap()
    card["version"] = DoubleQuotedScalarString(request.version)
    card["released"] = today
    card["summary"] = None
    card.yaml_add_eol_comment(f"{TODO}: one line: what changed since {request.previous}", "summary")
    card["artifacts"] = _marked_empty(card, "artifacts", "this version's files, with their sha256")
    for key in CARRIED_OVER:
        if old.get(key) is not None:
            card[key] = old[key]
    if isinstance(card.get("training"), CommentedMap):
        card["training"] = _training(card["training"])
    card["metrics"] = _marked_empty(card, "metrics", "measure this version")
    card["lineage"] = lineage_from(request.model_id, request.previous)
    card["lineage"].yaml_add_eol_comment(f"{TODO}: check the relation", 0)
    # A separate date object: ruamel.yaml writes a shared one as an anchor and an alias.
    started = dt.date.fromordinal(today.toordinal())
    event: dict[str, Any] = make_event(Stage.DEVELOPMENT, started, request.by or "-")
    if not request.by:
        event["by"] = None
    card["lifecycle"] = CommentedSeq([flow_map(event)])
    if not request.by:
        card["lifecycle"].yaml_add_eol_comment(f"{TODO}: who", 0)
    return schema_hint(root, path.parent, "version") + dump(yaml, card)


def _marked_empty(card: CommentedMap, key: str, what: str) -> CommentedSeq:
    empty = CommentedSeq()
    empty.fa.set_flow_style()
    card[key] = empty
    card.yaml_add_eol_comment(f"{TODO}: {what}", key, column=len(key) + 6)  # "key: []  # "
    return empty


def _training(old: CommentedMap) -> CommentedMap:
    """The training setup carries over, except the code commit, which is new by definition."""
    training = old
    code = training.get("code")
    if isinstance(code, CommentedMap) and "commit" in code:
        code["commit"] = None
        if code.fa.flow_style():
            training.yaml_add_eol_comment(f"{TODO}: the commit it was trained from", "code")
        else:
            code.yaml_add_eol_comment(f"{TODO}: the commit it was trained from", "commit")
    return training
