"""Files in and out: only regular files are read, and only so much; ``-o`` writes a regular file, through
links; standard output that cannot be written is one line. Commands that could hang run in a subprocess
with a timeout, so that a regression fails instead of stalling the suite."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_digest import write_articles
from toolkit.cli import main
from toolkit.errors import OutputFailed, UnreadableInput
from toolkit.text import read_bytes, write_atomically

Captured = pytest.CaptureFixture[str]
SENTENCE = "Trade between small firms in Harbin and Khabarovsk grew again this year.\n"
TIMEOUT_S = 60


def triglot(
    *arguments: str, stdout: int = subprocess.PIPE, stdin: int | None = None, **environment: str
) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, as a user runs it."""
    command = [sys.executable, "-c", "import sys; from toolkit.cli import main; sys.exit(main())", *arguments]
    return subprocess.run(command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=TIMEOUT_S,
                          check=False, env={**os.environ, **environment})


def test_a_fifo_given_to_a_text_command_is_one_error_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    for command in (["detect"], ["summarize"], ["translate", "--to", "zh"]):
        done = triglot(*command, str(fifo))
        assert done.returncode == 1, done.stderr
        assert done.stderr == f"triglot: error: {fifo} is a named pipe (FIFO), not a regular file; give a text file\n"
    done = triglot("glossary", "check", "--jsonl", str(fifo))
    assert done.returncode == 1 and "named pipe (FIFO)" in done.stderr and "Traceback" not in done.stderr


def test_a_fifo_and_a_link_to_dev_zero_in_a_digest_folder_are_two_failed_articles(tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "in")
    os.mkfifo(articles / "waiting.txt")
    (articles / "endless.txt").symlink_to("/dev/zero")
    out = tmp_path / "digest.json"
    done = triglot("digest", str(articles), "--to", "en", "-o", str(out))
    assert done.returncode == 3, done.stderr
    assert f"triglot: failed: {articles / 'waiting.txt'} is a named pipe (FIFO)" in done.stderr
    assert f"triglot: failed: {articles / 'endless.txt'} is a device, not a regular file" in done.stderr
    assert out.stat().st_size > 0


def test_input_over_the_size_cap_is_refused_from_files_and_standard_input(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(SENTENCE * 4, encoding="utf-8")
    limit = len(SENTENCE) * 2
    done = triglot("detect", str(article), TRIGLOT_MAX_INPUT_BYTES=str(limit))
    assert done.returncode == 1
    assert done.stderr == (f"triglot: error: {article} is larger than {limit} bytes (TRIGLOT_MAX_INPUT_BYTES); "
                           "split it, or raise the limit\n")
    with article.open("rb") as stdin:
        piped = triglot("detect", "-", stdin=stdin.fileno(), TRIGLOT_MAX_INPUT_BYTES=str(limit))
    assert piped.returncode == 1 and "standard input is larger than" in piped.stderr
    assert triglot("detect", str(article), TRIGLOT_MAX_INPUT_BYTES=str(limit * 2)).returncode == 0
    with pytest.raises(UnreadableInput, match="larger than 10 bytes"):
        read_bytes(article, limit=10)


def test_output_through_a_symbolic_link_replaces_the_target_and_keeps_the_link_and_mode(tmp_path: Path) -> None:
    target = tmp_path / "published" / "digest.md"
    target.parent.mkdir()
    target.write_text("last week", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "digest.md"
    link.symlink_to(target)
    write_atomically(link, "this week", what="the digest")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == "this week"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_output_to_a_fifo_folder_or_device_is_refused_and_left_alone(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "out.md"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
        except PermissionError:
            pytest.skip("making a device node needs root (CI runs as root)")
    mode = path.lstat().st_mode
    with pytest.raises(OutputFailed, match="give the path of a regular file to write the digest to"):
        write_atomically(path, "text", what="the digest")
    assert path.lstat().st_mode == mode
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary file left


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "digest.md"
    stale = tmp_path / ".digest.md.999999999.triglot-tmp"  # no such process
    stale.write_text("half a digest", encoding="utf-8")
    write_atomically(out, "whole", what="the digest")
    assert not stale.exists() and out.read_text(encoding="utf-8") == "whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.md"]


def test_a_running_writers_temporary_file_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "digest.md"
    running = tmp_path / f".digest.md.{os.getppid()}.triglot-tmp"  # our parent is alive
    running.write_text("another run, still writing", encoding="utf-8")
    write_atomically(out, "whole", what="the digest")
    assert running.exists()


@pytest.mark.parametrize("command", [["detect"], ["summarize"], ["digest", "--to", "en"]])
def test_a_full_standard_output_is_one_line_and_exit_1(tmp_path: Path, command: list[str]) -> None:
    if command[0] == "digest":
        source = str(write_articles(tmp_path / "in"))
    else:
        article = tmp_path / "article.txt"
        article.write_text(SENTENCE * 3, encoding="utf-8")
        source = str(article)
    with open("/dev/full", "w") as full:
        done = triglot(*command[:1], source, *command[1:], stdout=full.fileno())
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if "notice" not in line]
    assert errors == ["triglot: error: cannot write to standard output (No space left on device)"]


def test_in_process_a_failed_stdout_is_an_error_line_too(tmp_path: Path, capsys: Captured,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "article.txt"
    article.write_text(SENTENCE, encoding="utf-8")

    class Full:
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stdout", Full())
    assert main(["detect", str(article)]) == 1
    assert capsys.readouterr().err == "triglot: error: cannot write to standard output (No space left on device)\n"
