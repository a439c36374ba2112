"""Russian words for the glossary: lemmas to find terms, and terms inflected to fit a sentence.

A glossary term is found in Russian text by lemmas (``tokenize``, ``term_lemmas``)
and written back in the case and number the sentence needs (``form_of``,
``governed_form``, ``inflect_term``), all with pymorphy3.

How ``inflect_term`` reads a term (written in its dictionary form):

- the head is the first noun, after any adjectives, participles, ordinals
  ("15-й") and pronoun-adjectives that agree with it, which may be joined by
  "и"/"или" ("малые и средние предприятия"); the head and those words inflect;
- a name that starts with a first name inflects whole ("Алексей Чепа"), and so
  does a second head joined by "и" right after the first ("торговля и инвестиции");
- everything else stays as written: genitive complements ("Министерство
  коммерции КНР"), what follows the head ("расчёты в национальных валютах"),
  quoted names («Пояс и путь»), abbreviations ("БРИКС"), Latin, and any word
  pymorphy3 cannot put in the form asked;
- a proper name (a term starting with a capital, or a head pymorphy3 knows as a
  name or place), a noun with one number only ("данные"), and adjectives joined
  by "и" before a plural noun keep the term's number whatever ``number`` asks.

``form_of`` reads the head noun and the adjectives agreeing with it together,
weighing pymorphy3's likelihoods; where the words fit the accusative and also
the nominative ("союз") or, for the animate, the genitive ("первого
заместителя"), it says nominative or genitive, the form being the same.
Which case the words before a phrase call for is ``governed_form``'s work, in
``government``.

Known limits: the second locative ("в году", "в порту") is not produced, since
the preposition is not known here; foreign names pymorphy3 takes for
indeclinable ("Си Цзиньпин") stay as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.errors import InvalidOption
from toolkit.text import HAN

from .morphology import (
    CASES,
    CONJUNCTIONS,
    MODIFIER_POS,
    NUMBERS,
    Reading,
    agrees,
    fold,
    is_indeclinable,
    is_known,
    normal_forms,
    phrase_forms,
    readings,
)

__all__ = ["Token", "form_of", "inflect_term", "lemma_choices", "term_lemmas", "tokenize"]


@dataclass(frozen=True)
class Token:
    """A word of a text, where it stands, and every lemma it may have."""

    text: str
    start: int
    end: int  # text[start:end] == token.text
    lemmas: frozenset[str]  # lowercase, "ё" as "е"; the word itself among them (see _lemmas)


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` in order, as razdel cuts them, without punctuation or quotes."""
    return [Token(word, start, end, _lemmas(word.lower())) for word, start, end in _words(text)]


def term_lemmas(term: str) -> tuple[str, ...]:
    """One lemma per word of ``term``: the key its occurrences in any case are found by."""
    return tuple(word.lemma for word in _analyse(term).words)


def lemma_choices(term: str) -> tuple[frozenset[str], ...]:
    """Per word of ``term``, every lemma ``term_lemmas`` can give it: the lemmas of its
    analyses, and the word itself. Much cheaper than ``term_lemmas`` (no head, no
    agreement): two terms can only have the same lemmas if each word of one can share
    a lemma with the word of the other at its place."""
    return tuple(_word_lemma_choices(word) for word, _, _ in _words(term))


@functools.lru_cache(maxsize=1 << 16)
def _word_lemma_choices(word: str) -> frozenset[str]:
    # The normal forms of its analyses are their lemmas (Reading.lemma), without building the readings.
    return normal_forms(word) | {fold(word)}


def form_of(words: Sequence[str], term: str) -> tuple[str, str] | None:
    """The (case, number) ``words`` stand in, read from their endings; None when they do not show it.

    ``words`` are an occurrence of ``term`` or of another name for it; the
    term's lemmas narrow each word's possible analyses and mark the head.
    """
    analysis = _analyse(term)
    head = next((w.lemma for w in analysis.words if w.role == _HEAD), None)
    scores = phrase_forms(words, frozenset(w.lemma for w in analysis.words), head)
    if not scores:
        return None
    case, number = max(scores, key=lambda key: (scores[key], -CASES.index(key[0])))
    # The accusative only when nothing else fits: its forms are the nominative's
    # ("союз") or, for the animate, the genitive's ("первого заместителя").
    if case == "accs":
        case = next((c for c in ("nomn", "gent") if (c, number) in scores), case)
    return case, number


