"""Commands that look after triglot's data: translation packages and the translation cache."""

from __future__ import annotations

import argparse
import sys

from ..errors import InvalidOption
from .common import EXIT_OK, path, print_json

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json")
EXIT_CACHE_UNUSABLE = 1


def register(commands: Any) -> None:
    models = commands.add_parser(
        "models",
        help="list, install and remove translation packages",
        description="Translation packages (Argos Translate .argosmodel files), kept under TRIGLOT_HOME.",
    )
    actions = models.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the installed packages", description="List the installed packages.")
    listing.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    listing.set_defaults(handler=run_models_list)

    install = actions.add_parser(
        "install",
        help="install a package from the model index or a file",
        description="Install the package for FROM TO from the model index (TRIGLOT_MODEL_INDEX, by default "
        "the public Argos Translate index), every package triglot needs (--all), or a file (--file).",
    )
    install.add_argument("source", nargs="?", metavar="FROM", help="source language: en, zh or ru")
    install.add_argument("target", nargs="?", metavar="TO", help="target language: en, zh or ru")
    install.add_argument("--file", type=path, metavar="PATH", help="an .argosmodel file to install, offline")
    install.add_argument("--all", action="store_true", help="en→zh, zh→en, en→ru and ru→en")
    install.set_defaults(handler=run_models_install)

    remove = actions.add_parser("remove", help="remove a package", description="Remove the package for FROM TO.")
    remove.add_argument("source", metavar="FROM", help="source language")
    remove.add_argument("target", metavar="TO", help="target language")
    remove.set_defaults(handler=run_models_remove)

    cache = commands.add_parser(
        "cache",
        help="see or empty the translation cache",
        description="The SQLite cache of translated sentences, under TRIGLOT_HOME.",
    )
    cache_actions = cache.add_subparsers(title="actions", metavar="ACTION", required=True)
    stats = cache_actions.add_parser("stats", help="entries and size", description="How big the cache is.")
    stats.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    stats.set_defaults(handler=run_cache_stats)
    clear = cache_actions.add_parser("clear", help="delete every entry", description="Empty the cache.")
    clear.set_defaults(handler=run_cache_clear)


def run_models_list(args: argparse.Namespace) -> int:
    from ..settings import Settings
    from ..translation import list_models

    models = list_models(Settings.from_env())
    if args.format == "json":
        print_json([m.to_dict() for m in models])
    elif not models:
        print("no translation packages installed; run 'triglot models install --all'", file=sys.stderr)
    else:
        for model in models:
            print(f"{model.source}\t{model.target}\t{model.version}\t{model.path}")
    return EXIT_OK


def run_models_install(args: argparse.Namespace) -> int:
    from ..settings import Settings
    from ..translation import ALL_DIRECTIONS, install_from_file, install_from_index
    from .progress import ProgressBar

    given = [args.file is not None, args.all, args.source is not None]
    if sum(given) != 1 or (args.source is not None and args.target is None):
        raise InvalidOption("say what to install: FROM TO (e.g. 'en zh'), --all, or --file PATH.argosmodel")
    settings = Settings.from_env()
    if args.file is not None:
        installed = [install_from_file(args.file, settings)]
    else:
        directions = ALL_DIRECTIONS if args.all else [(args.source, args.target)]
        installed = []
        for source, target in directions:
            bar = ProgressBar(f"{source}→{target}")
            try:
                installed.append(install_from_index(source, target, settings, progress=bar))
            finally:
                bar.close()
    for model in installed:
        print(f"installed {model.source}→{model.target} {model.version} in {model.path}")
    return EXIT_OK


def run_models_remove(args: argparse.Namespace) -> int:
    from ..settings import Settings
    from ..translation import remove_model

    model = remove_model(args.source, args.target, Settings.from_env())
    print(f"removed {model.source}→{model.target} {model.version}")
    return EXIT_OK


def run_cache_stats(args: argparse.Namespace) -> int:
    from ..settings import Settings
    from ..translation import new_cache

    stats = new_cache(Settings.from_env()).stats()
    if args.format == "json":
        print_json(stats.to_dict())
    else:
        print(f"{stats.entries} cached sentences, {stats.size_bytes / 1024:.0f} KiB, in {stats.path}")
        if stats.problem is not None:
            print(f"the cache is not in use: {stats.problem}")
    return EXIT_OK if stats.problem is None else EXIT_CACHE_UNUSABLE


def run_cache_clear(args: argparse.Namespace) -> int:
    from ..settings import Settings
    from ..translation import new_cache

    settings = Settings.from_env()
    cache = new_cache(settings)
    if settings.redis_url:  # nothing to repair there: Redis answers or it does not
        removed = cache.clear()
        if cache.problem is not None:
            print(f"the cache could not be cleared: {cache.problem}", file=sys.stderr)
            return EXIT_CACHE_UNUSABLE
        print(f"removed {removed} cached sentences")
        return EXIT_OK
    damaged = cache.stats().problem
    removed = cache.clear()
    if damaged is None:
        print(f"removed {removed} cached sentences")
    elif cache.problem is None:
        print("removed the damaged cache; a new one starts with the next translation")
    else:
        print(f"the cache could not be repaired: {cache.problem}", file=sys.stderr)
        return EXIT_CACHE_UNUSABLE
    return EXIT_OK
