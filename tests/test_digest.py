"""The digest as a library: every article, every translation, and HTML, Markdown and JSON a reader can trust."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from toolkit import Digest, Settings, digest
from toolkit.digests import SCHEMA
from toolkit.digests.render import md_escape
from toolkit.errors import InvalidOption

EN_TXT = """Eurasian Economic Union simplifies customs for small exporters

Small exporters in the Eurasian Economic Union will file one electronic declaration from March.
The change was agreed by the union's commission after complaints from small firms in Russia and China.
Officials expect border checks for small consignments to take hours instead of days.
"""

ZH_MD = """# 中俄中小企业用人民币结算

今年以来，越来越多的中俄中小企业开始用人民币和卢布结算货款。
银行人士表示，本币结算减少了汇率风险，也缩短了回款时间。
不过，一些小企业仍然反映跨境支付手续较为复杂。
"""

RU_HTML = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>Инициатива «Пояс и путь» открывает новые маршруты для малого бизнеса</title>
<meta property="article:published_time" content="2026-10-05"></head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a> <a href="/contacts">Контакты</a></nav>
<article><h1>Инициатива «Пояс и путь» открывает новые маршруты для малого бизнеса</h1>
<p>Малые предприятия Сибири всё активнее пользуются железнодорожными маршрутами в Китай.</p>
<p>По словам логистов, сборные контейнеры позволяют отправить всего несколько паллет груза.</p>
<p>Срок доставки до Чэнду сократился до двенадцати дней, а оплату можно проводить в юанях.</p>
</article><footer>© 2026 Сибирский вестник. Все права защищены.</footer></body></html>
"""

FEED = [
    {"title": "Border trade at Manzhouli reaches a record", "text": "Freight through Manzhouli reached a record this "
     "autumn. Small traders from both sides said that payments in yuan now arrive within a week.",
     "url": "https://news.example/manzhouli", "date": "2026-11-02"},
]

SCRIPT_ARTICLE = """Warning about <script>alert(1)</script> in trade portals

A trade portal showed <script>alert(1)</script> inside an article about border trade with China.
Its editors said that small firms should report such pages to the portal at once.
"""


