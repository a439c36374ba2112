"""The tiny .argosmodel packages that tests/argos_packages builds for the tests.

They must be real packages (argostranslate reads them, CTranslate2 runs them) whose model
copies its input exactly, and the same bytes every build, so that other tests can trust
a translation to equal its input and a rebuilt package to be the same package.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece

from tests.argos_packages import (
    CORPUS,
    DEFAULT_PAIRS,
    SPECIAL_TOKENS,
    TINY_VOCAB_SIZE,
    build_tiny_packages,
    main,
    model_vocabulary,
    tiny_tokenizer,
    train_tokenizer,
)

Packages = dict[tuple[str, str], Path]
REPO = Path(__file__).resolve().parent.parent
NAMES = {"en": "English", "zh": "Chinese", "ru": "Russian"}

# (label, sentence): none of these sentences is in the tokenizer corpus.
SENTENCES = [
    ("en", "Small exporters in Harbin ship honey and flour to Khabarovsk every week."),
    ("en unseen words", "Quixotic zebras juggled xylophones beside the fjord."),
    ("digits and symbols", "Order #4521: 3,750 kg at ¥12.40/kg (≈ $6.85), due 2025-03-15 — 100% prepaid!"),
    ("zh", "中俄两国的中小企业在跨境电子商务领域开展了广泛合作。"),
    ("zh Traditional", "臺灣與俄羅斯的貿易往來，近年來持續增長。"),
    ("zh fullwidth punctuation", "“物流成本”仍然是（出口商）最关心的问题：价格、时间？"),
    ("ru", "Малые предприятия приграничных регионов наращивают экспорт продовольствия."),
    ("ru unseen words", "Щёголь съел пятнадцать эклеров — «вот так сюрприз!»"),
    ("mixed scripts", "The 一带一路 initiative (инициатива «Пояс и путь») began in 2013."),
    ("emoji and accents", "Café ✓ naïve 😀 Ærø"),
    ("spacing kept", "  two  spaces,\ta tab and a trailing space "),
    ("one character", "。"),
]


@pytest.fixture(scope="module")
def unpacked(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The en→zh package, extracted: its top folder."""
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(tiny_packages[("en", "zh")]) as bundle:
        bundle.extractall(target)
    (folder,) = target.iterdir()
    return folder


