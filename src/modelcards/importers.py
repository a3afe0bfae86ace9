"""Onboard a model from a Hugging Face model card (README.md): a model card and a version card.

A README that modelcards exported carries both source cards under the `modelcards` key of
its front matter; they are restored exactly (so export -> import -> export is stable). Any
other README is mapped field by field from the Hub's metadata and the body's sections.
Whatever cannot be mapped is reported as a warning, never dropped silently. Nothing is
written unless the new cards validate together with the rest of the catalog.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from .cards import Relation, is_semver, is_valid_id
from .catalog import MODEL_FILE, Catalog, load_catalog
from .edit import is_inside
from .export.huggingface import HUB_LICENSES, HUB_RELATIONS, MODELCARDS_KEY, hub_license
from .export.yamltext import dump_yaml
from .problems import Problem
from .schema import schema_hint
from .source import parse_source
from .validate import validate_catalog

DEFAULT_VERSION = "1.0.0"
DEFAULT_BY = "modelcards-import"
UNASSIGNED_OWNER = "unassigned"
PLACEHOLDER = "[More Information Needed]"

RELATIONS_FROM_HUB = {hub: ours.value for ours, hub in HUB_RELATIONS.items()}
# Hub metadata keys this importer maps; any other key is reported.
MAPPED_KEYS = {
    "license", "license_name", "tags", "pipeline_tag", "library_name", "datasets",
    "base_model", "base_model_relation", "model-index", MODELCARDS_KEY,
}
_HEADING = re.compile(r"(#{1,6})[ \t]+")


class ImportFailure(Exception):
    """The README cannot be imported at all (no usable front matter, a bad version in it)."""


class ImportUsageError(ImportFailure):
    """A malformed --model or --version: a usage error (exit 2), not the README's fault."""


@dataclass
class ImportPlan:
    """The cards an import would write, the warnings about what it could not map, and the
    validation errors that stop it (nothing is written while there are any)."""

    root: Path  # the catalog folder: nothing is written outside it
    files: dict[Path, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class ImportRequest:
    catalog: Path
    readme: Path
    model_id: str
    version: str | None = None
    owner: str | None = None
    by: str = DEFAULT_BY
    today: dt.date = field(default_factory=dt.date.today)


# ---- reading the README ---------------------------------------------------------------------


def split_front_matter(readme: Path, text: str) -> tuple[dict[str, Any], str]:
    """The README's metadata (parsed safely) and its Markdown body."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise ImportFailure(
            f"{readme} has no YAML front matter (--- ... ---); nothing to import"
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        raise ImportFailure(f"{readme}:1: the front matter opened by '---' is never closed")
    document, failure = parse_source(readme, "\n".join(lines[1:end]) + "\n")
    if failure is not None:
        # The front matter starts on the README's second line.
        raise ImportFailure(f"{readme}:{failure.line + 1}:{failure.column}: {failure.message}")
    assert document is not None
    data = document.data
    if data is None or data == {}:
        raise ImportFailure(f"{readme}:1: the front matter is empty; nothing to import")
    if not isinstance(data, dict):
        raise ImportFailure(f"{readme}:2: the front matter must be a mapping of fields")
    return data, "\n".join(lines[end + 1:])


def sections(body: str) -> tuple[str | None, str, dict[str, str]]:
    """(title, text before the first section, {section heading: its text}) of a Markdown body."""
    title: str | None = None
    intro: list[str] = []
    found: dict[str, list[str]] = {}
    current = intro
    fenced = False
    for line in strip_comments(body).split("\n"):
        fenced ^= line.lstrip().startswith("```")
        heading = None if fenced else _heading(line)
        if heading and heading[0] == 1 and title is None:
            title = heading[1]
        elif heading and heading[0] >= 2:
            current = found.setdefault(heading[1], [])
        elif PLACEHOLDER not in line:
            current.append(line)
    return title, "\n".join(intro).strip(), {k: "\n".join(v).strip() for k, v in found.items()}


def strip_comments(text: str) -> str:
    """The text without its HTML comments (`<!-- ... -->`), in one pass: an opening with no
    closing after it is left as it is, as is everything after it."""
    kept: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) >= 0:
        closing = text.find("-->", opening + 4)
        if closing < 0:
            break  # no comment closes after this point: none of the later openings either
        kept.append(text[start:opening])
        start = closing + 3
    kept.append(text[start:])
    return "".join(kept)


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line (`## Title ##`), else None; linear in the line
    (a backtracking pattern for the closing hashes took time quadratic in its length)."""
    opening = _HEADING.match(line)
    if opening is None:
        return None
    text = line[opening.end():].rstrip()
    unclosed = text.rstrip("#")
    if not unclosed or unclosed[-1] in " \t":  # a closing sequence follows a space
        text = unclosed.rstrip()
    return len(opening.group(1)), text


def bullet_items(text: str) -> list[str]:
    return [line[2:].strip() for line in text.split("\n") if line.startswith(("- ", "* "))]


def first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split()) if text.strip() else ""


