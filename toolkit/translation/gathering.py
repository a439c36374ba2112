"""Engine batches shared by concurrent callers: every request waiting for a package goes through it together.

CTranslate2 translates a batch of 32 pieces in little more time than one, so a server
whose requests each bring one sentence would leave most of the machine idle if each
ran its own batch. Each loaded package (per hypothesis count) has a ``BatchQueue``: a
caller puts its pieces in, shortest first, and waits; a runner thread takes up to
``max_pieces`` pieces and ``max_tokens`` tokens, one piece from each waiting caller in
turn (a long request does not hold a short one back), waits up to ``window`` seconds
for more when the batch is not full, runs one engine batch and hands each caller its
own results. A lone caller's batches are the ones it would have run by itself.

Every queue of an engine shares its ``Turns``: how many batches run at once in the
process, whichever packages they are for, and which package goes next when one ends
(the one whose caller has waited longest). A server's requests for four packages then
neither run more batches than the cores can take at once (threads that contend for
them make every batch slower) nor wait behind a package that came after them, and
each package gathers its callers while the others run.

A caller whose deadline passes while its pieces wait gets ``DeadlinePassed`` at that
moment, and its pieces leave the queue untranslated; a batch that fails fails for
every caller in it. Progress is reported to each caller's ``Budget`` from the
caller's own thread, as the engine did before the queue.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import DeadlinePassed
from .budget import Budget
from .observer import BatchObserver

RunBatch = Callable[[list[list[str]]], list[Any]]
# A runner with nothing to do for this long ends; the next caller starts another.
IDLE_S = 30.0
DEADLINE_PASSED = "the deadline passed while the text waited for the engine; it was not translated"

# Engine batches running now, in every queue's runner threads: a process must not exit under one.
_running = 0
_running_changed = threading.Condition()


def finish_running_batches(timeout: float) -> bool:
    """Wait, at most ``timeout`` seconds, until no engine batch is running; True once none is.

    A runner thread is a daemon: a command interrupted (Ctrl-C, SIGTERM) while one is inside
    CTranslate2 would exit under it, and CTranslate2's threads, torn down mid-batch, abort the
    process (SIGABRT) instead of letting it exit with its status. A batch takes seconds at most."""
    with _running_changed:
        return _running_changed.wait_for(lambda: _running == 0, timeout)


def _batch_running(change: int) -> None:
    global _running
    with _running_changed:
        _running += change
        _running_changed.notify_all()


@dataclass(eq=False)
class _Caller:
    """One call's pieces on their way through the queue."""

    pieces: Sequence[list[str]]
    order: deque[int]  # the pieces not yet taken, in the order they go
    deadline: float | None
    ready_since: float  # since when its next piece has been waiting
    results: list[Any]
    outstanding: int  # pieces not yet translated
    translated_tokens: int = 0
    error: BaseException | None = None

    @property
    def finished(self) -> bool:
        return self.outstanding == 0 or self.error is not None


class Turns:
    """At most ``slots`` engine batches at once across the queues that share it; a freed slot goes to the
    queue whose first caller has waited longest."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._asking: list[BatchQueue] = []
        self._lock = threading.Condition()

    def take(self, queue: BatchQueue) -> None:
        """Wait for a slot, until it is ``queue``'s turn."""
        with self._lock:
            self._asking.append(queue)
            while not (self._free and min(self._asking, key=BatchQueue.waiting_since) is queue):
                self._lock.wait()
            self._asking.remove(queue)
            self._free -= 1

    def give_back(self) -> None:
        with self._lock:
            self._free += 1
            self._lock.notify_all()


