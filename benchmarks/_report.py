"""Shared plumbing for benchmarks: where the eval data is, and writing docs/benchmarks.md.

Each benchmark owns one section of ``docs/benchmarks.md``, fenced by HTML comments,
and rewrites only that section, so benchmarks can run in any order.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRIGLOT_SHARED", REPO.parent / "shared"))
EVAL = SHARED / "eval"
REPORT = REPO / "docs" / "benchmarks.md"

_HEADER = """# Benchmarks

Figures produced by the scripts in `benchmarks/`, each section with the command that
wrote it. Quality is measured on the public data in `../shared/eval/` (see its
`SOURCES.md`); speed is quoted as ratios against a reference run in the same process,
because the machine is shared and noisy.
"""


def require_eval() -> Path:
    """The eval folder, or exit with a message saying where it was looked for."""
    if not EVAL.is_dir():
        sys.exit(f"eval data not found at {EVAL}; set TRIGLOT_SHARED to the shared/ folder")
    return EVAL


def machine_line() -> str:
    """One line describing where the figures were taken."""
    return (
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.system()}"
    )


def write_section(name: str, markdown: str) -> None:
    """Replace (or append) the section ``name`` in docs/benchmarks.md."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else _HEADER
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")
