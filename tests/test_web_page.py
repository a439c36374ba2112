"""The web page at ``/`` driven in Debian's Chromium with Playwright, against a real server with the tiny
packages (models that copy their input, so only the glossary changes the text).

One browser for the module, a fresh context (empty sessionStorage) per test. Every test's page is
watched: a console error, an uncaught exception or a request to any other origin than the server's
fails it (``Visit.check``, run when the test ends).
"""

from __future__ import annotations

import fnmatch
import io
import os
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

from service import ServiceSettings, create_app
from service.auth import hash_key
from service.routes.web import CONTENT_SECURITY_POLICY, WEB_FOLDER, shipped_files
from tests.service_server import library_settings, running

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000  # the longest a step may take; the tiny models answer in milliseconds
KEY = "editor-key-1"

EAEU_EN = "Trade with the Eurasian Economic Union grew."
EAEU_RU = "Trade with the Евразийский экономический союз grew."
EAEU_ZH = "欧亚经济联盟的贸易增长了。"
ARTICLE = (
    "Small firms trade more across the border\n"
    "The Eurasian Economic Union met in Moscow to simplify customs. "
    "Trade with China grew by ten percent this year. "
    "The Belt and Road Initiative opened new routes for small exporters. "
    "Firms in Harbin sent more goods by rail. "
    "Officials expect more growth next year."
)


@pytest.fixture(scope="module")
def server(tiny_packages: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages)
    with running(create_app(ServiceSettings(), library=library)) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Visit:
    """A page of the web app, with every request, console error and uncaught exception it had."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)  # console errors a test provokes on purpose

    def watch(self) -> None:
        self.page.on("request", lambda request: self._request(request))
        self.page.on("console", lambda message: self._console(message))
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(part in message.text for part in self.expected):
            self.problems.append(f"console: {message.text}")

    def open(self, path: str = "/") -> Page:
        self.page.goto(self.origin + path)
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=WAIT_MS)
        return self.page

    def check(self) -> None:
        """No console error, no uncaught exception, no request to another origin."""
        assert self.problems == []
        assert self.requests, "the page made no request at all"
        elsewhere = [url for url in self.requests if not url.startswith(self.origin + "/")]
        assert elsewhere == []


def visit_in(browser: Browser, origin: str, viewport: dict[str, int] = DESKTOP) -> Iterator[Visit]:
    """A fresh context (a phone's, touch and no hover, at the phone's width) with one watched page."""
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)  # type: ignore[arg-type]
    context.set_default_timeout(WAIT_MS)
    try:
        visit = Visit(context.new_page(), origin)
        visit.watch()
        yield visit
        visit.check()
    finally:
        context.close()


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    yield from visit_in(browser, server)


def translate(page: Page, text: str, source: str, target: str) -> None:
    page.fill("#text", text)
    page.select_option("#source", source)
    page.select_option("#target", target)
    page.click("#translate")
    page.wait_for_selector("#translate-status:has-text('Translated')")


# --- the page and what it is made of ---------------------------------------------------------------


def test_the_page_loads_its_languages_and_strings_from_this_server(visit: Visit) -> None:
    page = visit.open()
    assert page.title() == "triglot — translate, summarise, keep the glossary"
    assert page.inner_text("h1") == "triglot"
    source = page.eval_on_selector_all("#source option", "options => options.map(o => o.value)")
    target = page.eval_on_selector_all("#target option", "options => options.map(o => o.value)")
    assert source == ["auto", "en", "zh", "ru"]  # from /languages
    assert target == ["en", "zh", "ru"] and page.input_value("#target") == "zh"  # /frontend/settings' default
    assert page.get_attribute("#result", "aria-live") == "polite"
    # Every string is in strings.js: nothing in the page is left without its text.
    assert page.eval_on_selector_all("[data-text]", "nodes => nodes.filter(n => !n.textContent.trim()).length") == 0
    assert page.is_hidden("#key-form")  # this server has no API keys
    # Every control has a name a screen reader can say: a label, or its own text.
    unnamed = page.eval_on_selector_all(
        "input, select, textarea, button",
        """controls => controls.filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
                                     && !c.textContent.trim()).map(c => c.id)""",
    )
    assert unnamed == []


def test_the_page_and_its_files_come_with_a_self_only_policy(server: str) -> None:
    answer = httpx.get(server + "/")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert all(value in ("'self'", "'none'") for value in policy.values()), policy
    script = httpx.get(server + "/web/app.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    for name in ("../pyproject.toml", "..%2Fapp.py", "nothing.js", "index.html"):
        assert httpx.get(server + "/web/" + name).status_code == 404, name
    # Nothing refers to another origin: no absolute URL in any shipped file's src, href, import or url().
    for path in shipped_files().values():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//|from\s+["'](https?:)?//|url\((https?:)?//""", text), path


