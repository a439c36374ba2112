"""triglot's own endpoints: summaries, the whole process, the glossary, health and readiness.

Each answers the JSON the library's ``to_dict`` gives, the same as the CLI's
``--format json``, so the three doors never drift apart.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from toolkit.digests import newsletter_block
from toolkit.pipeline import process
from toolkit.summarization import summarize_with
from toolkit.text import normalize_language, normalize_targets

from .. import limits
from ..errors import ServiceError
from ..intake import accept
from ..schemas import (
    CheckResponse,
    FixResponse,
    GlossaryEntry,
    GlossaryRequest,
    Health,
    ProcessRequest,
    ProcessResponse,
    Ready,
    SummarizeRequest,
    SummaryResponse,
    request_body,
)
from ..state import NO_PACKAGES, state_of
from . import GET_ERRORS, POST_ERRORS, errors

router = APIRouter(tags=["triglot"])


@router.post(
    "/summarize",
    response_model=SummaryResponse,
    responses=errors(*POST_ERRORS),
    openapi_extra=request_body(SummarizeRequest),
    summary="Summarise an article in its own language",
)
async def summarize_article(request: Request) -> dict[str, Any]:
    """The same JSON as ``triglot summarize --format json``."""
    state = state_of(request)
    body = await accept(request, SummarizeRequest)
    limits.check_article(body.text, state.settings)
    options = body.options()
    summary = await state.inference.run(lambda: summarize_with(body.text, options, state.library))
    return summary.to_dict()


@router.post(
    "/process",
    response_model=ProcessResponse,
    response_model_exclude_unset=True,
    responses=errors(*POST_ERRORS),
    openapi_extra=request_body(ProcessRequest),
    summary="Detect, summarise, and translate the summary into each target",
)
async def process_article(request: Request) -> dict[str, Any]:
    """Detection, the summary, and per target the translated title and summary with the glossary's report."""
    state = state_of(request)
    body = await accept(request, ProcessRequest)
    limits.check_article(body.text, state.settings)
    targets, options = normalize_targets(body.targets), body.options()
    processed = await state.inference.run(
        lambda: process(
            body.text,
            targets=targets,
            summary=options,
            glossary=body.glossary,
            settings=state.library,
            engine=state.engine,
        )
    )
    if state.metrics is not None:
        state.metrics.processed(processed)
    answer = processed.to_dict()
    if body.newsletter_html:
        answer["newsletter_html"] = newsletter_block(processed, targets, source=body.name, url=body.url)
    return answer


@router.get(
    "/glossary", response_model=list[GlossaryEntry], responses=errors(*GET_ERRORS), summary="The glossary in use"
)
async def glossary_list(request: Request) -> list[dict[str, object]]:
    """The shipped glossary with the server's files (TRIGLOT_GLOSSARY) merged over it."""
    glossary = await run_in_threadpool(state_of(request).glossary)
    return glossary.to_list()


@router.post(
    "/glossary/fix",
    response_model=FixResponse,
    responses=errors(*POST_ERRORS),
    openapi_extra=request_body(GlossaryRequest),
    summary="Put the preferred terms into a translation",
)
async def glossary_fix(request: Request) -> dict[str, object]:
    """``{"source", "translation", "from", "to"}`` -> ``{"fixed", "terms"}``, as ``triglot glossary fix --jsonl``."""
    return await _fix(request)


@router.post(
    "/glossary/check",
    response_model=CheckResponse,
    responses=errors(*POST_ERRORS),
    openapi_extra=request_body(GlossaryRequest),
    summary="Report each term of a translation",
)
async def glossary_check(request: Request) -> dict[str, object]:
    """As ``/glossary/fix``, plus ``all_preferred``: every term already the preferred one."""
    return await _fix(request, check=True)


async def _fix(request: Request, *, check: bool = False) -> dict[str, object]:
    state = state_of(request)
    body = await accept(request, GlossaryRequest)
    limits.check_texts([body.source, body.translation], state.settings)
    source, target = normalize_language(body.source_language), normalize_language(body.target_language)
    result = await state.inference.run(lambda: state.glossary().fix(body.source, body.translation, source, target))
    answer = result.to_dict()
    if check:
        answer["all_preferred"] = result.all_preferred
    return answer


@router.get("/health", response_model=Health, responses=errors(*GET_ERRORS), summary="The server is alive")
async def health() -> Health:
    return Health(status="ok")


@router.get(
    "/ready", response_model=Ready, responses=errors(*GET_ERRORS, 503), summary="The packages are loaded"
)
async def ready(request: Request) -> Ready:
    """200 once the warm-up has loaded the packages and while packages are installed; 503 before, or when
    there are none (removed since the start, too). A cache not in use is reported, not a reason for 503:
    translation goes on without it."""
    state = state_of(request)
    if not state.ready.is_set():
        raise ServiceError(503, "not ready: the translation packages are still loading", headers={"Retry-After": "1"})
    if state.problem is not None:
        raise ServiceError(503, f"not ready: {state.problem}", headers={"Retry-After": "60"})
    on_disk = {f"{m.source}→{m.target}" for m in await run_in_threadpool(state.packages)}
    serving = [name for name in state.loaded if name in on_disk]
    if not serving:
        raise ServiceError(503, f"not ready: {NO_PACKAGES}", headers={"Retry-After": "60"})
    cache = await run_in_threadpool(state.cache_state)  # it may ask Redis
    return Ready(status="ready", packages=serving, cache=cache, rate_limit=state.rate_limit_state())
