"""The corpus job: thousands or millions of articles, each summarised and translated, into JSONL shards.

``corpus`` (``run``) is the driver: it reads the inputs one record at a time (``records``:
stable ids, a .jsonl streamed line by line), skips what is already written, and writes
whole shards and a manifest (``shards``). The per-batch function every engine calls is
``ArticleWorker`` (``worker``), built from a picklable ``CorpusJob`` (``job``);
``LocalEngine`` (``engines``) runs it in this process or a pool of processes, and
``RayEngine`` (``ray_engine``) on a Ray cluster, as Ray Data over a pool of actors; it
imports Ray only when it runs.
"""

from .engines import CorpusEngine, LocalEngine
from .job import CorpusJob
from .ray_engine import RayEngine
from .records import Record, read_records
from .run import DEFAULT_BATCH_SIZE, CorpusProgress, corpus
from .shards import DEFAULT_SHARD_SIZE, MANIFEST, CorpusOutput, Counts, Manifest, done_ids, read_lines, shard_paths
from .worker import ArticleWorker, StageTimes, WorkerBatch

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_SHARD_SIZE",
    "MANIFEST",
    "ArticleWorker",
    "CorpusEngine",
    "CorpusJob",
    "CorpusOutput",
    "CorpusProgress",
    "Counts",
    "LocalEngine",
    "Manifest",
    "RayEngine",
    "Record",
    "StageTimes",
    "WorkerBatch",
    "corpus",
    "done_ids",
    "read_lines",
    "read_records",
    "shard_paths",
]
