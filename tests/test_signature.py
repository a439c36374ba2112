"""What produced a result, in sacrebleu's manner: name:value pairs, long and short, merged along the flow."""

from __future__ import annotations

from pathlib import Path

from glossary import Glossary
from toolkit import Signature, __version__


def test_long_and_short_forms_name_what_was_used_in_field_order() -> None:
    signature = Signature(segmenter="triglot 0.1.0", algorithm="lead", packages="translate-en_zh 1.0", glossary="off")
    assert signature.format() == (
        f"triglot:{__version__}|segmenter:triglot 0.1.0|algorithm:lead|packages:translate-en_zh 1.0|glossary:off"
    )
    assert signature.format(short=True) == f"v:{__version__}|seg:triglot 0.1.0|alg:lead|pkg:translate-en_zh 1.0|gl:off"
    assert str(signature) == signature.format()


def test_merging_takes_every_field_the_other_sets() -> None:
    summary = Signature(segmenter="triglot 0.1.0", algorithm="reduction sumy 0.13.0")
    translation = Signature(segmenter="triglot 0.1.0 jieba 0.42.1", engine="ctranslate2 4.8.5", glossary="abc")
    merged = summary.merged(translation)
    assert (merged.segmenter, merged.algorithm, merged.engine, merged.glossary) == (
        "triglot 0.1.0 jieba 0.42.1", "reduction sumy 0.13.0", "ctranslate2 4.8.5", "abc"
    )
    assert merged.decoding is None and "decoding" not in str(merged)


def test_the_glossary_digest_follows_its_content(tmp_path: Path) -> None:
    shipped = Glossary.load()
    assert shipped.fingerprint == Glossary.load().fingerprint and len(shipped.fingerprint) == 12
    mine = tmp_path / "mine.tsv"
    mine.write_text("id\ten\tzh\tru\nharbin-fair\tHarbin fair\t哈尔滨博览会\tХарбинская ярмарка\n", encoding="utf-8")
    assert Glossary.load([mine]).fingerprint != shipped.fingerprint
    assert Glossary.load([mine], default=False).fingerprint not in (shipped.fingerprint, Glossary.load([mine]).fingerprint)
