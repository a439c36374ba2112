"""A progress bar on stderr for long work; silent when stderr is not a terminal.

What is counted is up to the caller: bytes for downloads (the default), items such as
articles for a digest; a ``Counter`` writes the "done of total" part of the line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

_WIDTH = 30
_MIN_INTERVAL_S = 0.1

Counter = Callable[[int, int | None], str]


def megabytes(done: int, total: int | None) -> str:
    """``1.5 MB of 12.0 MB``: what a download has fetched."""
    return f"{_size(done)} of {_size(total)}" if total else _size(done)


def items(noun: str) -> Counter:
    """A counter of whole things: ``3 of 12 articles``."""

    def count(done: int, total: int | None) -> str:
        return f"{done} of {total} {noun}" if total else f"{done} {noun}"

    return count


def throughput(noun: str) -> Counter:
    """A counter of whole things with their rate and the time left: ``120 of 5000 articles, 3.2/s, ETA 25m 10s``.
    The rate is over the whole run so far, from the first call."""
    started: list[float] = []

    def count(done: int, total: int | None) -> str:
        now = time.monotonic()
        if not started:
            started.append(now)
        line = items(noun)(done, total)
        elapsed = now - started[0]
        if elapsed <= 0 or done <= 0:
            return line
        rate = done / elapsed
        line += f", {rate:.1f} {noun}/s"
        if total and total > done:
            line += f", ETA {_duration((total - done) / rate)}"
        return line

    return count


class ProgressBar:
    """Call with (done, total or None); ``close()`` ends the line."""

    def __init__(
        self, label: str, stream: TextIO | None = None, *, counter: Counter = megabytes, delay: float = 0.0
    ) -> None:
        """``delay``: seconds of work before the bar shows, so that short work draws nothing."""
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.counter = counter
        self._last = 0.0
        self._shows_from = time.monotonic() + delay
        self._drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or now < self._shows_from or (now - self._last < _MIN_INTERVAL_S and done != total):
            return
        self._last = now
        if total:
            filled = int(_WIDTH * min(done, total) / total)
            bar = "#" * filled + "-" * (_WIDTH - filled)
            line = f"{self.label} [{bar}] {done / total:4.0%} {self.counter(done, total)}"
        else:
            line = f"{self.label} {self.counter(done, total)}"
        self.stream.write("\r" + line)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def _size(count: int) -> str:
    return f"{count / 1_048_576:.1f} MB"


def _duration(seconds: float) -> str:
    """``42s``, ``25m 10s``, ``3h 05m``: a time left, as precise as it needs to be."""
    whole = int(seconds + 0.5)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m {whole % 60:02d}s"
    return f"{whole // 3600}h {whole % 3600 // 60:02d}m"
