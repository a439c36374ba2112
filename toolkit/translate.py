"""Translate texts among English, Chinese and Russian with the installed packages.

A request is split into sentences by triglot's own segmenter (nothing downloaded
at run time), every sentence of every text goes to the engine in one batch per
package, cached sentences are not translated again, and the texts are put back
together with their paragraph breaks. Chinese and Russian translate to each
other through English: the public index has no direct package. HTML texts
(``format="html"``) go to ``markup``, which cuts them into text nodes and sends
every node of every text through ``translate_items`` in the same batches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import overload

from .cache import TranslationCache, cache_key, open_cache
from .detect import Detection, detect_supported
from .engine import Engine, NBestEngine, engine_for, signature
from .errors import InvalidOption, InvalidText, ModelNotInstalled
from .glossary import Glossary, Match, TermReport
from .languages import normalize_language
from .models import InstalledModel, find_model
from .segment import split_sentences
from .settings import Settings

PIVOT = "en"
FORMATS = ("text", "html")
# Alternatives cost a wider beam and a second decoding of the last leg; a client
# asking for more than this gets an error, not a slow answer.
MAX_ALTERNATIVES = 10
_NEWLINES = re.compile(r"\r\n|\r|\n")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Translation:
    """One text translated, with what produced it."""

    text: str
    source: str  # the source language, detected when asked for "auto"
    target: str
    route: tuple[str, ...]  # the languages passed through, e.g. ("zh", "en", "ru")
    signature: str
    detection: Detection | None = None
    sentences: int = 0
    cached_sentences: int = 0
    terms: tuple[TermReport, ...] = ()  # the glossary's report, one line per source term
    alternatives: tuple[str, ...] = ()  # other translations, best first; never ``text`` itself

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "source": self.source,
            "target": self.target,
            "translation": self.text,
            "route": list(self.route),
            "signature": self.signature,
            "terms": [term.to_dict() for term in self.terms],
        }
        if self.alternatives:
            data["alternatives"] = list(self.alternatives)
        if self.detection is not None:
            data["detected"] = {"language": self.detection.language, "confidence": self.detection.confidence}
        return data


@dataclass
class _Job:
    """One text on its way through: its sentences, the gaps between them, and its route."""

    text: str
    source: str
    detection: Detection | None
    models: list[InstalledModel]
    sentences: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # len(sentences) + 1: before, between, after
    cached: int = 0
    terms: list[Match] = field(default_factory=list)  # glossary terms found in the source
    last_input: list[str] = field(default_factory=list)  # the sentences as the last package got them
    options: list[list[str]] = field(default_factory=list)  # per sentence, its other translations, best first


# A text to translate, its source language (None: detect it) and the detection already made.
Item = tuple[str, str | None, Detection | None]


@dataclass(frozen=True)
class Request:
    """What every text of one call shares."""

    target: str
    engine: Engine
    glossary: Glossary | None
    settings: Settings
    alternatives: int
    routes: dict[str, list[InstalledModel]]  # one look at the installed packages per source language


@overload
def translate(  # type: ignore[overload-overlap]  # a str is also a Sequence[str]; str wins
    text: str,
    *,
    target: str,
    source: str = ...,
    glossary: Glossary | bool = ...,
    settings: Settings | None = ...,
    engine: Engine | None = ...,
    format: str = ...,
) -> str: ...
@overload
def translate(
    text: Sequence[str],
    *,
    target: str,
    source: str = ...,
    glossary: Glossary | bool = ...,
    settings: Settings | None = ...,
    engine: Engine | None = ...,
    format: str = ...,
) -> list[str]: ...
def translate(
    text: str | Sequence[str],
    *,
    target: str,
    source: str = "auto",
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
    format: str = "text",
) -> str | list[str]:
    """Translate a text, or a list of texts, to ``target``; ``source="auto"`` detects each text's language.

    ``glossary``: True enforces the shipped glossary and the user's (``TRIGLOT_GLOSSARY``),
    a ``Glossary`` enforces that one, False none. ``format="html"``: the texts are HTML;
    the text between tags is translated, the markup kept as given (see ``toolkit.markup``).
    """
    texts = [text] if isinstance(text, str) else list(text)
    results = translate_detailed(
        texts, target=target, source=source, glossary=glossary, settings=settings, engine=engine, format=format
    )
    return results[0].text if isinstance(text, str) else [r.text for r in results]


def translate_detailed(
    texts: Sequence[str],
    *,
    target: str,
    source: str = "auto",
    glossary: Glossary | bool = True,
    settings: Settings | None = None,
    engine: Engine | None = None,
    format: str = "text",
    alternatives: int = 0,
) -> list[Translation]:
    """Translate each text and say how: the language found, the route, the packages and options, the terms.

    ``format``: "text" or "html" (see ``translate``). ``alternatives``: up to that many other
    translations per text (at most ``MAX_ALTERNATIVES``), from the engine's n-best list of
    each sentence, glossary-fixed like the main one; through English (zh↔ru) they vary the
    last leg only, the English in between is the best one. An engine that cannot rank
    translations (no ``translate_nbest``) gives none.
    """
    _check_options(format, alternatives)
    settings = settings or Settings.from_env()
    target = normalize_language(target)
    fixed_source = None if source.strip().lower() == "auto" else normalize_language(source)
    request = Request(target, engine or engine_for(settings), resolve_glossary(glossary, settings), settings, alternatives, {})
    if format == "html":
        from .markup import translate_html  # markup builds on this module

        return translate_html(texts, fixed_source, request)
    return translate_items([(text, fixed_source, None) for text in texts], request)


def _check_options(format: str, alternatives: int) -> None:
    """Refuse bad options before anything is loaded, detected or translated."""
    if format not in FORMATS:
        raise InvalidOption(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
    if isinstance(alternatives, bool) or not isinstance(alternatives, int):
        raise InvalidOption(f"alternatives must be a whole number, not {alternatives!r}")
    if not 0 <= alternatives <= MAX_ALTERNATIVES:
        raise InvalidOption(f"alternatives must be between 0 and {MAX_ALTERNATIVES}, not {alternatives}")


def translate_items(items: Sequence[Item], request: Request) -> list[Translation]:
    """Translate every item, all in the same batches."""
    jobs = [_plan(text, source, detection, request) for text, source, detection in items]
    renderings = _term_jobs(jobs, request.glossary)
    _run(jobs + list(renderings.values()), request.engine, request.settings)
    if request.alternatives:
        _rank(jobs, request)
    results = []
    for job in jobs:
        finish = _finisher(job, request.target, request.glossary, renderings)
        text, reports = finish(job.sentences)
        results.append(
            Translation(
                text=text,
                source=job.source,
                target=request.target,
                route=(job.source, *(m.target for m in job.models)),
                signature=signature(request.engine, job.models),
                detection=job.detection,
                sentences=len(job.sentences),
                cached_sentences=job.cached,
                terms=reports,
                alternatives=variants(job.sentences, job.options, request.alternatives, text, lambda s: finish(s)[0]),
            )
        )
    return results


def resolve_glossary(choice: Glossary | bool, settings: Settings) -> Glossary | None:
    """The glossary a ``glossary=`` argument asks for: True the shipped one plus the user's, False none."""
    if isinstance(choice, Glossary):
        return choice
    if not choice:
        return None
    return Glossary.load(settings.glossary, default=settings.default_glossary)


