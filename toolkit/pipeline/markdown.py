"""Markdown to plain text for summarising: the obvious syntax removed, in time that follows the text.

Cheap and line-based: a summary is picked sentences, not a rendering, so losing a
rare construct is fine. What must not happen is a file that takes minutes: every
step here reads the text a bounded number of times whatever it holds (2,000 spaces
in a heading, 8,000 unclosed ``**``, a ``[`` never closed). The steps whose
regular expressions would backtrack over such runs (headings, comments, links,
bold, italics) are string scans; the rest are patterns anchored at a line start
whose quantifiers cannot overlap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

# A heading's opening marks: up to three spaces, one to six "#", then a space or tab.
_HEADING_OPENER = re.compile(r" {0,3}#{1,6}[ \t]+")
_SPACE_OR_TAB = " \t"


def plain_text(markdown: str) -> str:
    """Markdown with its obvious syntax removed, paragraphs and line breaks kept."""
    for step in _STEPS:
        markdown = step(markdown)
    return markdown.strip()


def _by_line(rewrite: Callable[[str], str]) -> Callable[[str], str]:
    """A step that rewrites each line on its own (lines end at "\\n" only, as ``.`` and ``$`` read them)."""

    def step(text: str) -> str:
        return "\n".join(rewrite(line) for line in text.split("\n"))

    return step


def _heading(line: str) -> str:
    """A heading line as its text: the opening marks, any closing "#"s and the spaces around them gone."""
    opener = _HEADING_OPENER.match(line)
    if opener is None:
        return line
    return line[opener.end() :].rstrip(_SPACE_OR_TAB).rstrip("#").rstrip(_SPACE_OR_TAB)


def _without_comments(text: str) -> str:
    """``text`` without its ``<!-- … -->`` comments; a comment left open is kept as written."""
    pieces: list[str] = []
    done = 0
    while (start := text.find("<!--", done)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break  # no comment opened later can close either
        pieces.append(text[done:start])
        done = end + 3
    pieces.append(text[done:])
    return "".join(pieces)


def _links(text: str, *, opener: str, keep_label: bool) -> str:
    """Inline links ``[label](target)`` (``opener`` "[") as their label, or images ``![alt](target)``
    (``opener`` "![") as nothing; a link's label may not be empty, an image's may.

    The label runs to the first "]" after the opener and the target to the first ")"
    after that; both are remembered while the scan moves on, so text full of
    unclosed brackets is read once, not once per bracket.
    """
    pieces: list[str] = []
    done = 0
    close_label = close_target = -2  # the first "]" / ")" found so far; -1 when there is none left
    start = text.find(opener)
    while start != -1:
        label = start + len(opener)
        if close_label < label:
            close_label = text.find("]", label)
        if close_label == -1:
            break
        if text.startswith("(", close_label + 1) and (close_label > label or not keep_label):
            if close_target < close_label + 2:
                close_target = text.find(")", close_label + 2)
            if close_target == -1:
                break
            pieces += (text[done:start], text[label:close_label] if keep_label else "")
            done = close_target + 1
            start = text.find(opener, done)
        else:
            start = text.find(opener, start + 1)
    pieces.append(text[done:])
    return "".join(pieces)


def _is_word(char: str) -> bool:
    """What the regular expression ``\\w`` matches (letters and digits of any script, and "_")."""
    return char.isalnum() or char == "_"


def _emphasis(
    line: str,
    marks: Sequence[str],
    opens: Callable[[str, int, int], bool],
    closes: Callable[[str, int, int], bool],
) -> str:
    """``line`` with each emphasis span (a mark, some text, the same mark) as its text.

    Read left to right as a regular expression with a lazy body would read it: at
    each place a mark ``opens``, the nearest later place the same mark ``closes``
    (at least one character on) ends the span. The places a mark closes are listed
    once, and the scan keeps a cursor in each list, so a line of marks that never
    close costs its length, not its square.
    """
    width = len(marks[0])
    where = {mark: _occurrences(line, mark) for mark in marks}
    closing = {mark: [i for i in found if closes(line, i, width)] for mark, found in where.items()}
    cursor = dict.fromkeys(marks, 0)
    pieces: list[str] = []
    done = 0
    for start in sorted(i for found in where.values() for i in found):
        if start < done or start + width >= len(line) or not opens(line, start, width):
            continue
        mark = line[start : start + width]
        ends, i = closing[mark], cursor[mark]
        while i < len(ends) and ends[i] <= start + width:
            i += 1
        cursor[mark] = i
        if i < len(ends):
            pieces += (line[done:start], line[start + width : ends[i]])
            done = ends[i] + width
    pieces.append(line[done:])
    return "".join(pieces)


def _occurrences(line: str, mark: str) -> list[int]:
    """Every index where ``mark`` starts in ``line``, overlapping ones too ("***" holds "**" twice)."""
    found = []
    at = line.find(mark)
    while at != -1:
        found.append(at)
        at = line.find(mark, at + 1)
    return found


def _bold_opens(line: str, at: int, width: int) -> bool:
    return not line[at + width].isspace()


def _bold_closes(line: str, at: int, width: int) -> bool:
    return at > 0 and not line[at - 1].isspace()


def _italic_opens(line: str, at: int, width: int) -> bool:
    before = line[at - 1] if at > 0 else ""
    return not (before and (_is_word(before) or before == "*")) and not line[at + width].isspace()


def _italic_closes(line: str, at: int, width: int) -> bool:
    after = line[at + width] if at + width < len(line) else ""
    return at > 0 and not line[at - 1].isspace() and not (after and (_is_word(after) or after == "*"))


_bold = functools.partial(_emphasis, marks=("**", "__"), opens=_bold_opens, closes=_bold_closes)
_italics = functools.partial(_emphasis, marks=("*", "_"), opens=_italic_opens, closes=_italic_closes)


def _substitute(pattern: str, replacement: str, flags: int = 0) -> Callable[[str], str]:
    return functools.partial(re.compile(pattern, flags).sub, replacement)


# In this order: code fences and rules go before a heading or list marker could take
# their marks, comments and images before links, bold before italics.
_STEPS: tuple[Callable[[str], str], ...] = (
    _substitute(r"^ {0,3}(```|~~~).*$", "", re.M),  # code fences
    _substitute(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$", "", re.M),  # horizontal rules
    _by_line(_heading),
    _substitute(r"^ {0,3}>[ \t]?", "", re.M),  # block quotes
    _substitute(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", "", re.M),  # list markers
    _without_comments,
    functools.partial(_links, opener="![", keep_label=False),  # images go
    functools.partial(_links, opener="[", keep_label=True),  # links keep their text
    _by_line(_bold),
    _by_line(_italics),
    _substitute(r"`([^`]+)`", r"\1"),  # inline code
)
