"""The pipeline: articles read from files, then each one detected, summarised and translated.

``articles`` reads .txt, .md, .html and .jsonl inputs into ``Article``s, and ``streaming``
yields them one at a time under stable ids (a .jsonl line by line); ``processing``
takes one article (``process``) or many in whole batches (``process_many``) through
detection, summarisation and translation; ``results`` holds what comes out, every
translated summary sentence pointing to the sentence of the article it came from, and
``outcomes`` what one article comes to in the digest's JSON and a corpus job's lines alike.
"""

from .articles import Article, FailedInput, read_articles
from .outcomes import ArticleOutcome, failed_outcome, outcome_of
from .processing import DEFAULT_TARGETS, Progress, process, process_many
from .results import INSTALL_ALL, AlignedSentence, Batch, Notice, Processed, TranslatedSummary, missing_translations_line
from .streaming import Identified, count_articles, stream_articles

__all__ = [
    "DEFAULT_TARGETS",
    "INSTALL_ALL",
    "AlignedSentence",
    "Article",
    "ArticleOutcome",
    "Batch",
    "FailedInput",
    "Identified",
    "Notice",
    "Processed",
    "Progress",
    "TranslatedSummary",
    "count_articles",
    "failed_outcome",
    "missing_translations_line",
    "outcome_of",
    "process",
    "process_many",
    "read_articles",
    "stream_articles",
]
