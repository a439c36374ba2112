"""sumy's ranking algorithms, fed with triglot's own words, stop words and stemmers.

sumy's own tokenizers need NLTK data that must be downloaded and it has no Russian
stop words, so triglot builds sumy's document model itself and only asks sumy for
the score of every sentence; the picking is done by the caller.
"""

from __future__ import annotations

import functools
import math
import threading
import warnings
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

from ..text import Sentence, split_words, to_simplified

# "lead" is ours (first sentences first); the rest are sumy's.
SUMY_ALGORITHMS: dict[str, tuple[str, str]] = {
    "lexrank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "textrank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "edmundson": ("sumy.summarizers.edmundson", "EdmundsonSummarizer"),
    "kl": ("sumy.summarizers.kl", "KLSummarizer"),
    "sumbasic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "reduction": ("sumy.summarizers.reduction", "ReductionSummarizer"),
}
ALGORITHMS: tuple[str, ...] = (*SUMY_ALGORITHMS, "lead")

# These compare every sentence with every other (or rescore all sentences after
# each pick): cost grows with the square of the sentence count, or faster.
QUADRATIC_ALGORITHMS = frozenset({"lexrank", "textrank", "reduction", "kl", "sumbasic", "lsa"})
# kl recomputes a divergence over the whole text for every sentence at every
# pick: 1.6 s at 100 sentences, minutes at 1,000 (docs/benchmarks.md).
_KL_SHARE_OF_LIMIT = 10


def sentence_limit(algorithm: str, max_sentences: int) -> int | None:
    """The most sentences ``algorithm`` accepts under the ``max_sentences`` setting; None for no limit."""
    if algorithm == "kl":
        return max(1, max_sentences // _KL_SHARE_OF_LIMIT)
    return max_sentences if algorithm in QUADRATIC_ALGORITHMS else None

_SUMY_LANGUAGE = {"en": "english", "zh": "chinese", "ru": "russian"}


def rank_sentences(
    algorithm: str,
    sentences: Sequence[Sentence],
    paragraph_starts: Sequence[int],
    language: str,
    title: str | None,
) -> list[float]:
    """A score per sentence (higher is better), from ``algorithm``."""
    if algorithm == "lead" or len(sentences) == 1:
        return [1.0 - i / len(sentences) for i in range(len(sentences))]
    tokenizer = _WordTokenizer(language)
    document = _build_document(sentences, paragraph_starts, title, tokenizer)
    if not any(sentence.words for sentence in document.sentences):
        # Nothing but numbers and symbols: no algorithm can tell sentences apart.
        return [1.0 - i / len(sentences) for i in range(len(sentences))]
    summarizer = _summarizer(algorithm, language)
    scores: list[float] = []

    def capture(candidates: Sequence[Any], count: Any, rating: Any, *args: Any, **kwargs: Any) -> tuple[()]:
        # sumy hands every algorithm's ratings to this one method; keep them all.
        for candidate in candidates:
            value = rating.get(candidate, 0.0) if isinstance(rating, dict) else rating(candidate, *args, **kwargs)
            # A degenerate matrix (every sentence alike) can give NaN, which JSON cannot carry.
            scores.append(float(value) if math.isfinite(value) else 0.0)
        return ()

    summarizer._get_best_sentences = capture
    with warnings.catch_warnings():
        # LSA warns when a text has fewer distinct words than sentences; the scores still stand.
        warnings.simplefilter("ignore")
        summarizer(document, len(sentences))
    return scores


class _WordTokenizer:
    """What sumy's Sentence asks of a tokenizer: the words of a sentence."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_words(self, text: str) -> tuple[str, ...]:
        if self.language == "zh":
            text = to_simplified(text)
        return tuple(split_words(text, self.language))


def _build_document(
    sentences: Sequence[Sentence], paragraph_starts: Sequence[int], title: str | None, tokenizer: _WordTokenizer
) -> Any:
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence

    bounds = [*paragraph_starts, len(sentences)]
    paragraphs = []
    for number, (first, stop) in enumerate(zip(bounds, bounds[1:])):
        members = [SumySentence(s.text, tokenizer) for s in sentences[first:stop]]
        if number == 0 and title:
            # Edmundson's title method reads the headline from the headings.
            members.insert(0, SumySentence(title, tokenizer, is_heading=True))
        paragraphs.append(Paragraph(members))
    return ObjectDocumentModel(paragraphs)


def _summarizer(algorithm: str, language: str) -> Any:
    import importlib

    module_name, class_name = SUMY_ALGORITHMS[algorithm]
    summarizer_class = getattr(importlib.import_module(module_name), class_name)
    if algorithm == "edmundson":
        # Cue and key words would need hand-made bonus lists per language; the title
        # and location methods need only the stop words.
        summarizer = summarizer_class(_stemmer(language), cue_weight=0.0, key_weight=0.0)
        summarizer.null_words = stop_words_for(language)
    else:
        summarizer = summarizer_class(_stemmer(language))
        summarizer.stop_words = stop_words_for(language)
    return summarizer


@functools.lru_cache(maxsize=None)
def stop_words_for(language: str) -> frozenset[str]:
    """Stop words: sumy's lists for English and Chinese, triglot's own for Russian."""
    if language == "ru":
        raw = resources.files("toolkit.summarization").joinpath("data/stopwords_ru.txt").read_text(encoding="utf-8")
    else:
        raw = resources.files("sumy").joinpath(f"data/stopwords/{_SUMY_LANGUAGE[language]}.txt").read_text(
            encoding="utf-8"
        )
    return frozenset(w.strip().lower() for w in raw.splitlines() if w.strip() and not w.startswith("#"))


def _stemmer(language: str) -> Callable[[str], str]:
    if language == "zh":
        return str.lower
    return _snowball(_SUMY_LANGUAGE[language])


@functools.lru_cache(maxsize=None)
def _snowball(name: str) -> Callable[[str], str]:
    import snowballstemmer

    stemmer = snowballstemmer.stemmer(name)
    lock = threading.Lock()

    # Stemming is most of the ranking time and news repeats its words: cache it.
    @functools.lru_cache(maxsize=65536)
    def stem(word: str) -> str:
        # snowballstemmer objects keep state between calls: one caller at a time.
        with lock:
            return str(stemmer.stemWord(word))

    return stem
