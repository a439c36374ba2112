"""The Ray engine: a corpus job's batches run as Ray Data ``map_batches`` over a pool of actors on a cluster.

Ray is an optional extra (``pip install 'triglot[ray]'``) and is imported only when a job
runs on it: this module imports no Ray at import time, so ``import toolkit`` and
``triglot --help`` stay fast, and a machine without Ray gets one line saying what to
install.

The same per-batch function as the local engine runs here: each actor builds one
``ArticleWorker`` (loading the packages and the glossary once) and runs the driver's
batches through it. The driver still does everything else (``corpus``): it streams the
records, skips what ``--resume`` finds done, cuts batches, and writes the shards, so the
output is the same lines whichever engine made them. The input reaches the cluster a
chunk at a time (``CHUNK_BATCHES`` batches, one Ray dataset each), never whole.

Faults: Ray Data restarts an actor whose process or node dies (``max_restarts=-1``)
and retries its unfinished tasks on the new one (``max_task_retries=-1``): those are
Ray Data's defaults for actor pools, which this engine keeps (passing them again is
deprecated since Ray 2.60). An actor that dies while still loading its packages is
replaced ``ACTOR_INIT_DEATHS`` times in a row, then the job fails with what killed it.
An article's own error is never retried: the worker makes it that article's error line.
A retried batch that somehow comes back twice is written once (the shards drop a
repeated id).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import socket
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ClusterUnavailable, InvalidOption, WorkerLost
from .engines import Batches, Emit
from .job import CorpusJob
from .records import Record
from .worker import ArticleWorker, StageTimes, WorkerBatch

AUTO = "auto"
RAY_MISSING = "the Ray engine needs Ray, which is not installed here: pip install 'triglot[ray]'"
# An actor's share of a node's CPUs: one per CTranslate2 thread it runs (one unless TRIGLOT_INTRA_THREADS
# says more), less this much, left for Ray Data's own tasks, which wait forever when actors hold every CPU.
CPUS_LEFT_PER_ACTOR = 0.1
# The driver's batches per Ray dataset: at least CHUNK_BATCHES (some 8,000 articles at the default batch
# size), and BATCHES_PER_ACTOR for every actor of the pool. Every dataset starts its actors afresh (a
# package load each, seconds) and ends with a tail in which actors idle (up to a batch's time), so each
# actor gets many batches of it: with full-size packages 32 batches are some 25 minutes of work, the
# reload and the tail a few percent of that. A chunk's records are in the driver's memory and the object
# store while it runs (32 batches of 32 articles of a few kB: some 5 MB per actor).
CHUNK_BATCHES = 256
BATCHES_PER_ACTOR = 32
# Actors dying in a row while they load their packages (a node lost as it starts, or packages that do
# not load on that node) before the job gives up; one that has loaded resets the count.
ACTOR_INIT_DEATHS = 3
# Batches sent to an actor before it has finished one: one running, one waiting (as the local pool does).
# More would let a busy actor sit on batches an idle one could run, at a chunk's end.
IN_FLIGHT_PER_ACTOR = 2


@dataclasses.dataclass(frozen=True)
class RayEngine:
    """Runs a corpus job on the Ray cluster at ``address`` (``"auto"``: the one running on this machine, or
    ``RAY_ADDRESS``), with ``workers`` actors, or as many as the cluster's CPUs hold when None."""

    address: str = AUTO
    workers: int | None = None
    chunk_batches: int = CHUNK_BATCHES

    def __post_init__(self) -> None:
        # A bad address, or no Ray, fails here: before the job touches its output folder.
        _target(self.address)
        _check_installed()
        if self.workers is not None and self.workers < 1:
            raise InvalidOption(f"--workers must be at least 1, not {self.workers}")
        if self.chunk_batches < 1:
            raise InvalidOption(f"the chunk size must be at least 1 batch, not {self.chunk_batches}")

    def run(self, job: CorpusJob, batches: Batches, emit: Emit) -> None:
        target = _target(self.address)
        joined = _connected_already()
        if not joined and target != AUTO and "://" not in target:
            _check_reachable(target, job.settings.network_timeout)  # before Ray's import (seconds) and its retries
        ray = _import_ray()
        if not joined:
            _connect(ray, target)
        try:
            _configure(ray)
            actor_job = job.with_threads(1)  # one CTranslate2 thread per actor: what its CPU share pays for
            cpus = actor_job.settings.intra_threads - CPUS_LEFT_PER_ACTOR
            actors = self.workers or _most_actors(ray, cpus)
            pool = self._pool(ray, actors)
            for chunk in _chunks(batches, max(self.chunk_batches, actors * BATCHES_PER_ACTOR)):
                rows = [{"batch": json.dumps(batch, ensure_ascii=False)} for batch in chunk]
                done = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
                    BatchActor,
                    fn_constructor_kwargs={"job": actor_job},
                    batch_size=1,
                    batch_format="numpy",
                    compute=pool,
                    num_cpus=cpus,
                )
                for row in done.iter_rows():
                    emit(_decoded(row["result"]))
        except ray.exceptions.RayError as error:
            # What Ray could not recover from (a node gone with retries spent, actors that never start).
            raise WorkerLost(
                f"the job on the Ray cluster stopped ({type(error).__name__}: {_first_line(error)}); the shards written so far "
                "are kept: run the same command again with --resume"
            ) from None
        finally:
            if not joined:  # a caller's own connection stays; ours is left
                ray.shutdown()

    def _pool(self, ray: Any, actors: int) -> Any:
        if self.workers is not None:
            return ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=IN_FLIGHT_PER_ACTOR)
        # At least one: a cluster busy with other work still runs the job, on what it can spare.
        return ray.data.ActorPoolStrategy(
            min_size=1, max_size=actors, initial_size=actors, max_tasks_in_flight_per_actor=IN_FLIGHT_PER_ACTOR
        )


