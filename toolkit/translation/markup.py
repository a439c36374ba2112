"""HTML in, HTML out: the text between tags is what gets translated; the markup stays as written.

``translate(..., format="html")`` comes here; each text node goes through ``plain`` as an item.

A document is cut into markup, kept byte for byte (tags with their attributes,
comments, declarations, and everything inside ``<script>``, ``<style>``, ``<code>``,
``<pre>`` or an element marked ``translate="no"``), and text nodes. A text node's
entities are decoded and its inner whitespace runs read as one space, as a browser
shows them; the whitespace around it is kept as written; its translation is
escaped (``&``, ``<``, ``>``) on the way back in. Attribute values (``title``,
``alt``) are not translated: they are part of the tags, which stay as given.

Inline elements (``<b>``, ``<a>``, ``<em>`` …) inside a sentence: every text node is
translated on its own, so "The <b>Eurasian Economic Union</b> grew." goes to the
engine as "The", "Eurasian Economic Union" and "grew.". The tags can never be lost,
duplicated or moved into the wrong place, which is what goes wrong when a sentence
with placeholders for its tags is sent to a model trained on plain text; the price
is that words do not move across a tag boundary and a fragment is translated
without the rest of its sentence. Glossary terms are found within one node, not
across a tag. Nodes holding no letter ("|", "2024", "—") are kept as written.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from glossary import merge_reports

from ..detection import UNDETERMINED, detect_supported
from ..errors import UndetectedLanguage
from .alternatives import variants
from .batching import Item, Request, Translation, check_unicode
from .plain import translate_items

# Elements whose content is kept as written: code, and what the browser does not show as text.
KEPT_ELEMENTS = frozenset({"script", "style", "code", "pre"})
# Elements that have no end tag, so they never hold content.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# HTML's whitespace: a no-break space (&nbsp;) is text, not layout.
_HTML_SPACE = " \t\n\r\f"
_SPACES = re.compile(f"[{_HTML_SPACE}]+")


@dataclass(frozen=True)
class TextNode:
    """Text between two pieces of markup, ready to translate."""

    lead: str  # whitespace before the text, as written
    text: str  # entities decoded, inner whitespace runs as one space
    trail: str  # whitespace after the text, as written


@dataclass(frozen=True)
class Document:
    """An HTML text as markup (kept verbatim) and text nodes (to translate), in order.

    ``escape``: a translation is HTML-escaped on the way back in; False for a document
    whose markup is not HTML (Markdown, from ``toolkit.documents``), where "<" is text."""

    pieces: tuple[str | TextNode, ...]
    escape: bool = True

    @property
    def texts(self) -> list[str]:
        """The text of every node to translate, in document order."""
        return [piece.text for piece in self.pieces if isinstance(piece, TextNode)]

    def visible_text(self) -> str:
        """All the text to translate, joined: what language detection looks at."""
        return " ".join(self.texts)

    def render(self, translations: Sequence[str]) -> str:
        """The document with each node's text replaced by its translation, escaped."""
        nodes = [piece for piece in self.pieces if isinstance(piece, TextNode)]
        if len(nodes) != len(translations):
            raise ValueError(f"{len(nodes)} text nodes but {len(translations)} translations")
        replaced = iter(translations)
        return "".join(
            piece if isinstance(piece, str) else piece.lead + self._written(next(replaced)) + piece.trail
            for piece in self.pieces
        )

    def _written(self, translation: str) -> str:
        return html.escape(translation, quote=False) if self.escape else translation


def translate_html(texts: Sequence[str], source: str | None, request: Request) -> list[Translation]:
    """Translate HTML texts: every text node of every text as one item of one request (``translate_documents``)."""
    for text in texts:
        check_unicode(text)
    return translate_documents([parse(text) for text in texts], source, request, written=texts)


def translate_documents(
    documents: Sequence[Document], source: str | None, request: Request, *, written: Sequence[str] | None = None
) -> list[Translation]:
    """Translate documents: every text node of every document as one item of one request.

    With ``source`` None each document's language is detected on its visible text, not node
    by node; ``written`` (each document as written) is what comes back for one whose language
    cannot be told, when the request keeps those. A document's terms are its nodes' reports
    merged; its alternatives are built from its nodes' alternatives as a text's are from its
    sentences'.
    """
    kept_documents: list[Document] = []
    undetermined: list[bool] = []  # kept as written: its language could not be told
    items: list[Item] = []
    for number, document in enumerate(documents):
        for node in document.texts:
            check_unicode(node)
        detection = None
        kept = False
        if source is None and document.texts:
            try:
                detection = detect_supported(
                    document.visible_text(), doing="translate", margin=request.settings.detect_margin
                )
            except UndetectedLanguage:
                if written is None or not request.keep_undetermined:
                    raise
                document, kept = Document((written[number],)), True  # no nodes: it comes back as written
        kept_documents.append(document)
        undetermined.append(kept)
        # A text with nothing to translate still gets the route and signature an empty plain text gets.
        language = detection.language if detection else source
        items += [Item(node, language, detection) for node in document.texts or [""]]
    translated = iter(translate_items(items, request))
    results = []
    for document, kept in zip(kept_documents, undetermined):
        parts = [next(translated) for _ in document.texts or [""]]
        if kept:
            parts = [replace(parts[0], detection=UNDETERMINED)]
        # A document without text nodes is all markup: rendering it gives it back as written.
        main = document.render([p.text for p in parts] if document.texts else [])
        options = [list(p.alternatives) for p in parts]
        results.append(
            replace(
                parts[0],
                text=main,
                sentences=sum(p.sentences for p in parts),
                cached_sentences=sum(p.cached_sentences for p in parts),
                terms=merge_reports(p.terms for p in parts),
                alternatives=variants([p.text for p in parts], options, request.alternatives, main, document.render),
            )
        )
    return results


