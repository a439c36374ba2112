"""Language detection: a script-aware front over langdetect's n-gram profiles.

The writing system settles most cases outright (Han is Chinese, Hangul is Korean,
Han with kana is Japanese); letters that only some Cyrillic alphabets have tell
Belarusian, Serbian, Macedonian and Kazakh from Russian. What script alone cannot
settle (English or German? Russian, Ukrainian or Bulgarian?) is scored among the
languages of that script only, on langdetect's character n-gram profiles and
wordfreq's lists of each language's most frequent words, with a prior towards
English and Russian, since triglot's users mostly send those.

The n-gram scoring is exact naive Bayes, not langdetect's ``Detector``, which
samples n-grams at random until one language passes 99.999%: it needs a seed to
repeat itself, and it drowns a prior within a few samples, so it got a quarter
of single English words right. Exact scoring has no randomness at all: the same
text gives the same answer in every process. The word lists fill the holes in
langdetect's profiles (its English one lacks "loo" and "kee"), which cost short
text most. Figures for both choices: ``benchmarks/detect_accuracy.py``.

``candidates`` gives the runners-up too (LibreTranslate's /detect answers three), and
``detect_supported``, which decides the language to translate or summarise from, takes
a supported runner-up close behind an unsupported winner (``TRIGLOT_DETECT_MARGIN``;
figures: ``benchmarks/detect_names.py``). ``detect`` itself never leans that way.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UndetectedLanguage, UnsupportedLanguage
from ..settings import DEFAULT_DETECT_MARGIN
from ..text import SUPPORTED, source_language

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "MAX_CANDIDATES",
    "UNDETERMINED",
    "Detection",
    "candidates",
    "detect",
    "detect_known",
    "detect_supported",
    "language_of",
]


@dataclass(frozen=True)
class Detection:
    """What ``detect`` found: an ISO 639-1 code (or ``"und"``), how sure, and whether triglot handles it."""

    language: str
    confidence: float
    supported: bool

    def to_dict(self) -> dict[str, object]:
        """The JSON shape every door gives: ``{"language", "confidence", "supported"}``."""
        return {"language": self.language, "confidence": self.confidence, "supported": self.supported}


UNDETERMINED = Detection("und", 0.0, False)
# How many guesses ``candidates`` gives: as many as LibreTranslate's /detect answers.
MAX_CANDIDATES = 3

# Letter runs per script, in one regex so a single pass over the text counts them all.
# Han, kana and Hangul runs count one unit per character (one character carries
# about as much as a short word); the others count one unit per word.
_PER_CHARACTER = frozenset({"han", "kana", "hangul"})
_SCRIPTS: dict[str, str] = {
    "han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f",
    "kana": "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff",
    "hangul": "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3",
    # Accented letters come precomposed: detect() applies NFKC first.
    "latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "cyrillic": "\u0400-\u0481\u048a-\u052f",
    "greek": "\u0386\u0388-\u03ff\u1f00-\u1ffc",
    "armenian": "\u0531-\u0587",
    "hebrew": "\u05d0-\u05ea\u05f0-\u05f2",
    "arabic": "\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff",
    "devanagari": "\u0900-\u0963\u0971-\u097f",
    "bengali": "\u0980-\u09e3",
    "gurmukhi": "\u0a00-\u0a63",
    "gujarati": "\u0a80-\u0ae3",
    "tamil": "\u0b80-\u0be3",
    "telugu": "\u0c00-\u0c63",
    "kannada": "\u0c80-\u0ce3",
    "malayalam": "\u0d00-\u0d63",
    "sinhala": "\u0d80-\u0de5",
    "thai": "\u0e01-\u0e4e",
    "lao": "\u0e81-\u0ecf",
    "tibetan": "\u0f40-\u0fbc",
    "myanmar": "\u1000-\u103f",
    "georgian": "\u10a0-\u10ff\u1c90-\u1cbf",
    "ethiopic": "\u1200-\u135a",
    "khmer": "\u1780-\u17d3",
}
_SCRIPT_RUN = re.compile("|".join(f"(?P<{name}>[{chars}]+)" for name, chars in _SCRIPTS.items()))

# Scripts written by essentially one language.
_SCRIPT_LANGUAGE: dict[str, str] = {
    "hangul": "ko", "greek": "el", "armenian": "hy", "hebrew": "he", "bengali": "bn",
    "gurmukhi": "pa", "gujarati": "gu", "tamil": "ta", "telugu": "te", "kannada": "kn",
    "malayalam": "ml", "sinhala": "si", "thai": "th", "lao": "lo", "tibetan": "bo",
    "myanmar": "my", "georgian": "ka", "ethiopic": "am", "khmer": "km",
}

# Scripts shared by several languages langdetect has profiles for; the first
# candidate, if the script has one, gets the prior (triglot's language).
_LATIN = ("en", "af", "ca", "cs", "cy", "da", "de", "es", "et", "fi", "fr", "hr", "hu", "id",
          "it", "lt", "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw",
          "tl", "tr", "vi")
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "latin": _LATIN,
    "cyrillic": ("ru", "bg", "uk", "mk"),
    "arabic": ("ar", "fa", "ur"),
    "devanagari": ("hi", "mr", "ne"),
}
_HOME: dict[str, str] = {"latin": "en", "cyrillic": "ru"}

# wordfreq's names where they differ from langdetect's.
_WORDFREQ_CODE: dict[str, str] = {"no": "nb", "tl": "fil", "hr": "sh"}
# The most frequent words of each language: enough to know a short word, small
# enough to load in a fraction of a second.
WORDS_PER_LANGUAGE = 20_000
# A word missing from a language's list is rare there, not impossible.
_UNLISTED_LOG_FREQUENCY = math.log(1e-7)
_LOG_FREQUENCY_PER_CENTIBEL = math.log(10) / 100
_LANGUAGES_PER_HASH = 64  # room in a word key for every language column

# Log-odds (nats) for the home language against each other one, about 55 to 1:
# enough to tip a word other languages share (market, gender), less than one
# word of their own (Bahnhof, merci) is worth, so their sentences still win.
HOME_PRIOR = 4.0
# Each character feeds a 1-, 2- and 3-gram, so naive Bayes counts every piece of
# character evidence about three times; dividing by this counts it about once.
_TEMPERATURE = 3.0
# langdetect's smoothing: an n-gram a language never used still costs it, not infinitely.
_SMOOTHING = 0.5 / 10_000
# Enough text to decide; the script count sees far more.
_MAX_SCORED_CHARS = 1_000
# A long article many times over; bounds the time a pasted book can take.
_MAX_COUNTED_CHARS = 100_000
# Japanese prose is a third to two thirds kana; Chinese has none beyond the odd
# borrowed の in a brand name.
_KANA_SHARE = 0.1

# Cyrillic alphabets beside Russian's, by the letters each has of its own and
# the Russian letters it lacks: a language wins when its own letters outnumber
# the ones it lacks, so a Russian article naming Ђоковић stays Russian.
_KAZAKH = "әғқңөұүһ"  # and і, shared with Ukrainian and Belarusian
# Kazakh prose runs at 10-15% of these with і; a Kazakh name in a Russian sentence stays below.
_KAZAKH_SHARE = 0.05
_BELARUSIAN, _BELARUSIAN_LACKS = "ўі", "ищъ"
_SERBIAN, _MACEDONIAN = "ђћ", "ѓќѕ"
_YUGOSLAV, _YUGOSLAV_LACKS = "ђћѓќѕјљњџ", "ёйщъыьэюя"  # ј љ њ џ are in both

# The look-behind lets an address start only where a word does: without it, a
# long run of letters with no @ is rescanned from every position (quadratic).
_URL_OR_MAIL = re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")


def detect(text: str) -> Detection:
    """Tell the language of ``text``; ``Detection("und", 0.0, False)`` when there are no letters to go on.

    Never raises on a string (lone surrogates included), only on a non-string.
    The first call loads the profiles and word lists (about a second); later
    calls take well under a millisecond for a sentence, a few for an article.
    """
    if not isinstance(text, str):
        raise TypeError(f"detect() takes a str, not {type(text).__name__}")
    ranked = _ranked(text)
    return ranked[0] if ranked else UNDETERMINED


def candidates(text: str, limit: int = MAX_CANDIDATES) -> list[Detection]:
    """Up to ``limit`` guesses at the language of ``text``, best first (the first is ``detect(text)``);
    ``[UNDETERMINED]`` when there are no letters to go on.

    Only languages of the text's main script compete: where the script settles the
    language (Han, Hangul, Ukrainian's letters) there is one guess.
    """
    if not isinstance(text, str):
        raise TypeError(f"candidates() takes a str, not {type(text).__name__}")
    return _ranked(text)[: max(1, limit)] or [UNDETERMINED]


def _ranked(text: str) -> list[Detection]:
    """Every language the text's main script leaves in the race, best first; ``[]`` with no letters."""
    # NFKC folds full-width Latin (ＳＣＯ) and half-width kana into the ranges above.
    text = unicodedata.normalize("NFKC", _URL_OR_MAIL.sub(" ", text[:_MAX_COUNTED_CHARS]))
    units: Counter[str] = Counter()
    runs: dict[str, list[str]] = {}
    for match in _SCRIPT_RUN.finditer(text):
        script = match.lastgroup
        assert script is not None  # every alternative is a named group
        run = match.group()
        units[script] += len(run) if script in _PER_CHARACTER else 1
        runs.setdefault(script, []).append(run)
    if not units:
        return []

    # Han and kana are one writing system (Japanese mixes them), so they compete together.
    cjk = units.pop("han", 0) + units.pop("kana", 0)
    kana = sum(len(run) for run in runs.get("kana", ()))
    if cjk:
        units["cjk"] = cjk
    script, amount = max(units.items(), key=lambda item: item[1])
    # Every confidence is scaled by the dominant script's share, so mixed text is less sure.
    dominance = amount / sum(units.values())

    if script == "cjk":
        language = "ja" if kana >= _KANA_SHARE * cjk else "zh"
        return [_detection(language, dominance * _saturate(amount))]
    if script in _SCRIPT_LANGUAGE:
        return [_detection(_SCRIPT_LANGUAGE[script], dominance * _saturate(amount))]

    words = runs[script]
    if script == "cyrillic":
        settled = _cyrillic_by_letters(" ".join(words).lower())
        if settled is not None:
            return [_detection(settled, dominance * _saturate(amount))]
    ranked = _model().rank(words, _CANDIDATES[script], _HOME.get(script))
    return [_detection(language, dominance * posterior) for language, posterior in ranked]


def detect_known(text: str) -> Detection:
    """``detect(text)``, or ``UndetectedLanguage`` when the text has no letters to tell a language by."""
    found = detect(text)
    if found.language == UNDETERMINED.language:
        raise UndetectedLanguage("could not tell the language: the text has too few letters")
    return found


def detect_supported(text: str, *, doing: str, margin: float = DEFAULT_DETECT_MARGIN) -> Detection:
    """The language triglot works in that ``text`` is in, or an error saying why triglot cannot be
    ``doing`` (e.g. "translate") it: no language could be told, or it is not one triglot works in.

    ``detect(text)``, except that when it is a language triglot does not work in, the best supported
    candidate is taken if the winner is at most ``margin`` times as likely (0: never): names read as
    another language in short text ("Wang Yi met Lavrov" reads as Dutch 25 to 1), while a sentence
    of that language wins by millions to one."""
    if not isinstance(text, str):
        raise TypeError(f"detect_supported() takes a str, not {type(text).__name__}")
    ranked = _ranked(text)
    found = ranked[0] if ranked else UNDETERMINED
    if found.language == UNDETERMINED.language:
        raise UndetectedLanguage("could not tell the language of the text; give its language (en, zh or ru)")
    if not found.supported:
        second = next((guess for guess in ranked if guess.supported), None)
        if second is not None and found.confidence <= margin * second.confidence:
            return second
        raise UnsupportedLanguage(
            f"the text looks like {found.language!r}, which triglot does not {doing}; "
            f"it works in {', '.join(SUPPORTED)}; give the language if the detection is wrong",
            language=found.language,
            supported=SUPPORTED,
        )
    return found


def language_of(
    text: str, language: str | None, *, doing: str, margin: float = DEFAULT_DETECT_MARGIN
) -> Detection:
    """The language given (normalised, and certain), or for None and ``auto`` the one ``detect_supported``
    finds in ``text`` (within ``margin``), with its errors when it cannot be told or is not one triglot
    is ``doing``."""
    given = source_language(language) if language is not None else None
    if given is not None:
        return Detection(given, 1.0, True)
    return detect_supported(text, doing=doing, margin=margin)


def _detection(language: str, confidence: float) -> Detection:
    return Detection(language, min(1.0, max(0.0, confidence)), language in SUPPORTED)


def _saturate(units: int) -> float:
    """Confidence from the amount of text alone: one character or word is a coin toss, ten is 0.9."""
    return units / (units + 1)


def _cyrillic_by_letters(text: str) -> str | None:
    """Kazakh, Belarusian, Serbian or Macedonian when their own letters say so; ``None`` to leave it to n-grams.

    langdetect has no profile for these, and their letters settle them anyway.
    """
    counts = Counter(text.replace(" ", ""))

    def count(alphabet: str) -> int:
        return sum(counts[ch] for ch in alphabet)

    # Kazakh is Russian's alphabet and nine letters more, so only their share tells it.
    if count(_KAZAKH) and count(_KAZAKH + "і") >= _KAZAKH_SHARE * counts.total():
        return "kk"
    # і alone could be Ukrainian; ў, or ы and э (which Ukrainian lacks) beside it, cannot.
    if (counts["ў"] or (counts["і"] and count("ыэ"))) and count(_BELARUSIAN) > count(
        _BELARUSIAN_LACKS
    ):
        return "be"
    if count(_YUGOSLAV) > count(_YUGOSLAV_LACKS):
        serbian, macedonian = count(_SERBIAN), count(_MACEDONIAN)
        if serbian != macedonian:
            return "sr" if serbian > macedonian else "mk"
        # Only the shared ј љ њ џ: Serbian writes "is" as је, Macedonian as е.
        return "sr" if "је" in text.split() else "mk"
    return None


class _Model:
    """langdetect's character n-gram profiles and wordfreq's word lists, for the languages scored."""

    def __init__(self) -> None:
        import numpy as np
        import wordfreq
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
        from langdetect.utils.ngram import NGram

        # Our own factory, not langdetect's module-level one, so nothing a user
        # does to langdetect's global state changes our answers; and only the
        # profiles scored here: the Chinese, Japanese and Korean ones are most of
        # the load time and script settles those languages anyway.
        wanted = sorted({lang for langs in _CANDIDATES.values() for lang in langs})
        factory = DetectorFactory()
        factory.load_json_profile(
            [(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in wanted]
        )
        self.column = {lang: factory.langlist.index(lang) for lang in wanted}
        self.row = {gram: i for i, gram in enumerate(factory.word_lang_prob_map)}
        probabilities = np.array(list(factory.word_lang_prob_map.values()), dtype=np.float64)
        self.log_probability: npt.NDArray[np.float32] = np.log(probabilities + _SMOOTHING).astype(
            np.float32
        )
        # langdetect normalises characters before counting (punctuation to
        # space, Romanian ș to ş, Arabic variants); do the same, in one table.
        self.normalize: dict[int, str] = {}
        for code in range(0x2000):  # every script scored here lies below U+2000
            normal = NGram.normalize(chr(code))
            if normal != chr(code):
                self.normalize[code] = normal
        # langdetect's profiles miss many common trigrams ("loo" in English),
        # so a lone word goes astray on n-grams alone; word lists catch it.
        # Languages wordfreq lacks (af, cy, et, so, sq, sw) score every word as unlisted.
        # Words are kept as CRC-32 hashes, one sorted array for all languages
        # (key = hash * 64 + language), so 20,000 words a language cost 10 bytes each.
        available = wordfreq.available_languages("small")
        keys, centibels = [], []
        for lang in wanted:
            source = available.get(_WORDFREQ_CODE.get(lang, lang))
            if source is None:
                continue
            words, levels = _top_words(wordfreq.read_cBpack(source))
            hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint64, len(words))
            keys.append(hashes * _LANGUAGES_PER_HASH + self.column[lang])
            centibels.append(np.array(levels, dtype=np.uint16))
        all_keys = np.concatenate(keys)
        # Stable, so where a hash repeats the more frequent word (listed first) comes first.
        order = np.argsort(all_keys, kind="stable")
        self.word_keys: npt.NDArray[np.uint64] = all_keys[order]
        self.word_centibels: npt.NDArray[np.uint16] = np.concatenate(centibels)[order]

    def rank(
        self, words: list[str], candidates: tuple[str, ...], home: str | None
    ) -> list[tuple[str, float]]:
        """Every one of ``candidates`` with its posterior probability for ``words``, most likely first
        (ties in the order of ``candidates``, as ``argmax`` breaks them)."""
        import numpy as np

        text = " ".join(words)[:_MAX_SCORED_CHARS].translate(self.normalize)
        tokens = text.split()
        # Acronyms (NATO, BRICS) say nothing about the language around them;
        # langdetect skips them too. All-capital text is read in lower case instead.
        kept = [token for token in tokens if len(token) == 1 or not token.isupper()]
        if not kept:
            kept = [token.lower() for token in tokens]
        rows = []
        for token in kept:
            padded = f" {token} "
            for n in (1, 2, 3):
                for start in range(len(padded) - n + 1):
                    row = self.row.get(padded[start : start + n])
                    if row is not None:
                        rows.append(row)
        columns = [self.column[lang] for lang in candidates]
        characters = self.log_probability[np.ix_(np.array(rows, dtype=np.intp), columns)]
        scores = characters.sum(axis=0, dtype=np.float64) / _TEMPERATURE
        scores += self._word_scores([token.lower() for token in kept], columns)
        if home is not None:
            scores[candidates.index(home)] += HOME_PRIOR
        best = int(np.argmax(scores))
        odds = np.exp(scores - scores[best])
        posteriors = odds / odds.sum()
        order = sorted(range(len(candidates)), key=lambda index: (-scores[index], index))
        return [(candidates[index], float(posteriors[index])) for index in order]

    def _word_scores(self, words: list[str], columns: list[int]) -> npt.NDArray[np.float64]:
        """Log-likelihood of ``words`` in each language of ``columns``, each word drawn by its frequency."""
        import numpy as np

        hashes = np.fromiter(
            (zlib.crc32(word.encode("utf-8", "surrogatepass")) for word in words),
            np.uint64,
            len(words),
        )
        wanted = hashes[:, None] * _LANGUAGES_PER_HASH + np.array(columns, dtype=np.uint64)
        found = np.searchsorted(self.word_keys, wanted).clip(max=len(self.word_keys) - 1)
        listed = self.word_keys[found] == wanted
        log_frequency: npt.NDArray[np.float64] = np.where(
            listed,
            -self.word_centibels[found].astype(np.float64) * _LOG_FREQUENCY_PER_CENTIBEL,
            _UNLISTED_LOG_FREQUENCY,
        )
        totals: npt.NDArray[np.float64] = log_frequency.sum(axis=0, dtype=np.float64)
        return totals


def _top_words(buckets: list[list[str]]) -> tuple[list[str], list[int]]:
    """The first ``WORDS_PER_LANGUAGE`` words of a wordfreq list and their levels in centibels.

    Bucket ``b`` of a wordfreq list holds the words of frequency 10**(-b/100).
    """
    words: list[str] = []
    levels: list[int] = []
    for centibels, bucket in enumerate(buckets):
        taken = bucket[: WORDS_PER_LANGUAGE - len(words)]
        words.extend(taken)
        levels.extend([centibels] * len(taken))
        if len(words) >= WORDS_PER_LANGUAGE:
            break
    return words, levels


_loaded: _Model | None = None
_loading = threading.Lock()


def _model() -> _Model:
    """The profiles and word lists, loaded on first use, once per process, whichever thread comes first."""
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                _loaded = _Model()
    return _loaded
