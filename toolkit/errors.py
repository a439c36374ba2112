"""The one exception hierarchy of triglot.

Every error a caller can meet is a ``TriglotError``; its message says what was
wrong and what to do, so the CLI and the service can show it as it is::

    TriglotError
    ├── InputError                  bad input from the user
    │   ├── EmptyInput              nothing to work on
    │   ├── InvalidText             text that is not valid Unicode (lone surrogates)
    │   ├── UnreadableInput         a file that cannot be read or decoded
    │   ├── UnsupportedLanguage     a language triglot does not handle
    │   ├── UndetectedLanguage      the language could not be told
    │   ├── InputTooLong            over a configured limit
    │   ├── InvalidOption           an option value out of range
    │   ├── InvalidGlossary         a glossary file with a fault; names the file and line
    │   ├── InvalidArticle          an article record that cannot be used; names the file and line
    │   └── InvalidDocument         a document file (.docx, .txt …) that cannot be read as its format says
    ├── ModelError                  translation packages
    │   ├── ModelNotInstalled       no package for a direction; names the install command
    │   ├── ModelNotAvailable       the index offers no package for a direction
    │   ├── ModelIndexUnavailable   the model index cannot be fetched or read
    │   ├── ModelDownloadFailed     a package download did not complete
    │   └── InvalidModelPackage     a package file that is not a usable .argosmodel
    ├── TranslationFailed           the engine failed on a package that loaded
    ├── DeadlinePassed              work stopped because its caller's deadline passed
    ├── WorkerLost                  a corpus job's worker process died; what was written is kept
    ├── ClusterUnavailable          the Ray cluster for a corpus job cannot be joined, or Ray is not installed
    ├── OutputFailed                an output file that cannot be written; names the file
    ├── DataDirectoryError          TRIGLOT_HOME cannot be used (read-only, a file in the way, full)
    ├── StoreUnavailable            the shared Redis (TRIGLOT_REDIS_URL) does not answer; callers degrade
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


class InvalidText(InputError):
    """Text holding lone surrogates: no encoder or model can take it."""


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


class InvalidGlossary(InputError):
    """A glossary file that cannot be used; ``path`` and ``line`` say where."""

    def __init__(self, message: str, *, path: str, line: int | None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class InvalidArticle(InputError):
    """An article record (a line of a ``.jsonl`` file) that cannot be used; ``path`` and ``line`` say where."""

    def __init__(self, message: str, *, path: str, line: int | None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class InvalidDocument(InputError):
    """A document to translate that its format cannot read (a damaged .docx, a .txt that is not UTF-8);
    ``name`` names it. Unlike ``UnreadableInput`` (the server's own files), it is the sender's fault."""

    def __init__(self, message: str, *, name: str) -> None:
        super().__init__(message)
        self.name = name


class ModelError(TriglotError):
    """Something about translation packages: missing, unreachable or broken."""


class ModelNotInstalled(ModelError):
    """No installed package translates ``source`` to ``target``; the message names the install command."""

    def __init__(self, message: str, *, source: str, target: str) -> None:
        super().__init__(message)
        self.source = source
        self.target = target


class ModelNotAvailable(ModelError):
    """The model index has no package for the direction asked."""


class ModelIndexUnavailable(ModelError):
    """The model index could not be fetched or is not an index."""


class ModelDownloadFailed(ModelError):
    """A package download failed or was cut short."""


class InvalidModelPackage(ModelError):
    """A file that is not a usable ``.argosmodel`` package; nothing was installed."""


class TranslationFailed(TriglotError):
    """The translation engine failed on an installed package (a damaged model file)."""


class DeadlinePassed(TriglotError):
    """Engine work stopped between batches: the deadline its caller set (a service request's) has passed."""


class WorkerLost(TriglotError):
    """A worker of a corpus job (a pool process) died mid-job: killed, or out of memory. The shards written
    so far are whole and kept; the same job run again with ``--resume`` carries on."""


class ClusterUnavailable(TriglotError):
    """A corpus job was sent to a Ray cluster (``--ray``) that cannot be joined: none running, an address where
    nothing answers, or Ray not installed. Nothing was processed; the message says what to start or install."""


class OutputFailed(TriglotError):
    """An output file could not be written (a missing folder, no permission, a full disk); ``path`` names it."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class DataDirectoryError(TriglotError):
    """triglot's data directory (``TRIGLOT_HOME``) or a folder in it cannot be written or read: read-only, a
    file where a folder must be, or a full disk. ``path`` names what failed; nothing was changed."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class StoreUnavailable(TriglotError):
    """The Redis server that workers and replicas share (``TRIGLOT_REDIS_URL``) does not answer. The library
    never lets it out (the cache misses instead); the service turns it into the rate limit's fail mode."""


class ConfigurationError(TriglotError):
    """A setting read from the environment has a value that cannot be used."""
