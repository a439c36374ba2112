"""How long the command line takes to start, against a bare Python start in the same run.

    python -m benchmarks.startup [--runs 30]

Runs ``python -c pass`` and ``triglot --help`` (then ``triglot detect`` on one
sentence) in turn, pair by pair, each as a new process, with the ``triglot`` script
installed beside the Python that runs this benchmark; quotes medians and the ratio of
each command to the bare start. The facade loads nothing at import and the CLI's
commands import the library inside their handlers, so ``--help`` should stay within 3×
of a bare start (the goal set when the CLI was founded).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks._report import machine_line, write_section

GOAL = 3.0
SENTENCE = "Trade between small firms in Harbin and Khabarovsk grew again this year.\n"


def _seconds(command: Sequence[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Every command ``runs`` times, interleaved, after one warm-up round (the file cache)."""
    for command in commands.values():
        _seconds(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_seconds(command))
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="rounds of every command (default: 30)")
    args = parser.parse_args(argv)
    triglot = Path(sys.executable).with_name("triglot")
    if not triglot.exists():
        sys.exit(f"no triglot script beside {sys.executable}; install the project into this environment first")
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder, "article.txt")
        article.write_text(SENTENCE, encoding="utf-8")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "triglot --help": [str(triglot), "--help"],
            "triglot detect article.txt": [str(triglot), "detect", str(article)],
        }
        times = measure(commands, args.runs)
    bare = statistics.median(times["python -c pass"])
    rows = []
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / bare
        rows.append(f"| `{name}` | {median * 1000:.0f} | {min(values) * 1000:.0f} | {max(values) * 1000:.0f} | {ratio:.2f}× |")
        print(f"{name:30} median {median * 1000:6.1f} ms  ({ratio:.2f}× bare)")
    help_ratio = statistics.median(times["triglot --help"]) / bare
    verdict = "within" if help_ratio <= GOAL else "over"
    write_section(
        "startup",
        f"""## Start-up

Command: `python -m benchmarks.startup --runs {args.runs}` ({machine_line()}), in README's `.venv` (the
project installed with `pip install .`; an editable install adds its import hook to both commands). Each command is a new process; the rounds interleave them, so the ratio to
`python -c pass` holds however loaded the machine is.

| command | median ms | min ms | max ms | against a bare start |
|---|---:|---:|---:|---:|
{chr(10).join(rows)}

`triglot --help` is {help_ratio:.2f}× a bare Python start: {verdict} the {GOAL:g}× goal. `import toolkit` loads
only `toolkit._version` (the facade loads each name on first use), and each command imports the library
inside its handler, so `--help` builds the parser and nothing else; `triglot detect` pays for the detector's
profiles and word lists (numpy, langdetect, wordfreq), which it uses.
""",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