def test_every_file_of_the_page_is_package_data() -> None:
    """An installed wheel serves the page: every file in service/web is in setuptools' package-data."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["service"]
    files = sorted(path.relative_to(WEB_FOLDER.parent).as_posix() for path in WEB_FOLDER.iterdir())
    assert files and all(any(fnmatch.fnmatch(name, p) for p in patterns) for name in files), (files, patterns)
    assert set(shipped_files()) == {Path(name).name for name in files}  # and the route serves each of them


def test_the_page_is_off_with_triglot_web_0_and_the_api_still_answers(
    tiny_packages: dict[tuple[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIGLOT_WEB", "0")
    settings = ServiceSettings.from_env()
    assert settings.web is False
    with running(create_app(settings, library=library_settings(tmp_path / "home", tiny_packages))) as url:
        page = httpx.get(url + "/")
        assert page.status_code == 404 and page.json() == {"error": "Not Found"}
        assert httpx.get(url + "/web/app.js").status_code == 404
        answer = httpx.post(url + "/translate", json={"q": EAEU_EN, "source": "en", "target": "ru"})
        assert answer.status_code == 200 and answer.json() == {"translatedText": EAEU_RU}


# --- Translate ---------------------------------------------------------------------------------------


def test_english_to_russian_marks_the_glossary_term_with_its_report(visit: Visit) -> None:
    page = visit.open()
    translate(page, EAEU_EN, "auto", "ru")
    assert page.inner_text("#result") == EAEU_RU
    mark = page.locator("#result mark.term")
    assert mark.inner_text() == "Евразийский экономический союз"
    assert mark.get_attribute("data-status") == "ok"
    assert "ok" in (mark.get_attribute("title") or "")  # the report on hover
    line = page.locator("#terms li")
    assert line.count() == 1 and "Eurasian Economic Union → Евразийский экономический союз" in line.inner_text()
    assert page.inner_text("#terms .badge") == "ok"  # and beside it, in words
    assert page.inner_text("#detected") == "Detected: English (100 %)"


def test_chinese_to_english_and_the_detected_language(visit: Visit) -> None:
    page = visit.open()
    translate(page, EAEU_ZH, "zh", "en")
    assert page.inner_text("#result") == "Eurasian Economic Union的贸易增长了。"
    assert page.inner_text("#result mark.term") == "Eurasian Economic Union"
    assert page.inner_text("#detected") == ""  # the source was given, not detected
    translate(page, EAEU_ZH, "auto", "en")
    assert page.inner_text("#detected").startswith("Detected: Chinese (")


def test_html_mode_keeps_the_tags_and_shows_them_as_text(visit: Visit) -> None:
    page = visit.open()
    page.check("#html-mode")
    html = '<p>Trade with the <b>Eurasian Economic Union</b> grew.<img src="x" onerror="document.title=1"></p>'
    translate(page, html, "en", "ru")
    shown = page.inner_text("#result")
    assert "<b>Евразийский экономический союз</b>" in shown and "<p>" in shown
    assert page.locator("#result img, #result b").count() == 0  # text, never markup
    assert page.title() != "1"


def test_swap_exchanges_the_languages_and_moves_the_translation_over(visit: Visit) -> None:
    page = visit.open()
    translate(page, EAEU_EN, "auto", "ru")
    page.click("#swap")
    assert (page.input_value("#source"), page.input_value("#target")) == ("ru", "en")  # auto: the detected one
    assert page.input_value("#text") == EAEU_RU


def test_copy_puts_the_translation_on_the_clipboard(visit: Visit) -> None:
    visit.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=visit.origin)
    page = visit.open()
    translate(page, EAEU_EN, "en", "ru")
    page.click("#copy")
    page.wait_for_selector("#translate-status:has-text('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == EAEU_RU


def test_the_translate_form_works_from_the_keyboard_alone(visit: Visit) -> None:
    page = visit.open()
    keyboard = page.keyboard
    for _ in range(20):  # from the top of the page: the skip link, the tabs, then the form
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "text":
            break
    assert page.evaluate("document.activeElement.id") == "text"
    keyboard.type(EAEU_EN)
    order = []
    for _ in range(4):
        keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == ["source", "target", "swap", "translate"]
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # focus visible
    page.focus("#target")
    keyboard.type("Russian")  # a focused select picks by typing
    assert page.input_value("#target") == "ru"
    page.focus("#translate")
    keyboard.press("Enter")
    page.wait_for_selector("#translate-status:has-text('Translated')")
    assert page.inner_text("#result") == EAEU_RU
    keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "swap"
    keyboard.press("Space")
    assert (page.input_value("#source"), page.input_value("#target")) == ("ru", "en")
    # The tabs: arrow keys move between them and show their panel.
    page.focus("#tab-translate")
    keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-article"
    assert page.is_visible("#panel-article") and page.is_hidden("#panel-translate")
    keyboard.press("End")
    assert page.is_visible("#panel-glossary")


def test_a_server_with_keys_asks_for_one_and_sends_it(
    browser: Browser, tiny_packages: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    settings = ServiceSettings(api_keys=(hash_key(KEY),))
    with running(create_app(settings, library=library_settings(tmp_path / "home", tiny_packages))) as url:
        for visit in visit_in(browser, url):
            visit.expected.append("status of 401")  # the refused request, which the browser logs
            page = visit.open()
            assert page.is_visible("#key-form")
            page.fill("#text", EAEU_EN)
            page.click("#translate")
            page.wait_for_selector("#translate-status.error")
            assert "API key is required" in page.inner_text("#translate-status")
            assert page.evaluate("document.activeElement.id") == "key-input"
            page.keyboard.type(KEY)
            page.keyboard.press("Enter")
            assert page.evaluate("sessionStorage.getItem('triglot.apiKey')") == KEY
            translate(page, EAEU_EN, "en", "ru")
            assert page.inner_text("#result") == EAEU_RU
            upload = tmp_path / "note.txt"  # the key goes with a file too (multipart, not JSON)
            upload.write_text(EAEU_EN, encoding="utf-8")
            page.set_input_files("#file", str(upload))
            page.click("#file-button")
            page.wait_for_selector("#file-download")


def test_a_translation_stays_when_its_glossary_report_is_refused(
    browser: Browser, tiny_packages: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    """The glossary makes the translation longer than the server's text limit, so /glossary/check
    refuses it (400): the translation is shown all the same, and the report's absence is explained."""
    source = "Trade with the EAEU grew."
    settings = ServiceSettings(max_text_chars=40)
    assert len(source) <= 40 < len(EAEU_RU)
    with running(create_app(settings, library=library_settings(tmp_path / "home", tiny_packages))) as url:
        for visit in visit_in(browser, url):
            visit.expected.append("status of 400")
            page = visit.open()
            translate(page, source, "en", "ru")
            assert page.inner_text("#result") == EAEU_RU
            assert page.inner_text("#terms").startswith("No glossary report for this translation: ")
            assert "TRIGLOT_MAX_TEXT_CHARS" in page.inner_text("#terms")


