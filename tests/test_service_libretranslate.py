"""LibreTranslate's API on a real server: JSON and form bodies, batches, HTML, alternatives, detection.

Its PyPI clients, unchanged, are in test_service_clients.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app
from tests.service_server import library_settings, running

EAEU_EN = "Trade with the Eurasian Economic Union grew."


@pytest.fixture(scope="module")
def url(tiny_packages: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages)
    with running(create_app(ServiceSettings(), library=library)) as base:
        yield base


@pytest.mark.parametrize("target", ["zh", "zh-Hans", "zh-CN", "zh-cn", "ZH_hans"])
def test_every_common_chinese_code_is_accepted(url: str, target: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": EAEU_EN, "source": "en", "target": target})
    assert answer.status_code == 200
    assert "欧亚经济联盟" in answer.json()["translatedText"]


def test_chinese_is_answered_as_zh(url: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": "欧亚经济联盟的贸易增长了。", "source": "auto", "target": "en"})
    assert answer.json()["detectedLanguage"]["language"] == "zh"


def test_a_string_gets_a_string_and_detection_when_source_is_auto(url: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": EAEU_EN, "source": "auto", "target": "ru"}).json()
    assert answer["translatedText"] == "Trade with the Евразийский экономический союз grew."
    assert answer["detectedLanguage"]["language"] == "en"
    assert 0 <= answer["detectedLanguage"]["confidence"] <= 100
    assert "alternatives" not in answer


def test_a_fixed_source_gets_no_detected_language(url: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": "Trade grew.", "source": "en", "target": "zh"}).json()
    assert answer == {"translatedText": "Trade grew."}


def test_a_list_gets_a_list_and_each_item_is_detected_on_its_own(url: str) -> None:
    texts = ["Trade with China grew.", "Торговля с Китаем выросла.", "与中国的贸易增长了。"]
    body = {"q": texts, "source": "auto", "target": "en", "glossary": False}
    answer = httpx.post(url + "/translate", json=body).json()
    assert answer["translatedText"] == texts
    assert [d["language"] for d in answer["detectedLanguage"]] == ["en", "ru", "zh"]


@pytest.mark.parametrize("content", ["form", "multipart"])
def test_form_bodies_are_read_like_json(url: str, content: str) -> None:
    fields = {"q": EAEU_EN, "source": "en", "target": "zh", "glossary": "false"}
    if content == "form":
        answer = httpx.post(url + "/translate", data=fields)
    else:
        answer = httpx.post(url + "/translate", files={k: (None, v) for k, v in fields.items()})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"translatedText": EAEU_EN}  # glossary switched off


def test_the_glossary_can_be_switched_off(url: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": EAEU_EN, "source": "en", "target": "zh", "glossary": False})
    assert answer.json()["translatedText"] == EAEU_EN


def test_html_keeps_tags_and_enforces_terms_in_the_text_between(url: str) -> None:
    html = '<p class="lead">Trade with the <b>Eurasian Economic Union</b> grew.</p>'
    answer = httpx.post(url + "/translate", json={"q": html, "source": "en", "target": "zh", "format": "html"})
    assert answer.status_code == 200, answer.text
    text = answer.json()["translatedText"]
    assert text.startswith('<p class="lead">') and text.endswith("</p>") and "<b>" in text
    assert "欧亚经济联盟" in text


def test_alternatives_come_back_per_text_when_asked(url: str) -> None:
    single = httpx.post(url + "/translate", json={"q": "Trade grew.", "source": "en", "target": "zh", "alternatives": 2})
    assert single.status_code == 200 and isinstance(single.json()["alternatives"], list)
    assert all(isinstance(a, str) for a in single.json()["alternatives"])
    batch = httpx.post(url + "/translate", json={"q": ["A.", "B."], "source": "en", "target": "zh", "alternatives": 1})
    assert [isinstance(a, list) for a in batch.json()["alternatives"]] == [True, True]


def test_detect_gives_confidence_from_0_to_100_best_first(url: str) -> None:
    found = httpx.post(url + "/detect", data={"q": "Trade with China grew quickly this year."}).json()
    assert found[0]["language"] == "en" and 50 < found[0]["confidence"] <= 100


def test_detect_names_languages_triglot_does_not_translate(url: str) -> None:
    found = httpx.post(url + "/detect", json={"q": "Der Handel mit China ist in diesem Jahr stark gewachsen."}).json()
    assert found[0]["language"] == "de"


def test_frontend_settings_has_what_libretranslates_page_reads(url: str) -> None:
    settings = httpx.get(url + "/frontend/settings").json()
    assert settings["charLimit"] == 5000 and settings["apiKeys"] is False and settings["keyRequired"] is False
    assert settings["language"]["source"]["code"] == "auto"
    assert {"frontendTimeout", "suggestions", "supportedFilesFormat", "filesTranslation"} <= set(settings)


def test_unknown_language_is_400_naming_the_supported_ones(url: str) -> None:
    answer = httpx.post(url + "/translate", json={"q": "Hello.", "source": "en", "target": "xx"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "unsupported language 'xx'; use one of: en, zh, ru"}
