"""Extractive summaries: pick the sentences that best stand for the article.

sumy ranks the sentences; triglot feeds it its own offline segmentation and word
splitting, its stop words and stemmers, and keeps every picked sentence tied to its
offsets in the original text. A first line that reads as a headline is the title,
never a summary sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..detection import language_of
from ..errors import EmptyInput, InputTooLong, InvalidOption
from ..settings import Settings
from ..signature import Signature
from ..text import Sentence, joiner, segmenter, split_sentences
from .rankers import ALGORITHMS, rank_sentences, sentence_limit

# Chosen per language by benchmarks/summarize_quality.py (docs/benchmarks.md): on the
# English BBC set Reduction beats every other ranking and Lead-k; on Chinese and
# Russian news no ranking beat Lead-k (the gist comes first), so lead it is there.
DEFAULT_ALGORITHMS: dict[str, str] = {"en": "reduction", "zh": "lead", "ru": "lead"}

# A headline is one short line that does not end like a sentence.
_MAX_TITLE_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?。！？…]['\"’”»)）」』]*$")


@dataclass(frozen=True)
class SummaryOptions:
    """How to summarise: the length (a sentence count or a share of the article's sentences), the
    ranking algorithm, and the text's language when it is known. Checked when made.

    None leaves a choice to the settings (``summary_sentences``, ``summary_algorithm``)
    or, for ``algorithm``, to the measured best for the language (``DEFAULT_ALGORITHMS``);
    ``language`` None or ``"auto"`` detects it.
    """

    sentences: int | None = None
    ratio: float | None = None
    algorithm: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        if self.algorithm is not None:
            object.__setattr__(self, "algorithm", _choose_algorithm(self.algorithm))
        if self.sentences is not None and self.ratio is not None:
            raise InvalidOption("give either a sentence count or a ratio, not both")
        if self.sentences is not None and self.sentences < 1:
            raise InvalidOption(f"the sentence count must be at least 1, not {self.sentences}")
        if self.ratio is not None and not 0 < self.ratio <= 1:
            raise InvalidOption(f"the ratio must be above 0 and at most 1, not {self.ratio}")


@dataclass(frozen=True)
class SummarySentence:
    """One picked sentence: ``original[start:end] == text``; higher score ranks higher."""

    text: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Summary:
    """The picked sentences in their original order, with what produced them."""

    language: str
    algorithm: str
    sentences: tuple[SummarySentence, ...]
    title: str | None
    total_sentences: int

    @property
    def text(self) -> str:
        """The summary as one paragraph (Chinese sentences join without spaces)."""
        return joiner(self.language).join(s.text for s in self.sentences)

    @property
    def signature(self) -> Signature:
        """What produced this summary: the segmenter and the algorithm, with their versions."""
        return _signature(self.language, self.algorithm)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI and the HTTP service."""
        return {
            "language": self.language,
            "algorithm": self.algorithm,
            "title": self.title,
            "sentences": [
                {"text": s.text, "start": s.start, "end": s.end, "score": s.score} for s in self.sentences
            ],
            "summary": self.text,
            "signature": str(self.signature),
        }

    def to_markdown(self) -> str:
        """The title as a heading, a bullet per sentence, and a line saying how the summary was made."""
        heading = f"## {self.title}\n\n" if self.title else ""
        bullets = "\n".join(f"- {s.text}" for s in self.sentences)
        made = f"*{len(self.sentences)} of {self.total_sentences} sentences, {self.language}, {self.algorithm}*"
        return f"{heading}{bullets}\n\n{made}"


def summarize(
    text: str,
    *,
    language: str | None = None,
    sentences: int | None = None,
    ratio: float | None = None,
    algorithm: str | None = None,
    settings: Settings | None = None,
) -> Summary:
    """Summarise ``text`` in its own language by picking its most representative sentences.

    ``sentences`` (a count) or ``ratio`` (a share of the article's sentences) sets the
    length; with neither, ``settings.summary_sentences`` (3). ``language`` skips
    detection. ``algorithm`` is one of ``ALGORITHMS`` (default: the measured best for
    the language, ``DEFAULT_ALGORITHMS``). The same as ``summarize_with`` and a
    ``SummaryOptions`` of these.
    """
    return summarize_with(text, SummaryOptions(sentences, ratio, algorithm, language), settings)


def summarize_with(text: str, options: SummaryOptions, settings: Settings | None = None) -> Summary:
    """Summarise ``text`` as ``options`` say (see ``summarize``)."""
    settings = settings or Settings.from_env()
    chosen = options.algorithm or _choose_algorithm(settings.summary_algorithm)
    if not text.strip():
        raise EmptyInput("the text is empty; give an article to summarise")

    lang = language_of(text, options.language, doing="summarise", margin=settings.detect_margin).language
    algorithm = chosen or DEFAULT_ALGORITHMS[lang]
    all_sentences = split_sentences(text, lang)
    if not all_sentences:
        raise EmptyInput("the text has no sentences to summarise")
    title = all_sentences[0] if _is_title(text, all_sentences) else None
    body = all_sentences[1:] if title else all_sentences

    limit = sentence_limit(algorithm, settings.max_summary_sentences)
    if limit is not None and len(body) > limit:
        raise InputTooLong(
            f"the text has {len(body)} sentences; the {algorithm} algorithm handles at most "
            f"{limit} (set by TRIGLOT_MAX_SUMMARY_SENTENCES); "
            "use --algorithm lead, edmundson or luhn, or split the text",
            limit=limit,
            actual=len(body),
        )

    count = _sentence_count(len(body), options.sentences, options.ratio, settings.summary_sentences)
    scores = rank_sentences(algorithm, body, _paragraph_starts(text, body), lang, title.text if title else None)
    picked = sorted(sorted(range(len(body)), key=lambda i: -scores[i])[:count])
    return Summary(
        language=lang,
        algorithm=algorithm,
        sentences=tuple(
            SummarySentence(body[i].text, body[i].start, body[i].end, round(float(scores[i]), 6)) for i in picked
        ),
        title=title.text if title else None,
        total_sentences=len(body),
    )


def _choose_algorithm(name: str | None) -> str | None:
    """``name`` as ``ALGORITHMS`` spells it ("Lex-Rank" is "lexrank"), or ``InvalidOption``."""
    if name is None:
        return None
    key = name.strip().lower().replace("-", "").replace("_", "")
    if key not in ALGORITHMS:
        raise InvalidOption(f"unknown algorithm {name!r}; use one of: {', '.join(ALGORITHMS)}")
    return key


def _is_title(text: str, sentences: Sequence[Sentence]) -> bool:
    """A first sentence on a line of its own, short, not ending like a sentence."""
    if len(sentences) < 2:
        return False
    first, second = sentences[0], sentences[1]
    on_own_line = "\n" in text[first.end : second.start] and "\n" not in first.text
    return on_own_line and len(first.text) <= _MAX_TITLE_CHARS and not _SENTENCE_END.search(first.text)


def _paragraph_starts(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """Indexes of the sentences that open a paragraph (after a blank line)."""
    starts = [0]
    for i in range(1, len(sentences)):
        gap = text[sentences[i - 1].end : sentences[i].start]
        if gap.count("\n") >= 2:
            starts.append(i)
    return starts


def _sentence_count(available: int, sentences: int | None, ratio: float | None, default: int) -> int:
    if ratio is not None:
        return max(1, min(available, round(available * ratio)))
    return min(available, sentences if sentences is not None else default)


@functools.lru_cache(maxsize=None)
def _signature(language: str, algorithm: str) -> Signature:
    from importlib.metadata import version

    method = algorithm if algorithm == "lead" else f"{algorithm} sumy {version('sumy')}"
    return Signature(segmenter=segmenter(language), algorithm=method)
