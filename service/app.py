"""The app factory: settings in, a FastAPI app out; nothing happens at import time.

``create_app()`` with no arguments reads every setting from ``TRIGLOT_*`` variables,
which is how uvicorn's worker processes build theirs
(``uvicorn --factory service.app:create_app``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from toolkit._version import __version__
from toolkit.settings import Settings
from toolkit.translation import Engine, engine_for

from . import errors
from .config import ServiceSettings, library_settings_for
from .limits import BodyLimit
from .memory import keep_releasing
from .proxies import ForwardedClient, TrustedProxies, parse_networks
from .request_metrics import RequestMetrics
from .routes import files, libretranslate, triglot, web
from .routes import metrics as metrics_route
from .state import ServiceState, state_of_app

if TYPE_CHECKING:
    from .metrics import Metrics

SWEEP_INTERVAL_S = 60.0  # expired translated files are gone within this long of expiring, at most
# A /translate_file body is the file and the form around it: the boundaries, the other fields.
FORM_OVERHEAD_BYTES = 64 * 1024


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Warm up in a thread of its own: /health answers at once, /ready once the packages are loaded."""
    state = state_of_app(app)
    threading.Thread(target=state.warm_up, name="triglot-warm-up", daemon=True).start()
    sweeper = asyncio.create_task(_sweep_files(state)) if state.settings.file_translation else None
    releaser = asyncio.create_task(keep_releasing())
    yield
    releaser.cancel()
    if sweeper is not None:
        sweeper.cancel()
    if state.metrics is not None:
        state.metrics.close()


async def _sweep_files(state: ServiceState) -> None:
    """Delete expired translated files even while no one uploads or downloads (each request sweeps too)."""
    interval = min(SWEEP_INTERVAL_S, state.files.keep_seconds / 2)
    while True:
        await run_in_threadpool(state.files.sweep)
        await asyncio.sleep(interval)


def create_app(
    settings: ServiceSettings | None = None, *, library: Settings | None = None, engine: Engine | None = None
) -> FastAPI:
    """The service. ``library``: the toolkit's settings (home, glossary, decoding); ``engine``: a stand-in for tests."""
    settings = settings or ServiceSettings.from_env()
    library = library or library_settings_for(settings)
    # /docs and /redoc from files installed with the package, not a CDN: they work offline.
    # Swagger UI's validator badge would fetch from validator.swagger.io; it is off.
    app = FastAPIOffline(
        title="triglot",
        version=__version__,
        summary="Translation among English, Chinese and Russian with a domain glossary; LibreTranslate-compatible.",
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None},
    )
    metrics = _metrics() if settings.metrics else None
    app.state.service = ServiceState.create(settings, library, engine or engine_for(library), metrics)
    errors.install(app)
    app.include_router(libretranslate.router)
    app.include_router(files.router)
    app.include_router(triglot.router)
    if settings.web:
        app.include_router(web.router)
    # The last added runs first: the client's address is settled before anything else
    # looks at it, CORS (when on) sees every answer, the body limit comes before any
    # route reads, and the catch-all sits closest to the routes.
    app.add_middleware(errors.CatchAll)
    upload = (settings.max_file_bytes + FORM_OVERHEAD_BYTES, "TRIGLOT_MAX_FILE_BYTES")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, larger={"/translate_file": upload})
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key"],
        )
    if settings.trusted_proxies:
        app.add_middleware(ForwardedClient, proxies=TrustedProxies(parse_networks(settings.trusted_proxies)))
    if metrics is not None:
        app.include_router(metrics_route.router)
        # Outermost: it times and counts what every other layer answers. Given every route,
        # flat, to name the route of a request the router never saw (the body limit refused it).
        routers = [libretranslate.router, files.router, triglot.router, metrics_route.router]
        if settings.web:
            routers.append(web.router)
        routes = [*app.routes, *(route for router in routers for route in router.routes)]
        app.add_middleware(RequestMetrics, metrics=metrics, routes=routes)
    return app


def _metrics() -> Metrics:
    """Imported here, so prometheus_client is imported only when metrics are on, and after
    ``triglot serve`` has set PROMETHEUS_MULTIPROC_DIR."""
    from .metrics import Metrics

    return Metrics()