# --- Article -----------------------------------------------------------------------------------------


def test_an_article_from_a_text_file_is_summarised_marked_translated_and_copied_for_the_newsletter(
    visit: Visit, tmp_path: Path
) -> None:
    visit.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=visit.origin)
    article = tmp_path / "small-firms.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page = visit.open("/#article")
    assert page.is_visible("#panel-article")
    page.set_input_files("#article-file", str(article))
    page.wait_for_selector("#article-status:has-text('Read small-firms.txt')")
    assert page.input_value("#article-text") == ARTICLE
    assert page.input_value("#article-name") == "small-firms.txt"
    page.fill("#article-url", "https://example.com/small-firms")
    page.click("#article-button")
    page.wait_for_selector("#article-status:has-text('Done')")

    processed = httpx.post(visit.origin + "/process", json={"text": ARTICLE, "sentences": 3}).json()
    sentences = [s["text"] for s in processed["summary"]["sentences"]]
    assert len(sentences) == 3
    assert page.locator("#article-original mark.picked").all_inner_texts() == sentences  # at their offsets
    assert page.inner_text("#article-original") == ARTICLE
    assert page.inner_text("#article-language") == "Language: English (100 %)"
    assert page.inner_text("#article-title") == processed["title"] == "Small firms trade more across the border"
    assert page.inner_text("#article-summary") == processed["summary"]["summary"]
    for code, name in (("zh", "Chinese"), ("ru", "Russian")):
        block = page.locator(f"#article-translations [data-language={code}]")
        assert block.locator("h4").inner_text() == name
        assert processed["translations"][code]["summary"] in block.inner_text()
        statuses = block.locator(".badge").all_inner_texts()
        assert statuses and set(statuses) <= {"ok", "fixed", "missing"}
    ru = page.locator("#article-translations [data-language=ru]")
    assert "Евразийский экономический союз" in ru.locator("mark.term").all_inner_texts()

    page.click("#copy-newsletter")
    page.wait_for_selector("#newsletter-status:has-text('copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#newsletter-html")
    assert copied.startswith('<table role="presentation" width="640"')
    assert '<a href="https://example.com/small-firms"' in copied and "English · small-firms.txt" in copied
    assert "Евразийский экономический союз" in copied and "欧亚经济联盟" in copied


