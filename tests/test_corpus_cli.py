"""`triglot corpus` as a user runs it: the summary line, exit codes, a folder that is not empty, the progress bar,
and a job killed with SIGKILL (or a lost worker process) then resumed, every article exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.test_corpus import write_feed
from tests.test_digest_cli import Terminal
from toolkit import Settings
from toolkit.cli import main
from toolkit.cli.progress import ProgressBar, throughput
from toolkit.corpora import read_lines, shard_paths

ROOT = Path(__file__).resolve().parent.parent
Captured = pytest.CaptureFixture[str]
# A job killed mid-way: long enough to outlive its first shard (a second or so per article on a busy machine).
KILLED_ARTICLES = 16
WAIT_S = 180.0


def start_corpus(feed: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "toolkit", "corpus", str(feed), "--to", "en,zh", "-o", str(out),
               "--batch-size", "1", "--shard-size", "1", *extra]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(condition: object, process: subprocess.Popen[bytes], what: str) -> None:
    """Poll ``condition`` (a callable) until it holds; fail after WAIT_S or when the process ends first."""
    deadline = time.monotonic() + WAIT_S
    while not condition():  # type: ignore[operator]
        if process.poll() is not None:
            pytest.fail(f"the job ended (status {process.returncode}) before {what}: {process.stderr.read()!r}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {what} within {WAIT_S} s")
        time.sleep(0.05)


def assert_every_article_once(out: Path, count: int) -> dict[str, int]:
    ids = Counter(str(line["id"]) for line in read_lines(out))
    assert [i for i, n in ids.items() if n != 1] == []
    assert set(ids) == {f"feed.jsonl:{n}" for n in range(1, count + 1)}
    counts: dict[str, int] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["articles"] == counts["ok"] + counts["failed"] == count
    assert counts["read"] == counts["written"] + counts["skipped"] + counts["duplicates"] == count
    return counts


def test_writes_shards_and_says_so_in_one_line(with_models: Settings, tmp_path: Path, capsys: Captured) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", 3)
    out = tmp_path / "out"
    assert main(["corpus", str(feed), "--to", "en", "-o", str(out), "--shard-size", "2"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()  # no progress bar: stderr is not a terminal
    assert line.startswith(f"triglot: wrote {out}: 3 articles in 2 shards (3 ok, 0 failed); this run 3 in ")
    assert "articles/s" in line
    assert [p.name for p in shard_paths(out)] == ["shard-00000.jsonl", "shard-00001.jsonl"]


def test_failed_articles_are_named_and_exit_3(with_models: Settings, tmp_path: Path, capsys: Captured) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", 1)
    with feed.open("a", encoding="utf-8") as handle:
        handle.write("{oops\n")
    assert main(["corpus", str(feed), "--to", "en", "-o", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err
    assert "(1 ok, 1 failed)" in err and f"triglot: failed: {feed}:2: not valid JSON" in err


def test_a_folder_with_shards_is_refused_without_resume_and_for_another_job(
    with_models: Settings, tmp_path: Path, capsys: Captured
) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", 2)
    out = tmp_path / "out"
    assert main(["corpus", str(feed), "--to", "en", "-o", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert main(["corpus", str(feed), "--to", "en", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (f"triglot: error: {out} already has 1 shards of a corpus job; pass --resume to carry on with it, "
                   "or give an empty folder\n")
    assert main(["corpus", str(feed), "--to", "en,ru", "-o", str(out), "--resume"]) == 1
    assert "made by a different job" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the refused runs changed nothing
    assert main(["corpus", str(feed), "--to", "en", "-o", str(out), "--resume"]) == 0
    assert "0 in" in capsys.readouterr().err and len(shard_paths(out)) == 1


def test_bad_options_are_one_line(tmp_path: Path, capsys: Captured) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", 1)
    assert main(["corpus", str(feed), "-o", str(tmp_path / "out"), "--workers", "0"]) == 1
    assert capsys.readouterr().err == "triglot: error: --workers must be at least 1, not 0\n"
    assert main(["corpus", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == f"triglot: error: {tmp_path / 'missing.jsonl'}: no such file or folder\n"
    assert not (tmp_path / "out").exists()  # nothing made for a job that cannot start


def test_the_progress_bar_counts_articles_with_their_rate_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("toolkit.cli.progress.time.monotonic", lambda: now[0])
    stream = Terminal()
    bar = ProgressBar("corpus", stream, counter=throughput("articles"))
    bar(0, 100)
    now[0] = 110.0
    bar(20, 100)
    assert stream.getvalue().endswith("20 of 100 articles, 2.0 articles/s, ETA 40s")


@pytest.mark.parametrize(
    ("kill", "status", "workers"),
    [(signal.SIGKILL, -signal.SIGKILL, "1"), (signal.SIGTERM, 130, "1"), (signal.SIGKILL, -signal.SIGKILL, "2")],
    ids=["SIGKILL", "SIGTERM", "SIGKILL-pool"],
)
def test_a_job_killed_ends_with_every_article_once_after_resume(
    with_models: Settings, tmp_path: Path, capsys: Captured, kill: signal.Signals, status: int, workers: str
) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", KILLED_ARTICLES)
    out = tmp_path / "out"
    process = start_corpus(feed, out, "--workers", workers)
    wait_for(lambda: len(shard_paths(out)) >= 1, process, "the first shard")
    pool = children(process.pid) if workers != "1" else []
    try:
        process.send_signal(kill)
        _, err = process.communicate(timeout=60)
        assert process.returncode == status, err
        assert b"Traceback" not in err
        # A pool's workers end with their driver, even one killed without a chance to stop them.
        deadline = time.monotonic() + 30
        while [pid for pid in pool if alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in pool if alive(pid)] == []
    finally:
        for pid in pool:  # a failing run leaves no process behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    killed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert killed["complete"] is False
    written = len(list(read_lines(out)))
    assert 1 <= written < KILLED_ARTICLES  # killed mid-job, not after it
    assert main(["corpus", str(feed), "--to", "en,zh", "-o", str(out), "--resume", "--shard-size", "1"]) == 0
    counts = assert_every_article_once(out, KILLED_ARTICLES)
    assert counts["skipped"] == written and counts["written"] == KILLED_ARTICLES - written
    assert f"{written} already written" in capsys.readouterr().err


def test_a_lost_worker_process_stops_the_job_which_resumes(with_models: Settings, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", KILLED_ARTICLES)
    out = tmp_path / "out"
    process = start_corpus(feed, out, "--workers", "2")
    wait_for(lambda: len(shard_paths(out)) >= 1, process, "the first shard")
    (worker, *_) = children(process.pid)
    os.kill(worker, signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert b"a worker process of the corpus job stopped" in err and b"--resume" in err
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["complete"] is False
    assert main(["corpus", str(feed), "--to", "en,zh", "-o", str(out), "--resume", "--workers", "2"]) == 0
    assert_every_article_once(out, KILLED_ARTICLES)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the pool's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    # The pool's workers: spawn also starts a resource tracker, which is not one.
    workers = [c for c in found if "resource_tracker" not in (Path("/proc") / str(c) / "cmdline").read_bytes().decode(errors="replace")]
    assert workers, f"no worker process under {pid}"
    return sorted(workers)


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"
