"""Plain texts through the batching core: plan every text, translate the sentences and the glossary's
terms in the same batches, rank alternatives, and finish each text with the glossary enforced.

``markup`` sends the text nodes of HTML documents through here as items too.
"""

from __future__ import annotations

from collections.abc import Sequence

from .alternatives import rank, variants
from .batching import Item, Request, Translation, plan, run, signature
from .terms import finisher, term_jobs


def translate_items(items: Sequence[Item], request: Request) -> list[Translation]:
    """Translate every item, all in the same batches."""
    jobs = [plan(item, request) for item in items]
    renderings = term_jobs(jobs, request.glossary)
    run(jobs + list(renderings.values()), request.engine, request.settings)
    if request.alternatives:
        rank(jobs, request)
    results = []
    for job in jobs:
        finish = finisher(job, request.target, request.glossary, renderings)
        text, reports = finish(job.sentences)
        results.append(
            Translation(
                text=text,
                source=job.source,
                target=request.target,
                route=(job.source, *(m.target for m in job.models)),
                signature=signature(job, request),
                detection=job.detection,
                sentences=len(job.sentences),
                cached_sentences=job.cached,
                terms=reports,
                alternatives=variants(job.sentences, job.options, request.alternatives, text, lambda s: finish(s)[0]),
            )
        )
    return results
