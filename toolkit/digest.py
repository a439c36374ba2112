"""A newsletter digest: many articles in any of en/zh/ru, each summarised in its own language and
translated into every other requested one, with the same glossary throughout.

``digest`` reads the inputs (``articles``), runs them through the batched pipeline
(``pipeline.process_many``) and keeps everything a renderer needs, including the
articles that failed and the notices about missing packages: one bad article or a
missing package never sinks the digest. Rendering lives in ``digest_render``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .articles import Article, FailedInput, read_articles
from .engine import Engine
from .errors import InvalidOption, TriglotError
from .glossary import Glossary
from .pipeline import (
    DEFAULT_TARGETS,
    ArticleText,
    Notice,
    Processed,
    Progress,
    TranslatedSummary,
    normalize_targets,
    process_many,
)
from .settings import Settings

SORTS = ("input", "date")
FORMATS = ("html", "md", "json")


@dataclass(frozen=True)
class DigestArticle:
    """One article of the digest, or the failure that kept it out (``error`` set, no summary)."""

    title: str | None
    source: str
    position: int  # in the inputs' order
    language: str | None = None
    summary: str | None = None
    translations: Mapping[str, TranslatedSummary] | None = None
    url: str | None = None
    date: str | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    def to_dict(self) -> dict[str, Any]:
        """The article as the digest's JSON schema (``toolkit/data/digest.schema.json``) has it."""
        translations = self.translations or {}
        data: dict[str, Any] = {
            "title": self.title,
            "source": self.source,
            "language": self.language,
            "summary": self.summary,
            "translations": {
                target: {"title": t.title, "summary": t.summary} for target, t in translations.items()
            },
            "terms": [
                {"target": target, **term.to_dict()} for target, t in translations.items() for term in t.terms
            ],
            "url": self.url,
            "date": self.date,
        }
        if self.error is not None:
            data["error"] = self.error
        return data


@dataclass(frozen=True)
class Digest:
    """The articles in digest order, the languages asked for, and what the reader must know."""

    generated: str  # ISO 8601, UTC
    targets: tuple[str, ...]
    articles: tuple[DigestArticle, ...]
    notices: tuple[Notice, ...] = ()

    @property
    def failed(self) -> tuple[DigestArticle, ...]:
        return tuple(a for a in self.articles if a.failed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "generated": self.generated,
            "targets": list(self.targets),
            "articles": [article.to_dict() for article in self.articles],
            "notices": [notice.to_dict() for notice in self.notices],
        }

    def render(self, format: str, template: str | Path | None = None) -> str:
        """The digest as ``html`` (an email-fit page), ``md`` or ``json``; ``template`` is a
        Jinja2 file used instead of the shipped one (html and md only)."""
        from .digest_render import render

        return render(self, format, template)


def digest(
    inputs: Sequence[str | Path],
    *,
    targets: Sequence[str] = DEFAULT_TARGETS,
    sentences: int | None = None,
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    sort: str = "input",
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> Digest:
    """Digest the articles in ``inputs`` (files and folders of .txt, .md, .html, .htm, .jsonl).

    Articles that cannot be read or summarised come back with ``error`` set; a missing
    translation package leaves that translation out and adds a ``Notice`` naming the
    install command. ``sort="date"`` puts dated articles newest first, the undated after
    them in input order. ``progress`` is called with (done, total).
    Raises for a run that cannot start: an input path that does not exist, a folder with
    no articles, a bad option or glossary.
    """
    if sort not in SORTS:
        raise InvalidOption(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    chosen = normalize_targets(targets)
    settings = settings or Settings.from_env()
    entries = read_articles(inputs)
    readable = [e for e in entries if isinstance(e, Article)]
    batch = process_many(
        [ArticleText(a.text, a.title) for a in readable],
        targets=chosen,
        sentences=sentences,
        glossary=glossary,
        settings=settings,
        engine=engine,
        progress=progress,
    )
    outcomes = dict(zip((id(a) for a in readable), batch.results))
    articles = [
        _failed(entry) if isinstance(entry, FailedInput) else _article(entry, outcomes[id(entry)])
        for entry in entries
    ]
    if sort == "date":
        articles = _by_date(articles)
    return Digest(
        generated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        targets=chosen,
        articles=tuple(articles),
        notices=batch.notices,
    )


def _article(article: Article, outcome: Processed | TriglotError) -> DigestArticle:
    if isinstance(outcome, TriglotError):
        return DigestArticle(
            title=article.title,
            source=article.source,
            position=article.position,
            url=article.url,
            date=article.date,
            error=f"{article.source}: {outcome}",
        )
    return DigestArticle(
        title=outcome.title,
        source=article.source,
        position=article.position,
        language=outcome.language,
        summary=outcome.summary.text,
        translations=outcome.translations,
        url=article.url,
        date=article.date,
    )


def _failed(entry: FailedInput) -> DigestArticle:
    message = str(entry.error)
    # Errors from reading already name the file; others get it in front.
    error = message if message.startswith(entry.source) else f"{entry.source}: {message}"
    return DigestArticle(title=None, source=entry.source, position=entry.position, error=error)


def _by_date(articles: list[DigestArticle]) -> list[DigestArticle]:
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date or "", -a.position), reverse=True)
    return dated + [a for a in articles if not a.date]
