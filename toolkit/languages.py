"""Language codes: the three triglot works in, and how input codes map onto them."""

from __future__ import annotations

import functools
from typing import Any

from .errors import UnsupportedLanguage

SUPPORTED: tuple[str, ...] = ("en", "zh", "ru")

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


@functools.lru_cache(maxsize=1)
def simplified_converter() -> Any:
    """OpenCC's Traditional-to-Simplified converter, loaded once: Traditional input is folded to Simplified."""
    import opencc

    return opencc.OpenCC("t2s")
