"""LibreTranslate's API, so its clients (libretranslatepy, Weblate, its web page) work unchanged.

Chinese is ``zh`` in every answer: Weblate's LibreTranslate machinery maps its
``zh_Hans`` to ``zh``, libretranslatepy passes codes through, and LibreTranslate's
own ``/languages`` answers ``zh`` (``zt`` for Traditional) in the versions people
install; only libretranslate.com's newest deployment says ``zh-Hans``. On input
``zh-Hans``, ``zh-CN`` and friends are accepted too. Unlike LibreTranslate, each
text of a batch with ``source: auto`` is detected on its own.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from toolkit.detection import detect
from toolkit.documents import EXTENSIONS
from toolkit.text import AUTO, NAMES, normalize_language, source_language
from toolkit.translation import Translation, reachable, translate_detailed

from .. import limits
from ..config import DEFAULT_FRONTEND_TIMEOUT_MS
from ..intake import accept
from ..schemas import (
    DetectedLanguage,
    DetectRequest,
    FrontendSettings,
    Language,
    TranslateRequest,
    TranslateResponse,
    request_body,
)
from ..state import state_of
from . import GET_ERRORS, POST_ERRORS, errors

router = APIRouter(tags=["LibreTranslate"])


@router.post(
    "/translate",
    response_model=TranslateResponse,
    response_model_exclude_none=True,
    responses=errors(*POST_ERRORS),
    openapi_extra=request_body(TranslateRequest, forms=True),
    summary="Translate a text or a list of texts",
)
async def translate(request: Request) -> dict[str, Any]:
    """``q`` a string or a list (the answer has the same shape); ``source: auto`` detects each text;
    ``alternatives`` other translations per text; the glossary applies unless ``glossary`` is false."""
    state = state_of(request)
    body = await accept(request, TranslateRequest, forms=True)
    texts = [body.q] if isinstance(body.q, str) else body.q
    limits.check_texts(texts, state.settings)
    limits.check_alternatives(body.alternatives, state.settings)
    target = normalize_language(body.target)
    source = source_language(body.source)  # None: each text detected on its own

    def work() -> list[Translation]:
        return translate_detailed(
            texts,
            target=target,
            source=source or AUTO,
            glossary=body.glossary,
            settings=state.library,
            engine=state.engine,
            format=body.format,
            alternatives=body.alternatives,
        )

    results = await state.inference.run(work)
    if state.metrics is not None:
        state.metrics.translated(results, cache=state.library.cache)
    answer: dict[str, Any] = {}
    detected = [_detected(result) for result in results]
    alternatives = [list(result.alternatives) for result in results]
    if isinstance(body.q, str):
        answer["translatedText"] = results[0].text
        if source is None:
            answer["detectedLanguage"] = detected[0]
        if body.alternatives:
            answer["alternatives"] = alternatives[0]
    else:
        answer["translatedText"] = [result.text for result in results]
        if source is None:
            answer["detectedLanguage"] = detected
        if body.alternatives:
            answer["alternatives"] = alternatives
    return answer


def _detected(result: Translation) -> DetectedLanguage:
    confidence = result.detection.confidence if result.detection is not None else 1.0
    return DetectedLanguage(language=result.source, confidence=_percent(confidence))


def _percent(confidence: float) -> float:
    # LibreTranslate says confidence from 0 to 100; triglot from 0 to 1.
    return round(confidence * 100, 2)


@router.post(
    "/detect",
    response_model=list[DetectedLanguage],
    responses=errors(*POST_ERRORS),
    openapi_extra=request_body(DetectRequest, forms=True),
    summary="Detect the language of a text",
)
async def detect_language(request: Request) -> list[DetectedLanguage]:
    """The best guess first; ``und`` when no language can be told. Languages outside en, zh, ru are named too."""
    state = state_of(request)
    body = await accept(request, DetectRequest, forms=True)
    limits.check_texts([body.q], state.settings)
    found = await state.inference.run(lambda: detect(body.q))
    return [DetectedLanguage(language=found.language, confidence=_percent(found.confidence))]


@router.get(
    "/languages", response_model=list[Language], responses=errors(*GET_ERRORS), summary="The languages served"
)
async def languages(request: Request) -> list[Language]:
    """Each language with an installed package, and the targets it reaches (zh↔ru through English)."""
    models = await run_in_threadpool(state_of(request).packages)
    return [Language(code=code, name=NAMES[code], targets=targets) for code, targets in reachable(models).items()]


@router.get(
    "/frontend/settings",
    response_model=FrontendSettings,
    responses=errors(*GET_ERRORS),
    summary="Settings LibreTranslate's web page reads",
)
async def frontend_settings(request: Request) -> FrontendSettings:
    state = state_of(request)
    settings = state.settings
    return FrontendSettings.model_validate(
        {
            "charLimit": min(settings.max_text_chars, settings.max_request_chars),
            "frontendTimeout": DEFAULT_FRONTEND_TIMEOUT_MS,
            "apiKeys": state.access.enabled,
            "keyRequired": state.access.required,
            "suggestions": False,
            "filesTranslation": settings.file_translation,
            "supportedFilesFormat": list(EXTENSIONS) if settings.file_translation else [],
            "language": {
                "source": {"code": AUTO, "name": "Auto Detect"},
                "target": {"code": "zh", "name": NAMES["zh"]},
            },
        }
    )
