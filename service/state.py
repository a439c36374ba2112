"""What the app keeps between requests: settings, the engine, the guards, and readiness."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from glossary import Glossary
from toolkit.detection import detect
from toolkit.errors import TriglotError
from toolkit.settings import Settings
from toolkit.text import normalize_language
from toolkit.translation import CTranslate2Engine, Engine, InstalledModel, cache_for, list_models

from .auth import Access, Limiter, RateLimiter
from .config import ServiceSettings
from .files import FOLDER, FileStore
from .limits import Inference
from .redis_limits import RedisRateLimiter

if TYPE_CHECKING:  # imported by create_app only when metrics are on (it imports prometheus_client)
    from .metrics import Metrics

logger = logging.getLogger(__name__)

WARM_UP_TEXT = "Warm-up."
NO_PACKAGES = "no translation packages are installed; run 'triglot models install --all'"
# What /ready, open to anyone, says of a Redis outage: that it is one, not the server's address or error.
REDIS_DOWN = "Redis (TRIGLOT_REDIS_URL) cannot be used; the server log says why"


@dataclass
class ServiceState:
    settings: ServiceSettings
    library: Settings
    engine: Engine
    access: Access
    rate_limiter: Limiter
    inference: Inference
    files: FileStore  # what /translate_file made, for /download_file
    loaded: list[str] = field(default_factory=list)  # "en→zh", once warmed up
    ready: threading.Event = field(default_factory=threading.Event)
    problem: str | None = None  # why the service is not ready, when it is not
    metrics: Metrics | None = None  # None: metrics off (TRIGLOT_METRICS)

    @classmethod
    def create(
        cls, settings: ServiceSettings, library: Settings, engine: Engine, metrics: Metrics | None = None
    ) -> ServiceState:
        if metrics is not None and isinstance(engine, CTranslate2Engine):
            engine.observer = metrics  # the shared batches' sizes, waits and queue
        return cls(
            settings=settings,
            library=library,
            engine=engine,
            access=Access(settings),
            rate_limiter=rate_limiter_for(settings, library),
            inference=Inference(settings),
            files=FileStore(library.home / FOLDER, settings.keep_files_minutes * 60),
            metrics=metrics,
        )

    def glossary(self) -> Glossary:
        """The shipped glossary with the server's files (TRIGLOT_GLOSSARY) over it; loaded once per change."""
        return Glossary.in_use(self.library)

    def warm_up(self) -> None:
        """Load every package to serve (``preload``'s languages, or all installed) and run one sentence
        through each, then the glossary and the detector: the first request pays for none of it."""
        try:
            models = self.packages()
            wanted = {normalize_language(code) for code in self.settings.preload}
            if wanted:
                models = [m for m in models if m.source in wanted and m.target in wanted]
            for model in models:
                self.engine.translate(model, [WARM_UP_TEXT])
                self.loaded.append(f"{model.source}→{model.target}")
                if self.metrics is not None:
                    self.metrics.package_loaded(self.loaded[-1])
            self.glossary()
            detect(WARM_UP_TEXT)
            self.cache_state()  # a Redis that does not answer is logged at start, not at the first request
            if not models:
                self.problem = NO_PACKAGES
        except TriglotError as error:
            logger.error("warm-up failed: %s", error)
            self.problem = "warm-up failed; see the server log"
        except Exception:
            logger.exception("warm-up failed")
            self.problem = "warm-up failed; see the server log"
        finally:
            self.ready.set()

    def packages(self) -> list[InstalledModel]:
        return list_models(self.library)

    def cache_state(self) -> str:
        """'ok', 'off', or why the process's translation cache is not in use (it logged that once).
        Asks Redis, where the cache is there: call it from a worker thread."""
        if not self.library.cache:
            return "off"
        problem = cache_for(self.library).check()
        if problem is None:
            return "ok"
        return f"not in use: {REDIS_DOWN if self.library.redis_url else problem}"

    def rate_limit_state(self) -> str:
        """'off', 'ok', or why the rate limit is not counted (its Redis is down: failing open or closed)."""
        if self.rate_limiter.limit <= 0:
            return "off"
        problem = self.rate_limiter.problem
        if problem is None:
            return "ok"
        how = "requests go through uncounted" if self.settings.rate_limit_fails_open else "requests get 503"
        return f"not counted ({how}): {REDIS_DOWN}"


def rate_limiter_for(settings: ServiceSettings, library: Settings) -> Limiter:
    """The rate limit in Redis where ``TRIGLOT_REDIS_URL`` is set (one limit for every worker and replica),
    else in this process."""
    if library.redis_url and settings.rate_limit > 0:
        return RedisRateLimiter(settings.rate_limit, library.redis_url, fail_open=settings.rate_limit_fails_open)
    return RateLimiter(settings.rate_limit)


def state_of(request: Request) -> ServiceState:
    """The app's state, for a route."""
    return state_of_app(request.app)


def state_of_app(app: Any) -> ServiceState:
    state: ServiceState = app.state.service
    return state
