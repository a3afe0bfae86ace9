"""The files a training job hands to `record`: metrics and hyperparameters, in JSON or YAML.

Each is read with the same limits as a card and checked against the card's own models, so a
mistake is reported at its line in the file the job wrote, with the code and message
`validate` would give for the same value in a card. What comes back remembers where each
metric came from (MetricOrigin), so that a later problem with the card (a dataset reference
that does not resolve, say) can be shown at the metric's line in the metrics file too.

Metrics files take three shapes:

- a list of entries, each as in a card: `[{name: auc, value: 0.94, dataset: tx@2025-Q4}]`;
- a mapping from metric name to a value or to the rest of an entry: `{auc: 0.94}`,
  `{auc: {value: 0.94, split: test}}`;
- either of these under `metrics:` (a card's metrics section, copied, or a script's
  `json.dump({"metrics": {...}})`).

A hyperparameters file is a mapping; nested mappings are flattened with dots
(`{optimizer: {lr: 0.1}}` gives `optimizer.lr: 0.1`), since a card's hyperparameters are
single values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cards import Metric
from .codes import problem
from .parse import parse_part
from .problems import Problem
from .source import Loc, SourceDocument, decode_text, parse_source, read_card_bytes


@dataclass(frozen=True)
class MetricOrigin:
    """Where one metric came from: the part of the metrics file at `loc`."""

    document: SourceDocument
    loc: tuple[str | int, ...]

    def position(self, field: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of a field of this entry in the file (of the entry's name, for
        fields it does not spell out, as in `auc: 0.94`)."""
        return self.document.position((*self.loc, *field), key=key)


@dataclass(frozen=True)
class ReadMetrics:
    metrics: list[dict[str, Any]]
    origins: list[MetricOrigin]
    problems: list[Problem]


def read_input(path: Path) -> tuple[SourceDocument | None, Problem | None]:
    """A JSON or YAML file, with positions, and the card's limits on size, nesting and aliases.

    JSON is parsed by the json module (YAML 1.1 reads `1e-05` as text, and JSON writers print
    small numbers that way); its positions still come from the YAML node tree, which has the
    same shape.
    """
    raw, failure = read_card_bytes(path)
    if raw is None:
        return None, failure
    text, failure = decode_text(path, raw)
    if text is None:
        return None, failure
    document, failure = parse_source(path, text)
    if path.suffix.lower() != ".json" or (failure is not None and failure.code != "MC001"):
        return document, failure  # JSON too: duplicate keys, limits, positions from YAML
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        return None, problem(
            "MC001", path, (error.lineno, error.colno), f"invalid JSON: {error.msg}"
        )
    except _DuplicateKey as error:  # only when YAML could not read it (tabs): no position
        return None, problem("MC002", path, (1, 1), f"duplicate key {error.key!r}")
    except RecursionError:
        return None, problem("MC011", path, (1, 1), "nesting too deep; flatten the file")
    # Where YAML could not read the text, positions fall back to the file's start.
    return SourceDocument(path, data, text if document is not None else ""), None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


# ---- metrics --------------------------------------------------------------------------------


def read_metrics(path: Path) -> ReadMetrics:
    """The metrics in a file, each checked as a card's metric would be."""
    document, failure = read_input(path)
    if document is None:
        return ReadMetrics([], [], [failure] if failure else [])
    entries = _metric_entries(document)
    if isinstance(entries, Problem):
        return ReadMetrics([], [], [entries])
    problems: list[Problem] = []
    for entry, loc in entries:
        problems += parse_part(Metric, document, entry, loc)[1]
    origins = [MetricOrigin(document, loc) for _, loc in entries]
    return ReadMetrics([entry for entry, _ in entries], origins, problems)


def _metric_entries(
    document: SourceDocument,
) -> list[tuple[dict[str, Any], tuple[str | int, ...]]] | Problem:
    """Each metric as a card's entry, with the place in the file it was read from."""
    data = document.data
    prefix: tuple[str, ...] = ()
    if (
        isinstance(data, dict)
        and list(data) == ["metrics"]
        and isinstance(data["metrics"], (list, dict))
    ):
        data, prefix = data["metrics"], ("metrics",)
    if isinstance(data, list):
        return [
            (item if isinstance(item, dict) else {"value": item}, (*prefix, index))
            for index, item in enumerate(data)
        ]
    if isinstance(data, dict) and data:
        return [
            (
                {"name": name, **item} if isinstance(item, dict) else {"name": name, "value": item},
                (*prefix, name),
            )
            for name, item in data.items()
        ]
    return problem(
        "MC004",
        document.path,
        (1, 1),
        "a metrics file is a list of metrics ({name: auc, value: 0.94, dataset: "
        "<dataset>@<version>}) or a mapping from metric name to value",
    )


# ---- hyperparameters ------------------------------------------------------------------------


def read_hyperparameters(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The hyperparameters in a file, flattened to single values."""
    document, failure = read_input(path)
    if document is None:
        return {}, [failure] if failure else []
    if not isinstance(document.data, dict):
        return {}, [
            problem(
                "MC004",
                path,
                (1, 1),
                "a hyperparameters file is a mapping of name: value (nested mappings are "
                "flattened with dots)",
            )
        ]
    flat: dict[str, Any] = {}
    problems: list[Problem] = []
    for loc, value in _leaves(document.data, ()):
        name = ".".join(str(part) for part in loc)
        if isinstance(value, list):
            problems.append(
                problem(
                    "MC004",
                    path,
                    document.position(loc),
                    f"hyperparameters.{name}: must be a single value (text, number or true/false)",
                )
            )
        else:
            flat[name] = value
    return flat, problems


def _leaves(data: Mapping[Any, Any], loc: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    for key, value in data.items():
        here = (*loc, str(key))
        if isinstance(value, dict) and value:
            yield from _leaves(value, here)
        else:
            yield here, value
