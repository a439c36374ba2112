"""Language detection on the lingua test data, beside the published figures of other detectors.

Run from the repository root: ``python -m benchmarks.detect_accuracy``. Prints the
tables and rewrites the "detection" section of docs/benchmarks.md. Exits non-zero
if any cell falls below lingua high-accuracy's published figure, the floor the
detector was built to.
"""

from __future__ import annotations

import csv
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from unittest import mock

# The private names serve the two comparison columns: triglot without its word
# lists, and langdetect's sampler given triglot's candidates and prior.
from toolkit.detection.detector import _CANDIDATES, _HOME, HOME_PRIOR, WORDS_PER_LANGUAGE, _Model, detect

from ._report import machine_line, require_eval, write_section

COMMAND = "python -m benchmarks.detect_accuracy"
LANGUAGES = {"en": "English", "zh": "Chinese", "ru": "Russian"}
CATEGORIES = {"single-words": "single words", "word-pairs": "word pairs", "sentences": "sentences"}
# Published detectors shown, as named in summary_en-zh-ru.tsv; the first is the floor.
PUBLISHED = {"lingua-high-accuracy": "lingua high", "fasttext": "fastText", "langdetect": "langdetect"}
FLOOR = "lingua-high-accuracy"

# Sentences and phrases written for this benchmark in languages the eval data
# lacks: a check that the prior towards English and Russian still lets other
# languages through. A sanity check, not a standard test set.
OTHER_LANGUAGES: dict[str, list[str]] = {
    "de": ["Ich habe heute keine Zeit.", "Wo ist der Bahnhof?", "Das Wetter ist schön.",
           "Die Regierung hat gestern neue Maßnahmen gegen die Inflation beschlossen.",
           "Er arbeitet seit zehn Jahren bei einer Bank in Frankfurt.", "Guten Tag", "Vielen Dank"],
    "fr": ["Je ne sais pas.", "Où est la gare ?", "Il fait beau aujourd'hui.",
           "Le gouvernement a annoncé hier de nouvelles mesures contre l'inflation.",
           "Elle travaille depuis dix ans dans une banque à Lyon.", "Merci beaucoup", "Bonne nuit"],
    "es": ["No lo sé.", "¿Dónde está la estación?", "Hace buen tiempo hoy.",
           "El gobierno anunció ayer nuevas medidas contra la inflación.",
           "Ella trabaja desde hace diez años en un banco de Madrid.", "Muchas gracias", "Hasta luego"],
    "it": ["Non lo so.", "Dov'è la stazione?", "Oggi fa bel tempo.",
           "Il governo ha annunciato ieri nuove misure contro l'inflazione.",
           "Lei lavora da dieci anni in una banca di Milano.", "Grazie mille", "A domani"],
    "pt": ["Eu não sei.", "Onde fica a estação?", "Hoje está um dia bonito.",
           "O governo anunciou ontem novas medidas contra a inflação.",
           "Ela trabalha há dez anos num banco em Lisboa.", "Muito obrigado", "Boa noite"],
    "nl": ["Ik weet het niet.", "Waar is het station?", "Het is mooi weer vandaag.",
           "De regering heeft gisteren nieuwe maatregelen tegen de inflatie aangekondigd.",
           "Zij werkt al tien jaar bij een bank in Utrecht.", "Dank je wel", "Tot morgen"],
    "pl": ["Nie wiem.", "Gdzie jest dworzec?", "Dzisiaj jest ładna pogoda.",
           "Rząd ogłosił wczoraj nowe środki przeciwko inflacji.",
           "Ona pracuje od dziesięciu lat w banku w Krakowie.", "Dziękuję bardzo", "Do jutra"],
    "sv": ["Jag vet inte.", "Var ligger stationen?", "Det är fint väder idag.",
           "Regeringen presenterade igår nya åtgärder mot inflationen.",
           "Hon har arbetat på en bank i Göteborg i tio år.", "Tack så mycket", "God natt"],
    "tr": ["Bilmiyorum.", "İstasyon nerede?", "Bugün hava çok güzel.",
           "Hükümet dün enflasyona karşı yeni önlemler açıkladı.",
           "On yıldır İzmir'de bir bankada çalışıyor.", "Çok teşekkürler", "İyi geceler"],
    "uk": ["Я не знаю.", "Де вокзал?", "Сьогодні гарна погода.",
           "Уряд учора оголосив нові заходи проти інфляції.",
           "Вона вже десять років працює в банку у Львові.", "Дякую дуже", "На добраніч"],
    "bg": ["Не знам.", "Къде е гарата?", "Днес времето е хубаво.",
           "Правителството обяви вчера нови мерки срещу инфлацията.",
           "Тя работи от десет години в банка в Пловдив.", "Много благодаря", "Лека нощ"],
    "mk": ["Каде е станицата?", "Денес времето е убаво.",
           "Владата вчера објави нови мерки против инфлацијата.",
           "Таа работи десет години во банка во Битола.", "Добро утро, како си?"],
    "sr": ["Где је железничка станица?", "Данас је лепо време.",
           "Влада је јуче објавила нове мере против инфлације.", "Хвала вам пуно, видимо се сутра."],
    "be": ["Дзякуй вялікі.", "Урад учора абвясціў новыя меры супраць інфляцыі.",
           "Яна дзесяць гадоў працуе ў банку ў Мінску."],
    "kk": ["Үкімет кеше инфляцияға қарсы жаңа шаралар жариялады.", "Бүгін ауа райы жақсы.",
           "Ол он жыл бойы банкте жұмыс істейді."],
}


