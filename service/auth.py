"""API keys and rate limits.

Keys are never stored: ``TRIGLOT_API_KEYS`` holds their SHA-256 digests, and a key
sent with a request (``Authorization: Bearer KEY``, ``X-API-Key: KEY`` or
LibreTranslate's ``api_key`` field) is hashed and compared in constant time. The
rate limit counts requests per key, or per client address for requests without
one, and a refused key counts against its client's address, so that guessing keys
is rate-limited too. The address is the connection's, or the one a trusted proxy
forwarded (``service.proxies`` settles it before any route runs), never a header
read here. The counts live in this process (``RateLimiter``), or in Redis for every
worker and replica together (``redis_limits``).
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from starlette.requests import Request

from .config import ServiceSettings
from .errors import ServiceError

RATE_WINDOW_S = 60.0
# Clients remembered by the rate limiter; the least recently seen are forgotten first,
# so a flood of new addresses cannot grow memory without bound.
MAX_TRACKED_CLIENTS = 10_000

KEY_MISSING = (
    "an API key is required: send it as 'Authorization: Bearer KEY', 'X-API-Key: KEY' or the api_key field"
)
KEY_INVALID = "Invalid API key"  # LibreTranslate's wording


def hash_key(key: str) -> str:
    """The digest ``TRIGLOT_API_KEYS`` holds for ``key``."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def sent_key(request: Request, field: object) -> str | None:
    """The key a request carries: a header first, then the body's ``api_key`` field."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    header = request.headers.get("x-api-key", "").strip()
    if header:
        return header
    if isinstance(field, str) and field:
        return field
    return None


class Access:
    """Who a request is (a key's digest or a client address), or why it may not come in."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._digests = tuple(d.lower() for d in settings.api_keys)
        self.enabled = bool(self._digests)
        self.required = self.enabled and settings.api_key_required

    def identify(self, request: Request, key: str | None) -> str:
        if not self.enabled or (key is None and not self.required):
            return address_of(request)
        if key is None:
            raise ServiceError(401, KEY_MISSING, headers={"WWW-Authenticate": "Bearer"})
        digest = hash_key(key)
        # Compare with every digest, so the time taken does not tell which one nearly matched.
        matched = False
        for known in self._digests:
            matched = hmac.compare_digest(digest, known) or matched
        if not matched:
            raise ServiceError(403, KEY_INVALID)
        return f"key {digest}"


def address_of(request: Request) -> str:
    """The rate limiter's name for the request's client address."""
    host = request.client.host if request.client else "unknown"
    return f"address {host}"


def slow_down(limit: int, wait: int) -> ServiceError:
    """The answer past the limit: 429, and how many seconds until a request is counted again."""
    return ServiceError(
        429,
        f"Slowdown: rate limit of {limit} requests per minute reached; retry in {wait} s",
        headers={"Retry-After": str(wait)},
    )


class Limiter(Protocol):
    """Counts requests per identity; ``admit`` raises ``ServiceError`` (429, or 503) for one that may not go on."""

    limit: int

    @property
    def problem(self) -> str | None:
        """Why the limit is not counted as it should be now (its store is down); None while it is."""

    async def admit(self, identity: str) -> None: ...


class RateLimiter:
    """At most ``limit`` requests per identity in any 60 seconds (a sliding window); 0 switches it off."""

    problem = None  # counts in memory cannot be out of reach

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._seen: collections.OrderedDict[str, collections.deque[float]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def check(self, identity: str) -> None:
        """Count one request, or raise 429 with the seconds until the oldest one leaves the window."""
        if self.limit <= 0:
            return
        now = self._clock()
        with self._lock:
            times = self._seen.pop(identity, None) or collections.deque()
            self._seen[identity] = times  # most recently seen last
            while times and times[0] <= now - RATE_WINDOW_S:
                times.popleft()
            if len(times) >= self.limit:
                raise slow_down(self.limit, max(1, math.ceil(times[0] + RATE_WINDOW_S - now)))
            times.append(now)
            while len(self._seen) > MAX_TRACKED_CLIENTS:
                self._seen.popitem(last=False)

    async def admit(self, identity: str) -> None:
        self.check(identity)  # memory only: no reason to leave the event loop
