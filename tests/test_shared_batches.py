"""Concurrent callers share engine batches: each gets its own results, within its deadline, whatever the others do."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app
from tests.service_server import library_settings, running
from toolkit.errors import DeadlinePassed, TranslationFailed
from toolkit.translation import Budget
from toolkit.translation.gathering import BatchQueue, Turns

Packages = dict[tuple[str, str], Path]


class Recorder:
    """A stand-in engine batch: each piece's "translation" is its tokens reversed; every batch is kept."""

    def __init__(self, hold: threading.Event | None = None, fail_on: str | None = None, seconds: float = 0) -> None:
        self.batches: list[list[list[str]]] = []
        self.hold = hold
        self.fail_on = fail_on
        self.seconds = seconds
        self.lock = threading.Lock()

    def __call__(self, batch: list[list[str]]) -> list[list[str]]:
        with self.lock:
            self.batches.append(batch)
        if self.hold is not None:
            assert self.hold.wait(10)
        time.sleep(self.seconds)
        if self.fail_on is not None and any(self.fail_on in piece for piece in batch):
            raise TranslationFailed("the package failed")
        return [piece[::-1] for piece in batch]


def queue_of(
    run: Recorder, *, pieces: int = 8, tokens: int = 1000, window: float = 0.05, turns: Turns | None = None,
    direction: str = "en→ru",
) -> BatchQueue:
    return BatchQueue(direction, run, max_pieces=pieces, max_tokens=tokens, window=window, turns=turns)


def pieces_of(caller: int, count: int) -> list[list[str]]:
    return [[f"c{caller}", f"p{index}"] + ["x"] * index for index in range(count)]


def translate(queue: BatchQueue, pieces: list[list[str]], budget: Budget | None = None) -> list[list[str]]:
    return queue.translate(pieces, range(len(pieces)), budget)


def test_concurrent_callers_share_batches_and_each_gets_its_own_results() -> None:
    run = Recorder()
    queue = queue_of(run)
    callers = {caller: pieces_of(caller, 3) for caller in range(12)}
    with ThreadPoolExecutor(len(callers)) as pool:
        results = dict(zip(callers, pool.map(lambda c: translate(queue, callers[c]), callers)))
    for caller, pieces in callers.items():
        assert results[caller] == [piece[::-1] for piece in pieces]
    assert all(len(batch) <= 8 for batch in run.batches)
    assert sum(len(batch) for batch in run.batches) == 36  # each piece translated once
    shared = max(len({piece[0] for piece in batch}) for batch in run.batches)
    assert shared > 1, run.batches


def test_a_batch_takes_one_piece_from_each_caller_in_turn_within_the_token_cap() -> None:
    hold = threading.Event()
    run = Recorder(hold)
    queue = queue_of(run, pieces=4, tokens=10, window=0)
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(translate, queue, [["warm"]])  # holds the runner while the others queue
        while not run.batches:
            time.sleep(0.001)
        long = pool.submit(translate, queue, [["a", str(n)] for n in range(6)])
        time.sleep(0.05)
        short = pool.submit(translate, queue, [["b", "0"]])
        time.sleep(0.05)
        hold.set()
        assert short.result(5) == [["0", "b"]]
        assert long.result(5) == [[str(n), "a"] for n in range(6)]
        first.result(5)
    second = run.batches[1]
    assert ["b", "0"] in second  # the short caller did not wait behind the long one's six pieces
    assert sum(len(piece) for piece in second) <= 10


def test_a_lone_caller_gets_the_batches_it_would_have_run_alone() -> None:
    run = Recorder()
    queue = queue_of(run, pieces=4, tokens=1000, window=0)
    pieces = pieces_of(0, 10)
    order = sorted(range(10), key=lambda index: -index)  # longest first, to see the order is kept
    assert queue.translate(pieces, order, None) == [piece[::-1] for piece in pieces]
    assert [len(batch) for batch in run.batches] == [4, 4, 2]
    assert run.batches[0] == [pieces[9], pieces[8], pieces[7], pieces[6]]


