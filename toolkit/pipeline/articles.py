"""Articles, and reading them from files and folders of .txt, .md, .html/.htm and .jsonl.

Folders are searched recursively in sorted order, so the same folder always gives
the same digest. A file that cannot be used is one ``FailedInput`` (a ``.jsonl`` line,
one per line), never the end of the run; only an input path that does not exist or
a folder with nothing to read raises, because then the run is a mistake as a whole.
Nothing here touches the network: HTML is parsed from the bytes on disk.
"""

from __future__ import annotations

import json
import logging
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import EmptyInput, InvalidArticle, TriglotError, UnreadableInput
from ..settings import DEFAULT_MAX_INPUT_BYTES
from ..text import decode, read_bytes
from .markdown import plain_text

TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

# A file name that starts with a date (2026-09-eaeu-forum.txt) dates the article.
_NAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2})(?!\d)")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?([T ][0-9:.+\-Z]*)?$")


@dataclass(frozen=True)
class Article:
    """One article: its text and, when known, its title; ``source`` is where it was read (its path,
    ``path:line`` for .jsonl), and ``position`` its place in the inputs' order."""

    text: str
    title: str | None = None
    source: str = ""
    url: str | None = None
    date: str | None = None  # ISO 8601 (2026-11-03, or 2026-11) when known
    position: int = 0
    language: str | None = None  # when the input says it (a .jsonl line's "language"): not detected then


@dataclass(frozen=True)
class FailedInput:
    """An input that gave no article, and why."""

    source: str
    error: TriglotError
    position: int = 0


def read_articles(
    inputs: Sequence[str | Path], *, limit: int = DEFAULT_MAX_INPUT_BYTES
) -> list[Article | FailedInput]:
    """Every article in ``inputs`` (files or folders), in input order, folders sorted by path.

    Raises ``UnreadableInput`` for a path that does not exist and ``EmptyInput`` for a
    folder with no .txt, .md, .html, .htm or .jsonl file in it. A file that is not a
    regular file (a FIFO, a device) or holds more than ``limit`` bytes is a ``FailedInput``.
    """
    if not inputs:
        raise EmptyInput("no inputs: give files or folders of articles")
    found: list[Article | FailedInput] = []
    for path, _ in input_files(inputs):
        for entry in read_file(path, limit):
            found.append(_placed(entry, len(found)))
    return found


def input_files(inputs: Sequence[str | Path]) -> Iterator[tuple[Path, Path | None]]:
    """Each file of ``inputs`` with the folder argument it was found in (None for a file given itself).

    Every input is checked to exist before the first file is yielded, so a typo in the last
    argument stops a long run before it starts; each folder is walked when its turn comes."""
    paths = [Path(given) for given in inputs]
    for path in paths:
        if not path.exists():
            raise UnreadableInput(f"{path}: no such file or folder", path=str(path))
    for path in paths:
        if path.is_dir():
            files = list(_walk(path))
            if not files:
                raise EmptyInput(
                    f"{path}: no articles found; a folder needs .txt, .md, .html, .htm or .jsonl files"
                )
            yield from ((file, path) for file in files)
        else:
            yield path, None


def _walk(folder: Path) -> Iterator[Path]:
    found: list[Path] = []
    for root, folders, names in os.walk(folder):  # does not follow links to folders: no loops
        folders[:] = [f for f in folders if not f.startswith(".")]
        found.extend(Path(root, n) for n in names if not n.startswith(".") and n.lower().endswith(SUFFIXES))
    yield from sorted(found, key=lambda p: p.relative_to(folder).parts)


def read_file(path: Path, limit: int) -> list[Article | FailedInput]:
    """The articles of one file (a .jsonl's, one per line, read whole), or the failure that stopped it."""
    suffix = path.suffix.lower()
    name = str(path)
    try:
        if suffix not in SUFFIXES:
            raise UnreadableInput(
                f"{name}: not an article file; digest reads {', '.join(SUFFIXES)}", path=name
            )
        data = read_bytes(path, limit=limit)
        if suffix in JSONL_SUFFIXES:
            return _read_jsonl(decode(data, name), name)
        if suffix in HTML_SUFFIXES:
            return [_read_html(data, name, path)]
        text = decode(data, name)
        markdown = suffix in MARKDOWN_SUFFIXES
        return [_read_plain(text, name, path, markdown=markdown)]
    except TriglotError as error:
        return [FailedInput(name, error)]


