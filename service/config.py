"""The service's settings: limits, access and serving, read from ``TRIGLOT_*`` variables.

Every field ``name`` is read from ``TRIGLOT_<NAME>`` exactly as ``toolkit.Settings``
reads its own (the same parser), and ``triglot serve`` flags override them. Every
limit is finite by default: LibreTranslate ships them switched off, we do not.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

from toolkit.errors import ConfigurationError, UnsupportedLanguage
from toolkit.settings import ENV_PREFIX, FromEnvironment, Settings, batches_on, check_bounds, worker_share_of_cores
from toolkit.text import normalize_language

from .proxies import parse_networks

DEFAULT_HOST = "127.0.0.1"  # loopback unless told otherwise
DEFAULT_PORT = 5000  # LibreTranslate's port, so its clients' defaults work
DEFAULT_WORKERS = 1
# A request body larger than this is refused while it streams in (413).
DEFAULT_MAX_BODY_BYTES = 256 * 1024
DEFAULT_MAX_TEXT_CHARS = 5_000  # per text (one q, or one item of a list)
DEFAULT_MAX_BATCH = 32  # texts per request
DEFAULT_MAX_REQUEST_CHARS = 20_000  # all texts of a request together
DEFAULT_MAX_ALTERNATIVES = 3
DEFAULT_MAX_SUMMARY_CHARS = 50_000  # the article sent to /summarize or /process
# What a request costs follows tokens, not characters: 5,000 emoji are 20,000 tokens.
# Tokens the engine reads for one request, every package and glossary term together:
# a full request of prose (20,000 characters) is 5,000-14,000, through English twice that.
DEFAULT_MAX_REQUEST_TOKENS = 24_000
# Requests whose work runs at once, each in a thread. Their sentences wait together
# for each package's shared engine batches (32 pieces), so enough slots to fill the
# next batch while one runs; detection, splitting and the glossary are light beside it.
DEFAULT_INFERENCE_SLOTS = 64
# How long a request waits for a slot before 503: well past the time a full queue
# of slots takes to drain on two cores.
DEFAULT_SLOT_WAIT_S = 30.0
DEFAULT_DEADLINE_S = 60.0
DEFAULT_RATE_LIMIT = 0  # requests per minute per key (or client address); 0: no rate limit
# What the rate limit does while its Redis (TRIGLOT_REDIS_URL) is down: "closed" refuses with 503,
# "open" lets requests through uncounted, "auto" is closed where API keys are set (the limit is part
# of what a key is given) and open where they are not (the limit only spreads a public service).
RATE_LIMIT_ON_REDIS_ERROR = ("auto", "closed", "open")
DEFAULT_RATE_LIMIT_ON_REDIS_ERROR = "auto"
# POST /translate_file: the uploaded file's size (the request body may be this plus a little
# for the form around it), the characters of text in it, and how long the translated file is
# kept for GET /download_file (LibreTranslate keeps its files 30 minutes too).
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILE_CHARS = DEFAULT_MAX_REQUEST_CHARS  # what a /translate request may carry in all
DEFAULT_KEEP_FILES_MINUTES = 30.0
DEFAULT_FRONTEND_TIMEOUT_MS = 500  # LibreTranslate's web page waits this long after typing
# uvicorn's own limits, named here so that they are set, not inherited.
DEFAULT_KEEP_ALIVE_TIMEOUT_S = 5.0  # an idle connection between requests is closed after this
# Open connections per worker (uvicorn's limit_concurrency); past it, 503. Well above the
# 50 clients of the load benchmark, well below the usual limit of 1024 open files.
DEFAULT_MAX_CONNECTIONS = 256
DEFAULT_MAX_HEADER_BYTES = 16 * 1024  # an incomplete request line and headers held at most; h11's default
# On SIGTERM, requests in progress get this long to finish; under the 30 s that
# Kubernetes waits before it kills, so they are cut by us and logged, not by a SIGKILL.
DEFAULT_SHUTDOWN_TIMEOUT_S = 20.0
# CTranslate2 threads per engine batch in a server, unless TRIGLOT_INTRA_THREADS says otherwise. A
# server's concurrent requests keep every core busy with batches of their own, one per core
# whichever packages they are for (the engine's turns); a thread each does more than fewer
# batches of several threads that wait on each other (docs/benchmarks.md, the service against
# LibreTranslate).
SERVER_INTRA_THREADS = 1


@dataclasses.dataclass(frozen=True)
class ServiceSettings(FromEnvironment):
    """What the HTTP service can be told, with finite defaults."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = DEFAULT_WORKERS
    preload: tuple[str, ...] = ()  # languages whose packages load at start; empty: every installed one
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS
    max_batch: int = DEFAULT_MAX_BATCH
    max_request_chars: int = DEFAULT_MAX_REQUEST_CHARS
    max_alternatives: int = DEFAULT_MAX_ALTERNATIVES
    max_summary_chars: int = DEFAULT_MAX_SUMMARY_CHARS
    max_request_tokens: int = DEFAULT_MAX_REQUEST_TOKENS
    inference_slots: int = DEFAULT_INFERENCE_SLOTS
    slot_wait: float = DEFAULT_SLOT_WAIT_S
    deadline: float = DEFAULT_DEADLINE_S
    api_keys: tuple[str, ...] = ()  # SHA-256 hex digests of the keys, never the keys
    api_key_required: bool = True  # when api_keys is set; False: a key is optional but must be valid
    rate_limit: int = DEFAULT_RATE_LIMIT
    rate_limit_on_redis_error: str = DEFAULT_RATE_LIMIT_ON_REDIS_ERROR
    cors_origins: tuple[str, ...] = ()  # none: no CORS headers at all
    # Addresses or CIDR networks whose forwarded headers name the client; none: no header is believed.
    trusted_proxies: tuple[str, ...] = ()
    keep_alive_timeout: float = DEFAULT_KEEP_ALIVE_TIMEOUT_S
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT_S
    file_translation: bool = True  # POST /translate_file and GET /download_file; off, 403 as LibreTranslate
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_file_chars: int = DEFAULT_MAX_FILE_CHARS
    keep_files_minutes: float = DEFAULT_KEEP_FILES_MINUTES
    metrics: bool = False  # GET /metrics in Prometheus's format; off, it is a 404 as any unknown path
    metrics_token: str = ""  # SHA-256 hex digest of the bearer token /metrics requires; empty: none
    web: bool = True  # the web page at / (service/web); off, / is a 404 and the API is unchanged

    @property
    def rate_limit_fails_open(self) -> bool:
        """Whether requests go through, uncounted, while the rate limit's Redis is down."""
        if self.rate_limit_on_redis_error == "auto":
            return not self.api_keys
        return self.rate_limit_on_redis_error == "open"

    def to_env(self) -> dict[str, str]:
        """These settings as ``TRIGLOT_*`` variables: how they reach uvicorn's worker processes."""
        env = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, tuple):
                text = ",".join(value)
            elif isinstance(value, bool):
                text = "1" if value else "0"
            else:
                text = str(value)
            env[ENV_PREFIX + field.name.upper()] = text
        return env

    def _check(self) -> None:
        at_least = {
            "port": 0,
            "workers": 1,
            "max_body_bytes": 1,
            "max_text_chars": 1,
            "max_batch": 1,
            "max_request_chars": 1,
            "max_alternatives": 0,
            "max_summary_chars": 1,
            "max_file_bytes": 1,
            "max_file_chars": 1,
            "max_request_tokens": 1,
            "inference_slots": 1,
            "rate_limit": 0,
            "max_connections": 1,
            "max_header_bytes": 1024,  # below this, ordinary requests would not get through
        }
        above_zero = ("slot_wait", "deadline", "keep_alive_timeout", "shutdown_timeout", "keep_files_minutes")
        check_bounds(self, at_least, above_zero=above_zero)
        if self.rate_limit_on_redis_error not in RATE_LIMIT_ON_REDIS_ERROR:
            raise ConfigurationError(
                f"{ENV_PREFIX}RATE_LIMIT_ON_REDIS_ERROR must be auto, closed or open, "
                f"not {self.rate_limit_on_redis_error!r}"
            )
        try:
            parse_networks(self.trusted_proxies)
        except ValueError as error:
            raise ConfigurationError(f"{ENV_PREFIX}TRUSTED_PROXIES: {error}") from None
        for code in self.preload:
            try:
                normalize_language(code)
            except UnsupportedLanguage as error:
                raise ConfigurationError(f"{ENV_PREFIX}PRELOAD: {error}") from None
        for digest in self.api_keys:
            if not _is_digest(digest):
                raise ConfigurationError(
                    f"{ENV_PREFIX}API_KEYS holds SHA-256 hex digests (64 hex digits), not keys; "
                    "make one with 'triglot serve --hash-key'"
                )
        # As for API keys, the setting holds the digest: the environment, to_env() and the
        # workers' environment never carry the token itself.
        if self.metrics_token and not _is_digest(self.metrics_token):
            raise ConfigurationError(
                f"{ENV_PREFIX}METRICS_TOKEN holds a SHA-256 hex digest (64 hex digits), not the token; "
                "make it with 'triglot serve --hash-key'"
            )


