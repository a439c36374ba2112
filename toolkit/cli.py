"""The ``triglot`` command line: a thin adapter over the library.

A ``TriglotError`` becomes one line on stderr and exit status 1; bad usage is exit
status 2 (argparse's). Library modules are imported inside each command, so
``triglot --help`` starts without loading any language model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .errors import TriglotError, UndetectedLanguage

EXIT_OK = 0
EXIT_ERROR = 1
FORMATS_DETECT = ("text", "json")
FORMATS_SUMMARY = ("text", "json", "md")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _use_utf8_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except TriglotError as error:
        print(f"triglot: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("triglot: interrupted", file=sys.stderr)
        return 130
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

    detect = commands.add_parser(
        "detect",
        help="tell the language of a text",
        description="Tell the language of a text: an ISO 639-1 code, a confidence and whether triglot supports it.",
    )
    _add_input(detect)
    detect.add_argument("--format", choices=FORMATS_DETECT, default="text", help="output format (default: text)")
    detect.set_defaults(handler=_run_detect)

    from .summarize_engines import ALGORITHMS

    summarize = commands.add_parser(
        "summarize",
        help="pick the sentences that best sum up an article",
        description="Summarise an article in its own language by picking its most representative sentences.",
    )
    _add_input(summarize)
    length = summarize.add_mutually_exclusive_group()
    length.add_argument("--sentences", type=int, metavar="N", help="number of sentences (default: 3)")
    length.add_argument("--ratio", type=float, metavar="R", help="share of the article's sentences, 0 < R <= 1")
    summarize.add_argument(
        "--algorithm", choices=ALGORITHMS, metavar="A", help=f"ranking algorithm: {', '.join(ALGORITHMS)}"
    )
    summarize.add_argument("--language", metavar="L", help="en, zh or ru (default: detected)")
    summarize.add_argument("--format", choices=FORMATS_SUMMARY, default="text", help="output format (default: text)")
    summarize.set_defaults(handler=_run_summarize)
    return parser


def _add_input(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", nargs="?", default="-", metavar="FILE", help="a UTF-8 text file, or - for stdin")


def _read_input(args: argparse.Namespace) -> str:
    from .errors import InvalidOption
    from .textio import read_text

    if args.file == "-" and sys.stdin.isatty():
        raise InvalidOption("no input: give a FILE, or pipe text into standard input")
    return read_text(args.file)


def _run_detect(args: argparse.Namespace) -> int:
    from .detect import detect

    text = _read_input(args)
    found = detect(text)
    if found.language == "und":
        raise UndetectedLanguage("could not tell the language: the input has too few letters")
    if args.format == "json":
        _print_json({"language": found.language, "confidence": found.confidence, "supported": found.supported})
    else:
        support = "supported" if found.supported else "not supported (triglot works in en, zh, ru)"
        print(f"{found.language}\t{found.confidence:.2f}\t{support}")
    return EXIT_OK


def _run_summarize(args: argparse.Namespace) -> int:
    from .settings import Settings
    from .summarize import summarize

    text = _read_input(args)
    summary = summarize(
        text,
        language=args.language,
        sentences=args.sentences,
        ratio=args.ratio,
        algorithm=args.algorithm,
        settings=Settings.from_env(),
    )
    if args.format == "json":
        _print_json(summary.to_dict())
    elif args.format == "md":
        heading = f"## {summary.title}\n\n" if summary.title else ""
        bullets = "\n".join(f"- {s.text}" for s in summary.sentences)
        print(f"{heading}{bullets}\n\n*{len(summary.sentences)} of {summary.total_sentences} sentences, "
              f"{summary.language}, {summary.algorithm}*")
    else:
        for sentence in summary.sentences:
            print(sentence.text)
    return EXIT_OK


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _use_utf8_output() -> None:
    # Chinese and Russian must print even where the locale says ASCII (cron, CI).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
