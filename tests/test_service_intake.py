"""Request intake as LibreTranslate 1.9.6 reads it, on a real server: where fields come from and
in which order, empty texts, format controls, text with no language, and the margin of ``auto``."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app
from tests.service_server import library_settings, running
from toolkit.translation import DecodingOptions, InstalledModel

NAMES = "Wang Yi met Lavrov"  # reads as Dutch 25 to 1: a short English sentence made of names
UND = {"language": "und", "confidence": 0}


class RecordingEngine:
    """Copies its input, and keeps every sentence it was given."""

    def __init__(self) -> None:
        self.options = DecodingOptions(beam_size=1, compute_type="int8", max_sentence_tokens=200)
        self.seen: list[str] = []
        self._lock = threading.Lock()

    def name(self) -> str:
        return "recording"

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        with self._lock:
            self.seen.extend(sentences)
        return list(sentences)


@pytest.fixture(scope="module")
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture(scope="module")
def url(
    tiny_packages: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory, engine: RecordingEngine
) -> Iterator[str]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages, cache=False)
    with running(create_app(ServiceSettings(), library=library, engine=engine)) as base:
        yield base


@pytest.fixture(scope="module")
def no_margin(tiny_packages: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages, cache=False, detect_margin=0.0)
    with running(create_app(ServiceSettings(), library=library)) as base:
        yield base


# --- where the fields come from ---------------------------------------------------------------


def test_fields_in_the_query_string_with_an_empty_body_are_read(url: str) -> None:
    """What deep-translator sends: requests.post(url, params=...), no body, no Content-Type."""
    answer = httpx.post(url + "/translate", params={"q": "Trade grew.", "source": "en", "target": "zh"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"translatedText": "Trade grew."}


def test_the_query_string_wins_over_the_form_as_in_libretranslate(url: str) -> None:
    answer = httpx.post(
        url + "/translate", params={"q": "From the query."}, data={"q": "From the form.", "source": "en", "target": "zh"}
    )
    assert answer.json() == {"translatedText": "From the query."}


def test_a_json_body_is_read_alone_and_the_query_string_ignored(url: str) -> None:
    answer = httpx.post(
        url + "/translate", params={"q": "From the query.", "target": "ru"},
        json={"q": "From the body.", "source": "en", "target": "zh"},
    )
    assert answer.json() == {"translatedText": "From the body."}
    missing = httpx.post(url + "/translate", params={"target": "zh"}, json={"q": "From the body."})
    assert missing.status_code == 400 and missing.json() == {"error": "Invalid request: missing target parameter"}


def test_a_json_body_without_a_content_type_is_still_read(url: str) -> None:
    answer = httpx.post(url + "/translate", content=b'{"q": "Trade grew.", "source": "en", "target": "zh"}')
    assert answer.json() == {"translatedText": "Trade grew."}


def test_a_repeated_field_counts_with_its_first_value(url: str) -> None:
    answer = httpx.post(url + "/translate?q=First.&q=Second.&source=en&target=zh")
    assert answer.json() == {"translatedText": "First."}


def test_triglots_own_endpoints_take_forms_and_the_query_string(url: str) -> None:
    text = "Trade grew. Exports rose sharply. Imports fell."
    summary = httpx.post(url + "/summarize", data={"text": text, "sentences": "1"})
    assert summary.status_code == 200, summary.text
    assert len(summary.json()["sentences"]) == 1
    processed = httpx.post(url + "/process", files={"text": (None, text), "targets": (None, "zh,ru")})
    assert processed.status_code == 200, processed.text
    assert set(processed.json()["translations"]) == {"zh", "ru"}
    checked = httpx.post(
        url + "/glossary/check",
        params={"source": "The Eurasian Economic Union met.", "translation": "欧亚经济联盟开会。", "from": "en", "to": "zh"},
    )
    assert checked.status_code == 200 and checked.json()["all_preferred"] is True


def test_limits_hold_wherever_the_fields_come_from(url: str) -> None:
    answer = httpx.post(url + "/translate", params={"q": "a" * 5001, "source": "en", "target": "zh"})
    assert answer.status_code == 400 and "TRIGLOT_MAX_TEXT_CHARS" in answer.json()["error"]


# --- empty texts and format controls ---------------------------------------------------------


def test_empty_texts_come_back_empty_and_never_reach_the_engine(url: str, engine: RecordingEngine) -> None:
    before = len(engine.seen)
    assert httpx.post(url + "/translate", json={"q": "", "source": "en", "target": "zh"}).json() == {
        "translatedText": ""
    }
    assert len(engine.seen) == before
    answer = httpx.post(url + "/translate", json={"q": ["", "Trade grew.", " "], "source": "auto", "target": "zh"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["translatedText"] == ["", "Trade grew.", " "]
    assert [d["language"] for d in answer.json()["detectedLanguage"]] == ["und", "en", "und"]
    assert engine.seen[before:] == ["Trade grew."]
    form = httpx.post(url + "/translate", data={"q": "", "source": "en", "target": "zh"})
    assert form.json() == {"translatedText": ""}


@pytest.mark.parametrize(
    ("control", "becomes"),
    [("\f", "\n"), ("\v", "\n"), ("\x85", "\n"), ("\u2028", "\n"), ("\u2029", "\n"), ("\x1b", " "), ("\x7f", " "),
     ("\u200b", " ")],
)
def test_format_controls_are_normalised_before_the_engine(
    url: str, engine: RecordingEngine, control: str, becomes: str
) -> None:
    text = f"Trade grew.{control}Prices fell."
    before = len(engine.seen)
    answer = httpx.post(url + "/translate", json={"q": text, "source": "en", "target": "ru", "glossary": False})
    assert answer.status_code == 200, answer.text
    assert answer.json()["translatedText"] == text.replace(control, becomes)
    assert all(control not in sentence for sentence in engine.seen[before:])


def test_a_form_feed_in_a_form_is_normalised_too(url: str) -> None:
    answer = httpx.post(url + "/detect", data={"q": "Trade with China grew.\fExports rose."})
    assert answer.status_code == 200 and answer.json()[0]["language"] == "en"


# --- text whose language cannot be told, and the margin ---------------------------------------


def test_text_with_no_language_comes_back_unchanged_with_und(url: str, engine: RecordingEngine) -> None:
    before = len(engine.seen)
    for text in ("😀🎉", "12345 678", "😀" * 5000):
        answer = httpx.post(url + "/translate", json={"q": text, "source": "auto", "target": "zh"})
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"translatedText": text, "detectedLanguage": UND}
    assert len(engine.seen) == before
    batch = httpx.post(url + "/translate", json={"q": ["😀", "Торговля выросла."], "source": "auto", "target": "en"})
    assert batch.json()["translatedText"] == ["😀", "Торговля выросла."]
    assert [d["language"] for d in batch.json()["detectedLanguage"]] == ["und", "ru"]
    html = httpx.post(url + "/translate", json={"q": "<p>😀</p>", "source": "auto", "target": "en", "format": "html"})
    assert html.json() == {"translatedText": "<p>😀</p>", "detectedLanguage": UND}


def test_detect_answers_up_to_three_guesses_best_first(url: str) -> None:
    found = httpx.post(url + "/detect", json={"q": NAMES}).json()
    assert [guess["language"] for guess in found][:2] == ["nl", "en"] and len(found) == 3
    confidences = [guess["confidence"] for guess in found]
    assert confidences == sorted(confidences, reverse=True) and 90 < confidences[0] <= 100
    assert httpx.post(url + "/detect", json={"q": "😀"}).json() == [UND]
    assert [g["language"] for g in httpx.post(url + "/detect", json={"q": "与中国的贸易增长了。"}).json()] == ["zh"]


def test_a_supported_second_within_the_margin_is_translated_and_said(url: str, no_margin: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": NAMES, "source": "auto", "target": "zh"})
    assert answer.status_code == 200, answer.text
    detected = answer.json()["detectedLanguage"]
    assert detected["language"] == "en" and 0 < detected["confidence"] < 10  # English's own confidence
    refused = httpx.post(no_margin + "/translate", json={"q": NAMES, "source": "auto", "target": "zh"})
    assert refused.status_code == 400 and "'nl'" in refused.json()["error"]


def test_a_sentence_of_another_language_is_still_refused(url: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": "Der Handel mit China wächst stark.", "target": "en"})
    assert answer.status_code == 400 and "'de'" in answer.json()["error"]
