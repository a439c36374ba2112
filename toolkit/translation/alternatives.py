"""Alternative translations: the engine's n-best list of each sentence, built into whole texts.

Not cached: the cache holds best translations only, and the wider beam that n-best
needs may rank differently; the main translation still comes from the cache.
Through English (zh↔ru) only the last leg varies; the English in between is the best one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .batching import Job, Request, by_model
from .engine import NBestEngine

# Alternatives cost a wider beam and a second decoding of the last leg; a client
# asking for more than this gets an error, not a slow answer.
MAX_ALTERNATIVES = 10


def rank(jobs: Sequence[Job], request: Request) -> None:
    """Each sentence's other translations: the n-best list of its last leg, one batch per package.
    An engine that cannot rank translations (no ``translate_nbest``) gives none."""
    if not isinstance(request.engine, NBestEngine):
        return
    for model, members in by_model([job for job in jobs if job.sentences], -1):
        unique = list(dict.fromkeys(s for job in members for s in job.last_input))
        ranked = dict(zip(unique, request.engine.translate_nbest(model, unique, 1 + request.alternatives)))
        for job in members:
            job.options = [
                [other for other in dict.fromkeys(ranked[given]) if other != best]
                for given, best in zip(job.last_input, job.sentences)
            ]


def variants(
    best: Sequence[str], options: Sequence[Sequence[str]], count: int, main: str, build: Callable[[list[str]], str]
) -> tuple[str, ...]:
    """Alternative i: every part's i-th other option, its best where it has fewer, built like the main text;
    distinct, never the main text, at most ``count``."""
    found: list[str] = []
    for place in range(max((len(o) for o in options), default=0)):
        text = build([o[place] if place < len(o) else b for b, o in zip(best, options)])
        if text != main and text not in found:
            found.append(text)
    return tuple(found[:count])
