"""The service at the edge: oversize bodies refused unread, uvicorn's limits set, forwarded
headers believed only from trusted proxies, and failed keys rate-limited, on real servers.

Raw sockets where a client must send headers without the body they announce, or hold a
connection open: httpx would send the body, or pool the connection away.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator, Mapping, Sequence
from unittest import mock

import httpx
import pytest

from service import ServiceSettings, create_app, hash_key, uvicorn_options
from service.config import DEFAULT_MAX_BODY_BYTES
from service.proxies import TrustedProxies, parse_networks
from tests.service_server import running
from toolkit import Settings
from toolkit.cli import main
from toolkit.errors import ConfigurationError

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


# --- uvicorn's limits -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def short_keep_alive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory, ServiceSettings(keep_alive_timeout=1.0))


def test_a_connection_that_sends_nothing_is_closed_after_the_timeout(short_keep_alive: str) -> None:
    with connect(short_keep_alive) as sock:
        opened = time.monotonic()
        sock.settimeout(3.0)
        assert sock.recv(1) == b""  # closed by the server, no request ever sent
        assert 0.5 <= time.monotonic() - opened < 3.0


def test_headers_trickled_a_byte_at_a_time_are_cut_off_at_the_timeout(short_keep_alive: str) -> None:
    """Slowloris: every byte resets no timer; only complete headers stop it."""
    head = request_head("GET", "/health", {"X-Padding": "x" * 40})
    with connect(short_keep_alive) as sock:
        opened = time.monotonic()
        closed_after = None
        for byte in head[:-4]:  # never the blank line that ends the headers
            try:
                sock.sendall(bytes([byte]))
                time.sleep(0.05)
                sock.setblocking(False)
                if sock.recv(1) == b"":
                    closed_after = time.monotonic() - opened
                    break
            except BlockingIOError:
                pass
            except OSError:
                closed_after = time.monotonic() - opened
                break
            finally:
                sock.setblocking(True)
            if time.monotonic() - opened > 4.0:
                break
    assert closed_after is not None and 0.5 <= closed_after < 3.0


def test_a_slow_answer_is_not_cut_off_and_keep_alive_still_serves_the_next_request(short_keep_alive: str) -> None:
    with connect(short_keep_alive) as sock:
        for _ in range(2):
            time.sleep(0.6)  # within the timeout, each time: the timer starts again after each answer
            sock.sendall(request_head("GET", "/health"))
            assert read_answer(sock)[0] == 200


def test_an_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout(short_keep_alive: str) -> None:
    with connect(short_keep_alive) as sock:
        sock.sendall(request_head("GET", "/health"))
        assert read_answer(sock)[0] == 200
        answered = time.monotonic()
        sock.settimeout(3.0)  # uvicorn's own default (5 s) would run past this
        assert sock.recv(1) == b""  # closed by the server
        idle = time.monotonic() - answered
    assert 0.5 <= idle < 3.0


CAP = 2


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A long keep-alive, so the held connections stay open for the whole test.
    settings = ServiceSettings(max_connections=CAP, keep_alive_timeout=30.0, max_header_bytes=2048)
    yield from serve(tmp_path_factory, settings)


def test_connections_past_the_cap_get_503_and_capacity_returns_when_one_closes(capped: str) -> None:
    with contextlib.ExitStack() as stack:
        held: list[socket.socket] = []
        deadline = time.monotonic() + 10  # the start-up check's connection may take a moment to go
        while len(held) < CAP:
            assert time.monotonic() < deadline, "the cap refused connections below it"
            sock = stack.enter_context(connect(capped))
            sock.sendall(request_head("GET", "/health"))
            if read_answer(sock)[0] == 200:
                held.append(sock)
            else:
                sock.close()
                time.sleep(0.05)
        with connect(capped) as extra:
            extra.sendall(request_head("GET", "/health"))
            status, _, body = read_answer(extra)
        assert (status, body) == (503, b"Service Unavailable")
    deadline = time.monotonic() + 10
    while httpx.get(capped + "/health").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_header_block_still_incomplete_past_the_header_limit_is_refused(capped: str) -> None:
    with connect(capped) as sock:
        sock.sendall(request_head("GET", "/health", {"X-Pad": "x" * 1000}))
        assert read_answer(sock)[0] == 200  # under the limit
    with connect(capped) as sock:
        # h11 counts what it holds while the headers are incomplete: past the limit it
        # answers at once, without waiting for an end that may never come.
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"x" * 3000)
        assert read_answer(sock)[0] == 400


def test_uvicorn_is_given_every_limit_and_no_proxy_trust_of_its_own() -> None:
    settings = ServiceSettings(keep_alive_timeout=3.0, max_connections=9, max_header_bytes=4096, shutdown_timeout=7.0)
    options = uvicorn_options(settings)
    assert options["timeout_keep_alive"] == 3.0
    assert options["h11_max_incomplete_event_size"] == 4096
    assert options["timeout_graceful_shutdown"] == 7.0
    assert options["proxy_headers"] is False and options["http"] == "service.protocol:HeaderTimeoutH11Protocol"
    assert options["limit_concurrency"] == 10  # uvicorn counts the arriving connection too


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_passes_the_limits_to_uvicorn(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setenv("TRIGLOT_KEEP_ALIVE_TIMEOUT", "2.5")
    monkeypatch.setenv("TRIGLOT_MAX_CONNECTIONS", "40")
    with mock.patch.dict(os.environ):  # several workers get the settings through os.environ
        assert main(["serve", "--workers", str(workers)]) == 0
    (options,) = calls
    expected = uvicorn_options(ServiceSettings(keep_alive_timeout=2.5, max_connections=40))
    assert {name: options[name] for name in expected} == expected


def test_defaults_are_finite_and_no_proxy_is_trusted() -> None:
    settings = ServiceSettings.from_env({})
    assert settings.trusted_proxies == ()
    for value in (settings.keep_alive_timeout, settings.max_connections, settings.max_header_bytes,
                  settings.shutdown_timeout):
        assert 0 < value < float("inf")


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({"TRIGLOT_TRUSTED_PROXIES": "10.0.0.1, proxy.example"}, "TRIGLOT_TRUSTED_PROXIES: 'proxy.example' is not"),
        ({"TRIGLOT_TRUSTED_PROXIES": "10.0.0.5/8"}, "TRIGLOT_TRUSTED_PROXIES: '10.0.0.5/8' is not"),
        ({"TRIGLOT_MAX_CONNECTIONS": "0"}, "TRIGLOT_MAX_CONNECTIONS must be at least 1"),
        ({"TRIGLOT_KEEP_ALIVE_TIMEOUT": "0"}, "TRIGLOT_KEEP_ALIVE_TIMEOUT must be above 0"),
        ({"TRIGLOT_MAX_HEADER_BYTES": "100"}, "TRIGLOT_MAX_HEADER_BYTES must be at least 1024"),
    ],
)
def test_bad_server_settings_name_the_variable(environ: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigurationError, match=words):
        ServiceSettings.from_env(environ)


# --- forwarded headers ----------------------------------------------------------------------


def detect(base: str, headers: Mapping[str, str] | None = None) -> int:
    return httpx.post(base + "/detect", json={"q": "Trade grew."}, headers=headers).status_code


def made_up(n: int) -> dict[str, str]:
    """Every forwarded header, each naming a different client on every call."""
    return {"X-Forwarded-For": f"203.0.113.{n}", "X-Real-IP": f"198.51.100.{n}", "Forwarded": f"for=192.0.2.{n}"}


@pytest.fixture(scope="module")
def untrusting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory, ServiceSettings(rate_limit=2))


def test_a_client_cannot_leave_its_rate_limit_with_made_up_forwarded_headers(untrusting: str) -> None:
    assert [detect(untrusting, made_up(n)) for n in range(3)] == [200, 200, 429]


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory, ServiceSettings(rate_limit=2, trusted_proxies=("127.0.0.0/8",)))


@pytest.mark.parametrize(
    ("header", "form"),
    [("X-Forwarded-For", "{}"), ("X-Real-IP", "{}"), ("Forwarded", 'for="{}:4711";proto=https')],
)
def test_a_trusted_proxy_names_the_client_the_rate_limit_counts(behind_proxy: str, header: str, form: str) -> None:
    net = ["X-Forwarded-For", "X-Real-IP", "Forwarded"].index(header)  # each case its own clients
    first, second = (form.format(f"10.{net}.0.{host}") for host in (1, 2))
    assert [detect(behind_proxy, {header: first}) for _ in range(3)] == [200, 200, 429]
    assert detect(behind_proxy, {header: second}) == 200  # another client behind the same proxy


def test_the_forwarded_scheme_is_believed_only_from_a_trusted_proxy(untrusting: str, behind_proxy: str) -> None:
    def redirected_to(base: str) -> str:
        # Starlette's trailing-slash redirect writes the scheme it was given into Location.
        answer = httpx.get(base + "/health/", headers={"X-Forwarded-Proto": "https"})
        assert answer.status_code == 307
        return answer.headers["location"]

    assert redirected_to(untrusting).startswith("http://")
    assert redirected_to(behind_proxy).startswith("https://")


TRUSTED = ("127.0.0.1", "10.0.0.0/8")


@pytest.mark.parametrize(
    ("peer", "headers", "client"),
    [
        ("127.0.0.1", [(b"x-forwarded-for", b"203.0.113.9")], "203.0.113.9"),
        ("192.0.2.1", [(b"x-forwarded-for", b"203.0.113.9")], "192.0.2.1"),  # not a proxy of ours
        ("127.0.0.1", [], "127.0.0.1"),
        # From the right, the nearest address that is not a proxy: the left part is made up.
        ("127.0.0.1", [(b"x-forwarded-for", b"6.6.6.6, 203.0.113.9, 10.1.2.3")], "203.0.113.9"),
        ("127.0.0.1", [(b"x-forwarded-for", b"6.6.6.6"), (b"x-forwarded-for", b"203.0.113.9")], "203.0.113.9"),
        ("127.0.0.1", [(b"x-forwarded-for", b"10.0.0.1, 10.0.0.2")], "10.0.0.1"),  # proxies all the way
        ("127.0.0.1", [(b"x-forwarded-for", b"203.0.113.9, nonsense")], "127.0.0.1"),  # an unreadable hop
        ("127.0.0.1", [(b"x-forwarded-for", b"203.0.113.9:5123")], "203.0.113.9"),
        ("127.0.0.1", [(b"x-real-ip", b"203.0.113.9")], "203.0.113.9"),
        ("127.0.0.1", [(b"x-real-ip", b"6.6.6.6"), (b"x-forwarded-for", b"203.0.113.9")], "203.0.113.9"),
        ("127.0.0.1", [(b"forwarded", b'for="[2001:db8::17]:4711";proto=https, for=10.0.0.3')], "2001:db8::17"),
        ("127.0.0.1", [(b"forwarded", b"for=192.0.2.60;proto=http;by=203.0.113.43")], "192.0.2.60"),
        ("127.0.0.1", [(b"forwarded", b"for=unknown")], "127.0.0.1"),
        ("::ffff:127.0.0.1", [(b"x-forwarded-for", b"203.0.113.9")], "203.0.113.9"),  # a dual-stack socket
    ],
)
def test_the_client_behind_trusted_proxies(peer: str, headers: Sequence[tuple[bytes, bytes]], client: str) -> None:
    assert TrustedProxies(parse_networks(TRUSTED)).client(peer, headers) == client


def test_with_no_trusted_proxy_no_header_is_read() -> None:
    assert TrustedProxies(()).client("127.0.0.1", [(b"x-forwarded-for", b"203.0.113.9")]) == "127.0.0.1"


# --- failed keys ----------------------------------------------------------------------------

KEY = "the-right-key"


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory, ServiceSettings(api_keys=(hash_key(KEY),), rate_limit=2))


def test_guessing_keys_is_rate_limited_per_address(keyed: str) -> None:
    guesses = [detect(keyed, {"X-API-Key": f"guess-{n}"}) for n in range(3)]
    assert guesses == [403, 403, 429]
    assert detect(keyed) == 429  # no key at all: the same address, the same bucket
    assert detect(keyed, {"X-API-Key": KEY}) == 200  # the right key has a bucket of its own

