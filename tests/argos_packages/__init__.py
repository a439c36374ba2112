"""Real Argos Translate packages built offline for the tests, from text kept in the repo.

``build_tiny_packages(out_dir)`` writes en→zh, zh→en, en→ru and ru→en ``.argosmodel``
packages whose one-layer CTranslate2 model copies its input token for token, so a test
can trust a translation to equal its input (``tiny_packages`` fixture in
``tests/conftest.py``). From a shell: ``python -m tests.argos_packages --out DIR``.

- ``build.py``: tokenizer training, CTranslate2 vocabulary, metadata and deterministic
  zips, shared with the full-size speed packages of ``benchmarks/make_models.py``;
- ``copy_model.py``: the copying model's weights;
- ``tiny.py``: the tiny tokenizer (trained on ``data/tokenizer_corpus.txt``) and build;
- ``cli.py``: the command line.

Background: ``../shared/notes/offline-test-models.md``.
"""

from __future__ import annotations

from tests.argos_packages.build import DEFAULT_PAIRS, SPECIAL_TOKENS, model_vocabulary, train_tokenizer
from tests.argos_packages.cli import main
from tests.argos_packages.tiny import CORPUS, TINY_VOCAB_SIZE, build_tiny_packages, tiny_tokenizer

__all__ = [
    "CORPUS",
    "DEFAULT_PAIRS",
    "SPECIAL_TOKENS",
    "TINY_VOCAB_SIZE",
    "build_tiny_packages",
    "main",
    "model_vocabulary",
    "tiny_tokenizer",
    "train_tokenizer",
]
