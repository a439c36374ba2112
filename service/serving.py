"""What uvicorn is told: its limits from ``ServiceSettings``, so none is left at a default we did not pick.

``triglot serve`` passes these to ``uvicorn.run`` (one worker or many) and the tests'
server to ``uvicorn.Config``, so what is tested is what runs. Nothing here imports
uvicorn: it is a mapping of names.
"""

from __future__ import annotations

from typing import Any

from .config import ServiceSettings


def uvicorn_options(settings: ServiceSettings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` or ``uvicorn.Config``, besides the app, host, port and workers."""
    return {
        # h11, whatever else is installed: httptools has no limit on header size, and the
        # body limit's answer before "100 Continue" is checked against h11's behaviour;
        # with a time limit on each request's headers (service.protocol).
        "http": "service.protocol:HeaderTimeoutH11Protocol",
        "timeout_keep_alive": settings.keep_alive_timeout,
        # uvicorn refuses a request once the open connections, the arriving one included,
        # reach limit_concurrency: one more than the cap serves exactly the cap.
        "limit_concurrency": settings.max_connections + 1,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_graceful_shutdown": settings.shutdown_timeout,
        # Forwarded headers are read by the app, from TRIGLOT_TRUSTED_PROXIES only
        # (service.proxies); uvicorn's own reading would trust 127.0.0.1 by default.
        "proxy_headers": False,
    }