def test_a_caller_past_its_deadline_while_queued_gets_deadline_passed_and_its_pieces_are_dropped() -> None:
    hold = threading.Event()
    run = Recorder(hold)
    queue = queue_of(run, window=0)
    with ThreadPoolExecutor(2) as pool:
        busy = pool.submit(translate, queue, [["busy"]])
        while not run.batches:
            time.sleep(0.001)
        started = time.monotonic()
        late = pool.submit(translate, queue, [["late", "1"], ["late", "2"]], Budget(deadline=time.monotonic() + 0.2))
        with pytest.raises(DeadlinePassed):
            late.result(5)
        assert time.monotonic() - started < 1.5  # at its deadline, not when the engine came free
        hold.set()
        assert busy.result(5) == [["busy"]]
    after = translate(queue, [["next"]])
    assert after == [["next"]]
    assert not any(piece[0] == "late" for batch in run.batches for piece in batch)


def test_a_failed_batch_fails_its_callers_and_the_queue_serves_the_next() -> None:
    run = Recorder(fail_on="bad")
    queue = queue_of(run, window=0)
    with pytest.raises(TranslationFailed):
        translate(queue, [["bad"], ["ok"]])
    assert translate(queue, [["fine"]]) == [["fine"]]


def test_progress_reaches_each_callers_budget() -> None:
    seen: list[tuple[int, int]] = []
    budget = Budget(progress=lambda done, spent: seen.append((done, spent)))
    budget.charge(2 * 5 + 2 * 5)
    queue = queue_of(Recorder(seconds=0.1), pieces=5, window=0)
    translate(queue, [["a", "b"]] * 10, budget)
    assert seen == [(10, 20), (20, 20)]  # after each batch


