"""The three summary sets in ../shared/eval/summaries/, loaded as (article, reference, k) items,
and the ROUGE scores used to compare summaries with their references."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks._report import require_eval


@dataclass(frozen=True)
class Item:
    """One article, its human reference and the summary length to ask for (in sentences)."""

    article: str
    reference: str
    k: int


@dataclass(frozen=True)
class SummarySet:
    name: str
    language: str
    description: str
    items: tuple[Item, ...]


def load_sets() -> list[SummarySet]:
    root = require_eval() / "summaries"
    return [_bbc(root), _clts(root), _ria(root)]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _bbc(root: Path) -> SummarySet:
    rows = _jsonl(root / "en_bbc_news_summary_100" / "bbc_news_summary_100.jsonl")
    items = tuple(
        Item(r["article"], r["summary"], len([s for s in r["summary"].splitlines() if s.strip()])) for r in rows
    )
    return SummarySet("en BBC", "en", "100 BBC articles, extractive references (k = reference sentences)", items)


def _clts(root: Path) -> SummarySet:
    rows = _jsonl(root / "zh_clts_samples" / "clts_samples.jsonl")
    items = tuple(Item(r["article"], r["summary"], max(1, len(re.findall(r"[。！？]", r["summary"])))) for r in rows)
    return SummarySet("zh CLTS", "zh", "7 ThePaper articles, editor summaries (k = reference sentences)", items)


def _ria(root: Path) -> SummarySet:
    rows = _jsonl(root / "ru_ria_20" / "ria_20.jsonl")
    items = tuple(Item(_html_to_text(r["text"]), r["title"], 1) for r in rows)
    return SummarySet("ru RIA", "ru", "20 RIA Novosti articles, headline as reference (k = 1)", items)


def _html_to_text(markup: str) -> str:
    """RIA bodies are HTML paragraphs: one paragraph per line pair, tags and entities resolved."""
    paragraphs = re.split(r"</p>\s*", markup)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", p)).replace("\xa0", " ").strip() for p in paragraphs]
    return "\n\n".join(t for t in texts if t)


# ROUGE: n-gram overlap F1 (R1, R2) and longest-common-subsequence F1 (RL), on
# lower-cased words for English and Russian and on characters for Chinese.
def tokens(text: str, language: str) -> list[str]:
    if language == "zh":
        return re.findall(r"[\u4e00-\u9fff]|[A-Za-z0-9]+", text)
    return re.findall(r"\w+", text.lower())


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def _ngrams(words: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge(candidate: str, reference: str, language: str) -> tuple[float, float, float]:
    """(ROUGE-1 F1, ROUGE-2 F1, ROUGE-L F1)."""
    cand, ref = tokens(candidate, language), tokens(reference, language)
    scores = []
    for n in (1, 2):
        c, r = _ngrams(cand, n), _ngrams(ref, n)
        scores.append(_f1(sum((c & r).values()), sum(c.values()), sum(r.values())))
    scores.append(_f1(_lcs(cand, ref), len(cand), len(ref)))
    return scores[0], scores[1], scores[2]
