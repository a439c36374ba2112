"""The batching core: the jobs a request's texts become, and their trip through the engine.

A text is split into sentences by triglot's own segmenter (nothing downloaded at run
time) and its route looked up once per source language (``plan``); every sentence of
every job goes to the engine in one batch per package and route stage, and cached
sentences are not translated again (``run``); each text is put back together with its
paragraph breaks (``assemble``). ``plain`` drives these steps for a request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from glossary import Glossary, Match, TermReport

from ..detection import UNDETERMINED, Detection, detect_supported
from ..errors import InvalidText, UndetectedLanguage
from ..settings import Settings
from ..signature import GLOSSARY_OFF, Signature
from ..text import joiner, segmenter, split_sentences
from .cache import Cache, cache_key
from .caches import cache_for
from .engine import Engine
from .packages import InstalledModel
from .routing import route

_NEWLINES = re.compile(r"\r\n|\r|\n")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Translation:
    """One text translated, with what produced it."""

    text: str
    source: str  # the source language, detected when asked for "auto"
    target: str
    route: tuple[str, ...]  # the languages passed through, e.g. ("zh", "en", "ru")
    signature: Signature
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
            "signature": str(self.signature),
            "terms": [term.to_dict() for term in self.terms],
        }
        if self.alternatives:
            data["alternatives"] = list(self.alternatives)
        if self.detection is not None:
            data["detected"] = self.detection.to_dict()
        return data


@dataclass(frozen=True)
class Item:
    """A text to translate, its source language (None: detect it) and the detection already made."""

    text: str
    source: str | None = None
    detection: Detection | None = None


@dataclass(frozen=True)
class Request:
    """What every text of one call shares."""

    target: str
    engine: Engine
    glossary: Glossary | None
    settings: Settings
    alternatives: int
    keep_undetermined: bool = False  # a text whose language cannot be told comes back as it is
    routes: dict[str, list[InstalledModel]] = field(default_factory=dict)  # one look per source language


@dataclass
class Job:
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


def signature(job: Job, request: Request) -> Signature:
    """What produced a job's translation: the segmenter, the engine, each package, the decoding, the glossary."""
    engine = request.engine
    return Signature(
        segmenter=segmenter(job.source),
        engine=engine.name(),
        packages=" + ".join(f"{m.name} {m.version}" for m in job.models) or "identity",
        decoding=engine.options.describe(),
        glossary=request.glossary.fingerprint if request.glossary is not None else GLOSSARY_OFF,
    )


def plan(item: Item, request: Request) -> Job:
    """Decide a text's language and route, and split it into sentences."""
    text, source, detection = item.text, item.source, item.detection
    check_unicode(text)
    if source is None:
        if not text.strip():
            return Job(text, request.target, None, [], gaps=[text])
        try:
            detection = detect_supported(text, doing="translate", margin=request.settings.detect_margin)
        except UndetectedLanguage:
            if not request.keep_undetermined:
                raise
            return Job(text, request.target, UNDETERMINED, [], gaps=[text])
        source = detection.language
    if source not in request.routes:
        request.routes[source] = route(source, request.target, request.settings)
    job = Job(text, source, detection, request.routes[source])
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
    """Refuse a lone surrogate: no encoder or model can take it."""
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate:
        raise InvalidText(
            f"the text holds a lone surrogate (U+{ord(surrogate.group()):04X}) at offset {surrogate.start()}, "
            "which is not valid Unicode; fix the text's encoding"
        )


def by_model(jobs: Sequence[Job], stage: int) -> list[tuple[InstalledModel, list[Job]]]:
    """The jobs whose route has a package at ``stage`` (-1: the last), grouped by that package."""
    groups: dict[str, tuple[InstalledModel, list[Job]]] = {}
    for job in jobs:
        if job.models and (stage < 0 or stage < len(job.models)):
            model = job.models[stage]
            groups.setdefault(model.fingerprint + str(model.path), (model, []))[1].append(job)
    return list(groups.values())


def run(jobs: list[Job], engine: Engine, settings: Settings) -> None:
    """Move every job one package further at a time, one batch per package across all jobs."""
    cache = cache_for(settings) if settings.cache else None
    for stage in range(max((len(job.models) for job in jobs), default=0)):
        for model, members in by_model(jobs, stage):
            unique = list(dict.fromkeys(s for job in members for s in job.sentences))
            done = _translate_unique(unique, model, engine, cache)
            for job in members:
                if stage == 0:
                    job.cached = sum(1 for s in job.sentences if done[s][1])
                if stage == len(job.models) - 1:
                    job.last_input = job.sentences
                job.sentences = [done[s][0] for s in job.sentences]


def _translate_unique(
    sentences: list[str], model: InstalledModel, engine: Engine, cache: Cache | None
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


def assemble(job: Job, target: str, sentences: Sequence[str] | None = None) -> str:
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
            parts.append(joiner(target))
    return "".join(parts)
