"""Limits, keys, rate limits, inference slots, the deadline and CORS, on real servers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app, hash_key
from service.auth import RateLimiter
from service.errors import ServiceError
from tests.service_server import library_settings, running
from toolkit.translation import DecodingOptions, Engine
from toolkit.errors import TranslationFailed
from toolkit.translation import InstalledModel

Packages = dict[tuple[str, str], Path]

SMALL = ServiceSettings(
    max_body_bytes=2000,
    max_text_chars=10,
    max_batch=3,
    max_request_chars=25,
    max_alternatives=2,
    max_summary_chars=60,
)


def serve(
    packages: Packages, factory: pytest.TempPathFactory, settings: ServiceSettings, engine: Engine | None = None
) -> Iterator[str]:
    library = library_settings(factory.mktemp("home"), packages, cache=False)
    with running(create_app(settings, library=library, engine=engine)) as base:
        yield base


@pytest.fixture(scope="module")
def small(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tiny_packages, tmp_path_factory, SMALL)


def translate(url: str, q: str | list[str], **extra: object) -> httpx.Response:
    return httpx.post(url + "/translate", json={"q": q, "source": "en", "target": "zh", **extra})


@pytest.mark.parametrize(
    ("q", "extra", "error"),
    [
        ("a" * 10, {}, None),
        ("a" * 11, {}, "Invalid request: a text of 11 characters; at most 10 per text (TRIGLOT_MAX_TEXT_CHARS)"),
        (["a.", "b.", "c."], {}, None),
        (["a.", "b.", "c.", "d."], {}, "Invalid request: 4 texts; at most 3 per request (TRIGLOT_MAX_BATCH)"),
        (["a" * 10, "b" * 10, "c" * 5], {}, None),
        (
            ["a" * 10, "b" * 10, "c" * 6],
            {},
            "Invalid request: 26 characters in all; at most 25 per request (TRIGLOT_MAX_REQUEST_CHARS)",
        ),
        ("a.", {"alternatives": 2}, None),
        ("a.", {"alternatives": 3}, "Invalid request: 3 alternatives; at most 2 (TRIGLOT_MAX_ALTERNATIVES)"),
    ],
)
def test_translate_limits_hold_exactly_at_n_and_refuse_n_plus_1(
    small: str, q: str | list[str], extra: dict[str, object], error: str | None
) -> None:
    answer = translate(small, q, **extra)
    if error is None:
        assert answer.status_code == 200, answer.text
    else:
        assert (answer.status_code, answer.json()) == (400, {"error": error})


@pytest.mark.parametrize(("size", "status"), [(60, 200), (61, 400)])
def test_summary_input_limit_holds_exactly(small: str, size: int, status: int) -> None:
    text = "Trade grew. Exports rose. Imports fell."
    answer = httpx.post(small + "/summarize", json={"text": text.ljust(size)})
    assert answer.status_code == status, answer.text
    if status == 400:
        assert "at most 60 to summarise (TRIGLOT_MAX_SUMMARY_CHARS)" in answer.json()["error"]


def body_of(size: int) -> bytes:
    """A valid /translate body of exactly ``size`` bytes (an ignored field pads it)."""
    start = {"q": "Trade.", "source": "en", "target": "zh", "pad": ""}
    padding = size - len(json.dumps(start).encode())
    return json.dumps({**start, "pad": "x" * padding}).encode()


def chunks(data: bytes, size: int = 300) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize(("size", "status"), [(2000, 200), (2001, 413)])
def test_body_limit_holds_exactly_whether_declared_or_streamed(small: str, chunked: bool, size: int, status: int) -> None:
    data = body_of(size)
    assert len(data) == size
    headers = {"content-type": "application/json"}
    content = chunks(data) if chunked else data
    answer = httpx.post(small + "/translate", content=content, headers=headers)
    assert answer.status_code == status, answer.text
    if status == 413:
        assert answer.json() == {"error": "the request body is larger than 2000 bytes (TRIGLOT_MAX_BODY_BYTES)"}
    assert httpx.get(small + "/health").status_code == 200


def test_a_huge_declared_body_is_refused_before_it_is_read(small: str) -> None:
    data = b"x" * 500_000
    answer = httpx.post(small + "/detect", content=data, headers={"content-type": "application/json"})
    assert answer.status_code == 413


def test_frontend_settings_report_the_character_limit(small: str) -> None:
    assert httpx.get(small + "/frontend/settings").json()["charLimit"] == 10


# --- keys -------------------------------------------------------------------------------------

KEY, OTHER_KEY = "the-right-key", "another-key"


@pytest.fixture(scope="module")
def keyed(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tiny_packages, tmp_path_factory, ServiceSettings(api_keys=(hash_key(KEY),)))


@pytest.mark.parametrize(
    ("headers", "field", "status"),
    [
        ({}, None, 401),
        ({"Authorization": "Bearer wrong"}, None, 403),
        ({"X-API-Key": "wrong"}, None, 403),
        ({}, "wrong", 403),
        ({"Authorization": f"Bearer {KEY}"}, None, 200),
        ({"authorization": f"bearer {KEY}"}, None, 200),
        ({"X-API-Key": KEY}, None, 200),
        ({}, KEY, 200),
    ],
)
def test_keys_are_required_and_checked_from_headers_or_the_api_key_field(
    keyed: str, headers: dict[str, str], field: str | None, status: int
) -> None:
    body: dict[str, object] = {"q": "Trade.", "source": "en", "target": "zh"}
    if field is not None:
        body["api_key"] = field
    answer = httpx.post(keyed + "/translate", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    if status == 401:
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["error"].startswith("an API key is required")
    if status == 403:
        assert answer.json() == {"error": "Invalid API key"}


def test_libretranslatepy_sends_its_key_in_the_form(keyed: str) -> None:
    from libretranslatepy import LibreTranslateAPI

    assert LibreTranslateAPI(keyed, api_key=KEY).translate("Trade.", "en", "zh") == "Trade."
    with pytest.raises(Exception, match="403"):
        LibreTranslateAPI(keyed, api_key="wrong").translate("Trade.", "en", "zh")


def test_reading_endpoints_need_no_key_and_the_page_is_told_one_is_required(keyed: str) -> None:
    assert httpx.get(keyed + "/languages").status_code == 200
    settings = httpx.get(keyed + "/frontend/settings").json()
    assert settings["apiKeys"] is True and settings["keyRequired"] is True


# --- rate limits ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = ServiceSettings(api_keys=(hash_key(KEY), hash_key(OTHER_KEY)), api_key_required=False, rate_limit=2)
    yield from serve(tiny_packages, tmp_path_factory, settings)


def test_rate_limit_counts_per_key_and_per_address_and_says_when_to_retry(limited: str) -> None:
    def detect(key: str | None) -> httpx.Response:
        headers = {"X-API-Key": key} if key else {}
        return httpx.post(limited + "/detect", json={"q": "Trade grew."}, headers=headers)

    assert [detect(KEY).status_code for _ in range(2)] == [200, 200]
    refused = detect(KEY)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"].startswith("Slowdown: rate limit of 2 requests per minute reached")
    assert detect(OTHER_KEY).status_code == 200  # a bucket of its own
    assert detect("wrong").status_code == 403  # optional keys are still checked, against the address's bucket
    assert [detect(None).status_code for _ in range(2)] == [200, 429]  # the client address's bucket
    assert detect("wrong").status_code == 429  # past it, a guess is not even checked


def test_rate_limiter_window_slides() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    limiter.check("a")
    now[0] = 30.0
    limiter.check("a")
    with pytest.raises(ServiceError) as refused:
        limiter.check("a")
    assert refused.value.status == 429 and refused.value.headers["Retry-After"] == "30"
    now[0] = 60.5  # the first request left the window
    limiter.check("a")


# --- slots, deadline, internal errors -----------------------------------------------------------


class FakeEngine:
    """Copies its input; blocks on "BLOCK" until released; fails on "CRASH" and "BROKEN"."""

    def __init__(self) -> None:
        self.options = DecodingOptions(beam_size=1, compute_type="int8", max_sentence_tokens=200)
        self.entered = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def name(self) -> str:
        return "fake"

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        self.calls += 1
        text = " ".join(sentences)
        if "BLOCK" in text:
            self.entered.set()
            self.release.wait(30)
        if "CRASH" in text:
            raise RuntimeError("/srv/secret/path exploded")
        if "BROKEN" in text:
            raise TranslationFailed("the en→zh package at /srv/secret/model failed (bad header)")
        return list(sentences)


@pytest.fixture(scope="module")
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture(scope="module")
def slow(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory, engine: FakeEngine) -> Iterator[str]:
    settings = ServiceSettings(inference_slots=1, slot_wait=0.3, deadline=1.0)
    yield from serve(tiny_packages, tmp_path_factory, settings, engine=engine)


@pytest.mark.slow
def test_full_slots_answer_503_and_the_deadline_answers_503_then_capacity_returns(
    slow: str, engine: FakeEngine
) -> None:
    with ThreadPoolExecutor(1) as pool:
        blocked = pool.submit(translate, slow, "BLOCK.")
        assert engine.entered.wait(10)
        busy = translate(slow, "Trade.")
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert busy.json() == {"error": "the server is busy: every inference slot is taken; retry later"}
        late = blocked.result(timeout=10)
    assert late.status_code == 503 and "retry-after" in late.headers
    assert late.json()["error"].startswith("the request took longer than the 1 s deadline")
    # The abandoned work still holds its slot until it ends; then the slot is free again.
    assert translate(slow, "Trade.").status_code == 503
    engine.release.set()
    deadline = time.monotonic() + 10
    while translate(slow, "Trade.").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.parametrize("text", ["CRASH.", "BROKEN."])
def test_internal_failures_answer_500_without_internal_text(slow: str, engine: FakeEngine, text: str) -> None:
    engine.release.set()
    answer = translate(slow, text)
    assert (answer.status_code, answer.json()) == (500, {"error": "internal error"})
    assert "secret" not in answer.text
    assert translate(slow, "Trade.").status_code == 200


def test_limits_are_checked_before_the_engine_is_called(slow: str, engine: FakeEngine) -> None:
    engine.release.set()
    before = engine.calls
    assert translate(slow, "a" * 5001).status_code == 400
    assert translate(slow, ["a."] * 33).status_code == 400
    assert engine.calls == before
    assert translate(slow, "Fresh text.").status_code == 200 and engine.calls > before


# --- CORS -------------------------------------------------------------------------------------

ORIGIN = "https://news.example"


@pytest.fixture(scope="module")
def cors(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tiny_packages, tmp_path_factory, ServiceSettings(cors_origins=(ORIGIN,)))


def test_cors_is_off_unless_origins_are_listed(small: str, cors: str) -> None:
    headers = {"Origin": ORIGIN}
    assert "access-control-allow-origin" not in translate(small, "a.").headers
    assert "access-control-allow-origin" not in httpx.post(small + "/detect", json={"q": "a"}, headers=headers).headers
    answered = httpx.post(cors + "/detect", json={"q": "Trade grew."}, headers=headers)
    assert answered.headers["access-control-allow-origin"] == ORIGIN
    preflight = httpx.options(
        cors + "/translate", headers={**headers, "Access-Control-Request-Method": "POST",
                                      "Access-Control-Request-Headers": "content-type"}
    )
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == ORIGIN
    stranger = httpx.post(cors + "/detect", json={"q": "Trade grew."}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in stranger.headers