def inflect_term(term: str, case: str, number: str | None = None) -> str:
    """``term`` (in its dictionary form) put into ``case`` and, unless its number is fixed, ``number``."""
    if case not in CASES:
        raise InvalidOption(f"unknown Russian case {case!r}; use one of {', '.join(CASES)}")
    if number is not None and number not in NUMBERS:
        raise InvalidOption(f"unknown Russian number {number!r}; use sing, plur or None")
    analysis = _analyse(term)
    pieces: list[str] = []
    done = 0
    for word in analysis.words:
        head = analysis.words[word.head]
        if word.role == _KEEP or word.reading is None or head.reading is None or is_indeclinable(word.text):
            continue
        wanted = number if number and not analysis.fixed_number else head.reading.number
        form = word.reading.inflect(_grammemes(word.reading, head.reading, word is head, case, wanted))
        if form is not None:
            pieces += (term[done : word.start], _spelled_like(word.text, form))
            done = word.end
    return "".join(pieces) + term[done:]


# --- words and lemmas ----------------------------------------------------------


# Han characters are never part of a Russian word ("Харбин的" is "Харбин" and "的").
_HAN_RUN = re.compile(f"[{HAN}]+")


def _words(text: str) -> list[tuple[str, int, int]]:
    """razdel's tokens of ``text`` that hold a letter or digit, with offsets; Han runs cut apart."""
    simple = _simple_tokens(text)
    if simple is not None:
        # Each token is one of razdel's pieces: all letters or all digits, or one character.
        return [token for token in simple if token[0].isalnum()]
    import razdel

    words = []
    for token in razdel.tokenize(text):
        if not any(ch.isalnum() for ch in token.text):
            continue
        cursor = 0
        for han in _HAN_RUN.finditer(token.text):
            if han.start() > cursor:
                words.append((token.text[cursor : han.start()], token.start + cursor, token.start + han.start()))
            words.append((han.group(), token.start + han.start(), token.start + han.end()))
            cursor = han.end()
        if cursor < len(token.text):
            words.append((token.text[cursor:], token.start + cursor, token.stop))
    return [w for w in words if any(ch.isalnum() for ch in w[0])]


_CHUNK = re.compile(r"\S+")


def _simple_tokens(text: str) -> list[tuple[str, int, int]] | None:
    """razdel's tokens of ``text`` with their offsets, when they are its runs of non-spaces; else None.

    razdel always cuts at whitespace, and its rules only decide whether to join two
    pieces that touch. Where every run of non-spaces is a single piece (all Cyrillic,
    all Latin, all digits, or one character), there is nothing to decide and those runs
    are its tokens. That is the common case for a glossary term ("таможенная служба №
    12"), found here several times faster than razdel would: a 100k-row glossary has
    every Russian form read when it is checked or first used.
    """
    piece = _razdel_piece()
    chunks = []
    for match in _CHUNK.finditer(text):
        if piece.fullmatch(match.group()) is None:
            return None
        chunks.append((match.group(), match.start(), match.end()))
    return chunks


@functools.cache
def _razdel_piece() -> re.Pattern[str]:
    """razdel's pattern for the pieces it cuts text into before joining them (its ``ATOM``)."""
    from razdel.segmenters.tokenize import ATOM

    pattern: re.Pattern[str] = ATOM
    return pattern


@functools.lru_cache(maxsize=1 << 17)
def _lemmas(lower: str) -> frozenset[str]:
    """Every normal form of a lowercase word, and the word itself; cached, as texts repeat words.

    pymorphy3 guesses the paradigm of a word it does not know, and for rare
    surnames often guesses one that misses the nominative ("Чепы" → "чеп"), so
    such words also get the nominatives their ending allows ("чепа", "чеп").
    """
    lemmas = normal_forms(lower) | {fold(lower)}
    if _CYRILLIC_WORD.fullmatch(lower) and not is_known(lower):
        lemmas |= _guessed_nominatives(fold(lower))
    return frozenset(lemmas)


