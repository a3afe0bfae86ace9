"""Onboard a model from a Hugging Face model card (README.md): a model card and a version card.

A README that modelcards exported carries both source cards under the `modelcards` key of
its front matter; they are restored exactly (so export -> import -> export is stable). Any
other README is mapped field by field from the Hub's metadata and the body's sections.
Whatever cannot be mapped is reported as a warning, never dropped silently. Nothing is
written unless the new cards validate together with the rest of the catalog.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from ..cardmarkdown import MAX_CHARACTERS, MAX_NESTING, too_deep, too_long
from ..cards import ExternalDataset, Relation, is_semver, is_valid_id
from ..catalog import Catalog
from ..discovery import MODEL_FILE
from ..edit import FileEdit, new_errors
from ..errors import Refusal, UsageProblem
from ..loading import load_catalog
from ..problems import Problem
from ..schema import schema_hint
from ..texts import describe_character, without_invisible
from ..writing import check_inside, write_all_or_nothing
from ..yamltext import dump_yaml
from .huggingface import (
    HUB_LICENSES,
    HUB_RELATIONS,
    LICENSE_LINK_TITLE,
    MODELCARDS_KEY,
    hub_license,
    hub_value,
    task_title,
)
from .import_defaults import HF_BY
from .readme_markdown import (
    PLACEHOLDER,
    Block,
    Readme,
    ReadmeError,
    Section,
    blocks,
    first_paragraph,
    is_template_text,
    plain_text,
    prose_items,
    read_readme,
    section_markdown,
    sections,
    subtree,
    tidy_markdown,
    without_comments,
    without_elements,
)

DEFAULT_VERSION = "1.0.0"
DEFAULT_BY = HF_BY
UNASSIGNED_OWNER = "unassigned"

RELATIONS_FROM_HUB = {hub: ours.value for ours, hub in HUB_RELATIONS.items()}
# Hub metadata keys this importer maps; any other key is reported.
MAPPED_KEYS = {
    "license",
    "license_name",
    "license_link",
    "tags",
    "pipeline_tag",
    "library_name",
    "datasets",
    "base_model",
    "base_model_relation",
    "model-index",
    "model_name",
    MODELCARDS_KEY,
}


class ImportFailure(Refusal):
    """The README cannot be imported at all (no usable front matter, a bad version in it)."""


class ImportUsageError(ImportFailure, UsageProblem):
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


# ---- mapping Hub metadata -------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _license(meta: dict[str, Any]) -> str | None:
    """The card's license: a Hub id, `license_name` for `other`, and a list of licenses as one
    SPDX-style expression (`apache-2.0 AND bsd-3-clause`), which the export splits again."""
    value = meta.get("license")
    if value == "other" and isinstance(meta.get("license_name"), str):
        return str(meta["license_name"])
    names = [str(item) for item in _as_list(value)]
    return " AND ".join(names) if names else None


def _license_links(meta: dict[str, Any], warnings: list[str]) -> list[dict[str, str]]:
    link = meta.get("license_link")
    if not isinstance(link, str) or not link.strip():
        return []
    if "://" not in link:
        warnings.append(f"license_link {link!r} is a path in the Hub repository; kept as is")
    return [{"title": LICENSE_LINK_TITLE, "url": link}]


_QUANTIZED_TAGS = {"gguf", "gptq", "awq", "exl2", "quantized", "bitsandbytes", "4-bit", "8-bit"}


def _guessed_relation(meta: dict[str, Any], parents: list[str]) -> tuple[str, str]:
    """What the Hub would infer when base_model_relation is not set: (relation, why)."""
    tags = {str(tag).lower() for tag in _as_list(meta.get("tags"))}
    if len(parents) > 1:
        return Relation.MERGED.value, f"{len(parents)} parents make a merge"
    if tags & {"merge", "mergekit"}:
        return Relation.MERGED.value, "the tags say merge"
    if tags & _QUANTIZED_TAGS:
        return Relation.QUANTIZED.value, "the tags name a quantized format"
    if str(meta.get("library_name", "")).lower() == "peft":
        return Relation.ADAPTER.value, "the library is peft"
    return Relation.FINE_TUNED.value, "the Hub's default"


def _lineage(meta: dict[str, Any], warnings: list[str]) -> list[dict[str, Any]]:
    relation_name = meta.get("base_model_relation")
    relation = RELATIONS_FROM_HUB.get(str(relation_name)) if relation_name else None
    parents = [str(p) for p in _as_list(meta.get("base_model"))]
    if parents and relation is None:
        relation, why = _guessed_relation(meta, parents)
        detail = f"{relation_name!r} has no equivalent" if relation_name else "is not set"
        warnings.append(f"base_model_relation {detail}; recorded the lineage as {relation} ({why})")
    return [
        {"external": parent, "url": f"https://huggingface.co/{parent}", "relation": relation}
        for parent in parents
    ]


def _training(meta: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """`datasets`: versions of this catalog's datasets by reference, the others as external."""
    references = [str(d) for d in _as_list(meta.get("datasets"))]
    return {
        "data": [ref for ref in references if _dataset_resolves(catalog, ref)],
        "external_data": [{"id": ref} for ref in references if not _dataset_resolves(catalog, ref)],
    }


