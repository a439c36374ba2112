"""What every POST does before its work: read the fields, refuse text no encoder takes and
normalise format controls, check the key and the rate limit, and validate the fields. All of
it before any cache or engine.

Where the fields come from, in LibreTranslate 1.9.6's order (its ``request.is_json`` and
``request.values``), so every client that works against LibreTranslate works here:

1. A body whose Content-Type is JSON (``application/json``, ``application/*+json``): that
   JSON object, and only it; the URL's query string is not read.
2. Otherwise each field from the URL's query string first, then from the form body
   (``application/x-www-form-urlencoded`` or ``multipart/form-data``); a field given twice
   counts once, its first value. deep-translator sends everything in the query string with
   an empty body and no Content-Type; libretranslatepy and LibreTranslate's page send forms.
3. A non-empty body under any other Content-Type, or none, is read as JSON, as triglot always
   has (LibreTranslate ignores such a body): ``curl --data-binary '{...}'`` without a header
   still works. An empty body leaves the query string alone.

A body that is not what it says gets one stable 400 message, never a parser's internal text.
A form or query field is one text: a list (``q``, ``targets``) comes as JSON, or ``targets``
as ``en,zh``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from .auth import address_of, sent_key
from .characters import clean_strings
from .errors import ServiceError, bad_request, validation_message
from .state import state_of

M = TypeVar("M", bound=BaseModel)

MAX_FORM_FIELDS = 32
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
NOT_JSON = "Invalid JSON format"  # LibreTranslate's wording
NOT_AN_OBJECT = "Invalid request: the body must be a JSON object"
BAD_FORM = "Invalid request: the form could not be read (send UTF-8 text fields)"
BAD_QUERY = "Invalid request: the URL's query string could not be read (send UTF-8, percent-encoded)"


async def accept(request: Request, model: type[M]) -> M:
    """The request's fields as ``model``, or the 4xx that says why not."""
    return await admit(request, await read_fields(request), model)


async def admit(request: Request, fields: dict[str, Any], model: type[M]) -> M:
    """Fields a route read itself (``/translate_file``'s form, around the file) as ``model``: the same
    checks as ``accept``, in the same order (text, key, rate limit, then the fields)."""
    data = clean_strings(fields)
    state = state_of(request)
    try:
        identity = state.access.identify(request, sent_key(request, data.get("api_key")))
    except ServiceError:
        # A missing or wrong key counts against the client's address: past the limit
        # the answer is 429, whatever key comes next, so keys cannot be guessed at speed.
        await state.rate_limiter.admit(address_of(request))
        raise
    await state.rate_limiter.admit(identity)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise bad_request(validation_message(list(error.errors()))) from None


async def read_fields(request: Request) -> dict[str, Any]:
    """The request's fields, from where LibreTranslate reads them (see the module's docstring)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if _is_json(content_type):
        return _json(await request.body())
    if content_type in (_FORM, _MULTIPART):
        form = await (_multipart(request) if content_type == _MULTIPART else _urlencoded(request))
        return {**form, **_query(request)}  # the query string's value wins, as in request.values
    body = await request.body()
    if body.strip():
        return _json(body)
    return _query(request)


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, NaN, nesting past the parser's depth
        raise bad_request(NOT_JSON) from None
    if not isinstance(data, dict):
        raise bad_request(NOT_AN_OBJECT)
    return data


def form_fields(request: Request, form: FormData) -> dict[str, Any]:
    """The text fields of a form a route read itself (``/translate_file``'s, around its file), with
    the query string's values first, as ``read_fields`` takes them."""
    texts = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    return {**_first_values(texts), **_query(request)}


def _query(request: Request) -> dict[str, Any]:
    raw: bytes = request.scope.get("query_string", b"")
    try:
        return _first_values(_pairs(raw.decode("utf-8")))
    except ValueError:  # UnicodeDecodeError included
        raise bad_request(BAD_QUERY) from None


async def _urlencoded(request: Request) -> dict[str, Any]:
    body = await request.body()
    try:
        return _first_values(_pairs(body.decode("utf-8")))
    except ValueError:  # UnicodeDecodeError included
        raise bad_request(BAD_FORM) from None


async def _multipart(request: Request) -> dict[str, Any]:
    try:
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    except Exception:  # python-multipart's and Starlette's parse errors have no common base
        raise bad_request(BAD_FORM) from None
    pairs = form.multi_items()
    if any(isinstance(value, UploadFile) for _, value in pairs):
        raise bad_request("Invalid request: files are not taken here")
    return _first_values(pairs)


def _pairs(text: str) -> list[tuple[str, str]]:
    # Strict UTF-8 after percent-decoding: a percent-encoded lone surrogate (%ED%A0%80) is refused.
    return parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FORM_FIELDS)


def _first_values(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A field given more than once counts once, with its first value (as Werkzeug's ``MultiDict.get``)."""
    fields: dict[str, Any] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
