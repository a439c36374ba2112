"""Summarisation: offsets, titles, lengths, every algorithm, every language, every error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.texts import (
    CHINESE_ARTICLE,
    ENGLISH_ARTICLE,
    GERMAN_TEXT,
    RUSSIAN_ARTICLE,
    TRADITIONAL_CHINESE_ARTICLE,
)
from toolkit import Settings, Summary, TriglotError, summarize
from toolkit.errors import EmptyInput, InputTooLong, InvalidOption, UndetectedLanguage, UnsupportedLanguage
from toolkit.summarization import ALGORITHMS

ARTICLES = {"en": ENGLISH_ARTICLE, "ru": RUSSIAN_ARTICLE, "zh": CHINESE_ARTICLE}


def assert_points_back(summary: Summary, text: str) -> None:
    starts = [s.start for s in summary.sentences]
    assert starts == sorted(starts), "sentences must keep their original order"
    for sentence in summary.sentences:
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize("language", sorted(ARTICLES))
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_summarises_every_language_with_exact_offsets(algorithm: str, language: str) -> None:
    text = ARTICLES[language]
    summary = summarize(text, language=language, sentences=2, algorithm=algorithm)
    assert summary.algorithm == algorithm
    assert summary.language == language
    assert len(summary.sentences) == 2
    assert_points_back(summary, text)


@pytest.mark.parametrize("language", sorted(ARTICLES))
def test_language_is_detected_when_not_given(language: str) -> None:
    assert summarize(ARTICLES[language]).language == language


def test_headline_is_the_title_and_never_a_summary_sentence() -> None:
    summary = summarize(ENGLISH_ARTICLE, ratio=1.0)
    assert summary.title == "Border trade lifts small exporters in the Far East"
    assert all("Border trade lifts" not in s.text for s in summary.sentences)
    assert summary.total_sentences == 7


def test_a_first_line_that_ends_like_a_sentence_is_not_a_title() -> None:
    text = "Trade grew fast this year.\nSmall firms led the growth.\nBanks were slow."
    summary = summarize(text, language="en", ratio=1.0)
    assert summary.title is None
    assert summary.total_sentences == 3


def test_chinese_without_headline_has_no_title_and_joins_without_spaces() -> None:
    summary = summarize(CHINESE_ARTICLE, sentences=2)
    assert summary.title is None
    assert summary.text == "".join(s.text for s in summary.sentences)
    assert " " not in summary.text


def test_default_length_is_three_sentences_and_settings_change_it() -> None:
    assert len(summarize(ENGLISH_ARTICLE).sentences) == 3
    assert len(summarize(ENGLISH_ARTICLE, settings=Settings(summary_sentences=5)).sentences) == 5


@pytest.mark.parametrize(("ratio", "expected"), [(0.01, 1), (0.3, 2), (0.5, 4), (1.0, 7)])
def test_ratio_picks_a_share_of_the_sentences(ratio: float, expected: int) -> None:
    assert len(summarize(ENGLISH_ARTICLE, ratio=ratio).sentences) == expected


def test_asking_for_more_sentences_than_there_are_gives_them_all() -> None:
    summary = summarize(ENGLISH_ARTICLE, sentences=50)
    assert len(summary.sentences) == summary.total_sentences == 7


def test_lead_takes_the_first_sentences() -> None:
    summary = summarize(RUSSIAN_ARTICLE, sentences=2, algorithm="lead")
    assert [s.text[:10] for s in summary.sentences] == ["Малые и ср", "По словам "]


@pytest.mark.parametrize("algorithm", ["textrank", "lexrank", "luhn"])
def test_ranking_leaves_out_the_off_topic_sentence(algorithm: str) -> None:
    summary = summarize(ENGLISH_ARTICLE, sentences=3, algorithm=algorithm)
    assert all("weather" not in s.text for s in summary.sentences)


def test_scores_rank_the_picked_sentences_above_the_rest() -> None:
    picked = summarize(ENGLISH_ARTICLE, sentences=2)
    everything = summarize(ENGLISH_ARTICLE, ratio=1.0)
    lowest_picked = min(s.score for s in picked.sentences)
    others = [s.score for s in everything.sentences if s.start not in {p.start for p in picked.sentences}]
    assert all(score <= lowest_picked for score in others)


def test_traditional_chinese_is_summarised_as_chinese() -> None:
    summary = summarize(TRADITIONAL_CHINESE_ARTICLE, sentences=2)
    assert summary.language == "zh"
    assert_points_back(summary, TRADITIONAL_CHINESE_ARTICLE)


def test_to_dict_has_the_documented_keys() -> None:
    data = summarize(ENGLISH_ARTICLE, sentences=2).to_dict()
    assert set(data) == {"language", "algorithm", "title", "sentences", "summary", "signature"}
    assert set(data["sentences"][0]) == {"text", "start", "end", "score"}
    assert data["summary"] == " ".join(s["text"] for s in data["sentences"])


def test_signature_names_the_algorithm_and_versions() -> None:
    signature = str(summarize(ENGLISH_ARTICLE, algorithm="lexrank").signature)
    assert "algorithm:lexrank" in signature and "sumy " in signature and "triglot:" in signature


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"sentences": 0}, InvalidOption, "at least 1"),
        ({"ratio": 0.0}, InvalidOption, "ratio"),
        ({"ratio": 1.5}, InvalidOption, "ratio"),
        ({"sentences": 2, "ratio": 0.5}, InvalidOption, "not both"),
        ({"algorithm": "bert"}, InvalidOption, "textrank"),
        ({"language": "de"}, UnsupportedLanguage, "en, zh, ru"),
    ],
)
def test_bad_options_say_what_is_allowed(kwargs: dict, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        summarize(ENGLISH_ARTICLE, **kwargs)


@pytest.mark.parametrize(
    ("text", "error"),
    [("", EmptyInput), ("   \n\t ", EmptyInput), ("12345 678 90", UndetectedLanguage), (GERMAN_TEXT, UnsupportedLanguage)],
)
def test_unusable_text_raises_a_clear_error(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        summarize(text)


def test_unsupported_language_error_names_the_language_found() -> None:
    with pytest.raises(UnsupportedLanguage) as caught:
        summarize(GERMAN_TEXT)
    assert caught.value.language == "de"
    assert "de" in str(caught.value)


def test_quadratic_algorithms_refuse_texts_over_the_cap_but_lead_does_not() -> None:
    capped = Settings(max_summary_sentences=4)
    with pytest.raises(InputTooLong, match="at most 4") as caught:
        summarize(ENGLISH_ARTICLE, algorithm="textrank", settings=capped)
    assert (caught.value.limit, caught.value.actual) == (4, 7)
    assert len(summarize(ENGLISH_ARTICLE, algorithm="lead", settings=capped).sentences) == 3


def test_kl_is_capped_at_a_tenth_of_the_limit() -> None:
    with pytest.raises(InputTooLong, match="at most 6"):
        summarize(ENGLISH_ARTICLE, algorithm="kl", settings=Settings(max_summary_sentences=69))
    assert summarize(ENGLISH_ARTICLE, algorithm="kl", settings=Settings(max_summary_sentences=70)).sentences


def test_text_of_numbers_only_sentences_still_summarises_when_language_is_given() -> None:
    summary = summarize("2024. 2025. 2026.", language="en", sentences=1)
    assert len(summary.sentences) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
    | st.sampled_from(["\ud800", "a\udfffb. c.", "Торговля.\ud83d Рост."]),
    language=st.sampled_from([None, "en", "zh", "ru"]),
    algorithm=st.sampled_from(ALGORITHMS),
)
def test_summarize_raises_nothing_outside_the_hierarchy(text: str, language: str | None, algorithm: str) -> None:
    try:
        summary = summarize(text, language=language, algorithm=algorithm, sentences=2)
    except TriglotError:
        return
    for sentence in summary.sentences:
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(("language", "expected"), [("en", "reduction"), ("zh", "lead"), ("ru", "lead")])
def test_default_algorithm_is_the_measured_best_for_the_language(language: str, expected: str) -> None:
    assert summarize(ARTICLES[language]).algorithm == expected


def test_algorithm_setting_overrides_the_per_language_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIGLOT_SUMMARY_ALGORITHM", "LexRank")
    assert summarize(RUSSIAN_ARTICLE).algorithm == "lexrank"
