"""The corpus command: files, folders and .jsonl feeds of articles in, JSONL shards and a manifest out.

Exit status: 0 when every article is in the shards as a summary; 3 when the job finished
but some articles failed (their lines hold the error; the first are named on stderr); 1
when the job could not start or stopped (a missing input, a folder that has shards
without --resume, a lost worker: what was written is kept); 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, path
from .digest import EXIT_SOME_FAILED, add_article_options
from .terms import add_glossary_options

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: the command line starts fast
if TYPE_CHECKING:
    from typing import Any

# Failures named on stderr at the end; the manifest lists more, and every one is a line in the shards.
SHOWN_FAILURES = 10


def register(commands: Any) -> None:
    corpus = commands.add_parser(
        "corpus",
        help="summarise and translate a whole corpus into JSONL shards, resumably",
        description="Summarise every article in its own language and translate its title and summary into every "
        "other language asked for, with the glossary enforced, into JSONL shards in OUTDIR (one line per article, "
        "the digest JSON's article with an 'id') and a manifest.json. Inputs as for 'triglot digest'; a .jsonl "
        "is read line by line, so it may be of any size. Killed, it carries on with --resume, every article "
        "exactly once. Exit status: 0 all articles in; 3 done, but some articles failed; 1 stopped.",
    )
    corpus.add_argument("inputs", nargs="+", metavar="INPUT", help="article files, .jsonl feeds or folders")
    add_article_options(corpus)
    corpus.add_argument("-o", "--output", type=path, required=True, metavar="OUTDIR", help="the folder for the shards")
    corpus.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes on this machine (default: 1, this process); with --ray, actors on the cluster "
        "(default: as many as its CPUs hold)",
    )
    corpus.add_argument(
        "--ray",
        nargs="?",
        const="auto",
        metavar="ADDRESS",
        help="run on a Ray cluster: the one running on this machine (no ADDRESS, or auto) or the one whose head "
        "is at ADDRESS (HOST:PORT); needs pip install 'triglot[ray]'",
    )
    corpus.add_argument(
        "--resume", action="store_true", help="carry on the job in OUTDIR, skipping the articles already written"
    )
    corpus.add_argument("--batch-size", type=int, metavar="N", help="articles per batch a worker translates together (default: 32)")
    corpus.add_argument("--shard-size", type=int, metavar="N", help="lines per shard file (default: 1000)")
    add_glossary_options(corpus)
    corpus.set_defaults(handler=run_corpus)


def run_corpus(args: argparse.Namespace) -> int:
    from ..corpora import DEFAULT_BATCH_SIZE, DEFAULT_SHARD_SIZE, RayEngine, corpus
    from ..pipeline import missing_translations_line
    from ..text import normalize_targets
    from .progress import ProgressBar, throughput
    from .terms import settings_with_glossary

    targets = normalize_targets(args.targets)
    settings = settings_with_glossary(args)
    # On a cluster Ray Data draws its own progress (per operator, with the cluster's resources): one bar only.
    engine = RayEngine(args.ray, workers=args.workers) if args.ray is not None else None
    bar = ProgressBar("corpus", counter=throughput("articles"), delay=0.5)
    try:
        manifest = corpus(
            args.inputs,
            out=args.output,
            targets=targets,
            sentences=args.sentences,
            workers=args.workers if args.workers is not None else 1,
            resume=args.resume,
            engine=engine,
            settings=settings,
            progress=bar if engine is None else None,
            batch_size=args.batch_size or DEFAULT_BATCH_SIZE,
            shard_size=args.shard_size or DEFAULT_SHARD_SIZE,
        )
    finally:
        bar.close()
    counts = manifest.counts
    seconds = manifest.timings.get("total", 0.0)
    rate = counts.written / seconds if seconds > 0 else 0.0
    skipped = f", {counts.skipped} already written" if counts.skipped else ""
    duplicates = f", {counts.duplicates} duplicate ids skipped" if counts.duplicates else ""
    print(
        f"triglot: wrote {args.output}: {counts.articles} articles in {len(manifest.shards)} shards "
        f"({counts.ok} ok, {counts.failed} failed); this run {counts.written} in {seconds:.1f} s "
        f"({rate:.2f} articles/s){skipped}{duplicates}",
        file=sys.stderr,
    )
    if manifest.missing_translations:
        missing = {key.partition(">")[2] for key in manifest.missing_translations}
        print(f"triglot: notice: {missing_translations_line(missing)}", file=sys.stderr)
    for failure in manifest.failures[:SHOWN_FAILURES]:
        print(f"triglot: failed: {failure['error']}", file=sys.stderr)
    if counts.failed > SHOWN_FAILURES:
        print(
            f"triglot: ... and {counts.failed - SHOWN_FAILURES} more failed; each is a line with its error "
            f"(the first are in {args.output / 'manifest.json'})",
            file=sys.stderr,
        )
    return EXIT_SOME_FAILED if counts.failed else EXIT_OK
