"""GET /metrics: off by default, counts by route template and status, a token, several workers summed.

The exposition is read with prometheus_client's own parser, never by matching strings.
"""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from service import ServiceSettings, create_app, hash_key
from service.metrics import LATENCY_BUCKETS, Metrics
from service.multiprocess import DIRECTORY_PREFIX, MULTIPROCESS_VARIABLE
from tests.service_server import _wait_for, free_port, library_settings, running, uvicorn_workers
from toolkit import Settings
from toolkit.cli import main
from toolkit.errors import ConfigurationError
from toolkit.translation import BatchObserver

Packages = dict[tuple[str, str], Path]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]
TOKEN = "scrape-s3cret"
DIRECTIONS = ("en→ru", "en→zh", "ru→en", "zh→en")  # the tiny packages
WORKERS = 2
WORKERS_TIMEOUT_S = 90.0


@pytest.fixture(autouse=True)
def one_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The apps of this process count in memory, whatever the developer's shell says; and what
    ``triglot serve`` writes into the environment for its workers is undone after each test."""
    monkeypatch.delenv(MULTIPROCESS_VARIABLE, raising=False)
    before = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(before)


@pytest.fixture(scope="module")
def library(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return library_settings(tmp_path_factory.mktemp("home"), tiny_packages)


@pytest.fixture
def metered(library: Settings) -> Iterator[str]:
    """A server with metrics on, fresh for each test: its counts start at zero."""
    with running(create_app(ServiceSettings(metrics=True, max_body_bytes=1024), library=library)) as url:
        yield url


def parse(text: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(url: str, **headers: str) -> Samples:
    answer = httpx.get(url + "/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return parse(answer.text)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def labels_of(samples: Samples, name: str, label: str) -> set[str]:
    return {dict(labels)[label] for (sample, labels), _ in samples.items() if sample == name}


def test_metrics_are_off_by_default_and_then_a_404_as_any_unknown_path(library: Settings) -> None:
    with running(create_app(ServiceSettings(), library=library)) as url:
        answer = httpx.get(url + "/metrics")
    assert answer.status_code == 404
    assert answer.json() == {"error": "Not Found"}


def test_metrics_off_import_no_prometheus_client() -> None:
    """prometheus_client picks in-memory or files when first imported: only an app with metrics may import it."""
    probe = (
        "import sys\nfrom service import ServiceSettings, create_app\n"
        "create_app(ServiceSettings())\nprint('prometheus_client' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "False"


def test_requests_are_counted_by_route_template_method_and_status(metered: str) -> None:
    text = {"q": "Trade grew. Exports rose.", "source": "en", "target": "zh"}
    for _ in range(2):  # the second time, both sentences come from the cache
        assert httpx.post(metered + "/translate", json=text).status_code == 200
    assert httpx.post(metered + "/detect", json={"q": "Hello, world."}).status_code == 200
    assert httpx.post(metered + "/translate", json={**text, "target": "de"}).status_code == 400
    assert httpx.post(metered + "/translate", content=b"{" + b" " * 2000 + b"}").status_code == 413
    samples = scrape(metered)
    scrape(metered)  # a scrape counts nothing, not even itself
    samples = scrape(metered)

    requests = "triglot_requests_total"
    assert value(samples, requests, route="/translate", method="POST", status="200") == 2
    assert value(samples, requests, route="/translate", method="POST", status="400") == 1
    # Refused by the body limit before any route ran: still named after the route it was for.
    assert value(samples, requests, route="/translate", method="POST", status="413") == 1
    assert value(samples, requests, route="/detect", method="POST", status="200") == 1
    assert "/metrics" not in labels_of(samples, requests, "route")

    buckets = {
        dict(labels)["le"]: count
        for (name, labels), count in samples.items()
        if name == "triglot_request_duration_seconds_bucket" and dict(labels)["route"] == "/translate"
    }
    assert [float(le) for le in buckets] == [*LATENCY_BUCKETS, math.inf]
    counts = list(buckets.values())
    assert counts == sorted(counts) and counts[-1] == 4  # cumulative, every /translate request in +Inf
    assert value(samples, "triglot_request_duration_seconds_count", route="/translate") == 4
    assert value(samples, "triglot_request_duration_seconds_sum", route="/translate") > 0

    assert value(samples, "triglot_sentences_translated_total", source="en", target="zh") == 4
    assert value(samples, "triglot_cache_misses_total") == 2
    assert value(samples, "triglot_cache_hits_total") == 2
    for direction in DIRECTIONS:
        assert value(samples, "triglot_packages_loaded", direction=direction) == 1


def test_with_the_cache_off_nothing_counts_as_a_hit_or_a_miss(library: Settings) -> None:
    uncached = dataclasses.replace(library, cache=False)
    with running(create_app(ServiceSettings(metrics=True), library=uncached)) as url:
        text = {"q": "Trade grew.", "source": "en", "target": "ru"}
        assert httpx.post(url + "/translate", json=text).status_code == 200
        samples = scrape(url)
    assert value(samples, "triglot_sentences_translated_total", source="en", target="ru") == 1
    assert value(samples, "triglot_cache_hits_total") == value(samples, "triglot_cache_misses_total") == 0


def test_process_counts_the_sentences_it_translated(metered: str) -> None:
    article = {"text": "Trade grew. Exports rose. Imports fell.", "targets": ["zh", "ru"], "sentences": 2}
    assert httpx.post(metered + "/process", json=article).status_code == 200
    samples = scrape(metered)
    assert value(samples, "triglot_sentences_translated_total", source="en", target="zh") == 2
    assert value(samples, "triglot_sentences_translated_total", source="en", target="ru") == 2


def test_unknown_paths_and_methods_share_one_label_each(metered: str) -> None:
    for number in range(5):
        assert httpx.get(f"{metered}/nope/{number}").status_code == 404
    assert httpx.request("BREW", metered + "/health").status_code == 405
    samples = scrape(metered)
    assert value(samples, "triglot_requests_total", route="unmatched", method="GET", status="404") == 5
    assert not any("nope" in route for route in labels_of(samples, "triglot_requests_total", "route"))
    assert value(samples, "triglot_requests_total", route="/health", method="other", status="405") == 1
    assert "BREW" not in labels_of(samples, "triglot_requests_total", "method")


def test_each_app_counts_on_its_own_registry(library: Settings) -> None:
    """Tests build many apps in one process: a shared registry would refuse the second app's metrics."""
    first = create_app(ServiceSettings(metrics=True), library=library)
    second = create_app(ServiceSettings(metrics=True), library=library)
    with running(first) as one, running(second) as other:
        for _ in range(3):
            httpx.post(one + "/detect", json={"q": "Hello, world."})
        assert value(scrape(one), "triglot_requests_total", route="/detect", method="POST", status="200") == 3
        assert value(scrape(other), "triglot_requests_total", route="/detect", method="POST", status="200") == 0


