"""Build real Argos Translate packages offline: tiny copying models for tests, full-size random ones for speed.

    python -m benchmarks.make_models --size tiny --out DIR [--version 1.0]
    python -m benchmarks.make_models --size full --out DIR [--check]

Writes en→zh, zh→en, en→ru and ru→en ``.argosmodel`` packages (no zh↔ru, so pivoting
through English gets exercised) and prints their paths. Each is a zip of one folder
holding ``metadata.json`` (public Argos index format), ``sentencepiece.model``,
``model/`` (CTranslate2, int8) and a ``README.md`` saying what it is.

- ``tiny``: a SentencePiece model trained on ``benchmarks/data/tokenizer_corpus.txt``
  and a one-layer Transformer that copies its input token for token
  (``benchmarks/_copy_model.py``). Seconds to build, same bytes every time; the tests
  build it (``tiny_packages`` fixture).
- ``full``: the size of the public en↔zh and en↔ru packages with seeded random weights
  that stop near the input length (``benchmarks/_random_model.py``), for speed
  measurements. Its 32k tokenizer is trained on the eval corpora in
  ``../shared/eval/parallel/`` when present, otherwise on the repo corpus with a
  smaller vocabulary (it says so).

The packages differ only in metadata: a copying model serves every direction, and a
random one translates none. ``--check`` translates a few sentences per package with
CTranslate2 and prints input and output lengths in tokens.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import ctranslate2
import sentencepiece

from benchmarks._copy_model import copy_model_spec
from benchmarks._random_model import random_model_spec
from benchmarks._report import EVAL

Pair = tuple[str, str]
Progress = Callable[[str], None]

DEFAULT_PAIRS: tuple[Pair, ...] = (("en", "zh"), ("zh", "en"), ("en", "ru"), ("ru", "en"))
SIZES = ("tiny", "full")
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "ru": "Russian"}
CORPUS = Path(__file__).resolve().parent / "data" / "tokenizer_corpus.txt"
PARALLEL = EVAL / "parallel"
# Language suffixes of the sentence files there (the rest are ids and licences).
EVAL_TEXT_SUFFIXES = frozenset({"en", "zh", "ru", "eng", "zho-CN", "rus"})
# The tiny tokenizer must hold every character of the corpus (about 1,070 with the
# 256 byte pieces) plus a couple of hundred multi-character pieces.
TINY_VOCAB_SIZE = 1280
FULL_VOCAB_SIZE = 32000
# Without the eval corpora, the repo corpus yields only a few thousand pieces at most.
FALLBACK_VOCAB_SIZE = 8000
SEED = 20250101
# CTranslate2's vocabulary: its special tokens, then every SentencePiece piece but
# SentencePiece's own <unk>, <s> and </s> (which would be duplicates).
SPECIAL_TOKENS = ("<blank>", "<unk>", "<s>", "</s>")
# Fixed zip timestamps so that building twice gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
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
    pairs = list(pairs)
    for source, target in pairs:
        if source not in LANGUAGE_NAMES or target not in LANGUAGE_NAMES or source == target:
            languages = ", ".join(LANGUAGE_NAMES)
            raise ValueError(f"cannot build a {source}→{target} package; languages: {languages}")
    say = progress or (lambda message: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="make-models-") as scratch:
        model_dir = Path(scratch) / "model"
        model_dir.mkdir()
        if size == "tiny":
            tokenizer = tiny_tokenizer()
            note = _TINY_NOTE
            spec = copy_model_spec(model_vocabulary(tokenizer), seed=SEED)
        else:
            tokenizer, origin = full_tokenizer(say)
            note = _FULL_NOTE.format(origin=origin, seed=SEED)
            say("drawing random weights")
            spec = random_model_spec(model_vocabulary(tokenizer), seed=SEED)
        spec.optimize(quantization="int8")
        spec.save(str(model_dir))
        built: dict[Pair, Path] = {}
        for source, target in pairs:
            say(f"packing {source}→{target}")
            built[(source, target)] = _write_package(
                out_dir, _metadata(source, target, version), note, tokenizer, model_dir
            )
    return built


def train_tokenizer(
    lines: Iterable[str], vocab_size: int, *, lossless: bool, hard_vocab_limit: bool = True
) -> bytes:
    """A unigram SentencePiece model (bytes) with byte fallback, so no text is ever <unk>.

    One thread and no sampling of the input, so the same lines give the same model.
    ``lossless`` turns off normalisation and whitespace folding, so decoding the pieces
    gives back the exact input (NFKC would turn the Chinese "，" into ",").
    """
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=hard_vocab_limit,
        byte_fallback=True,
        character_coverage=1.0 if lossless else 0.9995,
        num_threads=1,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        normalization_rule_name="identity" if lossless else "nmt_nfkc",
        remove_extra_whitespaces=not lossless,
        minloglevel=2,
    )
    return model.getvalue()


@functools.cache
def tiny_tokenizer() -> bytes:
    """The tiny packages' tokenizer; cached, as tests build packages several times."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return train_tokenizer(lines, TINY_VOCAB_SIZE, lossless=True)


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
        progress(f"no eval corpora at {PARALLEL}: training on the repo corpus instead, so a smaller vocabulary")
        lines = CORPUS.read_text(encoding="utf-8").splitlines()
        origin = f"benchmarks/data/tokenizer_corpus.txt ({len(lines)} lines; the eval data was missing)"
        # Too little text for the full size: take as many pieces as it yields.
        vocab_size, exact = FALLBACK_VOCAB_SIZE, False
    progress(f"training a tokenizer of {'' if exact else 'up to '}{vocab_size} pieces on {len(lines)} lines")
    tokenizer = train_tokenizer(lines, vocab_size, lossless=False, hard_vocab_limit=exact)
    pieces = sentencepiece.SentencePieceProcessor(model_proto=tokenizer).get_piece_size()
    return tokenizer, f"{origin}, {pieces} pieces"