class Overlap:
    """Stand-in batches for several queues that count how many run at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.running = 0
        self.most = 0
        self.order: list[str] = []
        self.lock = threading.Lock()

    def batch(self, name: str) -> Recorder:
        overlap = self

        class Counted(Recorder):
            def __call__(self, batch: list[list[str]]) -> list[list[str]]:
                with overlap.lock:
                    overlap.running += 1
                    overlap.most = max(overlap.most, overlap.running)
                    overlap.order.append(name)
                try:
                    return super().__call__(batch)
                finally:
                    with overlap.lock:
                        overlap.running -= 1

        return Counted(seconds=self.seconds)


@pytest.mark.parametrize("slots", [1, 2])
def test_queues_that_share_turns_run_no_more_batches_at_once_than_its_slots(slots: int) -> None:
    overlap = Overlap(seconds=0.1)
    turns = Turns(slots)
    queues = [queue_of(overlap.batch(name), pieces=2, window=0, turns=turns, direction=name) for name in "abcd"]
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(translate, queue, pieces_of(n, 4)) for n, queue in enumerate(queues)]
        results = [future.result(20) for future in futures]
    assert results == [[piece[::-1] for piece in pieces_of(n, 4)] for n in range(4)]
    assert overlap.most == slots  # as many as it may, never more


def test_a_freed_turn_goes_to_the_queue_whose_caller_has_waited_longest_not_the_first_to_ask() -> None:
    hold = threading.Event()
    turns = Turns(1)
    overlap = Overlap(seconds=0)
    busy_queue = queue_of(Recorder(hold), window=0, turns=turns)
    # ``old``'s caller comes first but its queue asks for a turn last (its gather window is longer).
    old = queue_of(overlap.batch("old"), window=0.3, turns=turns, direction="zh→en")
    new = queue_of(overlap.batch("new"), window=0, turns=turns, direction="en→zh")
    with ThreadPoolExecutor(3) as pool:
        busy = pool.submit(translate, busy_queue, [["busy"]])
        while not busy_queue.run_batch.batches:  # type: ignore[attr-defined]
            time.sleep(0.001)
        first = pool.submit(translate, old, [["old"]])
        time.sleep(0.05)
        second = pool.submit(translate, new, [["new"]])
        time.sleep(0.5)  # both queues now ask, ``new`` since 0.25 s before ``old``
        hold.set()
        assert first.result(5) == [["old"]] and second.result(5) == [["new"]]
        busy.result(5)
    assert overlap.order == ["old", "new"]


def test_a_caller_whose_deadline_passes_while_its_queue_waits_for_a_turn_gets_deadline_passed() -> None:
    hold = threading.Event()
    turns = Turns(1)
    busy_queue = queue_of(Recorder(hold), window=0, turns=turns)
    run = Recorder()
    waiting = queue_of(run, window=0, turns=turns, direction="ru→en")
    with ThreadPoolExecutor(2) as pool:
        busy = pool.submit(translate, busy_queue, [["busy"]])
        while not busy_queue.run_batch.batches:  # type: ignore[attr-defined]
            time.sleep(0.001)
        started = time.monotonic()
        with pytest.raises(DeadlinePassed):
            translate(waiting, [["late"]], Budget(deadline=time.monotonic() + 0.2))
        assert time.monotonic() - started < 1.5
        hold.set()
        busy.result(5)
    assert translate(waiting, [["next"]]) == [["next"]]  # the queue's runner took its turn and went on
    assert run.batches == [[["next"]]]  # the late caller's piece was never translated


# Through the service, with the tiny packages (models that copy their input): a result
# handed to the wrong request would show as another request's text.

SENTENCES = {
    "en": [f"Shipment {n} of soybeans crossed the border at Manzhouli." for n in range(24)],
    "zh": [f"第{n}批大豆经满洲里口岸入境。" for n in range(24)],
}
PAIRS = [("en", "ru"), ("en", "zh"), ("zh", "en"), ("zh", "ru")]  # zh→ru through en: both legs' batches


class Observer:
    def __init__(self) -> None:
        self.batches: list[tuple[str, int, int]] = []

    def batch_ran(self, direction: str, pieces: int, requests: int, waits: Sequence[float]) -> None:
        self.batches.append((direction, pieces, requests))

    def queued(self, direction: str, pieces: int) -> None:
        pass


@pytest.fixture(scope="module")
def server(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Observer]]:
    library = library_settings(tmp_path_factory.mktemp("home"), tiny_packages, cache=False, batch_window_ms=50)
    app = create_app(ServiceSettings(), library=library)
    engine = app.state.service.engine
    observer = Observer()
    engine.observer = observer
    try:
        with running(app) as url:
            yield url, observer
    finally:
        engine.observer = None


def test_concurrent_requests_get_what_one_at_a_time_gives_and_share_batches(server: tuple[str, Observer]) -> None:
    url, observer = server
    requests = []
    for n in range(20):
        source, target = PAIRS[n % 4]
        text = SENTENCES[source][n] + (" " + SENTENCES[source][n + 1] if n % 3 == 0 else "")  # one or two sentences
        requests.append({"q": text, "source": source, "target": target})

    def send(payload: dict[str, str]) -> tuple[int, str]:
        answer = httpx.post(url + "/translate", json=payload, timeout=60)
        return answer.status_code, answer.json().get("translatedText", answer.text)

    alone = [send(payload) for payload in requests]
    observer.batches.clear()
    with ThreadPoolExecutor(len(requests)) as pool:
        together = list(pool.map(send, requests))
    assert together == alone
    assert all(status == 200 for status, _ in alone)
    assert max(requests for _, _, requests in observer.batches) > 1, observer.batches
    assert {"zh→en", "en→ru"} <= {direction for direction, _, _ in observer.batches}


def test_a_waiting_caller_sleeps_until_its_batches_are_back() -> None:
    queue = queue_of(Recorder(seconds=0.3), pieces=1, window=0)
    began = time.thread_time()
    assert translate(queue, [["a"], ["b"], ["c"]]) == [["a"], ["b"], ["c"]]
    assert time.thread_time() - began < 0.15  # about a second of waiting, next to no CPU


def test_a_caller_that_gives_up_leaves_the_queue() -> None:
    hold = threading.Event()
    run = Recorder(hold, seconds=0.2)
    queue = queue_of(run, pieces=1, window=0)

    def stop(done: int, spent: int) -> None:
        raise KeyboardInterrupt  # as Ctrl-C would, in the caller's thread

    with ThreadPoolExecutor(1) as pool:
        busy = pool.submit(translate, queue, [["busy"]])
        while not run.batches:
            time.sleep(0.001)
        budget = Budget(progress=stop)
        budget.charge(3)
        hold.set()
        with pytest.raises(KeyboardInterrupt):
            translate(queue, [["first"], ["second"], ["third"]], budget)
        busy.result(5)
    assert translate(queue, [["next"]]) == [["next"]]
    assert not any(piece == ["third"] for batch in run.batches for piece in batch)
