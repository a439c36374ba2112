"""What the batcher tells whoever watches it: each engine batch it ran, and how much is waiting.

A ``Protocol``, so the library names no metrics library: the service passes an object
that turns these calls into Prometheus metrics (``service.metrics``), a test a list.
``direction`` is a package's pair as the service names it ("en→ru"), one value per
installed package, so a watcher may use it as a label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class BatchObserver(Protocol):
    """Called by the batcher from its own thread; an implementation must be quick and thread-safe."""

    def batch_ran(self, direction: str, pieces: int, requests: int, waits: Sequence[float]) -> None:
        """One engine batch of ``pieces`` pieces from ``requests`` callers; ``waits``: seconds each
        caller's first piece in it had queued."""

    def queued(self, direction: str, pieces: int) -> None:
        """Pieces now waiting for ``direction``'s package (e.g. "en→ru")."""
