"""One typed settings object, read from ``TRIGLOT_*`` environment variables.

Each field ``name`` is read from ``TRIGLOT_<NAME>``; the CLI flag of the same name
overrides it. Reading settings creates nothing on disk.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .errors import ConfigurationError

ENV_PREFIX = "TRIGLOT_"

DEFAULT_SUMMARY_SENTENCES = 3
# LexRank, TextRank and Reduction compare every pair of sentences in pure Python:
# 1,000 sentences take seconds, 5,000 minutes (docs/benchmarks.md), so longer
# inputs are refused with a clear error rather than left to run.
DEFAULT_MAX_SUMMARY_SENTENCES = 1000

# The public Argos Translate package index (the same one argospm reads).
DEFAULT_MODEL_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
# An index or download that has not answered in this long is reported, not waited for.
DEFAULT_NETWORK_TIMEOUT_S = 10.0
# Caps on a package before it is unpacked. The public en↔zh and en↔ru packages are
# about 100 MB each (a few hundred MB for the four), so a gigabyte leaves room for
# bigger models and still stops a runaway download or a file that is not a package.
DEFAULT_MAX_PACKAGE_BYTES = 1 << 30
# int8 weights barely compress, so a package unpacks to little more than its size;
# twice the package cap stops a zip bomb (4 MB that expands to 4 GiB) well before
# it fills the disk, whatever sizes the archive declares.
DEFAULT_MAX_UNPACKED_BYTES = 2 << 30
# Argos Translate's own defaults, so the same package gives the same output.
DEFAULT_BEAM_SIZE = 4
DEFAULT_COMPUTE_TYPE = "int8"
DEFAULT_MAX_BATCH_SIZE = 32
# Longer sentences are translated in pieces of this many tokens: the public
# models were trained on sentences and drift on anything much longer.
DEFAULT_MAX_SENTENCE_TOKENS = 200
# A sentence needing more pieces than this is refused: 800 tokens is some 3,000
# characters of prose, far past any real sentence, while an unbroken run of emoji or
# repeated words of that length costs the engine minutes (docs/reliability.md).
DEFAULT_MAX_SENTENCE_PIECES = 4
# A batch for the engine that is not full waits this long for other callers' sentences
# (a server's concurrent requests share batches); docs/benchmarks.md measures it.
DEFAULT_BATCH_WINDOW_MS = 2.0
# What triglot reads from one input file or standard input: an article, a feed, a
# glossary; not whatever /dev/zero gives.
DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024

# With source "auto", a supported language (en, zh, ru) that comes second to one triglot does not
# translate is used when the winner is at most this many times as likely: a short English sentence
# made mostly of Russian and Chinese names ("Wang Yi met Lavrov") reads as Dutch 25 to 1.
# Chosen on benchmarks/detect_names.py (docs/benchmarks.md): past 30 foreign phrases holding a name
# are taken for English faster than name-heavy English stops being refused. 0 switches the rule off.
DEFAULT_DETECT_MARGIN = 30.0

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def default_home() -> Path:
    """The platform's user data directory for triglot (not created here)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("triglot", appauthor=False))


S = TypeVar("S", bound="FromEnvironment")


class FromEnvironment:
    """A settings dataclass whose field ``name`` is read from ``TRIGLOT_<NAME>``, then checked."""

    @classmethod
    def from_env(cls: type[S], environ: Mapping[str, str] | None = None, **overrides: Any) -> S:
        """Settings from ``TRIGLOT_*`` variables, then ``overrides`` (flags of the same names)."""
        settings = cls(**env_values(cls, environ, overrides))
        settings._check()
        return settings

    def _check(self) -> None:
        """Refuse values that make no sense, naming the variable (``ConfigurationError``)."""


