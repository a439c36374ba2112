"""The digest command: files and folders of articles in, one trilingual digest out.

Exit status: 0 when every article is in the digest (missing translation packages
included: the digest is written with a notice); 3 when the digest was written but
some articles failed (each is named on stderr and listed in the output); 1 when the
run failed before writing anything (a missing input, a folder with no articles, a
bad option); 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, LibraryChoices, path
from .terms import add_glossary_options, settings_with_glossary

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from typing import Any

EXIT_SOME_FAILED = 3
_BY_SUFFIX = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


def register(commands: Any) -> None:
    digest = commands.add_parser(
        "digest",
        help="turn a pile of en/zh/ru articles into one trilingual digest",
        description="Summarise every article in its own language and translate its title and summary into "
        "every other language asked for, with the glossary enforced. Inputs are .txt and .md files (first "
        "line is the title), .html/.htm pages and .jsonl files (title, text, url, date per line), or "
        "folders of them. Exit status: 0 all articles in; 3 written, but some articles failed; 1 nothing "
        "written.",
    )
    digest.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders (searched recursively)")
    add_article_options(digest)
    digest.add_argument(
        "--format",
        choices=LibraryChoices("toolkit.digests", "FORMATS"),
        metavar="FORMAT",
        help="output format: %(choices)s (default: from the -o extension, else md)",
    )
    digest.add_argument("-o", "--output", type=path, metavar="FILE", help="write here (atomically) instead of stdout")
    digest.add_argument("--template", type=path, metavar="FILE", help="a Jinja2 template instead of the shipped one")
    digest.add_argument(
        "--sort",
        choices=LibraryChoices("toolkit.digests", "SORTS"),
        metavar="ORDER",
        default="input",
        help="article order: input (default) or date (newest first)",
    )
    digest.add_argument(
        "-v", "--verbose", action="store_true", help="name each missing translation package, not one line for all"
    )
    add_glossary_options(digest)
    digest.set_defaults(handler=run_digest)


def add_article_options(command: Any) -> None:
    """What every article gets, for the digest and the corpus alike: the languages, the summary's length."""
    command.add_argument(
        "--to", default="en,zh,ru", metavar="LANGS", dest="targets", help="languages, comma-separated (default: en,zh,ru)"
    )
    command.add_argument("--sentences", type=int, metavar="N", help="sentences per summary (default: 3)")


def run_digest(args: argparse.Namespace) -> int:
    from ..digests import digest
    from ..pipeline import missing_translations_line
    from ..text import normalize_targets, write_atomically
    from .progress import ProgressBar

    targets = normalize_targets(args.targets)
    settings = settings_with_glossary(args)
    bar = ProgressBar("digest", counter=_counter(len(targets)))
    try:
        result = digest(
            args.inputs, targets=targets, sentences=args.sentences, settings=settings, sort=args.sort, progress=bar
        )
    finally:
        bar.close()
    text = result.render(_format(args), args.template)
    if args.output is not None:
        write_atomically(args.output, text, what="the digest")
        written = len(result.articles) - len(result.failed)
        print(f"triglot: wrote {args.output}: {written} of {len(result.articles)} articles", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if result.notices:
        line = missing_translations_line(notice.target for notice in result.notices)
        print(f"triglot: notice: {line}" + ("" if args.verbose else "; --verbose names each pair"), file=sys.stderr)
        if args.verbose:
            for notice in result.notices:
                print(f"triglot: notice: {notice.message}", file=sys.stderr)
    for article in result.failed:
        print(f"triglot: failed: {article.error}", file=sys.stderr)
    return EXIT_SOME_FAILED if result.failed else EXIT_OK


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    for named in (args.output, args.template):
        if named is not None:
            suffixes = [s.lower() for s in named.suffixes]
            for suffix in reversed(suffixes):
                if suffix in _BY_SUFFIX:
                    return _BY_SUFFIX[suffix]
    return "md"


def _counter(languages: int) -> Any:
    def count(done: int, total: int | None) -> str:
        articles = (total or 0) - languages
        if done <= articles:
            return f"{done} of {articles} articles"
        return f"{articles} articles, {done - articles} of {languages} languages"

    return count
