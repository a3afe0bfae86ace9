"""Validated cards remembered by the SHA-256 of their file, so a rebuild parses only what changed.

The cache is JSON, never pickle: its folder sits in a working tree where a pull request could
plant files, and reading it must not run code. Each entry is re-checked by pydantic when it is
read (from JSON, in Rust, without YAML), and anything unreadable, foreign or stale is ignored.
Only cards that loaded without a problem are kept: problems are reported afresh every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import __version__, cards

CardT = Any  # a card model instance; the caller names the kind


def _schema_identity() -> str:
    """Changes whenever the card models (or the package) change, invalidating every entry."""
    source = Path(cards.__file__).read_bytes()
    return f"{__version__}:{hashlib.sha256(source).hexdigest()[:16]}"


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class CardCache:
    path: Path | None
    identity: str = field(default_factory=_schema_identity)
    entries: dict[str, str] = field(default_factory=dict)  # "kind:sha256" -> card JSON
    used: dict[str, str] = field(default_factory=dict)  # what this run read or added

    @classmethod
    def open(cls, path: Path) -> CardCache:
        """The cache stored at `path`, or an empty one when it is missing or not trustworthy."""
        cache = cls(path)
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache
        entries = stored.get("entries") if isinstance(stored, dict) else None
        if stored.get("identity") != cache.identity or not isinstance(entries, dict):
            return cache
        cache.entries = {k: v for k, v in entries.items() if isinstance(v, str)}
        return cache

    def get(self, kind: type[BaseModel], key: str) -> Any:
        """The card of that kind for a file with this digest, or None."""
        name = f"{kind.__name__}:{key}"
        text = self.entries.get(name)
        if text is None:
            return None
        try:
            card = kind.model_validate_json(text)
        except ValidationError:
            return None
        self.used[name] = text
        return card

    def put(self, kind: type[BaseModel], key: str, card: BaseModel) -> None:
        self.used[f"{kind.__name__}:{key}"] = card.model_dump_json()

    def save(self) -> None:
        """Write what this run used (so entries of deleted or edited files fall away)."""
        if self.path is None or self.used == self.entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = {"identity": self.identity, "entries": dict(sorted(self.used.items()))}
        handle, partial = tempfile.mkstemp(prefix=".cards-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream, separators=(",", ":"))
            os.replace(partial, self.path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
