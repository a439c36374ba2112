"""Translate texts among English, Chinese and Russian with the installed packages: the stage's API.

``translate`` gives the text, ``translate_detailed`` the text and how it was made
(the language found, the route, the signature, the glossary's report, alternatives).
Plain texts go through ``plain``, HTML texts (``format="html"``) through ``markup``;
both batch every sentence of every text per package. Chinese and Russian translate
to each other through English: the public index has no direct package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from glossary import Glossary, resolve

from ..errors import InvalidOption
from ..settings import Settings
from ..text import normalize_language, source_language
from .alternatives import MAX_ALTERNATIVES
from .batching import Item, Request, Translation
from .engine import Engine, engine_for
from .markup import Document, translate_documents as _translate_documents, translate_html
from .plain import translate_items

FORMATS = ("text", "html")


@overload
def translate(  # type: ignore[overload-overlap]  # a str is also a Sequence[str]; str wins
    text: str,
    *,
    target: str,
    source: str = ...,
    glossary: Glossary | bool = ...,
    settings: Settings | None = ...,
    engine: Engine | None = ...,
    format: str = ...,
) -> str: ...
@overload
def translate(
    text: Sequence[str],
    *,
    target: str,
    source: str = ...,
    glossary: Glossary | bool = ...,
    settings: Settings | None = ...,
    engine: Engine | None = ...,
    format: str = ...,
) -> list[str]: ...
def translate(
    text: str | Sequence[str],
    *,
    target: str,
    source: str = "auto",
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
    format: str = "text",
) -> str | list[str]:
    """Translate a text, or a list of texts, to ``target``; ``source="auto"`` detects each text's language.

    ``glossary``: True enforces the shipped glossary and the user's (``TRIGLOT_GLOSSARY``),
    a ``Glossary`` enforces that one, False none. ``format="html"``: the texts are HTML;
    the text between tags is translated, the markup kept as given (see ``markup``).
    """
    texts = [text] if isinstance(text, str) else list(text)
    results = translate_detailed(
        texts, target=target, source=source, glossary=glossary, settings=settings, engine=engine, format=format
    )
    return results[0].text if isinstance(text, str) else [r.text for r in results]


def translate_detailed(
    texts: Sequence[str],
    *,
    target: str,
    source: str = "auto",
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
    format: str = "text",
    alternatives: int = 0,
) -> list[Translation]:
    """Translate each text and say how: the language found, the route, the packages and options, the terms.

    ``format``: "text" or "html" (see ``translate``). ``alternatives``: up to that many other
    translations per text (at most ``MAX_ALTERNATIVES``), from the engine's n-best list of
    each sentence, glossary-fixed like the main one; through English (zh↔ru) they vary the
    last leg only, the English in between is the best one. An engine that cannot rank
    translations (no ``translate_nbest``) gives none.
    """
    _check_options(format, alternatives)
    settings = settings or Settings.from_env()
    target = normalize_language(target)
    fixed_source = source_language(source)
    request = Request(target, engine or engine_for(settings), resolve(glossary, settings), settings, alternatives)
    if format == "html":
        return translate_html(texts, fixed_source, request)
    return translate_items([Item(text, fixed_source) for text in texts], request)


def translate_documents(
    documents: Sequence[Document],
    *,
    target: str,
    source: str = "auto",
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> list[Translation]:
    """Translate documents already cut into markup and text nodes (``markup.Document``): what
    ``format="html"`` does after parsing, for a caller with markup of its own (Markdown).
    Every node of every document goes in the same batches; ``auto`` detects each document once."""
    settings = settings or Settings.from_env()
    target = normalize_language(target)
    fixed_source = source_language(source)
    request = Request(target, engine or engine_for(settings), resolve(glossary, settings), settings, 0)
    return _translate_documents(documents, fixed_source, request)


def _check_options(format: str, alternatives: int) -> None:
    """Refuse bad options before anything is loaded, detected or translated."""
    if format not in FORMATS:
        raise InvalidOption(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
    if isinstance(alternatives, bool) or not isinstance(alternatives, int):
        raise InvalidOption(f"alternatives must be a whole number, not {alternatives!r}")
    if not 0 <= alternatives <= MAX_ALTERNATIVES:
        raise InvalidOption(f"alternatives must be between 0 and {MAX_ALTERNATIVES}, not {alternatives}")
