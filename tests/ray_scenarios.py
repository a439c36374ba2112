"""What the Ray tests do inside their namespaces (``tests.ray_cluster.in_namespaces`` runs them there).

Each scenario gets the ``Cluster`` (no node started yet) and plain arguments, starts the
nodes it needs, runs ``triglot corpus --ray`` as a user would, and returns what the
test checks, as JSON-able data. The cluster is stopped by the caller, whatever happens.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.ray_cluster import Cluster

JOB_TIMEOUT_S = 200.0
# What Ray calls the worker process of one of the job's actors (Ray Data wraps our class in its MapWorker),
# and the same while the actor runs a batch.
ACTOR_TITLE = "ray::MapWorker(MapBatches(BatchActor))"
BUSY_TITLE = ACTOR_TITLE + ".submit"
POLL_S = 0.05


def corpus_command(inputs: str, out: str, address: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", "corpus", inputs, "--to", "en,zh,ru", "-o", out, "--ray", address, *extra]


def job_environment(cluster: Cluster, home: str) -> dict[str, str]:
    return {**cluster.environment, "TRIGLOT_HOME": home, "TRIGLOT_CACHE": "0"}


def one_node_job(cluster: Cluster, *, inputs: str, out: str, home: str, batch_size: int) -> dict[str, Any]:
    """A head node of two CPUs, and a corpus job on it."""
    cluster.start_head(cpus=2)
    job = subprocess.run(
        corpus_command(inputs, out, cluster.address, "--batch-size", str(batch_size)),
        env=job_environment(cluster, home), capture_output=True, text=True, timeout=JOB_TIMEOUT_S,
    )
    return {"status": job.returncode, "stderr": job.stderr[-4000:]}


def worker_killed_mid_job(cluster: Cluster, *, inputs: str, out: str, home: str, batch_size: int) -> dict[str, Any]:
    """Two nodes of one CPU each, a job with two actors (one per node: each takes most of a CPU); the second
    node's actor is killed (SIGKILL) while it runs a batch, and the job is left to finish."""
    cluster.start_head(cpus=1)
    cluster.add_node(cpus=1)
    log = Path(out).parent / "job.log"
    with log.open("wb") as output:
        job = subprocess.Popen(
            # One sentence a summary: the kill needs batches, not long ones.
            corpus_command(inputs, out, cluster.address, "--workers", "2", "--batch-size", str(batch_size), "--sentences", "1"),
            env=job_environment(cluster, home), stdout=output, stderr=subprocess.STDOUT,
        )
        started = time.monotonic()
        killed: int | None = None
        replacements: set[int] = set()
        deadline = time.monotonic() + JOB_TIMEOUT_S
        while job.poll() is None and time.monotonic() < deadline:
            if killed is None:
                busy = cluster.workers_of(1, BUSY_TITLE)
                if busy:
                    os.kill(busy[0], signal.SIGKILL)
                    killed = busy[0]
            else:
                replacements.update(pid for pid in cluster.workers_of(1, ACTOR_TITLE) if pid != killed)
            time.sleep(POLL_S)
        if job.poll() is None:
            job.kill()
        status = job.wait(timeout=10)
    return {
        "status": status,
        "seconds": round(time.monotonic() - started, 1),
        "killed": killed,
        "replacements": sorted(replacements),
        "log": log.read_text(encoding="utf-8", errors="replace")[-4000:],
    }
