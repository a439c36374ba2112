"""Input records: the articles of a corpus as plain dicts with stable ids, read one at a time.

A record is what crosses to a worker (a process, a Ray actor): ``{"id", "source", "text"}``
and, when known, ``"title"``, ``"url"``, ``"date"``, ``"language"``; an input that gave no
article is ``{"id", "source", "error"}``, which a worker turns into its error line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import InvalidArticle
from ..pipeline import Article, FailedInput, failed_outcome, stream_articles
from ..settings import DEFAULT_MAX_INPUT_BYTES

Record = dict[str, Any]
_OPTIONAL = ("title", "url", "date", "language")


def read_records(inputs: Sequence[str | Path], *, limit: int = DEFAULT_MAX_INPUT_BYTES) -> Iterator[Record]:
    """Every article of ``inputs`` as a record, in input order; a .jsonl is read line by line, never whole.

    Ids: a file's path relative to the folder given (its name when the file was given
    itself); a .jsonl line's ``id`` field, else ``PATH:LINE``. Raises before the first
    record for an input path that does not exist (``UnreadableInput``) and for no inputs
    or a folder with no article file (``EmptyInput``); a bad file or line is an error record.
    """
    for found in stream_articles(inputs, limit=limit):
        entry = found.entry
        if isinstance(entry, FailedInput):
            yield failure_line(found.id, entry.source, failed_outcome(entry).error or str(entry.error))
            continue
        record: Record = {"id": found.id, "source": entry.source, "text": entry.text}
        for key in _OPTIONAL:
            value = getattr(entry, key)
            if value is not None:
                record[key] = value
        yield record


def article_of(record: Record, position: int = 0) -> Article:
    """The pipeline's article for a record; ``InvalidArticle`` for one without an id, a source or a text."""
    where = record.get("source") if isinstance(record.get("source"), str) else record.get("id")
    for key in ("id", "source", "text"):
        if not isinstance(record.get(key), str) or not str(record[key]).strip():
            raise InvalidArticle(f"{where or 'a record'}: '{key}' must be a non-empty string", path=str(where), line=None)
    for key in _OPTIONAL:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InvalidArticle(f"{where}: '{key}' must be a string", path=str(where), line=None)
    return Article(
        text=record["text"],
        title=record.get("title"),
        source=record["source"],
        url=record.get("url"),
        date=record.get("date"),
        language=record.get("language"),
        position=position,
    )


def failure_line(record_id: str, source: str, error: str) -> Record:
    """The line of an article that failed: its id, where it came from, and why."""
    return {"id": record_id, "source": source, "error": error}
