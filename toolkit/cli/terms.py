"""The glossary commands: fix, check, validate, list."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from ..errors import InvalidOption
from .common import EXIT_OK, path, print_json

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from typing import Any

    from glossary import Glossary

    from ..settings import Settings

EXIT_NOT_PREFERRED = 1


def add_glossary_options(command: argparse.ArgumentParser) -> None:
    """--glossary FILE (repeatable) and --no-default-glossary, for every command that translates or checks."""
    command.add_argument(
        "--glossary",
        type=path,
        action="append",
        metavar="FILE",
        help="a glossary file (.tsv or .csv) merged over the shipped one; repeatable (also TRIGLOT_GLOSSARY)",
    )
    command.add_argument(
        "--no-default-glossary", action="store_true", help="use only the glossary files given, not the shipped one"
    )


def settings_with_glossary(args: argparse.Namespace, **overrides: Any) -> Settings:
    """Settings from the environment, with the command's glossary flags over them."""
    import dataclasses

    from ..settings import Settings

    settings = Settings.from_env(**overrides)
    return dataclasses.replace(
        settings,
        glossary=settings.glossary + tuple(args.glossary or ()),
        default_glossary=settings.default_glossary and not args.no_default_glossary,
    )


def load_glossary(args: argparse.Namespace) -> Glossary:
    from glossary import Glossary

    return Glossary.in_use(settings_with_glossary(args))


def register(commands: Any) -> None:
    glossary = commands.add_parser(
        "glossary",
        help="check, fix and list the domain glossary",
        description="The glossary keeps terms the same in English, Chinese and Russian.",
    )
    actions = glossary.add_subparsers(title="actions", metavar="ACTION", required=True)
    for name, handler, summary in (
        ("fix", run_fix, "put the preferred terms into a translation and print it"),
        ("check", run_check, "report each term of a translation; exit 1 if any is missing or not preferred"),
    ):
        action = actions.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        action.add_argument("--from", dest="source_language", metavar="L", help="language of the source")
        action.add_argument("--to", dest="target_language", metavar="L", help="language of the translation")
        action.add_argument("source", nargs="?", metavar="SOURCE", help="the source text")
        action.add_argument("translation", nargs="?", metavar="TRANSLATION", help="its translation")
        action.add_argument(
            "--jsonl",
            metavar="FILE",
            help='lines of {"source", "translation", "from"?, "to"?} (FILE or - for stdin); '
            'each output line adds "fixed" and "terms"',
        )
        add_glossary_options(action)
        action.set_defaults(handler=handler)

    validate = actions.add_parser(
        "validate", help="check a glossary file", description="Check a glossary file; every fault names its line."
    )
    validate.add_argument("file", type=path, metavar="FILE", help="a .tsv or .csv glossary")
    validate.set_defaults(handler=run_validate)

    listing = actions.add_parser("list", help="the concepts in use", description="List the glossary in use.")
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_glossary_options(listing)
    listing.set_defaults(handler=run_list)


def _pairs(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The (source, translation, from, to) items to work on, from the arguments or a JSONL file."""
    if args.jsonl is None:
        if args.source is None or args.translation is None:
            raise InvalidOption("give SOURCE and TRANSLATION, or --jsonl FILE")
        yield {"source": args.source, "translation": args.translation}
        return
    if args.source is not None:
        raise InvalidOption("give either SOURCE and TRANSLATION or --jsonl FILE, not both")
    import json

    from ..settings import Settings
    from ..text import read_text

    name = "standard input" if args.jsonl == "-" else args.jsonl
    text = read_text(args.jsonl, limit=Settings.from_env().max_input_bytes)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidOption(f"{name}:{number}: not JSON ({error.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("source"), str) or not isinstance(
            item.get("translation"), str
        ):
            raise InvalidOption(f'{name}:{number}: each line needs "source" and "translation" strings')
        yield item


def _languages(item: dict[str, Any], args: argparse.Namespace) -> tuple[str, str]:
    source, target = item.get("from") or args.source_language, item.get("to") or args.target_language
    if not source or not target:
        raise InvalidOption("say the languages: --from L --to L (or \"from\" and \"to\" in each JSONL line)")
    return str(source), str(target)


def _fixed(args: argparse.Namespace) -> Iterator[tuple[dict[str, Any], Any]]:
    glossary = load_glossary(args)
    for item in _pairs(args):
        source, target = _languages(item, args)
        yield item, glossary.fix(item["source"], item["translation"], source, target)


def run_fix(args: argparse.Namespace) -> int:
    for item, result in _fixed(args):
        if args.jsonl is None:
            print(result.text)
        else:
            print_json({**item, **result.to_dict()}, lines=True)
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    all_preferred = True
    for item, result in _fixed(args):
        all_preferred = all_preferred and result.all_preferred
        if args.jsonl is None:
            for term in result.terms:
                print(f"{term.status}\t{term.id}\t{term.source} → {term.expected}")
        else:
            print_json({**item, **result.to_dict()}, lines=True)
    return EXIT_OK if all_preferred else EXIT_NOT_PREFERRED


def run_validate(args: argparse.Namespace) -> int:
    from glossary import Glossary, conflicts, read_glossary

    entries = read_glossary(args.file)
    problems = conflicts(Glossary(entries))
    for problem in problems:
        print(f"triglot: error: {problem}", file=sys.stderr)
    if problems:
        return EXIT_NOT_PREFERRED
    print(f"{args.file}: {len(entries)} concepts, no faults")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    glossary = load_glossary(args)
    if args.format == "json":
        print_json(glossary.to_list())
    else:
        for entry in glossary.entries:
            print("\t".join([entry.id, entry.terms.get("en", ""), entry.terms.get("zh", ""), entry.terms.get("ru", "")]))
    return EXIT_OK
