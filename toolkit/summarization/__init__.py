"""Summarisation: the sentences that best stand for an article, picked in its own language.

sumy ranks the sentences (``rankers``); ``summary`` decides the title, the length and
the algorithm, and keeps every picked sentence tied to its offsets in the article.
"""

from .rankers import ALGORITHMS, QUADRATIC_ALGORITHMS, SUMY_ALGORITHMS, sentence_limit
from .summary import DEFAULT_ALGORITHMS, Summary, SummaryOptions, SummarySentence, summarize, summarize_with

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHMS",
    "QUADRATIC_ALGORITHMS",
    "SUMY_ALGORITHMS",
    "Summary",
    "SummaryOptions",
    "SummarySentence",
    "sentence_limit",
    "summarize",
    "summarize_with",
]
