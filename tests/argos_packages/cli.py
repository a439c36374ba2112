"""The command line that builds the tiny packages in a fresh process, as a user would.

    python -m tests.argos_packages --out DIR [--version 1.0]

Prints the paths of the packages written on stdout, one a line, and progress on stderr.
``benchmarks/make_models.py`` adds its ``--size`` and ``--check`` over the same pieces.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.argos_packages.build import Pair, Progress
from tests.argos_packages.tiny import build_tiny_packages


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out`` and ``--version``, which every package build takes."""
    parser.add_argument("--out", type=Path, required=True, help="folder to write the .argosmodel files into")
    parser.add_argument("--version", default="1.0", help="package_version in metadata.json (default 1.0)")


def report_progress(message: str) -> None:
    """Progress goes to stderr, so that stdout holds only the packages' paths."""
    print(message, file=sys.stderr, flush=True)


def build_and_print(build: Callable[[Progress], dict[Pair, Path]]) -> dict[Pair, Path]:
    """Run ``build`` reporting progress, say how long it took and how big, print each path."""
    started = time.perf_counter()
    built = build(report_progress)
    seconds = time.perf_counter() - started
    megabytes = sum(path.stat().st_size for path in built.values()) / 1e6
    report_progress(f"built {len(built)} packages in {seconds:.1f} s, {megabytes:.1f} MB in all")
    for path in built.values():
        print(path)
    return built


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.argos_packages",
        description="Build the tests' tiny .argosmodel packages (models that copy their input).",
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    build_and_print(lambda progress: build_tiny_packages(args.out, progress=progress, version=args.version))
    return 0
