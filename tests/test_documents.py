"""Whole documents translated in place: .txt, .md, .html and .docx, formatting kept, the glossary enforced.

The tiny packages copy their input, so what changes between a document and its
translation is triglot's doing: the glossary's terms, written into the run, the
Markdown span or the HTML node they came from.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

import toolkit
from toolkit import Settings
from toolkit.documents import EXTENSIONS, read_document, translate_document, translated_name
from toolkit.documents.markdown import parse_markdown
from toolkit.errors import InvalidDocument, InvalidOption

EAEU_RU = "Евразийский экономический союз"
BRI_RU = "инициатива «Пояс и путь»"
BRI_ZH = "一带一路倡议"


def word_document() -> bytes:
    """A report with a bold term, an italic word, a hyperlinked term, a table, a header, a footer and a page break."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Notes on the Belt and Road Initiative"
    section.footer.paragraphs[0].text = "Prepared for the newsletter."
    paragraph = document.add_paragraph("Trade with the ")
    term = paragraph.add_run("Eurasian Economic Union")
    term.bold = True
    term.font.name = "Georgia"
    paragraph.add_run(" grew ")
    paragraph.add_run("quickly").italic = True
    paragraph.add_run(" this year.")
    linked = document.add_paragraph("Read more about the ")
    _hyperlink(linked, "https://example.org/bri", "Belt and Road Initiative")
    linked.add_run(" on the project's pages.")
    broken = document.add_paragraph("Before the break.")
    broken.add_run().add_break(WD_BREAK.PAGE)
    broken.add_run("After the break.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Partner"
    table.cell(0, 1).text = "Share"
    table.cell(1, 0).text = "Eurasian Economic Union"
    table.cell(1, 1).text = "12%"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _hyperlink(paragraph: Any, url: str, text: str) -> None:
    """python-docx reads hyperlinks but cannot add one: the w:hyperlink element, as Word writes it."""
    relation = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(qn("w:val"), "single")
    properties.append(style)
    run.append(properties)
    run.text = text
    link.append(run)
    paragraph._p.append(link)


def runs(paragraph: Any) -> list[tuple[str, bool | None, bool | None]]:
    return [(run.text, run.bold, run.italic) for run in paragraph.runs]


def translated_word(data: bytes, settings: Settings, *, target: str = "ru", **options: Any) -> Any:
    result = translate_document(read_document(data, name="report.docx"), target=target, settings=settings, **options)
    assert result.name == f"report_{target}.docx"
    return result, docx.Document(io.BytesIO(result.data))


def test_a_word_document_is_translated_in_place_with_every_run_formatted_as_it_was(with_models: Settings) -> None:
    result, document = translated_word(word_document(), with_models)
    first, linked, broken = document.paragraphs[:3]
    # The bold run holds the enforced term and nothing else; the runs around it their own words.
    assert runs(first) == [
        ("Trade with the ", None, None),
        (EAEU_RU, True, None),
        (" grew ", None, None),
        ("quickly", None, True),
        (" this year.", None, None),
    ]
    assert first.runs[1].font.name == "Georgia"
    # The link's words found in the paragraph's translation in another case ("Инициатива" alone,
    # "инициатива" after "the"): the paragraph's are used, and stay the link's.
    assert linked.text == f"Read more about the {BRI_RU} on the project's pages."
    (link,) = linked.hyperlinks
    assert link.address == "https://example.org/bri"
    assert link.text == BRI_RU and link.runs[0].underline
    # The page break's run is kept where it was, between the two sentences.
    assert [run.text for run in broken.runs] == ["Before the break.", "", "After the break."]
    assert 'w:type="page"' in broken.runs[1]._r.xml
    assert document.tables[0].cell(1, 0).text == EAEU_RU
    assert document.tables[0].cell(1, 1).text == "12%"
    header = document.sections[0].header.paragraphs[0].text
    assert header == f"Notes on the {BRI_RU}"
    assert document.sections[0].footer.paragraphs[0].text == "Prepared for the newsletter."
    assert {(term.id, term.status) for term in result.terms} == {("eaeu", "fixed"), ("bri", "fixed")}
    assert result.source == "en"


def test_a_formatted_piece_the_translation_does_not_contain_falls_back_to_piece_by_piece(with_models: Settings) -> None:
    # "Eurasian Economic" in bold, "Union" not: the paragraph's translation holds the whole term
    # in Russian, where the bold words cannot be found; each piece is then translated alone.
    document = docx.Document()
    paragraph = document.add_paragraph("The Belt and Road Initiative and trade with the ")
    paragraph.add_run("Eurasian Economic").bold = True
    paragraph.add_run(" Union grew.")
    out = io.BytesIO()
    document.save(out)
    result, translated = translated_word(out.getvalue(), with_models)
    assert runs(translated.paragraphs[0]) == [
        (f"The {BRI_RU} and trade with the ", None, None),
        ("Eurasian Economic", True, None),
        (" Union grew.", None, None),
    ]
    # The report is the pieces', which were used, not the paragraph's, which was not.
    assert [term.id for term in result.terms] == ["bri"]


def test_spaces_stay_outside_a_formatted_piece_when_that_formatting_holds_the_most_text(with_models: Settings) -> None:
    # Bold holds more characters than the plain text around it: the plain pieces are the ones looked
    # for, and the spaces between them stay in the plain runs, as written, not in the bold one.
    document = docx.Document()
    paragraph = document.add_paragraph("Trade with the ")
    paragraph.add_run("Eurasian Economic Union").bold = True
    paragraph.add_run(" grew.")
    out = io.BytesIO()
    document.save(out)
    _, translated = translated_word(out.getvalue(), with_models)
    assert runs(translated.paragraphs[0]) == [("Trade with the ", None, None), (EAEU_RU, True, None), (" grew.", None, None)]


def test_a_word_document_in_chinese_is_detected_once_and_keeps_its_runs(with_models: Settings) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("我们支持")
    paragraph.add_run("一带一路倡议").bold = True
    paragraph.add_run("的合作。")
    out = io.BytesIO()
    document.save(out)
    result, translated = translated_word(out.getvalue(), with_models, target="en")
    assert result.source == "zh"
    assert runs(translated.paragraphs[0]) == [("我们支持", None, None), ("Belt and Road Initiative", True, None), ("的合作。", None, None)]


def test_the_glossary_can_be_switched_off_for_a_document(with_models: Settings) -> None:
    _, document = translated_word(word_document(), with_models, glossary=False)
    assert document.paragraphs[0].runs[1].text == "Eurasian Economic Union"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "notes.txt",
            "Trade with the Eurasian Economic Union grew.\n\nThe Belt and Road Initiative too.\n",
            f"Trade with the {EAEU_RU} grew.\n\nThe {BRI_RU} too.\n",
            id="text",
        ),
        pytest.param(
            "notes.md",
            "# The Belt and Road Initiative\n\n"
            "Trade with the **Eurasian Economic Union** grew, see [the report](https://example.org/eaeu_report).\n\n"
            "- `Eurasian Economic Union` in code stays\n"
            "| Partner | Share |\n|---|---|\n| Eurasian Economic Union | 12% |\n\n"
            "```\nEurasian Economic Union\n```\n",
            f"# The {BRI_RU}\n\n"
            f"Trade with the **{EAEU_RU}** grew, see [the report](https://example.org/eaeu_report).\n\n"
            "- `Eurasian Economic Union` in code stays\n"
            f"| Partner | Share |\n|---|---|\n| {EAEU_RU} | 12% |\n\n"
            "```\nEurasian Economic Union\n```\n",
            id="markdown",
        ),
        pytest.param(
            "page.html",
            '<!DOCTYPE html><html><head><title>Trade &amp; growth</title></head><body>'
            '<p class="x">Trade with the <b>Eurasian Economic Union</b> grew.</p>'
            "<pre>Eurasian Economic Union</pre></body></html>",
            '<!DOCTYPE html><html><head><title>Trade &amp; growth</title></head><body>'
            f'<p class="x">Trade with the <b>{EAEU_RU}</b> grew.</p>'
            "<pre>Eurasian Economic Union</pre></body></html>",
            id="html",
        ),
    ],
)
def test_text_documents_come_back_in_place_with_the_glossary_enforced(
    with_models: Settings, name: str, text: str, expected: str
) -> None:
    result = translate_document(read_document(text.encode("utf-8"), name=name), target="ru", settings=with_models)
    assert result.data.decode("utf-8") == expected
    assert "eaeu" in {term.id for term in result.terms}
    media = {".txt": "text/plain", ".md": "text/markdown", ".html": "text/html"}
    assert result.media_type == media[Path(name).suffix] + "; charset=utf-8"


