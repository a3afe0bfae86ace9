"""Machine-readable outputs: the Atom feed of lifecycle events, the sitemap and catalog.json
(the home page's search index is home.py's). Dated only by the catalog's own dates, so
builds are reproducible."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..cards import LifecycleEvent, Metric
from ..catalog import Catalog, ModelVersion
from ..metrics import known_metrics
from ..queries import reading
from ..semver import version_key
from ..texts import json_text, xml_text
from . import paths
from .charts import traffic_text
from .views import ModelSummary

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_LIMIT = 200  # the newest events; a feed reader does not need the whole history


def _stable_id(*parts: str) -> str:
    """A URN that stays the same for the same thing in every build."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "modelcards:" + ":".join(parts)).urn


def _timestamp(day: dt.date, time: str | None = None) -> str:
    return f"{day.isoformat()}T{time or '00:00'}:00Z"


def _ordered_versions(catalog: Catalog) -> list[ModelVersion]:
    return sorted(catalog.versions.values(), key=lambda v: (v.model_id, version_key(v.version)))


def _events(catalog: Catalog) -> list[tuple[ModelVersion, int, LifecycleEvent]]:
    """Every lifecycle event, newest first: by date, then time of day, where events have one."""
    found: list[tuple[tuple[Any, ...], ModelVersion, int, LifecycleEvent]] = []
    for version in catalog.versions.values():
        key = version_key(version.version)
        for index, (event, time) in enumerate(_times(version.card.lifecycle)):
            found.append(((event.date, time, version.model_id, key, index), version, index, event))
    found.sort(key=lambda item: item[0])
    return [(version, index, event) for _, version, index, event in reversed(found)]


def _times(events: list[LifecycleEvent]) -> Iterator[tuple[LifecycleEvent, str]]:
    """Each event with the time it sorts by: its own, else the last one its card gave earlier
    on that date (a card's events stay in their order: its times never go backwards, MC030)."""
    day, time = None, ""
    for event in events:
        if event.date != day:
            day, time = event.date, ""
        time = event.time or time
        yield event, time


def _when(event: LifecycleEvent) -> str:
    return f"on {event.date} at {event.time} UTC" if event.time else f"on {event.date}"


def _event_summary(version: ModelVersion, index: int) -> str:
    event = version.card.lifecycle[index]
    before = version.card.lifecycle[index - 1] if index else None
    if before is not None and before.stage is event.stage and event.traffic is not None:
        # A step of a staged rollout: the stage stays, the share changes.
        was = traffic_text(before.traffic) if before.traffic is not None else "an unstated share"
        parts = [
            f"{version.ref} went from {was} to {traffic_text(event.traffic)} of "
            f"{event.stage.value} traffic {_when(event)} by {event.by}."
        ]
    else:
        parts = [f"{version.ref} moved to {event.stage.value} {_when(event)} by {event.by}."]
    if event.approved_by:
        parts.append("Approved by " + ", ".join(event.approved_by) + ".")
    if event.traffic is not None and (before is None or before.stage is not event.stage):
        parts.append(f"Traffic {traffic_text(event.traffic)}.")
    if event.reason:
        parts.append(f"Reason: {event.reason}")
    if event.replaced_by:
        parts.append(f"Replaced by {event.replaced_by}.")
    if event.sunset:
        parts.append(f"Sunset {event.sunset}.")
    return " ".join(parts)


def _link(base_url: str | None, target: str) -> str:
    return paths.absolute(base_url, target) if base_url else target


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """A child element; card text in it is made fit for XML 1.0 (texts.xml_text): a control
    character in one reason would make the feed ill-formed for every subscriber."""
    element = ET.SubElement(
        parent, tag, {name: xml_text(value) for name, value in attributes.items()}
    )
    element.text = xml_text(text) if text is not None else None
    return element


def atom_feed(catalog: Catalog, today: dt.date) -> bytes:
    settings = catalog.settings
    base = settings.base_url
    events = _events(catalog)
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "title", f"{settings.title}: lifecycle events")
    _sub(feed, "id", _stable_id("feed", base or settings.title))
    _sub(
        feed,
        "updated",
        _timestamp(events[0][2].date, events[0][2].time) if events else _timestamp(today),
    )
    _sub(feed, "link", rel="alternate", href=_link(base, paths.HOME))
    if base:
        _sub(feed, "link", rel="self", href=_link(base, paths.FEED))
    _sub(feed, "generator", "modelcards")
    for version, index, event in events[:FEED_LIMIT]:
        entry = _sub(feed, "entry")
        share = f" at {traffic_text(event.traffic)} of traffic" if event.traffic is not None else ""
        _sub(entry, "title", f"{version.ref}: {event.stage.value}{share}")
        _sub(entry, "id", _stable_id(version.ref, "lifecycle", str(index)))
        _sub(entry, "updated", _timestamp(event.date, event.time))
        _sub(entry, "link", rel="alternate", href=_link(base, paths.version_path(version.ref)))
        author = _sub(entry, "author")
        _sub(author, "name", event.by)
        _sub(entry, "category", term=event.stage.value)
        _sub(entry, "summary", _event_summary(version, index), type="text")
    return _xml(feed)


