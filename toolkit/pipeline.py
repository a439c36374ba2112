"""One article, or many, through the whole flow: detect, summarise, translate title and summary.

``process`` is one text; ``process_many`` is the batched form the digest uses. Both go
through the same two steps (``_summarise`` then ``_translate``), so a digest article and
a ``process`` call give the same result for the same text. The difference is what
happens to failures: ``process`` raises them; ``process_many`` keeps them per article
and turns a missing translation package into a ``Notice`` rather than an error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .detect import Detection
from .engine import Engine
from .errors import EmptyInput, ModelNotInstalled, TriglotError
from .glossary import Glossary, TermReport
from .languages import normalize_language
from .settings import Settings
from .summarize import Summary
from .translate import resolve_glossary

DEFAULT_TARGETS: tuple[str, ...] = ("en", "zh", "ru")
INSTALL_ALL = "triglot models install --all"

# Title and summary travel to the engine as one text, title first, a blank line between:
# the segmenter never joins a line across a blank line and the translator keeps line
# breaks, so the translation splits back at the first blank line.
_SEPARATOR = "\n\n"
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TranslatedSummary:
    """An article's title and summary in one target language, with the glossary's report."""

    target: str
    title: str | None
    summary: str
    terms: tuple[TermReport, ...]
    signature: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "terms": [term.to_dict() for term in self.terms],
            "signature": self.signature,
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
            "detection": {
                "language": self.detection.language,
                "confidence": self.detection.confidence,
                "supported": self.detection.supported,
            },
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


@dataclass(frozen=True)
class ArticleText:
    """What ``process_many`` takes for one article: its text and, when known, its title."""

    text: str
    title: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Batch:
    """``process_many``'s answer: per article a result or the error that stopped it, and notices."""

    results: tuple[Processed | TriglotError, ...]
    notices: tuple[Notice, ...]


@dataclass
class _Summarised:
    detection: Detection
    summary: Summary
    title: str | None
    translations: dict[str, TranslatedSummary] = field(default_factory=dict)

    def done(self) -> Processed:
        return Processed(self.detection, self.summary, self.title, dict(self.translations))


