"""The newcomer's path: README's two commands on a fresh clone, against ``pip install libretranslate``.

    python -m benchmarks.install [--runs 2] [--no-tests]

For each case, a fresh clone of this repository's HEAD (commit first: what is not
committed is not measured) in a temporary folder, then README's command run there
through ``bash``, timed as a whole; then the size of the virtual environment it made.
Each case runs with pip's cache warm (after one unmeasured warm-up run) and cold
(``PIP_NO_CACHE_DIR=1``: every wheel fetched from the index again). The reference is
LibreTranslate, the server our users would otherwise install, in the same run:
``python3 -m venv .venv && .venv/bin/pip install -q libretranslate``.

The main command includes ``triglot models install --all``: on a machine with no route
to the model index it fails at once and the digest is written without translations,
which is what a newcomer offline sees; the figure says which happened.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks._report import REPO, machine_line, write_section

LIBRE_NAME = "pip install libretranslate"
LIBRETRANSLATE = "python3 -m venv .venv && .venv/bin/pip install -q libretranslate"
MAIN_NAME = "README main command"
GOAL_BYTES = 1 << 30
GOAL_SECONDS = 60.0


def readme_commands() -> tuple[str, str]:
    """README's two set-up commands: the main job and the test run."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    main_job, tests = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    return main_job, tests


@dataclass(frozen=True)
class Case:
    name: str
    command: str
    venv: str
    clone: bool = True


@dataclass(frozen=True)
class Run:
    seconds: float
    venv_bytes: int
    returncode: int
    tail: str


def folder_bytes(folder: Path) -> int:
    """What ``du`` counts: the blocks the files take, each hard-linked file once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            status = os.lstat(os.path.join(root, name))
            if (status.st_dev, status.st_ino) not in seen:
                seen.add((status.st_dev, status.st_ino))
                total += status.st_blocks * 512
    return total


def run_case(case: Case, *, cold: bool) -> Run:
    environment = dict(os.environ)
    environment.pop("VIRTUAL_ENV", None)
    environment.pop("PIP_NO_CACHE_DIR", None)
    if cold:
        environment["PIP_NO_CACHE_DIR"] = "1"
    with tempfile.TemporaryDirectory(prefix="triglot-install-") as folder:
        work = Path(folder, "triglot")
        if case.clone:
            subprocess.run(["git", "clone", "-q", str(REPO), str(work)], check=True)
        else:
            work.mkdir()
        started = time.perf_counter()
        done = subprocess.run(["bash", "-c", case.command], cwd=work, env=environment,
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        venv = work / case.venv
        size = folder_bytes(venv) if venv.is_dir() else 0
    return Run(seconds, size, done.returncode, (done.stdout + done.stderr)[-600:])


def _median(runs: Sequence[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def _range(runs: Sequence[Run]) -> str:
    times = sorted(run.seconds for run in runs)
    return f"{times[0]:.0f}–{times[-1]:.0f}" if len(times) > 1 else f"{times[0]:.0f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.install", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="measured runs of each case and cache state (default: 2)")
    parser.add_argument("--no-tests", action="store_true", help="leave out README's test command (about 6 min a run)")
    parser.add_argument("--no-warmup", action="store_true", help="pip's cache is warm already: no unmeasured first run")
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        raise SystemExit("git is needed to clone the repository")
    main_job, tests = readme_commands()
    cases = [Case(MAIN_NAME, main_job, ".venv"), Case(LIBRE_NAME, LIBRETRANSLATE, ".venv", clone=False)]
    if not args.no_tests:
        cases.insert(1, Case("README test command", tests, ".venv-test"))
    results: dict[tuple[str, bool], list[Run]] = {}
    for case in [] if args.no_warmup else cases:
        print(f"{case.name}: warm-up", flush=True)
        run_case(case, cold=False)
    # Interleaved, so that a slow spell of the shared machine falls on every case alike.
    for round_number in range(args.runs):
        for cold in (False, True):
            for case in cases:
                run = run_case(case, cold=cold)
                results.setdefault((case.name, cold), []).append(run)
                state = "cold" if cold else "warm"
                print(f"round {round_number + 1} {case.name} ({state}): {run.seconds:.1f} s, "
                      f"{run.venv_bytes / 1e6:.0f} MB, exit {run.returncode}", flush=True)
                if run.returncode != 0 and case.name != MAIN_NAME:
                    print(run.tail)
    reference = {cold: _median(results[(LIBRE_NAME, cold)], "seconds") for cold in (False, True)}
    reference_bytes = _median(results[(LIBRE_NAME, False)], "venv_bytes")
    rows = []
    for case in cases:
        for cold in (False, True):
            runs = results[(case.name, cold)]
            seconds, size = _median(runs, "seconds"), _median(runs, "venv_bytes")
            rows.append(
                f"| {case.name} | {'cold' if cold else 'warm'} | {seconds:.0f} ({_range(runs)}) | "
                f"{seconds / reference[cold]:.2f}× | {size / 1e6:.0f} MB | {size / reference_bytes:.2f}× |"
            )
    main_runs = results[(MAIN_NAME, False)]
    offline = any("could not fetch the model index" in run.tail for run in main_runs)
    main_seconds, main_bytes = _median(main_runs, "seconds"), _median(main_runs, "venv_bytes")
    markdown = "\n".join([
        "## Install: the newcomer's path",
        "",
        f"`python -m benchmarks.install --runs {args.runs}{' --no-tests' if args.no_tests else ''}"
        f"{' --no-warmup' if args.no_warmup else ''}` "
        f"— {machine_line()}.",
        "Each case on a fresh clone in a temporary folder, timed as a whole (the virtual",
        "environment made, everything installed, then the command's own work); *warm*: pip's",
        "cache filled by an earlier run, *cold*: `PIP_NO_CACHE_DIR=1`. Seconds are the median",
        f"of {args.runs} interleaved runs (range in brackets); ratios against `pip install libretranslate`",
        "(LibreTranslate 1.9.6's server, the reference) in the same run and cache state.",
        "",
        "| case | pip cache | seconds | time vs LibreTranslate | environment | size vs LibreTranslate |",
        "|---|---|---:|---:|---:|---:|",
        *rows,
        "",
        f"Goals: the main command's environment ≤ 1 GB ({'met' if main_bytes <= GOAL_BYTES else 'missed'}: "
        f"{main_bytes / 1e6:.0f} MB) and ≤ {GOAL_SECONDS:.0f} s with a warm cache "
        f"({'met' if main_seconds <= GOAL_SECONDS else 'missed'}: {main_seconds:.0f} s).",
        "The main command's `triglot models install --all` "
        + ("had no route to the model index here, so it failed at once and the digest came out without "
           "translations (with its notice): the figure is install plus digest, not the packages' download."
           if offline else "downloaded the four packages: the figure includes the download."),
        "Before the switch from `argostranslate` to `argos-translate-lt` (issue 11) the main command's",
        "environment was 6.2 GB (torch, the CUDA wheels, triton, spaCy and stanza) and took over two minutes.",
    ])
    print(markdown)
    write_section("install", markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
