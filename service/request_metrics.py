"""Every request counted by route template, method and status, and timed: an ASGI middleware.

It sits outside the others, so it sees what they answer too (413 from the body
limit, 500 from the catch-all, CORS preflights). The route is the template the
router matched (``/translate``), taken from the scope once the request is done; a
request that never reached the router (the body limit refused it first) is matched
against the routes here; a path no route has is one label, ``unmatched``, whatever
the path: a label per raw path would grow without end as clients vary it. Methods
outside the usual set are ``other``, for the same reason. Scrapes of ``/metrics``
are not counted: they would count themselves.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "unmatched"
OTHER_METHOD = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
METRICS_PATH = "/metrics"


class Recorder(Protocol):
    def request(self, route: str, method: str, status: int, seconds: float) -> None: ...


class RequestMetrics:
    """Record each HTTP request's route, method, status and duration in ``metrics``."""

    def __init__(self, app: ASGIApp, metrics: Recorder, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        # Flat: an included router (FastAPI keeps some whole) matches without saying which of its routes did.
        self.routes = [route for route in routes if isinstance(getattr(route, "path", None), str)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            # Past the catch-all only when the answer had started; the server closes the connection.
            status = status or 500
            raise
        finally:
            # No status: the client left before any answer (the body limit saw it go); nothing to count.
            if status is not None:
                route = self._template(scope)
                if route != METRICS_PATH:
                    method = scope["method"] if scope["method"] in METHODS else OTHER_METHOD
                    self.metrics.request(route, method, status, time.perf_counter() - started)

    def _template(self, scope: Scope) -> str:
        """The path template of the route that served the request, or of the one that would have."""
        route = scope.get("route")
        if isinstance(route, BaseRoute):
            path = getattr(route, "path", None)
            if isinstance(path, str):
                return path
        partial: str | None = None
        for candidate in self.routes:
            match, _ = candidate.matches(scope)
            if match is Match.FULL:
                return str(getattr(candidate, "path"))
            if match is Match.PARTIAL and partial is None:
                partial = str(getattr(candidate, "path"))  # the path is right, the method is not (405, a preflight)
        return partial or UNMATCHED
