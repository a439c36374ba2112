"""Articles one at a time, each with a stable id, for inputs too large to hold: a corpus job.

The same files as ``read_articles`` reads and the same per-article parsing, but a
``.jsonl`` is read line by line (a feed of millions of lines never sits in memory),
and every article gets an id that does not change between runs: a file's path
relative to the folder given (its name when the file itself was given), and for a
``.jsonl`` line its ``id`` field or ``PATH:LINE``. A line or file that cannot be used is
a ``FailedInput`` under its id, never the end of the run.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import EmptyInput, InvalidArticle, TriglotError
from ..settings import DEFAULT_MAX_INPUT_BYTES
from ..text import decode, open_regular
from .articles import JSONL_SUFFIXES, Article, FailedInput, bad_line, input_files, json_object, read_file, record_article

_CHUNK = 1 << 16


@dataclass(frozen=True)
class Identified:
    """An article, or the input that gave none, under its stable id."""

    id: str
    entry: Article | FailedInput


def stream_articles(inputs: Sequence[str | Path], *, limit: int = DEFAULT_MAX_INPUT_BYTES) -> Iterator[Identified]:
    """Every article of ``inputs``, in the order ``read_articles`` gives them, one at a time.

    ``limit`` caps one article: a .txt/.md/.html file, or one .jsonl line (a .jsonl file
    itself may be of any size). Raises before yielding anything for an input path that does
    not exist, and ``EmptyInput`` for no inputs or a folder with no article file.
    """
    if not inputs:
        raise EmptyInput("no inputs: give files or folders of articles")
    position = 0
    for path, folder in input_files(inputs):
        key = path.relative_to(folder).as_posix() if folder is not None else path.name
        entries = _jsonl(path, key, limit) if path.suffix.lower() in JSONL_SUFFIXES else _whole(path, key, limit)
        for found in entries:
            yield dataclasses.replace(found, entry=dataclasses.replace(found.entry, position=position))
            position += 1


def _whole(path: Path, key: str, limit: int) -> Iterator[Identified]:
    for entry in read_file(path, limit):
        yield Identified(key, entry)


def _jsonl(path: Path, key: str, limit: int) -> Iterator[Identified]:
    name = str(path)
    try:
        handle = open_regular(path, give="a .jsonl file")
    except TriglotError as error:
        yield Identified(key, FailedInput(name, error))
        return
    with handle:
        if handle.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            # UTF-16 cannot be cut at newline bytes: such a file is read whole, as the digest reads it.
            handle.close()
            for entry in read_file(path, limit):
                where = entry.source.rpartition(":")[2]
                yield Identified(f"{key}:{where}" if where.isdigit() else key, entry)
            return
        found = False
        for number, line in _lines(handle, limit, name):
            where = f"{name}:{number}"
            try:
                if isinstance(line, TriglotError):
                    raise line
                text = decode(line.removeprefix(codecs.BOM_UTF8) if number == 1 else line, where).strip()
                if not text:
                    continue
                record = json_object(text, name, number)
                given = _given_id(record, name, number)
                found = True
                yield Identified(given or f"{key}:{number}", record_article(record, name, number))
            except TriglotError as error:
                found = True
                yield Identified(f"{key}:{number}", FailedInput(where, error))
    if not found:
        empty = EmptyInput(f"{name} has no articles: each line must be a JSON object with title and text")
        yield Identified(key, FailedInput(name, empty))


def _given_id(record: dict[str, object], name: str, number: int) -> str | None:
    """A line's own ``id`` (a string or a whole number), or None when it has none."""
    value = record.get("id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise bad_line(name, number, "'id' must be a non-empty string or a whole number")
    return str(value).strip()


def _lines(handle: io.BufferedReader, limit: int, name: str) -> Iterator[tuple[int, bytes | TriglotError]]:
    """Each line of ``handle`` with its number; a line over ``limit`` bytes is an error, skipped unread."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # the rest of the long line, a chunk at a time
                line = handle.readline(_CHUNK)
            yield number, InvalidArticle(
                f"{name}:{number}: the line is longer than {limit} bytes (TRIGLOT_MAX_INPUT_BYTES); "
                "split the article, or raise the limit",
                path=name,
                line=number,
            )
            continue
        yield number, line


def count_articles(inputs: Sequence[str | Path]) -> int:
    """About how many articles ``stream_articles`` will give: a file each, a .jsonl a line each, counted in
    chunks without parsing (blank lines count too). For a progress bar's total and its ETA."""
    count = 0
    for path, _ in input_files(inputs):
        if path.suffix.lower() not in JSONL_SUFFIXES:
            count += 1
            continue
        try:
            handle = open_regular(path, give="a .jsonl file")
        except TriglotError:
            count += 1
            continue
        with handle:
            last = b"\n"
            while chunk := handle.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk[-1:]
            count += last != b"\n"
    return count
