"""Which characters a request's strings may hold: refused, normalised, or kept.

A lone surrogate (JSON ``"\\ud800"``) passes pydantic and crashes every encoder
downstream, and NUL ends strings in C code below us: both are refused. Text pasted
from PDFs and word processors brings form feeds, vertical tabs, NEL and the Unicode
line and paragraph separators; LibreTranslate takes them (it folds a form's line
breaks with ``str.splitlines``), so they become a line feed here; other control
characters (ESC of a terminal's colours, C1 controls of a mis-decoded file) and the
zero-width space and byte-order mark become a space. Each is replaced by exactly one
character, so the offsets ``/summarize`` and ``/process`` give still point into the
text as it was sent. Tab, line feed and carriage return are text.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import bad_request

_SURROGATE = re.compile("[\ud800-\udfff]")
# str.splitlines' line boundaries beside \n and \r: VT, FF, FS, GS, RS, NEL, LS, PS.
_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_SPACES = "".join(chr(c) for c in [*range(0x01, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0xA0)] if c != 0x85)
_SPACES += "\u200b\ufeff"  # zero-width space, byte-order mark
_NORMALISED = re.compile(f"[{re.escape(_LINE_BREAKS + _SPACES)}]")
_TABLE = str.maketrans({**{ch: "\n" for ch in _LINE_BREAKS}, **{ch: " " for ch in _SPACES}})


def clean_strings(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a parsed body) checked in every string, keys included, however deep, and its fields'
    strings normalised (a field's value, or the items of a list: request models are flat).

    Raises a 400 for a lone surrogate or NUL anywhere."""
    pending: list[Any] = [data]
    while pending:  # a loop, not recursion: JSON nests deeper than Python's stack
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            _check(item)
    return {_normalise(key): _field(value) for key, value in data.items()}


def _field(value: Any) -> Any:
    if isinstance(value, str):
        return _normalise(value)
    if isinstance(value, list):
        return [_normalise(item) if isinstance(item, str) else item for item in value]
    return value


def _check(text: str) -> None:
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise bad_request(
            f"Invalid request: the text holds a lone surrogate (U+{ord(surrogate.group()):04X}), "
            "which is not valid Unicode"
        )
    if "\x00" in text:
        raise bad_request("Invalid request: the text holds a NUL character (U+0000); remove it")


def _normalise(text: str) -> str:
    if _NORMALISED.search(text) is None:
        return text
    return text.translate(_TABLE)
