"""What the pipeline gives back: an article processed, its summary in each target with every
translated sentence pointing to its source, and the notices of a batch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from glossary import TermReport

from ..detection import Detection
from ..errors import TriglotError
from ..signature import Signature
from ..summarization import Summary
from ..text import SUPPORTED, joiner

INSTALL_ALL = "triglot models install --all"


@dataclass(frozen=True)
class AlignedSentence:
    """A summary sentence in a target language, and where the sentence it translates stands in the
    article: ``article[start:end]`` is the source sentence."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class TranslatedSummary:
    """An article's title and summary in one target language, sentence by sentence, with the glossary's report."""

    target: str
    title: str | None
    sentences: tuple[AlignedSentence, ...]
    terms: tuple[TermReport, ...]
    signature: Signature  # the summary's and the translation's together

    @property
    def summary(self) -> str:
        """The translated sentences as one paragraph, written as the target writes sentences one after another."""
        return joiner(self.target).join(s.text for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "terms": [term.to_dict() for term in self.terms],
            "signature": str(self.signature),
        }


@dataclass(frozen=True)
class Processed:
    """One article done: its language, its summary, and its title and summary in each other target.

    ``translations`` has a key for every requested target except the article's own
    language (its summary already is that language). In ``process_many`` a target can
    also be missing because its package is not installed; a ``Notice`` says so.
    """

    detection: Detection
    summary: Summary
    title: str | None
    translations: Mapping[str, TranslatedSummary]

    @property
    def language(self) -> str:
        return self.summary.language

    @property
    def terms(self) -> tuple[TermReport, ...]:
        """Every glossary report over all targets, in target order."""
        return tuple(term for translation in self.translations.values() for term in translation.terms)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``POST /process``: detection, summary (as ``Summary.to_dict``), translations."""
        return {
            "detection": self.detection.to_dict(),
            "title": self.title,
            "summary": self.summary.to_dict(),
            "translations": {target: t.to_dict() for target, t in self.translations.items()},
        }


@dataclass(frozen=True)
class Notice:
    """Something the reader of a batch must know that is not one article's failure."""

    code: str  # "models-missing"
    message: str  # says what was left out and the command that fixes it
    source: str
    target: str
    articles: int  # how many articles lost this translation

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "source": self.source,
            "target": self.target,
            "articles": self.articles,
        }


def missing_translations_line(targets: Iterable[str]) -> str:
    """One line for every missing-package notice of a batch: the languages affected and the command.

    A newcomer without packages would otherwise read one notice per pair (six for a
    three-language digest) when one command fixes them all; the pairs stay in the
    notices themselves, for ``--verbose`` and the JSON."""
    missing = set(targets)
    languages = [language for language in SUPPORTED if language in missing] + sorted(missing - set(SUPPORTED))
    return (
        f"some translations into {', '.join(languages)} are missing (their packages are not installed): "
        f"run '{INSTALL_ALL}'"
    )


@dataclass(frozen=True)
class Batch:
    """``process_many``'s answer: per article a result or the error that stopped it, and notices."""

    results: tuple[Processed | TriglotError, ...]
    notices: tuple[Notice, ...]
