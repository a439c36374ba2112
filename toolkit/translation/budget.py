"""What one caller's work may cost the engine: tokens read, and a deadline.

The engine charges the budget in force for the tokens of a call before running it,
reports each batch done (a progress bar), and looks at its deadline between batches: work whose caller has given up (a
service request answered 503 at its deadline) stops at the next batch instead of
holding a core for nobody. The budget is a context variable, set for the thread that
does the work (``spending``); the library sets none, so a digest or a corpus has no
request cap and no deadline unless its caller gives one.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import DeadlinePassed, InputTooLong


@dataclass
class Budget:
    """``max_tokens``: SentencePiece tokens the engine may read, every package together (``setting`` names
    the limit in errors); ``deadline``: a ``time.monotonic()`` instant after which no batch starts;
    ``progress``: called with (tokens translated, tokens charged) after each batch, for a progress bar."""

    max_tokens: int | None = None
    deadline: float | None = None
    setting: str = "max_tokens"
    progress: Callable[[int, int], None] | None = None
    spent: int = 0
    done: int = 0

    def charge(self, tokens: int) -> None:
        """Count ``tokens`` about to be read; refuse them, before the engine runs, if they pass the limit."""
        if self.max_tokens is not None and self.spent + tokens > self.max_tokens:
            raise InputTooLong(
                f"the text is {self.spent + tokens} tokens for the translation engine; at most "
                f"{self.max_tokens} per request ({self.setting}); send less text per request",
                limit=self.max_tokens,
                actual=self.spent + tokens,
            )
        self.spent += tokens

    def finished(self, tokens: int) -> None:
        """``tokens`` of what was charged are translated."""
        self.done += tokens
        if self.progress is not None:
            self.progress(self.done, self.spent)

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlinePassed("the deadline passed; the rest of the work was not done")


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("triglot_budget", default=None)


def current_budget() -> Budget | None:
    return _current.get()


@contextlib.contextmanager
def spending(budget: Budget) -> Iterator[Budget]:
    """Make ``budget`` the one the engine charges within the block (in this thread or task)."""
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)
