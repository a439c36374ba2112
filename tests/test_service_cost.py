"""Work bounded by what it costs the engine, and deadlines that stop it, on real servers with the tiny packages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app
from tests.service_server import library_settings, running

Packages = dict[tuple[str, str], Path]
EMOJI = "😀" * 5000  # 20 KB, 20,001 tokens: within the character limits, minutes of engine time before
REPEATED = "ab " * 1666  # one unbroken "sentence" of short words


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def translate(url: str, q: str | list[str]) -> httpx.Response:
    return httpx.post(url + "/translate", json={"q": q, "source": "en", "target": "zh"}, timeout=120)


@pytest.fixture(scope="module")
def server(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages, cache=False)
    with running(create_app(ServiceSettings(max_request_tokens=400), library=library)) as url:
        yield url


def test_costly_texts_are_refused_before_the_engine_and_a_normal_request_follows(server: str) -> None:
    before = rss_bytes()
    for text in (EMOJI, REPEATED):
        started = time.monotonic()
        answer = translate(server, text)
        assert answer.status_code == 400, answer.text
        assert "TRIGLOT_MAX_SENTENCE_PIECES" in answer.json()["error"]
        assert time.monotonic() - started < 5
    started = time.monotonic()
    answer = translate(server, "Trade between small firms grew again.")
    assert answer.status_code == 200 and time.monotonic() - started < 5
    assert rss_bytes() - before < 100 * 2**20


def test_the_request_token_cap_counts_every_text_and_names_its_setting(server: str) -> None:
    sentences = [f"Shipment {number} crossed the border at Manzhouli." for number in range(30)]
    assert translate(server, sentences[:2]).status_code == 200
    answer = translate(server, sentences)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert "at most 400 per request (TRIGLOT_MAX_REQUEST_TOKENS)" in error and "send less text" in error


@pytest.fixture(scope="module")
def strict(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # One sentence per engine batch, so a long request is many batches with a deadline check between each.
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages, cache=False, max_batch_size=1)
    settings = ServiceSettings(inference_slots=1, slot_wait=5.0, deadline=0.5)
    with running(create_app(settings, library=library)) as url:
        yield url


@pytest.mark.slow
def test_a_request_past_its_deadline_stops_its_work_and_frees_its_slot(strict: str) -> None:
    # 550 distinct sentences, one engine call each: seconds of work, far past the deadline.
    long_text = " ".join(f"S{number} ab." for number in range(550))
    assert len(long_text) <= 5000
    with ThreadPoolExecutor(1) as pool:
        late = pool.submit(translate, strict, long_text)
        time.sleep(0.2)  # the long request holds the only slot
        started = time.monotonic()
        follow_up = translate(strict, "Trade grew.")
        waited = time.monotonic() - started
        assert late.result(timeout=60).status_code == 503
    # The abandoned work stopped at its next batch: the slot came back well within slot_wait.
    assert follow_up.status_code == 200, follow_up.text
    assert waited < 3
