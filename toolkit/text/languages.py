"""Language codes: the three triglot works in, and how input codes map onto them."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InvalidOption, UnsupportedLanguage

SUPPORTED: tuple[str, ...] = ("en", "zh", "ru")
AUTO = "auto"  # a source language to be detected

NAMES: dict[str, str] = {"en": "English", "zh": "Chinese", "ru": "Russian"}

# Codes users and other tools send for the same three languages.
_ALIASES: dict[str, str] = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "zh": "zh",
    "zho": "zh",
    "chi": "zh",
    "zh-cn": "zh",
    "zh-hans": "zh",
    "zh-sg": "zh",
    "zh-tw": "zh",
    "zh-hant": "zh",
    "zh-hk": "zh",
    "chinese": "zh",
    "ru": "ru",
    "rus": "ru",
    "russian": "ru",
}


def normalize_language(code: str) -> str:
    """Map a user's language code (``zh-CN``, ``en``, ``RU``) to ``en``, ``zh`` or ``ru``.

    Raises ``UnsupportedLanguage`` naming the supported codes for anything else.
    """
    key = code.strip().lower().replace("_", "-")
    try:
        return _ALIASES[key]
    except KeyError:
        raise UnsupportedLanguage(
            f"unsupported language {code!r}; use one of: {', '.join(SUPPORTED)}",
            language=code,
            supported=SUPPORTED,
        ) from None


def source_language(code: str) -> str | None:
    """A source language as given: ``auto`` (any case) is None, to be detected; anything else is normalised."""
    return None if code.strip().lower() == AUTO else normalize_language(code)


def normalize_targets(targets: Sequence[str] | str) -> tuple[str, ...]:
    """Target codes normalised, duplicates dropped, in the order given; "en,zh" is accepted too."""
    if isinstance(targets, str):
        targets = [t for t in targets.split(",") if t.strip()]
    chosen = tuple(dict.fromkeys(normalize_language(t) for t in targets))
    if not chosen:
        raise InvalidOption("give at least one target language: en, zh or ru")
    return chosen
