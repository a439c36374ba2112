"""process and process_many: one path from text to summary and translated title and summary."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from toolkit import Processed, Settings, SummaryOptions, process
from toolkit.errors import ModelNotInstalled, TranslationFailed, TriglotError, UnsupportedLanguage
from toolkit.pipeline import Article, process_many
from toolkit.translation import Engine, InstalledModel, engine_for

EN = """Eurasian Economic Union eases rules for small exporters

The Eurasian Economic Union agreed on common customs forms for small exporters this week.
Small firms in Russia and China will file one electronic declaration instead of three paper ones.
Officials expect the change to save exporters two days at the border.
The new forms will be used from the first of March.
"""

RU = """Малые экспортёры переходят на расчёты в юанях

Малые экспортёры из Сибири всё чаще получают оплату из Китая в юанях.
По словам банкиров, такие платежи проходят быстрее, чем переводы в долларах.
Доля расчётов в национальных валютах за год выросла почти вдвое.
"""

ZH = """边境口岸推行电子报关

今年黑河口岸全面推行电子报关，中小企业的通关时间明显缩短。
海关表示，一票货物的平均通关时间已经从两天缩短到六个小时。
企业普遍认为，这一改革降低了对俄贸易的成本。
"""


def test_process_gives_detection_summary_and_every_other_target(with_models: Settings) -> None:
    result = process(EN, settings=with_models, summary=SummaryOptions(sentences=2))
    assert result.detection.language == "en"
    assert result.title == "Eurasian Economic Union eases rules for small exporters"
    assert len(result.summary.sentences) == 2
    assert set(result.translations) == {"zh", "ru"}  # not en: the summary already is English
    zh = result.translations["zh"]
    assert zh.title is not None and "欧亚经济联盟" in zh.title  # the tiny model copies; the glossary puts the preferred term in
    assert zh.summary and "\n" not in zh.title
    assert any(term.expected == "欧亚经济联盟" for term in zh.terms)


def test_process_to_dict_has_the_shape_the_service_returns(with_models: Settings) -> None:
    data = process(RU, targets=["en"], settings=with_models).to_dict()
    assert set(data) == {"detection", "title", "summary", "translations"}
    assert data["detection"]["language"] == "ru" and data["detection"]["supported"] is True
    assert data["summary"]["language"] == "ru" and data["summary"]["sentences"]
    assert set(data["translations"]) == {"en"}
    assert set(data["translations"]["en"]) == {"title", "summary", "sentences", "terms", "signature"}


def test_every_translated_sentence_points_to_the_article_sentence_it_came_from(with_models: Settings) -> None:
    result = process(EN, settings=with_models, summary=SummaryOptions(sentences=3), glossary=False)
    picked = result.summary.sentences
    assert len(picked) == 3
    for target, translation in result.translations.items():
        assert [(s.start, s.end) for s in translation.sentences] == [(s.start, s.end) for s in picked]
        for sentence in translation.sentences:
            # The tiny models copy their input: each translation is its source sentence, found at its offsets.
            assert sentence.text == EN[sentence.start : sentence.end]
        joiner = "" if target == "zh" else " "  # Chinese writes sentences one after another without a space
        assert translation.summary == joiner.join(s.text for s in translation.sentences)
    data = result.to_dict()["translations"]["ru"]["sentences"]
    assert data == [{"text": s.text, "start": s.start, "end": s.end} for s in picked]


def test_a_chinese_summary_translated_joins_its_sentences_as_its_target_writes_them(with_models: Settings) -> None:
    to_zh = process(RU, targets=("zh",), settings=with_models, glossary=False).translations["zh"]
    assert len(to_zh.sentences) > 1 and to_zh.summary == "".join(s.text for s in to_zh.sentences)
    to_en = process(ZH, targets=("en",), settings=with_models, glossary=False).translations["en"]
    assert len(to_en.sentences) > 1 and to_en.summary == " ".join(s.text for s in to_en.sentences)


def test_a_translated_summary_signs_with_its_summary_and_its_translation(with_models: Settings) -> None:
    result = process(ZH, targets=("ru",), settings=with_models)
    signature = result.translations["ru"].signature
    assert signature.algorithm == result.summary.signature.algorithm == "lead"
    assert signature.packages == "translate-zh_en 1.0 + translate-en_ru 1.0"
    assert signature.glossary is not None and len(signature.glossary) == 12
    assert process(ZH, targets=("ru",), settings=with_models, glossary=False).translations["ru"].signature.glossary == "off"


def test_process_with_a_given_language_skips_detection(with_models: Settings) -> None:
    result = process(ZH, summary=SummaryOptions(language="zh-CN"), targets=("en",), settings=with_models)
    assert result.detection.language == "zh" and result.detection.confidence == 1.0
    assert result.title == "边境口岸推行电子报关"


def test_process_raises_model_not_installed_naming_the_command(tmp_path: object) -> None:
    with pytest.raises(ModelNotInstalled, match="triglot models install en zh"):
        process(EN, targets=("zh",), settings=Settings.from_env())


def test_process_rejects_an_unknown_target_before_any_work() -> None:
    with pytest.raises(UnsupportedLanguage):
        process(EN, targets=("de",))


def test_process_many_calls_the_engine_once_per_package_stage(with_models: Settings) -> None:
    calls: list[tuple[str, str, int]] = []
    real = engine_for(with_models)

    class Counting:
        options = real.options

        def name(self) -> str:
            return real.name()

        def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
            calls.append((model.source, model.target, len(sentences)))
            return real.translate(model, sentences)

    engine: Engine = Counting()
    batch = process_many(
        [Article(EN), Article(RU), Article(ZH), Article(EN.replace("this week", "today"))],
        targets=("en", "zh", "ru"),
        glossary=False,
        settings=with_models,
        engine=engine,
    )
    assert all(isinstance(r, Processed) for r in batch.results)
    assert batch.notices == ()
    # Both English articles travel in one en→zh batch and one en→ru batch.
    assert [c for c in calls if c[:2] == ("en", "zh")][0][2] > 4
    assert len([c for c in calls if c[:2] == ("en", "zh")]) == 2  # en articles, then ru articles via en
    for result in batch.results:
        assert isinstance(result, Processed)
        assert set(result.translations) == {"en", "zh", "ru"} - {result.language}


def test_process_many_keeps_a_failing_article_as_its_error(with_models: Settings) -> None:
    batch = process_many(
        [Article(EN), Article("Bonjour tout le monde, ceci est un article en français. " * 5)],
        targets=("zh",),
        settings=with_models,
    )
    good, bad = batch.results
    assert isinstance(good, Processed) and "zh" in good.translations
    assert isinstance(bad, UnsupportedLanguage)


def test_process_many_turns_a_missing_package_into_a_notice() -> None:
    batch = process_many([Article(EN), Article(RU)], targets=("zh", "en"), settings=Settings.from_env())
    assert all(isinstance(r, Processed) and not r.translations for r in batch.results)
    assert {(n.source, n.target) for n in batch.notices} == {("en", "zh"), ("ru", "zh"), ("ru", "en")}
    messages = " ".join(n.message for n in batch.notices)
    assert "triglot models install en zh" in messages and "triglot models install ru en" in messages


def test_process_many_isolates_the_article_that_breaks_the_engine(with_models: Settings) -> None:
    real = engine_for(with_models)

    class Fussy:
        options = real.options

        def name(self) -> str:
            return real.name()

        def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
            if any("六个小时" in s for s in sentences):
                raise TranslationFailed("the model broke on this sentence")
            return real.translate(model, sentences)

    batch = process_many(
        [Article(EN), Article(ZH), Article(RU)], targets=("en", "zh", "ru"), settings=with_models,
        engine=Fussy(), summary=SummaryOptions(sentences=3),
    )
    en, zh, ru = batch.results
    assert isinstance(zh, TriglotError) and "broke" in str(zh)
    assert isinstance(en, Processed) and set(en.translations) == {"zh", "ru"}
    assert isinstance(ru, Processed) and set(ru.translations) == {"en", "zh"}


def test_progress_counts_articles_then_languages(with_models: Settings) -> None:
    seen: list[tuple[int, int]] = []
    process_many(
        [Article(EN), Article(RU)], targets=("en", "zh"), settings=with_models,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
