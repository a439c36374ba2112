"""The engine's work is bounded by what it costs: pieces per sentence, tokens per budget, decoding steps
that follow the input, and a deadline looked at between batches."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_digest import write_articles
from toolkit import DeadlinePassed, InputTooLong, Settings, digest, translate
from toolkit.translation import Budget, DecodingOptions, spending

EMOJI = "😀" * 5000


def test_a_sentence_of_too_many_pieces_is_refused_before_anything_is_translated(with_models: Settings) -> None:
    started = time.monotonic()
    with pytest.raises(InputTooLong, match=r"at most 4 pieces of 200 tokens \(TRIGLOT_MAX_SENTENCE_PIECES\)"):
        translate(EMOJI, source="en", target="zh", settings=with_models)
    assert time.monotonic() - started < 5
    assert translate("Trade grew.", source="en", target="zh", settings=with_models) == "Trade grew."


def test_in_a_digest_the_costly_article_fails_alone(with_models: Settings, tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "in")
    run_on = "Small firms in Harbin export more. Their trade " + "and trade " * 1500 + "grew."
    (articles / "noise.txt").write_text("Noise\n\n" + run_on, encoding="utf-8")
    result = digest([articles], targets=("en", "zh"), settings=with_models)
    (failed,) = result.failed
    assert failed.source.endswith("noise.txt") and "TRIGLOT_MAX_SENTENCE_PIECES" in str(failed.error)
    assert len(result.articles) - len(result.failed) == 4  # every article write_articles makes


def test_a_budget_refuses_tokens_over_its_cap_and_counts_every_call(with_models: Settings) -> None:
    budget = Budget(max_tokens=60, setting="TRIGLOT_MAX_REQUEST_TOKENS")
    uncached = Settings.from_env(home=with_models.home, cache=False)
    with spending(budget):
        translate("Trade grew in May.", source="en", target="zh", settings=uncached, glossary=False)
        assert 0 < budget.spent <= 60 and budget.done == budget.spent
        with pytest.raises(InputTooLong, match=r"at most 60 per request \(TRIGLOT_MAX_REQUEST_TOKENS\)"):
            translate(["Exports rose in June.", "Imports fell in July."], source="zh", target="ru",
                      settings=uncached, glossary=False)


def test_past_its_deadline_no_batch_starts(with_models: Settings) -> None:
    uncached = Settings.from_env(home=with_models.home, cache=False)
    with spending(Budget(deadline=time.monotonic() - 1)), pytest.raises(DeadlinePassed):
        translate("Trade grew again.", source="en", target="ru", settings=uncached)


def test_decoding_steps_follow_the_input() -> None:
    options = DecodingOptions(beam_size=4, compute_type="int8", max_sentence_tokens=200)
    assert options.decoding_steps(5) == 26
    assert options.decoding_steps(200) == 256
    assert "steps 2x+16" in options.key()
