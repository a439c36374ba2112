"""Markdown cut into markup and text, so that ``translation.translate_documents`` translates it as it does HTML.

Line by line, each line's syntax is markup, kept as written: fenced code blocks
whole, horizontal rules, table delimiter rows, the marks that open a line (headings,
block quotes, list items), and inside a line code spans, images, link targets
(``](url)``), raw tags and autolinks (``<…>``), bare URLs, emphasis marks and table
pipes. What is left between them is text; as in HTML, "The **Eurasian Economic
Union** grew." goes to the engine as three pieces, so a mark can never be lost or
moved. A paragraph wrapped over several lines is translated line by line (the price
of keeping every line break where it was). The patterns stop at the next opener of
their own kind, so a line full of unclosed brackets is read in linear time.
"""

from __future__ import annotations

import re

from ..translation import Document, TextNode, merge_markup

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r" {0,3}([-*_])([ \t]*\1){2,}[ \t]*")
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
# What opens a line: indentation, block quotes, then a heading's "#"s or a list item's marker.
_OPENER = re.compile(r"[ \t]*(?:>[ \t]?)*(?:#{1,6}[ \t]+|(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?")
_INLINE_MARKUP = re.compile(
    r"`[^`\n]*`"  # code span
    r"|!\[[^\[\]\n]*\]\([^()\n]*\)"  # image, alt text included
    r"|\]\([^()\n]*\)"  # a link's target (its label is text)
    r"|\["  # a link's opening bracket
    r"|<[^<>\n]*>"  # raw HTML tag or autolink
    r"|https?://[^\s<>()]+"  # bare URL
    r"|\*+|(?<!\w)_+|_+(?!\w)"  # emphasis marks; "_" inside a word (snake_case) is text
    r"|\|"  # table cell separator
)
_SPACE = " \t"


def parse_markdown(text: str) -> Document:
    """``text`` as markup and text nodes; joining the pieces as written gives ``text`` back."""
    pieces: list[str | TextNode] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if fence is not None:
            pieces.append(line)
            if body.strip().startswith(fence):
                fence = None
            continue
        opened = _FENCE.match(body)
        if opened:
            fence = opened.group(1)[0] * 3
            pieces.append(line)
            continue
        if not body.strip() or _RULE.fullmatch(body) or ("-" in body and _TABLE_DELIMITER.fullmatch(body)):
            pieces.append(line)
            continue
        opener = _OPENER.match(body)
        start = opener.end() if opener else 0
        pieces.append(body[:start])
        _inline(body[start:], pieces)
        pieces.append(ending)
    return Document(tuple(merge_markup(pieces)), escape=False)


def _inline(line: str, pieces: list[str | TextNode]) -> None:
    done = 0
    for mark in _INLINE_MARKUP.finditer(line):
        _text(line[done : mark.start()], pieces)
        pieces.append(mark.group())
        done = mark.end()
    _text(line[done:], pieces)


def _text(raw: str, pieces: list[str | TextNode]) -> None:
    """Text between marks: a node when it holds a letter, else markup ("2024", " — ")."""
    if not any(char.isalpha() for char in raw):
        pieces.append(raw)
        return
    core = raw.strip(_SPACE)
    start = raw.index(core)
    pieces.append(TextNode(raw[:start], core, raw[start + len(core) :]))
