"""uvicorn's h11 protocol with a time limit on each request's headers.

uvicorn starts its keep-alive timer only after a response and stops it at the first
byte of the next request, so a connection that sends nothing, or trickles its
headers a byte at a time (slowloris), holds one of ``TRIGLOT_MAX_CONNECTIONS`` for
ever: 256 such connections and every real client gets 503. Here a timer starts when
the connection opens and after each response, and only complete headers stop it; it
runs as long as the keep-alive timeout (``TRIGLOT_KEEP_ALIVE_TIMEOUT``), which is
what uvicorn hands every protocol. ``serving.uvicorn_options`` names this class.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol


class HeaderTimeoutH11Protocol(H11Protocol):
    _header_timer: asyncio.TimerHandle | None = None
    _cycle_seen: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._request_began():
            self._stop_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may begin a pipelined request at once
        if not self._request_began() and not self.transport.is_closing():
            self._start_header_timer()  # the next request's headers, if one comes, have as long

    def _request_began(self) -> bool:
        """Whether a request's headers were completed since the last look (uvicorn made its cycle)."""
        if self.cycle is self._cycle_seen:
            return False
        self._cycle_seen = self.cycle
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._stop_header_timer()
        self._header_timer = self.loop.call_later(self.timeout_keep_alive, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()
