"""The translation cache in Redis (``TRIGLOT_REDIS_URL``): one cache for every worker, replica and command line.

An entry is the SQLite cache's key (``cache.cache_key``) under ``triglot:cache:``, holding the translation
as UTF-8; reads are one MGET per chunk and writes one pipelined round of SETs. Entries do not expire: size
the server with ``maxmemory`` and ``maxmemory-policy allkeys-lru`` and Redis keeps the ones in use. While
Redis is down every read misses and every write is dropped (``redis_store`` logs the outage once and tries
again each second), so translation goes on and the cache comes back with Redis.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from ..errors import StoreUnavailable
from ..redis_store import RedisStore
from .cache import CacheStats

if TYPE_CHECKING:
    import redis

PREFIX = "triglot:cache:"
# Keys per MGET, per pipeline of SETs and per SCAN step: one command never holds Redis for long.
_CHUNK = 500


class RedisCache:
    """Get and put sentence translations in Redis; every failure degrades to a miss."""

    def __init__(self, url: str) -> None:
        self.store = RedisStore(url, purpose="translation cache", consequence="translating without it")

    @property
    def problem(self) -> str | None:
        return self.store.problem

    def check(self) -> str | None:
        return self.store.ping()

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The cached values for those of ``keys`` that are present; none while Redis is down."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}

        def read(client: redis.Redis) -> list[object]:
            pipe = client.pipeline(transaction=False)
            for start in range(0, len(keys), _CHUNK):
                pipe.mget([PREFIX + key for key in keys[start : start + _CHUNK]])
            return [value for chunk in pipe.execute() for value in chunk]

        try:
            values = self.store.run(read)
        except StoreUnavailable:
            return {}
        found = {}
        for key, value in zip(keys, values):
            if isinstance(value, bytes):
                try:
                    found[key] = value.decode("utf-8", "surrogatepass")
                except UnicodeDecodeError:
                    continue  # not ours (something else wrote under our prefix): a miss
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        """Store translations; dropped while Redis is down."""
        if not entries:
            return

        def write(client: redis.Redis) -> None:
            pipe = client.pipeline(transaction=False)
            for key, value in entries.items():
                pipe.set(PREFIX + key, value.encode("utf-8", "surrogatepass"))
            pipe.execute()

        try:
            self.store.run(write)
        except StoreUnavailable:
            pass

    def stats(self) -> CacheStats:
        """Entries and their bytes (keys and values), counted by walking the prefix: the cost grows with the
        cache, which is why only ``triglot cache stats`` and ``doctor`` ask."""

        def count(client: redis.Redis) -> tuple[int, int]:
            entries = size = 0
            for batch in _batches(client):
                pipe = client.pipeline(transaction=False)
                for key in batch:
                    pipe.strlen(key)
                lengths = pipe.execute()
                entries += sum(1 for length in lengths if length)
                size += sum(len(key) + int(length) for key, length in zip(batch, lengths) if length)
            return entries, size

        try:
            entries, size = self.store.run(count)
        except StoreUnavailable:
            entries = size = 0
        return CacheStats(f"{self.store.where} ({PREFIX}*)", entries, size, self.problem, backend="redis")

    def clear(self) -> int:
        """Delete every entry under the prefix (nothing else in the server); returns how many there were."""

        def remove(client: redis.Redis) -> int:
            return sum(int(client.unlink(*batch)) for batch in _batches(client))

        try:
            return self.store.run(remove)
        except StoreUnavailable:
            return 0


def _batches(client: redis.Redis) -> Iterator[list[bytes]]:
    """Every key under the prefix, in lists of a SCAN step's size (SCAN never blocks the server)."""
    batch: list[bytes] = []
    for key in client.scan_iter(match=PREFIX + "*", count=_CHUNK):
        batch.append(key)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
