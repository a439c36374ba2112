"""The routes: LibreTranslate's API, and triglot's own endpoints."""

from __future__ import annotations

from typing import Any

from ..schemas import Error

_DESCRIPTIONS = {
    400: "Invalid request: bad JSON, form or query string, a wrong type, a missing field, NUL or a lone "
    "surrogate, an unsupported language, or a configured limit passed",
    401: "An API key is required",
    403: "Invalid API key",
    413: "The request body is too large",
    429: "Slow down: rate limit reached (see Retry-After)",
    500: "Internal error (details only in the server log)",
    503: "Busy (no inference slot), past the deadline, or not ready (see Retry-After)",
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "string"}}}

# Every status a route can answer is declared: clients and schemathesis rely on it.
POST_ERRORS = (400, 401, 403, 413, 429, 500, 503)
GET_ERRORS = (413, 500)


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, all shaped ``{"error": "..."}``."""
    declared: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        declared[code] = {"model": Error, "description": _DESCRIPTIONS[code]}
        if code in (429, 503):
            declared[code]["headers"] = _RETRY_AFTER
    return declared
