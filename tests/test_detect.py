"""Language detection: what it calls each language, mixed text, no-language input, and its guarantees."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit.detection import Detection, detect

# Written for these tests; the eval data in ../shared is for benchmarks only.
SUPPORTED_SENTENCES = [
    ("The central bank kept interest rates unchanged on Thursday.", "en"),
    ("Officials expect trade between the two countries to keep growing next year.", "en"),
    ("Hello, how are you?", "en"),
    ("中国与俄罗斯的双边贸易额今年再创新高。", "zh"),
    ("国务院总理在记者会上回答了外国记者的提问。", "zh"),
    ("我們今天去台北車站附近吃飯。", "zh"),  # Traditional Chinese is zh too
    ("經濟發展與環境保護必須並重。", "zh"),
    ("Центральный банк сохранил ключевую ставку без изменений.", "ru"),
    ("Правительство объявило о новых мерах поддержки малого бизнеса.", "ru"),
    ("Как дела?", "ru"),
]

SINGLE_WORDS = [
    ("government", "en"),
    ("market", "en"),
    ("weather", "en"),
    ("skiing", "en"),
    ("правительство", "ru"),
    ("экономика", "ru"),
    ("девушка", "ru"),
    ("经济", "zh"),
    ("工", "zh"),
    ("貿易", "zh"),
]

OTHER_LANGUAGES = [
    ("Уряд учора оголосив нові заходи проти інфляції.", "uk"),
    ("Вона вже десять років працює в банку у Львові.", "uk"),
    ("Яна дзесяць гадоў працуе ў банку ў Мінску.", "be"),
    ("Урад учора абвясціў новыя меры супраць інфляцыі.", "be"),
    ("Правителството обяви вчера нови мерки срещу инфлацията.", "bg"),
    ("Цените на енергията се повишиха много през миналата година.", "bg"),
    ("Влада је јуче објавила нове мере против инфлације.", "sr"),
    ("Министерот за надворешни работи ќе допатува во Скопје.", "mk"),
    ("Үкімет кеше инфляцияға қарсы жаңа шаралар жариялады.", "kk"),
    ("東京都知事選挙の結果が発表されました。", "ja"),
    ("今日はいい天気ですね。", "ja"),
    ("한국어를 공부하고 있습니다.", "ko"),
    ("Die Regierung hat gestern neue Maßnahmen gegen die Inflation beschlossen.", "de"),
    ("Wir fahren im Sommer mit den Kindern an die Ostsee.", "de"),
    ("Wo ist der Bahnhof?", "de"),
    ("Le gouvernement a annoncé hier de nouvelles mesures contre l'inflation.", "fr"),
    ("Nous partons en vacances avec les enfants au mois d'août.", "fr"),
    ("Merci beaucoup", "fr"),
    ("El gobierno anunció ayer nuevas medidas contra la inflación.", "es"),
    ("Il governo ha annunciato ieri nuove misure contro l'inflazione.", "it"),
    ("Rząd ogłosił wczoraj nowe środki przeciwko inflacji.", "pl"),
    ("Η κυβέρνηση ανακοίνωσε νέα μέτρα κατά του πληθωρισμού.", "el"),
    ("הממשלה הודיעה אתמול על צעדים חדשים.", "he"),
    ("أعلنت الحكومة أمس عن إجراءات جديدة لمكافحة التضخم.", "ar"),
    ("सरकार ने कल महंगाई के खिलाफ नए कदमों की घोषणा की।", "hi"),
]

MIXED = [
    ("The Belt and Road Initiative (一带一路) was launched by China in 2013.", "en"),
    ("Leaders discussed the 一带一路倡议 at length during the summit in Kazan.", "en"),
    ("上海合作组织（SCO）和金砖国家（BRICS）峰会在喀山举行。", "zh"),
    ("BRICS国家领导人在峰会上讨论了贸易问题。", "zh"),
    ("ＳＣＯ成员国外长会议在北京举行。", "zh"),  # full-width Latin
    ("Саммит BRICS и SCO прошёл в Казани в октябре.", "ru"),
    ("Новак Ђоковић выиграл турнир в Белграде в пятый раз подряд.", "ru"),
    ("Президент Казахстана Касым-Жомарт Тоқаев прибыл в Москву на переговоры.", "ru"),
    ("Прэзідэнт Беларусі сустрэўся з міністрам.", "be"),
    ("Details: https://example.com/path?q=1 or write to press@example.org", "en"),
]

NO_LANGUAGE = [
    "", " ", " \n\t ", "12345", "3.14 + 2,71 = 5.85", "?!...", "— « » —", "2024-05-01 12:00",
    "😀🎉", "https://example.com/a/b", "\ud800", "\udfff\ud800",
]


@pytest.mark.parametrize(("text", "language"), SUPPORTED_SENTENCES + SINGLE_WORDS)
def test_supported_languages_are_detected_and_marked_supported(text: str, language: str) -> None:
    result = detect(text)
    assert (result.language, result.supported) == (language, True)
    assert 0.0 < result.confidence <= 1.0


@pytest.mark.parametrize(("text", "language"), OTHER_LANGUAGES)
def test_other_languages_are_named_not_misfiled(text: str, language: str) -> None:
    result = detect(text)
    assert (result.language, result.supported) == (language, False)
    assert 0.0 < result.confidence <= 1.0


@pytest.mark.parametrize(("text", "language"), MIXED)
def test_mixed_text_goes_to_the_dominant_language(text: str, language: str) -> None:
    assert detect(text).language == language


@pytest.mark.parametrize("text", NO_LANGUAGE)
def test_text_without_letters_is_undetermined(text: str) -> None:
    assert detect(text) == Detection("und", 0.0, False)


def test_a_sentence_is_surer_than_a_word() -> None:
    word = detect("market").confidence
    sentence = detect("The market rose sharply after the central bank cut interest rates.").confidence
    assert word < sentence
    assert sentence > 0.9


def test_all_capitals_are_read_rather_than_skipped() -> None:
    assert detect("THE GOVERNMENT ANNOUNCED NEW MEASURES AGAINST INFLATION").language == "en"


def test_a_non_string_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        detect(b"hello")  # type: ignore[arg-type]


def test_detect_and_detection_are_the_public_ones() -> None:
    assert toolkit.detect is detect
    assert toolkit.Detection is Detection
    with pytest.raises(AttributeError):
        detect("hello").language = "de"  # type: ignore[misc]


# Lone surrogates come from JSON ("\ud800") and broken decoders; hypothesis
# draws them only when asked, so they get a strategy of their own.
_ANY_CHARACTER = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.sampled_from("aé中か한жіўқђ ."),
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ANY_CHARACTER, max_size=200))
@example("\ud800")
@example("a\udfffb")
@example("中\ud800文")
@example("ж\u0301")
@example("\u0301")
def test_never_raises_and_confidence_stays_between_0_and_1(text: str) -> None:
    result = detect(text)
    assert isinstance(result.language, str) and result.language
    assert 0.0 <= result.confidence <= 1.0
    assert result.supported == (result.language in ("en", "zh", "ru"))


_PROBES = [text for text, _ in SUPPORTED_SENTENCES + SINGLE_WORDS + OTHER_LANGUAGES + MIXED]


def test_same_answers_in_a_fresh_process_with_another_hash_seed() -> None:
    script = (
        "import json, sys\n"
        "from toolkit.detection import detect\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([[d.language, d.confidence] for d in map(detect, texts)]))\n"
    )
    other_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    env = {**os.environ, "PYTHONHASHSEED": other_seed}
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(_PROBES),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    here = [[d.language, d.confidence] for d in map(detect, _PROBES)]
    assert json.loads(done.stdout) == here


def test_answers_do_not_depend_on_langdetects_global_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    from langdetect import DetectorFactory

    before = [detect(text) for text in _PROBES]
    monkeypatch.setattr(DetectorFactory, "seed", 987)
    assert [detect(text) for text in _PROBES] == before


def test_eight_threads_share_one_load_and_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("toolkit.detection.detector")
    loads = []
    real_model = module._Model

    class CountingModel(real_model):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            loads.append(threading.get_ident())
            super().__init__()

    monkeypatch.setattr(module, "_Model", CountingModel)
    monkeypatch.setattr(module, "_loaded", None)  # every thread arrives before anything is loaded
    start = threading.Barrier(8)

    def work(offset: int) -> list[Detection]:
        start.wait()
        return [detect(text) for text in _PROBES[offset:] + _PROBES[:offset]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    assert len(loads) == 1
    expected = [detect(text) for text in _PROBES]
    for offset, result in enumerate(results):
        assert result == expected[offset:] + expected[:offset]


def test_importing_loads_no_language_data() -> None:
    probe = (
        "import sys, toolkit.detection\n"
        "print(sorted(m for m in sys.modules if m.startswith(('langdetect', 'wordfreq'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("text", ["ж" * 30_000, "a." * 15_000, "a@" * 15_000, "word " * 600_000])
def test_pathological_and_huge_inputs_take_no_time(text: str) -> None:
    # A run of word characters once made the e-mail pattern rescan from every
    # position; megabytes of text are counted only up to a cap.
    detect("warm up")
    started = time.perf_counter()
    detect(text)
    assert time.perf_counter() - started < 1.0



# --- candidates and the margin of auto --------------------------------------------------------

NAME_HEAVY = "Wang Yi met Lavrov"  # a short English sentence of names: Dutch 0.96, English 0.04


@pytest.mark.parametrize(
    "text", [NAME_HEAVY, "Trade grew.", "Der Handel mit China wächst stark.", "Торговля выросла.", "贸易增长了。", "😀"]
)
def test_candidates_are_best_first_and_begin_with_what_detect_says(text: str) -> None:
    from toolkit.detection import MAX_CANDIDATES, candidates

    found = candidates(text)
    assert found[0] == detect(text)
    assert 1 <= len(found) <= MAX_CANDIDATES
    assert [c.confidence for c in found] == sorted((c.confidence for c in found), reverse=True)
    assert len({c.language for c in found}) == len(found)


def test_a_supported_second_is_taken_within_the_margin_and_not_past_it() -> None:
    from toolkit.detection import candidates, detect_supported
    from toolkit.errors import UnsupportedLanguage

    winner, second = candidates(NAME_HEAVY)[:2]
    assert (winner.language, second.language) == ("nl", "en")
    ratio = winner.confidence / second.confidence
    assert detect_supported(NAME_HEAVY, doing="translate", margin=ratio * 1.01) == second
    with pytest.raises(UnsupportedLanguage, match="'nl'"):
        detect_supported(NAME_HEAVY, doing="translate", margin=ratio * 0.99)
    assert detect_supported(NAME_HEAVY, doing="translate").language == "en"  # the default margin
    with pytest.raises(UnsupportedLanguage, match="'de'"):
        detect_supported("Der Handel mit China wächst stark.", doing="translate")
