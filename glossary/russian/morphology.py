"""pymorphy3 for the glossary: every reading of a Russian word, and which case and number a phrase stands in.

The one pymorphy3 analyzer is loaded on first use (about 0.1 s), once per process,
under a lock, and every word's analyses are cached. ``Reading`` is what the rest of
the glossary reads from an analysis; ``phrase_forms`` weighs the readings of a noun
phrase's words together (the head noun and the adjectives agreeing with it).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CASES", "CONJUNCTIONS", "MODIFIER_POS", "NUMBERS", "WORD", "Reading", "agrees", "fold",
    "is_indeclinable", "is_known", "normal_forms", "phrase_forms", "readings",
]

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NUMBERS = ("sing", "plur")

# pymorphy3's second genitive, locative and accusative ("чаю", "в году") fold
# into the six cases a glossary term is written in; the vocative has no place there.
_CASE_OF = {"gen1": "gent", "gen2": "gent", "loc1": "loct", "loc2": "loct", "acc2": "accs", **{c: c for c in CASES}}
_PERSON = frozenset({"Name", "Surn", "Patr"})
_GENDERS = frozenset({"masc", "femn", "neut", "ms-f"})
_POS = frozenset("NOUN ADJF ADJS COMP VERB INFN PRTF PRTS GRND NUMR ADVB NPRO PRED PREP CONJ PRCL INTJ".split())
MODIFIER_POS = frozenset({"ADJF", "PRTF"})  # adjectives, participles, ordinals ("15-й"), "наш", "этот"
CONJUNCTIONS = frozenset({"и", "или", "либо"})
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")


@dataclass(frozen=True)
class Reading:
    """One pymorphy3 analysis of a word, with the grammemes triglot reads from it."""

    lemma: str  # normal form, lowercase, "ё" folded to "е"
    pos: str | None
    case: str | None  # one of CASES, or None for words without case
    number: str | None
    gender: str | None  # masc, femn, neut, ms-f (common gender) or None
    animacy: str | None
    grammemes: frozenset[str]
    score: float
    parse: Any  # the pymorphy3 Parse, kept for inflecting

    def inflect(self, grammemes: Iterable[str]) -> str | None:
        """This word's form with ``grammemes``, lowercase; None when pymorphy3 has none."""
        form = self.parse.inflect(set(grammemes))
        return None if form is None else str(form.word)


def fold(word: str) -> str:
    """Lowercase with "ё" as "е": the spelling lemmas are compared in."""
    return word.lower().replace("ё", "е")


_analyzer_lock = threading.Lock()
_analyzer: Any = None


def _morph() -> Any:
    """pymorphy3's analyzer, loaded on first use and shared by every thread."""
    global _analyzer
    if _analyzer is None:
        with _analyzer_lock:
            if _analyzer is None:
                import pymorphy3

                _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


@functools.lru_cache(maxsize=1 << 16)
def readings(word: str) -> tuple[Reading, ...]:
    """Every analysis pymorphy3 gives ``word``, most likely first; () for text it cannot take."""
    try:
        parses = _morph().parse(word) if word else []
    except ValueError:  # pymorphy3 fails on lone surrogates and on letters Unicode has no name for
        return ()
    out = []
    for parse in parses:
        # Tag attributes are pymorphy3 string types whose == raises on unknown
        # grammemes ("ms-f"), so everything is read as plain str.
        grammemes = frozenset(str(g) for g in parse.tag.grammemes)
        case = next((_CASE_OF[g] for g in grammemes if g in _CASE_OF), None)
        out.append(
            Reading(
                lemma=fold(parse.normal_form),
                pos=next((g for g in grammemes if g in _POS), None),
                case=case,
                number=next((g for g in grammemes if g in NUMBERS), None),
                gender=next((g for g in grammemes if g in _GENDERS), None),
                animacy=next((g for g in grammemes if g in ("anim", "inan")), None),
                grammemes=grammemes,
                score=float(parse.score),
                parse=parse,
            )
        )
    return tuple(out)


