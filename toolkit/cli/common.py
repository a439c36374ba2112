"""What every command shares: reading its input, printing JSON, paths, choices the library owns, and the
library's warnings on stderr.

Nothing here is imported before it is used (json, pathlib): ``triglot --help`` stays a fast start."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

EXIT_OK = 0
_WARNINGS = "triglot-warnings-on-stderr"


class LibraryChoices:
    """An option's choices as a library package names them (``LibraryChoices("toolkit.digests", "FORMATS")``),
    read only when argparse checks a value or prints the command's help: ``triglot --help`` imports no stage.
    Give the option a ``metavar``, and ``%(choices)s`` in its help, so argparse reads them no sooner."""

    def __init__(self, package: str, name: str) -> None:
        self._package = package
        self._name = name

    def _values(self) -> tuple[str, ...]:
        import importlib

        return tuple(getattr(importlib.import_module(self._package), self._name))

    def __contains__(self, value: object) -> bool:
        return value in self._values()

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())


def add_input(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", nargs="?", default="-", metavar="FILE", help="a UTF-8 text file, or - for stdin")


def read_input(args: argparse.Namespace) -> str:
    from ..errors import InvalidOption
    from ..settings import Settings
    from ..text import read_text

    if args.file == "-" and sys.stdin.isatty():
        raise InvalidOption("no input: give a FILE, or pipe text into standard input")
    return read_text(args.file, limit=Settings.from_env().max_input_bytes)


def print_json(data: Any, *, lines: bool = False) -> None:
    """``data`` as JSON on stdout: indented, or on one line (``lines``, for JSONL output)."""
    import json

    print(json.dumps(data, ensure_ascii=False, indent=None if lines else 2))


def path(value: str) -> Path:
    """An option's file path (argparse ``type``)."""
    from pathlib import Path

    return Path(value)


def show_library_warnings() -> None:
    """The library logs what it works around (a damaged cache, once); on the command line that is a line on
    stderr. Registered once per process, writing to whatever ``sys.stderr`` is when a warning comes."""
    import logging

    library = logging.getLogger("toolkit")
    if any(handler.get_name() == _WARNINGS for handler in library.handlers):
        return

    class StderrLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            print(f"triglot: warning: {record.getMessage()}", file=sys.stderr)

    handler = StderrLine(logging.WARNING)
    handler.set_name(_WARNINGS)
    library.addHandler(handler)