def parse(source: str) -> Document:
    """Cut ``source`` into markup and text nodes; joining the markup and the nodes as written gives ``source`` back."""
    scanner = _Scanner(source)
    scanner.feed(source)
    scanner.close()
    events = scanner.events
    bounds = [offset for offset, _ in events[1:]] + [len(source)]
    pieces: list[str | TextNode] = []
    if events and events[0][0] > 0:  # never seen; kept rather than lost
        pieces.append(source[: events[0][0]])
    raw: list[str] = []
    data: list[str] = []
    for (start, text), end in zip(events, bounds):
        if text is None:
            _flush(pieces, raw, data)
            pieces.append(source[start:end])
        else:
            raw.append(source[start:end])
            data.append(text)
    _flush(pieces, raw, data)
    return Document(tuple(merge_markup(pieces)))


def _flush(pieces: list[str | TextNode], raw: list[str], data: list[str]) -> None:
    """Turn the text gathered so far into a node, or into markup when there is nothing to translate."""
    if not raw:
        return
    written, decoded = "".join(raw), "".join(data)
    raw.clear()
    data.clear()
    # The parser skips a few malformed constructs ("</>") without a word; a span whose
    # text is not what the parser read holds one, and is kept as written.
    if html.unescape(written) != decoded or not any(char.isalpha() for char in decoded):
        pieces.append(written)
        return
    # By stripping, not by a pattern anchored at the end: searched for, "[ \t…]*\Z" tries
    # every space of every inner run and reads the rest of the run from each (quadratic).
    start = len(written) - len(written.lstrip(_HTML_SPACE))
    end = max(start, len(written.rstrip(_HTML_SPACE)))
    core = _SPACES.sub(" ", html.unescape(written[start:end]))
    pieces.append(TextNode(written[:start], core, written[end:]))


def merge_markup(pieces: list[str | TextNode]) -> list[str | TextNode]:
    """Each run of markup between two text nodes as one piece (none where the run is empty).

    A run is joined once: adding each piece to the one before copies the run so far
    every time, quadratic in a run of tags ("<br>" * 100,000).
    """
    merged: list[str | TextNode] = []
    run: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            run.append(piece)
            continue
        if markup := "".join(run):
            merged.append(markup)
        run = []
        merged.append(piece)
    if markup := "".join(run):
        merged.append(markup)
    return merged


class _Scanner(HTMLParser):
    """Where each construct starts, and for text outside kept elements, the text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        # The parser reports (line, column) with lines counted at "\n" only.
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", source)]
        self.events: list[tuple[int, str | None]] = []
        self._kept: list[str] = []  # open elements inside a kept one, outermost kept first
        self._kept_count: Counter[str] = Counter()  # how often each tag is in _kept: a look-up, not a scan

    def _mark(self, text: str | None) -> None:
        line, column = self.getpos()
        self.events.append((self._line_starts[line - 1] + column, text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(None)
        if tag in VOID_ELEMENTS:
            return
        untranslatable = any(name == "translate" and (value or "").strip().lower() == "no" for name, value in attrs)
        if self._kept or tag in KEPT_ELEMENTS or untranslatable:
            self._kept.append(tag)
            self._kept_count[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(None)

    def handle_endtag(self, tag: str) -> None:
        self._mark(None)
        if self._kept_count[tag]:  # an end tag closes the elements left open inside it too
            while (closed := self._kept.pop()) != tag:
                self._kept_count[closed] -= 1
            self._kept_count[tag] -= 1

    def handle_data(self, data: str) -> None:
        self._mark(None if self._kept else data)

    def handle_comment(self, data: str) -> None:
        self._mark(None)

    def handle_decl(self, decl: str) -> None:
        self._mark(None)

    def handle_pi(self, data: str) -> None:
        self._mark(None)

    def unknown_decl(self, data: str) -> None:
        self._mark(None)
