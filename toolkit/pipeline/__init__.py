"""The pipeline: articles read from files, then each one detected, summarised and translated.

``articles`` reads .txt, .md, .html and .jsonl inputs into ``Article``s; ``processing``
takes one article (``process``) or many in whole batches (``process_many``) through
detection, summarisation and translation; ``results`` holds what comes out, every
translated summary sentence pointing to the sentence of the article it came from.
"""

from .articles import Article, FailedInput, read_articles
from .processing import DEFAULT_TARGETS, Progress, process, process_many
from .results import INSTALL_ALL, AlignedSentence, Batch, Notice, Processed, TranslatedSummary, missing_translations_line

__all__ = [
    "DEFAULT_TARGETS",
    "INSTALL_ALL",
    "AlignedSentence",
    "Article",
    "Batch",
    "FailedInput",
    "Notice",
    "Processed",
    "Progress",
    "TranslatedSummary",
    "missing_translations_line",
    "process",
    "process_many",
    "read_articles",
]
