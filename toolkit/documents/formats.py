"""The document formats triglot translates, each behind the same two functions: the text it would
translate (for limits and detection), and the document translated, with the glossary's report.

Text formats are decoded as every text file is (UTF-8, or UTF-16 with a byte-order mark)
and written back as UTF-8. Plain text goes through the plain path whole; HTML through
``format="html"``; Markdown through the same document translation as HTML, cut by
``markdown``; Word documents through ``word``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from glossary import Glossary, TermReport

from ..errors import InvalidDocument, UnreadableInput
from ..settings import Settings
from ..text import decode
from ..translation import Document, Engine, Translation, parse_html, translate_detailed, translate_documents
from . import word
from .markdown import parse_markdown


@dataclass(frozen=True)
class Translator:
    """What every format translates with: one target, one source (detected once per document), one engine."""

    target: str
    source: str
    glossary: Glossary | bool
    settings: Settings
    engine: Engine

    def texts(self, texts: Sequence[str], *, format: str = "text") -> list[Translation]:
        return translate_detailed(
            texts,
            target=self.target,
            source=self.source,
            glossary=self.glossary,
            settings=self.settings,
            engine=self.engine,
            format=format,
        )

    def documents(self, documents: Sequence[Document]) -> list[Translation]:
        return translate_documents(
            documents,
            target=self.target,
            source=self.source,
            glossary=self.glossary,
            settings=self.settings,
            engine=self.engine,
        )


@dataclass(frozen=True)
class DocumentFormat:
    name: str
    extensions: tuple[str, ...]
    media_type: str
    texts: Callable[[bytes, str], list[str]]  # (data, file name) -> the text that would be translated
    translate: Callable[[bytes, str, Translator], tuple[bytes, tuple[TermReport, ...]]]


def _decoded(data: bytes, name: str) -> str:
    try:
        return decode(data, name)
    except UnreadableInput as error:  # the sender's document, not a file of the server's
        raise InvalidDocument(str(error), name=name) from None


def _plain_texts(data: bytes, name: str) -> list[str]:
    return [_decoded(data, name)]


def _plain(data: bytes, name: str, translator: Translator) -> tuple[bytes, tuple[TermReport, ...]]:
    (result,) = translator.texts([_decoded(data, name)])
    return result.text.encode("utf-8"), result.terms


def _html_texts(data: bytes, name: str) -> list[str]:
    return parse_html(_decoded(data, name)).texts


def _html(data: bytes, name: str, translator: Translator) -> tuple[bytes, tuple[TermReport, ...]]:
    (result,) = translator.texts([_decoded(data, name)], format="html")
    return result.text.encode("utf-8"), result.terms


def _markdown_texts(data: bytes, name: str) -> list[str]:
    return parse_markdown(_decoded(data, name)).texts


def _markdown(data: bytes, name: str, translator: Translator) -> tuple[bytes, tuple[TermReport, ...]]:
    (result,) = translator.documents([parse_markdown(_decoded(data, name))])
    return result.text.encode("utf-8"), result.terms


def _word(data: bytes, name: str, translator: Translator) -> tuple[bytes, tuple[TermReport, ...]]:
    return word.translate(data, name, translator.texts)


FORMATS: tuple[DocumentFormat, ...] = (
    DocumentFormat("text", (".txt",), "text/plain; charset=utf-8", _plain_texts, _plain),
    DocumentFormat("markdown", (".md", ".markdown"), "text/markdown; charset=utf-8", _markdown_texts, _markdown),
    DocumentFormat("html", (".html", ".htm"), "text/html; charset=utf-8", _html_texts, _html),
    DocumentFormat("docx", (".docx",), word.MEDIA_TYPE, word.texts, _word),
)
# The file extensions, dot included, as LibreTranslate's /frontend/settings lists them.
EXTENSIONS: tuple[str, ...] = tuple(extension for kind in FORMATS for extension in kind.extensions)
