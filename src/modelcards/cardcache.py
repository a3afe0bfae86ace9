"""Validated cards remembered by the SHA-256 of their file, so a rebuild parses only what changed.

The cache sits in a working tree, where a pull request could plant a file that maps the digest
of a card to other contents. So the cache is signed: a keyed BLAKE2 over its text, with a
random key kept outside any working tree (`$XDG_CACHE_HOME/modelcards/cache-key`, made on
first use, readable by its owner alone). A cache this machine did not write is ignored. It
is JSON, never pickle, and each entry is still re-checked by pydantic when it is read (from
JSON, in Rust, without YAML). Only cards that loaded without a problem are kept: problems are
reported afresh every time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import importlib.metadata
import json
import os
import platform
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import __version__, cardmarkdown, cards
from .source import FileRefused, read_regular_file
from .writing import write_atomically

CardT = Any  # a card model instance; the caller names the kind
KEY_SIZE = 32
# Cache files larger than this are not read (a cold build): a few times what a catalog of
# 100,000 cards needs, and a bound on what a file committed in the cache folder can cost.
MAX_CACHE_BYTES = 512 * 1024 * 1024
# The file is rewritten when more than one card in this many is new since it was written.
REWRITE_SHARE = 100
IGNORE_ALL = "# A local cache made by modelcards: never commit it.\n*\n"


def _key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "modelcards" / "cache-key"


def signing_key() -> bytes | None:
    """This user's key for signing caches, made on first use; None when there can be none."""
    path = _key_path()
    key: bytes | None
    try:
        key = read_regular_file(path, KEY_SIZE)
    except FileNotFoundError:
        key = _new_key(path)
    except (FileRefused, OSError):
        return None
    return key if key is not None and len(key) == KEY_SIZE else None


