"""Articles for the corpus benchmark, as one ``.jsonl`` file: real en/zh/ru news and UN texts, mixed.

    python -m benchmarks.corpus_articles --count 1000 --out articles.jsonl

From ``../shared/eval/`` (``SOURCES.md`` there says where each set comes from):

- ``summaries/``: the 100 BBC articles (en, first line the title), the 20 RIA articles
  (ru, their headline), the 7 CLTS articles (zh, untitled: their first sentence is the
  title) and the 1,106 LCSTS short texts (zh, their headline);
- ``parallel/ntrex128``: the 123 NTREX-128 news documents (newstest2019), each in
  English, Chinese and Russian, the document's first segment its title;
- ``parallel/un_corpus_v1.0``: the UN Parallel Corpus dev and test documents with at
  least ``UN_MIN_LINES`` lines, each in the three languages, the first line its title.

The sources are interleaved (one article of each in turn), so the first N of the file are
a mix of every source and language whatever N is. Every line has an ``id`` (its source
and number), ``title`` and ``text``.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from benchmarks._report import require_eval

UN_MIN_LINES = 5
LANGUAGES = ("en", "zh", "ru")
NTREX = {"en": "ntrex128.eng.txt", "zh": "ntrex128.zho-CN.txt", "ru": "ntrex128.rus.txt"}

Record = dict[str, str]


def build(count: int) -> list[Record]:
    """The first ``count`` articles of the interleaved sources; fewer only if the sources run out."""
    root = require_eval()
    groups = [
        _bbc(root), _ria(root), _clts(root), *_ntrex(root).values(), *_un(root).values(), _lcsts(root),
    ]
    mixed: list[Record] = []
    for round_ in itertools.zip_longest(*groups):
        mixed.extend(record for record in round_ if record is not None)
        if len(mixed) >= count:
            break
    return mixed[:count]


def write(count: int, path: Path) -> dict[str, int]:
    """Write ``count`` articles to ``path`` (JSONL); returns how many per language."""
    records = build(count)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps({k: v for k, v in record.items() if k != "language"}, ensure_ascii=False) + "\n")
    languages: dict[str, int] = defaultdict(int)
    for record in records:
        languages[record["language"]] += 1
    return dict(languages)


def _jsonl(path: Path) -> Iterator[dict[str, str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def _record(source: str, number: int, language: str, title: str, text: str) -> Record:
    return {"id": f"{source}-{number:04}", "language": language, "title": title.strip(), "text": text.strip()}


def _bbc(root: Path) -> list[Record]:
    rows = _jsonl(root / "summaries" / "en_bbc_news_summary_100" / "bbc_news_summary_100.jsonl")
    found = []
    for number, row in enumerate(rows):
        title, _, text = row["article"].partition("\n")
        found.append(_record("bbc", number, "en", title, text))
    return found


def _ria(root: Path) -> list[Record]:
    rows = _jsonl(root / "summaries" / "ru_ria_20" / "ria_20.jsonl")
    return [_record("ria", n, "ru", row["title"], _paragraphs(row["text"])) for n, row in enumerate(rows)]


def _clts(root: Path) -> list[Record]:
    rows = _jsonl(root / "summaries" / "zh_clts_samples" / "clts_samples.jsonl")
    found = []
    for number, row in enumerate(rows):
        first = re.split(r"(?<=[。！？])", row["article"].strip(), maxsplit=1)[0]
        found.append(_record("clts", number, "zh", first, row["article"]))
    return found


def _lcsts(root: Path) -> list[Record]:
    rows = _jsonl(root / "summaries" / "zh_lcsts_part3" / "lcsts_part3.jsonl")
    return [_record("lcsts", n, "zh", row["summary"], row["short_text"]) for n, row in enumerate(rows)]


def _ntrex(root: Path) -> dict[str, list[Record]]:
    """One group per language: the documents in file order."""
    folder = root / "parallel" / "ntrex128"
    ids = _lines(folder / "ntrex128.document_ids.txt")
    found: dict[str, list[Record]] = {}
    for language, name in NTREX.items():
        documents: dict[str, list[str]] = defaultdict(list)
        for document, line in zip(ids, _lines(folder / name)):
            documents[document].append(line)
        found[language] = [
            _record(f"ntrex-{language}", n, language, lines[0], "\n".join(lines[1:]))
            for n, lines in enumerate(documents.values())
            if len(lines) > 1
        ]
    return found


def _un(root: Path) -> dict[str, list[Record]]:
    """One group per language: the documents of the dev and test sets with enough lines, in first-seen order."""
    folder = root / "parallel" / "un_corpus_v1.0"
    documents: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for part in ("devset", "testset"):
        symbols = [line.split(" ", 1)[0] for line in _lines(folder / f"UNv1.0.{part}.ids")]
        for language in LANGUAGES:
            for symbol, line in zip(symbols, _lines(folder / f"UNv1.0.{part}.{language}")):
                documents[symbol][language].append(line)
    found: dict[str, list[Record]] = {language: [] for language in LANGUAGES}
    kept = [by_language for by_language in documents.values() if len(by_language["en"]) >= UN_MIN_LINES]
    for number, by_language in enumerate(kept):
        for language in LANGUAGES:
            lines = by_language[language]
            found[language].append(_record(f"un-{language}", number, language, lines[0], "\n".join(lines[1:])))
    return found


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def _paragraphs(markup: str) -> str:
    """RIA bodies are HTML paragraphs: one paragraph per line pair, tags and entities resolved."""
    texts = [html.unescape(re.sub(r"<[^>]+>", "", p)).replace("\xa0", " ").strip() for p in re.split(r"</p>\s*", markup)]
    return "\n\n".join(t for t in texts if t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="the .jsonl file to write")
    args = parser.parse_args()
    print(write(args.count, args.out))


if __name__ == "__main__":
    main()
