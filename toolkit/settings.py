"""One typed settings object, read from ``TRIGLOT_*`` environment variables.

Each field ``name`` is read from ``TRIGLOT_<NAME>``; the CLI flag of the same name
overrides it. Reading settings creates nothing on disk.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigurationError

ENV_PREFIX = "TRIGLOT_"

DEFAULT_SUMMARY_SENTENCES = 3
# LexRank, TextRank and Reduction compare every pair of sentences in pure Python:
# 1,000 sentences take seconds, 5,000 minutes (docs/benchmarks.md), so longer
# inputs are refused with a clear error rather than left to run.
DEFAULT_MAX_SUMMARY_SENTENCES = 1000


def default_home() -> Path:
    """The platform's user data directory for triglot (not created here)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("triglot", appauthor=False))


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything a user can tune, with finite defaults."""

    home: Path = dataclasses.field(default_factory=default_home)
    summary_algorithm: str | None = None
    summary_sentences: int = DEFAULT_SUMMARY_SENTENCES
    max_summary_sentences: int = DEFAULT_MAX_SUMMARY_SENTENCES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``TRIGLOT_*`` variables, then ``overrides`` (e.g. CLI flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + field.name.upper())
            if raw is not None and raw.strip() != "":
                values[field.name] = _parse(field.name, field.type, raw.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings._check()
        return settings

    def _check(self) -> None:
        if self.summary_sentences < 1:
            raise ConfigurationError(
                f"{ENV_PREFIX}SUMMARY_SENTENCES must be at least 1, not {self.summary_sentences}"
            )
        if self.max_summary_sentences < 1:
            raise ConfigurationError(
                f"{ENV_PREFIX}MAX_SUMMARY_SENTENCES must be at least 1, not {self.max_summary_sentences}"
            )


def _parse(name: str, annotation: Any, raw: str) -> Any:
    variable = ENV_PREFIX + name.upper()
    kind = str(annotation)
    if kind.startswith("int"):
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(f"{variable} must be a whole number, not {raw!r}") from None
    if kind.startswith("Path"):
        return Path(raw).expanduser()
    return raw