@pytest.fixture(scope="module")
def guarded(library: Settings) -> Iterator[str]:
    settings = ServiceSettings(metrics=True, metrics_token=hash_key(TOKEN), rate_limit=1)
    with running(create_app(settings, library=library)) as url:
        yield url


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {hash_key(TOKEN)}"],
    ids=["none", "empty", "wrong", "not-bearer", "the-digest"],
)
def test_a_token_guards_metrics(guarded: str, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    answer = httpx.get(guarded + "/metrics", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert set(answer.json()) == {"error"} and TOKEN not in answer.text


def test_the_token_lets_a_scrape_in_past_the_rate_limit_and_out_of_the_schema(guarded: str) -> None:
    for _ in range(3):  # the rate limit is 1 a minute; a scrape is not held to it
        samples = scrape(guarded, Authorization=f"Bearer {TOKEN}")
        assert ("triglot_cache_hits_total", ()) in samples
    assert "/metrics" not in httpx.get(guarded + "/openapi.json").json()["paths"]


def test_the_metrics_token_setting_takes_a_digest_never_the_token() -> None:
    assert ServiceSettings.from_env({"TRIGLOT_METRICS": "1", "TRIGLOT_METRICS_TOKEN": hash_key(TOKEN)}).metrics
    with pytest.raises(ConfigurationError, match="TRIGLOT_METRICS_TOKEN holds a SHA-256") as error:
        ServiceSettings.from_env({"TRIGLOT_METRICS_TOKEN": TOKEN})
    assert TOKEN not in str(error.value)
    settings = ServiceSettings(metrics=True, metrics_token=hash_key(TOKEN))
    assert ServiceSettings.from_env(settings.to_env()) == settings  # how the workers get it


def test_the_batch_observer_records_batches_and_the_queue() -> None:
    metrics = Metrics()
    observer: BatchObserver = metrics
    observer.batch_ran("en→ru", 12, 3, [0.002, 0.02, 0.2])
    observer.batch_ran("en→ru", 40, 1, [1.5])
    observer.queued("en→ru", 7)
    observer.queued("en→ru", 5)  # the gauge says what waits now
    samples = parse(metrics.exposition().decode())
    direction = {"direction": "en→ru"}
    assert value(samples, "triglot_batch_size_count", **direction) == 2
    assert value(samples, "triglot_batch_size_sum", **direction) == 52
    assert value(samples, "triglot_batch_size_bucket", **direction, le="16.0") == 1
    assert value(samples, "triglot_batch_requests_sum", **direction) == 4
    assert value(samples, "triglot_batch_requests_bucket", **direction, le="1.0") == 1
    assert value(samples, "triglot_queue_wait_seconds_count", **direction) == 4
    assert value(samples, "triglot_queue_wait_seconds_bucket", **direction, le="0.025") == 2
    assert value(samples, "triglot_queue_wait_seconds_sum", **direction) == pytest.approx(1.722)
    assert value(samples, "triglot_queue_pieces", **direction) == 5


def test_the_engines_shared_batches_reach_the_metrics(metered: str) -> None:
    payloads = [{"q": f"Shipment {n} crossed the border.", "source": "en", "target": "ru"} for n in range(6)]
    with ThreadPoolExecutor(len(payloads)) as pool:
        answers = list(pool.map(lambda payload: httpx.post(metered + "/translate", json=payload), payloads))
    assert all(answer.status_code == 200 for answer in answers)
    samples = scrape(metered)
    assert value(samples, "triglot_batch_size_sum", direction="en→ru") >= len(payloads)
    assert value(samples, "triglot_queue_wait_seconds_count", direction="en→ru") >= len(payloads)
    assert value(samples, "triglot_queue_pieces", direction="en→ru") == 0  # nothing left waiting


def test_serve_gives_several_workers_a_private_directory_for_the_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    seen: list[Path] = []

    def run(app: object, **options: object) -> None:
        directory = Path(os.environ[MULTIPROCESS_VARIABLE])
        assert directory.name.startswith(DIRECTORY_PREFIX) and directory.parent == tmp_path
        assert list(directory.iterdir()) == []
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        seen.append(directory)

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("TRIGLOT_METRICS", "1")
    monkeypatch.setenv(MULTIPROCESS_VARIABLE, str(tmp_path / "someone-elses"))
    assert main(["serve", "--workers", "2"]) == 0
    (directory,) = seen
    assert not directory.exists()  # removed at exit
    assert os.environ[MULTIPROCESS_VARIABLE] == str(tmp_path / "someone-elses")  # and the environment restored


def test_serve_with_one_worker_counts_in_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    seen: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.append(app.state.service.metrics.multiprocess))
    monkeypatch.setenv("TRIGLOT_METRICS", "1")
    monkeypatch.setenv(MULTIPROCESS_VARIABLE, str(tmp_path))  # inherited, perhaps stale: not used
    assert main(["serve"]) == 0
    assert seen == [False]
    assert list(tmp_path.iterdir()) == []


def _loaded_by(directory: Path, pid: int, scratch: Path) -> float:
    """Packages one worker has loaded, read from its own file alone (a copy, in a folder of its own)."""
    alone = scratch / f"worker-{pid}"
    alone.mkdir(exist_ok=True)
    for path in directory.glob(f"gauge_livesum_{pid}.db"):
        shutil.copyfile(path, alone / path.name)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(alone))
    return sum(value for (name, _), value in parse(generate_latest(registry).decode()).items()
               if name == "triglot_packages_loaded")