def sitemap(base_url: str, pages: Iterable[str]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for page in pages:
        url = _sub(urlset, "url")
        _sub(url, "loc", paths.absolute(base_url, page))
    return _xml(urlset)


# One encoder for every value: json.dumps with options builds a new one per call.
_json = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode


def _object(members: dict[str, str]) -> str:
    """A JSON object from already encoded values, its keys sorted."""
    return "{" + ",".join([_key(key) + members[key] for key in sorted(members)]) + "}"


@functools.lru_cache(maxsize=4096)
def _key(key: str) -> str:
    """`"key":`, encoded once: the same few keys recur in every entry of catalog.json."""
    return _json(key) + ":"


def _card(
    card: BaseModel, known: Mapping[Path, str] | None = None, path: Path | None = None
) -> str:
    # pydantic's own serializer: several times faster than model_dump and json.dumps, and
    # it keeps the card format's field order, which is as stable as sorted keys. The loader
    # has most cards' text already (`known`: the card cache keeps them in this form).
    if known is not None and path is not None:
        text = known.get(path)
        if text is not None:
            return text
    return card.model_dump_json()


def _relative_source(catalog: Catalog, version_path: Any) -> str:
    root, path = str(catalog.root), str(version_path)
    if os.sep == "/" and path.startswith(root + "/"):  # what relative_to gives, quicker
        return path[len(root) + 1 :]
    try:
        return str(version_path.relative_to(catalog.root).as_posix())
    except ValueError:
        return str(version_path.name)


def _model_entry(
    catalog: Catalog, model_id: str, summary: ModelSummary, known: Mapping[Path, str]
) -> str:
    model = catalog.models[model_id]
    return _object(
        {
            "id": _json(model.id),
            "page": _json(paths.model_path(model.id)),
            "source": _json(_relative_source(catalog, model.path)),
            "card": _card(model.card, known, model.path),
            "status": _json(summary.status.value if summary.status else None),
            "versions": _json([v.version for v in model.versions]),
            "latest": _json(summary.latest.version if summary.latest else None),
            "production": _json([v.version for v in summary.production]),
            "reading": _json(
                _reading(summary.primary_version, summary.primary.metric)
                if summary.primary and summary.primary_version
                else None
            ),
        }
    )


def _reading(version: ModelVersion, metric: Metric) -> dict[str, Any]:
    """A reading for programs: the version, metric, value, and where it was measured."""
    return {
        "version": version.version,
        "metric": metric.name,
        "value": metric.value,
        "dataset": metric.dataset,
        "split": metric.split,
    }


def _version_entry(catalog: Catalog, version: ModelVersion, known: Mapping[Path, str]) -> str:
    model = catalog.models.get(version.model_id)
    found = reading(model, version) if model else None
    # What _object gives, written out: ten thousand of these are most of catalog.json.
    return (
        f'{{"card":{_card(version.card, known, version.path)}'
        f',"model":{_json(version.model_id)}'
        f',"page":{_json(paths.version_path(version.ref))}'
        f',"reading":{_json(_reading(version, found) if found else None)}'
        f',"ref":{_json(version.ref)}'
        f',"source":{_json(_relative_source(catalog, version.path))}'
        f',"stage":{_json(version.stage.value)}'
        f',"version":{_json(version.version)}}}'
    )


def _dataset_entry(catalog: Catalog, dataset_id: str, known: Mapping[Path, str]) -> str:
    dataset = catalog.datasets[dataset_id]
    return _object(
        {
            "id": _json(dataset.id),
            "page": _json(paths.dataset_path(dataset.id)),
            "source": _json(_relative_source(catalog, dataset.path)),
            "card": _card(dataset.card, known, dataset.path),
        }
    )


def catalog_json(
    catalog: Catalog, summaries: Mapping[str, ModelSummary], card_json: Mapping[Path, str]
) -> bytes:
    """The whole resolved catalog for programs: cards, current stages, pages and lineage.
    `card_json`: cards' JSON text as the loader had it (the card cache), by file.

    Compact JSON, keys sorted except inside a card, which keeps the card format's field order
    (a third the size of indented JSON: this file holds every card and changes on every edit).
    """
    known = known_metrics(catalog.settings)
    lineage = [
        {
            "child": e.child,
            "parent": e.parent,
            "relation": e.relation.value,
            "external": e.external,
            "url": e.url,
        }
        for e in sorted(catalog.lineage, key=lambda e: (e.child, e.parent, e.relation.value))
    ]
    members = {
        "settings": _card(catalog.settings),
        "metrics": _object({name: _card(info) for name, info in known.items()}),
        "models": _list(
            _model_entry(catalog, m, summaries[m], card_json) for m in sorted(catalog.models)
        ),
        "versions": _list(
            _version_entry(catalog, v, card_json) for v in _ordered_versions(catalog)
        ),
        "datasets": _list(_dataset_entry(catalog, d, card_json) for d in sorted(catalog.datasets)),
        "lineage": _json(lineage),
    }
    # Made safe member by member: one "R²" among the metric labels would otherwise send all
    # 40 MB of the versions through json_text's character scan rather than its ASCII check.
    document = _object({name: json_text(text) for name, text in members.items()})
    return (document + "\n").encode("utf-8")


def _list(items: Iterable[str]) -> str:
    return "[" + ",".join(items) + "]"