def test_the_newsletter_block_is_the_digests_own_row_for_the_article(server: str) -> None:
    """/process's newsletter_html is what `triglot digest --format html` shows for the same article."""
    from toolkit.digests import render

    body = {"text": ARTICLE, "newsletter_html": True, "name": "a.txt", "url": "javascript:alert(1)"}
    processed = httpx.post(server + "/process", json=body).json()
    block = processed["newsletter_html"]
    assert "javascript:" not in block  # no link but http(s)
    document = {
        "generated": "now", "targets": ["en", "zh", "ru"], "notices": [],
        "articles": [{
            "title": processed["title"], "source": "a.txt", "language": "en",
            "summary": processed["summary"]["summary"], "url": None, "date": None, "error": None,
            "translations": {code: {"title": t["title"], "summary": t["summary"]}
                             for code, t in processed["translations"].items()},
        }],
    }
    page = render(document, "html")
    row = block[block.index("<tr>"):block.rindex("</table>")]
    assert row in page
    assert "newsletter_html" not in httpx.post(server + "/process", json={"text": ARTICLE}).json()


# --- Glossary ----------------------------------------------------------------------------------------


def test_a_term_is_looked_up_in_three_languages_and_a_translation_is_checked(visit: Visit) -> None:
    page = visit.open("/#glossary")
    page.fill("#lookup", "一带一路")
    page.click("#lookup-button")
    entry = page.locator(".entry[data-entry]").first
    entry.wait_for()
    text = entry.inner_text()
    assert "Belt and Road Initiative" in text and "一带一路倡议" in text and "инициатива «Пояс и путь»" in text

    page.select_option("#check-from", "en")
    page.select_option("#check-to", "ru")
    page.fill("#check-source", EAEU_EN)
    page.fill("#check-translation", "Торговля с ЕАЭС выросла.")
    page.click("#check-button")
    page.wait_for_selector("#check-result .terms")
    assert page.inner_text("#check-result .verdict") == "Some terms need attention."
    assert page.inner_text("#check-result .badge") == "fixed"
    assert page.inner_text("#check-result .fixed") == "Торговля с Евразийским экономическим союзом выросла."


# --- Files (POST /translate_file, GET /download_file) ------------------------------------------------


def upload_en_to_ru(visit: Visit, upload: Path) -> tuple[str, str, Path]:
    """``upload`` sent through the page's file form, en→ru: the download link's text, the name the browser
    is given and the downloaded file."""
    page = visit.open()
    assert page.is_visible("#file-form"), "/frontend/settings says filesTranslation is false"
    page.select_option("#source", "en")
    page.select_option("#target", "ru")
    page.set_input_files("#file", str(upload))
    page.click("#file-button")
    link = page.locator("#file-download")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    return link.inner_text(), download.value.suggested_filename, Path(download.value.path())


def test_a_text_file_is_translated_and_downloaded(visit: Visit, tmp_path: Path) -> None:
    upload = tmp_path / "note.txt"
    upload.write_text(EAEU_EN + "\n", encoding="utf-8")
    label, name, downloaded = upload_en_to_ru(visit, upload)
    assert label == "Download note_ru.txt"
    assert name == "note_ru.txt"
    assert downloaded.read_text(encoding="utf-8").strip() == EAEU_RU


def test_a_docx_file_is_translated_and_downloaded(visit: Visit, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("Trade with the ")
    paragraph.add_run("Eurasian Economic Union").bold = True
    paragraph.add_run(" grew.")
    upload = tmp_path / "note.docx"
    document.save(str(upload))
    _, _, downloaded = upload_en_to_ru(visit, upload)
    translated = docx.Document(io.BytesIO(downloaded.read_bytes()))
    assert translated.paragraphs[0].text == EAEU_RU


# --- Screenshots -------------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(("name", "viewport"), [("web-page.png", DESKTOP), ("web-page-phone.png", PHONE)])
def test_screenshots_at_desktop_and_phone_widths(
    browser: Browser, server: str, tmp_path: Path, name: str, viewport: dict[str, int]
) -> None:
    """``SCREENSHOTS=docs`` writes them where README shows them; otherwise to a temporary folder."""
    folder = Path(os.environ.get("SCREENSHOTS") or tmp_path)
    for visit in visit_in(browser, server, viewport):
        page = visit.open()
        translate(page, "Trade with the Eurasian Economic Union grew as the Belt and Road Initiative opened new "
                        "routes to Moscow.", "auto", "ru")
        page.mouse.move(0, viewport["height"] - 1)  # no hover effect in the picture
        page.evaluate("document.activeElement.blur()")
        shot = page.screenshot()
        assert png_size(shot) == (viewport["width"], viewport["height"])
        assert len(shot) > 10_000  # a blank page compresses to a few hundred bytes
        (folder / name).write_bytes(shot)
        for tab in ("translate", "article", "glossary"):  # nothing wider than the screen: no sideways scrolling
            page.click(f"#tab-{tab}")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], tab
