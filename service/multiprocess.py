"""Where several workers' metrics meet: a private directory for prometheus_client's multiprocess mode.

prometheus_client decides once, when it is imported, whether values live in memory
or in files under ``PROMETHEUS_MULTIPROC_DIR``; uvicorn's workers are fresh
interpreters (spawned) that inherit ``triglot serve``'s environment and import
prometheus_client when they build their app. So ``triglot serve`` names the
directory in its own environment before uvicorn starts them. Nothing here imports
prometheus_client, so that the variable is settled before it is.

The directory is made for each run and removed after it, rather than taken from the
environment: files left by an earlier run, or shared with another server, would be
summed into this one's counts. One worker counts in memory and needs no directory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .config import ServiceSettings

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
DIRECTORY_PREFIX = "triglot-metrics-"


@contextlib.contextmanager
def metrics_directory(settings: ServiceSettings) -> Iterator[Path | None]:
    """For the length of a server's run, the metrics' storage in the environment.

    Metrics on and several workers: a new, empty directory only this user can read
    (``tempfile.mkdtemp``), named in ``PROMETHEUS_MULTIPROC_DIR``, removed at the end.
    Metrics on and one worker: no directory, and an inherited variable is hidden so
    that the one process counts in memory. Metrics off: the environment as it is."""
    previous = os.environ.get(MULTIPROCESS_VARIABLE)
    if not settings.metrics:
        yield None
        return
    directory = Path(tempfile.mkdtemp(prefix=DIRECTORY_PREFIX)) if settings.workers > 1 else None
    if directory is None:
        os.environ.pop(MULTIPROCESS_VARIABLE, None)
    else:
        os.environ[MULTIPROCESS_VARIABLE] = str(directory)
    try:
        yield directory
    finally:
        if previous is None:
            os.environ.pop(MULTIPROCESS_VARIABLE, None)
        else:
            os.environ[MULTIPROCESS_VARIABLE] = previous
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