def _dataset_resolves(catalog: Catalog, reference: str) -> bool:
    dataset_id, at, version = reference.partition("@")
    dataset = catalog.datasets.get(dataset_id)
    return bool(at) and dataset is not None and dataset.has_version(version)


def _model_task(meta: dict[str, Any]) -> str | None:
    """pipeline_tag, else the task of the first model-index result."""
    if meta.get("pipeline_tag"):
        return str(meta["pipeline_tag"])
    for entry in _as_list(meta.get("model-index")):
        results = entry.get("results") if isinstance(entry, dict) else None
        for result in results if isinstance(results, list) else []:
            task = result.get("task") if isinstance(result, dict) else None
            if isinstance(task, dict) and isinstance(task.get("type"), str):
                return str(task["type"])
    return None


# ---- model-index results --------------------------------------------------------------------


def _plain_json(value: Any) -> Any:
    """YAML values as JSON values: dates as ISO text, keys as text."""
    if isinstance(value, dict):
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != {}}


def _external_dataset(dataset: dict[str, Any]) -> dict[str, Any]:
    return _without_none(
        {
            "id": _text(dataset.get("type")),
            "name": _text(dataset.get("name")),
            "config": _text(dataset.get("config")),
            "revision": _text(dataset.get("revision")),
            "args": _plain_json(dataset.get("args")),
        }
    )


def _hub_task(task: Any, model_task: str) -> dict[str, Any] | None:
    """The result's task, unless it is what the export writes for the model's task."""
    if not isinstance(task, dict) or not task.get("type"):
        return None
    found = _without_none({"type": str(task["type"]), "name": _text(task.get("name"))})
    return None if found == {"type": model_task, "name": task_title(model_task)} else found


def _hub_reading(
    result: dict[str, Any], metric: dict[str, Any], text: str | None, model_task: str
) -> dict[str, Any]:
    source = result.get("source")
    return _without_none(
        {
            "name": _text(metric.get("name")),
            "value": text,
            "args": _plain_json(metric.get("args")),
            "config": _text(metric.get("config")),
            "verified": metric.get("verified")
            if isinstance(metric.get("verified"), bool)
            else None,
            "verify_token": _text(metric.get("verifyToken")),
            "task": _hub_task(result.get("task"), model_task),
            "source": _without_none(
                {"name": _text(source.get("name")), "url": _text(source.get("url"))}
            )
            if isinstance(source, dict)
            else None,
        }
    )


@dataclass(frozen=True)
class HubContext:
    """What mapping one model-index metric needs besides the metric itself."""

    readme: Readme
    catalog: Catalog
    model_task: str
    warnings: list[str]