def normal_forms(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 gives ``word``, folded: the cheap path for long texts, not cached here."""
    try:
        return frozenset(fold(form) for form in _morph().normal_forms(word)) if word else frozenset()
    except ValueError:  # as in readings()
        return frozenset()


def is_known(word: str) -> bool:
    """Whether pymorphy3's dictionary has ``word`` (its analyses of other words are guesses)."""
    try:
        return bool(word) and bool(_morph().word_is_known(word.lower()))
    except ValueError:  # as in readings()
        return False


@functools.lru_cache(maxsize=1 << 16)
def is_indeclinable(word: str) -> bool:
    """Whether ``word`` keeps one form in every case: Latin, digits, abbreviations ("ЕАЭС"), "Fixd" words.

    Cached, as ``readings`` is: reading a term asks it of each word several times, and a
    glossary repeats its words from term to term.
    """
    if not _CYRILLIC.search(word):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    # Short all-capital words are abbreviations; pymorphy3 guesses a paradigm
    # for unknown ones ("БРИКС" → "БРИКСа"), which news Russian does not use.
    if len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(letters) <= 6:
        return True
    # A ministry named "Мин" + a genitive ("Минкоммерции", "Минцифры") keeps one
    # form, though pymorphy3 may guess a paradigm for it; "Минфин", "Минтранс" decline.
    if word.startswith("Мин") and len(word) > 6:
        if any("Fixd" in r.grammemes for r in readings(word)):
            return True
        tail = word[3:].lower()
        genitive = any((r.case, r.number) == ("gent", "sing") for r in readings(tail))
        if genitive and not is_known(word) and is_known(tail):
            return True
    cased = [r for r in readings(word) if r.case]
    return not cased or all("Fixd" in r.grammemes for r in cased)


def agrees(modifier: Reading, head: Reading) -> bool:
    """Whether an adjective-like ``modifier`` reading agrees with a noun ``head`` reading."""
    if modifier.case != head.case or modifier.number != head.number:
        return False
    if head.number == "sing" and head.gender in ("masc", "femn", "neut") and modifier.gender != head.gender:
        return False
    # Accusative masculine singular and plural adjectives split by animacy.
    return modifier.animacy is None or head.animacy is None or modifier.animacy == head.animacy


def phrase_forms(
    words: Sequence[str], lemmas: frozenset[str] = frozenset(), head_lemma: str | None = None
) -> dict[tuple[str, str], float]:
    """How likely each (case, number) is for the noun phrase ``words``, read from their endings.

    The head noun and the adjectives before it must agree, which settles most
    ambiguity ("малым и средним предприятиям" can only be dative plural).
    ``lemmas``, when given, are the lemmas the phrase is known to contain: a
    word's analyses are narrowed to those, so "Чепе" is read as "Чепа", not "чеп".
    {} when no word shows case.
    """
    words = [word for item in words for word in WORD.findall(item)]
    options = []
    for word in words:
        found = [] if is_indeclinable(word) else [r for r in readings(word) if r.case and r.number]
        known = [r for r in found if r.lemma in lemmas]
        options.append(known or found)
    if not words:
        return {}
    head = _head_index(words, options, head_lemma)
    modifiers = [options[i] for i in range(head) if fold(words[i]) not in CONJUNCTIONS]
    modifiers = [[r for r in opts if r.pos in MODIFIER_POS] for opts in modifiers]
    heads = options[head]
    # The rest of a person's name agrees with its first word: "Алексея Чепу" is accusative.
    names = []
    for word, opts in zip(words[head + 1 :], options[head + 1 :]):
        if not (word[:1].isupper() and opts):
            break
        names.append(opts)
    if not heads:  # an indeclinable head: its adjectives alone may tell ("нового БРИКС")
        if not any(modifiers):
            return {}
        heads, modifiers = modifiers[-1], modifiers[:-1]
    scores: dict[tuple[str, str], float] = {}
    for reading in heads:
        score = reading.score
        for opts in modifiers:
            if opts:
                score *= max((m.score for m in opts if agrees(m, reading)), default=0.0)
        if reading.grammemes & _PERSON:
            for opts in names:
                same = (n.score for n in opts if (n.case, n.number) == (reading.case, reading.number))
                score *= max(same, default=0.0)
        if score > 0 and reading.case and reading.number:
            key = (reading.case, reading.number)
            scores[key] = scores.get(key, 0.0) + score
    if not scores:  # nothing agrees (a typo, an odd phrase): trust the head alone
        for reading in heads:
            if reading.case and reading.number:
                key = (reading.case, reading.number)
                scores[key] = scores.get(key, 0.0) + reading.score
    return scores


def _head_index(words: Sequence[str], options: Sequence[Sequence[Reading]], head_lemma: str | None) -> int:
    """Where the head noun of ``words`` stands: the known lemma, else after the leading adjectives."""
    if head_lemma:
        for i, opts in enumerate(options):
            if any(r.lemma == head_lemma for r in opts) or fold(words[i]) == head_lemma:
                return i
    head = 0
    for i, word in enumerate(words):
        if i and fold(words[i - 1]) not in CONJUNCTIONS and not any(r.pos in MODIFIER_POS for r in options[i - 1]):
            break  # the run of adjectives (and conjunctions) before the head has ended
        if fold(word) in CONJUNCTIONS:
            continue
        nouns = [r for r in options[i] if r.pos == "NOUN"] or (options[i] if i == 0 else [])
        mods = [[r for r in options[j] if r.pos in MODIFIER_POS] for j in range(i)]
        mods = [ms for j, ms in enumerate(mods) if fold(words[j]) not in CONJUNCTIONS]
        if is_indeclinable(word) or any(all(any(agrees(m, n) for m in ms) for ms in mods) for n in nouns):
            head = i
    return head
