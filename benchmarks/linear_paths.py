"""How long the pathological inputs of tests/test_linear_paths.py take, now and on older code.

    python -m benchmarks.linear_paths [--before DIR] [--timeout 120]

Each input is one that a backtracking regular expression or an all-against-all loop
took many seconds over (a heading line with 2,000 spaces, 8,000 unclosed ``**``,
50,000 spaces in a summary sentence, …). Each runs in a fresh process, once, with
``toolkit`` and ``glossary`` imported from this checkout, and with ``--before DIR``
from DIR too (a tree of an older commit: ``git archive COMMIT toolkit glossary | tar
-x -C DIR``), so the section shows the same input before and after. A run that passes
``--timeout`` is stopped and shown as such.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks._report import REPO, machine_line, write_section

COMMAND = "python -m benchmarks.linear_paths"


@dataclass(frozen=True)
class Probe:
    name: str
    what: str  # the input, as the table names it
    setup: str  # Python run before the clock starts
    action: str  # Python timed


_GLOSSARY = (
    "from glossary import COLUMNS, Glossary, parse_glossary\n"
    "def glossary(*rows):\n"
    "    return Glossary(parse_glossary('\\n'.join(['\\t'.join(COLUMNS), *rows]) + '\\n', 'g.tsv'))\n"
)
_PLAIN = "from toolkit.pipeline.articles import plain_text\n"
_PARSE = "from toolkit.translation.markup import parse\n"

PROBES = (
    Probe("heading", "Markdown heading `# a` + 2,000 spaces + `x`", _PLAIN, "plain_text('# a' + ' ' * 2000 + 'x')"),
    Probe(
        "md-article",
        "3 KB .md article, `## Details` + 3,000 spaces (read for a digest)",
        "import pathlib, tempfile\nfrom toolkit.pipeline import read_articles\n"
        "path = pathlib.Path(tempfile.mkdtemp(), 'a.md')\n"
        "path.write_text('# Border trade\\n\\n' + 'Trade grew again this year. ' * 40 + '\\n\\n## Details'"
        " + ' ' * 3000 + 'follow\\n\\nSmall firms led it.\\n', encoding='utf-8')\n",
        "read_articles([path])",
    ),
    Probe("bold", "Markdown `**x ` × 8,000 (bold never closed)", _PLAIN, "plain_text('**x ' * 8000)"),
    Probe("italics", "Markdown `*x ` × 16,000 (italics never closed)", _PLAIN, "plain_text('*x ' * 16000)"),
    Probe("comments", "Markdown `<!--` × 20,000", _PLAIN, "plain_text('<!--' * 20000)"),
    Probe("images", "Markdown `![` × 30,000", _PLAIN, "plain_text('![' * 30000)"),
    Probe("links", "Markdown `[a` × 50,000", _PLAIN, "plain_text('[a' * 50000)"),
    Probe("link-targets", "Markdown `[a](` × 80,000", _PLAIN, "plain_text('[a](' * 80000)"),
    Probe(
        "line-breaks",
        "pipeline line breaks (`one_line`), 50,000 spaces",
        "from toolkit.text import one_line\n",
        "one_line('Trade' + ' ' * 50000 + 'grew')",
    ),
    Probe("html-spaces", "HTML text node with 50,000 spaces", _PARSE, "parse('<p>  Trade' + ' ' * 50000 + 'grew </p>')"),
    Probe(
        "html-tags",
        "HTML, 40,000 tags of 320 characters in a row",
        _PARSE,
        "parse(('<br class=\"' + 'x' * 307 + '\">') * 40000 + '<p>Trade grew.</p>')",
    ),
    Probe(
        "html-kept",
        "HTML, 30,000 open tags inside `<pre>`, then 30,000 end tags",
        _PARSE,
        "parse('<pre>' + '<b>' * 30000 + '</i>' * 30000 + '</pre><p>Trade grew.</p>')",
    ),
    Probe(
        "fix-line-breaks",
        "glossary fix, a term after 50,000 line breaks",
        _GLOSSARY + "terms = glossary('turnover\\ttrade turnover\\t贸易额\\tтоварооборот\\ttrade volume\\t\\t\\t')\n",
        "terms.fix('贸易额增长了。', '\\n' * 50000 + 'The trade volume grew.\\n\\ntrade volume fell.', 'zh', 'en')",
    ),
    Probe(
        "fix-many",
        "glossary fix, 50,000 terms in one translation",
        _GLOSSARY + "terms = glossary('eaeu\\tEurasian Economic Union\\t欧亚经济联盟\\tЕвразийский экономический союз\\tEEU\\t\\t\\t')\n",
        "terms.fix('欧亚经济联盟', 'EEU, ' * 50000, 'zh', 'en')",
    ),
    Probe(
        "fix-quotes",
        "glossary fix (ru), a quoted term after 100,000 open quotes",
        _GLOSSARY
        + "terms = glossary('bri\\tBelt and Road Initiative\\t一带一路倡议\\tинициатива «Пояс и путь»\\t\\t\\t«Пояс и путь»\\t')\n"
        "terms.fix('The Belt and Road Initiative grows.', '«Пояс и путь» растёт.', 'en', 'ru')\n",
        "terms.fix('The Belt and Road Initiative grows.', '«' * 100000 + 'Пояс и путь растёт.', 'en', 'ru')",
    ),
    Probe(
        "overlaps",
        "glossary find (zh), 40,000 characters that each start an overlapping match",
        _GLOSSARY + "terms = glossary('one\\tone one\\t一一\\t\\t\\t\\t\\t')\nterms.find('一一', 'zh')\n",
        "terms.find('一' * 40000, 'zh')",
    ),
    Probe(
        "renderings",
        "glossary fix, 20,000 occurrences of the engine's rendering",
        _GLOSSARY + "terms = glossary('yandex\\tYandex\\t央德克斯\\tЯндекс\\tYandeks\\t\\t\\t')\n",
        "terms.fix('央德克斯', 'Yandeks ' * 20000, 'zh', 'en', renderings={'yandex': ['Yandeks']})",
    ),
    Probe(
        "shared-first-words",
        "glossary find, 20,000-row glossary (6,000 terms start with `economic`), 5,000 occurrences",
        "import pathlib, tempfile\nfrom glossary import Glossary, read_glossary\n"
        "from tests.glossaries import write_synthetic_glossary\n"
        "terms = Glossary(read_glossary(write_synthetic_glossary(pathlib.Path(tempfile.mkdtemp(), 'g.tsv'), 20000)))\n"
        "terms.find('The economic zone grew.', 'en')\n",
        "terms.find('The economic zone grew. ' * 5000, 'en')",
    ),
)


def run(probe: Probe, code: Path, timeout: float) -> float | None:
    """Seconds ``probe`` took with ``code``'s toolkit and glossary; None when it ran past ``timeout``."""
    # The code under test first; this checkout after it, for tests/glossaries.py (and before
    # site-packages, where some distributions put a "tests" package of their own).
    program = (
        f"import sys, time\nsys.path[:0] = [{str(code)!r}, {str(REPO)!r}]\n{probe.setup}"
        f"started = time.perf_counter()\n{probe.action}\nprint(time.perf_counter() - started)\n"
    )
    with tempfile.TemporaryDirectory() as folder:  # not the checkout: its packages must not come first
        try:
            done = subprocess.run(
                [sys.executable, "-c", program], cwd=folder, capture_output=True, text=True, timeout=timeout, check=True
            )
        except subprocess.TimeoutExpired:
            return None
        except subprocess.CalledProcessError as error:
            sys.exit(f"{probe.name} failed with {code}:\n{error.stderr[-2000:]}")
    return float(done.stdout.split()[-1])


