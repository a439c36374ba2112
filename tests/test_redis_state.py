"""TRIGLOT_REDIS_URL: the translation cache and the rate limits shared by workers and replicas in a real
redis-server; Redis stopped mid-run costs no translation, the rate limit fails open or closed as told,
and both come back with Redis, without restarting triglot."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app, hash_key
from service.errors import ServiceError
from service.redis_limits import PREFIX as RATE_PREFIX
from service.redis_limits import RedisRateLimiter
from tests.redis_server import RedisServer
from tests.service_server import _wait_for, free_port, library_settings, running
from toolkit import Settings
from toolkit.cli import main
from toolkit.errors import ConfigurationError
from toolkit.redis_store import RETRY_INTERVAL_S
from toolkit.translation import DecodingOptions, InstalledModel, cache_for
from toolkit.translation.redis_cache import PREFIX as CACHE_PREFIX
from toolkit.translation.redis_cache import RedisCache

Packages = dict[tuple[str, str], Path]
Captured = pytest.CaptureFixture[str]
KEY = "a-client-key"
SENTENCE = "Trade between small firms in Harbin grew again."
BOUND_S = 10.0  # the most any wait for a recovery may take


def eventually(condition: Callable[[], bool], what: str, bound: float = BOUND_S) -> None:
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {bound} s")
        time.sleep(0.05)


def keys(redis_server: RedisServer, prefix: str) -> list[str]:
    found = redis_server.command("KEYS", prefix + "*")
    assert isinstance(found, list)
    return [str(key) for key in found]


# --- the cache ---------------------------------------------------------------------------------


def test_two_workers_caches_share_entries_under_their_prefix(redis_server: RedisServer) -> None:
    first, second = RedisCache(redis_server.url), RedisCache(redis_server.url)  # as two processes would
    first.put_many({"k1": "贸易增长了。", "k2": "Торговля выросла."})
    assert second.get_many(["k1", "k2", "k3"]) == {"k1": "贸易增长了。", "k2": "Торговля выросла."}
    assert sorted(keys(redis_server, "")) == [CACHE_PREFIX + "k1", CACHE_PREFIX + "k2"]
    redis_server.command("SET", "someone-else's", "x")
    stats = second.stats()
    assert (stats.entries, stats.backend, stats.problem) == (2, "redis", None) and stats.size_bytes > 0
    assert stats.path == f"{redis_server.url} ({CACHE_PREFIX}*)"
    assert second.clear() == 2
    assert first.get_many(["k1"]) == {} and keys(redis_server, "") == ["someone-else's"]


def test_the_library_and_the_command_line_use_the_cache_in_redis(
    with_models: Settings, redis_server: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: Captured,
) -> None:
    monkeypatch.setenv("TRIGLOT_REDIS_URL", redis_server.url)
    monkeypatch.setenv("TRIGLOT_MODEL_INDEX", "file:///nowhere/at/all/index.json")  # doctor stays offline
    assert isinstance(cache_for(Settings.from_env()), RedisCache)
    article = tmp_path / "article.txt"
    article.write_text("Trade grew. Firms signed deals.", encoding="utf-8")
    assert main(["translate", str(article), "--from", "en", "--to", "ru"]) == 0
    assert len(keys(redis_server, CACHE_PREFIX)) == 2 and not with_models.cache_path.exists()
    capsys.readouterr()
    assert main(["cache", "stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["entries"], stats["backend"], stats["problem"]) == (2, "redis", None)
    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out == "removed 2 cached sentences\n"

    redis_server.stop()
    assert main(["translate", str(article), "--from", "en", "--to", "ru"]) == 0  # a miss, not a failure
    captured = capsys.readouterr()
    assert "Trade grew." in captured.out
    warnings = [line for line in captured.err.splitlines() if line.startswith("triglot: warning:")]
    assert len(warnings) == 1 and "translation cache: Redis at redis://127.0.0.1:" in warnings[0]
    assert main(["cache", "stats", "--format", "json"]) == 1
    assert "cannot be used" in json.loads(capsys.readouterr().out)["problem"]
    assert main(["cache", "clear"]) == 1
    assert "the cache could not be cleared: Redis at" in capsys.readouterr().err
    main(["doctor", "--timeout", "1", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["cache"]["backend"] == "redis" and "cannot be used" in report["cache"]["problem"]
    assert any(item.startswith("start Redis or fix TRIGLOT_REDIS_URL") for item in report["advice"])


def test_a_hung_redis_costs_a_call_one_timeout_then_nothing_until_a_retry_is_due(
    redis_server: RedisServer,
) -> None:
    cache = RedisCache(redis_server.url)
    cache.put_many({"k": "v"})
    redis_server.pause()  # it accepts connections and never answers
    try:
        started = time.monotonic()
        assert cache.get_many(["k"]) == {}
        assert time.monotonic() - started < 1.5  # the read timeout, once: no retries inside the client
        started = time.monotonic()
        assert cache.get_many(["k"]) == {} and cache.put_many({"k2": "v2"}) is None
        assert time.monotonic() - started < 0.1  # not due for another try: no network at all
        assert cache.problem is not None and "cannot be used" in cache.problem
    finally:
        redis_server.resume()
    eventually(lambda: cache.get_many(["k"]) == {"k": "v"}, "the cache reads again once Redis answers")
    assert cache.problem is None


# --- the rate limit ----------------------------------------------------------------------------


def refused(check: Callable[[], None]) -> ServiceError | None:
    try:
        check()
    except ServiceError as error:
        return error
    return None


def test_two_limiters_count_one_limit_and_store_no_identity(redis_server: RedisServer) -> None:
    first = RedisRateLimiter(3, redis_server.url, fail_open=False)
    second = RedisRateLimiter(3, redis_server.url, fail_open=False)
    identity = f"key {hash_key(KEY)}"
    answers = [refused(lambda limiter=limiter: limiter.check(identity)) for limiter in (first, second) * 3]
    assert [answer is None for answer in answers] == [True, True, True, False, False, False]
    error = answers[3]
    assert error is not None and error.status == 429
    assert 59 <= int(error.headers["Retry-After"]) <= 60
    assert error.args[0].startswith("Slowdown: rate limit of 3 requests per minute reached")
    assert refused(lambda: second.check("address 10.0.0.7")) is None  # another identity, another count
    stored = keys(redis_server, "")
    assert len(stored) == 2 and all(key.startswith(RATE_PREFIX) for key in stored)
    assert not any(hash_key(KEY) in key or "10.0.0.7" in key for key in stored)
    for key in stored:
        assert 0 < int(str(redis_server.command("PTTL", key))) <= 60_000  # it goes with its window


def test_the_window_slides_in_redis_as_in_process(redis_server: RedisServer) -> None:
    limiter = RedisRateLimiter(2, redis_server.url, fail_open=False, window_s=1.0)
    assert refused(lambda: limiter.check("a")) is None
    time.sleep(0.5)
    assert refused(lambda: limiter.check("a")) is None
    error = refused(lambda: limiter.check("a"))
    assert error is not None and error.status == 429 and error.headers["Retry-After"] == "1"
    time.sleep(0.6)  # the first request left the window, the second not yet
    assert refused(lambda: limiter.check("a")) is None
    assert refused(lambda: limiter.check("a")) is not None


class CountingEngine:
    """Copies its input and counts the sentences it was given: a cache hit is a sentence it never sees."""

    def __init__(self) -> None:
        self.options = DecodingOptions(beam_size=1, compute_type="int8", max_sentence_tokens=200)
        self.sentences = 0

    def name(self) -> str:
        return "counting"

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        self.sentences += len(sentences)
        return list(sentences)


def post(url: str, text: str = SENTENCE, key: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.post(url + "/translate", json={"q": text, "source": "en", "target": "zh"}, headers=headers,
                      timeout=10)


def test_two_replicas_count_one_rate_limit(
    tiny_packages: Packages, tmp_path: Path, redis_server: RedisServer
) -> None:
    library = library_settings(tmp_path / "home", tiny_packages, redis_url=redis_server.url)
    settings = ServiceSettings(rate_limit=4)
    with running(create_app(settings, library=library, engine=CountingEngine())) as one, \
            running(create_app(settings, library=library, engine=CountingEngine())) as two:
        statuses = [post(url).status_code for url in (one, two) * 4]
    assert statuses == [200, 200, 200, 200, 429, 429, 429, 429]


def limiter_connections(redis_server: RedisServer) -> int:
    """Connections whose last command ran the limiter's script: one per worker that counted a request."""
    listing = str(redis_server.command("CLIENT", "LIST"))
    return sum(1 for line in listing.splitlines() if " cmd=evalsha " in f"{line} " or " cmd=eval " in f"{line} ")


