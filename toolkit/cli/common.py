"""What every command shares: reading its input and printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_OK = 0


def add_input(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", nargs="?", default="-", metavar="FILE", help="a UTF-8 text file, or - for stdin")


def read_input(args: argparse.Namespace) -> str:
    from ..errors import InvalidOption
    from ..text import read_text

    if args.file == "-" and sys.stdin.isatty():
        raise InvalidOption("no input: give a FILE, or pipe text into standard input")
    return read_text(args.file)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
