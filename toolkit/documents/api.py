"""Documents in, documents out: read one (``read_document``), translate it (``translate_document``), or both
from a file to a file (``translate_file``).

Reading comes first and apart, so a caller can check what the document holds (its
characters of text) against a limit of its own before any detection or engine work:
the service does. A document whose language is asked for (``auto``) is detected once,
on its text as a whole, not paragraph by paragraph (a one-word cell would be guessed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from glossary import Glossary, TermReport

from ..detection import UNDETERMINED, detect_supported
from ..errors import InvalidOption, UndetectedLanguage
from ..settings import Settings
from ..text import normalize_language, read_bytes, source_language, write_bytes_atomically
from ..translation import Engine, engine_for
from .formats import EXTENSIONS, FORMATS, DocumentFormat, Translator

# Detection reads this much of a document's text: more says nothing new and costs time.
DETECTION_CHARS = 10_000


@dataclass(frozen=True)
class SourceDocument:
    """A document read and checked, not yet translated."""

    name: str  # the file name it came with (its extension says its format)
    format: DocumentFormat
    data: bytes
    texts: tuple[str, ...]  # the text that will be translated, piece by piece

    @property
    def characters(self) -> int:
        return sum(len(text) for text in self.texts)


@dataclass(frozen=True)
class TranslatedDocument:
    """A document translated: its bytes, the name to give it, and how it was made."""

    name: str  # the source's name with the target language added, as LibreTranslate names it: report_ru.docx
    media_type: str
    data: bytes
    source: str  # the source language; "und" when none could be told (the document comes back as it was)
    target: str
    characters: int
    terms: tuple[TermReport, ...]  # the glossary's report for the whole document


def format_of(name: str) -> DocumentFormat:
    """The format a file name's extension says, or an ``InvalidOption`` listing the ones triglot reads."""
    extension = PurePath(name).suffix.lower()
    for kind in FORMATS:
        if extension in kind.extensions:
            return kind
    shown = f"'{extension}'" if extension else "no extension"
    raise InvalidOption(f"{name}: {shown} is not a document format triglot translates; use one of {', '.join(EXTENSIONS)}")


def read_document(data: bytes, *, name: str) -> SourceDocument:
    """``data`` read as the format ``name``'s extension says; an ``InvalidDocument`` when it cannot be."""
    kind = format_of(name)
    return SourceDocument(name, kind, data, tuple(kind.texts(data, name)))


def translate_document(
    document: SourceDocument,
    *,
    target: str,
    source: str = "auto",
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> TranslatedDocument:
    """``document`` translated to ``target``, its layout and formatting kept (see each format's module).

    ``source="auto"`` detects the document's language once; text whose language cannot be
    told (numbers, symbols) comes back as it was, with ``source`` "und"."""
    settings = settings or Settings.from_env()
    target = normalize_language(target)
    language = source_language(source)
    name = translated_name(document.name, target)
    unchanged = TranslatedDocument(
        name, document.format.media_type, document.data, language or UNDETERMINED.language, target, document.characters, ()
    )
    if not any(char.isalpha() for text in document.texts for char in text):
        return unchanged
    if language is None:
        try:
            language = detect_supported(
                " ".join(document.texts)[:DETECTION_CHARS], doing="translate", margin=settings.detect_margin
            ).language
        except UndetectedLanguage:
            return unchanged
    translator = Translator(target, language, glossary, settings, engine or engine_for(settings))
    data, terms = document.format.translate(document.data, document.name, translator)
    return TranslatedDocument(name, document.format.media_type, data, language, target, document.characters, terms)


def translate_file(
    path: Path,
    output: Path,
    *,
    target: str,
    source: str = "auto",
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> TranslatedDocument:
    """Translate the document at ``path`` and write it to ``output`` atomically (a reader never sees half)."""
    settings = settings or Settings.from_env()
    if format_of(output.name) is not format_of(path.name):
        raise InvalidOption(f"{output}: write a {path.suffix} document to a {path.suffix} file")
    document = read_document(read_bytes(path, limit=settings.max_input_bytes), name=path.name)
    translated = translate_document(
        document, target=target, source=source, glossary=glossary, settings=settings, engine=engine
    )
    write_bytes_atomically(output, translated.data, what="the translated document")
    return translated


def translated_name(name: str, target: str) -> str:
    """``report.docx`` to ``report_ru.docx``: the name LibreTranslate gives a translated file."""
    path = PurePath(name)
    return f"{path.stem}_{target}{path.suffix}"
