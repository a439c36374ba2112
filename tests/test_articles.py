"""Reading digest inputs: .txt, .md, .html/.htm, .jsonl, folders, and every way a file can be bad."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from toolkit.pipeline import Article, FailedInput, read_articles
from toolkit.pipeline.articles import plain_text
from toolkit.errors import EmptyInput, InvalidArticle, UnreadableInput

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Rail freight to Kazan doubles for small shippers | Freight Weekly</title>
<meta property="article:published_time" content="2026-08-14">
</head><body>
<div id="cookie-consent"><p>We use cookies to improve your experience. Accept all cookies or manage your settings.</p>
<button>Accept</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/rail">Rail</a></li><li><a href="/sea">Sea</a></li>
<li><a href="/subscribe">Subscribe to our newsletter</a></li></ul></nav>
<article><h1>Rail freight to Kazan doubles for small shippers</h1>
<p>Rail freight from Xi'an to Kazan doubled this year as small shippers moved from sea to rail, operators said on Tuesday.</p>
<p>Groupage containers let a small firm send two pallets instead of a whole wagon, and the journey takes eleven days.</p>
<p>Operators said customs clearance under Eurasian Economic Union rules happens once, at the border of the union.</p>
<p>Payments for most shipments are made in yuan or roubles, which spares small firms the delays of dollar transfers.</p>
</article>
<footer><p>Copyright 2026 Freight Weekly. All rights reserved. Terms of use. Privacy policy.</p></footer>
</body></html>
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def only(entries: list[Article | FailedInput]) -> Article:
    (entry,) = entries
    assert isinstance(entry, Article), entry
    return entry


def failure(entries: list[Article | FailedInput]) -> FailedInput:
    (entry,) = entries
    assert isinstance(entry, FailedInput), entry
    return entry


def test_txt_first_line_is_the_title(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\n  Border trade grows  \n\nTrade grew by a tenth.\nSmall firms led it.\n")
    article = only(read_articles([path]))
    assert article.title == "Border trade grows"
    assert article.text == "Trade grew by a tenth.\nSmall firms led it."
    assert article.source == str(path) and article.position == 0


def test_md_strips_the_heading_marks_front_matter_and_obvious_syntax(tmp_path: Path) -> None:
    md = "## Yuan **payments** rise\n\nExporters *now* settle in [yuan](https://x.example) and `roubles`.\n\n- one\n- two\n"
    article = only(read_articles([write(tmp_path / "b.md", md)]))
    assert article.title == "Yuan payments rise"
    assert article.text == "Exporters now settle in yuan and roubles.\n\none\ntwo"
    front = "---\ntitle: Given title\ndate: 2026-05-02\nurl: https://news.example/a\n---\nFirst para.\n"
    dated = only(read_articles([write(tmp_path / "c.md", front)]))
    assert (dated.title, dated.date, dated.url, dated.text) == (
        "Given title", "2026-05-02", "https://news.example/a", "First para."
    )


def test_a_file_of_one_line_is_an_untitled_article(tmp_path: Path) -> None:
    line = "边境贸易今年增长了百分之十二，中小企业的份额明显上升。企业普遍使用人民币和卢布结算。"
    article = only(read_articles([write(tmp_path / "one.txt", line + "\n")]))
    assert (article.title, article.text) == (None, line)


def test_plain_text_leaves_ordinary_prose_alone() -> None:
    prose = "Trade rose 5% in 2026; prices (in yuan) fell.\n\nA second paragraph."
    assert plain_text(prose) == prose


def test_html_keeps_the_article_and_drops_nav_footer_and_cookie_banner(tmp_path: Path) -> None:
    article = only(read_articles([write(tmp_path / "page.html", PAGE)]))
    assert article.title is not None and article.title.startswith("Rail freight to Kazan doubles")
    assert "groupage containers" in article.text.lower()
    for boilerplate in ("cookies", "Subscribe", "Copyright", "Privacy", "Home"):
        assert boilerplate not in article.text
    assert article.date == "2026-08-14"


def test_html_extraction_logs_and_warns_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path / "tiny.htm", "<html><head><title>T</title></head><body><script>var a = 1;</script></body></html>")
    with caplog.at_level(logging.WARNING):
        entry = failure(read_articles([page]))
    assert isinstance(entry.error, EmptyInput) and "no article text" in str(entry.error)
    assert capsys.readouterr().err == ""


def test_html_links_are_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was touched")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    page = PAGE.replace("<head>", '<head><link rel="canonical" href="https://freight.example/kazan">')
    article = only(read_articles([write(tmp_path / "p.html", page)]))
    assert article.url == "https://freight.example/kazan"


def test_jsonl_gives_one_article_per_line_and_a_bad_line_fails_alone(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "One", "text": "First text.", "url": "https://a.example/1", "date": "2026-03-01"}),
        "",
        "{not json",
        json.dumps({"title": "No text"}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "Two", "text": "Second text.", "date": "last Tuesday"}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    entries = read_articles([path])
    assert [e.position for e in entries] == [0, 1, 2, 3, 4]
    first, bad_json, no_text, a_list, second = entries
    assert isinstance(first, Article) and first.source == f"{path}:1" and first.url == "https://a.example/1"
    assert isinstance(second, Article) and second.source == f"{path}:6" and second.date is None
    for entry, line in ((bad_json, 3), (no_text, 4), (a_list, 5)):
        assert isinstance(entry, FailedInput) and entry.source == f"{path}:{line}"
        assert isinstance(entry.error, InvalidArticle) and entry.error.line == line
        assert str(entry.error).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n \n", "empty"),
        ("front-matter-only.md", b"---\ntitle: T\n---\n\n", "no text"),
        ("cp1251.txt", "Заголовок\n\nТекст статьи.".encode("cp1251"), "not UTF-8"),
        ("binary.html", b"\x00\x01\x02\x03<html>", "binary"),
        ("empty.jsonl", b"\n\n", "no articles"),
    ],
)
def test_a_bad_file_is_one_failed_entry_naming_it(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = write(tmp_path / name, content)
    entry = failure(read_articles([path]))
    assert entry.source == str(path)
    assert str(path) in str(entry.error) and words in str(entry.error)


def test_an_explicit_file_of_unknown_kind_fails_alone(tmp_path: Path) -> None:
    good = write(tmp_path / "a.txt", "Title\n\nText.")
    odd = write(tmp_path / "report.pdf", b"%PDF-1.7")
    entries = read_articles([odd, good])
    assert isinstance(entries[0], FailedInput) and "not an article file" in str(entries[0].error)
    assert isinstance(entries[1], Article) and entries[1].position == 1


def test_folders_are_searched_recursively_sorted_and_skip_other_files(tmp_path: Path) -> None:
    write(tmp_path / "news" / "b.txt", "B\n\nb text.")
    write(tmp_path / "news" / "a" / "z.md", "# Z\n\nz text.")
    write(tmp_path / "news" / "a.html", PAGE)
    write(tmp_path / "news" / "notes.docx", b"PK\x03\x04")
    write(tmp_path / "news" / ".hidden.txt", "H\n\nh.")
    write(tmp_path / "news" / ".git" / "c.txt", "C\n\nc.")
    sources = [Path(e.source).relative_to(tmp_path / "news").as_posix() for e in read_articles([tmp_path / "news"])]
    assert sources == ["a/z.md", "a.html", "b.txt"]  # sorted by path parts: folder "a" before "a.html"
    assert read_articles([tmp_path / "news"]) == read_articles([tmp_path / "news"])


def test_a_folder_with_nothing_usable_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "empty" / "photo.jpg", b"\xff\xd8\xff")
    with pytest.raises(EmptyInput, match="no articles found"):
        read_articles([tmp_path / "empty"])


def test_a_missing_input_is_an_error_not_an_entry(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no such file or folder"):
        read_articles([tmp_path / "nowhere"])


def test_a_date_at_the_start_of_a_file_name_dates_the_article(tmp_path: Path) -> None:
    assert only(read_articles([write(tmp_path / "2026-07-03-forum.txt", "T\n\nText.")])).date == "2026-07-03"
    assert only(read_articles([write(tmp_path / "2026-07-forum.txt", "T\n\nText.")])).date == "2026-07"
    assert only(read_articles([write(tmp_path / "20260703.txt", "T\n\nText.")])).date is None


def test_utf16_and_bom_files_read_like_utf8(tmp_path: Path) -> None:
    text = "Граница\n\nТорговля растёт."
    for name, data in (("a.txt", text.encode("utf-16")), ("b.txt", b"\xef\xbb\xbf" + text.encode())):
        assert only(read_articles([write(tmp_path / name, data)])).title == "Граница"
