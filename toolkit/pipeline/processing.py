"""One article, or many, through the whole flow: detect, summarise, translate title and summary.

``process`` is one text; ``process_many`` is the batched form the digest uses. Both go
through the same two steps (``_summarise`` then ``_translate``), so a digest article and
a ``process`` call give the same result for the same text. The difference is what
happens to failures: ``process`` raises them; ``process_many`` keeps them per article
and turns a missing translation package into a ``Notice`` rather than an error.

Translation gets the summary's sentences one by one (and the title), never a joined
string, so every translated sentence keeps the offsets of the sentence it came from.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from glossary import Glossary, merge_reports, resolve

from ..detection import Detection, language_of
from ..errors import ConfigurationError, EmptyInput, InvalidGlossary, InvalidOption, ModelNotInstalled, TriglotError
from ..settings import Settings
from ..summarization import Summary, SummaryOptions, summarize_with
from ..text import normalize_targets, one_line
from ..translation import Engine, Translation, translate_detailed
from .articles import Article
from .results import AlignedSentence, Batch, Notice, Processed, TranslatedSummary

DEFAULT_TARGETS: tuple[str, ...] = ("en", "zh", "ru")

Progress = Callable[[int, int], None]


@dataclass
class _Summarised:
    detection: Detection
    summary: Summary
    title: str | None
    translations: dict[str, TranslatedSummary] = field(default_factory=dict)

    @functools.cached_property
    def texts(self) -> list[str]:
        """What goes to translation: the title, if any, then each summary sentence on one line."""
        sentences = [one_line(s.text) for s in self.summary.sentences]
        return sentences if self.title is None else [self.title, *sentences]

    def take(self, target: str, results: Sequence[Translation]) -> None:
        """Keep the translations of ``texts``, each sentence aligned with the one it came from."""
        title = results[0].text.strip() if self.title is not None else None
        translated = results[1:] if self.title is not None else results
        sentences = tuple(
            AlignedSentence(result.text.strip(), source.start, source.end)
            for result, source in zip(translated, self.summary.sentences)
        )
        signature = self.summary.signature.merged(results[0].signature)
        terms = merge_reports(result.terms for result in results)
        self.translations[target] = TranslatedSummary(target, title, sentences, terms, signature)

    def done(self) -> Processed:
        return Processed(self.detection, self.summary, self.title, dict(self.translations))


def process(
    text: str,
    *,
    targets: Sequence[str] = DEFAULT_TARGETS,
    summary: SummaryOptions | None = None,
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> Processed:
    """Detect, summarise (as ``summary`` says), and translate the title and summary of ``text`` into each target.

    A first line that reads as a headline is the title. Raises like ``translate``:
    ``ModelNotInstalled`` (naming the install command) when a package is missing.
    """
    settings = settings or Settings.from_env()
    chosen = normalize_targets(targets)
    item = _summarise(Article(text), summary or SummaryOptions(), settings)
    _translate([item], chosen, resolve(glossary, settings), settings, engine, strict=True)
    return item.done()


def process_many(
    articles: Sequence[Article],
    *,
    targets: Sequence[str] = DEFAULT_TARGETS,
    summary: SummaryOptions | None = None,
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> Batch:
    """``process`` for many articles with whole batches: one translation call per target and source
    language carries every title and summary sentence. An article that fails is kept as its error; a
    missing package becomes a ``Notice`` and that translation is left out. Bad options and a bad
    glossary still raise: they would fail every article alike. ``progress`` gets (done, total) steps:
    one per article summarised, then one per target language translated.
    """
    settings = settings or Settings.from_env()
    chosen = normalize_targets(targets)
    options = summary or SummaryOptions()
    terms = resolve(glossary, settings)
    outcomes: list[_Summarised | TriglotError] = []
    total = len(articles) + len(chosen)
    step = 0

    def advance() -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total)

    for article in articles:
        try:
            outcomes.append(_summarise(article, options, settings))
        except TriglotError as error:
            if isinstance(error, (InvalidOption, InvalidGlossary, ConfigurationError)):
                raise  # it would fail every article alike
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


def _summarise(article: Article, options: SummaryOptions, settings: Settings) -> _Summarised:
    if not article.text.strip():
        raise EmptyInput("the article has no text")
    detection = language_of(
        article.text, article.language or options.language, doing="summarise", margin=settings.detect_margin
    )
    summary = summarize_with(article.text, dataclasses.replace(options, language=detection.language), settings)
    title = article.title if article.title is not None else summary.title
    return _Summarised(detection, summary, one_line(title) if title else None)


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
    notices: list[Notice] = []
    failures: dict[int, TriglotError] = {}
    for target in targets:
        groups: dict[str, list[_Summarised]] = {}
        for item in items:
            if item.summary.language != target and id(item) not in failures:
                groups.setdefault(item.summary.language, []).append(item)
        for source, members in groups.items():
            translate = functools.partial(
                translate_detailed, target=target, source=source, settings=settings,
                glossary=glossary if glossary is not None else False,
                engine=engine,
            )
            try:
                results = translate([text for item in members for text in item.texts])
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
                for item in members:
                    try:
                        results.extend(translate(item.texts))
                    except TriglotError as error:
                        failures[id(item)] = error
                members = [item for item in members if id(item) not in failures]
            start = 0
            for item in members:
                count = len(item.texts)
                item.take(target, results[start : start + count])
                start += count
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