def _yaml_shown(value: Any) -> str:
    """A value as the README writes it: .nan rather than Python's nan."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return _shown(value)


def _metric_from_hub(
    context: HubContext, loc: tuple[str | int, ...], result: dict[str, Any], metric: dict[str, Any]
) -> dict[str, Any] | None:
    """One model-index metric as a card metric, or None (reported) when it has no number."""
    parsed = hub_value(metric.get("value"))
    if parsed is None or not metric.get("type"):
        line = context.readme.line_of((*loc, "value" if metric.get("type") else "type"))
        if metric.get("type"):
            what = f"its value {_yaml_shown(metric.get('value'))} is not a number"
        else:
            what = "it has no type"
        context.warnings.append(
            f"{context.readme.path}:{line}: model-index metric {metric.get('type')!r}: {what}; "
            "not imported"
        )
        return None
    found = result.get("dataset")
    dataset: dict[str, Any] = found if isinstance(found, dict) else {}
    item: dict[str, Any] = {"name": str(metric["type"]), "value": parsed.value}
    reference = f"{dataset.get('type')}@{dataset.get('revision')}"
    in_catalog = _dataset_resolves(context.catalog, reference)
    if in_catalog:
        item["dataset"] = reference
    if dataset.get("split") is not None:
        item["split"] = str(dataset["split"])
    if parsed.ci is not None:
        item["ci"] = parsed.ci
    if in_catalog and dataset.get("config") is not None:
        item["slice"] = str(dataset["config"])  # a slice of a catalog dataset is the Hub's config
    elif not in_catalog and dataset.get("type") is not None:
        item["external_dataset"] = _external_dataset(dataset)
    hub = _hub_reading(result, metric, parsed.text, context.model_task)
    if hub:
        item["hub"] = hub
    return item


def _result_metrics(
    context: HubContext, loc: tuple[str | int, ...], result: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    dataset = result.get("dataset")
    if dataset is None:
        context.warnings.append(
            "model-index: a result names no dataset; its metrics were kept without a dataset"
        )
    elif not isinstance(dataset, dict):
        context.warnings.append(
            f"model-index: dataset should be a mapping (type, name, config, "
            f"split), not {_shown(dataset)}; its metrics were kept without a "
            "dataset"
        )
    metrics = result.get("metrics", [])
    if not _mappings(metrics):
        context.warnings.append(
            f"model-index: metrics should be a list of mappings (type, "
            f"value), not {_shown(metrics)}; not imported"
        )
        return
    for index, metric in enumerate(metrics):
        item = _metric_from_hub(context, (*loc, "metrics", index), result, metric)
        if item is not None:
            yield item


def _metrics(context: HubContext, meta: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for index, entry in enumerate(_as_list(meta.get("model-index"))):
        results = entry.get("results")
        if results is None:
            continue
        if not _mappings(results):
            context.warnings.append(
                f"model-index[{index}].results should be a list of mappings (task, dataset, "
                f"metrics), not {_shown(results)}; not imported"
            )
            continue
        for position, result in enumerate(results):
            found += _result_metrics(context, ("model-index", index, "results", position), result)
    return _distinct_readings(found, context.warnings)


def _reading_key(item: dict[str, Any]) -> tuple[Any, ...]:
    external = item.get("external_dataset")
    where = ExternalDataset.model_validate(external).reference if external else item.get("dataset")
    return item["name"], where, item.get("split"), item.get("slice")


def _label_name(label: str) -> str:
    """A metric name from a display name: "Precision Macro" -> precision_macro."""
    return "_".join(re.findall(r"[a-z0-9@.]+", label.lower()))


def _distinct_readings(found: list[dict[str, Any]], warnings: list[str]) -> list[dict[str, Any]]:
    """One reading per name, data, split and slice: several readings of one metric type on the
    same data (Precision Macro, Precision Micro) are named after their display names, keeping
    the type for the export; readings on one external dataset that the README tells apart by
    the data's display name only (nuprl/MultiPL-E as "MultiPL-HumanEval (Python)" and "(C++)")
    take that name as their slice; a true repeat is reported and left out."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for item in found:
        groups.setdefault(_reading_key(item), []).append(item)
    for items in groups.values():
        labels = [str((item.get("hub") or {}).get("name") or "") for item in items]
        if len(items) > 1 and all(labels) and len(set(map(_label_name, labels))) == len(items):
            for item, label in zip(items, labels, strict=True):
                item["hub"] = {"type": item["name"], **item["hub"]}
                item["name"] = _label_name(label)
        elif len(items) > 1:
            for item in items:
                data_name = (item.get("external_dataset") or {}).get("name")
                if data_name and data_name != item["external_dataset"]["id"]:
                    # In the card's order: the slice before the data and the Hub's details.
                    tail: dict[str, Any] = {
                        k: item.pop(k) for k in ("external_dataset", "hub") if k in item
                    }
                    item.update({"slice": data_name, **tail})
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    for item in found:
        key = _reading_key(item)
        if key in kept:
            split = f" ({key[2]})" if key[2] else ""
            warnings.append(
                f"model-index: a second {item['name']!r} reading on "
                f"{key[1] or 'no dataset'}{split}; not imported (a version reports "
                "one reading per metric, dataset, split and slice)"
            )
        else:
            kept[key] = item
    return list(kept.values())


