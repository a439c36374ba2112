"""Finding glossary terms in text, per language, in time that grows with the text.

- English: whole words, any case (acronyms only in capitals), plural and possessive
  forms, hyphen or space between words.
- Chinese: substrings of the text folded to Simplified characters and half-width
  forms, so Traditional and full-width text match.
- Russian: by lemmas, so every case and number matches.

Each matcher keeps its terms in a tree of their words (or characters), so a text
is read once and at each position only the terms that go on with the words that
follow are tried there, however large the glossary. Where matches overlap, the
longest wins.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.text import simplified_converter

# An English word with an optional possessive ending; hyphens and spaces separate words.
_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][sS]\b)?")
_POSSESSIVE = re.compile(r"['’][sS]$")


@dataclass(frozen=True)
class Found:
    """Where one form of one concept stands in a text."""

    key: str  # the concept's id
    form: str  # the glossary form that matched
    start: int
    end: int


# How many terms a node of the tree keeps whole (the rest of their units compared one by
# one) before it grows a child per next unit: a node for every unit of every term made a
# 100k-row glossary millions of objects, slow to build and to collect.
_SPREAD_AT = 8


class _Node:
    """The terms that begin with the same units: those that end here, those that go on through
    a child, and up to ``_SPREAD_AT`` that go on from here, kept with the rest of their units."""

    __slots__ = ("ends", "next", "rests")

    def __init__(self) -> None:
        self.ends: list[tuple[str, str]] = []  # (concept id, form) of each term whose units end here
        self.next: dict[Any, _Node] = {}
        self.rests: list[tuple[tuple[Any, ...], str, str]] = []  # (units still to come, concept id, form)

    def add(self, units: tuple[Any, ...], key: str, form: str) -> None:
        """Put a term whose units from here on are ``units`` where it belongs (terms with the
        same units stay in the order they came)."""
        node = self
        while units and units[0] in node.next:
            node, units = node.next[units[0]], units[1:]
        if not units:
            node.ends.append((key, form))
            return
        node.rests.append((units, key, form))
        if len(node.rests) > _SPREAD_AT:
            rests, node.rests = node.rests, []
            for rest, each, written in rests:
                child = node.next.get(rest[0])
                if child is None:
                    child = node.next[rest[0]] = _Node()
                child.add(rest[1:], each, written)


class TermMatcher:
    """All forms of all concepts for one language; ``find`` lists their non-overlapping occurrences."""

    def __init__(self, language: str, forms: Iterable[tuple[str, str]]) -> None:
        """``forms``: (concept id, term) pairs."""
        self.language = language
        self._root = _Node()
        for key, form in forms:
            units = self._term_units(form)
            if units:
                self._root.add(units, key, form)

    def find(self, text: str) -> list[Found]:
        """Every occurrence of a term, the longest where two overlap.

        From each unit of the text the terms are followed unit by unit through a tree of
        their units, so the work at a position is bounded by the length of the longest
        term that could start there, however many terms share its first word.
        """
        tokens = self._text_units(text)
        candidates: list[Found] = []

        def take(key: str, form: str, first: int, last: int) -> None:
            start, end = tokens[first][1], tokens[first][2]
            if first == last and not self._same_number(form, text[start:end]):
                return
            candidates.append(_with_quotes(Found(key, form, start, tokens[last][2]), text))

        for i in range(len(tokens)):
            nodes = [self._root]
            at = i  # the text unit the terms at ``nodes`` go on with
            while nodes:
                for node in nodes:
                    for rest, key, form in node.rests:
                        last = at + len(rest) - 1
                        if last < len(tokens) and all(self._is(u, tokens[at + j][0]) for j, u in enumerate(rest)):
                            take(key, form, i, last)
                if at == len(tokens):
                    break
                nodes = self._step(nodes, tokens[at][0])
                for node in nodes:
                    for key, form in node.ends:
                        take(key, form, i, at)
                at += 1
        return _longest_first(candidates)

    def _is(self, unit: Any, text_unit: Any) -> bool:
        """Whether a term's ``unit`` matches the text's."""
        return bool(unit == text_unit)

    def _step(self, nodes: Sequence[_Node], unit: Any) -> list[_Node]:
        """Where the terms at ``nodes`` go on when the next unit of the text is ``unit``."""
        return [child for node in nodes if (child := node.next.get(unit)) is not None]

    def _same_number(self, term: str, word: str) -> bool:
        """A one-word English term in the plural ("securities", "wills") matches only the plural:
        its singular is often another word ("Security Council", the verb "will")."""
        if self.language != "en" or term[:-1].isupper():
            return True  # an acronym's plural ("SMEs") names the same thing as its singular
        plain = _POSSESSIVE.sub("", term).lower()
        return _en_unit(plain) == plain or _POSSESSIVE.sub("", word).lower() == plain

    # Each language says what a unit is (a word, a character, a lemma set) and when two match.
    def _term_units(self, term: str) -> tuple[Any, ...]:
        if self.language == "zh":
            return tuple(_fold_zh(term).replace(" ", ""))
        if self.language == "ru":
            from .russian import term_lemmas

            return term_lemmas(term)
        return tuple(_en_unit(m.group()) for m in _EN_WORD.finditer(term))

    def _text_units(self, text: str) -> list[tuple[Any, int, int]]:
        if self.language == "zh":
            folded = _fold_zh(text)
            return [(ch, i, i + 1) for i, ch in enumerate(folded) if not ch.isspace()]
        if self.language == "ru":
            from .russian import tokenize

            return [(token.lemmas, token.start, token.end) for token in tokenize(text)]
        return [(_en_unit(m.group()), m.start(), m.end()) for m in _EN_WORD.finditer(text)]


class RussianTermMatcher(TermMatcher):
    """Russian text units are sets of lemmas: a term goes on through any lemma of the next word."""

    def _is(self, unit: Any, text_unit: Any) -> bool:
        return unit in text_unit

    def _step(self, nodes: Sequence[_Node], unit: Any) -> list[_Node]:
        return [child for node in nodes for lemma in unit if (child := node.next.get(lemma)) is not None]


def matcher_for(language: str, forms: Iterable[tuple[str, str]]) -> TermMatcher:
    """The matcher for ``language`` over (concept id, term) pairs."""
    if language == "ru":
        return RussianTermMatcher(language, forms)
    return TermMatcher(language, forms)


def fold_form(form: str, language: str) -> str:
    """A form as the matcher sees it, to tell whether two forms are the same."""
    return " ".join(map(str, TermMatcher(language, ())._term_units(form)))


_CLOSING = "»”’\"')]」』"
_OPENING = "«“‘\"'([「『"


def _with_quotes(found: Found, text: str) -> Found:
    """Take in the quote marks around a match when the term has them too ("«Пояс и путь»")."""
    start, end = found.start, found.end
    while end < len(text) and found.form[-1:] in _CLOSING and text[end] in _CLOSING and text[end] == found.form[-1]:
        end += 1
    while start > 0 and found.form[:1] in _OPENING and text[start - 1] == found.form[0]:
        start -= 1
    return Found(found.key, found.form, start, end)


def _longest_first(candidates: Sequence[Found]) -> list[Found]:
    """Non-overlapping matches, the longest kept where two overlap, in text order.

    Candidates are cut into clusters of overlapping ones first, so the choice is
    made among a handful at a time and the cost follows the text.
    """
    taken: list[Found] = []
    cluster: list[Found] = []
    reach = -1
    for found in sorted(candidates, key=lambda f: (f.start, f.end)):
        if cluster and found.start >= reach:
            taken += _choose(cluster)
            cluster = []
        cluster.append(found)
        reach = max(reach, found.end) if len(cluster) > 1 else found.end
    taken += _choose(cluster)
    return sorted(taken, key=lambda f: f.start)


def _choose(cluster: Sequence[Found]) -> list[Found]:
    """The longest first, then whatever still fits, within one cluster of overlapping candidates."""
    chosen = Spans()
    for found in sorted(cluster, key=lambda f: (-(f.end - f.start), f.start)):
        chosen.add_if_free(found)
    return chosen.found


class Spans:
    """Matches that do not overlap, in text order; whether another fits is a binary search.

    A cluster can be as long as the text ("一一一…" against a term "一一" overlaps at
    every character), so comparing each candidate with every match kept is quadratic.
    """

    def __init__(self, found: Iterable[Found] = ()) -> None:
        self.found: list[Found] = []
        self._starts: list[int] = []
        for each in found:
            self.add_if_free(each)

    def add_if_free(self, found: Found) -> bool:
        """Keep ``found`` if it overlaps no match kept so far; whether it was kept."""
        # Kept matches do not overlap, so sorted by start they are sorted by end too:
        # only the neighbours on either side of ``found.start`` can overlap it.
        i = bisect.bisect_right(self._starts, found.start)
        if (i > 0 and self.found[i - 1].end > found.start) or (i < len(self.found) and self.found[i].start < found.end):
            return False
        self.found.insert(i, found)
        self._starts.insert(i, found.start)
        return True


@functools.lru_cache(maxsize=1 << 16)
def _en_unit(word: str) -> str:
    """A word compared without case, possessive or plural ending; acronyms keep their capitals.

    Cached: texts and glossaries repeat their words, and a 100k-row glossary is read whole."""
    word = _POSSESSIVE.sub("", word)
    if len(word) > 1 and word.isupper():
        return word  # "US" is not "us", "SCO" not "sco"
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        return word[:-1]  # "SMEs" is the plural of "SME"
    word = word.lower()
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]  # "taxes", "branches"; but "enterprises" only loses its "s"
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """One character folded to Simplified and half-width, still one character (offsets stay exact)."""
    narrow = unicodedata.normalize("NFKC", ch)
    if len(narrow) == 1:
        ch = narrow
    simplified = simplified_converter().convert(ch)
    return simplified if len(simplified) == 1 else ch


def _fold_zh(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)

