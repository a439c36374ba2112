"""alternatives=N: other translations from the engine's n-best list, assembled, glossary-fixed, distinct, capped.

The tiny packages copy their input, so their n-best lists hold the copy and then
decoding noise (a control character in front), which the engine leaves out: with the
real engine there are no alternatives. ``RankingEngine`` puts chosen hypotheses
behind the real best translation so that the assembling can be checked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import pytest

from toolkit import Settings, translate_detailed
from toolkit.translation import CTranslate2Engine, NBestEngine
from toolkit.errors import InvalidOption
from toolkit.translation import InstalledModel, find_model
from toolkit.translation import MAX_ALTERNATIVES


class RankingEngine:
    """The real engine for best translations; n-best lists from ``table`` (input sentence → other hypotheses)."""

    def __init__(self, inner: CTranslate2Engine, table: dict[str, list[str]]) -> None:
        self.inner = inner
        self.options = inner.options
        self.table = table
        self.nbest_calls: list[tuple[str, str, list[str], int]] = []

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        return self.inner.translate(model, sentences)

    def translate_nbest(self, model: InstalledModel, sentences: Sequence[str], count: int) -> list[list[str]]:
        self.nbest_calls.append((model.source, model.target, list(sentences), count))
        best = self.inner.translate(model, sentences)
        return [[b, *self.table.get(s, [])][:count] for s, b in zip(sentences, best)]

    def name(self) -> str:
        return self.inner.name()


TABLE = {
    "Trade grew.": ["Trade rose.", "Commerce grew.", "Trade rose.", "Trade grew.", "Trade went up.", "Sales grew."],
    "Banks were slow.": ["Banks lagged."],
    "Trade with the Eurasian Economic Union grew.": [
        "Trade with the Eurasian Economic Union rose.",
        "Trade with the Евразийский экономический союз grew.",  # the main text once the glossary has fixed it
        "Trade with the ЕАЭС rose.",  # the same as the first once fixed
    ],
}

CASES = [
    pytest.param("Trade grew.", 1, True, ("Trade rose.",), id="one"),
    pytest.param("Trade grew.", 2, True, ("Trade rose.", "Commerce grew."), id="two"),
    pytest.param(
        "Trade grew.", 10, True, ("Trade rose.", "Commerce grew.", "Trade went up.", "Sales grew."), id="duplicates-dropped"
    ),
    pytest.param(
        "Trade grew. Banks were slow.",
        3,
        True,
        ("Trade rose. Banks lagged.", "Commerce grew. Banks were slow."),
        id="sentence-with-fewer-keeps-its-best",
    ),
    pytest.param(
        "Trade grew.\n\nBanks were slow.", 1, True, ("Trade rose.\n\nBanks lagged.",), id="layout-like-the-main-text"
    ),
    pytest.param("Firms signed deals.", 3, True, (), id="no-hypotheses"),
    pytest.param("Trade grew.", 3, True, ("Trade rose.", "Commerce grew."), id="engine-duplicates-dropped"),
    pytest.param(
        "Trade with the Eurasian Economic Union grew.",
        3,
        True,
        ("Trade with the Евразийский экономический союз rose.",),
        id="glossary-fixed-then-deduplicated",
    ),
    pytest.param(
        "Trade with the Eurasian Economic Union grew.",
        3,
        False,
        (
            "Trade with the Eurasian Economic Union rose.",
            "Trade with the Евразийский экономический союз grew.",
            "Trade with the ЕАЭС rose.",
        ),
        id="glossary-off",
    ),
]


@pytest.mark.parametrize(("text", "count", "glossary", "expected"), CASES)
def test_alternatives_are_assembled_from_each_sentence_s_hypotheses(
    with_models: Settings, text: str, count: int, glossary: bool, expected: tuple[str, ...]
) -> None:
    engine = RankingEngine(CTranslate2Engine(with_models), TABLE)
    result = translate_detailed(
        [text], source="en", target="ru", settings=with_models, engine=engine, glossary=glossary, alternatives=count
    )[0]
    assert result.alternatives == expected
    assert len(result.alternatives) <= count
    assert result.text not in result.alternatives
    assert len(set(result.alternatives)) == len(result.alternatives)
    assert [c[3] for c in engine.nbest_calls] == [count + 1]


def test_the_main_translation_and_the_cache_are_the_same_with_or_without_alternatives(with_models: Settings) -> None:
    engine = RankingEngine(CTranslate2Engine(with_models), TABLE)
    text = "Trade grew. Banks were slow. Firms signed deals."
    plain = translate_detailed([text], source="en", target="ru", settings=with_models, engine=engine)[0]
    ranked = translate_detailed([text], source="en", target="ru", settings=with_models, engine=engine, alternatives=2)[0]
    assert ranked.text == plain.text
    assert ranked.cached_sentences == ranked.sentences == 3  # the main translation came from the cache
    assert ranked.alternatives == ("Trade rose. Banks lagged. Firms signed deals.", "Commerce grew. Banks were slow. Firms signed deals.")


def test_a_pivot_ranks_the_last_leg_only(with_models: Settings) -> None:
    english = "贸易增长了。"  # what the copying zh→en package gives the en→ru one
    engine = RankingEngine(CTranslate2Engine(with_models), {english: ["贸易上升了。"]})
    result = translate_detailed(["贸易增长了。"], source="zh", target="ru", settings=with_models, engine=engine, alternatives=2)[0]
    assert result.route == ("zh", "en", "ru")
    assert result.alternatives == ("贸易上升了。",)
    assert [(c[0], c[1], c[2]) for c in engine.nbest_calls] == [("en", "ru", [english])]


def test_all_texts_of_a_request_are_ranked_in_one_batch_per_package(with_models: Settings) -> None:
    engine = RankingEngine(CTranslate2Engine(with_models), TABLE)
    texts = ["Trade grew. Banks were slow.", "Trade grew.", "Торговля растёт.", "贸易增长了。", ""]
    results = translate_detailed(texts, source="auto", target="en", settings=with_models, engine=engine, alternatives=1)
    assert sorted((c[0], c[1], tuple(c[2])) for c in engine.nbest_calls) == [
        ("ru", "en", ("Торговля растёт.",)),
        ("zh", "en", ("贸易增长了。",)),
    ]
    assert [r.alternatives for r in results] == [(), (), (), (), ()]  # en→en has no package to ask


def test_html_alternatives_are_built_from_the_nodes_alternatives(with_models: Settings) -> None:
    engine = RankingEngine(CTranslate2Engine(with_models), TABLE)
    html = '<p class="a">Trade grew.</p>\n<p><b>Banks were slow.</b></p>'
    result = translate_detailed(
        [html], source="en", target="ru", settings=with_models, engine=engine, format="html", alternatives=2
    )[0]
    assert result.text == html
    assert result.alternatives == (
        '<p class="a">Trade rose.</p>\n<p><b>Banks lagged.</b></p>',
        '<p class="a">Commerce grew.</p>\n<p><b>Banks were slow.</b></p>',
    )


def test_to_dict_has_alternatives_only_when_there_are_some(with_models: Settings) -> None:
    engine = RankingEngine(CTranslate2Engine(with_models), TABLE)
    common = {"source": "en", "target": "ru", "settings": with_models, "engine": engine}
    none = translate_detailed(["Trade grew."], **common)[0].to_dict()  # type: ignore[arg-type]
    empty = translate_detailed(["Firms signed deals."], alternatives=3, **common)[0].to_dict()  # type: ignore[arg-type]
    some = translate_detailed(["Trade grew."], alternatives=2, **common)[0].to_dict()  # type: ignore[arg-type]
    assert "alternatives" not in none and "alternatives" not in empty
    assert some["alternatives"] == ["Trade rose.", "Commerce grew."]
    assert some["translation"] == "Trade grew."


class PlainEngine:
    """An engine with no n-best list, as older fakes and third-party engines are."""

    def __init__(self, inner: CTranslate2Engine) -> None:
        self.inner = inner
        self.options = inner.options

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        return self.inner.translate(model, sentences)

    def name(self) -> str:
        return self.inner.name()


def test_an_engine_without_n_best_gives_no_alternatives_and_still_translates(with_models: Settings) -> None:
    engine = PlainEngine(CTranslate2Engine(with_models))
    assert not isinstance(engine, NBestEngine)
    assert isinstance(RankingEngine(engine.inner, {}), NBestEngine)
    result = translate_detailed(["Trade grew."], source="en", target="ru", settings=with_models, engine=engine, alternatives=3)[0]
    assert (result.text, result.alternatives) == ("Trade grew.", ())


@pytest.mark.parametrize("value", [-1, MAX_ALTERNATIVES + 1, 1000, True, 1.5, "2", None])
def test_a_bad_count_is_refused_before_any_work(value: object) -> None:
    # No package is installed: the count is checked first, so it is what the error is about.
    with pytest.raises(InvalidOption, match="alternatives"):
        translate_detailed(["Trade grew."], source="en", target="zh", alternatives=value)  # type: ignore[arg-type]


def test_the_real_engine_ranks_each_sentence_best_first_and_leaves_noise_out(with_models: Settings) -> None:
    engine = CTranslate2Engine(with_models)
    model = find_model("en", "ru", with_models)
    assert model is not None
    sentences = ["Trade grew.", "Small firms in Harbin signed 42 contracts with Russian buyers.", "Tom & Jerry."]
    ranked = engine.translate_nbest(model, sentences, 6)  # wider than the beam of 4
    assert [r[0] for r in ranked] == engine.translate(model, sentences) == sentences
    for hypotheses in ranked:
        assert 1 <= len(hypotheses) <= 6 and len(set(hypotheses)) == len(hypotheses)
        assert not any(unicodedata.category(c) == "Cc" for h in hypotheses for c in h)
    # The copying model's other hypotheses are the copy behind a control character: all noise.
    assert ranked == [[s] for s in sentences]


def test_the_real_engine_ranks_a_sentence_sent_in_parts_as_a_whole(with_models: Settings) -> None:
    engine = CTranslate2Engine(Settings.from_env(home=with_models.home, max_sentence_tokens=16, max_sentence_pieces=64))
    model = find_model("en", "ru", with_models)
    assert model is not None
    long_sentence = " ".join(["cooperation between small and medium-sized enterprises"] * 6) + "."
    assert engine.translate_nbest(model, [long_sentence, ""], 3) == [[long_sentence], [""]]


def test_the_real_engine_through_translate_detailed_gives_none_from_copying_models(with_models: Settings) -> None:
    results = translate_detailed(
        ["Trade grew. Banks were slow.", "贸易增长了。"], source="auto", target="ru", settings=with_models, alternatives=3
    )
    assert [r.alternatives for r in results] == [(), ()]
    assert [r.text for r in results] == ["Trade grew. Banks were slow.", "贸易增长了。"]
