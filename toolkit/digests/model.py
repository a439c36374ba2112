"""The digest as data: its articles in order (the failed ones too), the languages asked for, the
notices a reader must see, and the signature of what made it. Rendering lives in ``render``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..pipeline import AlignedSentence, Notice, Processed, TranslatedSummary
from ..signature import Signature
from .render import render, render_article


@dataclass(frozen=True)
class DigestArticle:
    """One article of the digest, or the failure that kept it out (``error`` set, no summary)."""

    title: str | None
    source: str
    position: int  # in the inputs' order
    language: str | None = None
    summary: str | None = None
    sentences: tuple[AlignedSentence, ...] = ()  # the summary's sentences, with their offsets in the article
    translations: Mapping[str, TranslatedSummary] | None = None
    url: str | None = None
    date: str | None = None
    signature: Signature | None = None  # the summary's
    error: str | None = None

    @classmethod
    def from_processed(
        cls,
        processed: Processed,
        *,
        source: str,
        position: int = 0,
        url: str | None = None,
        date: str | None = None,
    ) -> DigestArticle:
        """The digest's article for one processed text; ``source`` names where it came from ('' for none)."""
        return cls(
            title=processed.title,
            source=source,
            position=position,
            language=processed.language,
            summary=processed.summary.text,
            sentences=tuple(AlignedSentence(s.text, s.start, s.end) for s in processed.summary.sentences),
            translations=processed.translations,
            url=url,
            date=date,
            signature=processed.summary.signature,
        )

    @property
    def failed(self) -> bool:
        return self.error is not None

    def render_html(self, targets: Sequence[str]) -> str:
        """This article alone as the email digest shows it (its languages in ``targets`` order), in a
        block of the digest's width to paste into a newsletter."""
        return render_article(self.to_dict(), targets)

    def to_dict(self) -> dict[str, Any]:
        """The article as the digest's JSON schema (``digest.schema.json``) has it."""
        translations = self.translations or {}
        data: dict[str, Any] = {
            "title": self.title,
            "source": self.source,
            "language": self.language,
            "summary": self.summary,
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "translations": {
                target: {
                    "title": t.title,
                    "summary": t.summary,
                    "sentences": [sentence.to_dict() for sentence in t.sentences],
                    "signature": str(t.signature),
                }
                for target, t in translations.items()
            },
            "terms": [
                {"target": target, **term.to_dict()} for target, t in translations.items() for term in t.terms
            ],
            "url": self.url,
            "date": self.date,
            "signature": str(self.signature) if self.signature is not None else None,
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
    signature: Signature = Signature()  # what every article shares: triglot, the engine, the glossary

    @property
    def failed(self) -> tuple[DigestArticle, ...]:
        return tuple(a for a in self.articles if a.failed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "generated": self.generated,
            "targets": list(self.targets),
            "signature": str(self.signature),
            "articles": [article.to_dict() for article in self.articles],
            "notices": [notice.to_dict() for notice in self.notices],
        }

    def render(self, format: str, template: str | Path | None = None) -> str:
        """The digest as ``html`` (an email-fit page), ``md`` or ``json``; ``template`` is a
        Jinja2 file used instead of the shipped one (html and md only)."""
        return render(self.to_dict(), format, template)