# ---- the shape of the Hub metadata ----------------------------------------------------------

# A field of another shape is reported and left out, rather than half-read or crashed on.
TEXT_FIELDS = (
    "license_name",
    "license_link",
    "pipeline_tag",
    "library_name",
    "base_model_relation",
)
LIST_FIELDS = ("license", "tags", "datasets", "base_model")


def _mappings(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _texts(value: Any) -> bool:
    return all(map(_is_text, value if isinstance(value, list) else [value]))


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
        if key in LIST_FIELDS and isinstance(value, list) and not _texts(value):
            # One odd item (`- false` among tags) costs that item, not the whole list.
            odd = [item for item in value if not _is_text(item)]
            warnings.extend(
                f"front matter {key!r}: the item {_shown(item)} is not a text; not imported"
                for item in odd
            )
            value = [item for item in value if _is_text(item)]
        problem = _shape_problem(key, value)
        if problem is None:
            kept[key] = value
        else:
            warnings.append(f"front matter {key!r} {problem}, not {_shown(value)}; not imported")
    return kept


# ---- the body: name, summary, description and the sections a card has fields for ------------

# Headings that name a part of a card, never the model (a card titled "Model Details" has no title).
_NOT_TITLES = {
    "model details",
    "model description",
    "model summary",
    "model card",
    "model id",
    "table of contents",
    "contents",
    "description",
    "overview",
    "introduction",
    "how to use",
    "usage",
    "how to get started with the model",
    "citation",
    "license",
    "model card contact",
    "model card authors",
    "framework versions",
    "glossary",
    "more information",
    "model",
    "environmental impact",
    "technical specifications",
    "model sources",
    "prompt template",
    "model architecture and objective",
    "compute infrastructure",
    "hardware",
    "software",
    "acknowledgements",
    "contact",
    "quantized models",
    "hyperparameters",
    "yaml config",
}


def normalized_heading(title: str) -> str:
    """A heading compared by its words: "1. Bias, Risks, and Limitations [optional]" ->
    "bias risks and limitations"."""
    text = re.sub(r"\[optional\]|\(optional\)", "", plain_text(title).lower())
    text = re.sub(r"^[\d.)\s]+", "", text)
    return " ".join(re.sub(r"[^\w&]+", " ", text).split())


def section_kind(title: str) -> str | None:
    """Which card field a section of this title fills, if any."""
    words = normalized_heading(title)
    if not words:
        return None
    if "out of scope" in words or "misuse" in words:
        return "out_of_scope"
    if "intended users" in words or words in ("users", "primary users"):
        return "users"
    if re.search(r"\b(intended|direct|downstream) uses?\b", words) or words in (
        "uses",
        "use cases",
        "intended use cases",
        "intended uses",
    ):
        return "uses"
    if "limitation" in words:
        return "limitations"
    if "recommendation" in words or "caveat" in words:
        return "caveats"
    if re.search(r"\b(bias|biases|risks?|ethic\w*|fairness|harms?)\b", words):
        return "ethical"
    if re.search(r"\b(training|pretraining|pre training|fine tuning|finetuning)\b", words) or (
        words in ("dataset", "datasets", "dataset details", "data", "preprocessing")
    ):
        return "training"
    if re.search(r"\b(evaluation|results|performance|benchmarks?|leaderboard)\b", words) or (
        "testing data" in words
    ):
        return "evaluation"
    return None


def card_title(found: list[Section]) -> Section | None:
    """The README's first level-1 heading when it names the model ("Model Card for X" names X)."""
    first = next((s for s in found if s.level == 1), None)
    if first is None:
        return None
    name = title_text(first)
    words = normalized_heading(name)
    if not words or words in _NOT_TITLES or section_kind(name) is not None:
        return None
    if len(name) > MAX_TITLE:
        return None  # a sentence ("Version 1.50 -- coherency fixes! The model ..."), not a name
    return first


MAX_TITLE = 80
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def title_text(section: Section) -> str:
    """The name a title heading gives: its first line (`BLOOM LM<br/> Model Card`), without
    `Model Card for`."""
    lines = (plain_text(part) for part in _LINE_BREAK.split(section.heading))
    first = next((line for line in lines if line), section.title)
    return re.sub(r"^model card (?:for|of)\s+", "", first, flags=re.IGNORECASE).strip()


# A paragraph that opens with a bold or all-caps label ("**Out-of-scope Uses** Use in ...",
# "LIMITATIONS:") belongs to the part the label names.
_BOLD_LEAD = re.compile(r"^\s*(?:\*\*|__)([^*_]{2,60}?)(?:\*\*|__)\s*:?\s*(.*)$", re.DOTALL)
_LABEL_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ,&/-]{2,60}):\s*$")