def _term_jobs(jobs: list[_Job], glossary: Glossary | None) -> dict[tuple[str, str], _Job]:
    """Each glossary term found in a source, as a job of its own: the engine's rendering of it
    tells the glossary what to look for in the translation. They travel in the same batches."""
    extra: dict[tuple[str, str], _Job] = {}
    if glossary is None:
        return extra
    for job in jobs:
        if not job.models:
            continue
        job.terms = glossary.find(job.text, job.source)
        for match in job.terms:
            key = (job.source, match.text)
            if key not in extra:
                extra[key] = _Job(match.text, job.source, None, job.models, sentences=[match.text], gaps=["", ""])
    return extra


def _plan(text: str, source: str | None, detection: Detection | None, request: Request) -> _Job:
    """Decide a text's language and route, and split it into sentences."""
    check_unicode(text)
    if source is None:
        if not text.strip():
            return _Job(text, request.target, None, [], gaps=[text])
        detection = detect_supported(text, doing="translate")
        source = detection.language
    if source not in request.routes:
        request.routes[source] = _route(source, request.target, request.settings)
    job = _Job(text, source, detection, request.routes[source])
    if not job.models:
        job.gaps = [text]
        return job
    cursor = 0
    for sentence in split_sentences(text, source):
        job.gaps.append(text[cursor : sentence.start])
        job.sentences.append(sentence.text)
        cursor = sentence.end
    job.gaps.append(text[cursor:])
    return job


def check_unicode(text: str) -> None:
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate:
        raise InvalidText(
            f"the text holds a lone surrogate (U+{ord(surrogate.group()):04X}) at offset {surrogate.start()}, "
            "which is not valid Unicode; fix the text's encoding"
        )


def _route(source: str, target: str, settings: Settings) -> list[InstalledModel]:
    """The packages to go through: none, one, or two by way of English."""
    if source == target:
        return []
    direct = find_model(source, target, settings)
    if direct is not None:
        return [direct]
    if PIVOT in (source, target):
        raise ModelNotInstalled(
            f"no {source}→{target} model; run 'triglot models install {source} {target}'", source=source, target=target
        )
    legs = [(source, PIVOT), (PIVOT, target)]
    found = [find_model(a, b, settings) for a, b in legs]
    missing = [f"'triglot models install {a} {b}'" for (a, b), model in zip(legs, found) if model is None]
    if missing:
        raise ModelNotInstalled(
            f"no {source}→{target} model; {source}→{target} goes through English: run " + " and ".join(missing),
            source=source,
            target=target,
        )
    return [m for m in found if m is not None]


