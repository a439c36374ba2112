"""What produced a result, so that any summary or translation can be reproduced.

sacrebleu's ``Signature`` is the model: the pieces that decide an output, written
``name:value`` and joined by ``|``, in a long form for people and a short one for
tables. Each stage fills in what it used; a stage that builds on another merges the
two (a translated summary carries its summary's algorithm and its translation's
packages). Fields not used are left out of both forms.

    triglot:0.1.0|segmenter:triglot 0.1.0 razdel 0.5.0|engine:ctranslate2 4.8.0|packages:translate-ru_en 1.9|decoding:beam 4, int8, lp 0.2, max 256, piece 200|glossary:3c1f0e9a27b4
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ._version import __version__

GLOSSARY_OFF = "off"

# Short names, as sacrebleu's signatures abbreviate theirs.
_SHORT = {
    "triglot": "v",
    "segmenter": "seg",
    "algorithm": "alg",
    "engine": "eng",
    "packages": "pkg",
    "decoding": "dec",
    "glossary": "gl",
}


@dataclass(frozen=True)
class Signature:
    """The triglot version, the segmenter, the summary algorithm, the engine, the packages, the decoding
    options and a digest of the glossary that rewrote the text; None where a stage did not take part."""

    triglot: str = __version__
    segmenter: str | None = None  # what cut the text into sentences: "triglot 0.1.0 razdel 0.5.0"
    algorithm: str | None = None  # the summariser: "lexrank sumy 0.11.0", or "lead"
    engine: str | None = None  # "ctranslate2 4.8.0"
    packages: str | None = None  # "translate-zh_en 1.0 + translate-en_ru 1.0", or "identity"
    decoding: str | None = None  # "beam 4, int8, lp 0.2, max 256, piece 200"
    glossary: str | None = None  # the glossary's content digest, or "off"

    def format(self, short: bool = False) -> str:
        """``name:value|...`` in field order; ``short`` abbreviates the names."""
        pairs = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is not None:
                pairs.append(f"{_SHORT[field.name] if short else field.name}:{value}")
        return "|".join(pairs)

    def __str__(self) -> str:
        return self.format()

    def merged(self, other: Signature) -> Signature:
        """This signature with every field ``other`` sets taken from ``other``."""
        changes = {f.name: getattr(other, f.name) for f in dataclasses.fields(other) if getattr(other, f.name) is not None}
        return dataclasses.replace(self, **changes)
