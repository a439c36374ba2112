"""Limits checked before any cache lookup or engine call, and the inference slots.

The body limit is an ASGI middleware that reads the body before any route does: a
Content-Length over the limit is refused before a byte of the body is read, and a
body that streams past it (chunked, or no length given) is refused as soon as it
does. Blocking library work runs in worker threads, at most ``inference_slots`` at a
time; a request waits a bounded time for a slot and then gets 503 with Retry-After,
and one whose work outlives the deadline gets 503 too. Its thread runs under a
translation ``Budget`` with the same deadline and the request's token cap: the
engine refuses a request over the cap before translating any of it, and stops an
abandoned one at its next batch, which frees the slot (until then the work still
counts against capacity).
"""

from __future__ import annotations

import asyncio
import math
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any, TypeVar

import anyio
import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from toolkit.translation import Budget, spending

from .config import ServiceSettings
from .errors import ServiceError, bad_request, error_response

T = TypeVar("T")

# After answering 413, read (and drop) up to this much more of the body, for at most
# this long, so a client that is sending it anyway finishes and reads the answer
# (closing with its bytes unread would reset the connection under the answer).
DRAIN_LIMIT_BYTES = 4 * 1024 * 1024
DRAIN_TIMEOUT_S = 5.0
# A body past this size waits in a temporary file; the app reads it back in chunks of this size.
SPOOL_BYTES = 1024 * 1024
REPLAY_CHUNK_BYTES = 64 * 1024

