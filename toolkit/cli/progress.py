"""A progress bar on stderr for long work; silent when stderr is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 30
_MIN_INTERVAL_S = 0.1


class ProgressBar:
    """Call with (done, total or None); ``close()`` ends the line."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < _MIN_INTERVAL_S and done != total):
            return
        self._last = now
        if total:
            filled = int(_WIDTH * min(done, total) / total)
            bar = "#" * filled + "-" * (_WIDTH - filled)
            line = f"{self.label} [{bar}] {done / total:4.0%} {_size(done)} of {_size(total)}"
        else:
            line = f"{self.label} {_size(done)}"
        self.stream.write("\r" + line)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def _size(count: int) -> str:
    return f"{count / 1_048_576:.1f} MB"
