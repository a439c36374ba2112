"""The Redis server that every worker and replica shares (``TRIGLOT_REDIS_URL``), reached so that an outage
never stalls triglot nor stops it.

Each user of Redis (the translation cache, the service's rate limiter) has its own ``RedisStore``: one
connection pool and one account of the outage. Timeouts are short, so a Redis that stopped answering costs
a call half a second at most; after a failure the store answers ``StoreUnavailable`` at once, without
touching the network, and lets one call try again each second, so it recovers by itself when Redis is back.
An outage is logged once when it starts and once when it ends, never per call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from .errors import ConfigurationError, StoreUnavailable

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)
logging.getLogger("toolkit").addHandler(logging.NullHandler())

# Redis on the same network answers in a millisecond; half a second is an outage, not a slow reply.
CONNECT_TIMEOUT_S = 0.5
READ_TIMEOUT_S = 0.5
# While Redis is down, one call a second tries again; the others fail at once.
RETRY_INTERVAL_S = 1.0

T = TypeVar("T")


def describe(url: str) -> str:
    """The URL without its user name and password, for logs and reports."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = parts.hostname or "localhost"
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class RedisStore:
    """A client for one Redis server that never waits long and says when the server is down.

    ``purpose`` names the user in the log ("translation cache"); ``consequence`` says what happens while
    Redis is down ("translating without it")."""

    def __init__(
        self, url: str, *, purpose: str, consequence: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        import redis  # some 0.2 s, paid only where TRIGLOT_REDIS_URL is set
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.where = describe(url)
        self.purpose = purpose
        self._consequence = consequence
        self._clock = clock
        self._errors: tuple[type[Exception], ...] = (redis.RedisError,)
        try:
            self.client: redis.Redis = redis.Redis.from_url(
                url,
                socket_connect_timeout=CONNECT_TIMEOUT_S,
                socket_timeout=READ_TIMEOUT_S,
                # No retries inside the client (redis-py 6 retries three times by default): the store
                # decides when to try again, so a dead Redis costs one timeout, not four.
                retry=Retry(NoBackoff(), 0),
                retry_on_timeout=False,
            )
        except ValueError as error:  # a port that is not a number, an unknown option
            raise ConfigurationError(
                f"TRIGLOT_REDIS_URL cannot be used ({error}); give it as redis://[:PASSWORD@]HOST:PORT/DB, "
                "rediss://... or unix:///PATH"
            ) from None
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self.problem: str | None = None  # why Redis cannot be used now, while it cannot

    def run(self, operation: Callable[[redis.Redis], T]) -> T:
        """``operation``'s result on the client, or ``StoreUnavailable``: at once while Redis is down and
        not due for another try, or after at most a timeout when it fails now."""
        with self._lock:
            if self.problem is not None:
                now = self._clock()
                if now < self._retry_at:
                    raise StoreUnavailable(self.problem)
                self._retry_at = now + RETRY_INTERVAL_S  # this call tries; others fail fast meanwhile
        try:
            result = operation(self.client)
        except self._errors as error:
            raise StoreUnavailable(self._failed(error)) from None
        if self.problem is not None:
            self._recovered()
        return result

    def ping(self) -> str | None:
        """Ask Redis now (unless a try is not due yet); the problem, if any."""
        try:
            self.run(lambda client: client.ping())
        except StoreUnavailable:
            pass
        return self.problem

    def _failed(self, error: Exception) -> str:
        with self._lock:
            self._retry_at = self._clock() + RETRY_INTERVAL_S
            if self.problem is None:
                self.problem = (
                    f"Redis at {self.where} cannot be used ({_reason(error)}); "
                    "check that it runs and that TRIGLOT_REDIS_URL points to it"
                )
                logger.warning("%s: %s; %s until it answers again", self.purpose, self.problem, self._consequence)
            return self.problem

    def _recovered(self) -> None:
        with self._lock:
            if self.problem is not None:
                self.problem = None
                # A warning too, not info: whoever saw the outage in the log sees its end beside it.
                logger.warning("%s: Redis at %s answers again", self.purpose, self.where)


def _reason(error: Any) -> str:
    text = str(error).strip() or type(error).__name__
    return text.rstrip(".")
