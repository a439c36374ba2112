"""Every error the service answers, as ``{"error": "..."}`` with a stable message and status.

Library errors keep their message (it says what to do) when the fault is the
client's; anything that is the server's fault answers 500 with a fixed message and
goes to the log, so no internal text or traceback reaches a client. Statuses follow
LibreTranslate, whose clients read them: 400 for a bad request of any kind (bad
JSON, wrong types, a limit passed), 401/403 for keys, 413 for an oversized body,
429 for a rate limit, 503 for no capacity.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from toolkit.errors import (
    DeadlinePassed,
    InputError,
    InvalidGlossary,
    ModelNotInstalled,
    TriglotError,
    UnreadableInput,
)

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "internal error"
DEADLINE_PASSED = "the request took longer than its deadline (TRIGLOT_DEADLINE); send less text or retry later"


class ServiceError(Exception):
    """A request the service refuses: the status, the message clients see, and headers such as Retry-After."""

    def __init__(self, status: int, message: str, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def bad_request(message: str) -> ServiceError:
    return ServiceError(400, message)


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=dict(headers or {}))


def from_library(error: TriglotError) -> ServiceError:
    """The client's view of a library error."""
    if isinstance(error, (InvalidGlossary, UnreadableInput)):
        # Glossary files are the server's, not the client's: an operator must fix them.
        logger.error("server-side input failed: %s", error)
        return ServiceError(500, INTERNAL_ERROR)
    if isinstance(error, (InputError, ModelNotInstalled)):
        return ServiceError(400, str(error))
    if isinstance(error, DeadlinePassed):
        return ServiceError(503, DEADLINE_PASSED, headers={"Retry-After": "1"})
    logger.error("library error: %s", error)
    return ServiceError(500, INTERNAL_ERROR)


def install(app: FastAPI) -> None:
    """Route every error raised while handling a request to one JSON shape."""

    async def service_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ServiceError)
        return error_response(error.status, error.message, error.headers)

    async def library_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, TriglotError)
        mapped = from_library(error)
        return error_response(mapped.status, mapped.message)

    async def http_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        # Starlette's own (404, 405): its detail is a fixed phrase, safe to show.
        return error_response(error.status_code, str(error.detail), error.headers)

    async def validation_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        return error_response(400, validation_message(list(error.errors())))

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(TriglotError, library_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def validation_message(errors: list[Any]) -> str:
    """One stable line for pydantic's errors: the first field at fault and what it should be.

    A missing field reads as LibreTranslate says it; the input itself is never echoed."""
    if not errors:
        return "Invalid request"
    first = errors[0]
    location = [str(part) for part in first.get("loc", ()) if part != "body"]
    field = location[0] if location else "body"
    if first.get("type") == "missing":
        return f"Invalid request: missing {field} parameter"
    message = str(first.get("msg", "invalid value"))
    # Custom validators' messages arrive as "Value error, ..."; the prefix says nothing.
    message = message.removeprefix("Value error, ")
    return f"Invalid request: {field}: {message}"


class CatchAll:
    """The last net: an unexpected exception becomes 500 ``{"error": "internal error"}`` and a log entry.

    A pure ASGI middleware rather than an ``Exception`` handler: Starlette re-raises
    after such a handler, and the server would print the traceback a second time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # too late for a clean answer; the server closes the connection
            await error_response(500, INTERNAL_ERROR)(scope, receive, send)
