"""Summarisation speed: the 100 BBC articles, and how cost grows with input length.

    python -m benchmarks.summarize_speed

1. triglot's whole pipeline (splitting, words, ranking, picking) on the 100 BBC
   articles, beside raw sumy ranking the same sentences with the same algorithm in
   the same process: articles/s and the ratio.
2. One long input of 100, 1,000 and 5,000 sentences (BBC sentences repeated in
   order) per algorithm: seconds, and what the cap does beyond it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from benchmarks import raw_sumy
from benchmarks._report import machine_line, write_section
from benchmarks.summary_data import load_sets
from toolkit import Settings, summarize
from toolkit.errors import InputTooLong
from toolkit.summarization import ALGORITHMS, QUADRATIC_ALGORITHMS, sentence_limit
from toolkit.text import split_sentences

COMMAND = "python -m benchmarks.summarize_speed"
LENGTHS = (100, 1000, 5000)
# A length is skipped when the quadratic projection from the one before passes this.
SKIP_PROJECTED_S = 60.0


def timed(work: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def corpus_speed(articles: list[str], algorithm: str) -> tuple[float, float]:
    """Seconds for triglot and for raw sumy over all articles, same sentences, same k=3."""
    sentence_lists = [[s.text for s in split_sentences(a, "en")] for a in articles]

    def triglot() -> None:
        for article in articles:
            summarize(article, language="en", sentences=3, algorithm=algorithm)

    def raw() -> None:
        for sentences in sentence_lists:
            raw_sumy.summarize_lines(sentences, 3, algorithm)

    triglot()  # warm up: loads stop words, stemmers and sumy once
    raw()
    return timed(triglot, 3), timed(raw, 3)


def long_text(sentences: list[str], count: int) -> str:
    repeated = (sentences * (count // len(sentences) + 1))[:count]
    return "\n".join(repeated)


def main() -> None:
    articles = [item.article for item in load_sets()[0].items]
    lines = [
        "## Summarisation speed",
        "",
        f"Command: `{COMMAND}` ({machine_line()}).",
        "",
        "### 100 BBC articles, 3 sentences each",
        "",
        "triglot = the whole pipeline from raw text (sentence splitting, title detection, words,",
        "stemming, ranking, picking). Raw sumy = sumy ranking the same sentences (already split)",
        "with the same algorithm, its own stemmer and a regex word splitter. Best of 3 runs, same process.",
        "",
        "| algorithm | triglot articles/s | raw sumy articles/s | triglot time / raw sumy time |",
        "|---|---|---|---|",
    ]
    for algorithm in ("reduction", "textrank", "lexrank", "luhn", "lsa"):
        ours, raw = corpus_speed(articles, algorithm)
        lines.append(f"| {algorithm} | {len(articles) / ours:.1f} | {len(articles) / raw:.1f} | {ours / raw:.2f} |")
        print(lines[-1], file=sys.stderr)

    pool = [s.text for a in articles for s in split_sentences(a, "en")]
    unlimited = Settings(max_summary_sentences=max(LENGTHS) * 10)  # kl gets a tenth
    capped = Settings()
    lines += [
        "",
        "### Cost against input length (one text, seconds)",
        "",
        f"Quadratic algorithms ({', '.join(sorted(QUADRATIC_ALGORITHMS))}) are refused above "
        f"{capped.max_summary_sentences} sentences by default (`TRIGLOT_MAX_SUMMARY_SENTENCES`; kl, worse",
        "than quadratic, above a tenth of it) with a clear error naming `lead`, `edmundson` and `luhn`,",
        "which are not quadratic. A length is not run when the time",
        f"at the length before, scaled by the square of the length ratio, passes {SKIP_PROJECTED_S:.0f} s.",
        "",
        "| algorithm | " + " | ".join(f"{n:,} sentences" for n in LENGTHS) + " | default cap |",
        "|---|" + "---|" * (len(LENGTHS) + 1),
    ]
    for algorithm in ALGORITHMS:
        cells = []
        previous: tuple[int, float] | None = None
        for n in LENGTHS:
            if previous is not None and previous[1] * (n / previous[0]) ** 2 > SKIP_PROJECTED_S:
                cells.append(f"not run (~{previous[1] * (n / previous[0]) ** 2:.0f} s projected)")
                continue
            text = long_text(pool, n)
            seconds = timed(lambda: summarize(text, language="en", algorithm=algorithm, settings=unlimited))
            cells.append(f"{seconds:.2f}")
            previous = (n, seconds)
        try:
            summarize(long_text(pool, LENGTHS[-1]), language="en", algorithm=algorithm, settings=capped)
            cap = "accepted"
        except InputTooLong:
            cap = f"refused above {sentence_limit(algorithm, capped.max_summary_sentences):,}"
        lines.append(f"| {algorithm} | " + " | ".join(cells) + f" | {cap} |")
        print(lines[-1], file=sys.stderr)
    markdown = "\n".join(lines)
    print(markdown)
    write_section("summarization-speed", markdown)


if __name__ == "__main__":
    main()
