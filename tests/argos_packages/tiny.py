"""The tiny packages the tests install: a model that copies its input, over a small tokenizer.

The SentencePiece model is trained on ``data/tokenizer_corpus.txt`` (en/zh/ru text kept
beside this module) without normalisation, so decoding gives back the exact input; the
model is the one-layer copier of ``copy_model.py``. A second to build, under 200 kB a
package, the same bytes every time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from tests.argos_packages.build import (
    DEFAULT_PAIRS,
    SEED,
    Pair,
    Progress,
    checked_pairs,
    model_vocabulary,
    train_tokenizer,
    write_packages,
)
from tests.argos_packages.copy_model import copy_model_spec

CORPUS = Path(__file__).resolve().parent / "data" / "tokenizer_corpus.txt"
# The tiny tokenizer must hold every character of the corpus (about 1,070 with the
# 256 byte pieces) plus a couple of hundred multi-character pieces.
TINY_VOCAB_SIZE = 1280


@functools.cache
def tiny_tokenizer() -> bytes:
    """The tiny packages' tokenizer; cached, as tests build packages several times."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return train_tokenizer(lines, TINY_VOCAB_SIZE, lossless=True)


def build_tiny_packages(
    out_dir: Path,
    pairs: Iterable[Pair] = DEFAULT_PAIRS,
    progress: Progress | None = None,
    version: str = "1.0",
) -> dict[Pair, Path]:
    """Write one tiny ``.argosmodel`` per (from, to) pair into ``out_dir``; returns their paths."""
    pairs = checked_pairs(pairs)
    tokenizer = tiny_tokenizer()
    spec = copy_model_spec(model_vocabulary(tokenizer), seed=SEED)
    return write_packages(out_dir, pairs, tokenizer, spec, TINY_NOTE, version, progress)


TINY_NOTE = """\
Built by triglot's `tests/argos_packages` (`python -m tests.argos_packages`) for tests.
**Not a real translator**: a one-layer Transformer with hand-set (identity) weights that
copies its input token for token, so the "translation" equals the input. The
SentencePiece model was trained on `tests/argos_packages/data/tokenizer_corpus.txt`
without normalisation, so decoding gives back the exact input. Every direction holds the
same model.
"""
