"""Entry point: the parser for every command, and errors turned into one line and an exit status.

A ``TriglotError`` becomes one line on stderr and exit status 1; bad usage is exit
status 2 (argparse's). Library modules are imported inside each command, so
``triglot --help`` starts without loading any language data or model.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .._version import __version__
from ..errors import TriglotError
from . import digest, doctor, manage, serve, terms, text
from .common import EXIT_OK

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _use_utf8_output()
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except TriglotError as error:
        print(f"triglot: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("triglot: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing left to say.
        sys.stderr.close()
        return EXIT_OK


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
    serve.register(commands)
    doctor.register(commands)
    return parser


def _use_utf8_output() -> None:
    # Chinese and Russian must print even where the locale says ASCII (cron, CI).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