def _run(jobs: list[_Job], engine: Engine, settings: Settings) -> None:
    """Move every job one package further at a time, one batch per package across all jobs."""
    cache = open_cache(settings.cache_path) if settings.cache else None
    for stage in range(max((len(job.models) for job in jobs), default=0)):
        by_model: dict[str, tuple[InstalledModel, list[_Job]]] = {}
        for job in jobs:
            if stage < len(job.models):
                model = job.models[stage]
                by_model.setdefault(model.fingerprint + str(model.path), (model, []))[1].append(job)
        for model, members in by_model.values():
            unique = list(dict.fromkeys(s for job in members for s in job.sentences))
            done = _translate_unique(unique, model, engine, cache)
            for job in members:
                if stage == 0:
                    job.cached = sum(1 for s in job.sentences if done[s][1])
                if stage == len(job.models) - 1:
                    job.last_input = job.sentences
                job.sentences = [done[s][0] for s in job.sentences]


def _rank(jobs: list[_Job], request: Request) -> None:
    """Each sentence's other translations: the n-best list of its last leg, one batch per package.

    Not cached: the cache holds best translations only, and the wider beam that n-best
    needs may rank differently; the main translation still comes from the cache.
    """
    if not isinstance(request.engine, NBestEngine):
        return
    by_model: dict[str, tuple[InstalledModel, list[_Job]]] = {}
    for job in jobs:
        if job.models and job.sentences:
            model = job.models[-1]
            by_model.setdefault(model.fingerprint + str(model.path), (model, []))[1].append(job)
    for model, members in by_model.values():
        unique = list(dict.fromkeys(s for job in members for s in job.last_input))
        ranked = dict(zip(unique, request.engine.translate_nbest(model, unique, 1 + request.alternatives)))
        for job in members:
            job.options = [
                [other for other in dict.fromkeys(ranked[given]) if other != best]
                for given, best in zip(job.last_input, job.sentences)
            ]


def _finisher(
    job: _Job, target: str, glossary: Glossary | None, renderings: dict[tuple[str, str], _Job]
) -> Callable[[Sequence[str]], tuple[str, tuple[TermReport, ...]]]:
    """How translated sentences of ``job`` become its text: put together, then the glossary enforced."""
    engine_renderings: dict[str, list[str]] = {}
    for match in job.terms:
        rendered = renderings[(job.source, match.text)]
        engine_renderings.setdefault(match.id, []).append(_assemble(rendered, target))

    def finish(sentences: Sequence[str]) -> tuple[str, tuple[TermReport, ...]]:
        text = _assemble(job, target, sentences)
        if glossary is None or not job.terms:
            return text, ()
        fixed = glossary.fix(job.text, text, job.source, target, renderings=engine_renderings, source_terms=job.terms)
        return fixed.text, fixed.terms

    return finish


def variants(
    best: Sequence[str], options: Sequence[Sequence[str]], count: int, main: str, build: Callable[[list[str]], str]
) -> tuple[str, ...]:
    """Alternative i: every part's i-th other option, its best where it has fewer, built like the main text;
    distinct, never the main text, at most ``count``."""
    found: list[str] = []
    for rank in range(max((len(o) for o in options), default=0)):
        text = build([o[rank] if rank < len(o) else b for b, o in zip(best, options)])
        if text != main and text not in found:
            found.append(text)
    return tuple(found[:count])


def _translate_unique(
    sentences: list[str], model: InstalledModel, engine: Engine, cache: TranslationCache | None
) -> dict[str, tuple[str, bool]]:
    """Each sentence's translation and whether it came from the cache."""
    model_key = f"{model.source}>{model.target}|{model.version}|{model.fingerprint}|{engine.options.key()}"
    keys = {s: cache_key(model_key, s) for s in sentences}
    hits = cache.get_many(keys.values()) if cache is not None else {}
    result = {s: (hits[keys[s]], True) for s in sentences if keys[s] in hits}
    misses = [s for s in sentences if s not in result]
    fresh = engine.translate(model, misses)
    result.update({s: (t, False) for s, t in zip(misses, fresh)})
    if cache is not None:
        cache.put_many({keys[s]: t for s, t in zip(misses, fresh)})
    return result


def _assemble(job: _Job, target: str, sentences: Sequence[str] | None = None) -> str:
    """Sentences (the job's, unless given) back between their gaps: line breaks kept, spaces as the target writes them."""
    sentences = job.sentences if sentences is None else sentences
    if not sentences:
        return job.gaps[0] if job.gaps else job.text
    parts = [job.gaps[0]]
    for index, sentence in enumerate(sentences):
        parts.append(sentence)
        gap = job.gaps[index + 1]
        if index + 1 == len(sentences):
            parts.append(gap)
        elif _NEWLINES.search(gap):
            parts.append("".join(_NEWLINES.findall(gap)))
        else:
            parts.append("" if target == "zh" else " ")
    return "".join(parts)