# ---- mapping Hub metadata -------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _license(meta: dict[str, Any]) -> str | None:
    value = meta.get("license")
    if value == "other" and isinstance(meta.get("license_name"), str):
        return str(meta["license_name"])
    return str(value) if value is not None else None


def _lineage(meta: dict[str, Any], warnings: list[str]) -> list[dict[str, Any]]:
    relation_name = meta.get("base_model_relation")
    relation = RELATIONS_FROM_HUB.get(str(relation_name)) if relation_name else None
    parents = [str(p) for p in _as_list(meta.get("base_model"))]
    if parents and relation is None:
        relation = Relation.FINE_TUNED.value
        detail = f"{relation_name!r} has no equivalent" if relation_name else "is not set"
        warnings.append(f"base_model_relation {detail}; recorded the lineage as fine-tuned")
    return [
        {"external": parent, "url": f"https://huggingface.co/{parent}", "relation": relation}
        for parent in parents
    ]


def _training_data(meta: dict[str, Any], catalog: Catalog, warnings: list[str]) -> list[str]:
    found = []
    for reference in (str(d) for d in _as_list(meta.get("datasets"))):
        if _dataset_resolves(catalog, reference):
            found.append(reference)
        else:
            warnings.append(
                f"datasets: {reference!r} is not a dataset version of this catalog; add a card "
                "under datasets/ and list it in training.data"
            )
    return found


def _dataset_resolves(catalog: Catalog, reference: str) -> bool:
    dataset_id, at, version = reference.partition("@")
    dataset = catalog.datasets.get(dataset_id)
    return bool(at) and dataset is not None and dataset.has_version(version)


def _metric_value(value: Any) -> tuple[float, list[float] | None] | None:
    """A number, or the Hub's "20.0 ± 1.2" text (read as a value and its interval)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*±\s*([\d.]+)\s*", str(value))
    if match is None:
        return None
    center, spread = float(match.group(1)), float(match.group(2))
    # Rounded so that 9.8 ± 0.4 reads [9.4, 10.2], not [9.4, 10.200000000000001].
    return center, [round(center - spread, 12), round(center + spread, 12)]


def _metrics(meta: dict[str, Any], catalog: Catalog, warnings: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for index, entry in enumerate(_as_list(meta.get("model-index"))):
        results = entry.get("results")
        if results is None:
            continue
        if not _mappings(results):
            warnings.append(
                f"model-index[{index}].results should be a list of mappings (task, dataset, "
                f"metrics), not {_shown(results)}; not imported"
            )
            continue
        for result in results:
            found += _result_metrics(result, catalog, warnings)
    return found


def _result_metrics(
    result: dict[str, Any], catalog: Catalog, warnings: list[str]
) -> Iterator[dict[str, Any]]:
    dataset = result.get("dataset") or {}
    if not isinstance(dataset, dict):
        warnings.append(f"model-index: dataset should be a mapping (type, revision, split), "
                        f"not {_shown(dataset)}; its metrics were kept without a dataset")
        dataset = {}
    reference = f"{dataset.get('type')}@{dataset.get('revision')}"
    resolves = _dataset_resolves(catalog, reference)
    if not resolves:
        warnings.append(f"model-index: {_unresolved(dataset)}; its metrics were kept without a "
                        "dataset")
    metrics = result.get("metrics", [])
    if not _mappings(metrics):
        warnings.append(f"model-index: metrics should be a list of mappings (type, value), "
                        f"not {_shown(metrics)}; not imported")
        return
    for metric in metrics:
        parsed = _metric_value(metric.get("value"))
        if parsed is None or not metric.get("type"):
            warnings.append(f"model-index: metric {metric!r} has no numeric value; not imported")
            continue
        value, interval = parsed
        item: dict[str, Any] = {"name": str(metric["type"]), "value": value}
        if resolves:
            item["dataset"] = reference
        if dataset.get("split") is not None:
            item["split"] = str(dataset["split"])
        if interval is not None:
            item["ci"] = interval
        if dataset.get("config") is not None:
            item["slice"] = str(dataset["config"])
        yield item


def _unresolved(dataset: dict[str, Any]) -> str:
    """Why a result's dataset is not one of the catalog, naming only what the README gives."""
    if dataset.get("type") is None:
        return "a result names no dataset"
    revision = dataset.get("revision")
    named = f"dataset {dataset['type']!r}" + (
        f" (revision {revision!r})" if revision is not None else ""
    )
    return f"{named} is not a dataset version of this catalog"