_CYRILLIC_WORD = re.compile(r"[а-яё]{3,}")
# Case endings of nouns in -а ("Чепа": Чепы, Чепе, Чепу, Чепой) and of
# masculine nouns ending in a consonant ("Цзиньпин": Цзиньпина, Цзиньпину, Цзиньпином).
_A_ENDINGS = ("ой", "ою", "ей", "ы", "и", "е", "у")
_CONSONANT_ENDINGS = ("ом", "ем", "а", "у", "е")


def _guessed_nominatives(word: str) -> set[str]:
    """Nominatives a word of unknown paradigm may have, read from its ending alone."""
    found = {word[: -len(e)] + "а" for e in _A_ENDINGS if word.endswith(e) and len(word) - len(e) >= 2}
    found |= {word[: -len(e)] for e in _CONSONANT_ENDINGS if word.endswith(e) and len(word) - len(e) >= 2}
    return found


# --- terms -------------------------------------------------------------------

_HEAD, _MODIFIER, _KEEP = "head", "modifier", "keep"
_QUOTED = re.compile(r"«[^»]*»?|„[^“”]*[“”]?|“[^”]*”?|\"[^\"]*\"?")
_PERSON = frozenset({"Name", "Surn", "Patr"})
_PROPER = _PERSON | {"Geox", "Orgn", "Trad", "Sgtm", "Pltm"}


@dataclass(frozen=True)
class _Word:
    """A word of a glossary term and what it does there."""

    text: str
    start: int
    end: int
    lemma: str
    reading: Reading | None  # the analysis it is written in; None when inflecting it is not ours
    role: str  # _HEAD, _MODIFIER or _KEEP
    head: int  # the index of the head it agrees with (its own index for a head)


@dataclass(frozen=True)
class _Term:
    """A glossary term read once (cached): its words and whether its number may change."""

    words: tuple[_Word, ...]
    fixed_number: bool


@functools.lru_cache(maxsize=4096)
def _analyse(term: str) -> _Term:
    """Split ``term`` into words and find its heads and the words agreeing with them."""
    spans = _words(term)
    quoted = [m.span() for m in _QUOTED.finditer(term)]
    inside = [any(a <= start < b for a, b in quoted) for _, start, _ in spans]
    # Only the words before the first quoted one may inflect: a quoted name never does.
    lead = [text for text, _, _ in spans[: inside.index(True) if True in inside else len(spans)]]
    chosen: dict[int, Reading] = {}
    roles: dict[int, tuple[str, int]] = {}
    fixed = term[:1].isupper()
    start = 0
    while (found := _find_head(lead[start:])) is not None:
        offset, head_reading, modifiers = found
        if start and head_reading.pos != "NOUN":
            break  # after "и", only a noun is a second head
        head = start + offset
        chosen[head], roles[head] = head_reading, (_HEAD, head)
        for i, modifier in modifiers.items():
            chosen[start + i], roles[start + i] = modifier, (_MODIFIER, head)
        joined = any(fold(w) in CONJUNCTIONS for w in lead[start:head])
        # "малые и средние предприятия", "торговля и инвестиции": several things, kept plural.
        fixed |= bool(head_reading.grammemes & _PROPER) or (joined and head_reading.number == "plur") or start > 0
        start = head + 1
        if head_reading.grammemes & _PERSON:
            while start < len(lead) and (name := _name_part(lead[start], head_reading)) is not None:
                chosen[start], roles[start] = name, (_HEAD, start)
                start += 1
        # A second head may follow "и" at once ("торговля и инвестиции"); anything else is kept as written.
        if not (start + 1 < len(lead) and fold(lead[start]) in CONJUNCTIONS):
            break
        start += 1
    words = []
    for i, ((text, begin, end), q) in enumerate(zip(spans, inside)):
        reading = chosen.get(i)
        role, head = roles.get(i, (_KEEP, i))
        lemma = reading.lemma if reading else _lemma(text, prefer_nominative=q)
        words.append(_Word(text, begin, end, lemma, reading, role, head))
    return _Term(tuple(words), fixed)


