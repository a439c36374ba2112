"""Word documents (.docx) through python-docx: paragraph by paragraph, every run's formatting kept.

Where the text is: every paragraph of the body (tables and text boxes included), of
every header and footer. A paragraph's runs (those inside hyperlinks too) are read
in order; a run holding anything but text (a picture, a field code, a page break,
deleted text) is left as it is and cuts the paragraph into stretches, so text never
moves across it. Each stretch is translated as one text, so the engine and the
glossary see whole sentences, not the pieces the formatting cut them into.

How a stretch's translation goes back into its runs. Consecutive runs with the same
formatting (the same ``w:rPr``, the same hyperlink) form a segment; the formatting
that holds the most characters is the stretch's own, and the segments in any other
(a bold name, an italic title, a link) are *marked*. Each marked segment is also
translated on its own, in the same batches, and looked for, in order, in the
stretch's translation: when every one is found, the translation is cut there, each
marked segment gets the words that translate it, and the text between goes to the
segments in the stretch's own formatting between them, so "Trade with the **Eurasian
Economic Union** grew." comes back with the term, enforced, in bold. When one is not
found (the engine reworded it), the stretch falls back to what HTML does: every
segment translated on its own, which never loses or misplaces formatting at the
price of context. Inside a segment the text goes into its first run; the others
are emptied, keeping their properties.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from glossary import TermReport, merge_reports

from ..errors import InvalidDocument
from ..translation import Translation

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What a .docx may unpack to, as its zip directory declares; a larger one is refused before
# python-docx reads it (a few kilobytes of zip can declare gigabytes of XML). Pictures are stored
# compressed already, so a real document unpacks to about its own size.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _RUN, _HYPERLINK, _PROPERTIES = f"{_W}p", f"{_W}r", f"{_W}hyperlink", f"{_W}rPr"
# Run children python-docx reads as text and writes back from text ("\t" a tab, "\n" a break).
_TEXT_CHILDREN = frozenset(f"{_W}{name}" for name in ("rPr", "t", "tab", "br", "cr", "noBreakHyphen"))
_BREAK, _BREAK_TYPE = f"{_W}br", f"{_W}type"

Translate = Callable[[Sequence[str]], list[Translation]]


@dataclass
class _Segment:
    runs: list[Any]  # the w:r elements, all formatted alike
    key: tuple[str, int]  # their w:rPr as XML, and the hyperlink around them (its id, 0 for none)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def write(self, text: str) -> None:
        self.runs[0].text = text
        for run in self.runs[1:]:
            run.text = ""


@dataclass
class _Stretch:
    """Runs of text between two runs that are not text: translated as one text."""

    segments: list[_Segment]
    marked: list[int] = field(default_factory=list)  # indices of segments not in the stretch's own formatting
    own: tuple[str, int] = ("", 0)

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


def texts(data: bytes, name: str) -> list[str]:
    """The text of every stretch, in order: what would be translated."""
    return [stretch.text for stretch in _stretches(_open(data, name))]


def translate(data: bytes, name: str, translate_texts: Translate) -> tuple[bytes, tuple[TermReport, ...]]:
    """The document with every stretch translated in place, and the glossary's report."""
    document = _open(data, name)
    stretches = list(_stretches(document))
    if not stretches:
        return data, ()
    wholes = [stretch.text.strip() for stretch in stretches]
    marked = [stretch.segments[i].text.strip() for stretch in stretches for i in stretch.marked]
    results = translate_texts(wholes + marked)
    whole_results, marked_results = results[: len(wholes)], iter(results[len(wholes) :])
    reports = [result.terms for result in whole_results]
    fallback: list[_Stretch] = []
    for stretch, whole in zip(stretches, whole_results):
        found = [next(marked_results).text for _ in stretch.marked]
        if not _place(stretch, whole.text, found):
            fallback.append(stretch)
    if fallback:
        # Every segment with a letter, on its own (what markup does with the text nodes of HTML).
        pieces = [(segment, segment.text) for stretch in fallback for segment in stretch.segments]
        pieces = [(segment, text) for segment, text in pieces if _has_letter(text)]
        piece_results = translate_texts([text.strip() for _, text in pieces])
        for (segment, text), result in zip(pieces, piece_results):
            segment.write(_spaced(text, result.text))
        # The reports of these stretches are their segments', not those of the whole that was not used.
        unused = {id(stretch) for stretch in fallback}
        reports = [result.terms for stretch, result in zip(stretches, whole_results) if id(stretch) not in unused]
        reports += [result.terms for result in piece_results]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), merge_reports(reports)