def model_vocabulary(tokenizer: bytes) -> list[str]:
    """CTranslate2's shared vocabulary for a SentencePiece model."""
    processor = sentencepiece.SentencePieceProcessor(model_proto=tokenizer)
    pieces = [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]
    return [*SPECIAL_TOKENS, *pieces]


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


def _metadata(source: str, target: str, version: str) -> dict[str, object]:
    """The public Argos index fields, in its order, and nothing more."""
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": source,
        "from_name": LANGUAGE_NAMES[source],
        "to_code": target,
        "to_name": LANGUAGE_NAMES[target],
        "type": "translate",
        "code": f"translate-{source}_{target}",
        "links": [],
    }


def _write_package(
    out_dir: Path, metadata: dict[str, object], note: str, tokenizer: bytes, model_dir: Path
) -> Path:
    """Zip one package folder with sorted entries and fixed timestamps; returns its path."""
    folder = f"{metadata['code']}-{str(metadata['package_version']).replace('.', '_')}"
    title = f"{metadata['from_name']} → {metadata['to_name']} ({folder})"
    files = {
        "metadata.json": (json.dumps(metadata, indent=4, ensure_ascii=False) + "\n").encode(),
        "README.md": f"# {title}\n\n{note}".encode(),
        "sentencepiece.model": tokenizer,
    }
    for path in model_dir.iterdir():
        files[f"model/{path.name}"] = path.read_bytes()
    entries: dict[str, bytes | None] = {f"{folder}/": None, f"{folder}/model/": None}
    entries.update({f"{folder}/{name}": data for name, data in files.items()})
    destination = out_dir / f"{folder}.argosmodel"
    partial = destination.with_name(destination.name + ".part")
    with zipfile.ZipFile(partial, "w") as bundle:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 3  # Unix, wherever it is built, so the bytes match
            data = entries[name]
            if data is None:
                info.external_attr = (0o40755 << 16) | 0x10  # a directory
                bundle.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, data)
    os.replace(partial, destination)
    return destination


_TINY_NOTE = """\
Built by triglot's `benchmarks/make_models.py --size tiny` for tests. **Not a real
translator**: a one-layer Transformer with hand-set (identity) weights that copies its
input token for token, so the "translation" equals the input. The SentencePiece model
was trained on `benchmarks/data/tokenizer_corpus.txt` without normalisation, so decoding
gives back the exact input. Every direction holds the same model.
"""

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
    parser.add_argument("--out", type=Path, required=True, help="folder to write the .argosmodel files into")
    parser.add_argument("--version", default="1.0", help="package_version in metadata.json (default 1.0)")
    parser.add_argument("--check", action="store_true", help="translate a few sentences and print token lengths")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    built = build_packages(args.size, args.out, progress=say, version=args.version)
    seconds = time.perf_counter() - started
    megabytes = sum(path.stat().st_size for path in built.values()) / 1e6
    say(f"built {len(built)} packages in {seconds:.1f} s, {megabytes:.1f} MB in all")
    for path in built.values():
        print(path)
    if args.check:
        for (source, target), path in built.items():
            lengths = ", ".join(f"{n}→{m}" for n, m in check_lengths(path))
            say(f"{source}→{target} tokens in→out: {lengths}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