def _labelled(block: Block) -> tuple[str | None, str]:
    """(the kind a block's lead label names, the block's text after the label)."""
    text = "\n".join(block.lines)
    for pattern in (_BOLD_LEAD, _LABEL_LINE):
        match = pattern.match(text)
        if match and section_kind(match.group(1)):
            rest = match.group(2) if pattern is _BOLD_LEAD else ""
            return section_kind(match.group(1)), rest
    return None, text


def _parts_by_kind(found: list[Section]) -> dict[str, list[str]]:
    """The Markdown lines of each kind of part, sections and labelled paragraphs alike; a
    section without a kind of its own belongs to the kind of the section it is nested in."""
    parts: dict[str, list[str]] = {}
    kinds: list[tuple[int, str | None]] = []
    for section in found:
        while kinds and kinds[-1][0] >= section.level:
            kinds.pop()
        own = section_kind(section.title)
        kind = own if own is not None else (kinds[-1][1] if kinds else None)
        kinds.append((section.level, kind))
        current = kind
        for block in blocks(section.lines):
            label, text = _labelled(block)
            if label is not None:
                current = label if not text.strip() else current
                parts.setdefault(label, []).extend([text, ""])
            elif current is not None:
                parts.setdefault(current, []).extend([*block.lines, ""])
    return parts


def _version_sections(found: list[Section]) -> list[Section]:
    """The sections on training and evaluation, each with the sections nested in it."""
    chosen: list[int] = []
    for index, section in enumerate(found):
        if index not in chosen and section_kind(section.title) in ("training", "evaluation"):
            chosen += range(index, index + len(subtree(found, index)))
    return [found[i] for i in chosen]


@dataclass
class BodyFields:
    """What a README's body gives the cards."""

    title: str | None
    summary: str | None
    description: str
    parts: dict[str, list[str]]
    version_description: str | None