def _new_key(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another build made it a moment ago
        return None
    except OSError:
        return None
    key = secrets.token_bytes(KEY_SIZE)
    with os.fdopen(handle, "wb") as stream:
        stream.write(key)
    return key


def signature(key: bytes, body: bytes) -> str:
    """A keyed digest of `body`: what a cache file carries to show this key's holder wrote it."""
    return hashlib.blake2b(body, key=key, digest_size=32).hexdigest()


def signed_by(key: bytes, body: bytes, claimed: object) -> bool:
    return (
        isinstance(claimed, str)
        and claimed.isascii()
        and hmac.compare_digest(claimed, signature(key, body))
    )


@functools.cache
def runtime(*libraries: str) -> str:
    """Python's version and those of the installed `libraries` (distribution names): what a
    cache also depends on, since a CI job installs them afresh on every run and a new release
    of one may write other bytes for the same cards."""
    found = []
    for name in libraries:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return " ".join([f"python={platform.python_version()}", *found])


def make_cache_folder(folder: Path) -> None:
    """Create a cache folder that git leaves alone (as pytest and mypy do with theirs).

    The .gitignore is created only where nothing is, not even a link: O_EXCL with O_CREAT
    fails on a link, dangling or not, so a committed one cannot make us write elsewhere."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(IGNORE_ALL)


def _schema_identity() -> str:
    """Changes whenever the card models, their Markdown limits (checked on parsing, not on
    reading the cache) or the package change, invalidating every entry."""
    source = Path(cards.__file__).read_bytes() + Path(cardmarkdown.__file__).read_bytes()
    libraries = runtime("pydantic", "pydantic-core")
    return f"{__version__}:{hashlib.sha256(source + libraries.encode()).hexdigest()[:16]}"


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class CardCache:
    """On disk: one line of JSON with the schema identity and the signature, then one line
    per entry, its name, a space and the card's JSON (which never holds a raw line break).
    The signature covers the identity and every entry line; writing and reading are plain
    joins and splits, with no escaping of 30 MB of JSON text."""

    path: Path | None
    key: bytes | None = field(default_factory=signing_key, repr=False)
    identity: str = field(default_factory=_schema_identity)
    entries: dict[str, str] = field(default_factory=dict)  # "kind:sha256" -> card JSON
    used: dict[str, str] = field(default_factory=dict)  # what this run read or added

    @classmethod
    def open(cls, path: Path) -> CardCache:
        """The cache stored at `path`, or an empty one when it is missing or not trustworthy."""
        cache = cls(path)
        if cache.key is None:
            return cache
        try:
            raw = read_regular_file(path, MAX_CACHE_BYTES, follow_symlinks=False)
            header, _, body = raw.partition(b"\n")
            stored = json.loads(header)
            if not isinstance(stored, dict) or stored.get("identity") != cache.identity:
                return cache
            if not signed_by(
                cache.key, cache.identity.encode() + b"\n" + body, stored.get("signature")
            ):
                return cache
            lines = body.decode("utf-8").split("\n") if body else []
        except (FileRefused, OSError, ValueError, RecursionError):
            return cache
        entries = dict(line.partition(" ")[::2] for line in lines)
        cache.entries = {name: text for name, text in entries.items() if name and text}
        return cache

    def _barely_changed(self) -> bool:
        new = sum(1 for name in self.used if name not in self.entries)
        kept = len(self.used) - new
        stale = len(self.entries) - kept  # entries of files edited or deleted since
        return new <= len(self.used) // REWRITE_SHARE and stale <= len(self.entries) // 4

    def knows(self, kind: type[BaseModel], key: str) -> bool:
        return f"{kind.__name__}:{key}" in self.entries

    def get(self, kind: type[BaseModel], key: str) -> tuple[Any, str] | None:
        """The card of that kind for a file with this digest, and its JSON; or None."""
        name = f"{kind.__name__}:{key}"
        text = self.entries.get(name)
        if text is None:
            return None
        try:
            card = kind.model_validate_json(text)
        except ValidationError:
            return None
        self.used[name] = text
        return card, text

    def recall(self, path: Path, raw: bytes) -> tuple[Any, Any, str] | None:
        """The card, source document and JSON loaded from `path` when it held this very
        bytes object (HeldCards; a cache on disk remembers no objects)."""
        return None

    def remember(self, path: Path, raw: bytes, card: Any, source: Any, text: str) -> None:
        """What a file's bytes loaded into, for `recall`."""
        return

    def put(self, kind: type[BaseModel], key: str, card: BaseModel) -> str:
        """Remember a card; returns its JSON (as `catalog.json` writes it, too)."""
        text = self.used[f"{kind.__name__}:{key}"] = card.model_dump_json()
        return text

    def save(self) -> None:
        """Write what this run used (so entries of deleted or edited files fall away).

        Not when only a few cards are new since the file was written (an edit or two in a
        large catalog): rewriting tens of megabytes costs more than parsing those few cards
        again on the next run, which finds them missing and adds them then."""
        if self.path is None or self.key is None or self.used == self.entries:
            return
        if self._barely_changed():
            return
        body = "\n".join(f"{name} {text}" for name, text in sorted(self.used.items())).encode()
        signed = signature(self.key, self.identity.encode() + b"\n" + body)
        header = json.dumps({"identity": self.identity, "signature": signed}).encode()
        make_cache_folder(self.path.parent)
        write_atomically(self.path, header + b"\n" + body)


@dataclass
class HeldCards(CardCache):
    """Cards held in memory by the digest of their file, for a process that loads a catalog
    again and again (`serve`): unchanged bytes give back the very card object loaded before,
    without pydantic checking it again, so what was worked out from it can be kept too
    (rules/incremental.py). Below it, the card cache on disk, if any, read at the first load
    and written once after it (as a build would); nothing is written after later loads."""

    disk: CardCache | None = None
    held: dict[str, tuple[Any, str]] = field(default_factory=dict)
    # path -> (the bytes object read, card, source document, JSON): a load's files are the
    # last load's bytes objects but for those read again, so `is` tells what is unchanged
    # without digesting or decoding 11,000 files again.
    loaded: dict[Path, tuple[bytes, Any, Any, str, str]] = field(default_factory=dict)
    recent: dict[Path, tuple[bytes, Any, Any, str, str]] = field(default_factory=dict)

    @classmethod
    def over(cls, disk: CardCache | None) -> HeldCards:
        return cls(path=None, key=None, identity="", disk=disk)

    def knows(self, kind: type[BaseModel], key: str) -> bool:
        return f"{kind.__name__}:{key}" in self.held or (
            self.disk is not None and self.disk.knows(kind, key)
        )

    def get(self, kind: type[BaseModel], key: str) -> tuple[Any, str] | None:
        name = f"{kind.__name__}:{key}"
        found = self.held.get(name)
        if found is None and self.disk is not None:
            found = self.disk.get(kind, key)
        if found is not None:
            self.used[name] = found[1]
            self.held[name] = found
        return found

    def put(self, kind: type[BaseModel], key: str, card: BaseModel) -> str:
        text = self.disk.put(kind, key, card) if self.disk is not None else card.model_dump_json()
        name = f"{kind.__name__}:{key}"
        self.used[name] = text
        self.held[name] = (card, text)
        return text

    def recall(self, path: Path, raw: bytes) -> tuple[Any, Any, str] | None:
        found = self.loaded.get(path)
        if found is None or found[0] is not raw:
            return None
        self.recent[path] = found
        self.used[found[4]] = found[3]  # its entry in `held` stays
        return found[1], found[2], found[3]

    def remember(self, path: Path, raw: bytes, card: Any, source: Any, text: str) -> None:
        self.recent[path] = (raw, card, source, text, f"{type(card).__name__}:{digest(raw)}")

    def begin(self) -> None:
        """Before a load: what it uses is recorded afresh."""
        self.used = {}
        self.recent = {}

    def settle(self, *, whole: bool = True) -> None:
        """After a load of every file (`whole`): only the cards of the files it read stay
        held (an edited card's earlier versions go). After a load of some files: what they
        loaded into is added. The cache on disk is written after the first load only."""
        if whole:
            self.held = {name: self.held[name] for name in self.used if name in self.held}
            self.loaded = self.recent
        else:
            self.loaded.update(self.recent)
        self.recent = {}
        if self.disk is not None:
            with contextlib.suppress(OSError):
                self.disk.save()
            self.disk = None

    def save(self) -> None:
        return
