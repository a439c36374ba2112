"""Documents: whole files (.txt, .md, .html, .docx) translated with their layout and formatting kept.

``api`` reads a document (``read_document``), translates it (``translate_document``), or
does both from file to file (``translate_file``); ``formats`` names the formats, each
reusing a translation path: plain text, HTML (``format="html"``), Markdown cut into the
same documents as HTML (``markdown``), and Word documents run by run (``word``).
"""

from .api import (
    SourceDocument,
    TranslatedDocument,
    format_of,
    read_document,
    translate_document,
    translate_file,
    translated_name,
)
from .formats import EXTENSIONS, FORMATS, DocumentFormat

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "DocumentFormat",
    "SourceDocument",
    "TranslatedDocument",
    "format_of",
    "read_document",
    "translate_document",
    "translate_file",
    "translated_name",
]
