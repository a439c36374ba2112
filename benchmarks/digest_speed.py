"""A digest of 100 real articles with the full-size packages: wall time, articles/s, where the time goes.

    python -m benchmarks.digest_speed [--packages DIR] [--repeat N]

The articles are the summary sets in ``../shared/eval/summaries/``: 60 BBC articles
(en, their first line as the title), 13 LCSTS texts (zh, their headline as the title)
and the 20 RIA articles (ru, their headline) in one ``.jsonl`` file, and the 7 CLTS
articles (zh, untitled) as one-line ``.txt`` files, as a mixed folder would come. The packages are built by ``benchmarks/make_models.py --size
full`` unless ``--packages`` has them. The digest goes to all three languages, 3
sentences per summary, with the shipped glossary and the translation cache off, then
is rendered as HTML, Markdown and JSON. The time of each stage is taken by wrapping
the library's own stage functions for the run (detection, summarisation,
translation); the rest of ``digest()`` is reading the files and putting results
together.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks._report import machine_line, require_eval, write_section
from benchmarks.summary_data import load_sets
from benchmarks.translate_speed import full_size_home

COMMAND = "python -m benchmarks.digest_speed"
COUNTS = {"en": 60, "zh": 20, "ru": 20}
SENTENCES = 3
# Each stage as the pipeline calls it: the names its module imported.
STAGES = (
    ("detect", "toolkit.pipeline.processing", "language_of"),
    ("summarise", "toolkit.pipeline.processing", "summarize_with"),
    ("translate", "toolkit.pipeline.processing", "translate_detailed"),
)


def write_articles(folder: Path) -> dict[str, int]:
    """The 100 articles as files in ``folder``; returns how many per language."""
    folder.mkdir(parents=True)
    sets = {s.name: s for s in load_sets()}
    rows: list[dict[str, str]] = []
    for item in sets["en BBC"].items[: COUNTS["en"]]:
        title, _, text = item.article.partition("\n")
        rows.append({"title": title.strip(), "text": text.strip()})
    clts = sets["zh CLTS"].items
    for number, item in enumerate(clts):
        (folder / f"clts-{number:02}.txt").write_text(item.article, encoding="utf-8")  # one line: untitled
    lcsts = require_eval() / "summaries" / "zh_lcsts_part3" / "lcsts_part3.jsonl"
    needed = COUNTS["zh"] - len(clts)
    for line in lcsts.read_text(encoding="utf-8").splitlines()[:needed]:
        row = json.loads(line)
        rows.append({"title": row["summary"], "text": row["short_text"]})
    for item in sets["ru RIA"].items[: COUNTS["ru"]]:
        rows.append({"title": item.reference, "text": item.article})
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    (folder / "articles.jsonl").write_text(text, encoding="utf-8")
    return {"en": COUNTS["en"], "zh": needed + len(clts), "ru": COUNTS["ru"]}


@contextmanager
def stage_clock() -> Iterator[dict[str, float]]:
    """Seconds spent inside each stage function while the block runs."""
    import importlib

    spent: dict[str, float] = defaultdict(float)
    originals: list[tuple[Any, str, Callable[..., Any]]] = []
    for stage, module_name, attribute in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute)

        def timed(*args: Any, _original: Callable[..., Any] = original, _stage: str = stage, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_stage] += time.perf_counter() - started

        setattr(module, attribute, timed)
        originals.append((module, attribute, original))
    try:
        yield spent
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)


def one_run(source: Path, home: Path) -> dict[str, float]:
    from toolkit import Settings, digest

    settings = Settings.from_env(home=home, cache=False)
    with stage_clock() as spent:
        started = time.perf_counter()
        result = digest([source], targets=("en", "zh", "ru"), sentences=SENTENCES, settings=settings)
        digested = time.perf_counter() - started
    started = time.perf_counter()
    for format in ("html", "md", "json"):
        result.render(format)
    rendered = time.perf_counter() - started
    failed = len(result.failed)
    if failed or result.notices:
        raise SystemExit(f"{failed} articles failed, notices: {result.notices}")
    return {**spent, "render": rendered, "total": digested + rendered, "digest": digested}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", type=Path, help="folder with the full-size .argosmodel files")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the median is reported (default 1)")
    args = parser.parse_args()

    home = full_size_home(args.packages, "triglot-digest-")
    source = home.parent / "articles"
    counts = write_articles(source)
    articles = sum(counts.values())

    runs = [one_run(source, home) for _ in range(args.repeat)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    total = median["total"]
    other = total - sum(median[stage] for stage, _, _ in STAGES) - median["render"]

    lines = [
        "## Digest speed",
        "",
        f"Command: `{COMMAND} --repeat {args.repeat}` ({machine_line()}).",
        "",
        f"{articles} articles from `../shared/eval/summaries/` ({counts['en']} BBC en, {counts['zh']} zh: 7 CLTS",
        f"as `.txt` and {counts['zh'] - 7} LCSTS, {counts['ru']} RIA ru, in a `.jsonl`), digested with `toolkit.digest` to en, zh",
        f"and ru ({SENTENCES} sentences a summary, shipped glossary, translation cache off) on the full-size",
        "packages, then rendered as HTML, Markdown and JSON. Each article's title and summary are",
        f"translated into the two other languages: {2 * articles} translations. "
        + (f"Median of {args.repeat} runs in one process; the first" if args.repeat > 1 else "One run, which"),
        "includes loading the packages and dictionaries, as a `triglot digest` command does.",
        "",
        f"- Wall time: {total:.1f} s, {articles / total:.2f} articles/s.",
        "",
        "| stage | seconds | share |",
        "|---|---:|---:|",
    ]
    for stage, _, _ in STAGES:
        lines.append(f"| {stage} | {median[stage]:.2f} | {median[stage] / total:.1%} |")
    lines += [
        f"| render (HTML + Markdown + JSON) | {median['render']:.2f} | {median['render'] / total:.1%} |",
        f"| the rest (reading files, glossary load, assembling) | {other:.2f} | {other / total:.1%} |",
    ]
    markdown = "\n".join(lines)
    print(markdown)
    write_section("digest-speed", markdown)


if __name__ == "__main__":
    main()
