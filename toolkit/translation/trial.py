"""A trial translation of an unpacked package, before it replaces anything installed.

Reading the metadata and the tokenizer proves little about ``model/model.bin``: a
garbage or cut-off model installs fine and fails at the first translation. So the
model is loaded by CTranslate2, the way the engine loads it, and one sentence goes
through the SentencePiece tokenizer, the model and back; any failure refuses the
package, naming the file.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidModelPackage

# One short sentence per source language: long enough to go through the tokenizer, the
# encoder and a few decoding steps, short enough that a trial costs milliseconds.
TRIAL_SENTENCES = {
    "en": "Trade grew.",
    "zh": "贸易增长了。",
    "ru": "Торговля выросла.",
}
# A few decoding steps prove the decoder runs; a model still decoding past them is not
# waited for (a real model ends "Trade grew." in about five).
TRIAL_MAX_DECODING_LENGTH = 16


def try_translating(folder: Path, source: str, target_prefix: str, *, label: str) -> None:
    """Load the package in ``folder`` with CTranslate2 and translate one ``source`` sentence, or refuse it.

    The model is loaded in the type it was saved in: this tries the file, not the user's
    ``TRIGLOT_COMPUTE_TYPE``, so a setting the CPU cannot run is not blamed on the package.
    """
    import ctranslate2
    import sentencepiece

    model = folder / "model"
    try:
        translator = ctranslate2.Translator(
            str(model), device="cpu", compute_type="default", inter_threads=1, intra_threads=1
        )
    except Exception as error:  # noqa: BLE001 - whatever CTranslate2 raises, the model file is unusable
        raise InvalidModelPackage(
            f"{label}: model/model.bin cannot be loaded by CTranslate2 ({_reason(error)}); it is damaged or not a "
            "CTranslate2 model, so nothing was installed"
        ) from None
    try:
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
        pieces = tokenizer.encode(TRIAL_SENTENCES[source], out_type=str)
        result = translator.translate_batch(
            [pieces],
            target_prefix=[[target_prefix]] if target_prefix else None,
            beam_size=1,
            max_decoding_length=TRIAL_MAX_DECODING_LENGTH,
        )
        tokens = [token for token in result[0].hypotheses[0] if token != target_prefix]
        text = tokenizer.decode_pieces(tokens)
    except Exception as error:  # noqa: BLE001 - any failure here is one the first real translation would meet
        raise InvalidModelPackage(
            f"{label}: model/model.bin loads but cannot translate a sentence ({_reason(error)}); "
            "nothing was installed"
        ) from None
    if not text.strip():
        raise InvalidModelPackage(
            f"{label}: model/model.bin translates a sentence into nothing; it is not a working model, "
            "so nothing was installed"
        )


def _reason(error: Exception) -> str:
    """The error's own words on one line, not too long (CTranslate2's can quote the bytes it read)."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."
