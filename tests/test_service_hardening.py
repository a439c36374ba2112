"""The service at the edge: oversize bodies refused unread, on real servers.

Raw sockets where a client must send headers without the body they announce: httpx
would send the body.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator, Mapping

import pytest

from service import ServiceSettings, create_app
from service.config import DEFAULT_MAX_BODY_BYTES
from tests.service_server import running
from toolkit import Settings

ANSWER_WITHIN_S = 1.0  # an answer that needs no work comes within this, even on a busy machine
MAX_READS = 1000


def serve(factory: pytest.TempPathFactory, settings: ServiceSettings) -> Iterator[str]:
    """A server with no translation packages: every test here goes through /health or /detect."""
    library = Settings.from_env({}, home=factory.mktemp("home"), cache=False)
    with running(create_app(settings, library=library), ready=False) as base:
        yield base


def connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=ANSWER_WITHIN_S)


def request_head(method: str, path: str, headers: Mapping[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def read_answer(sock: socket.socket, within: float = ANSWER_WITHIN_S) -> tuple[int, dict[str, str], bytes]:
    """The first response on ``sock`` (status, headers, body); TimeoutError if it is not whole ``within`` s."""
    deadline = time.monotonic() + within
    data = b""
    for _ in range(MAX_READS):
        head, found, rest = data.partition(b"\r\n\r\n")
        if found:
            status_line, *lines = head.decode("latin-1").split("\r\n")
            headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
            length = int(headers.get("content-length", "0"))
            if len(rest) >= length:
                return int(status_line.split()[1]), headers, rest[:length]
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a whole answer: {data!r}")
        data += chunk
    raise TimeoutError(f"no whole answer within {within} s: {data[:200]!r}")


# --- bodies announced over the limit --------------------------------------------------------


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory, ServiceSettings())


@pytest.mark.parametrize("expect", [False, True], ids=["plain", "expect-100-continue"])
def test_a_declared_oversize_body_is_refused_before_any_of_it_is_sent(default: str, expect: bool) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": "300000"}
    if expect:
        headers["Expect"] = "100-continue"
    with connect(default) as sock:
        sock.sendall(request_head("POST", "/detect", headers))
        status, answered, body = read_answer(sock)  # no body sent: the answer cannot wait for it
    assert status == 413  # and not "100 Continue": that would ask for the body
    assert answered["connection"] == "close"
    assert json.loads(body) == {
        "error": f"the request body is larger than {DEFAULT_MAX_BODY_BYTES} bytes (TRIGLOT_MAX_BODY_BYTES)"
    }