def read_body(body: str) -> BodyFields:
    intro, found = sections(body)
    title = card_title(found)
    lines = [*intro, ""]
    for section in found:
        lines += [*section.lines, ""]
    # A style sheet or script is no text: the site would show it as code.
    kept = [
        line
        for line in without_elements(without_comments(body)).split("\n")
        if PLACEHOLDER not in line
    ]
    if title is not None:
        heading = "#" * title.level + " " + title.heading
        kept = _without_first(kept, lambda line: line.strip().rstrip("#").strip() == heading)
    parts = {kind: prose_items(text) for kind, text in _parts_by_kind(found).items()}
    caveats = _parts_by_kind(found).get("caveats")
    if caveats:
        parts["caveats_markdown"] = [
            tidy_markdown("\n".join(line for line in caveats if not is_template_text(line)))
        ]
    version_parts = _version_sections(found)
    return BodyFields(
        title=title_text(title) if title is not None else None,
        summary=first_paragraph(lines),
        description=tidy_markdown("\n".join(kept)),
        parts=parts,
        version_description=section_markdown(version_parts) if version_parts else None,
    )


def _without_first(lines: list[str], matches: Any) -> list[str]:
    index = next((i for i, line in enumerate(lines) if matches(line)), None)
    return lines if index is None else lines[:index] + lines[index + 1 :]


def _summary(text: str | None, fallback: str, warnings: list[str]) -> str:
    """At most 200 characters: cut after a sentence when one ends in time, else after a word."""
    summary = text or fallback
    if len(summary) <= 200:
        return summary
    warnings.append("the summary was cut to 200 characters; review it in model.yaml")
    head = summary[:200]
    sentence = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if sentence >= 80:
        return head[: sentence + 1]
    return head[:197].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def _model_name(body: BodyFields, meta: dict[str, Any], model_id: str, warnings: list[str]) -> str:
    """The body's title, else the front matter's model name, else the model id; without the
    invisible characters a name may not hold (MC019), each one reported."""
    candidates = [meta.get("model_name")]
    candidates += [
        entry.get("name") for entry in _as_list(meta.get("model-index")) if isinstance(entry, dict)
    ]
    names = [body.title or "", *(plain_text(c) for c in candidates if isinstance(c, str))]
    for name in names:
        visible = without_invisible(name)
        if visible.strip():
            for character in dict.fromkeys(c for c in name if c not in visible):
                warnings.append(
                    f"the name {visible!r} held {describe_character(character)}, "
                    "which a name may not; left it out"
                )
            return " ".join(visible.split())
    return model_id


def _considerations(body: BodyFields, warnings: list[str]) -> dict[str, Any]:
    parts = body.parts
    caveats = parts.get("caveats_markdown", [""])[0]
    return {
        "limitations": parts.get("limitations", []),
        "ethical": [{"name": item} for item in parts.get("ethical", [])],
        "caveats": fitting_markdown(caveats + "\n" if caveats else None, "caveats", warnings),
    }


def _intended_use(body: BodyFields) -> dict[str, Any]:
    return {
        "uses": body.parts.get("uses", []),
        "users": body.parts.get("users", []),
        "out_of_scope": body.parts.get("out_of_scope", []),
    }


