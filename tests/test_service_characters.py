"""What text a request may hold: format controls normalised one for one, NUL and lone surrogates refused."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from service.characters import clean_strings
from service.errors import ServiceError

# Every code point but the lone surrogates, which hypothesis leaves out unless asked; asked for below.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]))


def clean_text(text: str) -> str:
    """One field's text as the intake leaves it."""
    cleaned: str = clean_strings({"q": text})["q"]
    return cleaned


@given(TEXT)
@example("Trade grew.\fPrices fell.\x0b\x85\u2028\u2029\x1b[31m\x7f\u200b\ufeff")
def test_normalising_keeps_the_length_is_idempotent_and_leaves_no_control_but_tab_and_line_ends(text: str) -> None:
    if "\x00" in text:
        with pytest.raises(ServiceError):
            clean_text(text)
        return
    cleaned = clean_text(text)
    assert len(cleaned) == len(text)  # one for one: offsets into the text stay right
    assert clean_text(cleaned) == cleaned
    assert all(ch in "\t\n\r" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) for ch in cleaned)
    assert not set(cleaned) & {"\u2028", "\u2029", "\u200b", "\ufeff"}


@pytest.mark.parametrize(("text", "cleaned"), [("a\fb", "a\nb"), ("a\x85b", "a\nb"), ("a\x1bb", "a b"), ("a\tb\r\n", "a\tb\r\n")])
def test_each_control_becomes_a_line_feed_or_a_space(text: str, cleaned: str) -> None:
    assert clean_text(text) == cleaned


@given(st.text(st.characters(whitelist_categories=["Cs"]), min_size=1))
def test_a_lone_surrogate_anywhere_is_a_400(text: str) -> None:
    for body in ({"q": text}, {"q": ["a", text]}, {text: "a"}, {"q": {"deep": [[text]]}}):
        with pytest.raises(ServiceError) as refused:
            clean_strings(body)
        assert refused.value.status == 400 and "lone surrogate" in refused.value.message


def test_fields_are_normalised_and_a_deeply_nested_body_is_checked_without_recursion() -> None:
    assert clean_strings({"q": ["a\fb", 1], "target": "zh\x0b", "n": 2}) == {"q": ["a\nb", 1], "target": "zh\n", "n": 2}
    deep: object = "\x00"
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(ServiceError, match="NUL"):
        clean_strings({"q": deep})