def main() -> int:
    """Measure, print, write the docs section; 1 if a cell is below its floor."""
    eval_dir = require_eval() / "langid"
    data = {
        (lang, cat): _lines(eval_dir / "lingua-testdata" / f"{cat}_{lang}.txt")
        for lang in LANGUAGES
        for cat in CATEGORIES
    }
    published = _published(eval_dir / "lingua-accuracy-reports" / "summary_en-zh-ru.tsv")

    started = time.perf_counter()
    detect("warm up")
    load_seconds = time.perf_counter() - started
    ours = {key: _measure(lambda text: detect(text).language, items, key[0]) for key, items in data.items()}
    ngrams_only, ngrams_only_others = _without_word_lists(data)
    sampler = _langdetect_sampler()
    sampled = {key: _measure(sampler, items, key[0]) for key, items in data.items()}

    rows = [
        "| language | category | items | **triglot** | n-grams only | langdetect sampler, same front"
        + "".join(f" | {name} (published)" for name in PUBLISHED.values())
        + " |",
        "|---|---|---:|---:|---:|---:" + "|---:" * len(PUBLISHED) + "|",
    ]
    below = []
    for (lang, cat), (accuracy, _, _) in ours.items():
        figures = published[(lang, cat)]
        if accuracy < figures[FLOOR]:
            below.append(f"{lang} {CATEGORIES[cat]}")
        rows.append(
            f"| {lang} | {CATEGORIES[cat]} | {len(data[(lang, cat)])} | **{accuracy:.1f}** "
            f"| {ngrams_only[(lang, cat)]:.1f} | {sampled[(lang, cat)][0]:.1f}"
            + "".join(f" | {figures[name]:.1f}" for name in PUBLISHED)
            + " |"
        )
    confusions = ["| language | category | wrong answers (most frequent first) |", "|---|---|---|"]
    for (lang, cat), (_, wrong, _) in ours.items():
        listed = ", ".join(f"{code} {count}" for code, count in wrong.most_common(6)) or "none"
        confusions.append(f"| {lang} | {CATEGORIES[cat]} | {listed} |")
    speed = [
        "| language | sentences/s, triglot | sentences/s, langdetect sampler | triglot / sampler |",
        "|---|---:|---:|---:|",
    ]
    for lang in LANGUAGES:
        key = (lang, "sentences")
        if lang == "zh":  # script decides Chinese in both, so there is nothing to compare
            speed.append(f"| {lang} | {ours[key][2]:,.0f} | (script decides) | |")
        else:
            ratio = ours[key][2] / sampled[key][2]
            speed.append(f"| {lang} | {ours[key][2]:,.0f} | {sampled[key][2]:,.0f} | {ratio:.1f}x |")
    article = " ".join(" ".join(data[("en", "sentences")]).split()[:1000])
    repeats = 50
    started = time.perf_counter()
    for _ in range(repeats):
        detect(article)
    article_ms = (time.perf_counter() - started) / repeats * 1000

    others_wrong = _other_languages()
    others_total = sum(map(len, OTHER_LANGUAGES.values()))

    markdown = "\n".join(
        [
            "## Language detection",
            "",
            f"Command: `{COMMAND}`  ",
            f"Machine: {machine_line()}",
            "",
            "Accuracy (% of items whose detected code is the expected one) on the lingua test data "
            "(`../shared/eval/langid/lingua-testdata/`, Leipzig corpora; "
            f"{sum(map(len, data.values())):,} items). Published figures are from "
            "`lingua-accuracy-reports/summary_en-zh-ru.tsv`; those detectors choose among 75 "
            "languages with no prior, while triglot leans towards en and ru by design "
            f"(prior {HOME_PRIOR:g} nats, {math.exp(HOME_PRIOR):.0f} to 1, "
            "within the script's candidates). "
            "*n-grams only*: triglot without the wordfreq lists "
            f"({WORDS_PER_LANGUAGE:,} words a language). "
            "*langdetect sampler*: langdetect's own seeded `Detector` with the same candidates and prior.",
            "",
            *rows,
            "",
            f"Floor (lingua high-accuracy) met in every cell: **{'yes' if not below else 'no: ' + ', '.join(below)}**.",
            "",
            "What triglot answered when it was wrong:",
            "",
            *confusions,
            "",
            f"Other languages (sentences and phrases written for this benchmark): "
            f"{others_total - len(others_wrong)} of {others_total} recognised "
            f"({others_total - len(ngrams_only_others)} with n-grams only). Missed: "
            + ("; ".join(others_wrong) or "none")
            + ".",
            "",
            "Speed, one text at a time:",
            "",
            *speed,
            "",
            f"A 1,000-word English article: {article_ms:.1f} ms. "
            f"First call, loading profiles and word lists: {load_seconds:.2f} s.",
        ]
    )
    print(markdown)
    write_section("detection", markdown)
    return 1 if below else 0


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _published(path: Path) -> dict[tuple[str, str], dict[str, float]]:
    """Published accuracy by (language code, category) and detector."""
    codes = {name: code for code, name in LANGUAGES.items()}
    columns = {"single_words": "single-words", "word_pairs": "word-pairs", "sentences": "sentences"}
    figures: dict[tuple[str, str], dict[str, float]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["detector"] in PUBLISHED:
                for column, cat in columns.items():
                    figures.setdefault((codes[row["language"]], cat), {})[row["detector"]] = float(row[column])
    return figures


def _measure(
    identify: Callable[[str], str], items: list[str], expected: str
) -> tuple[float, Counter[str], float]:
    """Accuracy in percent, the wrong answers counted, and items per second."""
    started = time.perf_counter()
    answers = [identify(item) for item in items]
    elapsed = time.perf_counter() - started
    wrong = Counter(answer for answer in answers if answer != expected)
    return 100 * (len(items) - sum(wrong.values())) / len(items), wrong, len(items) / elapsed


def _other_languages() -> list[str]:
    """The texts of OTHER_LANGUAGES that detect() gets wrong, each with what it said."""
    wrong = []
    for lang, texts in OTHER_LANGUAGES.items():
        for text in texts:
            found = detect(text).language
            if found != lang:
                wrong.append(f"{text} ({lang}, read as {found})")
    return wrong


def _without_word_lists(
    data: dict[tuple[str, str], list[str]],
) -> tuple[dict[tuple[str, str], float], list[str]]:
    """Accuracy, and the other-language misses, with the word-list term switched off."""
    import numpy as np

    with mock.patch.object(
        _Model, "_word_scores", lambda self, words, columns: np.zeros(len(columns))
    ):
        accuracy = {
            key: _measure(lambda text: detect(text).language, items, key[0])[0]
            for key, items in data.items()
        }
        return accuracy, _other_languages()


def _langdetect_sampler() -> Callable[[str], str]:
    """langdetect's own seeded Detector, given triglot's candidates and prior for the script."""
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY
    from langdetect.lang_detect_exception import LangDetectException

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    home_weight = math.exp(HOME_PRIOR)

    def prior(script: str) -> dict[str, float]:
        return {lang: home_weight if lang == _HOME[script] else 1.0 for lang in _CANDIDATES[script]}

    priors = {script: prior(script) for script in ("latin", "cyrillic")}

    def identify(text: str) -> str:
        # The eval data is en, zh and ru only: Han goes by script, as in triglot.
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return detect(text).language
        script = "cyrillic" if any("\u0400" <= ch <= "\u04ff" for ch in text) else "latin"
        detector = factory.create()
        detector.set_prior_map(priors[script])
        detector.append(text)
        try:
            return str(detector.detect())
        except LangDetectException:
            return "und"

    return identify


if __name__ == "__main__":
    sys.exit(main())