def library_settings_for(settings: ServiceSettings, environ: Mapping[str, str] | None = None) -> Settings:
    """The toolkit's settings a server runs with: the library's, with a server's threading where the
    environment does not set it. Each worker takes its share of the cores; a batch takes
    ``SERVER_INTRA_THREADS`` of them, and as many batches as the share holds run at once
    (``TRIGLOT_CONCURRENT_BATCHES``), as many as that for one package if it alone is asked for
    (``TRIGLOT_INTER_THREADS``: CTranslate2's parallel batches share the package's weights)."""
    environ = os.environ if environ is None else environ

    def unset(field: str) -> bool:
        return not environ.get(ENV_PREFIX + field.upper(), "").strip()

    library = Settings.from_env(environ, intra_threads=SERVER_INTRA_THREADS if unset("intra_threads") else None)
    batches = batches_on(worker_share_of_cores(settings.workers), library.intra_threads)
    return dataclasses.replace(
        library,
        inter_threads=batches if unset("inter_threads") else library.inter_threads,
        concurrent_batches=batches if unset("concurrent_batches") else library.concurrent_batches,
    )


def _is_digest(text: str) -> bool:
    """Whether ``text`` is a SHA-256 hex digest (what ``triglot serve --hash-key`` prints), not a secret."""
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text.lower())
