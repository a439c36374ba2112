"""LibreTranslate's clients from PyPI, unchanged, against a real server with the tiny packages:
libretranslatepy, deep-translator's ``LibreTranslator`` and libretranslate-aio (sync and async).

Each is called as its README shows. Nothing may leave the machine: ``loopback_only``
refuses any connection or name lookup that is not 127.0.0.1, so a client that ignored the
URL it was given would fail here instead of reaching a public server.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from deep_translator import LibreTranslator
from libretranslate_aio import AsyncLibreTranslate, LibreTranslate
from libretranslatepy import LibreTranslateAPI

from service import ServiceSettings, create_app
from tests.service_server import library_settings, running

EAEU_EN = "Trade with the Eurasian Economic Union grew."
EAEU_ZH = "Trade with the 欧亚经济联盟 grew."  # the tiny models copy; the glossary puts the term in
RUSSIAN = "Торговля выросла."
LOOPBACK = ("127.0.0.1", "localhost")


@pytest.fixture(scope="module")
def url(tiny_packages: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages)
    with running(create_app(ServiceSettings(), library=library)) as base:
        yield base


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection or lookup that is not loopback fails the test."""
    connect, lookup = socket.socket.connect, socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            raise AssertionError(f"a client tried to reach {address[0]}")
        connect(self, address)

    def guarded_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOOPBACK and host not in (b"127.0.0.1", b"localhost"):
            raise AssertionError(f"a client tried to look up {host!r}")
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)


# --- libretranslatepy -----------------------------------------------------------------------------


def test_libretranslatepy_translates_detects_and_lists_languages(url: str) -> None:
    client = LibreTranslateAPI(url)  # its README: LibreTranslateAPI("https://translate.argosopentech.com/")
    assert client.translate(EAEU_EN, "en", "zh") == EAEU_ZH
    assert client.translate(RUSSIAN, "auto", "en") == RUSSIAN
    assert client.translate("😀", "auto", "en") == "😀"  # no language to tell: sent back, as LibreTranslate does
    detected = client.detect(RUSSIAN)
    assert detected[0]["language"] == "ru" and 0 < detected[0]["confidence"] <= 100
    assert [entry["code"] for entry in client.languages()] == ["en", "zh", "ru"]


# --- deep-translator --------------------------------------------------------------------------


def deep_translator(url: str, source: str, target: str) -> LibreTranslator:
    """Its README passes ``base_url=``, but 1.11.4 reads ``custom_url`` and silently drops ``base_url``
    into ``**kwargs`` (it would call libretranslate.de): a bug of the client. ``api_key`` is required by
    the client even where the server asks none; triglot ignores a key when none are configured."""
    translator = LibreTranslator(source=source, target=target, custom_url=url + "/", api_key="unused")
    assert translator._base_url == url + "/"
    return translator


def test_deep_translator_translates_a_text_with_fields_in_the_query_string(url: str) -> None:
    assert deep_translator(url, "en", "zh").translate(EAEU_EN) == EAEU_ZH
    assert deep_translator(url, "English", "Russian").translate("Trade grew.") == "Trade grew."  # by name


def test_deep_translator_translates_a_batch_and_detects_with_auto(url: str) -> None:
    translator = deep_translator(url, "auto", "en")
    assert translator.translate_batch([RUSSIAN, "贸易增长了。", "12345"]) == [
        RUSSIAN, "贸易增长了。", "12345"
    ]
    assert translator.translate("Wang Yi met Lavrov") == "Wang Yi met Lavrov"  # names read as Dutch: still English


# --- libretranslate-aio ------------------------------------------------------------------------


def test_libretranslate_aio_sync_client_translates_detects_and_lists_languages(url: str) -> None:
    with LibreTranslate(base_url=url) as client:
        result = client.translate(EAEU_EN, source="en", target="zh")
        assert result.translated_text == EAEU_ZH and result.detected_language is None
        auto = client.translate(RUSSIAN, source="auto", target="en")
        assert auto.translated_text == RUSSIAN
        assert not isinstance(auto.detected_language, list) and auto.detected_language is not None
        assert auto.detected_language.language == "ru"
        assert client.detect(RUSSIAN)[0].language == "ru"
        languages = client.languages()
        assert [language.code for language in languages] == ["en", "zh", "ru"]
        assert {language.code: language.targets for language in languages}["zh"] == ["en", "ru"]
        assert client.health() is True


def test_libretranslate_aio_async_client_translates_detects_and_lists_languages(url: str) -> None:
    async def calls() -> tuple[str | list[str], str, list[str]]:
        async with AsyncLibreTranslate(base_url=url) as client:
            result = await client.translate(EAEU_EN, source="en", target="ru")
            detected = await client.detect("与中国的贸易增长了。")
            languages = await client.languages()
            return result.translated_text, detected[0].language, [language.code for language in languages]

    text, language, codes = asyncio.run(calls())
    assert text == "Trade with the Евразийский экономический союз grew."
    assert language == "zh" and codes == ["en", "zh", "ru"]


def test_libretranslate_aio_list_q_is_answered_as_libretranslate_answers_it(url: str) -> None:
    """libretranslate-aio's README says ``q`` may be a list, but it sends a list as repeated form fields
    (``q=a&q=b``), which no LibreTranslate reads as a list: a bug of the client. LibreTranslate 1.9.6 takes
    the first value, and so does triglot; a list goes through as JSON (what LibreTranslate documents), or
    one call per text, which is what this client can do."""
    texts = ["Trade grew.", "Exports rose."]
    with LibreTranslate(base_url=url) as client:
        first_only = client.translate(texts, source="en", target="ru")
        assert first_only.translated_text == "Trade grew."
        assert [client.translate(text, source="en", target="ru").translated_text for text in texts] == texts
