"""The margin rule of ``source=auto`` on short, name-heavy sentences, and what it costs elsewhere.

Run from the repository root: ``python -m benchmarks.detect_names``. Prints the tables
and rewrites the "detection-names" section of docs/benchmarks.md.

A short English sentence made mostly of Russian and Chinese names ("Wang Yi met
Lavrov") reads to the n-gram scorer as Dutch or Indonesian, and translating it was
refused. With ``source=auto`` a supported language that comes second is used when the
unsupported winner is at most ``TRIGLOT_DETECT_MARGIN`` times as likely. This measures,
at several margins:

- *wrongly refused*: English sentences from NTREX-128 and the UN corpus
  (``../shared/eval/parallel/``), cut to their first words, with most words replaced
  by names taken from the same data (Russian names: capitalised words inside Russian
  sentences, transliterated; Chinese names: capitalised words of the English side that
  are whole pinyin syllables and no English word), still refused;
- *wrongly accepted*: phrases in other languages (``detect_accuracy.OTHER_LANGUAGES``),
  as written and with names put in the same way, translated as English or Russian;
- the first words of real English and Russian sentences, which the rule can only help.

``detect`` itself, what ``/detect`` answers, does not change with the margin.
"""

from __future__ import annotations

import math
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from toolkit.detection import candidates, detect_supported
from toolkit.errors import InputError
from toolkit.settings import DEFAULT_DETECT_MARGIN

from ._report import machine_line, require_eval, write_section
from .detect_accuracy import OTHER_LANGUAGES

COMMAND = "python -m benchmarks.detect_names"
SEED = 13
MARGINS = (0.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1_000.0, 10_000.0)
SENTENCES = 600  # name-heavy sentences built
WORDS = (3, 4, 5, 6)  # words per sentence
NAME_SHARE = 0.6  # at least this share of a sentence's words are names
PREFIX_WORDS = (1, 2, 3, 5)
PREFIX_SENTENCES = 1_000

# BGN/PCGN-style romanisation, as English news writes Russian names (Lavrov, Shoigu, Peskov).
_ROMAN = dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye"))
_ROMAN.update({"ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
               "ъ": "", "ь": "", "ю": "yu", "я": "ya"})
_RUSSIAN_NAME = re.compile(r"(?<=[\w,] )[А-ЯЁ][а-яё]{3,}")

# Pinyin syllables: initials and finals (tones unmarked, as English writes names).
_INITIALS = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINALS = ("(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|ue|ui"
           "|un|uo|a|e|i|o|u|v)")
