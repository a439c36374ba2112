"""The service's Prometheus metrics: what is counted, and the text ``GET /metrics`` answers.

One ``Metrics`` per app, on a registry of its own rather than prometheus_client's
global one: the tests build many apps in one process, and a registry refuses a
second metric of the same name. Under several workers ``PROMETHEUS_MULTIPROC_DIR``
is set before any worker imports prometheus_client (``service.multiprocess``); each
process then writes its values to files there, and the exposition sums every
process's files (``MultiProcessCollector``), so whichever worker answers a scrape,
the figures are the whole service's.

Every label takes few values: a route's template (never the raw path, which a
client could vary without end), a method from a fixed set, a status, a language, a
package's direction. ``Metrics`` is also the ``BatchObserver`` the batcher reports to.

Imported only when metrics are on (``create_app``), so prometheus_client is imported
after ``triglot serve`` has set the environment, and not at all otherwise.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead  # untyped: calls marked below

from toolkit.pipeline import Processed
from toolkit.text import process_running
from toolkit.translation import Translation

from .multiprocess import MULTIPROCESS_VARIABLE

# Up to the default deadline (60 s): a request's time is bounded by it.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# Pieces per batch: up to a few times the engine's default batch (TRIGLOT_MAX_BATCH_SIZE, 32).
PIECE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
REQUEST_BUCKETS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64)
# A piece waits at most about a slot wait (30 s by default) before its request gives up.
WAIT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The metric objects of one app, and what records into them."""

    content_type = CONTENT_TYPE_LATEST  # of the exposition

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.multiprocess = bool(os.environ.get(MULTIPROCESS_VARIABLE))
        on = self.registry
        self.requests = Counter(
            "triglot_requests_total",
            "HTTP requests answered, by route template, method and status",
            ("route", "method", "status"),
            registry=on,
        )
        self.request_duration = Histogram(
            "triglot_request_duration_seconds",
            "Seconds from a request's arrival to the end of its answer, by route template",
            ("route",),
            buckets=LATENCY_BUCKETS,
            registry=on,
        )
        self.sentences = Counter(
            "triglot_sentences_translated_total",
            "Sentences translated for /translate and /process, by source and target language",
            ("source", "target"),
            registry=on,
        )
        self.cache_hits = Counter(
            "triglot_cache_hits_total", "Sentences of /translate found in the translation cache", registry=on
        )
        self.cache_misses = Counter(
            "triglot_cache_misses_total",
            "Sentences of /translate not in the translation cache (counted only while the cache is on)",
            registry=on,
        )
        # livesum: per package, how many live worker processes have it loaded (1 with one worker).
        self.packages_loaded = Gauge(
            "triglot_packages_loaded",
            "Worker processes that have loaded each package (direction such as en→zh)",
            ("direction",),
            multiprocess_mode="livesum",
            registry=on,
        )
        self.batch_size = Histogram(
            "triglot_batch_size",
            "Pieces per engine batch, by package",
            ("direction",),
            buckets=PIECE_BUCKETS,
            registry=on,
        )
        self.batch_requests = Histogram(
            "triglot_batch_requests",
            "Requests sharing one engine batch, by package",
            ("direction",),
            buckets=REQUEST_BUCKETS,
            registry=on,
        )
        self.queue_wait = Histogram(
            "triglot_queue_wait_seconds",
            "Seconds a request's first piece in a batch waited in the queue, by package",
            ("direction",),
            buckets=WAIT_BUCKETS,
            registry=on,
        )
        # livesum: what waits in every live worker's queue together.
        self.queue_pieces = Gauge(
            "triglot_queue_pieces",
            "Pieces waiting for each package",
            ("direction",),
            multiprocess_mode="livesum",
            registry=on,
        )

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.request_duration.labels(route).observe(seconds)

    def translated(self, results: Sequence[Translation], *, cache: bool) -> None:
        """What /translate answered; hits and misses only with the cache on (with it off, nothing missed)."""
        for result in results:
            if result.sentences:
                self.sentences.labels(result.source, result.target).inc(result.sentences)
            if cache:
                self.cache_hits.inc(result.cached_sentences)
                self.cache_misses.inc(result.sentences - result.cached_sentences)

    def processed(self, processed: Processed) -> None:
        """What /process translated: each target's title and summary sentences (the cache's part is not told)."""
        for target, summary in processed.translations.items():
            count = len(summary.sentences) + (summary.title is not None)
            if count:
                self.sentences.labels(processed.language, target).inc(count)

    def package_loaded(self, direction: str) -> None:
        self.packages_loaded.labels(direction).set(1)

    # BatchObserver (toolkit.translation), called from the batcher's thread.

    def batch_ran(self, direction: str, pieces: int, requests: int, waits: Sequence[float]) -> None:
        self.batch_size.labels(direction).observe(pieces)
        self.batch_requests.labels(direction).observe(requests)
        wait = self.queue_wait.labels(direction)
        for seconds in waits:
            wait.observe(seconds)

    def queued(self, direction: str, pieces: int) -> None:
        self.queue_pieces.labels(direction).set(pieces)

    def exposition(self) -> bytes:
        """The text format: this app's registry, or every worker's files summed (blocking file reads)."""
        if not self.multiprocess:
            return generate_latest(self.registry)
        directory = os.environ[MULTIPROCESS_VARIABLE]
        _forget_dead_processes(directory)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def close(self) -> None:
        """At a worker's shutdown: its live gauges stop counting (its counters stay in the sums)."""
        if self.multiprocess:
            mark_process_dead(os.getpid(), os.environ[MULTIPROCESS_VARIABLE])  # type: ignore[no-untyped-call]


def _forget_dead_processes(directory: str) -> None:
    """Drop the live gauges of worker processes that are gone.

    uvicorn restarts a worker that dies (killed, out of memory) but has no hook to tell
    anyone, so a dead worker cannot be marked when it dies; each scrape looks instead.
    A worker that shuts down cleanly marks itself (``close``)."""
    for path in glob.glob(os.path.join(directory, "gauge_live*_*.db")):
        pid = os.path.basename(path)[: -len(".db")].rpartition("_")[2]
        if pid.isdigit() and not process_running(int(pid)):
            mark_process_dead(int(pid), directory)  # type: ignore[no-untyped-call]

