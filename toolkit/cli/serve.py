"""The serve command: the HTTP service under uvicorn.

FastAPI, uvicorn and the service are imported inside the handler, so ``triglot
--help`` stays fast. With more than one worker uvicorn starts each from an import
string (``worker_app``), so the settings travel to the workers as ``TRIGLOT_*`` variables.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import InvalidOption
from .common import EXIT_OK, show_library_warnings

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from typing import Any

    from service import ServiceSettings

    from ..settings import Settings


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the HTTP service (LibreTranslate-compatible API)",
        description="Run the HTTP service under uvicorn, bound to loopback unless told otherwise. "
        "Every flag also reads a TRIGLOT_* variable (TRIGLOT_HOST, TRIGLOT_PORT, ...).",
    )
    serve.add_argument("--host", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: 5000)")
    serve.add_argument("--workers", type=int, metavar="N", help="worker processes (default: 1)")
    serve.add_argument(
        "--preload", metavar="L,L", help="load the packages among these languages at start (default: every installed)"
    )
    serve.add_argument(
        "--hash-key",
        action="store_true",
        help="read an API key from standard input, print the SHA-256 digest TRIGLOT_API_KEYS takes, and exit",
    )
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    if args.hash_key:
        return _hash_key()
    import uvicorn

    from service import ServiceSettings, create_app, library_settings_for, metrics_directory, uvicorn_options

    preload = tuple(code.strip() for code in args.preload.split(",") if code.strip()) if args.preload else None
    settings = ServiceSettings.from_env(host=args.host, port=args.port, workers=args.workers, preload=preload)
    library = library_settings_for(settings)  # checked here, once, before any worker starts
    warning = per_worker_warning(settings, library)
    if warning:
        print(f"triglot: warning: {warning}", file=sys.stderr)
    # The server's limits (keep-alive, connections, header size, shutdown, proxies) come
    # from the same settings as the app's, for one worker or many.
    server = uvicorn_options(settings)
    # With metrics on and several workers, a directory where their counts meet, for this run only.
    with metrics_directory(settings):
        if settings.workers == 1:
            uvicorn.run(create_app(settings, library=library), host=settings.host, port=settings.port, **server)
        else:
            os.environ.update(settings.to_env())
            uvicorn.run(
                "toolkit.cli.serve:worker_app",
                factory=True,
                host=settings.host,
                port=settings.port,
                workers=settings.workers,
                **server,
            )
    return EXIT_OK


def worker_app() -> Any:
    """The app in each of uvicorn's worker processes, which never run ``main``: the library's warnings (a
    Redis outage, a damaged cache) reach stderr there too, as in the one-process server."""
    from service import create_app

    show_library_warnings()
    return create_app()


def per_worker_warning(settings: ServiceSettings, library: Settings) -> str | None:
    """What to say when each worker would count the rate limit on its own: without Redis, N workers let a
    client through N times the limit."""
    if settings.workers <= 1 or settings.rate_limit <= 0 or library.redis_url:
        return None
    return (
        f"TRIGLOT_RATE_LIMIT={settings.rate_limit} is counted per worker: with {settings.workers} workers a client "
        f"may get up to {settings.workers * settings.rate_limit} requests a minute ({settings.workers}x the limit); "
        "set TRIGLOT_REDIS_URL to count one limit for every worker and replica"
    )


def _hash_key() -> int:
    from service import hash_key

    key = sys.stdin.readline().rstrip("\r\n")
    if not key:
        raise InvalidOption("give the key on standard input: printf %s \"$KEY\" | triglot serve --hash-key")
    print(hash_key(key))
    return EXIT_OK