class BatchQueue:
    """The callers waiting for one package, and the runner threads that batch them.

    ``direction`` ("en→ru") names it to the observer; ``observer`` gives the one in
    force when a batch runs (the service may attach one after the engine exists);
    ``turns``: the slots it shares with the engine's other queues (its own, as many as
    its runners, when not given)."""

    def __init__(
        self,
        direction: str,
        run_batch: RunBatch,
        *,
        max_pieces: int,
        max_tokens: int,
        window: float,
        max_runners: int = 1,
        turns: Turns | None = None,
        observer: Callable[[], BatchObserver | None] = lambda: None,
    ) -> None:
        self.direction = direction
        self.run_batch = run_batch
        self.max_pieces = max_pieces
        self.max_tokens = max_tokens
        self.window = window
        self.max_runners = max_runners
        self.turns = turns or Turns(max_runners)
        self.observer = observer
        self._waiting: deque[_Caller] = deque()  # callers with pieces not yet taken, in turn
        self._queued = 0  # pieces not yet taken, every caller together
        self._runners = 0
        self._lock = threading.Condition()

    def translate(self, pieces: Sequence[list[str]], order: Sequence[int], budget: Budget | None) -> list[Any]:
        """The engine's result for each piece, taken in ``order``; within ``budget``'s deadline."""
        if not pieces:
            return []
        deadline = budget.deadline if budget is not None else None
        caller = _Caller(pieces, deque(order), deadline, time.monotonic(), [None] * len(pieces), len(pieces))
        if deadline is not None and time.monotonic() > deadline:
            raise DeadlinePassed(DEADLINE_PASSED)
        with self._lock:
            self._waiting.append(caller)
            self._queued += len(pieces)
            self._report_queue()
            if self._runners < self.max_runners:
                self._runners += 1
                threading.Thread(target=self._run, name=f"triglot-batches {self.direction}", daemon=True).start()
            self._lock.notify_all()
        try:
            self._wait_for(caller, budget)
        except BaseException:
            # Interrupted (Ctrl-C), or its progress callback failed: nobody waits for its pieces now.
            with self._lock:
                if not caller.finished:
                    self._fail(caller, DeadlinePassed(DEADLINE_PASSED))
            raise
        if caller.error is not None:
            raise caller.error
        return caller.results

    def _wait_for(self, caller: _Caller, budget: Budget | None) -> None:
        """Until ``caller`` is finished, telling its budget of each batch done, in this (the caller's) thread."""
        reported = 0
        while True:
            with self._lock:
                while caller.translated_tokens == reported and not caller.finished:
                    remaining = None if caller.deadline is None else caller.deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        self._fail(caller, DeadlinePassed(DEADLINE_PASSED))
                        break
                    self._lock.wait(remaining)
                translated, finished = caller.translated_tokens, caller.finished
            if translated > reported:
                if budget is not None:
                    budget.finished(translated - reported)
                reported = translated
            if finished:
                return

    def waiting_since(self) -> float:
        """Since when the first caller in line has waited (infinity: nobody waits). Read without the
        queue's lock, by ``Turns``: a moment stale at worst, which only reorders two turns."""
        try:
            return self._waiting[0].ready_since
        except IndexError:
            return math.inf

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._gathered():
                    self._runners -= 1
                    return
            # Callers who come while the turn is waited for join this batch.
            self.turns.take(self)
            try:
                with self._lock:
                    self._drop_expired()
                    taken = self._take_batch()
                    started = time.monotonic()
                    waits = [started - caller.ready_since for caller in dict.fromkeys(caller for caller, _ in taken)]
                if not taken:
                    continue
                error: BaseException | None = None
                results: list[Any] = []
                _batch_running(+1)
                try:
                    results = self.run_batch([caller.pieces[index] for caller, index in taken])
                except BaseException as failure:  # noqa: BLE001 - handed to every caller of the batch
                    error = failure
                finally:
                    _batch_running(-1)
            finally:
                self.turns.give_back()
            with self._lock:
                now = time.monotonic()
                for position, (caller, index) in enumerate(taken):
                    if error is not None:
                        if caller.error is None:
                            self._fail(caller, error)
                        continue
                    caller.results[index] = results[position]
                    caller.outstanding -= 1
                    caller.translated_tokens += len(caller.pieces[index])
                    caller.ready_since = now
                self._lock.notify_all()
            observer = self.observer()
            if observer is not None:
                observer.batch_ran(self.direction, len(taken), len(waits), waits)

    def _gathered(self) -> bool:
        """Under the lock: once there are pieces to take and the window has passed or a batch is full;
        False when none came for ``IDLE_S`` (the runner idles out)."""
        idle_until = time.monotonic() + IDLE_S
        while True:
            while not self._waiting:
                remaining = idle_until - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
            gathered_until = self._waiting[0].ready_since + self.window
            while self._waiting and self._queued < self.max_pieces:
                remaining = gathered_until - time.monotonic()
                if remaining <= 0:
                    break
                self._lock.wait(remaining)
            self._drop_expired()
            if self._waiting:
                return True

    def _take_batch(self) -> list[tuple[_Caller, int]]:
        """Under the lock: the pieces of the next batch (none, when every caller left while the turn was waited for)."""
        taken: list[tuple[_Caller, int]] = []
        tokens = 0
        while self._waiting and len(taken) < self.max_pieces:
            caller = self._waiting[0]
            index = caller.order[0]
            size = len(caller.pieces[index])
            if taken and tokens + size > self.max_tokens:
                break
            self._waiting.popleft()
            caller.order.popleft()
            taken.append((caller, index))
            tokens += size
            if caller.order:
                self._waiting.append(caller)  # to the back of the line: one piece per caller in turn
        self._queued -= len(taken)
        self._report_queue()
        return taken

    def _drop_expired(self) -> None:
        now = time.monotonic()
        for caller in [c for c in self._waiting if c.deadline is not None and now > c.deadline]:
            self._fail(caller, DeadlinePassed(DEADLINE_PASSED))

    def _fail(self, caller: _Caller, error: BaseException) -> None:
        """Under the lock: end ``caller`` with ``error``; its pieces not yet taken leave the queue."""
        caller.error = error
        if caller.order:
            self._queued -= len(caller.order)
            caller.order.clear()
            self._waiting.remove(caller)
            self._report_queue()
        self._lock.notify_all()

    def _report_queue(self) -> None:
        observer = self.observer()
        if observer is not None:
            observer.queued(self.direction, self._queued)
