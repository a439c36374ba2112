"""Translation with the tiny copying packages: every direction, pivoting, auto, layout, cache, threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import Settings, TriglotError, translate, translate_detailed
from toolkit.translation import CTranslate2Engine, engine_for
from toolkit.errors import ModelNotInstalled, UndetectedLanguage, UnsupportedLanguage
from toolkit.translation import InstalledModel, install_from_file, remove_model

# The tiny packages copy their input, so real content must come back unchanged
# (with the glossary off: it would put the target language's terms in).
SENTENCES = {
    "en": "Small firms in Harbin signed 42 contracts with Russian buyers.",
    "zh": "哈尔滨的中小企业与俄罗斯买家签订了42份合同。",
    "ru": "Малые фирмы Харбина подписали 42 контракта с российскими покупателями.",
}
DIRECTIONS = [(s, t) for s in SENTENCES for t in SENTENCES if s != t]


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_content_survives_every_direction(with_models: Settings, source: str, target: str) -> None:
    result = translate_detailed([SENTENCES[source]], source=source, target=target, settings=with_models, glossary=False)[0]
    assert result.text == SENTENCES[source]
    expected_route = (source, target) if "en" in (source, target) else (source, "en", target)
    assert result.route == expected_route
    assert result.sentences == 1


def test_chinese_and_russian_pivot_through_english_with_both_packages_in_the_signature(with_models: Settings) -> None:
    result = translate_detailed([SENTENCES["zh"]], source="zh", target="ru", settings=with_models)[0]
    assert "packages:translate-zh_en 1.0 + translate-en_ru 1.0" in str(result.signature)
    assert "beam 4" in str(result.signature) and "engine:ctranslate2" in str(result.signature)


def test_auto_detects_each_text_of_a_list_on_its_own(with_models: Settings) -> None:
    texts = [SENTENCES["en"], SENTENCES["ru"], SENTENCES["zh"]]
    results = translate_detailed(texts, source="auto", target="ru", settings=with_models, glossary=False)
    assert [r.source for r in results] == ["en", "ru", "zh"]
    assert [r.route for r in results] == [("en", "ru"), ("ru",), ("zh", "en", "ru")]
    assert all(r.detection is not None and r.detection.language == r.source for r in results)
    assert [r.text for r in results] == texts


def test_a_string_gives_a_string_and_a_list_gives_a_list(with_models: Settings) -> None:
    assert translate(SENTENCES["en"], source="en", target="zh", settings=with_models, glossary=False) == SENTENCES["en"]
    assert translate([SENTENCES["en"]], source="en", target="zh", settings=with_models, glossary=False) == [
        SENTENCES["en"]
    ]
    assert translate([], target="zh", settings=with_models) == []


def test_same_source_and_target_returns_the_text_without_any_package() -> None:
    text = "Торговля растёт.\n\nМалый бизнес тоже."
    assert translate(text, source="ru", target="ru") == text


def test_paragraph_breaks_are_kept_and_spaces_follow_the_target_language(with_models: Settings) -> None:
    text = "Trade grew. Firms signed deals.\n\nBanks were slow.\nBut payments arrived."
    assert translate(text, source="en", target="ru", settings=with_models) == text
    assert translate(text, source="en", target="zh", settings=with_models) == (
        "Trade grew.Firms signed deals.\n\nBanks were slow.\nBut payments arrived."
    )
    chinese = "贸易增长了。企业签了合同。\n\n银行很慢。"
    assert translate(chinese, source="zh", target="en", settings=with_models) == (
        "贸易增长了。 企业签了合同。\n\n银行很慢。"
    )


def test_leading_and_trailing_whitespace_and_empty_texts_are_kept(with_models: Settings) -> None:
    assert translate(["", "   ", "\n Trade grew. \n"], source="en", target="ru", settings=with_models) == [
        "",
        "   ",
        "\n Trade grew. \n",
    ]


def test_html_entities_the_model_emits_are_unescaped(with_models: Settings) -> None:
    assert translate("Tom &amp; Jerry said &quot;yes&quot;.", source="en", target="ru", settings=with_models) == (
        'Tom & Jerry said "yes".'
    )


def test_a_sentence_longer_than_the_piece_limit_is_translated_in_parts_and_comes_back_whole(
    with_models: Settings,
) -> None:
    long_sentence = " ".join(["cooperation between small and medium-sized enterprises"] * 12) + "."
    short_pieces = Settings.from_env(home=with_models.home, max_sentence_tokens=16, max_sentence_pieces=64)
    assert translate(long_sentence, source="en", target="ru", settings=short_pieces, glossary=False) == long_sentence


def test_a_missing_package_names_the_command_that_installs_it() -> None:
    with pytest.raises(ModelNotInstalled, match="run 'triglot models install en zh'"):
        translate("Trade grew.", source="en", target="zh")


def test_a_missing_pivot_leg_names_only_what_is_missing(tiny_packages: dict, with_models: Settings) -> None:
    remove_model("en", "ru", with_models)
    with pytest.raises(ModelNotInstalled) as caught:
        translate("贸易增长了。", source="zh", target="ru", settings=with_models)
    message = str(caught.value)
    assert "goes through English" in message
    assert "'triglot models install en ru'" in message and "zh en" not in message


@pytest.mark.parametrize(
    ("text", "error"),
    [("12345 678", UndetectedLanguage), ("Die Regierung hat neue Maßnahmen beschlossen.", UnsupportedLanguage)],
)
def test_auto_refuses_what_it_cannot_translate(with_models: Settings, text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        translate(text, source="auto", target="en", settings=with_models)


class CountingEngine:
    """The real engine, counting how many sentences reach it."""

    def __init__(self, inner: CTranslate2Engine) -> None:
        self.inner = inner
        self.options = inner.options
        self.sentences = 0
        self.calls = 0

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        self.calls += 1
        self.sentences += len(sentences)
        return self.inner.translate(model, sentences)

    def name(self) -> str:
        return self.inner.name()


def test_all_sentences_of_a_request_go_to_each_package_in_one_batch(with_models: Settings) -> None:
    engine = CountingEngine(CTranslate2Engine(with_models))
    texts = ["Trade grew. Firms signed deals.", "Banks were slow. Trade grew.", "Payments arrived."]
    translate(texts, source="en", target="zh", settings=Settings.from_env(home=with_models.home, cache=False), engine=engine)
    assert engine.calls == 1
    assert engine.sentences == 4  # "Trade grew." once


def test_the_cache_serves_a_repeat_without_the_engine(with_models: Settings) -> None:
    engine = CountingEngine(CTranslate2Engine(with_models))
    text = "Trade grew. Firms signed deals."
    first = translate_detailed([text], source="en", target="ru", settings=with_models, engine=engine)[0]
    second = translate_detailed([text], source="en", target="ru", settings=with_models, engine=engine)[0]
    assert (first.cached_sentences, second.cached_sentences) == (0, 2)
    assert second.text == first.text
    assert engine.sentences == 2
    assert with_models.cache_path.exists()


def test_no_cache_neither_reads_nor_writes(with_models: Settings) -> None:
    uncached = Settings.from_env(home=with_models.home, cache=False)
    translate("Trade grew.", source="en", target="ru", settings=uncached)
    assert not uncached.cache_path.exists()


def test_replacing_a_package_invalidates_its_cached_sentences(
    with_models: Settings, tiny_packages: dict, tmp_path: Path
) -> None:
    from tests.argos_packages import build_tiny_packages

    engine = CountingEngine(CTranslate2Engine(with_models))
    translate("Trade grew.", source="en", target="ru", settings=with_models, engine=engine)
    newer = build_tiny_packages(tmp_path / "v11", pairs=[("en", "ru")], version="1.1")[("en", "ru")]
    install_from_file(newer, with_models)
    result = translate_detailed(["Trade grew."], source="en", target="ru", settings=with_models, engine=engine)[0]
    assert result.cached_sentences == 0
    assert engine.sentences == 2
    assert "translate-en_ru 1.1" in str(result.signature)


def test_eight_threads_at_once_share_one_load_per_package(with_models: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = CTranslate2Engine(Settings.from_env(home=with_models.home, cache=False))
    opened: list[InstalledModel] = []
    real_open = CTranslate2Engine._open

    def counting_open(self: CTranslate2Engine, model: InstalledModel) -> object:
        opened.append(model)
        return real_open(self, model)

    monkeypatch.setattr(CTranslate2Engine, "_open", counting_open)
    uncached = Settings.from_env(home=with_models.home, cache=False)
    start = threading.Barrier(8)

    def work(number: int) -> list[str]:
        start.wait()
        texts = [f"{SENTENCES['zh']} 第{number}批。", f"{SENTENCES['en']} Batch {number}."]
        return [
            translate(texts[0], source="zh", target="ru", settings=uncached, engine=engine, glossary=False),
            translate(texts[1], source="en", target="zh", settings=uncached, engine=engine, glossary=False),
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    for number, (from_chinese, from_english) in enumerate(results):
        assert from_chinese == f"{SENTENCES['zh']} 第{number}批。"
        assert from_english == f"{SENTENCES['en']}Batch {number}."
    assert len(opened) == 3  # zh→en, en→ru, en→zh


def test_the_process_engine_is_shared_between_calls(with_models: Settings) -> None:
    assert engine_for(with_models) is engine_for(Settings.from_env(home=with_models.home))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=()), max_size=120)
    | st.sampled_from(["\ud800", "Trade.\udfff Growth.", "贸易\ud83d。"]),
    direction=st.sampled_from(DIRECTIONS + [("auto", "en")]),
)
def test_translate_raises_nothing_outside_the_hierarchy(with_models: Settings, text: str, direction: tuple[str, str]) -> None:
    source, target = direction
    try:
        result = translate(text, source=source, target=target, settings=with_models)
    except TriglotError:
        return
    assert isinstance(result, str)


_WRITER = """
import sys
from toolkit import Settings, translate
settings = Settings.from_env()
number = int(sys.argv[1])
texts = [f"Firm {number} signed contract {i}." for i in range(30)]
assert translate(texts, source="en", target="ru", settings=settings) == texts
print(sorted(m for m in ("argostranslate.translate", "torch", "stanza") if m in sys.modules))
"""


def test_several_processes_share_the_cache_and_none_imports_torch(with_models: Settings) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TRIGLOT_HOME": str(with_models.home)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(n)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for n in range(4)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.strip() == "[]"
    from toolkit.translation import TranslationCache

    assert TranslationCache(with_models.cache_path).stats().entries == 4 * 30


TERM_TEXTS = {
    "en": "Small and medium-sized enterprises in Harbin trade with the Eurasian Economic Union.",
    "zh": "哈尔滨的中小企业与欧亚经济联盟开展贸易。",
    "ru": "Малые и средние предприятия Харбина торгуют с Евразийским экономическим союзом.",
}


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_with_the_glossary_every_source_term_comes_out_as_preferred(
    with_models: Settings, source: str, target: str
) -> None:
    from toolkit import Glossary

    glossary = Glossary.load()
    result = translate_detailed([TERM_TEXTS[source]], source=source, target=target, settings=with_models)[0]
    wanted = {m.id for m in glossary.find(TERM_TEXTS[source], source)}
    assert {"sme", "eaeu", "harbin"} <= wanted
    rendered = {m.id for m in glossary.find(result.text, target) if m.preferred}
    assert wanted <= rendered, result.text
    assert {t.id for t in result.terms} == wanted
    assert all(t.status in ("ok", "fixed") for t in result.terms)


def test_the_glossary_can_be_switched_off(with_models: Settings) -> None:
    text = TERM_TEXTS["en"]
    assert translate(text, source="en", target="zh", settings=with_models, glossary=False) == text
    assert translate_detailed([text], source="en", target="zh", settings=with_models, glossary=False)[0].terms == ()


def test_keep_undetermined_gives_text_with_no_language_back_as_it_is(with_models: Settings) -> None:
    from toolkit.detection import UNDETERMINED

    results = translate_detailed(["😀", "Trade grew.", ""], target="ru", settings=with_models, keep_undetermined=True)
    assert [r.text for r in results] == ["😀", "Trade grew.", ""]
    assert [r.detection for r in results][::2] == [UNDETERMINED, None]
    cherokee = "<b>ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ</b>"  # letters of a script detection does not know
    html = translate_detailed([cherokee], target="ru", settings=with_models, format="html", keep_undetermined=True)
    assert (html[0].text, html[0].detection) == (cherokee, UNDETERMINED)
    with pytest.raises(UndetectedLanguage):
        translate_detailed(["😀"], target="ru", settings=with_models)


def test_auto_translates_a_name_heavy_english_sentence_within_the_margin(with_models: Settings) -> None:
    assert translate("Wang Yi met Lavrov", target="ru", settings=with_models) == "Wang Yi met Lavrov"
    no_margin = Settings.from_env({}, home=with_models.home, detect_margin=0.0)
    with pytest.raises(UnsupportedLanguage, match="'nl'"):
        translate("Wang Yi met Lavrov", target="ru", settings=no_margin)