@pytest.mark.slow
def test_triglot_serve_with_two_workers_counts_one_limit(
    tiny_packages: Packages, tmp_path: Path, redis_server: RedisServer
) -> None:
    limit = 5
    home = tmp_path / "home"
    library_settings(home, tiny_packages)
    port = free_port()
    env = {**os.environ, "TRIGLOT_HOME": str(home), "TRIGLOT_RATE_LIMIT": str(limit),
           "TRIGLOT_REDIS_URL": redis_server.url}
    command = [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(url + "/ready")
        statuses = []
        # A new connection for each request: either worker may take it. Go on until both have counted.
        while (len(statuses) < 2 * limit or limiter_connections(redis_server) < 2) and len(statuses) < 60:
            statuses.append(post(url, f"Request {len(statuses)}.").status_code)
        assert statuses.count(200) == limit and statuses[:limit] == [200] * limit
        assert set(statuses[limit:]) == {429}
        assert limiter_connections(redis_server) == 2, "both workers should have counted in Redis"
        redis_server.stop()
        assert post(url, "After Redis.").status_code == 200  # no API keys: the limit fails open
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert b"counted per worker" not in err
    # The worker that met the outage said so, once, though it runs no command line of its own.
    assert err.count(b"triglot: warning: rate limiter: Redis at " + redis_server.url.encode()) == 1


def test_redis_stopped_mid_run_then_restarted(
    tiny_packages: Packages, tmp_path: Path, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Three servers on one Redis: no rate limit; keys (auto: closed); no keys (auto: open)."""
    caplog.set_level(logging.WARNING, logger="toolkit.redis_store")
    limit = 3
    library = library_settings(tmp_path / "home", tiny_packages, redis_url=redis_server.url)
    engine = CountingEngine()
    keyed = ServiceSettings(rate_limit=limit, api_keys=(hash_key(KEY),))
    with running(create_app(ServiceSettings(), library=library, engine=engine)) as plain, \
            running(create_app(keyed, library=library, engine=CountingEngine())) as closed, \
            running(create_app(ServiceSettings(rate_limit=limit), library=library, engine=CountingEngine())) as open_:
        def seen(url: str, text: str = SENTENCE) -> int:
            """The sentences the engine translated for one request: 0 when all came from the cache."""
            before = engine.sentences
            assert post(url, text).status_code == 200
            return engine.sentences - before

        first = seen(plain)
        assert first > 0 and seen(plain) == 0  # from the cache
        assert post(closed, key=KEY).status_code == 200 and post(open_).status_code == 200
        assert httpx.get(plain + "/ready").json()["cache"] == "ok"

        redis_server.stop()
        assert seen(plain) == first  # a miss, translated again
        ready = httpx.get(plain + "/ready")
        assert ready.status_code == 200
        assert ready.json()["cache"] == "not in use: Redis (TRIGLOT_REDIS_URL) cannot be used; the server log says why"
        assert str(redis_server.port) not in ready.text  # the log has the address and the error, not clients
        for _ in range(limit + 1):
            down = post(closed, key=KEY)
            assert down.status_code == 503 and down.headers["Retry-After"] == "5"
            assert "the rate limiter's store (Redis) is unreachable" in down.json()["error"]
        assert httpx.get(closed + "/ready").json()["rate_limit"].startswith("not counted (requests get 503)")
        assert [post(open_).status_code for _ in range(limit + 1)] == [200] * (limit + 1)  # uncounted
        assert httpx.get(open_ + "/ready").json()["rate_limit"].startswith("not counted (requests go through")

        redis_server.start()  # the same port, and it has forgotten everything
        eventually(lambda: httpx.get(plain + "/ready").json()["cache"] == "ok", "the cache is back in /ready")
        time.sleep(RETRY_INTERVAL_S + 0.1)  # every store's next call is due to try Redis again
        assert seen(plain, "A new sentence.") > 0 and seen(plain, "A new sentence.") == 0  # hits again
        assert seen(plain) == first  # Redis forgot the old entries: a miss, as after a crash
        for url, key in ((closed, KEY), (open_, None)):
            statuses = [post(url, key=key).status_code for _ in range(limit + 1)]
            assert statuses == [200] * limit + [429], url
        assert httpx.get(closed + "/ready").json()["rate_limit"] == "ok"

    outages = [r.getMessage() for r in caplog.records if "cannot be used" in r.getMessage()]
    recoveries = [r.getMessage() for r in caplog.records if r.getMessage().endswith(f"{redis_server.url} answers again")]
    # Once per store and outage, however many requests met it: the cache, and each server's limiter.
    assert sorted(message.split(":")[0] for message in outages) == ["rate limiter", "rate limiter",
                                                                      "translation cache"]
    assert sorted(message.split(":")[0] for message in recoveries) == ["rate limiter", "rate limiter",
                                                                        "translation cache"]
    assert any("requests are refused with 503" in m for m in outages)
    assert any("requests go through without a rate limit" in m for m in outages)


# --- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://user:s3cret@cache.example:6379", "but its scheme is http://"),
        ("cache.example:6379", "but it is not a URL"),
        ("redis://:s3cret@cache.example:port/0", "but its port is not a number"),
        ("unix://", "but it names no socket file"),
    ],
)
def test_a_bad_redis_url_is_refused_at_start_without_echoing_it(url: str, words: str) -> None:
    with pytest.raises(ConfigurationError, match=words) as error:
        Settings.from_env({"TRIGLOT_REDIS_URL": url})
    message = str(error.value)
    assert message.startswith("TRIGLOT_REDIS_URL must be a redis://, rediss:// or unix:// URL")
    assert "s3cret" not in message and "unset it" in message


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://:pw@cache.example:6380/1", "unix:///run/r.sock"])
def test_redis_unix_and_tls_urls_are_taken(url: str) -> None:
    assert Settings.from_env({"TRIGLOT_REDIS_URL": url}).redis_url == url


def test_triglot_serve_with_a_bad_redis_url_stops_before_serving(
    monkeypatch: pytest.MonkeyPatch, capsys: Captured
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: pytest.fail("uvicorn started"))
    monkeypatch.setenv("TRIGLOT_REDIS_URL", "redis//127.0.0.1:6379")
    assert main(["serve", "--workers", "2"]) == 1
    assert capsys.readouterr().err.startswith("triglot: error: TRIGLOT_REDIS_URL must be a redis://")


@pytest.mark.parametrize(
    ("setting", "keys", "fails_open"),
    [("auto", (), True), ("auto", (hash_key(KEY),), False), ("closed", (), False), ("open", (hash_key(KEY),), True)],
)
def test_the_rate_limit_fails_closed_with_keys_and_open_without_unless_told(
    setting: str, keys: tuple[str, ...], fails_open: bool
) -> None:
    environ = {"TRIGLOT_RATE_LIMIT_ON_REDIS_ERROR": setting, "TRIGLOT_API_KEYS": ",".join(keys)}
    assert ServiceSettings.from_env(environ).rate_limit_fails_open is fails_open


def test_a_rate_limit_fail_mode_that_is_not_one_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="TRIGLOT_RATE_LIMIT_ON_REDIS_ERROR must be auto, closed or open"):
        ServiceSettings.from_env({"TRIGLOT_RATE_LIMIT_ON_REDIS_ERROR": "ajar"})


@pytest.fixture
def serve_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, object]]]:
    """``triglot serve`` without a server; with workers it writes its settings into os.environ: a copy here."""
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setattr(os, "environ", dict(os.environ))
    yield calls


@pytest.mark.parametrize(
    ("environ", "warned"),
    [
        ({"TRIGLOT_WORKERS": "3", "TRIGLOT_RATE_LIMIT": "10"}, True),
        ({"TRIGLOT_WORKERS": "3", "TRIGLOT_RATE_LIMIT": "10", "TRIGLOT_REDIS_URL": "redis://127.0.0.1:1/0"}, False),
        ({"TRIGLOT_WORKERS": "3"}, False),
        ({"TRIGLOT_RATE_LIMIT": "10"}, False),
    ],
)
def test_serve_says_at_start_when_each_worker_counts_the_limit_alone(
    environ: dict[str, str], warned: bool, serve_calls: list[dict[str, object]], capsys: Captured
) -> None:
    os.environ.update(environ)
    assert main(["serve"]) == 0 and len(serve_calls) == 1
    err = capsys.readouterr().err
    if warned:
        assert err == (
            "triglot: warning: TRIGLOT_RATE_LIMIT=10 is counted per worker: with 3 workers a client may get up to "
            "30 requests a minute (3x the limit); set TRIGLOT_REDIS_URL to count one limit for every worker and "
            "replica\n"
        )
    else:
        assert "per worker" not in err


def test_without_redis_the_embedded_defaults_stay(with_models: Settings) -> None:
    from service.auth import RateLimiter
    from service.state import rate_limiter_for
    from toolkit.translation import TranslationCache

    assert isinstance(cache_for(with_models), TranslationCache)
    assert type(rate_limiter_for(ServiceSettings(rate_limit=5), with_models)) is RateLimiter