def _read_plain(text: str, name: str, path: Path, *, markdown: bool) -> Article:
    """.txt and .md: the first non-blank line is the title, the rest the text; a single line is text."""
    meta: dict[str, str] = {}
    if markdown:
        meta, text = front_matter(text)
    lines = text.strip().splitlines()
    if not lines and not meta:
        raise EmptyInput(f"{name} is empty; an article needs a title line and some text")
    title: str | None = meta.get("title")
    if title is None and len(lines) > 1:
        first = lines[0].strip()
        title = plain_text(first.lstrip("#")) if markdown else first
        lines = lines[1:]
    # A file of one line is all text, no title: corpora often store an article as one paragraph.
    body = "\n".join(lines).strip()
    if markdown:
        body = plain_text(body)
    if not body:
        raise EmptyInput(f"{name} has no text to summarise")
    return Article(
        title=_clean_title(title) if title is not None else None,
        text=body,
        source=name,
        url=meta.get("url"),
        date=_date(meta.get("date")) or _name_date(path),
    )


def _read_html(data: bytes, name: str, path: Path) -> Article:
    """Article text and title from a web page, navigation, footers and banners dropped."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableInput(f"{name} looks like a binary file, not a web page", path=name)
    document = _extract(data)
    text = (document.text or "").strip() if document is not None else ""
    if not text:
        raise EmptyInput(f"{name}: no article text found in the page")
    title = _clean_title(document.title) if document is not None and document.title else None
    if title is not None and text.startswith(title):
        text = text[len(title) :].strip() or text
    url = document.url if document is not None else None
    date = _date(document.date if document is not None else None) or _name_date(path)
    return Article(title=title, text=text, source=name, url=url, date=date)


def _extract(data: bytes) -> _Document | None:
    # trafilatura imports in about a second: only when a page is read. It logs through
    # "trafilatura" and friends; our library never prints, so nothing of that reaches
    # stderr unless the caller has set up logging, and its warnings stay inside.
    import trafilatura

    for logger in ("trafilatura", "htmldate", "courlan", "justext"):
        quiet = logging.getLogger(logger)
        if not quiet.handlers:
            quiet.addHandler(logging.NullHandler())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
            # Dates from the page's metadata only: a guess from the body text (a copyright
            # year) would sort the article wrongly.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    if found is None or isinstance(found, dict):
        return None
    return _Document(found.title, found.text, found.url, found.date)


@dataclass(frozen=True)
class _Document:
    title: str | None
    text: str | None
    url: str | None
    date: str | None


def _read_jsonl(text: str, name: str) -> list[Article | FailedInput]:
    """One article per line: ``title`` and ``text`` required, ``url`` and ``date`` optional."""
    found: list[Article | FailedInput] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            found.append(_json_article(line, name, number))
        except TriglotError as error:
            found.append(FailedInput(where, error))
    if not found:
        raise EmptyInput(f"{name} has no articles: each line must be a JSON object with title and text")
    return found


def _json_article(line: str, name: str, number: int) -> Article:
    return record_article(json_object(line, name, number), name, number)


def json_object(line: str, name: str, number: int) -> dict[str, object]:
    """A .jsonl line as the JSON object it must be."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise bad_line(name, number, f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise bad_line(name, number, "each line must be a JSON object with title and text")
    return record


def record_article(record: dict[str, object], name: str, number: int) -> Article:
    """A .jsonl line's article: ``title`` and ``text`` required, ``url``, ``date`` and ``language`` optional."""
    fields: dict[str, str | None] = {}
    for key, required in (("title", True), ("text", True), ("url", False), ("date", False), ("language", False)):
        value = record.get(key)
        if value is None and not required:
            fields[key] = None
        elif not isinstance(value, str) or (required and not value.strip()):
            raise bad_line(name, number, f"'{key}' must be a{' non-empty' if required else ''} string")
        else:
            fields[key] = value
    return Article(
        title=_clean_title(fields["title"] or ""),
        text=(fields["text"] or "").strip(),
        source=f"{name}:{number}",
        url=fields["url"],
        date=_date(fields["date"]),
        language=fields["language"],
    )


def bad_line(name: str, number: int, message: str) -> InvalidArticle:
    return InvalidArticle(f"{name}:{number}: {message}", path=name, line=number)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """A Markdown file's leading ``---`` block of ``key: value`` lines (title, date, url), and the rest."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            for line in lines[1:end]:
                key, colon, value = line.partition(":")
                if colon and key.strip().lower() in ("title", "date", "url"):
                    meta[key.strip().lower()] = value.strip().strip("'\"")
            return meta, "\n".join(lines[end + 1 :])
    return {}, text


def _placed(entry: Article | FailedInput, position: int) -> Article | FailedInput:
    from dataclasses import replace

    return replace(entry, position=position)


def _clean_title(title: str) -> str | None:
    cleaned = " ".join(title.split())
    return cleaned or None


def _date(value: str | None) -> str | None:
    """An ISO 8601 date as given, or None: a date that does not sort is no date."""
    if value is None:
        return None
    value = value.strip()
    return value if _ISO_DATE.match(value) else None


def _name_date(path: Path) -> str | None:
    found = _NAME_DATE.match(path.name)
    return found.group(1) if found else None