def _place(stretch: _Stretch, translation: str, marked: Sequence[str]) -> bool:
    """Cut ``translation`` at the translations of the marked segments and write each piece in place;
    False, having written nothing, when a marked segment's translation is not found in order."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for text in marked:
        at = _find(translation, text, cursor)
        if at == -1:
            return False
        spans.append((at, at + len(text)))
        cursor = at + len(text)
    segments = stretch.segments
    out = [""] * len(segments)
    # The gaps: before the first marked segment, between two, after the last; each goes to a
    # segment in the stretch's own formatting that lies between the same two marked ones.
    bounds = [-1, *stretch.marked, len(segments)]
    edges = [0, *(position for span in spans for position in span), len(translation)]
    for gap, (left, right) in enumerate(zip(bounds, bounds[1:])):
        text = translation[edges[2 * gap] : edges[2 * gap + 1]]
        between = list(range(left + 1, right))
        home = next((i for i in between if segments[i].key == stretch.own), between[0] if between else None)
        before = ""
        if home is not None:
            # Spaces at the gap's edges stay outside the home segment where its source text had none
            # there: they go with the marked segment beside it, as in the source.
            written = segments[home].text
            if home == left + 1 and left >= 0 and not written[:1].isspace():
                out[left] += text[: len(text) - len(text.lstrip())]
                text = text.lstrip()
            if home == right - 1 and right < len(segments) and not written[-1:].isspace():
                before = text[len(text.rstrip()) :]
                text = text.rstrip()
            out[home] += text
        elif left >= 0:  # two marked segments side by side: the text between joins the one before
            out[left] += text
        else:  # a marked segment opens the stretch: text before its words goes with them
            before = text
        if right < len(segments):
            start, end = spans[gap]
            out[right] = before + translation[start:end]
    whole = stretch.text
    lead = whole[: len(whole) - len(whole.lstrip())]
    trail = whole[len(whole.rstrip()) :]
    out[0] = lead + out[0]
    out[-1] += trail
    for segment, text in zip(segments, out):
        segment.write(text)
    return True


def _find(translation: str, text: str, start: int) -> int:
    """Where ``text`` is in ``translation`` from ``start``: as written, or else in any case (a term translated
    alone starts a sentence: "Инициатива …" in "… the инициатива …"); -1 when it is not."""
    if not text:
        return -1
    at = translation.find(text, start)
    folded, wanted = translation.lower(), text.lower()
    if at == -1 and len(folded) == len(translation) and len(wanted) == len(text):  # lower() kept every offset
        at = folded.find(wanted, start)
    return at


def _spaced(source: str, translation: str) -> str:
    """``translation`` with the whitespace around ``source`` kept (a segment's edges are where runs meet)."""
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + translation + trail if source.strip() else source


def _open(data: bytes, name: str) -> Any:
    import docx  # python-docx, and lxml under it: loaded when a .docx is translated, not before

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise InvalidDocument(
                f"{name} unpacks to {unpacked} bytes, more than {MAX_UNPACKED_BYTES}; split the document", name=name
            )
        return docx.Document(io.BytesIO(data))
    except InvalidDocument:
        raise
    except Exception:  # zipfile, lxml and python-docx each raise their own kinds for a damaged file
        raise InvalidDocument(
            f"{name} is not a readable .docx file; open it in Word or LibreOffice and save it again as .docx",
            name=name,
        ) from None


def _stretches(document: Any) -> Iterator[_Stretch]:
    """Every stretch with a letter in it, body first, then each header and footer once."""
    for element in _part_elements(document):
        for paragraph in element.iter(_PARAGRAPH):
            for segments in _split(paragraph):
                stretch = _stretch(segments)
                if stretch is not None:
                    yield stretch


def _part_elements(document: Any) -> Iterator[Any]:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.part import XmlPart

    yield document.element
    seen: set[str] = set()
    for relation in document.part.rels.values():
        if relation.is_external or relation.reltype not in (RELATIONSHIP_TYPE.HEADER, RELATIONSHIP_TYPE.FOOTER):
            continue
        part = relation.target_part
        if isinstance(part, XmlPart) and str(part.partname) not in seen:
            seen.add(str(part.partname))
            yield part.element


def _split(paragraph: Any) -> Iterator[list[_Segment]]:
    """The paragraph's own runs (not those of a text box inside it) as lists of segments, cut at every run
    that is not text."""
    segments: list[_Segment] = []
    for run in paragraph.iter(_RUN):
        if next(run.iterancestors(_PARAGRAPH)) is not paragraph:
            continue
        if not _is_text(run):
            if segments:
                yield segments
            segments = []
            continue
        key = (_properties(run), _hyperlink(run, paragraph))
        if segments and segments[-1].key == key:
            segments[-1].runs.append(run)
        else:
            segments.append(_Segment([run], key))
    if segments:
        yield segments


def _is_text(run: Any) -> bool:
    for child in run:
        if child.tag not in _TEXT_CHILDREN:
            return False
        if child.tag == _BREAK and child.get(_BREAK_TYPE) not in (None, "textWrapping"):
            return False  # a page or column break: kept as it is
    return True


def _properties(run: Any) -> str:
    properties = run.find(_PROPERTIES)
    return "" if properties is None else str(properties.xml)


def _hyperlink(run: Any, paragraph: Any) -> int:
    for ancestor in run.iterancestors():
        if ancestor is paragraph:
            return 0
        if ancestor.tag == _HYPERLINK:
            return id(ancestor)
    return 0


def _stretch(segments: list[_Segment]) -> _Stretch | None:
    if not _has_letter("".join(segment.text for segment in segments)):
        return None
    weight: dict[tuple[str, int], int] = {}
    for segment in segments:
        weight[segment.key] = weight.get(segment.key, 0) + len(segment.text.strip())
    own = max(weight, key=lambda key: weight[key])
    marked = [i for i, segment in enumerate(segments) if segment.key != own and _has_letter(segment.text)]
    return _Stretch(segments, marked, own)


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)
