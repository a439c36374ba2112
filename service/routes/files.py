"""LibreTranslate's file translation: ``POST /translate_file`` and ``GET /download_file/<name>``.

The upload is a multipart form (``file``, ``source``, ``target``, ``api_key``), read
whole only after the body limit let it in (``TRIGLOT_MAX_FILE_BYTES`` and a little for
the form; past that 413 while it streams). Then, as for ``/translate``: the key and the
rate limit, the fields, the format, the text's characters (``TRIGLOT_MAX_FILE_CHARS``),
and the translation in an inference slot. The answer is LibreTranslate's,
``{"translatedFileUrl": ".../download_file/<token>.<name>_<target>.<ext>"}``; the
download is the file under the name after the token (``service.files``).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from toolkit.documents import EXTENSIONS, SourceDocument, format_of, read_document, translate_document
from toolkit.errors import InvalidOption
from toolkit.text import AUTO, normalize_language, source_language

from ..errors import ServiceError, bad_request
from ..intake import BAD_FORM, MAX_FORM_FIELDS, admit
from ..schemas import Error, TranslateFileRequest, TranslateFileResponse
from ..state import state_of
from . import POST_ERRORS, errors

router = APIRouter(tags=["LibreTranslate"])

DISABLED = "Files translation are disabled on this server."  # LibreTranslate's wording
NOT_MULTIPART = "Invalid request: send the file as multipart/form-data, in the field 'file'"
NO_SUCH_FILE = "Not Found: no such file; translated files are kept {minutes:g} minutes (TRIGLOT_KEEP_FILES_MINUTES)"

_UPLOAD_SCHEMA = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary", "description": f"the document: {', '.join(EXTENSIONS)}"},
        "source": {"type": "string", "minLength": 1, "description": "en, zh, ru or auto"},
        "target": {"type": "string", "minLength": 1, "description": "en, zh or ru"},
        "api_key": {"type": "string"},
    },
    "required": ["file", "source", "target"],
}


@router.post(
    "/translate_file",
    response_model=TranslateFileResponse,
    responses=errors(*POST_ERRORS),
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _UPLOAD_SCHEMA}}}},
    summary="Translate a file (.txt, .md, .html, .docx)",
)
async def translate_file(request: Request) -> dict[str, str]:
    """The document translated with its layout and formatting kept, the glossary enforced; the answer
    says where to download it (for ``TRIGLOT_KEEP_FILES_MINUTES``)."""
    state = state_of(request)
    settings = state.settings
    if not settings.file_translation:
        raise ServiceError(403, DISABLED)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise bad_request(NOT_MULTIPART)
    try:
        form = await request.form(max_files=1, max_fields=MAX_FORM_FIELDS)
    except Exception:  # python-multipart's and Starlette's parse errors have no common base
        raise bad_request(BAD_FORM) from None
    try:
        fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
        body = await admit(request, fields, TranslateFileRequest)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise bad_request("Invalid request: missing file parameter")
        if not upload.filename:
            raise bad_request("Invalid request: empty file")
        name = upload.filename
        try:
            format_of(name)
        except InvalidOption:
            raise bad_request(f"Invalid request: file format not supported; send one of {', '.join(EXTENSIONS)}") from None
        target = normalize_language(body.target)
        source = source_language(body.source) or AUTO
        data = await upload.read(settings.max_file_bytes + 1)
    finally:
        await form.close()
    if len(data) > settings.max_file_bytes:
        raise ServiceError(413, f"the file is larger than {settings.max_file_bytes} bytes (TRIGLOT_MAX_FILE_BYTES)")
    document: SourceDocument = await state.inference.run(lambda: read_document(data, name=name))
    if document.characters > settings.max_file_chars:
        raise bad_request(
            f"Invalid request: the file holds {document.characters} characters of text; at most "
            f"{settings.max_file_chars} per file (TRIGLOT_MAX_FILE_CHARS)"
        )

    def work() -> tuple[bytes, str]:
        translated = translate_document(
            document, target=target, source=source, settings=state.library, engine=state.engine
        )
        return translated.data, translated.name

    translated, download_name = await state.inference.run(work)
    served = await run_in_threadpool(state.files.save, translated, download_name)
    return {"translatedFileUrl": str(request.url_for("download_file", filename=served))}


@router.get(
    "/download_file/{filename}",
    response_class=Response,
    responses={
        200: {"description": "the translated file, as an attachment", "content": {"application/octet-stream": {}}},
        400: {"model": Error, "description": DISABLED},
        404: {"model": Error, "description": "no such file: never made here, or kept past its time"},
        **errors(413, 500),
    },
    # The name is read from the path by the route itself, as the bodies are: a parameter FastAPI
    # validated would add a 422 to the contract, which no LibreTranslate client expects.
    openapi_extra={"parameters": [{"name": "filename", "in": "path", "required": True, "schema": {"type": "string"}}]},
    summary="Download a translated file",
)
async def download_file(request: Request) -> Response:
    """A file ``/translate_file`` made, under the name it came with plus the target (``report_ru.docx``)."""
    filename: str = request.path_params["filename"]
    state = state_of(request)
    if not state.settings.file_translation:
        raise bad_request(DISABLED)
    found = await run_in_threadpool(state.files.open, filename)
    if found is None:
        raise ServiceError(404, NO_SUCH_FILE.format(minutes=state.settings.keep_files_minutes))
    data, download_name = found
    return Response(
        data,
        media_type=format_of(download_name).media_type,
        headers={"Content-Disposition": content_disposition(download_name)},
    )


def content_disposition(name: str) -> str:
    """An attachment named ``name``: plainly when it is ASCII, else as RFC 6266 spells any other name."""
    if name.isascii():
        return f'attachment; filename="{name}"'
    return f"attachment; filename*=UTF-8''{quote(name, safe='')}"


