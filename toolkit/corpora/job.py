"""A corpus job as data: everything a worker needs to process articles anywhere, in one picklable value.

A ``CorpusJob`` crosses process and machine boundaries (a local pool's workers, a Ray
cluster's actors), so it holds plain values only: the targets, the summary length, the
glossary files, and the library ``Settings`` (a frozen dataclass of paths, numbers and
strings: the data dir with its packages, the decoding options). Workers build their live
objects (the engine, the glossary) from it once. Its ``fingerprint`` names what decides
the output, so a resumed job can refuse to mix lines made differently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from glossary import Glossary

from ..settings import Settings
from ..signature import GLOSSARY_OFF, Signature
from ..summarization import SummaryOptions
from ..text import normalize_targets


@dataclass(frozen=True)
class CorpusJob:
    """What to make of every article: the languages, the summary length, the glossary, the settings.

    ``glossary`` is the glossary files merged over the shipped one (unless
    ``default_glossary`` is False), or False for no glossary at all.
    """

    targets: tuple[str, ...]
    settings: Settings
    sentences: int | None = None
    glossary: tuple[str, ...] | Literal[False] = ()
    default_glossary: bool = True

    @classmethod
    def make(
        cls,
        targets: Sequence[str],
        settings: Settings,
        *,
        sentences: int | None = None,
        glossary: bool | Sequence[str | Path] = True,
    ) -> CorpusJob:
        """A job checked as the digest checks its options: ``glossary`` True for the settings' glossary,
        False for none, or files merged over the settings' (and the shipped one)."""
        SummaryOptions(sentences=sentences)  # a bad length fails here, not in every worker
        files: tuple[str, ...] | Literal[False]
        if glossary is False:
            files = False
        else:
            extra = () if glossary is True else tuple(glossary)
            # Absolute: a worker may start in another folder.
            files = tuple(str(Path(path).absolute()) for path in (*settings.glossary, *extra))
        return cls(
            targets=normalize_targets(targets),
            settings=settings,
            sentences=sentences,
            glossary=files,
            default_glossary=settings.default_glossary,
        )

    def with_threads(self, threads: int) -> CorpusJob:
        """The job with ``threads`` CTranslate2 threads per worker, unless its settings name a number."""
        if self.settings.intra_threads:
            return self
        return dataclasses.replace(self, settings=dataclasses.replace(self.settings, intra_threads=threads))

    @property
    def summary(self) -> SummaryOptions:
        return SummaryOptions(sentences=self.sentences)

    def load_glossary(self) -> Glossary | None:
        """The job's glossary, loaded (and cached) in this process; None when the job has none."""
        if self.glossary is False:
            return None
        return Glossary.load(self.glossary, default=self.default_glossary)

    def signature(self) -> Signature:
        """What every line of the job shares: triglot, the engine, the decoding options, the glossary."""
        from ..translation import engine_for

        engine = engine_for(self.settings)
        terms = self.load_glossary()
        return Signature(
            engine=engine.name(),
            decoding=engine.options.describe(),
            glossary=terms.fingerprint if terms is not None else GLOSSARY_OFF,
        )

    def fingerprint(self) -> str:
        """A digest of everything that decides a line: a resumed job must have the same one."""
        decided = {
            "targets": list(self.targets),
            "sentences": self.sentences or self.settings.summary_sentences,
            "algorithm": self.settings.summary_algorithm,
            "signature": str(self.signature()),
        }
        content = json.dumps(decided, sort_keys=True)
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]

    def describe(self) -> dict[str, object]:
        """The job as the manifest records it."""
        return {
            "targets": list(self.targets),
            "sentences": self.sentences or self.settings.summary_sentences,
            "algorithm": self.settings.summary_algorithm,
            "glossary": list(self.glossary) if self.glossary is not False else False,
            "default_glossary": self.default_glossary,
            "signature": str(self.signature()),
        }