def process(
    text: str,
    *,
    targets: Sequence[str] = DEFAULT_TARGETS,
    language: str | None = None,
    sentences: int | None = None,
    ratio: float | None = None,
    algorithm: str | None = None,
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> Processed:
    """Detect, summarise, and translate the title and summary of ``text`` into each target.

    A first line that reads as a headline is the title. Raises like ``translate``:
    ``ModelNotInstalled`` (naming the install command) when a package is missing.
    """
    settings = settings or Settings.from_env()
    chosen = normalize_targets(targets)
    options = _SummaryOptions(sentences, ratio, algorithm, settings)
    item = _summarise(ArticleText(text, language=language), options)
    _translate([item], chosen, resolve_glossary(glossary, settings), settings, engine, strict=True)
    return item.done()


def process_many(
    articles: Sequence[ArticleText],
    *,
    targets: Sequence[str] = DEFAULT_TARGETS,
    sentences: int | None = None,
    ratio: float | None = None,
    algorithm: str | None = None,
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> Batch:
    """``process`` for many articles with whole batches: one translation call per target and source
    language carries every title and summary. An article that fails is kept as its error; a missing
    package becomes a ``Notice`` and that translation is left out. Bad options and a bad glossary
    still raise: they would fail every article alike. ``progress`` gets (done, total) steps:
    one per article summarised, then one per target language translated.
    """
    settings = settings or Settings.from_env()
    chosen = normalize_targets(targets)
    options = _SummaryOptions(sentences, ratio, algorithm, settings)
    terms = resolve_glossary(glossary, settings)
    outcomes: list[_Summarised | TriglotError] = []
    # Progress counts steps: one per article summarised, then one per target language translated.
    total = len(articles) + len(chosen)
    step = 0

    def advance() -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total)

    for article in articles:
        try:
            outcomes.append(_summarise(article, options))
        except TriglotError as error:
            if _fails_every_article(error):
                raise
            outcomes.append(error)
        advance()
    items = [o for o in outcomes if isinstance(o, _Summarised)]
    notices, failures = _translate(items, chosen, terms, settings, engine, strict=False, on_target=advance)
    results: list[Processed | TriglotError] = []
    for outcome in outcomes:
        if isinstance(outcome, _Summarised):
            failure = failures.get(id(outcome))
            results.append(failure if failure is not None else outcome.done())
        else:
            results.append(outcome)
    return Batch(tuple(results), tuple(notices))


@dataclass(frozen=True)
class _SummaryOptions:
    sentences: int | None
    ratio: float | None
    algorithm: str | None
    settings: Settings


def _summarise(article: ArticleText, options: _SummaryOptions) -> _Summarised:
    from .detect import detect_supported
    from .summarize import summarize

    if not article.text.strip():
        raise EmptyInput("the article has no text")
    if article.language is not None and article.language.strip().lower() != "auto":
        language = normalize_language(article.language)
        detection = Detection(language, 1.0, True)  # given, not guessed
    else:
        detection = detect_supported(article.text, doing="summarise")
    summary = summarize(
        article.text,
        language=detection.language,
        sentences=options.sentences,
        ratio=options.ratio,
        algorithm=options.algorithm,
        settings=options.settings,
    )
    title = article.title if article.title is not None else summary.title
    return _Summarised(detection, summary, _one_line(title) if title else None)


def _translate(
    items: Sequence[_Summarised],
    targets: Sequence[str],
    glossary: Glossary | None,
    settings: Settings,
    engine: Engine | None,
    *,
    strict: bool,
    on_target: Callable[[], None] | None = None,
) -> tuple[list[Notice], dict[int, TriglotError]]:
    """Fill each item's translations. One call per (target, source language): the engine's batches
    are the same as one call per target, since ``translate`` batches per package and route stage.

    Returns notices for missing packages and the errors of items that failed, by ``id(item)``;
    with ``strict`` both raise instead.
    """
    from .translate import translate_detailed

    notices: list[Notice] = []
    failures: dict[int, TriglotError] = {}
    for target in targets:
        groups: dict[str, list[_Summarised]] = {}
        for item in items:
            if item.summary.language != target and id(item) not in failures:
                groups.setdefault(item.summary.language, []).append(item)
        for source, members in groups.items():
            texts = [_joined(item) for item in members]
            translate = functools.partial(
                translate_detailed, target=target, source=source, glossary=glossary or False, settings=settings,
                engine=engine,
            )
            try:
                results = translate(texts)
            except ModelNotInstalled as error:
                if strict:
                    raise
                notices.append(_missing_notice(error, source, target, len(members)))
                continue
            except TriglotError:
                if strict:
                    raise
                # Something in the batch broke it; translate one by one to find whose it is.
                results = []
                for item, text in zip(members, texts):
                    try:
                        results.extend(translate([text]))
                    except TriglotError as error:
                        failures[id(item)] = error
                members = [item for item in members if id(item) not in failures]
            for item, result in zip(members, results):
                title, summary = _split(item, result.text)
                item.translations[target] = TranslatedSummary(target, title, summary, result.terms, result.signature)
        if on_target is not None:
            on_target()
    return notices, failures


def _missing_notice(error: ModelNotInstalled, source: str, target: str, count: int) -> Notice:
    articles = "article" if count == 1 else "articles"
    return Notice(
        code="models-missing",
        message=f"{count} {source} {articles} not translated to {target}: {error}",
        source=source,
        target=target,
        articles=count,
    )


def _joined(item: _Summarised) -> str:
    joiner = "" if item.summary.language == "zh" else " "
    summary = joiner.join(_one_line(s.text) for s in item.summary.sentences)
    return summary if item.title is None else item.title + _SEPARATOR + summary


def _split(item: _Summarised, translated: str) -> tuple[str | None, str]:
    if item.title is None:
        return None, translated.strip()
    title, _, summary = translated.partition(_SEPARATOR)
    return title.strip(), summary.strip()


def _one_line(text: str) -> str:
    # A sentence or title broken over lines reads as one line; Chinese joins without a space.
    return _LINE_BREAKS.sub(lambda m: "" if _cjk_around(text, m.start(), m.end()) else " ", text.strip())


def _cjk_around(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return _is_cjk(before) and _is_cjk(after)


def _is_cjk(char: str) -> bool:
    return bool(char) and ("\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef")


def normalize_targets(targets: Sequence[str]) -> tuple[str, ...]:
    """Target codes normalised, duplicates dropped, in the order given; "en,zh" is accepted too."""
    from .errors import InvalidOption

    if isinstance(targets, str):
        targets = [t for t in targets.split(",") if t.strip()]
    chosen = tuple(dict.fromkeys(normalize_language(t) for t in targets))
    if not chosen:
        raise InvalidOption("give at least one target language: en, zh or ru")
    return chosen


def _fails_every_article(error: TriglotError) -> bool:
    from .errors import ConfigurationError, InvalidGlossary, InvalidOption

    return isinstance(error, (InvalidOption, InvalidGlossary, ConfigurationError))