def test_markdown_keeps_less_than_signs_as_text_not_entities(with_models: Settings) -> None:
    text = "Trade grew by < 5% & more.\n"
    result = translate_document(read_document(text.encode(), name="a.md"), target="zh", source="en", settings=with_models)
    assert result.data.decode() == text


def test_markdown_is_cut_so_that_joining_its_pieces_gives_it_back() -> None:
    text = "## A *b* _c_ snake_case [d](e_f) ![g](h) <i>j</i> https://k.l/m_n `o`\n> p | q\n\n---\n"
    document = parse_markdown(text)
    assert document.render(document.texts) == text
    # Link targets, images, URLs, tags and code are markup; "_" inside a word is text.
    assert document.texts == ["A", "b", "c", "snake_case", "d", "j", "p", "q"]


def test_a_line_of_unclosed_brackets_is_cut_in_linear_time() -> None:
    import time

    for line in ("![" * 20_000, "<" * 40_000, "`" * 40_001, "](" * 20_000):
        started = time.perf_counter()
        parse_markdown(line + " word")
        assert time.perf_counter() - started < 2.0, line[:4]


def test_a_document_without_letters_comes_back_unchanged_without_loading_a_model(tmp_path: Path) -> None:
    data = b"2024 | 12% | 3.5\n"
    result = translate_document(read_document(data, name="numbers.txt"), target="ru", settings=Settings.from_env())
    assert (result.data, result.source) == (data, "und")


