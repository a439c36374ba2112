"""What the engine's shared batches report as they run: a metrics exporter listens (the service's ``/metrics``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class BatchObserver(Protocol):
    def batch_ran(self, direction: str, pieces: int, requests: int, waits: Sequence[float]) -> None:
        """One engine batch of ``pieces`` pieces from ``requests`` callers; ``waits``: how long, in seconds,
        each caller's piece in it had waited."""

    def queued(self, direction: str, pieces: int) -> None:
        """Pieces now waiting for ``direction``'s package (e.g. "en→ru")."""
