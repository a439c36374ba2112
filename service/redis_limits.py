"""The rate limit counted in Redis (``TRIGLOT_REDIS_URL``): one limit per key or client address for every
worker and replica together.

The window is ``auth.RateLimiter``'s, exactly: at most ``limit`` requests in any 60 seconds, and past it
429 with the seconds until the oldest counted request leaves the window. It is a sliding log: a Lua script,
atomic in Redis, keeps each identity's request times in a sorted set, drops those older than the window,
and adds the new one only if fewer than ``limit`` remain. Two fixed windows weighted would cost one counter
instead of ``limit`` entries, but only estimate the count: a burst at the turn of a minute can pass up to
twice the limit, and the answer would differ from the single-process server's. The script reads Redis's
own clock, so replicas whose clocks disagree still share one window, and every key expires with its window.

Keys are ``triglot:rate:`` and a digest of the identity: an identity holds a key's digest or a client's
address, and neither is written to Redis as it is. While Redis is down the limiter fails closed (503 with
``Retry-After``) or open (requests go through uncounted), as ``TRIGLOT_RATE_LIMIT_ON_REDIS_ERROR`` says;
``toolkit.redis_store`` logs the outage once and tries again each second.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from typing import TYPE_CHECKING

import anyio.to_thread

from toolkit.errors import StoreUnavailable
from toolkit.redis_store import RedisStore

from .auth import RATE_WINDOW_S, slow_down
from .errors import ServiceError

if TYPE_CHECKING:
    import redis

PREFIX = "triglot:rate:"
# What a client is told to wait while the store is down: Redis is tried again each second, but a
# client retrying that often only adds load to a server that cannot count it.
STORE_DOWN_RETRY_AFTER_S = 5
STORE_DOWN = (
    f"Service unavailable: the rate limiter's store (Redis) is unreachable; retry in {STORE_DOWN_RETRY_AFTER_S} s"
)

# KEYS[1]: the identity's sorted set of request times in µs; ARGV: the limit, the window in µs, a member
# unique to this request. Returns 0 when the request is counted, else the µs until one leaves the window.
SLIDING_WINDOW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return 0
"""


def redis_key(identity: str) -> str:
    """Where an identity's request times live: a digest, so no key digest or address is stored as it is."""
    return PREFIX + hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RedisRateLimiter:
    """At most ``limit`` requests per identity in any ``window_s`` seconds, counted in Redis."""

    def __init__(self, limit: int, url: str, *, fail_open: bool, window_s: float = RATE_WINDOW_S) -> None:
        self.limit = limit
        self.fail_open = fail_open
        consequence = (
            "requests go through without a rate limit"
            if fail_open
            else "requests are refused with 503 (TRIGLOT_RATE_LIMIT_ON_REDIS_ERROR=open lets them through)"
        )
        self.store = RedisStore(url, purpose="rate limiter", consequence=consequence)
        self._window_us = max(1, round(window_s * 1_000_000))
        # EVALSHA, and the script sent again whenever Redis has forgotten it (a restart).
        self._script = self.store.client.register_script(SLIDING_WINDOW)

    @property
    def problem(self) -> str | None:
        return self.store.problem

    def check(self, identity: str) -> None:
        """Count one request, or raise 429 past the limit (503 while Redis is down, when failing closed)."""
        if self.limit <= 0:
            return
        key = redis_key(identity)
        member = secrets.token_hex(8)  # two requests in the same microsecond are two entries

        def count(client: redis.Redis) -> int:
            return int(self._script(keys=[key], args=[self.limit, self._window_us, member], client=client))

        try:
            wait_us = self.store.run(count)
        except StoreUnavailable:
            if self.fail_open:
                return
            raise ServiceError(503, STORE_DOWN, headers={"Retry-After": str(STORE_DOWN_RETRY_AFTER_S)}) from None
        if wait_us > 0:
            raise slow_down(self.limit, max(1, math.ceil(wait_us / 1_000_000)))

    async def admit(self, identity: str) -> None:
        """``check`` from a worker thread: a slow Redis holds one thread, never the event loop."""
        if self.limit > 0:
            await anyio.to_thread.run_sync(self.check, identity)