def _until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WORKERS_TIMEOUT_S
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WORKERS_TIMEOUT_S} s: {what}")
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds uvicorn's workers through /proc")
def test_several_workers_metrics_are_summed_whichever_answers(tiny_packages: Packages, tmp_path: Path) -> None:
    home, scratch = tmp_path / "home", tmp_path / "tmp"
    library_settings(home, tiny_packages)
    scratch.mkdir()
    port = free_port()
    env = {**os.environ, "TRIGLOT_HOME": str(home), "TRIGLOT_METRICS": "1", "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--workers", str(WORKERS)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def loaded() -> float:
        return value(scrape(url), "triglot_packages_loaded", direction="en→zh")

    try:
        _wait_for(url + "/ready")
        # Each worker's gauge is summed: both have loaded the package.
        _until(lambda: loaded() == WORKERS, "every worker warmed up")
        (directory,) = scratch.iterdir()
        assert directory.name.startswith(DIRECTORY_PREFIX)
        sent = 30
        for _ in range(sent):  # a new connection each: the workers take them as they come
            assert httpx.get(url + "/health", headers={"Connection": "close"}).status_code == 200
        for _ in range(4):  # each scrape may be answered by either worker; each says the sum
            samples = scrape(url)
            assert value(samples, "triglot_requests_total", route="/health", method="GET", status="200") == sent

        # A worker killed outright: uvicorn starts another; the dead one's gauges leave the sum,
        # its counts stay in it.
        first = uvicorn_workers(server.pid)
        os.kill(min(first), signal.SIGKILL)
        _until(lambda: bool(uvicorn_workers(server.pid) - first), "uvicorn started a new worker")
        (new,) = uvicorn_workers(server.pid) - first
        _until(lambda: _loaded_by(directory, new, tmp_path) == len(DIRECTIONS), "the new worker warmed up")
        samples = scrape(url)
        for direction in DIRECTIONS:
            assert value(samples, "triglot_packages_loaded", direction=direction) == WORKERS
        assert value(samples, "triglot_requests_total", route="/health", method="GET", status="200") == sent
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert list(scratch.iterdir()) == []  # the directory went with the run
