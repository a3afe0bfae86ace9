"""JSON Schemas (draft 2020-12) for the four file kinds, generated from the card models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .cards import CARD_KINDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TITLES = {
    "catalog": "modelcards catalog.yaml",
    "model": "modelcards model card (models/<model>/model.yaml)",
    "version": "modelcards version card (models/<model>/<version>.yaml)",
    "dataset": "modelcards dataset card (datasets/<dataset>.yaml)",
}


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def card_schema(kind: str) -> dict[str, Any]:
    body = CARD_KINDS[kind].model_json_schema(mode="validation")
    return {
        "$schema": DRAFT,
        "$id": schema_file_name(kind),
        **body,
        "title": TITLES[kind],
    }


def render_schemas() -> dict[str, str]:
    """File name -> JSON text, stable byte for byte so the committed copies can be checked."""
    return {
        schema_file_name(kind): json.dumps(card_schema(kind), indent=2, sort_keys=True) + "\n"
        for kind in CARD_KINDS
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
