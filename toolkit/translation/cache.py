"""A SQLite cache of sentence translations, under ``TRIGLOT_HOME``, and what every cache offers (``Cache``).

An entry is keyed by everything that decides the output: the package (direction,
version and a fingerprint of its files, so replacing a package invalidates its
entries), the decoding options and the sentence itself. Several processes can
share the file (WAL mode, a busy timeout). A cache that cannot be opened or
written is logged once and skipped: it never costs the user a translation. Its
``problem`` says why (``cache stats``, the service's ``/ready``), and ``clear``
repairs a damaged file by starting it again. Workers and replicas that should share
one cache use Redis instead (``redis_cache``; ``caches.cache_for`` picks).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

logger = logging.getLogger(__name__)
# The library never prints: its records reach nobody unless the application sets up logging.
logging.getLogger("toolkit").addHandler(logging.NullHandler())

_BUSY_TIMEOUT_MS = 5000
_SCHEMA = "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
# SQLite limits the number of parameters in one statement.
_BATCH = 500


@dataclass(frozen=True)
class CacheStats:
    path: str  # where the cache is: the SQLite file, or the Redis server (without credentials)
    entries: int
    size_bytes: int
    problem: str | None = None  # why the cache is not in use, when it is not
    backend: str = "sqlite"  # or "redis"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "entries": self.entries, "size_bytes": self.size_bytes,
                "problem": self.problem, "backend": self.backend}


class Cache(Protocol):
    """A store of sentence translations: misses, never errors, when it cannot be used."""

    @property
    def problem(self) -> str | None:
        """Why the cache is not in use, as last seen; None while it is."""

    def get_many(self, keys: Iterable[str]) -> dict[str, str]: ...

    def put_many(self, entries: Mapping[str, str]) -> None: ...

    def stats(self) -> CacheStats: ...

    def clear(self) -> int: ...

    def check(self) -> str | None:
        """The problem now, looking again where that is cheap (the service's /ready)."""


def cache_key(model_key: str, sentence: str) -> str:
    """A fixed-size key for one sentence under one package and set of decoding options."""
    digest = hashlib.sha256()
    digest.update(model_key.encode("utf-8", "surrogatepass"))
    digest.update(b"\x00")
    digest.update(sentence.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class TranslationCache:
    """Get and put sentence translations; every failure degrades to a miss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.problem: str | None = None  # set when the cache gave up: translation goes on without it

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The cached values for those of ``keys`` that are present."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        with self._lock:
            connection = self._connect()
            if connection is None:
                return found
            try:
                for start in range(0, len(keys), _BATCH):
                    chunk = keys[start : start + _BATCH]
                    marks = ",".join("?" * len(chunk))
                    rows = connection.execute(f"SELECT key, value FROM translations WHERE key IN ({marks})", chunk)
                    found.update(rows.fetchall())
            except sqlite3.Error as error:
                self._give_up("read", error)
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        """Store translations; a failure is logged, not raised."""
        if not entries:
            return
        now = time.time()
        with self._lock:
            connection = self._connect()
            if connection is None:
                return
            try:
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO translations (key, value, created) VALUES (?, ?, ?)",
                        [(key, value, now) for key, value in entries.items()],
                    )
            except sqlite3.Error as error:
                self._give_up("write", error)

    def check(self) -> str | None:
        return self.problem  # a file that failed stays failed until 'triglot cache clear'

    def stats(self) -> CacheStats:
        if not self.path.exists():  # looking must not create it
            return CacheStats(str(self.path), 0, 0)
        with self._lock:
            connection = self._connect()
            entries = 0
            if connection is not None:
                try:
                    entries = connection.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
                except sqlite3.Error as error:
                    self._give_up("read", error)
        size = sum(p.stat().st_size for p in self._files())
        return CacheStats(str(self.path), entries, size, self.problem)

    def clear(self) -> int:
        """Delete every entry; returns how many there were. A file SQLite cannot use (damaged, not a
        database) is removed instead, so the next translation starts a new cache."""
        if not self.path.exists():
            return 0
        with self._lock:
            connection = self._connect()
            if connection is not None:
                try:
                    with connection:
                        count = connection.execute("DELETE FROM translations").rowcount
                    connection.execute("VACUUM")
                    return int(count)
                except sqlite3.Error as error:
                    self._give_up("clear", error)
            self._remove_files()
            return 0

    def _remove_files(self) -> None:
        """Start again: the damaged file and its journal go, and the next use makes a new one."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        try:
            for path in self._files():
                path.unlink()
        except OSError as error:
            logger.warning("translation cache at %s: cannot remove it (%s)", self.path, error.strerror or error)
            return
        self.problem = None

    def _files(self) -> list[Path]:
        return [p for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")) if p.exists()]

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is not None or self.problem is not None:
            return self._connection
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(_SCHEMA)
            connection.commit()
        except (sqlite3.Error, OSError) as error:
            self._give_up("open", error)
            return None
        self._connection = connection
        return connection

    def _give_up(self, action: str, error: Exception) -> None:
        # One warning, then translate without the cache for the rest of the process.
        self.problem = f"cannot {action} it ({error}); run 'triglot cache clear' to start it again"
        logger.warning("translation cache at %s: %s; translating without it", self.path, self.problem)
        if self._connection is not None:
            self._connection.close()
            self._connection = None


_caches: dict[Path, TranslationCache] = {}
_caches_lock = threading.Lock()


def open_cache(path: Path) -> TranslationCache:
    """The process's one cache object for ``path``."""
    with _caches_lock:
        cache = _caches.get(path)
        if cache is None:
            cache = _caches[path] = TranslationCache(path)
        return cache
