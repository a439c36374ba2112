"""Writing real Argos Translate packages: tokenizer, CTranslate2 vocabulary, metadata, zips.

Shared by the tiny copying packages the tests build (``tests/argos_packages/tiny.py``)
and the full-size random ones ``benchmarks/make_models.py`` builds for speed: the two
sizes differ only in their tokenizer, their model spec and the note in their README.

Each package is a zip of one folder holding ``metadata.json`` (public Argos index
format), ``sentencepiece.model``, ``model/`` (CTranslate2, int8) and a ``README.md``
saying what it is. Entries are sorted and timestamps fixed, so the same tokenizer and
spec give the same bytes on every build and every machine.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import sentencepiece
from ctranslate2.specs import TransformerSpec

Pair = tuple[str, str]
Progress = Callable[[str], None]

# No zh↔ru package, so that pivoting through English gets exercised.
DEFAULT_PAIRS: tuple[Pair, ...] = (("en", "zh"), ("zh", "en"), ("en", "ru"), ("ru", "en"))
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "ru": "Russian"}
# One seed for every random draw (position codes, random weights), so builds repeat.
SEED = 20250101
# CTranslate2's vocabulary: its special tokens, then every SentencePiece piece but
# SentencePiece's own <unk>, <s> and </s> (which would be duplicates).
SPECIAL_TOKENS = ("<blank>", "<unk>", "<s>", "</s>")
# Fixed zip timestamps so that building twice gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def checked_pairs(pairs: Iterable[Pair]) -> list[Pair]:
    """``pairs`` as a list, or ValueError naming the first direction that cannot be built.

    Callers check before training anything, so a bad request costs nothing and writes nothing.
    """
    pairs = list(pairs)
    for source, target in pairs:
        if source not in LANGUAGE_NAMES or target not in LANGUAGE_NAMES or source == target:
            languages = ", ".join(LANGUAGE_NAMES)
            raise ValueError(f"cannot build a {source}→{target} package; languages: {languages}")
    return pairs


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


def model_vocabulary(tokenizer: bytes) -> list[str]:
    """CTranslate2's shared vocabulary for a SentencePiece model."""
    processor = sentencepiece.SentencePieceProcessor(model_proto=tokenizer)
    pieces = [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]
    return [*SPECIAL_TOKENS, *pieces]


def write_packages(
    out_dir: Path,
    pairs: Sequence[Pair],
    tokenizer: bytes,
    spec: TransformerSpec,
    note: str,
    version: str,
    progress: Progress | None = None,
) -> dict[Pair, Path]:
    """Quantise ``spec`` to int8 and write one ``.argosmodel`` per pair (from ``checked_pairs``).

    Every package holds the same model and tokenizer; only the metadata differs.
    """
    say = progress or (lambda message: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="argos-packages-") as scratch:
        model_dir = Path(scratch) / "model"
        model_dir.mkdir()
        spec.optimize(quantization="int8")
        spec.save(str(model_dir))
        built: dict[Pair, Path] = {}
        for source, target in pairs:
            say(f"packing {source}→{target}")
            built[(source, target)] = write_package(
                out_dir, package_metadata(source, target, version), note, tokenizer, model_dir
            )
    return built


def package_metadata(source: str, target: str, version: str) -> dict[str, object]:
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


def write_package(
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
    # Written aside and renamed, so an interrupted build leaves no half package behind.
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
