"""The glossary inside a translation: its terms' renderings ride in the same batches, and each text
is finished by enforcing the glossary on it.

The engine's rendering of a source term on its own tells the glossary what to look
for in the translation, besides the preferred term and its variants.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from glossary import Glossary, TermReport

from .batching import Job, assemble

Finish = Callable[[Sequence[str]], tuple[str, tuple[TermReport, ...]]]


def term_jobs(jobs: list[Job], glossary: Glossary | None) -> dict[tuple[str, str], Job]:
    """Each glossary term found in a source, as a job of its own, by (source language, term as found)."""
    extra: dict[tuple[str, str], Job] = {}
    if glossary is None:
        return extra
    for job in jobs:
        if not job.models:
            continue
        job.terms = glossary.find(job.text, job.source)
        for match in job.terms:
            key = (job.source, match.text)
            if key not in extra:
                extra[key] = Job(match.text, job.source, None, job.models, sentences=[match.text], gaps=["", ""])
    return extra


def finisher(job: Job, target: str, glossary: Glossary | None, renderings: dict[tuple[str, str], Job]) -> Finish:
    """How translated sentences of ``job`` become its text: put together, then the glossary enforced."""
    engine_renderings: dict[str, list[str]] = {}
    for match in job.terms:
        rendered = renderings[(job.source, match.text)]
        engine_renderings.setdefault(match.id, []).append(assemble(rendered, target))

    def finish(sentences: Sequence[str]) -> tuple[str, tuple[TermReport, ...]]:
        text = assemble(job, target, sentences)
        if glossary is None or not job.terms:
            return text, ()
        fixed = glossary.fix(job.text, text, job.source, target, renderings=engine_renderings, source_terms=job.terms)
        return fixed.text, fixed.terms

    return finish
