"""Synthetic glossary files of any size, for the tests that pin down how loading scales
(and for ``benchmarks/glossary_scale.py``, which times the same rows)."""

from __future__ import annotations

from pathlib import Path

from glossary import COLUMNS

# A few words per language, combined: the rows read like a real domain glossary (many
# terms sharing their words) and every row's number makes its terms its own.
_EN = (("economic", "customs", "border", "digital", "regional"), ("zone", "council", "fund", "corridor", "office"))
_ZH = (("经济", "海关", "边境", "数字", "地区"), ("区", "理事会", "基金", "走廊", "办公室"))
_RU = (
    ("экономическая", "таможенная", "пограничная", "цифровая", "региональная"),
    ("зона", "палата", "служба", "комиссия", "программа"),
)


def synthetic_rows(count: int) -> list[tuple[str, ...]]:
    """``count`` concepts that clash with nothing (not with each other, nor with the shipped
    glossary); every other one has a variant in each language."""
    rows = []
    for n in range(1, count + 1):
        first, second = n % 5, (n // 5) % 5
        en = f"{_EN[0][first]} {_EN[1][second]} {n}"
        zh = f"{_ZH[0][first]}{_ZH[1][second]}{n}号"
        ru = f"{_RU[0][first]} {_RU[1][second]} № {n}"
        variants = (f"{en} area", f"{zh}区域", f"{ru} края") if n % 2 else ("", "", "")
        rows.append((f"synthetic-{n}", en, zh, ru, *variants, "synthetic"))
    return rows


def write_synthetic_glossary(path: Path, count: int) -> Path:
    """A .tsv glossary of ``count`` synthetic concepts at ``path``."""
    lines = ["\t".join(COLUMNS), *("\t".join(row) for row in synthetic_rows(count))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
