"""The one exception hierarchy of triglot.

Every error a caller can meet is a ``TriglotError``; its message says what was
wrong and what to do, so the CLI and the service can show it as it is::

    TriglotError
    ├── InputError                  bad input from the user
    │   ├── EmptyInput              nothing to work on
    │   ├── UnreadableInput         a file that cannot be read or decoded
    │   ├── UnsupportedLanguage     a language triglot does not handle
    │   ├── UndetectedLanguage      the language could not be told
    │   ├── InputTooLong            over a configured limit
    │   └── InvalidOption           an option value out of range
    └── ConfigurationError          a TRIGLOT_* setting that makes no sense
"""

from __future__ import annotations

from collections.abc import Sequence


class TriglotError(Exception):
    """Root of every error triglot raises on purpose."""


class InputError(TriglotError):
    """The input or the options given with it cannot be used."""


class EmptyInput(InputError):
    """The input has no text to work on."""


class UnreadableInput(InputError):
    """A file could not be read or decoded; ``path`` names it."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class UnsupportedLanguage(InputError):
    """A language code or a detected language outside en, zh, ru."""

    def __init__(self, message: str, *, language: str, supported: Sequence[str]) -> None:
        super().__init__(message)
        self.language = language
        self.supported = tuple(supported)


class UndetectedLanguage(InputError):
    """Detection could not tell the language (digits, symbols, too little text)."""


class InputTooLong(InputError):
    """The input is over a limit; ``limit`` and ``actual`` say by how much."""

    def __init__(self, message: str, *, limit: int, actual: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.actual = actual


class InvalidOption(InputError):
    """An option (count, ratio, algorithm name, format) has a value that cannot be used."""


class ConfigurationError(TriglotError):
    """A setting read from the environment has a value that cannot be used."""
