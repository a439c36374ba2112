"""Settings: one typed object read from TRIGLOT_* variables, with finite defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import Settings
from toolkit.errors import ConfigurationError
from toolkit.settings import DEFAULT_MAX_SUMMARY_SENTENCES, DEFAULT_SUMMARY_SENTENCES


def test_defaults_are_finite_named_constants() -> None:
    settings = Settings.from_env({})
    assert settings.summary_sentences == DEFAULT_SUMMARY_SENTENCES
    assert settings.max_summary_sentences == DEFAULT_MAX_SUMMARY_SENTENCES
    assert settings.summary_algorithm is None


def test_home_follows_the_platform_unless_triglot_home_is_set(tmp_path: Path) -> None:
    assert "triglot" in str(Settings.from_env({}).home)
    assert Settings.from_env({"TRIGLOT_HOME": str(tmp_path)}).home == tmp_path


def test_variables_are_read_and_typed() -> None:
    settings = Settings.from_env(
        {"TRIGLOT_SUMMARY_SENTENCES": "5", "TRIGLOT_SUMMARY_ALGORITHM": "lexrank", "TRIGLOT_MAX_SUMMARY_SENTENCES": "90"}
    )
    assert (settings.summary_sentences, settings.summary_algorithm, settings.max_summary_sentences) == (5, "lexrank", 90)


def test_overrides_beat_the_environment_and_none_means_not_given() -> None:
    settings = Settings.from_env({"TRIGLOT_SUMMARY_SENTENCES": "5"}, summary_sentences=2, summary_algorithm=None)
    assert settings.summary_sentences == 2 and settings.summary_algorithm is None


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({"TRIGLOT_SUMMARY_SENTENCES": "three"}, "TRIGLOT_SUMMARY_SENTENCES must be a whole number"),
        ({"TRIGLOT_SUMMARY_SENTENCES": "0"}, "at least 1"),
        ({"TRIGLOT_MAX_SUMMARY_SENTENCES": "-4"}, "at least 1"),
        ({"TRIGLOT_DETECT_MARGIN": "-1"}, "TRIGLOT_DETECT_MARGIN must be at least 0"),
        ({"TRIGLOT_DETECT_MARGIN": "wide"}, "TRIGLOT_DETECT_MARGIN must be a number"),
    ],
)
def test_bad_values_name_the_variable(environ: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigurationError, match=words):
        Settings.from_env(environ)


def test_the_environment_fixture_points_home_at_a_fresh_folder(clean_environment: Path) -> None:
    assert Settings.from_env().home == clean_environment
    assert not clean_environment.exists()


@pytest.mark.parametrize(
    ("values", "at_once"),
    [
        ({}, 1),  # a batch takes every core: one at a time
        ({"intra_threads": 1}, 4),
        ({"intra_threads": 2}, 2),
        ({"intra_threads": 8}, 1),
        ({"inter_threads": 2}, 2),  # never fewer than one package runs at once
        ({"concurrent_batches": 3}, 3),
        ({"concurrent_batches": 1, "inter_threads": 2}, 2),
    ],
)
def test_batches_at_once_follow_the_cores_and_the_threads_a_batch_takes(
    values: dict[str, int], at_once: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.settings

    monkeypatch.setattr(toolkit.settings, "available_cores", lambda: 4)
    assert Settings.from_env({}, **values).batches_at_once == at_once
