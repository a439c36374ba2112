"""``corpus``: a whole corpus through the pipeline into JSONL shards, resumable, in any engine.

The driver reads the records lazily, skips the ids already written (``resume``) or seen
earlier in the run, cuts the rest into batches, lets the engine run them, and writes
what comes back as whole shards. Killed at any point and run again with ``resume``,
the job ends with every article in the shards exactly once.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import EmptyInput, InvalidOption
from ..pipeline import DEFAULT_TARGETS, count_articles
from ..settings import Settings
from .engines import CorpusEngine, LocalEngine
from .job import CorpusJob
from .records import Record, read_records
from .shards import DEFAULT_SHARD_SIZE, CorpusOutput, Manifest
from .worker import StageTimes, WorkerBatch

DEFAULT_BATCH_SIZE = 32

CorpusProgress = Callable[[int, int | None], None]


def corpus(
    inputs: Sequence[str | Path],
    *,
    out: str | Path,
    targets: Sequence[str] = DEFAULT_TARGETS,
    sentences: int | None = None,
    glossary: bool | Sequence[str | Path] = True,
    workers: int = 1,
    resume: bool = False,
    engine: CorpusEngine | None = None,
    progress: CorpusProgress | None = None,
    settings: Settings | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    shard_size: int = DEFAULT_SHARD_SIZE,
) -> Manifest:
    """Summarise and translate every article of ``inputs`` into JSONL shards in ``out``; returns the manifest.

    Each line is the digest JSON's article with its ``id``, or ``{"id", "source", "error"}``
    for an article that failed (one bad article never fails the job). ``glossary``: True
    for the settings' glossary, False for none, or files merged over it. ``engine`` runs the
    batches (default: ``LocalEngine(workers)``, this process or a pool). ``resume`` carries
    on a job in ``out``, skipping what its shards hold; without it a folder with shards is
    refused. ``progress`` gets (articles done, articles to do): the second an estimate, less what
    ``resume`` skips as it goes.
    """
    if workers < 1:
        raise InvalidOption(f"--workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise InvalidOption(f"the batch size must be at least 1, not {batch_size}")
    if not inputs:
        raise EmptyInput("no inputs: give files or folders of articles")
    settings = settings or Settings.from_env()
    job = CorpusJob.make(targets, settings, sentences=sentences, glossary=glossary)
    records = read_records(inputs, limit=settings.max_input_bytes)
    first = next(records, None)  # a missing input or an empty folder fails here, before OUTDIR is touched
    output = CorpusOutput(
        out, inputs=inputs, job=job.describe(), fingerprint=job.fingerprint(), resume=resume, shard_size=shard_size
    )
    times = StageTimes()
    total = count_articles(inputs) if progress is not None else None
    done = skipped = 0

    def tell() -> None:
        if progress is not None:
            progress(done, None if total is None else max(done, total - skipped))

    def batches() -> Iterator[list[Record]]:
        nonlocal skipped
        seen: set[str] = set()
        batch: list[Record] = []
        started = time.perf_counter()
        for record in itertools.chain(() if first is None else (first,), records):
            times.read += time.perf_counter() - started
            record_id = str(record["id"])
            if output.written(record_id):
                output.skipped()
                skipped += 1  # not work of this run: out of the count, so that the rate and the ETA hold
            elif record_id in seen:
                output.duplicate()
            else:
                seen.add(record_id)
                batch.append(record)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
            started = time.perf_counter()
        if batch:
            yield batch

    def emit(finished: WorkerBatch) -> None:
        nonlocal done
        times.add(finished.times)
        output.add(finished.lines)
        output.times(times)
        done += len(finished.lines)
        tell()

    tell()
    try:
        (engine or LocalEngine(workers)).run(job, batches(), emit)
    except BaseException:
        output.abandon(times)  # what is done is kept, for --resume; Ctrl-C and a lost worker alike
        raise
    return output.close(times)

