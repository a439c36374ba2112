"""Sentence and word splitting for en, zh and ru: the rules, exact offsets, never raising."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.errors import UnsupportedLanguage
from toolkit.text import Sentence, one_line, split_sentences, split_words

LANGUAGES = ("en", "zh", "ru")


def texts(text: str, language: str) -> list[str]:
    return [s.text for s in split_sentences(text, language)]


def check_invariants(text: str, sentences: list[Sentence]) -> None:
    """Exact offsets, in order, no overlap, stripped, nothing non-blank dropped."""
    position = 0
    covered = [False] * len(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= position
        position = s.end
        for i in range(s.start, s.end):
            covered[i] = True
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


# --- English ----------------------------------------------------------------

ENGLISH = [
    pytest.param(
        "Trade between China and Russia grew last year. Small firms led the way.",
        ["Trade between China and Russia grew last year.", "Small firms led the way."],
        id="two-plain-sentences",
    ),
    pytest.param(
        "Did exports rise? They did! Officials were pleased.",
        ["Did exports rise?", "They did!", "Officials were pleased."],
        id="question-and-exclamation",
    ),
    pytest.param(
        "Mr. Li and Mrs. Petrova met Ms. Chen, Dr. Orlov and Prof. Wang in St. Petersburg.",
        ["Mr. Li and Mrs. Petrova met Ms. Chen, Dr. Orlov and Prof. Wang in St. Petersburg."],
        id="titles-and-st-petersburg",
    ),
    pytest.param(
        "Grain goes to the U.S. and the U.K. by sea. Oil goes by pipe.",
        ["Grain goes to the U.S. and the U.K. by sea.", "Oil goes by pipe."],
        id="us-uk-mid-sentence",
    ),
    pytest.param(
        "The deal was signed in the U.S. It took effect in March.",
        ["The deal was signed in the U.S.", "It took effect in March."],
        id="abbreviation-ends-sentence-before-function-word",
    ),
    pytest.param(
        "The parts are made by Harbin Tools Co. Ltd. The firm employs 40 people.",
        ["The parts are made by Harbin Tools Co. Ltd.", "The firm employs 40 people."],
        id="company-suffix-ends-sentence",
    ),
    pytest.param(
        "Acme Inc. Chairman Ivanov and Baikal Corp. Director Zhao signed it.",
        ["Acme Inc. Chairman Ivanov and Baikal Corp. Director Zhao signed it."],
        id="company-suffix-before-capitalised-noun",
    ),
    pytest.param(
        "Small firms sell fruit, e.g. apples, i.e. fresh goods, timber, etc. to buyers in Harbin.",
        ["Small firms sell fruit, e.g. apples, i.e. fresh goods, timber, etc. to buyers in Harbin."],
        id="eg-ie-etc-mid-sentence",
    ),
    pytest.param(
        "They ship grain, timber, coal etc. The list keeps growing.",
        ["They ship grain, timber, coal etc.", "The list keeps growing."],
        id="etc-at-sentence-end",
    ),
    pytest.param(
        "Talks ran from Jan. 10 to Feb. 2 and resumed on Dec. 5. Both sides agreed.",
        ["Talks ran from Jan. 10 to Feb. 2 and resumed on Dec. 5.", "Both sides agreed."],
        id="month-abbreviations-before-digits",
    ),
    pytest.param(
        "Crossing No. 5 handles more trucks than No. 6. It is busier.",
        ["Crossing No. 5 handles more trucks than No. 6.", "It is busier."],
        id="number-abbreviation",
    ),
    pytest.param(
        "It was Harbin vs. Vladivostok for the fair. Harbin won.",
        ["It was Harbin vs. Vladivostok for the fair.", "Harbin won."],
        id="versus",
    ),
    pytest.param(
        "J. K. Ivanova opened the fair and Vladimir V. Putin sent greetings. Xi J. Ping did not.",
        ["J. K. Ivanova opened the fair and Vladimir V. Putin sent greetings.", "Xi J. Ping did not."],
        id="initials",
    ),
    pytest.param(
        "A. A. Smirnova runs the co-op. She exports honey.",
        ["A. A. Smirnova runs the co-op.", "She exports honey."],
        id="initial-a-is-not-the-article",
    ),
    pytest.param(
        "Turnover rose 3.5% to $1.13bn in 2023. It was a record.",
        ["Turnover rose 3.5% to $1.13bn in 2023.", "It was a record."],
        id="decimals-and-money",
    ),
    pytest.param(
        "Sales rose... and then fell. Then they rose again... Analysts shrugged.",
        ["Sales rose... and then fell.", "Then they rose again...", "Analysts shrugged."],
        id="ellipsis",
    ),
    pytest.param(
        'He said "yes." Then the talks ended. She asked, "Why not?" and left.',
        ['He said "yes."', "Then the talks ended.", 'She asked, "Why not?" and left.'],
        id="quote-closing-after-stop",
    ),
    pytest.param(
        'Firms said "we agree." (and "we will sign.") Banks agreed.',
        ['Firms said "we agree." (and "we will sign.")', "Banks agreed."],
        id="lowercase-after-opening-quote-or-bracket-continues",
    ),
    pytest.param(
        "Exports grew (mostly timber.) Imports fell. “We are glad,” he said. “Very glad.” Fine.",
        ["Exports grew (mostly timber.)", "Imports fell.", "“We are glad,” he said.", "“Very glad.”", "Fine."],
        id="brackets-and-curly-quotes",
    ),
    pytest.param(
        "Trade rose 20%. 2024 will be better.",
        ["Trade rose 20%.", "2024 will be better."],
        id="sentence-starting-with-digit",
    ),
    pytest.param(
        "The Russian side called it «Пояс и путь». The Chinese side agreed",
        ["The Russian side called it «Пояс и путь».", "The Chinese side agreed"],
        id="cyrillic-inside-and-text-after-last-stop",
    ),
    pytest.param(
        "The minister quoted 一带一路。 Then he left.",
        ["The minister quoted 一带一路。", "Then he left."],
        id="chinese-inside",
    ),
    pytest.param("  no stop at all  ", ["no stop at all"], id="no-terminal-mark"),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_sentences(text: str, expected: list[str]) -> None:
    assert texts(text, "en") == expected
    check_invariants(text, split_sentences(text, "en"))


# --- Russian ----------------------------------------------------------------

RUSSIAN = [
    pytest.param(
        "Товарооборот России и Китая вырос. Малый бизнес доволен!",
        ["Товарооборот России и Китая вырос.", "Малый бизнес доволен!"],
        id="two-plain-sentences",
    ),
    pytest.param(
        "Экспорт вырос, т.е. рынок открылся. Импорт вырос, т. е. спрос есть. Так.",
        ["Экспорт вырос, т.е. рынок открылся.", "Импорт вырос, т. е. спрос есть.", "Так."],
        id="to-est",
    ),
    pytest.param(
        "В 2023 г. Китай стал главным партнёром. В 2014–2015 гг. Россия нарастила экспорт. Так.",
        ["В 2023 г. Китай стал главным партнёром.", "В 2014–2015 гг. Россия нарастила экспорт.", "Так."],
        id="god-gody",
    ),
    pytest.param(
        "Лес, зерно, уголь и т.д. везут в Харбин. Мёд, соки и др. товары тоже. Так.",
        ["Лес, зерно, уголь и т.д. везут в Харбин.", "Мёд, соки и др. товары тоже.", "Так."],
        id="list-closers-mid-sentence",
    ),
    pytest.param(
        "Везут лес, зерно и т. д. Спрос растёт. Везут мёд и пр. Цены стабильны.",
        ["Везут лес, зерно и т. д.", "Спрос растёт.", "Везут мёд и пр.", "Цены стабильны."],
        id="list-closers-end-sentence",
    ),
    pytest.param(
        "Форум прошёл в университете им. Губкина на ул. Ленина. Было людно.",
        ["Форум прошёл в университете им. Губкина на ул. Ленина.", "Было людно."],
        id="imeni-ulitsa",
    ),
    pytest.param(
        "Кредит составил 500 тыс. руб. на фирму и 2 млрд руб. в целом. Это много.",
        ["Кредит составил 500 тыс. руб. на фирму и 2 млрд руб. в целом.", "Это много."],
        id="rubles-billions",
    ),
    pytest.param(
        "Оборот достиг 240 млрд долл. США. Это рекорд.",
        ["Оборот достиг 240 млрд долл. США.", "Это рекорд."],
        id="dollars-usa",
    ),
    pytest.param(
        "Встречу открыл Д. А. Медведев. Затем выступил В.В. Путин. Потом Си Цзиньпин.",
        ["Встречу открыл Д. А. Медведев.", "Затем выступил В.В. Путин.", "Потом Си Цзиньпин."],
        id="initials",
    ),
    pytest.param(
        "Ярмарка прошла 5 дек. 2023 г. в Хэйхэ (см. табл. 2). Итоги хорошие.",
        ["Ярмарка прошла 5 дек. 2023 г. в Хэйхэ (см. табл. 2).", "Итоги хорошие."],
        id="month-and-table-before-digit",
    ),
    pytest.param(
        "Он сказал: «Мы будем сотрудничать». Затем уехал. Экспорт вырос на 3,5%. Хорошо",
        ["Он сказал: «Мы будем сотрудничать».", "Затем уехал.", "Экспорт вырос на 3,5%.", "Хорошо"],
        id="quotes-percent-text-after-last-stop",
    ),
    pytest.param(
        "Проект «Belt and Road» (BRI) поддержали в U.S. Congress. Mr. Smith согласился.",
        ["Проект «Belt and Road» (BRI) поддержали в U.S. Congress.", "Mr. Smith согласился."],
        id="english-inside",
    ),
    pytest.param(
        "Китайцы называют проект 一带一路. Россия участвует.",
        ["Китайцы называют проект 一带一路.", "Россия участвует."],
        id="chinese-inside",
    ),
]


@pytest.mark.parametrize(("text", "expected"), RUSSIAN)
def test_russian_sentences(text: str, expected: list[str]) -> None:
    assert texts(text, "ru") == expected
    check_invariants(text, split_sentences(text, "ru"))


# --- Chinese ----------------------------------------------------------------

CHINESE = [
    pytest.param(
        "中俄贸易额再创新高。中小企业合作前景广阔！这是真的吗？",
        ["中俄贸易额再创新高。", "中小企业合作前景广阔！", "这是真的吗？"],
        id="three-marks",
    ),
    pytest.param(
        "他说：“我们会合作。”然后离开。",
        ["他说：“我们会合作。”", "然后离开。"],
        id="closing-quote-goes-with-sentence",
    ),
    pytest.param(
        "她问：「出口会增长吗？」《人民日报》报道。（数据来自海关。）其他",
        ["她问：「出口会增长吗？」", "《人民日报》报道。", "（数据来自海关。）", "其他"],
        id="corner-quotes-brackets-and-tail",
    ),
    pytest.param(
        "真的吗？！当然！!好?",
        ["真的吗？！", "当然！!", "好?"],
        id="runs-and-half-width-marks",
    ),
    pytest.param(
        '他说:"我们会合作。"然后离开。"下一步呢?"',
        ['他说:"我们会合作。"', "然后离开。", '"下一步呢?"'],
        id="straight-quotes-closing-only-when-open",
    ),
    pytest.param(
        "贸易增长3.5%；中小企业……前景广阔。",
        ["贸易增长3.5%；中小企业……前景广阔。"],
        id="semicolon-ellipsis-decimal-do-not-end",
    ),
    pytest.param(
        "上合组织（SCO）峰会讨论了Belt and Road倡议。Mr. Smith和J.K.罗琳出席了会议。",
        ["上合组织（SCO）峰会讨论了Belt and Road倡议。", "Mr. Smith和J.K.罗琳出席了会议。"],
        id="latin-inside",
    ),
    pytest.param(
        "双方签署了协议. 合作将扩大.",
        ["双方签署了协议.", "合作将扩大."],
        id="half-width-stop-after-han",
    ),
    pytest.param(
        "俄方称之为“Пояс и путь”。双方同意。",
        ["俄方称之为“Пояс и путь”。", "双方同意。"],
        id="cyrillic-inside",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese_sentences(text: str, expected: list[str]) -> None:
    assert texts(text, "zh") == expected
    check_invariants(text, split_sentences(text, "zh"))


# --- line breaks --------------------------------------------------------------

LINES = [
    pytest.param(
        "en",
        "China-Russia trade hits record\nTurnover rose 26% last year.",
        ["China-Russia trade hits record", "Turnover rose 26% last year."],
        id="en-headline-line",
    ),
    pytest.param(
        "en",
        "Small firms in the border regions\nare trading more with each\nother. Banks help.",
        ["Small firms in the border regions\nare trading more with each\nother.", "Banks help."],
        id="en-hard-wrapped-lowercase",
    ),
    pytest.param(
        "en",
        "Exports of timber, grain,\nCoal and oil rose.\nSmall-\nBusiness loans too.",
        ["Exports of timber, grain,\nCoal and oil rose.", "Small-\nBusiness loans too."],
        id="en-comma-or-hyphen-at-line-end",
    ),
    pytest.param(
        "en",
        "Trade grew a lot\n\nbut slowly at first.",
        ["Trade grew a lot", "but slowly at first."],
        id="en-blank-line-always-ends",
    ),
    pytest.param(
        "en",
        "Prices fell after the U.S.\nofficials spoke, i.e.\nthe market waited.",
        ["Prices fell after the U.S.\nofficials spoke, i.e.\nthe market waited."],
        id="en-stop-at-line-end-before-lowercase",
    ),
    pytest.param(
        "en",
        "Would trade grow?\nanalysts asked.",
        ["Would trade grow?", "analysts asked."],
        id="en-question-at-line-end",
    ),
    pytest.param(
        "en",
        "Trade deal signed\r\nIt covers grain.\u2028Another line\r\rLast one",
        ["Trade deal signed", "It covers grain.", "Another line", "Last one"],
        id="en-other-line-breaks",
    ),
    pytest.param(
        "ru",
        "Товарооборот бьёт рекорды\nЭкспорт вырос на 26%, а импорт\nснизился. Так.\n\n  Новый абзац",
        ["Товарооборот бьёт рекорды", "Экспорт вырос на 26%, а импорт\nснизился.", "Так.", "Новый абзац"],
        id="ru-headline-wrap-paragraph",
    ),
    pytest.param(
        "zh",
        "中俄贸易创新高\n新华社莫斯科电 中小企业合作，\n前景广阔。\n\n第二段",
        ["中俄贸易创新高", "新华社莫斯科电 中小企业合作，\n前景广阔。", "第二段"],
        id="zh-headline-comma-wrap-paragraph",
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), LINES)
def test_line_breaks(language: str, text: str, expected: list[str]) -> None:
    assert texts(text, language) == expected
    check_invariants(text, split_sentences(text, language))


def test_one_line_reads_the_neighbours_of_a_line_break_in_the_stripped_text() -> None:
    # Chinese lines join without a space, English ones with one, whatever whitespace
    # stands around the text (it once shifted the neighbours read by one place per space).
    assert one_line("  中\n俄贸易") == "中俄贸易"
    assert one_line("  Trade grew\r\n  again. ") == "Trade grew again."
    assert one_line("\t中俄 trade\ngrew") == "中俄 trade grew"


def test_offsets_point_into_original() -> None:
    text = "  Headline\n\nMr. Li spoke.  Trade grew.\n"
    assert split_sentences(text, "en") == [
        Sentence("Headline", 2, 10),
        Sentence("Mr. Li spoke.", 12, 25),
        Sentence("Trade grew.", 27, 38),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", ["", " ", "\n\n\t \u3000", "\r\n"])
def test_blank_text_gives_no_sentences_or_words(language: str, text: str) -> None:
    assert split_sentences(text, language) == []
    assert split_words(text, language) == []


@pytest.mark.parametrize(("alias", "text", "expected"), [
    ("zh-CN", "合作。成功。", ["合作。", "成功。"]),
    ("RU", "Да. Нет.", ["Да.", "Нет."]),
    ("english", "Yes. No.", ["Yes.", "No."]),
])
def test_language_aliases_are_accepted(alias: str, text: str, expected: list[str]) -> None:
    assert texts(text, alias) == expected


@pytest.mark.parametrize("function", [split_sentences, split_words])
def test_unsupported_language_is_refused(function: object) -> None:
    with pytest.raises(UnsupportedLanguage):
        function("Bonjour.", "fr")  # type: ignore[operator]


# --- words ------------------------------------------------------------------

WORDS = [
    pytest.param(
        "en",
        "Small-business loans rose 3.5% to $1.13bn; Russia's exporters—and China’s—gained.",
        ["Small-business", "loans", "rose", "3.5", "to", "1.13bn", "Russia's", "exporters", "and", "China’s", "gained"],
        id="en",
    ),
    pytest.param(
        "ru",
        "Малый бизнес — 3,5 млрд руб., т.е. «Belt and Road» в 2024-м году!",
        ["Малый", "бизнес", "3,5", "млрд", "руб", "т", "е", "Belt", "and", "Road", "в", "2024-м", "году"],
        id="ru",
    ),
    pytest.param(
        "zh",
        "上合组织（SCO）支持中小企业合作， Belt and Road！",
        ["上合", "组织", "SCO", "支持", "中小企业", "合作", "Belt", "and", "Road"],
        id="zh",
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), WORDS)
def test_words(language: str, text: str, expected: list[str]) -> None:
    assert split_words(text, language) == expected


# --- never raises, always exact -----------------------------------------------

TRICKY = [
    "\ud800", "\udfff", "\ud800.", "Mr.", "U.S.", "т.е.", "гг.", "и т. д.", "。", "”", "\"", "'",
    "……", "...", "…", ".", "!", "?", "？", "！", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\u2028",
    "\u3000", "a", "A", "Trade", "The", "It", "В", "Китай", "и", "中", "合作", "SCO", "3.5", "(", ")",
    "«", "»", "「", "」", ",", "，", "-", "2)", "табл.", "долл.", "США",
]
ANY_TEXT = st.one_of(
    st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs", "Co"])),
    st.lists(st.sampled_from(TRICKY), max_size=40).map("".join),
    st.lists(
        st.one_of(st.sampled_from(TRICKY), st.text(st.characters(categories=["Cs", "Zs", "Po"]), max_size=3)),
        max_size=30,
    ).map("".join),
)


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT)
@example(text="\ud800")
@example(text="\ud800\n\n\udfff. \ud800")
@example(text="a.\nb")
def test_any_text_splits_exactly(language: str, text: str) -> None:
    check_invariants(text, split_sentences(text, language))


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=100, deadline=None)
@given(text=ANY_TEXT)
@example(text="\ud800 合作 \udfff")
def test_any_text_gives_words_in_order(language: str, text: str) -> None:
    position = 0
    for word in split_words(text, language):
        assert word and word == word.strip()
        found = text.find(word, position)
        assert found >= 0
        position = found + len(word)


# --- speed and loading --------------------------------------------------------

SAMPLES = {
    "en": "Mr. Li said trade with Russia rose 3.5% in Jan. to $1.13bn, e.g. in grain. ",
    "ru": "По словам В.В. Путина, в 2023 г. оборот вырос на 26,3%, т.е. до 240 млрд долл. ",
    "zh": "他说：“中俄贸易增长了3.5%，中小企业合作（SCO）前景广阔。”",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_five_thousand_sentences_split_fast(language: str) -> None:
    text = SAMPLES[language] * 5000
    began = time.perf_counter()
    sentences = split_sentences(text, language)
    elapsed = time.perf_counter() - began
    assert len(sentences) == 5000
    assert elapsed < 3.0


@pytest.mark.parametrize("unit", ["т.е. ", "(см. ", "a."])
def test_one_long_russian_sentence_is_linear(unit: str) -> None:
    # razdel alone builds such a sentence in quadratic time: ten times the text took a
    # hundred times as long. Timed against a tenth of the text in the same run, so that a
    # busy machine slows both (linear is about 10×; each the best of two runs).
    def seconds(count: int) -> float:
        times = []
        for _ in range(2):
            began = time.perf_counter()
            assert len(split_sentences(unit * count, "ru")) == 1
            times.append(time.perf_counter() - began)
        return min(times)

    assert seconds(40_000) < 25 * seconds(4_000)


def test_import_is_light_and_jieba_is_quiet_and_shared_across_threads() -> None:
    script = """
import sys, threading
import toolkit.text.segment as segment
assert "jieba" not in sys.modules and "razdel" not in sys.modules, "heavy import at load"
results = []
def work():
    results.append((segment.split_words("中小企业合作", "zh"), id(segment._jieba())))
threads = [threading.Thread(target=work) for _ in range(6)]
for t in threads: t.start()
for t in threads: t.join()
assert len(results) == 6 and len(set(map(str, results))) == 1, results
"""
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
