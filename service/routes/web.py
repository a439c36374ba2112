"""The web page for editors at ``/``: plain HTML, CSS and JavaScript shipped in ``service/web``.

Everything the page loads comes from this server (no CDN, no web font), and its
Content-Security-Policy says so to the browser: scripts, styles, images and API calls
from this origin only, so the page works offline and text it shows cannot run. It
calls the documented API like any client. ``TRIGLOT_WEB=0`` leaves this router out.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from ..errors import ServiceError

WEB_FOLDER = Path(__file__).resolve().parent.parent / "web"
PAGE = "index.html"
# Only 'self' (and 'none' for what the page never uses): a translated text holding
# <script> or an inline handler is inert, and nothing is fetched from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'self'; object-src 'none'"
)
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # A new version of triglot must not run last version's scripts: check each time (cheap, local).
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


def shipped_files(folder: Path = WEB_FOLDER) -> dict[str, Path]:
    """The page's files by name: the folder's files of the known kinds, and nothing else (no sub-folder,
    no path from a request)."""
    return {path.name: path for path in sorted(folder.iterdir()) if path.is_file() and path.suffix in MEDIA_TYPES}


def _file_answer(path: Path) -> Response:
    return Response(path.read_bytes(), media_type=MEDIA_TYPES[path.suffix], headers=_HEADERS)


@router.get("/")
async def page() -> Response:
    return _file_answer(WEB_FOLDER / PAGE)


@router.get("/web/{name}")
async def page_file(name: str) -> Response:
    path = shipped_files().get(name)
    if path is None or name == PAGE:
        raise ServiceError(404, "Not Found")
    return _file_answer(path)
