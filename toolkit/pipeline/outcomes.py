"""What one article comes to, as the digest's JSON and a corpus job's lines both have it: its summary and
translations, or the failure that kept it out. Both build it here, so the two never drift apart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import TriglotError
from ..signature import Signature
from .articles import Article, FailedInput
from .results import AlignedSentence, Processed, TranslatedSummary


@dataclass(frozen=True)
class ArticleOutcome:
    """One article done, or the failure that kept it out (``error`` set, no summary)."""

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

    @property
    def failed(self) -> bool:
        return self.error is not None

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


def outcome_of(article: Article, result: Processed | TriglotError) -> ArticleOutcome:
    """An article and what ``process_many`` made of it."""
    if isinstance(result, TriglotError):
        return ArticleOutcome(
            title=article.title,
            source=article.source,
            position=article.position,
            url=article.url,
            date=article.date,
            error=f"{article.source}: {result}",
        )
    return ArticleOutcome(
        title=result.title,
        source=article.source,
        position=article.position,
        language=result.language,
        summary=result.summary.text,
        sentences=tuple(AlignedSentence(s.text, s.start, s.end) for s in result.summary.sentences),
        translations=result.translations,
        url=article.url,
        date=article.date,
        signature=result.summary.signature,
    )


def failed_outcome(entry: FailedInput) -> ArticleOutcome:
    """An input that gave no article."""
    message = str(entry.error)
    # Errors from reading already name the file; others get it in front.
    error = message if message.startswith(entry.source) else f"{entry.source}: {message}"
    return ArticleOutcome(title=None, source=entry.source, position=entry.position, error=error)
