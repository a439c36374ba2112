"""Entry point: the parser for every command, and errors turned into one line and an exit status.

A ``TriglotError`` becomes one line on stderr and exit status 1; bad usage is exit
status 2 (argparse's). Library modules are imported inside each command, so
``triglot --help`` starts without loading any language data or model.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence

from .._version import __version__
from ..errors import OutputFailed, TriglotError
from . import corpus, digest, doctor, manage, serve, terms, text
from .common import show_library_warnings

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from typing import TextIO

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
# How long an interrupted command waits for the engine batch it was running (seconds at most for any batch).
_BATCH_FINISH_S = 30.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _use_utf8_output()
    if argv is None:  # the real command, not a test calling in: a kill cleans up as Ctrl-C does
        signal.signal(signal.SIGTERM, _terminated)
    args = build_parser().parse_args(argv)
    show_library_warnings()
    handler: Callable[[argparse.Namespace], int] = args.handler
    stdout = sys.stdout
    sys.stdout = _Output(stdout)
    try:
        status = handler(args)
        sys.stdout.flush()  # a full disk shows here, not as a traceback at exit
        return status
    except TriglotError as error:
        print(f"triglot: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("triglot: interrupted", file=sys.stderr)
        _let_engine_batches_finish()
        return EXIT_INTERRUPTED
    finally:
        sys.stdout = stdout


class _Output:
    """Standard output while a command runs: a write that fails (``ENOSPC``, ``EPIPE``: a full disk, a reader
    gone) is an ``OutputFailed``, one line and exit status 1; what is left for it is dropped, so that
    Python's own flush at exit does not fail again with a traceback."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise self._failed(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise self._failed(error) from None

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)

    def _failed(self, error: OSError) -> OutputFailed:
        try:
            descriptor = self._stream.fileno()
        except (AttributeError, OSError, ValueError):
            pass  # not a real file (a test's capture): nothing flushes it at exit
        else:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, descriptor)
            os.close(devnull)
        return OutputFailed(f"cannot write to standard output ({error.strerror or error})", path="-")


def _let_engine_batches_finish() -> None:
    """An engine batch running when the command is interrupted ends first: exiting under it would abort the
    process (SIGABRT) rather than exit with status 130. Only where the command loaded the engine at all."""
    translation = sys.modules.get("toolkit.translation")
    if translation is not None:
        translation.finish_running_batches(_BATCH_FINISH_S)


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # finally blocks run: no temporary file is left behind


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command; each sub-command carries its handler."""
    parser = argparse.ArgumentParser(
        prog="triglot",
        description="Summarise news articles and translate the summaries among English, Chinese and Russian, offline.",
    )
    parser.add_argument("--version", action="version", version=f"triglot {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    text.register(commands)
    terms.register(commands)
    manage.register(commands)
    digest.register(commands)
    corpus.register(commands)
    serve.register(commands)
    doctor.register(commands)
    return parser


def _use_utf8_output() -> None:
    # Chinese and Russian must print even where the locale says ASCII (cron, CI).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
