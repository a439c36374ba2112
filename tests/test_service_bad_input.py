"""Bad input gets the 4xx README promises (400 for every bad request, 413 for a body over the
limit) as a JSON error with a stable message, never a 500 or a traceback, and the server keeps
serving; 20 clients at once are all answered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app
from tests.service_server import library_settings, running
from toolkit.summarization import ALGORITHMS

JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
SURROGATE = "Invalid request: the text holds a lone surrogate (U+D800), which is not valid Unicode"
NUL = "Invalid request: the text holds a NUL character (U+0000); remove it"
EMPTY_Q = "Invalid request: q: must not be empty"


@pytest.fixture(scope="module")
def url(tiny_packages: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages)
    with running(create_app(ServiceSettings(), library=library)) as base:
        yield base


def raw(data: dict[str, object]) -> bytes:
    return json.dumps(data).encode()


BAD = [
    ("invalid JSON", 400, "/translate", b'{"q": "Trade.",', JSON, "Invalid JSON format"),
    ("not UTF-8", 400, "/translate", b'{"q": "\xff\xfe", "target": "zh"}', JSON, "Invalid JSON format"),
    ("NaN", 400, "/summarize", b'{"text": "Trade grew.", "ratio": NaN}', JSON, "Invalid JSON format"),
    ("deep nesting", 400, "/translate", b"[" * 100_000, JSON, "Invalid JSON format"),
    ("a JSON list", 400, "/translate", b'["Trade."]', JSON, "Invalid request: the body must be a JSON object"),
    ("no body", 400, "/translate", b"", JSON, "Invalid JSON format"),
    ("q a number", 400, "/translate", raw({"q": 5, "target": "zh"}), JSON, "Invalid request: q: Input should be a valid string"),
    (
        "alternatives a word",
        400,
        "/translate",
        raw({"q": "Trade.", "target": "zh", "alternatives": "many"}),
        JSON,
        "Invalid request: alternatives: Input should be a valid integer, unable to parse string as an integer",
    ),
    ("format unknown", 400, "/translate", raw({"q": "a", "target": "zh", "format": "pdf"}), JSON,
     "Invalid request: format: Input should be 'text' or 'html'"),
    ("target missing", 400, "/translate", raw({"q": "Trade."}), JSON, "Invalid request: missing target parameter"),
    ("q missing (form)", 400, "/translate", b"target=zh", FORM, "Invalid request: missing q parameter"),
    ("lone surrogate in q", 400, "/translate", b'{"q": "a\\ud800b", "source": "en", "target": "zh"}', JSON, SURROGATE),
    ("lone surrogate in target", 400, "/translate", b'{"q": "a", "target": "\\ud800"}', JSON, SURROGATE),
    ("lone surrogate in a key", 400, "/translate", b'{"q": "a", "target": "zh", "\\ud800": 1}', JSON, SURROGATE),
    ("lone surrogate in a list", 400, "/translate", b'{"q": ["a", "\\ud800"], "target": "zh"}', JSON, SURROGATE),
    ("lone surrogate in a form", 400, "/translate", b"q=%ED%A0%80&target=zh", FORM,
     "Invalid request: the form could not be read (send UTF-8 text fields)"),
    ("lone surrogate to summarize", 400, "/summarize", b'{"text": "\\ud800"}', JSON, SURROGATE),
    ("lone surrogate to detect", 400, "/detect", b'{"q": "\\ud800"}', JSON, SURROGATE),
    ("lone surrogate to glossary", 400, "/glossary/fix",
     b'{"source": "\\ud800", "translation": "x", "from": "en", "to": "zh"}', JSON, SURROGATE),
    ("NUL", 400, "/translate", raw({"q": "a\u0000b", "target": "zh"}), JSON, NUL),
    ("NUL in a form", 400, "/detect", b"q=a%00b", FORM, NUL),
    ("NUL in the query string", 400, "/detect?q=a%00b", b"", {}, NUL),
    ("lone surrogate in the query string", 400, "/detect?q=%ED%A0%80", b"", {},
     "Invalid request: the URL's query string could not be read (send UTF-8, percent-encoded)"),
    ("empty list", 400, "/translate", raw({"q": [], "target": "zh"}), JSON, EMPTY_Q),
    ("empty detect", 400, "/detect", raw({"q": ""}), JSON, EMPTY_Q),
    ("nothing anywhere", 400, "/detect", b"", {}, "Invalid request: missing q parameter"),
    ("empty text", 400, "/summarize", raw({"text": ""}), JSON, "Invalid request: text: must not be empty"),
    ("unknown source", 400, "/translate", raw({"q": "a", "source": "xx", "target": "zh"}), JSON,
     "unsupported language 'xx'; use one of: en, zh, ru"),
    ("German text", 400, "/translate", raw({"q": "Der Handel mit China wächst stark.", "target": "en"}), JSON,
     "the text looks like 'de', which triglot does not translate; it works in en, zh, ru; "
     "give the language if the detection is wrong"),
    ("unknown target to process", 400, "/process", raw({"text": "Trade grew.", "targets": ["xx"]}), JSON,
     "unsupported language 'xx'; use one of: en, zh, ru"),
    ("ratio above 1", 400, "/summarize", raw({"text": "Trade grew.", "ratio": 1.5}), JSON,
     "Invalid request: ratio: Input should be less than or equal to 1"),
    ("count and ratio", 400, "/summarize", raw({"text": "Trade grew.", "sentences": 2, "ratio": 0.5}), JSON,
     "give either a sentence count or a ratio, not both"),
    ("unknown algorithm", 400, "/summarize", raw({"text": "Trade grew.", "algorithm": "magic"}), JSON,
     f"unknown algorithm 'magic'; use one of: {', '.join(ALGORITHMS)}"),
    ("glossary language", 400, "/glossary/check", raw({"source": "a", "translation": "b", "from": "de", "to": "en"}), JSON,
     "unsupported language 'de'; use one of: en, zh, ru"),
    ("oversized", 413, "/translate", b"{" + b" " * (300 * 1024) + b"}", JSON,
     "the request body is larger than 262144 bytes (TRIGLOT_MAX_BODY_BYTES)"),
]


@pytest.mark.parametrize(
    ("status", "path", "body", "headers", "message"), [case[1:] for case in BAD], ids=[c[0] for c in BAD]
)
def test_bad_input_gets_its_status_and_a_json_error_with_a_stable_message(
    url: str, status: int, path: str, body: bytes, headers: dict[str, str], message: str
) -> None:
    answer = httpx.post(url + path, content=body, headers=headers, timeout=30)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"error": message}
    assert httpx.get(url + "/health").status_code == 200


def test_an_oversized_chunked_body_is_refused_while_it_streams(url: str) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"q": "'
        for _ in range(300):
            yield b"x" * 1024
        yield b'", "target": "zh"}'

    answer = httpx.post(url + "/translate", content=body(), headers=JSON)
    assert answer.status_code == 413 and "larger than 262144 bytes" in answer.json()["error"]
    assert httpx.get(url + "/health").status_code == 200


def test_unknown_paths_and_methods_answer_json(url: str) -> None:
    missing, wrong_method = httpx.get(url + "/nowhere"), httpx.get(url + "/translate")
    assert (missing.status_code, missing.json()) == (404, {"error": "Not Found"})
    assert (wrong_method.status_code, wrong_method.json()) == (405, {"error": "Method Not Allowed"})


@pytest.mark.slow
def test_twenty_threads_at_once_are_all_answered_without_a_5xx(url: str) -> None:
    def call(index: int) -> int:
        kind = index % 4
        if kind == 0:
            answer = httpx.post(url + "/translate", json={"q": f"Trade grew {index} times.", "target": "zh"}, timeout=60)
        elif kind == 1:
            answer = httpx.post(url + "/detect", data={"q": "Торговля с Китаем выросла."}, timeout=60)
        elif kind == 2:
            text = "Trade grew. Exports rose sharply. Imports fell. Prices held."
            answer = httpx.post(url + "/summarize", json={"text": text, "sentences": 2}, timeout=60)
        else:
            answer = httpx.get(url + "/languages", timeout=60)
        return answer.status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(call, range(40)))
    assert len(statuses) == 40
    assert all(status < 500 for status in statuses), statuses
    assert statuses == [200] * 40
