"""Making a digest: many articles in any of en/zh/ru, each summarised in its own language and
translated into every other requested one, with the same glossary throughout.

``digest`` reads the inputs (``pipeline.read_articles``), runs them through the batched
pipeline (``pipeline.process_many``) and keeps everything a renderer needs, including the
articles that failed and the notices about missing packages: one bad article or a
missing package never sinks the digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from glossary import Glossary, resolve

from ..errors import InvalidOption
from ..pipeline import (
    DEFAULT_TARGETS,
    Article,
    FailedInput,
    Processed,
    Progress,
    failed_outcome,
    outcome_of,
    process_many,
    read_articles,
)
from ..settings import Settings
from ..signature import GLOSSARY_OFF, Signature
from ..summarization import SummaryOptions
from ..text import normalize_targets
from ..translation import Engine, engine_for
from .model import Digest, DigestArticle
from .render import render_article

SORTS = ("input", "date")


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
    options = SummaryOptions(sentences=sentences)
    settings = settings or Settings.from_env()
    terms = resolve(glossary, settings)
    engine = engine or engine_for(settings)
    entries = read_articles(inputs, limit=settings.max_input_bytes)
    readable = [e for e in entries if isinstance(e, Article)]
    batch = process_many(
        readable,
        targets=chosen,
        summary=options,
        glossary=terms if terms is not None else False,
        settings=settings,
        engine=engine,
        progress=progress,
    )
    outcomes = dict(zip((id(a) for a in readable), batch.results))
    articles = [
        failed_outcome(entry) if isinstance(entry, FailedInput) else outcome_of(entry, outcomes[id(entry)])
        for entry in entries
    ]
    if sort == "date":
        articles = _by_date(articles)
    return Digest(
        generated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        targets=chosen,
        articles=tuple(articles),
        notices=batch.notices,
        signature=Signature(
            engine=engine.name(),
            decoding=engine.options.describe(),
            glossary=terms.fingerprint if terms is not None else GLOSSARY_OFF,
        ),
    )


def newsletter_block(
    processed: Processed, targets: Sequence[str], *, source: str = "", url: str | None = None
) -> str:
    """One processed text as the email digest shows an article (its languages in ``targets`` order),
    in a block of the digest's width to paste into a newsletter; ``source`` names where it came from."""
    article = outcome_of(Article(text="", source=source, url=url), processed)
    return render_article(article.to_dict(), targets)


def _by_date(articles: list[DigestArticle]) -> list[DigestArticle]:
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date or "", -a.position), reverse=True)
    return dated + [a for a in articles if not a.date]