def hub_cards(
    readme: Readme,
    meta: dict[str, Any],
    catalog: Catalog,
    request: ImportRequest,
    warnings: list[str],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Model and version cards mapped from a README that modelcards did not write."""
    body = read_body(readme.body)
    task = _model_task(meta)
    if not task:
        warnings.append("pipeline_tag is not set; the task is 'other': set it in model.yaml")
    owner = request.owner or UNASSIGNED_OWNER
    if request.owner is None:
        warnings.append(
            f"no --owner given; the owner is {UNASSIGNED_OWNER!r}: set it in model.yaml"
        )
    name = _model_name(body, meta, request.model_id, warnings)
    model: dict[str, Any] = {
        "name": name,
        "summary": _summary(body.summary, f"{name}, imported from Hugging Face.", warnings),
        "description": fitting_markdown(
            body.description + "\n" if body.description else None, "description", warnings
        ),
        "owners": [{"name": owner}],
        "task": task or "other",
        "tags": [str(t) for t in _as_list(meta.get("tags"))],
        "license": _license(meta),
        "intended_use": _intended_use(body),
        "considerations": _considerations(body, warnings),
        "links": _license_links(meta, warnings),
    }
    context = HubContext(readme, catalog, task or "other", warnings)
    version: dict[str, Any] = {
        "version": request.version or DEFAULT_VERSION,
        "released": request.today,
        "summary": "Imported from a Hugging Face model card.",
        "description": fitting_markdown(
            body.version_description + "\n" if body.version_description else None,
            "version description",
            warnings,
        ),
        "framework": {"name": str(meta["library_name"])} if meta.get("library_name") else None,
        "training": _training(meta, catalog),
        "metrics": _metrics(context, meta),
        "lineage": _lineage(meta, warnings),
        "lifecycle": [{"stage": "development", "date": request.today, "by": request.by}],
    }
    return _pruned(model), _pruned(version)


_CUT_NOTE = "\n\n*(The README continues; the rest did not fit in this field.)*"


def fitting_markdown(text: str | None, where: str, warnings: list[str]) -> str | None:
    """Markdown from the README within what a card's Markdown field holds (MC080, MC081):
    a longer text is cut after a paragraph, a text that nests too deep is left out; each
    is reported."""
    if not text:
        return None
    if too_long(text) is not None:
        room = MAX_CHARACTERS - len(_CUT_NOTE) - 1
        cut = text.rfind("\n\n", 0, room)
        kept = text[: cut if cut > 0 else room].rstrip() + _CUT_NOTE + "\n"
        warnings.append(
            f"{where}: the README's text is {len(text):,} characters, more than a "
            f"Markdown field holds ({MAX_CHARACTERS:,}); kept the first "
            f"{len(kept):,}: link to the full card"
        )
        text = kept
    if too_deep(text) is not None:
        warnings.append(
            f"{where}: the README's text nests more than {MAX_NESTING} levels deep "
            "once rendered, which the site does not show; not imported"
        )
        return None
    return text


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
    if (
        not isinstance(block, dict)
        or not isinstance(block.get("model_card"), dict)
        or not (isinstance(block.get("version_card"), dict))
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


def plan_hf_import(request: ImportRequest, text: str) -> ImportPlan:
    """Everything an import would do, without writing anything."""
    check_arguments(request)
    try:
        readme = read_readme(request.readme, text)
    except ReadmeError as error:
        raise ImportFailure(str(error)) from None
    catalog, _ = load_catalog(request.catalog)
    plan = ImportPlan(request.catalog)
    meta = readme.meta
    if not meta:
        plan.warnings.append(
            f"{request.readme} has no metadata (front matter): the cards come "
            "from its text alone; set task, license and tags in model.yaml"
        )
    if MODELCARDS_KEY in meta:
        model, version = embedded_cards(meta, request, plan.warnings)
    else:
        meta = well_shaped(meta, plan.warnings)
        model, version = hub_cards(readme, meta, catalog, request, plan.warnings)
        plan.warnings += [
            f"front matter {key!r} has no place in the cards; not imported"
            for key in meta
            if key not in MAPPED_KEYS
        ]
        plan.warnings += [
            f"license {name!r} is not a Hub license id; kept as is"
            for name in map(str, _as_list(meta.get("license")))
            if name != "other" and name not in HUB_LICENSES
        ]
    folder = request.catalog / "models" / request.model_id
    version_name = _version_name(request, version)
    version_path = folder / f"{version_name}.yaml"
    check_inside(request.catalog, [folder / MODEL_FILE, version_path], ImportFailure)
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
    plan.errors = _new_errors(request.catalog, plan.files, request.today)
    return plan


def _new_errors(root: Path, files: dict[Path, str], today: dt.date) -> list[Problem]:
    """Errors the new files would bring into the catalog (checked in a scratch copy)."""
    return new_errors(
        root, [FileEdit(path, text, "imported") for path, text in files.items()], today
    )


def write_plan(plan: ImportPlan) -> list[Path]:
    """Write the planned cards: all of them, each whole, or none."""
    assert not plan.errors, "an import with errors writes nothing"
    check_inside(plan.root, plan.files, ImportFailure)
    write_all_or_nothing(list(plan.files.items()))
    return list(plan.files)
