"""How loading and validating a user glossary scales with its length.

    python -m benchmarks.glossary_scale [--sizes 1000,10000,100000]

Writes a synthetic glossary of each size (``tests/glossaries.py``: rows that clash with
nothing, half of them with variants), then times, in this process:

- load: ``Glossary.load([file])``, the file merged over the shipped glossary (what
  ``--glossary`` and the service's ``TRIGLOT_GLOSSARY`` do);
- validate: ``triglot glossary validate FILE`` (read, check, and look for forms
  listed for two concepts; Russian forms are compared by lemma, so every one is
  analysed).

Per-row cost is quoted against the smallest size's, the reference run: linear time
keeps the ratio near 1 however large the file; quadratic time multiplies it by the
growth in rows.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks._report import machine_line, write_section
from glossary import Glossary
from tests.glossaries import write_synthetic_glossary
from toolkit.cli import main as triglot

COMMAND = "python -m benchmarks.glossary_scale"
SIZES = (1_000, 10_000, 100_000)
# The same rows and the same two calls on the code before the merge became linear
# (85afaf8, same machine, in one process). 100k rows were not loaded there: 10k rows
# already took two minutes, and the probe saw 100k run past 10 minutes.
BEFORE = """| rows | load s | µs per row | validate s | µs per row |
|---:|---:|---:|---:|---:|
| 1,000 | 1.62 | 1,620 | 0.53 | 530 |
| 10,000 | 127.83 | 12,783 | 2.74 | 274 |
| 100,000 | not run (> 10 min) | | 34.55 | 346 |"""


def _seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _validate(path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = triglot(["glossary", "validate", str(path)])
    if status != 0:
        sys.exit(f"validate failed on the synthetic glossary ({status}): {err.getvalue()[:500]}")


def measure(sizes: Sequence[int], folder: Path) -> list[tuple[int, float, float]]:
    """(rows, load seconds, validate seconds) per size, smallest first."""
    Glossary.load()  # the shipped glossary, read once, so the first size does not pay for it
    figures = []
    for size in sorted(sizes):
        path = write_synthetic_glossary(folder / f"synthetic-{size}.tsv", size)
        loaded: list[Glossary] = []
        load = _seconds(lambda: loaded.append(Glossary.load([path])))
        assert len(loaded[0]) == len(Glossary.load()) + size, "every synthetic row is a concept of its own"
        validate = _seconds(lambda: _validate(path))
        figures.append((size, load, validate))
        print(f"{size:>8,} rows  load {load:7.2f} s  validate {validate:7.2f} s", flush=True)
    return figures


def table(figures: Sequence[tuple[int, float, float]]) -> str:
    reference_rows, reference_load, reference_validate = figures[0]
    lines = [
        "| rows | load s | µs per row | against the reference | validate s | µs per row | against the reference |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rows, load, validate in figures:
        load_ratio = (load / rows) / (reference_load / reference_rows)
        validate_ratio = (validate / rows) / (reference_validate / reference_rows)
        lines.append(
            f"| {rows:,} | {load:.2f} | {load / rows * 1e6:.0f} | {load_ratio:.2f}× "
            f"| {validate:.2f} | {validate / rows * 1e6:.0f} | {validate_ratio:.2f}× |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda value: [int(part) for part in value.split(",")],
        default=list(SIZES),
        help="rows per synthetic glossary, comma-separated (default: 1000,10000,100000)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(args.sizes, Path(folder))
    sizes = ",".join(str(rows) for rows, _, _ in figures)
    write_section(
        "glossary-scale",
        f"""## Glossary size: loading and validating

Command: `{COMMAND} --sizes {sizes}` ({machine_line()}; {time.perf_counter() - started:.0f} s in all).
Synthetic rows (`tests/glossaries.py`), half of them with a variant in each language;
load is `Glossary.load([file])` over the shipped glossary, validate is
`triglot glossary validate FILE` run in process. The reference is the smallest size:
its cost per row is 1× (validation's includes loading pymorphy3's dictionary, ~0.3 s,
which is why its ratio falls as the file grows).

{table(figures)}

Before (85afaf8), the same rows and calls:

{BEFORE}

Loading was quadratic: each row was compared with every row kept before it, so the
cost per row grew with the file (8× from 1k to 10k rows). The merge now indexes the
kept entries by id and by preferred term, and each row finds what it overrides at
once. Validating was linear but slow, ~0.3 ms a row, most of it pymorphy3's analysis
of every whole Russian term; now only the forms whose words could share lemmas with
another form's are analysed whole, razdel is skipped where a term's words are plain
runs of letters or digits, and word look-ups are cached. What remains per row is
reading the file and one pymorphy3 parse per distinct Russian word (these rows hold
a distinct number each).
""",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
