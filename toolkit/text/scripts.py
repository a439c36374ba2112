"""Writing systems: which characters are Han, Traditional folded to Simplified, and lines joined as each script joins them."""

from __future__ import annotations

import functools
import re
from typing import Any

# The CJK Unified Ideographs, Extension A and the compatibility ideographs: a regex character-class body.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# A run of whitespace; the runs holding a line break are what one_line joins. (A pattern
# for "whitespace, a break, whitespace" backtracks over every run without a break:
# quadratic in its length, 22 s for 50,000 spaces.)
_WHITESPACE_RUN = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def simplified_converter() -> Any:
    """OpenCC's Traditional-to-Simplified converter, loaded once: Traditional input is folded to Simplified."""
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters written as Simplified ones."""
    return str(simplified_converter().convert(text))


def is_cjk(char: str) -> bool:
    """A Han character, CJK punctuation or a full-width form: text that is written without spaces."""
    return bool(char) and ("\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef")


def one_line(text: str) -> str:
    """``text`` stripped, its line breaks read as one space, or as nothing between two CJK characters."""
    stripped = text.strip()  # the offsets of the runs are offsets into this, not into ``text``

    def joined(run: re.Match[str]) -> str:
        if "\n" not in run.group() and "\r" not in run.group():
            return run.group()
        return "" if _cjk_around(stripped, run.start(), run.end()) else " "

    return _WHITESPACE_RUN.sub(joined, stripped)


def _cjk_around(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return is_cjk(before) and is_cjk(after)