@pytest.mark.parametrize(
    ("name", "data", "error", "words"),
    [
        ("report.docx", b"PK\x03\x04 not really a zip", InvalidDocument, "not a readable .docx"),
        ("report.docx", b"", InvalidDocument, "not a readable .docx"),
        ("notes.txt", "Торговля".encode("cp1251"), InvalidDocument, "not UTF-8"),
        ("slides.pdf", b"%PDF-1.7", InvalidOption, "'.pdf' is not a document format"),
        ("README", b"text", InvalidOption, "no extension"),
    ],
)
def test_a_document_that_cannot_be_read_is_one_clear_error(name: str, data: bytes, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        read_document(data, name=name)


def test_a_docx_zip_that_declares_a_huge_unpacked_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.documents import word

    monkeypatch.setattr(word, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InvalidDocument, match="unpacks to"):
        read_document(word_document(), name="big.docx")


def test_translate_file_writes_the_document_and_the_facade_has_it(with_models: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    source = folder / "report.docx"
    source.write_bytes(word_document())
    output = folder / "out.docx"
    result = toolkit.translate_file(source, output, target="ru", settings=with_models)
    assert isinstance(result, toolkit.TranslatedDocument)
    assert docx.Document(str(output)).paragraphs[0].runs[1].text == EAEU_RU
    assert sorted(folder.iterdir()) == [output, source]  # written in place of a temporary file, none left


def test_translate_file_refuses_an_output_of_another_format(with_models: Settings, tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(word_document())
    with pytest.raises(InvalidOption, match="write a .docx document to a .docx file"):
        toolkit.translate_file(source, tmp_path / "out.txt", target="ru", settings=with_models)
    assert not (tmp_path / "out.txt").exists()


def test_names_and_formats_are_libretranslates() -> None:
    assert translated_name("Quarterly report.docx", "zh") == "Quarterly report_zh.docx"
    assert set(EXTENSIONS) >= {".txt", ".md", ".html", ".htm", ".docx"}
    assert all(extension.startswith(".") for extension in EXTENSIONS)


def test_a_document_in_auto_follows_the_detection_margin_setting(with_models: Settings) -> None:
    # Names read as Dutch; within TRIGLOT_DETECT_MARGIN English, second, is taken, as for /translate.
    document = read_document(b"Wang Yi met Lavrov", name="note.txt")
    assert translate_document(document, target="ru", settings=with_models).source == "en"
    no_margin = Settings.from_env({}, home=with_models.home, detect_margin=0.0)
    with pytest.raises(toolkit.UnsupportedLanguage, match="'nl'"):
        translate_document(document, target="ru", settings=no_margin)
