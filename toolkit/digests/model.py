"""The digest as data: its articles in order (the failed ones too), the languages asked for, the
notices a reader must see, and the signature of what made it. Rendering lives in ``render``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..pipeline import ArticleOutcome, Notice
from ..signature import Signature
from .render import render

# The digest's articles are the pipeline's outcomes: a corpus job writes the same ones, one per line.
DigestArticle = ArticleOutcome


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