def _seconds(value: float | None, timeout: float) -> str:
    return f"> {timeout:g} (stopped)" if value is None else f"{value:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, metavar="DIR", help="a tree of older code to time the same inputs on")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is stopped (default: 120)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = []
    for probe in PROBES:
        before = run(probe, args.before, args.timeout) if args.before else None
        after = run(probe, REPO, args.timeout)
        shown = f"{_seconds(before, args.timeout)} → " if args.before else ""
        print(f"{probe.name:20} {shown}{_seconds(after, args.timeout)} s", flush=True)
        cells = [probe.what] + ([_seconds(before, args.timeout)] if args.before else []) + [_seconds(after, args.timeout)]
        rows.append("| " + " | ".join(cells) + " |")
    header = "| input | before s | after s |\n|---|---:|---:|" if args.before else "| input | s |\n|---|---:|"
    command = COMMAND + (" --before DIR" if args.before else "") + f" --timeout {args.timeout:g}"
    origin = ", DIR holding `toolkit` and `glossary` of 85afaf8, the commit before the fixes" if args.before else ""
    write_section(
        "linear-paths",
        f"""## Pathological inputs: linear time

Command: `{command}` ({machine_line()}; {time.perf_counter() - started:.0f} s in all){origin}.
Each input (those of `tests/test_linear_paths.py`) runs once in a fresh process; the
tests allow 2 s for each (4 s for the 50,000 terms; for the open quotes, 3.5 times what
cutting that translation into Russian words takes, which is most of its 3 s: razdel
over 100,000 marks).

{header}
{chr(10).join(rows)}

Before, each was quadratic (the heading cubic) in the run it repeats: a regular
expression that backtracks over the rest of the text from each place it starts, or a
loop that compares each item with every one kept before; the last grew with the text
times the terms sharing a first word. Each is now read a bounded number of times;
glossary loading and validation are in the section on glossary size.
""",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