_PINYIN_WORD = re.compile(f"(?:{_INITIALS}{_FINALS})+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def main() -> int:
    eval_dir = require_eval()
    parallel = eval_dir / "parallel"
    english = _lines(parallel / "ntrex128" / "ntrex128.eng.txt") + _lines(
        parallel / "un_corpus_v1.0" / "UNv1.0.testset.en"
    )
    russian = _lines(parallel / "ntrex128" / "ntrex128.rus.txt") + _lines(
        parallel / "un_corpus_v1.0" / "UNv1.0.testset.ru"
    )
    russian_names = _russian_names(russian)
    chinese_names = _chinese_names(english)
    names = russian_names + chinese_names
    rng = random.Random(SEED)
    built = _name_heavy(english, names, rng)
    others = [(language, text) for language, texts in OTHER_LANGUAGES.items() for text in texts]
    others_named = [(language, _with_a_name(text, names, rng)) for language, text in others]

    refused = {margin: _count_refused(built, margin) for margin in MARGINS}
    accepted = {margin: _count_accepted([t for _, t in others], margin) for margin in MARGINS}
    accepted_named = {margin: _count_accepted([t for _, t in others_named], margin) for margin in MARGINS}
    baseline_refused = refused[0.0]

    prefixes = _prefixes(english, russian)

    lines = [
        "## Detection for `source=auto`: names and the margin",
        "",
        f"Command: `{COMMAND}`  ",
        f"Machine: {machine_line()}",
        "",
        f"{len(built)} short English sentences ({min(WORDS)}–{max(WORDS)} words, at least "
        f"{NAME_SHARE:.0%} of them names) built from the first words of NTREX-128 and UN-corpus "
        f"English sentences (`../shared/eval/parallel/`), the other words replaced by "
        f"{len(russian_names)} Russian names (capitalised words inside Russian sentences of the same data, "
        f"romanised as English news writes them) and {len(chinese_names)} Chinese names (capitalised words "
        f"of the English side that are whole pinyin syllables and no frequent English word); seed {SEED}. "
        f"Other languages: the {len(others)} phrases of `benchmarks/detect_accuracy.py` in "
        f"{len(OTHER_LANGUAGES)} languages, as written and with one word replaced by a name (a name added to "
        "a single word).",
        "",
        "A supported language (en, zh, ru) that comes second is used for translating when the unsupported "
        "winner is at most *margin* times as likely. Without the rule "
        f"{baseline_refused} of {len(built)} ({_pct(baseline_refused, len(built))}) name-heavy English "
        "sentences are refused.",
        "",
        "| margin | name-heavy English wrongly refused | other languages wrongly accepted | "
        "other languages with a name wrongly accepted |",
        "|---:|---:|---:|---:|",
    ]
    for margin in MARGINS:
        mark = " (default)" if margin == DEFAULT_DETECT_MARGIN else " (rule off)" if margin == 0 else ""
        lines.append(
            f"| {margin:g}{mark} | {refused[margin]} ({_pct(refused[margin], len(built))}) "
            f"| {accepted[margin]} ({_pct(accepted[margin], len(others))}) "
            f"| {accepted_named[margin]} ({_pct(accepted_named[margin], len(others_named))}) |"
        )
    lines += [
        "",
        f"The first words of {PREFIX_SENTENCES} real sentences per language (NTREX-128 then the UN test "
        "set): % given the right language by `detect` (what `/detect` answers first, the same at every "
        f"margin) and by `source=auto` at the default margin ({DEFAULT_DETECT_MARGIN:g}).",
        "",
        "| language | words | `detect` | `source=auto` |",
        "|---|---:|---:|---:|",
    ]
    for (language, words), (plain, chosen, total) in prefixes.items():
        lines.append(f"| {language} | {words} | {_pct(plain, total)} | {_pct(chosen, total)} |")
    examples = [text for text in built[:200] if _refused(text, 0.0)][:5]
    if examples:
        lines += ["", "Examples refused without the rule, translated at the default margin where marked:"]
        for text in examples:
            found = candidates(text)
            shown = ", ".join(f"{c.language} {c.confidence:.2f}" for c in found)
            kept = "" if _refused(text, DEFAULT_DETECT_MARGIN) else " (translated)"
            lines.append(f"- {text} → {shown}{kept}")
    markdown = "\n".join(lines)
    print(markdown)
    write_section("detection-names", markdown)
    return 0


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _russian_names(sentences: Iterable[str]) -> list[str]:
    """Capitalised words inside Russian sentences that pymorphy3 reads as a name, surname, patronymic or
    place, in their dictionary form, romanised."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    counts = Counter(match.group() for sentence in sentences for match in _RUSSIAN_NAME.finditer(sentence))
    names = set()
    for word in counts:
        best = morph.parse(word)[0]
        if {"Name", "Surn", "Patr", "Geox"} & set(best.tag.grammemes):
            names.add(_romanise(best.normal_form))
    return sorted(names)


def _romanise(word: str) -> str:
    roman = "".join(_ROMAN.get(ch, ch) for ch in word.lower())
    return roman[:1].upper() + roman[1:]


def _chinese_names(sentences: Iterable[str]) -> list[str]:
    """Capitalised English-side words that are whole pinyin syllables and not frequent English words."""
    import wordfreq

    found = Counter(match.group() for sentence in sentences for match in _CAPITALISED.finditer(sentence))
    return sorted(
        word
        for word in found
        if _PINYIN_WORD.fullmatch(word.lower()) and wordfreq.zipf_frequency(word.lower(), "en") < 3.0
    )


def _name_heavy(sentences: list[str], names: list[str], rng: random.Random) -> list[str]:
    """Short sentences from the first words of real ones, most words replaced by names."""
    built: list[str] = []
    pool = [s for s in sentences if len(_WORD.findall(s)) >= max(WORDS)]
    rng.shuffle(pool)
    for sentence in pool:
        if len(built) == SENTENCES:
            break
        words = _WORD.findall(sentence)[: rng.choice(WORDS)]
        built.append(" ".join(_replace(words, names, rng)))
    return built


def _with_a_name(text: str, names: list[str], rng: random.Random) -> str:
    """The phrase with one of its words (the only one kept, for a single word) replaced by a name."""
    words = _WORD.findall(text)
    if len(words) == 1:
        return f"{words[0]} {rng.choice(names)}"
    index = rng.randrange(len(words))
    return " ".join(rng.choice(names) if i == index else word for i, word in enumerate(words))


def _replace(words: list[str], names: list[str], rng: random.Random) -> list[str]:
    count = math.ceil(NAME_SHARE * len(words))
    chosen = set(rng.sample(range(len(words)), count))
    return [rng.choice(names) if index in chosen else word for index, word in enumerate(words)]


def _refused(text: str, margin: float) -> bool:
    try:
        detect_supported(text, doing="translate", margin=margin)
    except InputError:
        return True
    return False


def _count_refused(texts: list[str], margin: float) -> int:
    return sum(_refused(text, margin) for text in texts)


def _count_accepted(texts: list[str], margin: float) -> int:
    return sum(not _refused(text, margin) for text in texts)


def _prefixes(english: list[str], russian: list[str]) -> dict[tuple[str, int], tuple[int, int, int]]:
    """Per language and prefix length: right by ``detect``, right by ``source=auto``, items."""
    results: dict[tuple[str, int], tuple[int, int, int]] = {}
    for language, sentences in (("en", english), ("ru", russian)):
        pool = [s for s in sentences if len(_WORD.findall(s)) >= max(PREFIX_WORDS)][:PREFIX_SENTENCES]
        for count in PREFIX_WORDS:
            texts = [" ".join(_WORD.findall(s)[:count]) for s in pool]
            plain = sum(candidates(text)[0].language == language for text in texts)
            chosen = sum(_chosen(text) == language for text in texts)
            results[(language, count)] = (plain, chosen, len(texts))
    return results


def _chosen(text: str) -> str | None:
    try:
        return detect_supported(text, doing="translate", margin=DEFAULT_DETECT_MARGIN).language
    except InputError:
        return None


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


if __name__ == "__main__":
    sys.exit(main())
