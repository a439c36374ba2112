"""Engines run a job's batches through ``ArticleWorker``s and hand each finished batch back.

The driver (``corpus``) reads the records, batches them, and writes what comes back;
an engine only decides where the workers run. ``LocalEngine`` is the embedded default:
this process (one worker), or a pool of processes (``workers`` > 1), each building its
own ``ArticleWorker`` once. At most two batches per worker are in flight, so a huge
input streams through in flat memory; results are handed back as they complete, in any
order (the shards do not depend on it).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from ..errors import WorkerLost
from ..settings import worker_share_of_cores
from .job import CorpusJob
from .records import Record
from .worker import ArticleWorker, WorkerBatch

Batches = Iterable[list[Record]]
Emit = Callable[[WorkerBatch], None]

# Batches per worker in flight: one running, one waiting, so a worker never idles on the driver.
IN_FLIGHT_PER_WORKER = 2
# How often a pool worker looks whether its driver is still there (seconds).
DRIVER_CHECK_S = 0.5


class CorpusEngine(Protocol):
    """Runs every batch of ``batches`` through an ``ArticleWorker`` built from ``job``; calls ``emit`` with each
    finished batch, in any order, from the calling thread."""

    def run(self, job: CorpusJob, batches: Batches, emit: Emit) -> None: ...


@dataclasses.dataclass(frozen=True)
class LocalEngine:
    """This process (``workers`` 1) or a pool of ``workers`` processes on this machine."""

    workers: int = 1

    def run(self, job: CorpusJob, batches: Batches, emit: Emit) -> None:
        if self.workers <= 1:
            worker = ArticleWorker(job)
            for batch in batches:
                emit(worker.run(batch))
            return
        # Each worker's share of the cores for CTranslate2.
        _run_pool(job.with_threads(worker_share_of_cores(self.workers)), self.workers, iter(batches), emit)


def _run_pool(job: CorpusJob, workers: int, batches: Iterator[list[Record]], emit: Emit) -> None:
    import multiprocessing

    # spawn: a fresh interpreter per worker, not a fork of a driver holding threads and open files.
    context = multiprocessing.get_context("spawn")
    limit = workers * IN_FLIGHT_PER_WORKER
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(job,))
    running: set[Future[WorkerBatch]] = set()
    try:
        exhausted = False
        while running or not exhausted:
            while not exhausted and len(running) < limit:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                else:
                    running.add(pool.submit(_process, batch))
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                emit(future.result())
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise WorkerLost(
            "a worker process of the corpus job stopped (killed, or out of memory); the shards written so far "
            "are kept: run the same command again with --resume"
        ) from None
    except BaseException:
        # Ctrl-C, a kill or an error: stop now; the workers end after the batch they are on.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


_worker: ArticleWorker | None = None


def _start(job: CorpusJob) -> None:
    """A pool process's initializer: its one ``ArticleWorker``."""
    global _worker
    # Ctrl-C reaches the whole process group: the driver stops the pool, so a worker need not hear it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with_driver, args=(os.getppid(),), name="triglot-corpus-driver", daemon=True).start()
    _worker = ArticleWorker(job)


def _end_with_driver(driver: int) -> None:
    """End this worker once its driver is gone. A driver killed with SIGKILL cannot stop its pool, and the
    pool's queues do not tell the workers (each holds their write ends too): they would wait for ever."""
    while True:
        time.sleep(DRIVER_CHECK_S)
        if os.getppid() != driver:  # adopted by another process: the driver has died
            os._exit(1)


def _process(batch: list[Record]) -> WorkerBatch:
    assert _worker is not None, "the pool's initializer builds the worker"
    return _worker.run(batch)
