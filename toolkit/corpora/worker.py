"""The per-batch function every engine calls: a batch of input records in, one output line per record out.

``ArticleWorker`` is built once per process (a local pool's worker, a Ray actor): it
loads the engine and the glossary then, and every batch after that goes through
``process_many`` as one, so the batch's sentences are translated together. A line is
the digest's article (``ArticleOutcome.to_dict``) with the record's ``id`` in front, or
``{"id", "source", "error"}`` for an article that failed: one bad article never fails
the batch.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import TriglotError
from ..pipeline import Article, outcome_of, process_many
from ..detection import detect
from ..translation import engine_for, list_models
from .job import CorpusJob
from .records import Record, article_of, failure_line

WARM_UP_TEXT = "Warm-up."


@dataclass
class StageTimes:
    """Seconds spent per stage; a pool's figures are summed over its workers, so they can exceed the wall time."""

    read: float = 0.0
    summarise: float = 0.0
    translate: float = 0.0
    write: float = 0.0

    def add(self, other: StageTimes) -> None:
        self.read += other.read
        self.summarise += other.summarise
        self.translate += other.translate
        self.write += other.write


@dataclass
class WorkerBatch:
    """One batch done: a line per record, in the records' order, and the time its stages took."""

    lines: list[Record]
    times: StageTimes = field(default_factory=StageTimes)


class ArticleWorker:
    """Processes batches of records for one job; the engine and the glossary are loaded once, here."""

    def __init__(self, job: CorpusJob) -> None:
        self.job = job
        self.engine = engine_for(job.settings)
        self.glossary = job.load_glossary()
        self.loaded = self._warm_up()

    def _warm_up(self) -> list[str]:
        """Load the packages the job can use (into a target, or into English on the way to one) and the
        detector now, so that no batch pays for them; straight through the engine, so no cache is touched."""
        wanted = {*self.job.targets, "en"}
        loaded = []
        for model in list_models(self.job.settings):
            if model.target in wanted:
                self.engine.translate(model, [WARM_UP_TEXT])
                loaded.append(f"{model.source}>{model.target}")
        detect(WARM_UP_TEXT)
        return loaded

    def __call__(self, records: list[Record]) -> list[Record]:
        """One output line per record, in order, each with the record's ``id``."""
        return self.run(records).lines

    def run(self, records: Sequence[Record]) -> WorkerBatch:
        """``__call__`` with the time spent summarising and translating the batch."""
        lines: list[Record | None] = [None] * len(records)
        articles: list[tuple[int, Article]] = []
        for index, record in enumerate(records):
            record_id = str(record.get("id", ""))
            source = str(record.get("source") or record_id)
            if "error" in record:  # an input that gave no article: its reading error is its line
                lines[index] = failure_line(record_id, source, str(record["error"]))
                continue
            try:
                articles.append((index, article_of(record, index)))
            except TriglotError as error:
                lines[index] = failure_line(record_id, source, str(error))
        times = StageTimes()
        if articles:
            started = time.perf_counter()
            summarised = started
            total = len(articles)

            def mark(done: int, _: int) -> None:
                nonlocal summarised
                if done == total:  # every article summarised; the target languages come next
                    summarised = time.perf_counter()

            batch = process_many(
                [article for _, article in articles],
                targets=self.job.targets,
                summary=self.job.summary,
                glossary=self.glossary if self.glossary is not None else False,
                settings=self.job.settings,
                engine=self.engine,
                progress=mark,
            )
            finished = time.perf_counter()
            times.summarise = summarised - started
            times.translate = finished - summarised
            for (index, article), result in zip(articles, batch.results):
                outcome = outcome_of(article, result)
                record_id = str(records[index]["id"])
                if outcome.error is not None:
                    lines[index] = failure_line(record_id, outcome.source, outcome.error)
                else:
                    lines[index] = {"id": record_id, **outcome.to_dict()}
        return WorkerBatch([line for line in lines if line is not None], times)
