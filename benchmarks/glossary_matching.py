"""How well and how fast triglot finds glossary terms in real text.

    python -m benchmarks.glossary_matching

1. Recall on real, inflected text: the UNBIS thesaurus terms (en/zh/ru) as a glossary,
   the aligned UN Parallel Corpus sentences (test and dev sets, 8,000 triples). For
   every term found in an English sentence: is its Chinese / Russian equivalent found
   in the aligned sentence? And, as a control for matching where it should not, in a
   sentence paired at random?
2. Enforcement accuracy on the test table of tests/test_glossary_fix.py.
3. Speed: terms found per second in long texts with the full shipped glossary, and the
   cost against text length and against glossary size.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks._report import machine_line, require_eval, write_section
from glossary import Entry, Glossary

COMMAND = "python -m benchmarks.glossary_matching"
LANGUAGES = ("zh", "ru")
SEED = 20261122


def unbis_glossary() -> Glossary:
    path = require_eval() / "terms" / "unbis_thesaurus" / "unbis_terms_en_zh_ru.tsv"
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        en, zh, ru = (line.split("\t") + ["", "", ""])[:3]
        if en.strip() and zh.strip() and ru.strip():
            terms = {"en": en.strip(), "zh": zh.strip(), "ru": ru.strip()}
            entries.append(Entry(f"unbis-{number}", terms, {"en": (), "zh": (), "ru": ()}, "", f"unbis:{number}"))
    return Glossary(entries)


def un_sentences() -> list[tuple[str, str, str]]:
    root = require_eval() / "parallel" / "un_corpus_v1.0"
    triples: list[tuple[str, str, str]] = []
    for part in ("testset", "devset"):
        columns = [(root / f"UNv1.0.{part}.{lang}").read_text(encoding="utf-8").splitlines() for lang in ("en", "zh", "ru")]
        triples += list(zip(*columns))
    return triples


def recall(glossary: Glossary, triples: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    shuffled = list(range(len(triples)))
    random.Random(SEED).shuffle(shuffled)
    found = Counter[str]()
    aligned = Counter[str]()
    control = Counter[str]()
    per_term_misses: dict[str, Counter[str]] = {lang: Counter() for lang in LANGUAGES}
    for i, (en, zh, ru) in enumerate(triples):
        english = {m.id for m in glossary.find(en, "en")}
        if not english:
            continue
        other = triples[shuffled[i]]
        for lang, text, random_text in (("zh", zh, other[1]), ("ru", ru, other[2])):
            here = {m.id for m in glossary.find(text, lang)}
            there = {m.id for m in glossary.find(random_text, lang)}
            found[lang] += len(english)
            aligned[lang] += len(english & here)
            control[lang] += len(english & there)
            for missed in english - here:
                per_term_misses[lang][missed] += 1
    result = {}
    for lang in LANGUAGES:
        result[lang] = {
            "found_en": found[lang],
            "recall": aligned[lang] / found[lang],
            "control": control[lang] / found[lang],
        }
        misses = per_term_misses[lang].most_common(5)
        result[lang]["misses"] = ", ".join(
            f"{glossary.get(key).terms['en']} → {glossary.get(key).terms[lang]} ({count})"  # type: ignore[union-attr]
            for key, count in misses
        )  # type: ignore[assignment]
    return result


def speed(glossary: Glossary) -> list[str]:
    """Rows: language, text size, matches, seconds, terms/s."""
    samples = {
        "en": "Small and medium-sized enterprises from Russia and China met in Harbin to discuss "
        "settlements in national currencies and the Belt and Road Initiative. ",
        "zh": "中俄中小企业在哈尔滨会面，讨论本币结算与共建一带一路倡议以及欧亚经济联盟的对接。",
        "ru": "Малые и средние предприятия России и Китая обсудили в Харбине расчёты в национальных "
        "валютах и сопряжение инициативы «Пояс и путь» с Евразийским экономическим союзом. ",
    }
    rows = []
    for lang, sample in samples.items():
        glossary.find(sample, lang)  # warm-up: builds the matcher, loads morphology
        for repeat in (100, 1000):
            text = sample * repeat
            started = time.perf_counter()
            matches = glossary.find(text, lang)
            seconds = time.perf_counter() - started
            rows.append(f"| {lang} | {len(text):,} | {len(matches):,} | {seconds:.3f} | {len(matches) / seconds:,.0f} |")
    return rows


def scaling(glossary: Glossary) -> list[str]:
    """Seconds to search the same English text with glossaries of growing size."""
    text = " ".join(e.terms["en"] for e in glossary.entries[:300]) * 20
    rows = []
    for size in (100, 1000, len(glossary.entries)):
        part = Glossary(glossary.entries[:size])
        part.find("warm up", "en")
        started = time.perf_counter()
        part.find(text, "en")
        rows.append(f"| {size:,} | {len(text):,} | {time.perf_counter() - started:.3f} |")
    return rows


def enforcement_accuracy() -> str:
    """The share of the test table's cases that come out exactly as expected."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.test_glossary_fix import CASES, case_glossary

    glossary = case_glossary()
    right = sum(
        1 for case in CASES if glossary.fix(case.source, case.translation, case.source_language, case.target_language).text == case.expected
    )
    return f"{right} of {len(CASES)} cases ({right / len(CASES):.1%})"


def main() -> None:
    started = time.perf_counter()
    unbis = unbis_glossary()
    triples = un_sentences()
    results = recall(unbis, triples)
    shipped = Glossary.load()
    lines = [
        "## Glossary matching",
        "",
        f"Command: `{COMMAND}` ({machine_line()}; {time.perf_counter() - started:.0f} s for the recall run).",
        "",
        f"### Recall on the UN Parallel Corpus ({len(triples):,} aligned en/zh/ru sentences, "
        f"{len(unbis):,} UNBIS terms)",
        "",
        "For each UNBIS term found in an English sentence (case, plural and possessive folded):",
        "how often its UNBIS Chinese / Russian equivalent is found in the aligned sentence",
        "(Chinese folded to Simplified and half-width; Russian by lemmas), and, as a control for",
        "matching where it should not, in a sentence of the other language paired at random.",
        "A miss is often a translator's other word for the concept, not a matcher fault.",
        "",
        "| language | English terms found | found in the aligned sentence | found in a random sentence | most missed (count) |",
        "|---|---:|---:|---:|---|",
    ]
    for lang in LANGUAGES:
        r = results[lang]
        lines.append(
            f"| {lang} | {r['found_en']:,} | {r['recall']:.1%} | {r['control']:.1%} | {r['misses']} |"
        )
    lines += [
        "",
        f"### Enforcement on the test table: {enforcement_accuracy()} fixed exactly as expected",
        "",
        f"### Speed with the shipped glossary ({len(shipped)} concepts), one process",
        "",
        "| language | characters | terms found | seconds | terms/s |",
        "|---|---:|---:|---:|---:|",
        *speed(shipped),
        "",
        "Cost against glossary size (the same English text; UNBIS glossaries cut to size): the",
        "matchers index terms by their first word, so the time follows the text, not the glossary.",
        "",
        "| glossary concepts | characters | seconds |",
        "|---:|---:|---:|",
        *scaling(unbis),
    ]
    markdown = "\n".join(lines)
    print(markdown)
    write_section("glossary-matching", markdown)


if __name__ == "__main__":
    main()