def _find_head(lead: Sequence[str]) -> tuple[int, Reading, dict[int, Reading]] | None:
    """The head of the phrase ``lead`` starts, its analysis, and the analyses of the words agreeing with it.

    The head is the last word of the leading run of adjectives (and conjunctions
    between them) that reads as a nominative noun agreeing with all of them, so
    "малые" in "малые и средние предприятия" is an adjective but "данные" in
    "данные Росстата" is the head. None for a term with nothing to inflect.
    """
    best: tuple[int, Reading, dict[int, Reading]] | None = None
    modifiers: dict[int, tuple[Reading, ...]] = {}
    for i, word in enumerate(lead):
        if fold(word) in CONJUNCTIONS:
            if i - 1 not in modifiers:
                break  # a conjunction joins two adjectives, or ends the run
            continue
        if is_indeclinable(word):
            own = readings(word)
            if own:
                best = (i, own[0], {j: ms[0] for j, ms in modifiers.items()})
        for noun in _nominatives(word, _NOUN) or (_nominatives(word, None) if i == 0 else ()):
            agreeing = {j: next((m for m in ms if agrees(m, noun)), None) for j, ms in modifiers.items()}
            if all(agreeing.values()):
                best = (i, noun, {j: m for j, m in agreeing.items() if m})
                break
        modifiers[i] = _nominatives(word, MODIFIER_POS)
        if not modifiers[i]:
            break  # a word that cannot be an adjective ends the run
    return best


_NOUN = frozenset({"NOUN"})


@functools.lru_cache(maxsize=1 << 16)
def _nominatives(word: str, parts: frozenset[str] | None) -> tuple[Reading, ...]:
    """The nominative analyses of ``word`` (of the parts of speech ``parts``), most likely first.

    Cached: reading a term asks this of each word up to four times, and a glossary
    repeats its words from term to term.
    """
    if is_indeclinable(word):
        return ()
    return tuple(r for r in readings(word) if r.case == "nomn" and (parts is None or r.pos in parts))


def _name_part(word: str, first: Reading) -> Reading | None:
    """The analysis of ``word`` as the next part of a person's name after ``first``, if it is one."""
    if not word[:1].isupper() or is_indeclinable(word):
        return None
    for reading in _nominatives(word, _NOUN):
        gender_ok = first.gender not in ("masc", "femn") or reading.gender in (first.gender, "ms-f")
        if reading.animacy == "anim" and gender_ok and reading.number == first.number:
            return reading
    return None


def _lemma(word: str, prefer_nominative: bool) -> str:
    """The lemma of ``word`` alone: its most likely analysis (a nominative one in a quoted name)."""
    if is_indeclinable(word):
        return fold(word)
    found = (_nominatives(word, None) if prefer_nominative else ()) or readings(word)
    return found[0].lemma if found else fold(word)


def _grammemes(word: Reading, head: Reading, is_head: bool, case: str, number: str | None) -> set[str]:
    """What to ask pymorphy3 for: the head's case and number, and for an adjective its gender and animacy."""
    wanted = {case} | ({number} if number else set())
    if is_head:
        return wanted
    gender = head.gender if head.gender in ("masc", "femn", "neut") else word.gender
    if number == "sing" and gender:
        wanted.add(gender)
    # Accusative adjectives: "экономический союз" but "первого заместителя".
    if case == "accs" and (number == "plur" or gender == "masc"):
        wanted.add(head.animacy or "inan")
    return wanted


def _spelled_like(original: str, form: str) -> str:
    """``form`` with the capitals of ``original`` and, where it has none, "е" for "ё"."""
    if "ё" not in original.lower():
        form = form.replace("ё", "е")
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return form.upper()
    return "".join(ch.upper() if i < len(original) and original[i].isupper() else ch for i, ch in enumerate(form))
