"""``GET /metrics``: the service's metrics in Prometheus's text format, mounted only when they are on.

Like LibreTranslate's ``--metrics-auth-token``, a token can guard it: with
``TRIGLOT_METRICS_TOKEN`` set, a scrape must send ``Authorization: Bearer TOKEN``
(Prometheus: ``authorization: {credentials: TOKEN}`` in the scrape config), else 401.
As for API keys, the setting holds the token's SHA-256 digest, and the sent token is
hashed and compared in constant time. Neither the rate limit nor the inference slots
apply: a scrape must get through when the service is busiest, and it costs a read of
counters. It is left out of the OpenAPI schema, which is the clients' contract.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from ..auth import hash_key
from ..errors import ServiceError
from ..request_metrics import METRICS_PATH
from ..state import state_of

router = APIRouter()

TOKEN_REQUIRED = "a token is required: send it as 'Authorization: Bearer TOKEN'"
TOKEN_INVALID = "Invalid metrics token"


@router.get(METRICS_PATH, include_in_schema=False)
async def metrics(request: Request) -> Response:
    state = state_of(request)
    if state.settings.metrics_token:
        _check_token(request, state.settings.metrics_token)
    if state.metrics is None:  # mounted without metrics: not reached through create_app
        raise ServiceError(404, "Not Found")
    recorder = state.metrics
    # Several workers: the exposition reads every worker's files; not on the event loop.
    body = await run_in_threadpool(recorder.exposition)
    return Response(body, media_type=recorder.content_type)


def _check_token(request: Request, digest: str) -> None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not credentials.strip():
        raise ServiceError(401, TOKEN_REQUIRED, headers=challenge)
    if not hmac.compare_digest(hash_key(credentials.strip()), digest.lower()):
        raise ServiceError(401, TOKEN_INVALID, headers=challenge)
