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
from toolkit.translation import CTranslate2Engine, Engine, InstalledModel, list_models, open_cache

from .auth import Access, RateLimiter
from .config import ServiceSettings
from .limits import Inference

if TYPE_CHECKING:  # imported by create_app only when metrics are on (it imports prometheus_client)
    from .metrics import Metrics

logger = logging.getLogger(__name__)

WARM_UP_TEXT = "Warm-up."
NO_PACKAGES = "no translation packages are installed; run 'triglot models install --all'"


@dataclass
class ServiceState:
    settings: ServiceSettings
    library: Settings
    engine: Engine
    access: Access
    rate_limiter: RateLimiter
    inference: Inference
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
            rate_limiter=RateLimiter(settings.rate_limit),
            inference=Inference(settings),
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
        """'ok', 'off', or why the process's translation cache gave up (it logged that once)."""
        if not self.library.cache:
            return "off"
        problem = open_cache(self.library.cache_path).problem
        return "ok" if problem is None else f"not in use: {problem}"


def state_of(request: Request) -> ServiceState:
    """The app's state, for a route."""
    return state_of_app(request.app)


def state_of_app(app: Any) -> ServiceState:
    state: ServiceState = app.state.service
    return state
