"""The translation cache a process uses: Redis when ``TRIGLOT_REDIS_URL`` is set, else the SQLite file.

One object per file or server per process, so that a cache which gave up (a damaged file, a Redis that
does not answer) says so once and every caller sees the same ``problem``; ``new_cache`` is a fresh object
that looks again, for the commands that report on the cache or repair it.
"""

from __future__ import annotations

import threading

from ..settings import Settings
from .cache import Cache, TranslationCache, open_cache
from .redis_cache import RedisCache

_redis: dict[str, RedisCache] = {}
_lock = threading.Lock()


def cache_for(settings: Settings) -> Cache:
    """The process's cache for ``settings`` (whether or not ``settings.cache`` is on: the caller decides)."""
    if not settings.redis_url:
        return open_cache(settings.cache_path)
    with _lock:
        cache = _redis.get(settings.redis_url)
        if cache is None:
            cache = _redis[settings.redis_url] = RedisCache(settings.redis_url)
        return cache


def new_cache(settings: Settings) -> Cache:
    """A cache object of its own for ``settings``, which has not given up on anything yet."""
    if settings.redis_url:
        return RedisCache(settings.redis_url)
    return TranslationCache(settings.cache_path)