@dataclasses.dataclass(frozen=True)
class Settings(FromEnvironment):
    """Everything a user can tune, with finite defaults."""

    home: Path = dataclasses.field(default_factory=default_home)
    summary_algorithm: str | None = None
    summary_sentences: int = DEFAULT_SUMMARY_SENTENCES
    max_summary_sentences: int = DEFAULT_MAX_SUMMARY_SENTENCES
    model_index: str = DEFAULT_MODEL_INDEX
    network_timeout: float = DEFAULT_NETWORK_TIMEOUT_S
    max_package_bytes: int = DEFAULT_MAX_PACKAGE_BYTES
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    beam_size: int = DEFAULT_BEAM_SIZE
    compute_type: str = DEFAULT_COMPUTE_TYPE
    inter_threads: int = 1
    intra_threads: int = 0
    # Engine batches at once across packages (0: as many as the cores hold at ``intra_threads`` each).
    concurrent_batches: int = 0
    max_batch_size: int = DEFAULT_MAX_BATCH_SIZE
    max_sentence_tokens: int = DEFAULT_MAX_SENTENCE_TOKENS
    max_sentence_pieces: int = DEFAULT_MAX_SENTENCE_PIECES
    batch_window_ms: float = DEFAULT_BATCH_WINDOW_MS
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES
    detect_margin: float = DEFAULT_DETECT_MARGIN
    cache: bool = True
    # A Redis server that every worker and replica shares (the translation cache, the service's rate
    # limits); empty: the embedded defaults (the SQLite cache under home, counters in process).
    redis_url: str = ""
    glossary: tuple[Path, ...] = ()
    default_glossary: bool = True

    @property
    def batches_at_once(self) -> int:
        """``concurrent_batches``, or when 0 the cores divided by the threads a batch takes; at least
        ``inter_threads``, the batches one package runs at once."""
        return max(self.inter_threads, self.concurrent_batches or batches_on(available_cores(), self.intra_threads))

    @property
    def packages_dir(self) -> Path:
        """Where installed translation packages live."""
        return self.home / "packages"

    @property
    def cache_path(self) -> Path:
        """The SQLite translation cache."""
        return self.home / "cache.sqlite3"

    def _check(self) -> None:
        at_least = {
            "summary_sentences": 1,
            "max_summary_sentences": 1,
            "max_package_bytes": 1,
            "max_unpacked_bytes": 1,
            "beam_size": 1,
            "inter_threads": 1,
            "intra_threads": 0,
            "concurrent_batches": 0,
            "max_batch_size": 1,
            "max_sentence_tokens": 8,
            "max_sentence_pieces": 1,
            "batch_window_ms": 0,
            "max_input_bytes": 1,
            "detect_margin": 0,
        }
        check_bounds(self, at_least, above_zero=("network_timeout",))
        check_redis_url(self.redis_url)


def available_cores() -> int:
    """The cores this process may run on (a container's or ``taskset``'s share, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_share_of_cores(workers: int) -> int:
    """The cores each of ``workers`` processes takes of those this process may run on; at least one."""
    return max(1, available_cores() // workers)


def batches_on(cores: int, intra_threads: int) -> int:
    """Batches that ``cores`` run at once at ``intra_threads`` each (0: a batch takes them all); at least one."""
    return max(1, cores // (intra_threads or cores))


REDIS_SCHEMES = ("redis", "rediss", "unix")


def check_redis_url(url: str) -> None:
    """Refuse a ``TRIGLOT_REDIS_URL`` the Redis client cannot take. The URL itself is never echoed: it may
    hold a password."""
    if not url:
        return
    from urllib.parse import urlsplit

    scheme, separator, _ = url.partition("://")
    fault = None
    if not separator or scheme.lower() not in REDIS_SCHEMES:
        fault = f"its scheme is {scheme.lower()}://" if separator and scheme.isalnum() else "it is not a URL"
    else:
        parts = urlsplit(url)
        try:
            _ = parts.port  # reading it checks it
        except ValueError:
            fault = "its port is not a number from 0 to 65535"
        if scheme.lower() == "unix" and not parts.path:
            fault = "it names no socket file"
    if fault is not None:
        raise ConfigurationError(
            f"{ENV_PREFIX}REDIS_URL must be a redis://, rediss:// or unix:// URL (e.g. redis://127.0.0.1:6379/0), "
            f"but {fault}; fix it, or unset it to keep the cache and the rate limits in this process"
        )


def env_values(cls: Any, environ: Mapping[str, str] | None, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Field values for the dataclass ``cls``: ``TRIGLOT_<FIELD>`` variables parsed to the field's type,
    then the ``overrides`` that are not None. Shared by every settings object (the service has its own)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        raw = environ.get(ENV_PREFIX + field.name.upper())
        if raw is not None and raw.strip() != "":
            values[field.name] = _parse(field.name, field.type, raw.strip())
    values.update({k: v for k, v in overrides.items() if v is not None})
    return values


def _parse(name: str, annotation: Any, raw: str) -> Any:
    variable = ENV_PREFIX + name.upper()
    kind = str(annotation)
    if kind.startswith("int"):
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(f"{variable} must be a whole number, not {raw!r}") from None
    if kind.startswith("float"):
        try:
            return float(raw)
        except ValueError:
            raise ConfigurationError(f"{variable} must be a number, not {raw!r}") from None
    if kind.startswith("bool"):
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise ConfigurationError(f"{variable} must be 1 or 0 (true or false), not {raw!r}")
    if kind.startswith("Path"):
        return Path(raw).expanduser()
    if kind.startswith("tuple[Path"):
        # Several files, separated like PATH (':' on Unix, ';' on Windows).
        return tuple(Path(part.strip()).expanduser() for part in raw.split(os.pathsep) if part.strip())
    if kind.startswith("tuple[str"):
        # Lists of words (origins, languages, key hashes) are separated by commas.
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def check_bounds(settings: object, at_least: Mapping[str, int], above_zero: Sequence[str] = ()) -> None:
    """Refuse a setting below its floor, naming the variable that set it."""
    for name, low in at_least.items():
        value = getattr(settings, name)
        if value < low:
            raise ConfigurationError(f"{ENV_PREFIX}{name.upper()} must be at least {low}, not {value}")
    for name in above_zero:
        value = getattr(settings, name)
        if not value > 0:
            raise ConfigurationError(f"{ENV_PREFIX}{name.upper()} must be above 0, not {value}")