BUSY = "the server is busy: every inference slot is taken; retry later"
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls and DEL; tab, line feed and carriage return are text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, whatever the client declared.

    ``larger``: paths that take more (``/translate_file``), each with its limit and the
    setting that names it. A body past ``SPOOL_BYTES`` waits on disk, not in memory, until
    the route reads it: an upload of many megabytes costs a file, not its size in RAM."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: Mapping[str, tuple[int, str]] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, setting = self.larger.get(scope.get("path", ""), (self.max_bytes, "TRIGLOT_MAX_BODY_BYTES"))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            # Answer before the first receive(): that call is what makes uvicorn send
            # "100 Continue", which would ask the client for the body we refuse.
            await self._refuse(receive, send, limit, setting, more=True)
            return
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as body:
            size = 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # the client left; nobody to answer
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    await self._refuse(receive, send, limit, setting, more=message.get("more_body", False))
                    return
                body.write(chunk)
                if not message.get("more_body", False):
                    break
            body.seek(0)
            await self.app(scope, _replay(body, size, receive), send)

    async def _refuse(self, receive: Receive, send: Send, limit: int, setting: str, *, more: bool) -> None:
        """Send the whole 413 first, then drop what the client may still send, then end the response.

        The answer's bytes (its Content-Length included) are out before the drain, so a
        client that waits for an answer before sending (``Expect: 100-continue``) gets it
        at once; the response ends, and the connection closes, only after the drain."""
        response = error_response(
            413,
            f"the request body is larger than {limit} bytes ({setting})",
            {"Connection": "close"},
        )
        await send({"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body, "more_body": True})
        drained = 0
        with anyio.move_on_after(DRAIN_TIMEOUT_S):
            while more and drained < DRAIN_LIMIT_BYTES:
                message = await receive()
                if message["type"] == "http.disconnect":
                    break
                drained += len(message.get("body", b""))
                more = message.get("more_body", False)
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _replay(body: IO[bytes], size: int, receive: Receive) -> Receive:
    """The body read so far, handed to the app again in chunks; then the client's own messages."""
    finished = False

    async def replay() -> Message:
        nonlocal finished
        if finished:
            return await receive()  # later calls wait for the disconnect, as usual
        chunk = body.read(REPLAY_CHUNK_BYTES)
        finished = body.tell() >= size
        return {"type": "http.request", "body": chunk, "more_body": not finished}

    return replay


def check_strings(data: Any) -> None:
    """Refuse lone surrogates and control characters in any string of a parsed body, keys included.

    pydantic accepts a lone surrogate (JSON ``"\\ud800"``), and every encoder downstream
    crashes on it; control characters are never text a model should see."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            surrogate = _SURROGATE.search(item)
            if surrogate:
                raise bad_request(
                    f"Invalid request: the text holds a lone surrogate (U+{ord(surrogate.group()):04X}), "
                    "which is not valid Unicode"
                )
            control = _CONTROL.search(item)
            if control:
                raise bad_request(
                    f"Invalid request: the text holds a control character (U+{ord(control.group()):04X}); "
                    "only tab, line feed and carriage return are allowed"
                )


def check_texts(texts: Sequence[str], settings: ServiceSettings) -> None:
    """Texts per request, characters per text and per request."""
    if len(texts) > settings.max_batch:
        raise bad_request(
            f"Invalid request: {len(texts)} texts; at most {settings.max_batch} per request (TRIGLOT_MAX_BATCH)"
        )
    longest = max((len(text) for text in texts), default=0)
    if longest > settings.max_text_chars:
        raise bad_request(
            f"Invalid request: a text of {longest} characters; at most {settings.max_text_chars} "
            "per text (TRIGLOT_MAX_TEXT_CHARS)"
        )
    total = sum(len(text) for text in texts)
    if total > settings.max_request_chars:
        raise bad_request(
            f"Invalid request: {total} characters in all; at most {settings.max_request_chars} "
            "per request (TRIGLOT_MAX_REQUEST_CHARS)"
        )


def check_alternatives(count: int, settings: ServiceSettings) -> None:
    if count > settings.max_alternatives:
        raise bad_request(
            f"Invalid request: {count} alternatives; at most {settings.max_alternatives} (TRIGLOT_MAX_ALTERNATIVES)"
        )


def check_article(text: str, settings: ServiceSettings) -> None:
    """The text sent to be summarised."""
    if len(text) > settings.max_summary_chars:
        raise bad_request(
            f"Invalid request: a text of {len(text)} characters; at most {settings.max_summary_chars} "
            "to summarise (TRIGLOT_MAX_SUMMARY_CHARS)"
        )


class Inference:
    """Runs blocking library work in threads: bounded concurrency, bounded wait, a deadline."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.slots = settings.inference_slots
        self.wait = settings.slot_wait
        self.deadline = settings.deadline
        self.max_tokens = settings.max_request_tokens
        self._semaphore: asyncio.Semaphore | None = None
        self._threads: anyio.CapacityLimiter | None = None

    async def run(self, work: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        if self._semaphore is None:  # made here: it belongs to the server's event loop
            self._semaphore = asyncio.Semaphore(self.slots)
            # A thread for each slot: anyio's shared default (40) would cap them below the slots.
            self._threads = anyio.CapacityLimiter(self.slots)
        semaphore = self._semaphore
        retry = {"Retry-After": str(max(1, math.ceil(self.wait)))}
        try:
            await asyncio.wait_for(semaphore.acquire(), self.wait)
        except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
            raise ServiceError(503, BUSY, headers=retry) from None

        # Whoever claims the slot first releases it: the thread when it ran the work,
        # the request when the deadline passed before the thread started.
        claim = threading.Lock()
        owner: list[str] = []
        budget = Budget(self.max_tokens, time.monotonic() + self.deadline, setting="TRIGLOT_MAX_REQUEST_TOKENS")

        def release() -> None:
            loop.call_soon_threadsafe(semaphore.release)

        def in_thread() -> T:
            with claim:
                if owner:
                    raise _Abandoned  # the request has answered 503 already; nobody waits for this
                owner.append("thread")
            try:
                with spending(budget):
                    return work()
            finally:
                release()

        try:
            with anyio.fail_after(self.deadline):
                result = await anyio.to_thread.run_sync(in_thread, abandon_on_cancel=True, limiter=self._threads)
        except TimeoutError:
            with claim:
                if not owner:
                    owner.append("request")
                    semaphore.release()
            raise ServiceError(
                503,
                f"the request took longer than the {self.deadline:g} s deadline (TRIGLOT_DEADLINE); "
                "send less text or retry later",
                headers=retry,
            ) from None
        except BaseException:
            with claim:
                if not owner:
                    owner.append("request")
                    semaphore.release()
            raise
        return result


class _Abandoned(Exception):
    """Work whose request gave up before a thread picked it up."""