@pytest.fixture(scope="module")
def copier(unpacked: Path) -> tuple[sentencepiece.SentencePieceProcessor, ctranslate2.Translator]:
    """Its tokenizer and model, loaded as triglot loads them."""
    processor = sentencepiece.SentencePieceProcessor(model_file=str(unpacked / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(unpacked / "model"), device="cpu", compute_type="int8")
    return processor, translator


def copy_through(
    copier: tuple[sentencepiece.SentencePieceProcessor, ctranslate2.Translator], texts: list[str], **options: int
) -> list[str]:
    """Encode, translate and decode with SentencePiece itself (argostranslate's decode alters "▁")."""
    processor, translator = copier
    batch = [processor.encode(text, out_type=str) for text in texts]
    results = translator.translate_batch(batch, **options)
    return [processor.decode_pieces(result.hypotheses[0]) for result in results]


@pytest.mark.parametrize(("source", "target"), DEFAULT_PAIRS)
def test_each_package_is_one_folder_with_metadata_tokenizer_and_model(
    tiny_packages: Packages, source: str, target: str
) -> None:
    path = tiny_packages[(source, target)]
    top = f"translate-{source}_{target}-1_0"
    assert path.name == f"{top}.argosmodel"
    with zipfile.ZipFile(path) as bundle:
        assert bundle.testzip() is None
        names = set(bundle.namelist())
        metadata = json.loads(bundle.read(f"{top}/metadata.json"))
        readme = bundle.read(f"{top}/README.md").decode()
    assert {name.split("/")[0] for name in names} == {top}
    for member in ("sentencepiece.model", "model/model.bin", "model/config.json", "model/shared_vocabulary.json"):
        assert f"{top}/{member}" in names
    assert list(metadata.items()) == [
        ("package_version", "1.0"),
        ("argos_version", "1.0"),
        ("from_code", source),
        ("from_name", NAMES[source]),
        ("to_code", target),
        ("to_name", NAMES[target]),
        ("type", "translate"),
        ("code", f"translate-{source}_{target}"),
        ("links", []),
    ]
    assert "Not a real" in readme and "copies its" in readme


def test_there_is_no_direct_zh_ru_package(tiny_packages: Packages) -> None:
    assert sorted(tiny_packages) == [("en", "ru"), ("en", "zh"), ("ru", "en"), ("zh", "en")]


def test_argostranslate_reads_the_package(unpacked: Path) -> None:
    from toolkit import Settings
    from toolkit.translation.packages import argos_package

    # Imported through triglot, so argostranslate makes its folders under TRIGLOT_HOME, not in ~.
    package = argos_package(Settings.from_env()).Package(unpacked)
    assert (package.code, package.package_version, package.from_code, package.to_code) == (
        "translate-en_zh",
        "1.0",
        "en",
        "zh",
    )
    assert (package.from_name, package.to_name, package.type) == ("English", "Chinese", "translate")


@pytest.mark.parametrize("beam_size", [1, 4])
def test_the_model_copies_its_input_exactly(
    copier: tuple[sentencepiece.SentencePieceProcessor, ctranslate2.Translator], beam_size: int
) -> None:
    texts = [text for _, text in SENTENCES]
    assert copy_through(copier, texts, beam_size=beam_size) == texts


def test_unseen_characters_go_through_byte_pieces(
    copier: tuple[sentencepiece.SentencePieceProcessor, ctranslate2.Translator],
) -> None:
    processor, _ = copier
    pieces = processor.encode("臺灣 😀", out_type=str)
    assert "<unk>" not in pieces and any(piece.startswith("<0x") for piece in pieces)


def test_a_sentence_of_over_200_tokens_is_copied(
    copier: tuple[sentencepiece.SentencePieceProcessor, ctranslate2.Translator],
) -> None:
    processor, _ = copier
    long = " ".join(text for _, text in SENTENCES[:9])
    assert len(processor.encode(long)) > 200
    assert copy_through(copier, [long], max_decoding_length=512) == [long]


def test_the_packages_differ_only_in_metadata(tiny_packages: Packages) -> None:
    models = set()
    for (source, target), path in tiny_packages.items():
        with zipfile.ZipFile(path) as bundle:
            models.add(bundle.read(f"translate-{source}_{target}-1_0/model/model.bin"))
    assert len(models) == 1


def test_the_tokenizer_is_the_same_trained_twice() -> None:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    assert train_tokenizer(lines, TINY_VOCAB_SIZE, lossless=True) == tiny_tokenizer()


def test_the_vocabulary_has_the_special_tokens_once_then_the_pieces() -> None:
    vocabulary = model_vocabulary(tiny_tokenizer())
    assert tuple(vocabulary[:4]) == SPECIAL_TOKENS
    assert len(vocabulary) == len(set(vocabulary)) == TINY_VOCAB_SIZE + 1


def test_a_fresh_process_builds_the_same_bytes(tiny_packages: Packages, tmp_path: Path) -> None:
    """Run as a user would, so nothing cached in this process (the tokenizer) is reused."""
    command = [sys.executable, "-m", "tests.argos_packages", "--out", str(tmp_path)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    printed = [Path(line) for line in done.stdout.splitlines()]
    assert printed == [tmp_path / path.name for path in tiny_packages.values()]
    for path in tiny_packages.values():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes()


def test_another_version_is_a_changed_package(tiny_packages: Packages, tmp_path: Path) -> None:
    (path,) = build_tiny_packages(tmp_path, pairs=[("ru", "en")], version="1.1").values()
    assert path.name == "translate-ru_en-1_1.argosmodel"
    with zipfile.ZipFile(path) as bundle:
        metadata = json.loads(bundle.read("translate-ru_en-1_1/metadata.json"))
    assert metadata["package_version"] == "1.1"
    assert path.read_bytes() != tiny_packages[("ru", "en")].read_bytes()


def test_the_command_line_takes_a_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path), "--version", "2.0"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / f"translate-{s}_{t}-2_0.argosmodel") for s, t in DEFAULT_PAIRS]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("en", "de")], "cannot build a en→de package"),
        ([("de", "en")], "cannot build a de→en package"),
        ([("zh", "zh")], "cannot build a zh→zh package"),
    ],
)
def test_bad_requests_are_refused(pairs: list[tuple[str, str]], message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message):
        build_tiny_packages(tmp_path, pairs=pairs)
    assert list(tmp_path.iterdir()) == []