def write_articles(folder: Path) -> Path:
    """A folder of four articles in three languages and four formats."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "1-customs-en.txt").write_text(EN_TXT, encoding="utf-8")
    (folder / "2-payments-zh.md").write_text(ZH_MD, encoding="utf-8")
    (folder / "3-routes-ru.html").write_text(RU_HTML, encoding="utf-8")
    (folder / "4-feed.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in FEED), encoding="utf-8")
    return folder


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "articles")


@pytest.fixture
def done(articles: Path, with_models: Settings) -> Digest:
    return digest([articles], settings=with_models)


def validate(data: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


class Page(HTMLParser):
    """Every text run with the nearest ``lang`` above it; checks that tags close in order."""

    VOID = {"meta", "br", "img", "hr", "link", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []
        self.tags: list[str] = []
        self.attributes: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> does not close {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            lang = next((lang for _, lang in reversed(self.stack) if lang is not None), None)
            self.texts.append((" ".join(data.split()), lang))

    def lang_of(self, text: str) -> str | None:
        wanted = " ".join(text.split())
        found = [lang for run, lang in self.texts if wanted in run]
        assert found, f"{text!r} is not on the page"
        return found[0]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == []
    return page


def test_mixed_formats_each_give_an_article_in_input_order(done: Digest) -> None:
    sources = [Path(a.source).name for a in done.articles]
    assert sources == ["1-customs-en.txt", "2-payments-zh.md", "3-routes-ru.html", "4-feed.jsonl:1"]
    assert [a.language for a in done.articles] == ["en", "zh", "ru", "en"]
    assert done.articles[2].title == "Инициатива «Пояс и путь» открывает новые маршруты для малого бизнеса"
    assert "Главная" not in (done.articles[2].summary or "") and "©" not in (done.articles[2].summary or "")
    assert done.articles[3].url == "https://news.example/manzhouli"


def test_with_the_tiny_packages_every_article_has_every_other_language(done: Digest) -> None:
    assert done.notices == () and done.failed == ()
    for article in done.articles:
        assert article.translations is not None
        assert set(article.translations) == {"en", "zh", "ru"} - {article.language}
        for translation in article.translations.values():
            assert translation.title and translation.summary
    customs = done.to_dict()["articles"][0]
    assert "欧亚经济联盟" in customs["translations"]["zh"]["title"]
    assert "Евразийск" in customs["translations"]["ru"]["summary"]
    assert {"target": "zh", "id": customs["terms"][0]["id"]}.items() <= customs["terms"][0].items()


def test_the_json_aligns_every_summary_sentence_with_its_offsets_in_the_article(
    done: Digest, articles: Path
) -> None:
    data = done.to_dict()
    assert data["signature"].startswith("triglot:") and "engine:ctranslate2" in data["signature"]
    customs = data["articles"][0]
    body = (articles / "1-customs-en.txt").read_text(encoding="utf-8").split("\n", 1)[1].strip()  # after the title line
    assert customs["sentences"] and " ".join(s["text"] for s in customs["sentences"]) == customs["summary"]
    for sentence in customs["sentences"]:
        assert body[sentence["start"] : sentence["end"]] == sentence["text"]
    for translation in customs["translations"].values():
        spans = [(s["start"], s["end"]) for s in translation["sentences"]]
        assert spans == [(s["start"], s["end"]) for s in customs["sentences"]]
        assert translation["signature"].startswith("triglot:") and "packages:translate-en_" in translation["signature"]
    assert "algorithm:" in customs["signature"]


def test_json_validates_against_the_schema_with_and_without_failures(
    done: Digest, articles: Path, tmp_path: Path
) -> None:
    validate(json.loads(done.render("json")))
    (articles / "5-broken.txt").write_bytes(b"\x00\x01binary")
    bare = Settings.from_env(home=tmp_path / "no-packages")
    without_packages = digest([articles], targets=["en", "zh"], settings=bare)
    data = json.loads(without_packages.render("json"))
    validate(data)
    assert data["notices"] and data["articles"][-1]["error"].endswith("looks like a binary file, not text; give a "
                                                                      "UTF-8 text file")


def test_every_field_of_the_schema_is_described() -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                assert "description" in child, f"{where}.{name}"
            for key, child in node.items():
                walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for child in node:
                walk(child, where)

    walk(json.loads(SCHEMA.read_text(encoding="utf-8")), "$")


def test_html_parses_and_every_text_block_carries_its_language(done: Digest) -> None:
    html = done.render("html")
    page = parse(html)
    assert '<meta charset="utf-8">' in html and page.tags[0] == "html"
    for article in done.to_dict()["articles"]:
        assert page.lang_of(article["title"]) == article["language"]
        assert page.lang_of(article["summary"]) == article["language"]
        for target, translation in article["translations"].items():
            assert page.lang_of(translation["title"]) == target
            assert page.lang_of(translation["summary"]) == target


def test_html_is_fit_for_email(done: Digest) -> None:
    html = done.render("html")
    page = parse(html)
    assert "table" in page.tags and "style" not in page.tags and "script" not in page.tags
    assert "link" not in page.tags and "img" not in page.tags
    for attributes in page.attributes:
        assert "src" not in attributes and "class" not in attributes
        href = attributes.get("href")
        assert href is None or href == "https://news.example/manzhouli"
    assert "Noto Sans CJK SC" in html and "Microsoft YaHei" in html and "Arial" in html


def test_article_text_stays_inert_in_html(tmp_path: Path, with_models: Settings) -> None:
    (tmp_path / "a.txt").write_text(SCRIPT_ARTICLE, encoding="utf-8")
    feed = {"title": "Bad link", "text": "A link that runs code.", "url": "javascript:alert(2)"}
    (tmp_path / "b.jsonl").write_text(json.dumps(feed), encoding="utf-8")
    html = digest([tmp_path], targets=["en", "zh"], sentences=5, settings=with_models).render("html")
    page = parse(html)
    assert "script" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert any("<script>alert(1)</script> inside an article" in text for text, _ in page.texts)
    assert "javascript:" not in html.replace("A link that runs code", "")


def test_markdown_escapes_what_markdown_would_act_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Yuan *and* rouble [deals](https://x.example) <b>rise</b>\n\n"
        "Payments in yuan_and_roubles rose by 5% this year.\nSmall firms led the growth in border trade.\n",
        encoding="utf-8",
    )
    md = digest([tmp_path], targets=["en"]).render("md")
    assert r"## Yuan \*and\* rouble \[deals\](https://x.example) \<b\>rise\</b\>" in md
    assert r"yuan\_and\_roubles" in md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain words", "plain words"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("- not a list", r"\- not a list"),
        ("a | b", r"a \| b"),
        ("&amp; stays", r"\&amp; stays"),
        ("two\nlines", "two lines"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_markdown_has_every_article_and_language(done: Digest) -> None:
    md = done.render("md")
    for article in done.articles:
        assert md_escape(article.title) in md
    for name in ("**English", "**中文", "**Русский"):
        assert md.count(name) == len(done.articles)


def test_sort_by_date_puts_the_newest_first_and_the_undated_last(articles: Path) -> None:
    (articles / "2026-12-01-latest.txt").write_text(EN_TXT.replace("March", "April"), encoding="utf-8")
    ordered = digest([articles], targets=["en"], sort="date")
    assert [(Path(a.source).name, a.date) for a in ordered.articles] == [
        ("2026-12-01-latest.txt", "2026-12-01"),
        ("4-feed.jsonl:1", "2026-11-02"),
        ("3-routes-ru.html", "2026-10-05"),
        ("1-customs-en.txt", None),
        ("2-payments-zh.md", None),
    ]
    with pytest.raises(InvalidOption, match="unknown sort"):
        digest([articles], sort="size")


def test_a_user_template_replaces_the_shipped_one(done: Digest, tmp_path: Path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text(
        "<ul>{% for a in articles %}<li lang=\"{{ a.language }}\">{{ a.title }}: "
        "{{ a.blocks|map(attribute='lang')|join(',') }}</li>{% endfor %}</ul>\n",
        encoding="utf-8",
    )
    html = done.render("html", template)
    assert html.startswith("<ul><li lang=\"en\">Eurasian Economic Union simplifies") and "en,zh,ru" in html
    broken = tmp_path / "broken.md.j2"
    broken.write_text("{% for a in articles %}", encoding="utf-8")
    with pytest.raises(InvalidOption, match="broken.md.j2: template error at line 1"):
        done.render("md", broken)
    with pytest.raises(InvalidOption, match="not json"):
        done.render("json", template)
    with pytest.raises(InvalidOption, match="unknown format"):
        done.render("pdf")


def test_targets_that_leave_out_the_article_language_still_show_the_original(articles: Path,
                                                                             with_models: Settings) -> None:
    only_english = digest([articles / "2-payments-zh.md"], targets=["en"], settings=with_models)
    (article,) = only_english.articles
    assert article.language == "zh" and set(article.translations or {}) == {"en"}
    page = parse(only_english.render("html"))
    assert page.lang_of(article.summary or "") == "zh"
