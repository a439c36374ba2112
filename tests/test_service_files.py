"""POST /translate_file and GET /download_file on a real server, as LibreTranslate's clients use them.

The tiny packages copy their input: what a downloaded file holds beyond its input is
the glossary's terms, in the place (the run, the Markdown span, the HTML node) they
came from.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import pytest
from libretranslate_aio import AsyncLibreTranslate, LibreTranslate

from service import ServiceSettings, create_app, hash_key
from service.files import FOLDER
from tests.service_server import library_settings, running
from tests.test_documents import BRI_RU, EAEU_RU, runs, word_document
from toolkit import Settings

Packages = dict[tuple[str, str], Path]
KEY = "files-key"
TEXT = "Trade with the Eurasian Economic Union grew.\n\nThe Belt and Road Initiative too.\n"


@pytest.fixture(scope="module")
def home(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return library_settings(tmp_path_factory.mktemp("home"), tiny_packages)


@pytest.fixture(scope="module")
def url(home: Settings) -> Iterator[str]:
    with running(create_app(ServiceSettings(), library=home)) as base:
        yield base


def upload(url: str, name: str, data: bytes, **fields: str) -> httpx.Response:
    form = {"source": "auto", "target": "ru", **fields}
    return httpx.post(url + "/translate_file", data=form, files={"file": (name, data)}, timeout=60)


def translated(url: str, name: str, data: bytes, **fields: str) -> httpx.Response:
    answer = upload(url, name, data, **fields)
    assert answer.status_code == 200, answer.text
    (link,) = answer.json().values()
    assert link.startswith(url + "/download_file/")
    download = httpx.get(link)
    assert download.status_code == 200, download.text
    return download


@pytest.mark.parametrize(
    ("name", "text", "expected", "media"),
    [
        ("notes.txt", TEXT, f"Trade with the {EAEU_RU} grew.\n\nThe {BRI_RU} too.\n", "text/plain"),
        (
            "notes.md",
            "# The Belt and Road Initiative\n\n*Trade* with the **Eurasian Economic Union** [grew](https://e.org/x).\n",
            f"# The {BRI_RU}\n\n*Trade* with the **{EAEU_RU}** [grew](https://e.org/x).\n",
            "text/markdown",
        ),
        (
            "page.htm",
            "<html><body><p>Trade with the <b>Eurasian Economic Union</b> grew &amp; more.</p></body></html>",
            f"<html><body><p>Trade with the <b>{EAEU_RU}</b> grew &amp; more.</p></body></html>",
            "text/html",
        ),
    ],
)
def test_a_text_file_comes_back_translated_in_place_under_its_own_name(
    url: str, name: str, text: str, expected: str, media: str
) -> None:
    download = translated(url, name, text.encode("utf-8"))
    assert download.content.decode("utf-8") == expected
    assert download.headers["content-type"] == f"{media}; charset=utf-8"
    stem, extension = name.rsplit(".", 1)
    assert download.headers["content-disposition"] == f'attachment; filename="{stem}_ru.{extension}"'


def test_the_query_string_gives_the_fields_before_the_form_as_for_every_post(url: str) -> None:
    # LibreTranslate reads request.values: the query string's source and target win over the form's.
    answer = httpx.post(
        url + "/translate_file",
        params={"source": "en", "target": "zh"},
        data={"target": "ru"},
        files={"file": ("note.txt", b"Trade grew.")},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    (link,) = answer.json().values()
    assert link.endswith("note_zh.txt")


def test_format_controls_in_a_text_file_are_translated_not_refused(url: str) -> None:
    # Text pasted from a PDF holds form feeds, vertical tabs and NEL; /translate takes them, so must a file.
    download = translated(url, "pasted.txt", "Trade grew.\fExports rose.\vImports fell.\u0085".encode("utf-8"))
    assert [word in download.content.decode("utf-8") for word in ("Trade", "Exports", "Imports")] == [True] * 3


def test_a_word_document_comes_back_with_its_formatting_and_the_glossary_enforced(url: str) -> None:
    download = translated(url, "Quarterly report.docx", word_document())
    assert download.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert download.headers["content-disposition"] == 'attachment; filename="Quarterly_report_ru.docx"'
    document = docx.Document(io.BytesIO(download.content))
    assert runs(document.paragraphs[0]) == [
        ("Trade with the ", None, None),
        (EAEU_RU, True, None),
        (" grew ", None, None),
        ("quickly", None, True),
        (" this year.", None, None),
    ]
    assert document.tables[0].cell(1, 0).text == EAEU_RU
    assert document.sections[0].header.paragraphs[0].text == f"Notes on the {BRI_RU}"


def test_a_name_in_another_script_is_kept_for_the_download(url: str) -> None:
    download = translated(url, "Отчёт 2024.txt", TEXT.encode())
    assert download.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82_2024_ru.txt"
    )


def test_frontend_settings_say_files_are_translated_and_list_the_formats(url: str) -> None:
    settings = httpx.get(url + "/frontend/settings").json()
    assert settings["filesTranslation"] is True
    assert {".txt", ".md", ".html", ".htm", ".docx"} <= set(settings["supportedFilesFormat"])


@pytest.mark.parametrize(
    ("request_fields", "words"),
    [
        ({"files": {"file": ("a.pdf", b"%PDF-1.7")}}, "file format not supported"),
        ({"files": {"file": ("a", b"text")}}, "file format not supported"),
        ({"files": {"file": ("a.docx", b"PK\x03\x04garbage")}}, "not a readable .docx file"),
        ({"files": {"file": ("a.docx", b"")}}, "not a readable .docx file"),
        ({"files": {"file": ("a.txt", "Торговля".encode("cp1251"))}}, "not UTF-8"),
        ({"files": {"other": ("a.txt", b"Trade grew.")}}, "missing file parameter"),
        ({"files": {"file": ("a.txt", b"Trade grew.")}, "data": {"source": "en"}}, "missing target parameter"),
        ({"files": {"file": ("a.txt", b"Trade grew.")}, "data": {"target": "ru"}}, "missing source parameter"),
        ({"files": {"file": ("a.txt", b"Trade grew.")}, "data": {"source": "en", "target": "fr"}}, "'fr'"),
        ({"files": {"file": ("a.txt", b"Trade grew.")}, "data": {"source": "en", "target": "r\x00u"}}, "U+0000"),
        ({"json": {"source": "en", "target": "ru"}}, "multipart/form-data"),
        ({"data": {"source": "en", "target": "ru"}}, "multipart/form-data"),
    ],
)
def test_a_bad_upload_is_a_400_that_says_why(url: str, request_fields: dict[str, object], words: str) -> None:
    fields: dict[str, object] = {"data": {"source": "auto", "target": "ru"}, **request_fields}
    answer = httpx.post(url + "/translate_file", **fields)
    assert answer.status_code == 400, answer.text
    assert words in answer.json()["error"]


@pytest.mark.parametrize(
    "name",
    [
        "../cache.sqlite3",
        "..%2Fcache.sqlite3",
        "%2e%2e%2fcache.sqlite3",
        "..%5Ccache.sqlite3",
        "0123456789abcdef0123456789abcdef.x_ru.txt",  # the shape of a name, but none was issued
        "0123456789abcdef0123456789abcdef.",
        "0123456789ABCDEF0123456789ABCDEF.x.txt",
        "0123456789abcdef0123456789abcdef..%2F..%2Fcache.sqlite3",
        "0123456789abcdef0123456789abcdef.a%5C..%5Cb.txt",
        "%2Fetc%2Fpasswd",
        "secret.txt",
    ],
)
def test_only_names_the_server_issued_are_downloaded(url: str, home: Settings, name: str) -> None:
    (home.home / FOLDER).mkdir(exist_ok=True)
    (home.home / FOLDER / "secret.txt").write_text("not a translated file")
    answer = httpx.get(f"{url}/download_file/{name}")
    assert answer.status_code == 404
    assert "error" in answer.json()


def test_an_issued_name_with_a_path_around_it_is_refused(url: str) -> None:
    issued = upload(url, "notes.txt", TEXT.encode()).json()["translatedFileUrl"].rsplit("/", 1)[1]
    for variant in (f"..%2F{FOLDER}%2F{issued}", f"{FOLDER}%2F{issued}", issued.replace(".", "..", 1)):
        assert httpx.get(f"{url}/download_file/{variant}").status_code == 404, variant
    assert httpx.get(f"{url}/download_file/{issued}").status_code == 200


@pytest.mark.parametrize("sent", ["../../outside/notes.txt", "/etc/notes.txt", "..\\..\\notes.txt", ".notes.txt"])
def test_a_path_in_the_uploaded_name_is_not_followed(url: str, home: Settings, sent: str) -> None:
    link = upload(url, sent, TEXT.encode()).json()["translatedFileUrl"]
    name = link.rsplit("/", 1)[1]
    assert "/" not in name and "\\" not in name and ".." not in name
    assert (home.home / FOLDER / name).is_file()  # written in the folder, nowhere else
    download = httpx.get(link)
    assert download.status_code == 200 and download.headers["content-disposition"].endswith('_ru.txt"')


def test_files_from_one_worker_are_downloaded_from_another(url: str, home: Settings) -> None:
    # Workers share nothing but the data directory: a second app on the same home is another worker.
    with running(create_app(ServiceSettings(), library=home)) as other:
        link = upload(url, "notes.txt", TEXT.encode()).json()["translatedFileUrl"]
        answer = httpx.get(link.replace(url, other))
    assert answer.status_code == 200 and EAEU_RU in answer.text


def test_translate_keeps_its_own_body_limit(url: str) -> None:
    # /translate_file may take megabytes; /translate still refuses past TRIGLOT_MAX_BODY_BYTES.
    big = "Trade grew. " * 30_000
    answer = httpx.post(url + "/translate", json={"q": big, "source": "en", "target": "ru"})
    assert answer.status_code == 413 and "TRIGLOT_MAX_BODY_BYTES" in answer.json()["error"]


@pytest.fixture(scope="module")
def limited(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    # A home of its own: its sweeper, on a short clock, must not delete the other servers' files.
    home = library_settings(tmp_path_factory.mktemp("limited-home"), tiny_packages)
    settings = ServiceSettings(max_file_bytes=4000, max_file_chars=200, keep_files_minutes=0.03)
    with running(create_app(settings, library=home)) as base:
        yield base, home


def test_a_file_over_the_size_limit_is_413_while_it_streams(limited: tuple[str, Settings]) -> None:
    url, _ = limited
    # Just over the file limit, inside what the body may hold: the route measures the file.
    answer = upload(url, "big.txt", b"a" * 4001)
    assert answer.status_code == 413 and "TRIGLOT_MAX_FILE_BYTES" in answer.json()["error"]
    # Far over: refused by the body limit, whether the length is declared or streamed in chunks.
    answer = upload(url, "big.txt", b"a" * 200_000)
    assert answer.status_code == 413 and "TRIGLOT_MAX_FILE_BYTES" in answer.json()["error"]

    def chunks() -> Iterator[bytes]:
        boundary = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
        yield boundary
        for _ in range(50):
            yield b"a" * 10_000

    headers = {"content-type": "multipart/form-data; boundary=xyz"}
    answer = httpx.post(url + "/translate_file", content=chunks(), headers=headers)
    assert answer.status_code == 413 and "TRIGLOT_MAX_FILE_BYTES" in answer.json()["error"]
    assert upload(url, "small.txt", b"Trade grew.").status_code == 200


def test_a_file_over_the_character_limit_is_400_before_any_translation(limited: tuple[str, Settings]) -> None:
    url, _ = limited
    answer = upload(url, "long.txt", ("Trade grew. " * 17).encode())  # 204 characters
    assert answer.status_code == 400 and "TRIGLOT_MAX_FILE_CHARS" in answer.json()["error"]
    assert upload(url, "long.txt", ("Trade grew. " * 16).encode()).status_code == 200  # 192


def test_a_translated_file_is_deleted_when_its_time_is_up(limited: tuple[str, Settings]) -> None:
    url, home = limited
    folder = home.home / FOLDER
    link = upload(url, "notes.txt", TEXT.encode()).json()["translatedFileUrl"]
    name = link.rsplit("/", 1)[1]
    assert (folder / name).is_file()
    assert httpx.get(link).status_code == 200
    # Kept 1.8 s: after that the download is refused, and the timer (every 0.9 s) removes the file
    # with no request to sweep it.
    deadline = time.monotonic() + 10
    while (folder / name).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not (folder / name).exists()
    assert httpx.get(link).status_code == 404


def test_keys_and_the_rate_limit_guard_translate_file(home: Settings) -> None:
    settings = ServiceSettings(api_keys=(hash_key(KEY),), rate_limit=3)
    with running(create_app(settings, library=home)) as url:
        assert upload(url, "notes.txt", TEXT.encode()).status_code == 401
        assert upload(url, "notes.txt", TEXT.encode(), api_key="wrong").status_code == 403
        assert upload(url, "notes.txt", TEXT.encode(), api_key=KEY).status_code == 200
        assert upload(url, "notes.txt", TEXT.encode(), api_key=KEY).status_code == 200
        assert upload(url, "notes.txt", TEXT.encode(), api_key=KEY).status_code == 200
        answer = upload(url, "notes.txt", TEXT.encode(), api_key=KEY)
        assert answer.status_code == 429 and "Retry-After" in answer.headers


def test_file_translation_can_be_switched_off(home: Settings) -> None:
    with running(create_app(ServiceSettings(file_translation=False), library=home)) as url:
        answer = upload(url, "notes.txt", TEXT.encode())
        assert answer.status_code == 403 and "disabled" in answer.json()["error"]
        assert httpx.get(url + "/download_file/0123456789abcdef0123456789abcdef.a.txt").status_code == 400
        settings = httpx.get(url + "/frontend/settings").json()
        assert (settings["filesTranslation"], settings["supportedFilesFormat"]) == (False, [])


def test_libretranslate_aio_translates_a_file(url: str, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(word_document())
    with LibreTranslate(base_url=url) as client:  # as its README shows
        result = client.translate_file(path, source="en", target="ru")
    download = httpx.get(result.translated_file_url)
    assert docx.Document(io.BytesIO(download.content)).paragraphs[0].runs[1].text == EAEU_RU


def test_libretranslate_aio_translates_a_file_asynchronously(url: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(TEXT, encoding="utf-8")

    async def main() -> str:
        async with AsyncLibreTranslate(base_url=url) as client:
            with path.open("rb") as handle:  # an open file works as a path does
                result = await client.translate_file(handle, source="auto", target="ru")
            return result.translated_file_url

    link = asyncio.run(main())
    assert link.endswith("_ru.txt")
    assert httpx.get(link).text == f"Trade with the {EAEU_RU} grew.\n\nThe {BRI_RU} too.\n"
