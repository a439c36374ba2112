"""What every POST does before its work: read the body, refuse text no encoder takes, check
the key and the rate limit, and validate the fields. All of it before any cache or engine.

LibreTranslate's routes take JSON or a form (libretranslatepy and its web page send
forms); triglot's own take JSON. A body that is not what the route reads gets one
stable 400 message, never a parser's internal text.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile
from starlette.requests import Request

from .auth import address_of, sent_key
from .errors import ServiceError, bad_request, validation_message
from .limits import check_strings
from .state import state_of

M = TypeVar("M", bound=BaseModel)

MAX_FORM_FIELDS = 32
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
NOT_JSON = "Invalid JSON format"  # LibreTranslate's wording
NOT_AN_OBJECT = "Invalid request: the body must be a JSON object"
BAD_FORM = "Invalid request: the form could not be read (send UTF-8 text fields)"


async def accept(request: Request, model: type[M], *, forms: bool = False) -> M:
    """The request's fields as ``model``, or the 4xx that says why not."""
    return await admit(request, await _read(request, forms=forms), model)


async def admit(request: Request, data: dict[str, Any], model: type[M]) -> M:
    """Fields a route read itself (``/translate_file``'s form, around the file) as ``model``: the same
    checks as ``accept``, in the same order (text, key, rate limit, then the fields)."""
    check_strings(data)
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


async def _read(request: Request, *, forms: bool) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if forms and content_type in _FORMS:
        return await _form(request, content_type)
    body = await request.body()
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, NaN, nesting past the parser's depth
        raise bad_request(NOT_JSON) from None
    if not isinstance(data, dict):
        raise bad_request(NOT_AN_OBJECT)
    return data


async def _form(request: Request, content_type: str) -> dict[str, Any]:
    if content_type == "multipart/form-data":
        try:
            form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        except Exception:  # python-multipart's and Starlette's parse errors have no common base
            raise bad_request(BAD_FORM) from None
        values = dict(form.items())
        if any(isinstance(value, UploadFile) for value in values.values()):
            raise bad_request("Invalid request: files are not taken here")
        return values
    body = await request.body()
    try:
        # Strict UTF-8 both ways: a percent-encoded lone surrogate (%ED%A0%80) is refused here.
        text = body.decode("utf-8")
        return dict(parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FORM_FIELDS))
    except ValueError:  # UnicodeDecodeError included
        raise bad_request(BAD_FORM) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