# ---- the shape of the Hub metadata ----------------------------------------------------------

# A field of another shape is reported and left out, rather than half-read or crashed on.
TEXT_FIELDS = ("license", "license_name", "pipeline_tag", "library_name", "base_model_relation")
LIST_FIELDS = ("tags", "datasets", "base_model")


def _mappings(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _texts(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return all(isinstance(item, (str, int, float)) and not isinstance(item, bool)
               for item in items)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _shape_problem(key: str, value: Any) -> str | None:
    if value is None:
        return None  # an empty field: nothing to import, nothing lost
    if key in TEXT_FIELDS and not isinstance(value, str):
        return "should be a text"
    if key in LIST_FIELDS and not _texts(value):
        return "should be a text or a list of texts"
    if key == "model-index" and not _mappings(value):
        return "should be a list of mappings (name, results)"
    return None


def well_shaped(meta: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """The metadata without the mapped fields of the wrong shape, each one reported."""
    kept: dict[str, Any] = {}
    for key, value in meta.items():
        problem = _shape_problem(key, value)
        if problem is None:
            kept[key] = value
        else:
            warnings.append(
                f"front matter {key!r} {problem}, not {_shown(value)}; not imported"
            )
    return kept


def _intended_use(parts: dict[str, str]) -> dict[str, Any]:
    found = {
        "uses": bullet_items(parts.get("Direct Use", "")),
        "users": bullet_items(parts.get("Intended Users", "")),
        "out_of_scope": bullet_items(parts.get("Out-of-Scope Use", "")),
    }
    return {k: v for k, v in found.items() if v}


def _summary(text: str, fallback: str, warnings: list[str]) -> str:
    summary = first_paragraph(text) or fallback
    if len(summary) > 200:
        warnings.append("the summary was cut to 200 characters; review it in model.yaml")
        summary = summary[:197].rstrip() + "..."
    return summary


def hub_cards(
    meta: dict[str, Any], body: str, catalog: Catalog, request: ImportRequest, warnings: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Model and version cards mapped from a README that modelcards did not write."""
    title, intro, parts = sections(body)
    description = parts.get("Model Description") or intro
    task = meta.get("pipeline_tag")
    if not task:
        warnings.append("pipeline_tag is not set; the task is 'other': set it in model.yaml")
    owner = request.owner or UNASSIGNED_OWNER
    if request.owner is None:
        warnings.append(
            f"no --owner given; the owner is {UNASSIGNED_OWNER!r}: set it in model.yaml"
        )
    name = title or request.model_id
    limitations = bullet_items(parts.get("Bias, Risks, and Limitations", ""))
    model: dict[str, Any] = {
        "name": name,
        "summary": _summary(intro, f"{name}, imported from Hugging Face.", warnings),
        "description": description + "\n" if description else None,
        "owners": [{"name": owner}],
        "task": str(task or "other"),
        "tags": [str(t) for t in _as_list(meta.get("tags"))],
        "license": _license(meta),
        "intended_use": _intended_use(parts),
        "considerations": {"limitations": limitations},
    }
    training = {"data": _training_data(meta, catalog, warnings)}
    version: dict[str, Any] = {
        "version": request.version or DEFAULT_VERSION,
        "released": request.today,
        "summary": "Imported from a Hugging Face model card.",
        "framework": {"name": str(meta["library_name"])} if meta.get("library_name") else None,
        "training": training,
        "metrics": _metrics(meta, catalog, warnings),
        "lineage": _lineage(meta, warnings),
        "lifecycle": [{"stage": "development", "date": request.today, "by": request.by}],
    }
    return _pruned(model), _pruned(version)


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    """Without empty values, as a person would write the card."""
    found: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _pruned(value)
        if value not in (None, [], {}):
            found[key] = value
    return found


def _mismatch_warnings(
    meta: dict[str, Any], model: dict[str, Any], version: dict[str, Any]
) -> list[str]:
    """Hub fields edited after the export disagree with the embedded cards, which win."""
    expected: dict[str, Any] = {
        "license": hub_license(model.get("license")).get("license"),
        "tags": model.get("tags"),
        "pipeline_tag": model.get("task"),
        "library_name": (version.get("framework") or {}).get("name"),
        "datasets": (version.get("training") or {}).get("data"),
    }
    return [
        f"front matter {key}: {meta.get(key)!r} differs from the embedded modelcards card "
        f"({value!r}); kept the card's value"
        for key, value in expected.items()
        if meta.get(key) != value
    ]


def embedded_cards(
    meta: dict[str, Any], request: ImportRequest, warnings: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    block = meta[MODELCARDS_KEY]
    if not isinstance(block, dict) or not isinstance(block.get("model_card"), dict) or not (
        isinstance(block.get("version_card"), dict)
    ):
        raise ImportFailure(
            f"{request.readme}: the {MODELCARDS_KEY!r} front-matter key must hold model_card and "
            "version_card mappings"
        )
    model, version = dict(block["model_card"]), dict(block["version_card"])
    if request.version is not None:
        version["version"] = request.version
    warnings.extend(_mismatch_warnings(meta, model, version))
    return model, version


# ---- planning and writing -------------------------------------------------------------------


def check_arguments(request: ImportRequest) -> None:
    """--model and --version, checked before any path is built from them."""
    if not is_valid_id(request.model_id):
        raise ImportUsageError(
            f"--model {request.model_id!r} is not a valid model id: use lowercase letters, "
            "digits, '.', '_' and '-', starting and ending with a letter or digit"
        )
    if request.version is not None and not is_semver(request.version):
        raise ImportUsageError(
            f"--version {request.version!r} is not a SemVer version such as 1.2.0"
        )


def _version_name(request: ImportRequest, version: dict[str, Any]) -> str:
    """The version the card is filed under, checked before it becomes a file name."""
    name = version.get("version")
    if not isinstance(name, str) or not is_semver(name):
        raise ImportFailure(
            f"{request.readme}: {MODELCARDS_KEY}.version_card.version {name!r} is not a SemVer "
            "version such as 1.2.0; nothing was imported (or give --version)"
        )
    return name


def _check_inside(root: Path, paths: Iterable[Path]) -> None:
    for path in paths:
        if not is_inside(root, path):
            raise ImportFailure(
                f"refusing to write {path}: it is outside the catalog folder {root}"
            )


def plan_hf_import(request: ImportRequest, text: str) -> ImportPlan:
    """Everything an import would do, without writing anything."""
    check_arguments(request)
    meta, body = split_front_matter(request.readme, text)
    catalog, _ = load_catalog(request.catalog)
    plan = ImportPlan(request.catalog)
    if MODELCARDS_KEY in meta:
        model, version = embedded_cards(meta, request, plan.warnings)
    else:
        meta = well_shaped(meta, plan.warnings)
        model, version = hub_cards(meta, body, catalog, request, plan.warnings)
        plan.warnings += [
            f"front matter {key!r} has no place in the cards; not imported"
            for key in meta if key not in MAPPED_KEYS
        ]
        if meta.get("license") not in (None, "other") and str(meta["license"]) not in HUB_LICENSES:
            plan.warnings.append(f"license {meta['license']!r} is not a Hub license id; kept as is")
    folder = request.catalog / "models" / request.model_id
    version_name = _version_name(request, version)
    version_path = folder / f"{version_name}.yaml"
    _check_inside(request.catalog, [folder / MODEL_FILE, version_path])
    if version_path.exists():
        raise ImportFailure(
            f"{version_path} already exists: {request.model_id} has a version {version_name}; "
            "import it under another --version or --model"
        )
    if (folder / MODEL_FILE).exists():
        plan.warnings.append(f"{folder / MODEL_FILE} exists; kept it and added the version only")
    else:
        model_hint = schema_hint(request.catalog, folder, "model")
        plan.files[folder / MODEL_FILE] = model_hint + dump_yaml(model)
    plan.files[version_path] = schema_hint(request.catalog, folder, "version") + dump_yaml(version)
    plan.errors = new_errors(request.catalog, plan.files, request.today)
    return plan


def _error_keys(root: Path, today: dt.date) -> set[tuple[str, str, str]]:
    result = validate_catalog(root, today)
    return {(str(p.file.relative_to(root)), p.code, p.message) for p in result.errors}


def new_errors(root: Path, files: dict[Path, str], today: dt.date) -> list[Problem]:
    """Errors the new files would bring into the catalog (checked in a scratch copy)."""
    before = _error_keys(root, today)
    with tempfile.TemporaryDirectory(prefix="modelcards-import-") as scratch:
        copy = Path(scratch) / "catalog"
        shutil.copytree(root, copy, symlinks=True)
        for path, text in files.items():
            target = copy / path.relative_to(root)
            _check_inside(copy, [target])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        result = validate_catalog(copy, today)
        return [
            Problem(root / p.file.relative_to(copy), p.line, p.column, p.code, p.severity,
                    p.message)
            for p in result.errors
            if (str(p.file.relative_to(copy)), p.code, p.message) not in before
        ]


def write_plan(plan: ImportPlan) -> list[Path]:
    """Write the planned cards; each file appears whole or not at all."""
    assert not plan.errors, "an import with errors writes nothing"
    _check_inside(plan.root, plan.files)
    for path, text in plan.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return list(plan.files)
