"""Commands that work on a text: detect, summarize, translate."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, LibraryChoices, add_input, path, print_json, read_input
from .terms import add_glossary_options, settings_with_glossary

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from typing import Any

FORMATS_DETECT = ("text", "json")
FORMATS_SUMMARY = ("text", "json", "md")
FORMATS_TRANSLATE = ("text", "json")
# Documents that cannot be printed: translating one needs -o.
BINARY_DOCUMENTS = (".docx",)


def register(commands: Any) -> None:
    detect = commands.add_parser(
        "detect",
        help="tell the language of a text",
        description="Tell the language of a text: an ISO 639-1 code, a confidence and whether triglot supports it.",
    )
    add_input(detect)
    detect.add_argument("--format", choices=FORMATS_DETECT, default="text", help="output format (default: text)")
    detect.set_defaults(handler=run_detect)

    summarize = commands.add_parser(
        "summarize",
        help="pick the sentences that best sum up an article",
        description="Summarise an article in its own language by picking its most representative sentences.",
    )
    add_input(summarize)
    length = summarize.add_mutually_exclusive_group()
    length.add_argument("--sentences", type=int, metavar="N", help="number of sentences (default: 3)")
    length.add_argument("--ratio", type=float, metavar="R", help="share of the article's sentences, 0 < R <= 1")
    summarize.add_argument(
        "--algorithm",
        choices=LibraryChoices("toolkit.summarization", "ALGORITHMS"),
        metavar="A",
        help="ranking algorithm: %(choices)s"
    )
    summarize.add_argument("--language", metavar="L", help="en, zh or ru (default: detected)")
    summarize.add_argument("--format", choices=FORMATS_SUMMARY, default="text", help="output format (default: text)")
    summarize.set_defaults(handler=run_summarize)

    translate = commands.add_parser(
        "translate",
        help="translate a text among English, Chinese and Russian",
        description="Translate a text with the installed packages (see 'triglot models'). "
        "Chinese and Russian translate to each other through English.",
    )
    add_input(translate)
    translate.add_argument("--to", required=True, metavar="L", dest="target", help="target language: en, zh or ru")
    translate.add_argument(
        "--from", default="auto", metavar="L", dest="source", help="source language: en, zh, ru or auto (default)"
    )
    translate.add_argument("--format", choices=FORMATS_TRANSLATE, default="text", help="output format (default: text)")
    translate.add_argument("--no-cache", action="store_true", help="neither read nor write the translation cache")
    translate.add_argument(
        "-o",
        "--output",
        type=path,
        metavar="OUT",
        help="translate FILE as a document (.txt, .md, .html, .docx; layout and formatting kept) and write it "
        "to OUT, same extension; needed for .docx",
    )
    add_glossary_options(translate)
    translate.set_defaults(handler=run_translate)


def run_detect(args: argparse.Namespace) -> int:
    from ..detection import detect_known

    found = detect_known(read_input(args))
    if args.format == "json":
        print_json(found.to_dict())
    else:
        support = "supported" if found.supported else "not supported (triglot works in en, zh, ru)"
        print(f"{found.language}\t{found.confidence:.2f}\t{support}")
    return EXIT_OK


def run_summarize(args: argparse.Namespace) -> int:
    from ..settings import Settings
    from ..summarization import summarize

    summary = summarize(
        read_input(args),
        language=args.language,
        sentences=args.sentences,
        ratio=args.ratio,
        algorithm=args.algorithm,
        settings=Settings.from_env(),
    )
    if args.format == "json":
        print_json(summary.to_dict())
    elif args.format == "md":
        print(summary.to_markdown())
    else:
        for sentence in summary.sentences:
            print(sentence.text)
    return EXIT_OK


def run_translate(args: argparse.Namespace) -> int:
    from ..translation import Budget, spending, translate_detailed
    from .progress import ProgressBar, items

    settings = settings_with_glossary(args, cache=False if args.no_cache else None)
    if args.output is not None or args.file.lower().endswith(BINARY_DOCUMENTS):
        return _translate_document(args, settings)
    text = read_input(args)
    # On a terminal only, and only for input long enough to take a second.
    bar = ProgressBar("translate", counter=items("tokens"), delay=1.0)
    try:
        with spending(Budget(progress=bar)):
            (translation,) = translate_detailed([text], target=args.target, source=args.source, settings=settings)
    finally:
        bar.close()
    if args.format == "json":
        print_json(translation.to_dict())
    else:
        print(translation.text)
    return EXIT_OK


def _translate_document(args: argparse.Namespace, settings: Any) -> int:
    """``translate FILE -o OUT``: the document translated into OUT, written whole or not at all."""
    from pathlib import Path

    from ..documents import translate_file
    from ..errors import InvalidOption
    from ..translation import Budget, spending
    from .progress import ProgressBar, items

    if args.file == "-":
        raise InvalidOption("-o writes a translated document: give the document as FILE, not standard input")
    source = Path(args.file)
    if args.output is None:
        raise InvalidOption(f"{source} is a {source.suffix} document: give -o OUT{source.suffix} to write its translation")
    bar = ProgressBar("translate", counter=items("tokens"), delay=1.0)
    try:
        with spending(Budget(progress=bar)):
            translated = translate_file(source, args.output, target=args.target, source=args.source, settings=settings)
    finally:
        bar.close()
    if args.format == "json":
        print_json(
            {
                "source": translated.source,
                "target": translated.target,
                "output": str(args.output),
                "characters": translated.characters,
                "terms": [term.to_dict() for term in translated.terms],
            }
        )
    else:
        print(f"wrote {args.output} ({translated.source}→{translated.target})")
    return EXIT_OK