class BatchActor:
    """One actor of the pool: one ``ArticleWorker``, built when the actor starts; each row it gets is one of
    the driver's batches (records as JSON), each row it returns that batch's ``WorkerBatch`` (as JSON)."""

    def __init__(self, job: CorpusJob) -> None:
        self.worker = ArticleWorker(job)

    def __call__(self, rows: dict[str, Any]) -> dict[str, Any]:
        import numpy

        results = [_encoded(self.worker.run(json.loads(str(text)))) for text in rows["batch"]]
        return {"result": numpy.array(results, dtype=object)}


# Batches cross to the cluster and back as JSON text: Arrow, Ray Data's block format, would turn the
# lines' nested dicts into structs and fill every key a line lacks with null.
def _encoded(batch: WorkerBatch) -> str:
    return json.dumps({"lines": batch.lines, "times": dataclasses.asdict(batch.times)}, ensure_ascii=False)


def _decoded(text: str) -> WorkerBatch:
    data = json.loads(str(text))
    return WorkerBatch(lines=data["lines"], times=StageTimes(**data["times"]))


def _chunks(batches: Iterable[list[Record]], size: int) -> Iterator[list[list[Record]]]:
    chunk: list[list[Record]] = []
    for batch in batches:
        chunk.append(batch)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _most_actors(ray: Any, cpus_each: float) -> int:
    """As many actors as the cluster's nodes hold now, node by node (an actor is on one node)."""
    fits = sum(
        math.floor(float(node.get("Resources", {}).get("CPU", 0)) / cpus_each) for node in ray.nodes() if node.get("Alive")
    )
    return max(1, fits)


def _check_installed() -> None:
    import importlib.util

    try:
        found = importlib.util.find_spec("ray") is not None  # without importing it (seconds)
    except (ImportError, ValueError):  # ValueError: sys.modules["ray"] is None, Python's way to block it
        found = False
    if not found:
        raise ClusterUnavailable(RAY_MISSING)


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401  (ray[data]: the extra installs it; a bare ray lacks pyarrow)
    except ImportError:
        raise ClusterUnavailable(RAY_MISSING) from None
    return ray


def _connected_already() -> bool:
    """Whether this process has joined a cluster itself (a library caller's ``ray.init``): then that one is used."""
    import sys

    ray = sys.modules.get("ray")
    return bool(ray is not None and ray.is_initialized())


def _connect(ray: Any, target: str) -> None:
    try:
        ray.init(address=target, logging_level=logging.WARNING)
    except ConnectionError:
        if target == AUTO:
            raise ClusterUnavailable(
                "no running Ray cluster found (--ray auto joins one started on this machine with "
                "'ray start --head', or the one RAY_ADDRESS names); start one, or give its address: --ray HOST:PORT"
            ) from None
        raise ClusterUnavailable(f"cannot join the Ray cluster at {target}; check the address") from None
    except (RuntimeError, ValueError) as error:
        raise ClusterUnavailable(f"cannot join the Ray cluster at {target}: {_first_line(error)}") from None


def _first_line(error: BaseException) -> str:
    """What Ray's error says first (its messages run to many lines of cluster state)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _target(address: str) -> str:
    """What ``ray.init`` is given: ``auto``, a ``ray://`` client address as it is, or a checked HOST:PORT."""
    target = address.strip() or AUTO
    if target == AUTO or "://" in target:
        return target
    host, colon, port = target.rpartition(":")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidOption(
            f"--ray takes the head node's address, HOST:PORT (port 6379 unless 'ray start --head' was given "
            f"another), or auto, not {address!r}; with no address, put --ray after the inputs"
        )
    return target


def _check_reachable(address: str, timeout: float) -> None:
    """Fail in seconds, not minutes: Ray itself retries an address where nothing listens for a long time."""
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ClusterUnavailable(
            f"no Ray cluster answers at {address} ({reason}); check the address ('ray status' on the head node)"
        ) from None


def _configure(ray: Any) -> None:
    context = ray.data.DataContext.get_current()
    context.max_consecutive_actor_init_deaths = ACTOR_INIT_DEATHS
    context.actor_task_retry_on_errors = False  # an article's error is its line, not a reason to retry
