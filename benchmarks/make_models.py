"""Build real Argos Translate packages offline: full-size random ones for speed, or the tests' tiny ones.

    python -m benchmarks.make_models --size full --out DIR [--version 1.0] [--check]
    python -m benchmarks.make_models --size tiny --out DIR [--version 1.0] [--check]

Writes en→zh, zh→en, en→ru and ru→en ``.argosmodel`` packages (no zh↔ru, so pivoting
through English gets exercised) and prints their paths. The tokenizer training,
vocabulary, metadata and deterministic zips are the tests' own
(``tests/argos_packages/build.py``), so both sizes are packed the same way.

- ``full``: the size of the public en↔zh and en↔ru packages with seeded random weights
  that stop near the input length (``benchmarks/_random_model.py``), for speed
  measurements. Its 32k tokenizer is trained on the eval corpora in
  ``../shared/eval/parallel/`` when present, otherwise on the tests' tokenizer corpus
  with a smaller vocabulary (it says so).
- ``tiny``: the tests' packages, a one-layer Transformer that copies its input token
  for token, built by ``tests/argos_packages`` (which the tests use directly, and
  ``python -m tests.argos_packages --out DIR`` builds the same bytes); here so that one
  command builds either size and ``--check`` can look at both.

The packages differ only in metadata: a copying model serves every direction, and a
random one translates none. ``--check`` translates a few sentences per package with
CTranslate2 and prints input and output lengths in tokens.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import ctranslate2
import sentencepiece

from benchmarks._random_model import random_model_spec
from benchmarks._report import EVAL, REPO
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
from tests.argos_packages.cli import add_output_arguments, build_and_print, report_progress
from tests.argos_packages.tiny import CORPUS, build_tiny_packages

SIZES = ("tiny", "full")
PARALLEL = EVAL / "parallel"
# Language suffixes of the sentence files there (the rest are ids and licences).
EVAL_TEXT_SUFFIXES = frozenset({"en", "zh", "ru", "eng", "zho-CN", "rus"})
FULL_VOCAB_SIZE = 32000
# Without the eval corpora, the tests' tokenizer corpus yields only a few thousand pieces at most.
FALLBACK_VOCAB_SIZE = 8000
CHECK_SENTENCES = (
    "Trade between the two countries grew by 12% last year.",
    "Small firms in the border towns sell honey, flour and timber.",
    "中俄两国的中小企业在跨境电子商务领域开展了广泛合作。",
    "物流成本仍然是出口商最关心的问题。",
    "Малые предприятия приграничных регионов наращивают экспорт продовольствия.",
    "Расчёты в национальных валютах упростили работу небольших компаний.",
)
CHECK_MAX_DECODING_LENGTH = 256


def build_packages(
    size: str,
    out_dir: Path,
    pairs: Iterable[Pair] = DEFAULT_PAIRS,
    progress: Progress | None = None,
    version: str = "1.0",
) -> dict[Pair, Path]:
    """Write one ``.argosmodel`` per (from, to) pair into ``out_dir``; returns their paths."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    if size == "tiny":
        return build_tiny_packages(out_dir, pairs, progress, version)
    pairs = checked_pairs(pairs)
    say = progress or (lambda message: None)
    tokenizer, origin = full_tokenizer(say)
    note = _FULL_NOTE.format(origin=origin, seed=SEED)
    say("drawing random weights")
    spec = random_model_spec(model_vocabulary(tokenizer), seed=SEED)
    return write_packages(out_dir, pairs, tokenizer, spec, note, version, say)


def full_tokenizer(progress: Progress) -> tuple[bytes, str]:
    """The full packages' tokenizer and a line saying what it was trained on."""
    files = sorted(PARALLEL.rglob("*")) if PARALLEL.is_dir() else []
    texts = [path for path in files if path.is_file() and _is_eval_text(path.name)]
    if texts:
        lines = [line for path in texts for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line.strip()]
        corpora = ", ".join(sorted({path.parent.name for path in texts}))
        origin = f"{len(lines)} en/zh/ru lines of the eval data ({corpora})"
        vocab_size, exact = FULL_VOCAB_SIZE, True
    else:
        progress(f"no eval corpora at {PARALLEL}: training on the tests' tokenizer corpus instead, so a smaller vocabulary")
        lines = CORPUS.read_text(encoding="utf-8").splitlines()
        origin = f"{CORPUS.relative_to(REPO).as_posix()} ({len(lines)} lines; the eval data was missing)"
        # Too little text for the full size: take as many pieces as it yields.
        vocab_size, exact = FALLBACK_VOCAB_SIZE, False
    progress(f"training a tokenizer of {'' if exact else 'up to '}{vocab_size} pieces on {len(lines)} lines")
    tokenizer = train_tokenizer(lines, vocab_size, lossless=False, hard_vocab_limit=exact)
    pieces = sentencepiece.SentencePieceProcessor(model_proto=tokenizer).get_piece_size()
    return tokenizer, f"{origin}, {pieces} pieces"


def check_lengths(package: Path, sentences: Sequence[str] = CHECK_SENTENCES) -> list[tuple[int, int]]:
    """(input, output) lengths in tokens of ``sentences`` translated by ``package``'s model."""
    with tempfile.TemporaryDirectory(prefix="check-model-") as scratch:
        with zipfile.ZipFile(package) as bundle:
            bundle.extractall(scratch)
        (folder,) = Path(scratch).iterdir()
        processor = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
        translator = ctranslate2.Translator(str(folder / "model"), device="cpu", compute_type="int8")
        tokens = [processor.encode(sentence, out_type=str) for sentence in sentences]
        results = translator.translate_batch(tokens, max_decoding_length=CHECK_MAX_DECODING_LENGTH)
    return [(len(source), len(result.hypotheses[0])) for source, result in zip(tokens, results)]


def _is_eval_text(name: str) -> bool:
    """Whether an eval file holds en, zh or ru sentences (UNv1.0.devset.zh, ntrex128.rus.txt)."""
    return name.removesuffix(".txt").rsplit(".", 1)[-1] in EVAL_TEXT_SUFFIXES


_FULL_NOTE = """\
Built by triglot's `benchmarks/make_models.py --size full` for speed measurements.
**Not a real translator**: the architecture and size of the public Argos en↔zh and
en↔ru packages (Transformer base: 6+6 layers, d_model 512, 8 heads, feed-forward 2048,
int8) with random weights (seed {seed}); the end-of-sentence token is wired to a length
counter so that outputs stop near the input length. Its output is meaningless text.
SentencePiece model trained on {origin}.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.make_models", description="Build tiny (test) or full (speed) .argosmodel packages."
    )
    parser.add_argument("--size", choices=SIZES, required=True, help="tiny: copying test models; full: speed models")
    add_output_arguments(parser)
    parser.add_argument("--check", action="store_true", help="translate a few sentences and print token lengths")
    args = parser.parse_args(argv)

    built = build_and_print(
        lambda progress: build_packages(args.size, args.out, progress=progress, version=args.version)
    )
    if args.check:
        for (source, target), path in built.items():
            lengths = ", ".join(f"{n}→{m}" for n, m in check_lengths(path))
            report_progress(f"{source}→{target} tokens in→out: {lengths}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
