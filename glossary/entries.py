"""Reading glossary files: TSV or CSV (by extension), UTF-8, a header row, one concept per row.

Columns: ``id`` (optional, unique), ``en``, ``zh``, ``ru`` (preferred terms, at least
two filled), ``en_variants``, ``zh_variants``, ``ru_variants`` (``|``-separated) and
``note``. Lines starting with ``#`` are comments. Every error names the file and the
line, because the people who edit these files do it in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InvalidGlossary, UnreadableInput
from toolkit.settings import DEFAULT_MAX_INPUT_BYTES
from toolkit.text import SUPPORTED, read_bytes

COLUMNS = ("id", "en", "zh", "ru", "en_variants", "zh_variants", "ru_variants", "note")
VARIANT_SEPARATOR = "|"
_REQUIRED_TERMS = 2


@dataclass(frozen=True)
class Entry:
    """One concept: its preferred term and other renderings in each language."""

    id: str
    terms: dict[str, str]  # language -> preferred term ("" when absent)
    variants: dict[str, tuple[str, ...]]
    note: str
    origin: str  # "file:line", for messages

    def preferred(self, language: str) -> str | None:
        return self.terms.get(language) or None

    def forms(self, language: str) -> tuple[str, ...]:
        """The preferred term first, then the variants."""
        preferred = self.preferred(language)
        return ((preferred,) if preferred else ()) + self.variants.get(language, ())

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"id": self.id}
        for lang in SUPPORTED:
            data[lang] = self.terms.get(lang, "")
        for lang in SUPPORTED:
            data[f"{lang}_variants"] = list(self.variants.get(lang, ()))
        data["note"] = self.note
        return data


def read_glossary(path: Path) -> list[Entry]:
    """The entries of one glossary file, checked; ``InvalidGlossary`` names the file and line of any fault."""
    path = Path(path)
    delimiter = {".tsv": "\t", ".csv": ","}.get(path.suffix.lower())
    if delimiter is None:
        raise InvalidGlossary(f"{path}: a glossary must be a .tsv or .csv file", path=str(path), line=None)
    try:
        raw = read_bytes(path, limit=DEFAULT_MAX_INPUT_BYTES)
    except UnreadableInput as error:
        raise InvalidGlossary(str(error), path=str(path), line=None) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidGlossary(f"{path}:{line}: not UTF-8 text; save it as UTF-8", path=str(path), line=line) from None
    return parse_glossary(text, str(path), delimiter)


def parse_glossary(text: str, name: str, delimiter: str = "\t") -> list[Entry]:
    """Entries from the text of a glossary file; ``name`` is used in messages."""
    rows = _rows(text, name, delimiter)
    if not rows:
        raise InvalidGlossary(f"{name}: no header row; the first line must name the columns", path=name, line=None)
    header_line, header = rows[0]
    columns = [cell.strip().lower() for cell in header]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise InvalidGlossary(
            f"{name}:{header_line}: unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}",
            path=name,
            line=header_line,
        )
    if len(set(columns)) != len(columns):
        raise InvalidGlossary(f"{name}:{header_line}: a column is named twice", path=name, line=header_line)
    if sum(lang in columns for lang in SUPPORTED) < _REQUIRED_TERMS:
        raise InvalidGlossary(
            f"{name}:{header_line}: needs at least two of the columns en, zh, ru", path=name, line=header_line
        )
    entries: list[Entry] = []
    seen_ids: dict[str, int] = {}
    for number, cells in rows[1:]:
        if len(cells) > len(columns):
            raise InvalidGlossary(
                f"{name}:{number}: {len(cells)} cells but {len(columns)} columns (a stray separator?)",
                path=name,
                line=number,
            )
        row = dict(zip(columns, (cell.strip() for cell in cells)))
        entry = _entry(row, name, number, len(entries) + 1)
        if entry.id in seen_ids:
            raise InvalidGlossary(
                f"{name}:{number}: id {entry.id!r} is already used on line {seen_ids[entry.id]}", path=name, line=number
            )
        seen_ids[entry.id] = number
        entries.append(entry)
    return entries


def _rows(text: str, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank, non-comment rows with their line numbers."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
                continue
            rows.append((line, cells))
    except csv.Error as error:
        raise InvalidGlossary(f"{name}:{reader.line_num}: {error}", path=name, line=reader.line_num) from None
    return rows


def _entry(row: dict[str, str], name: str, line: int, ordinal: int) -> Entry:
    terms = {lang: row.get(lang, "") for lang in SUPPORTED}
    if sum(1 for term in terms.values() if term) < _REQUIRED_TERMS:
        raise InvalidGlossary(
            f"{name}:{line}: a concept needs a preferred term in at least two of en, zh, ru", path=name, line=line
        )
    variants: dict[str, tuple[str, ...]] = {}
    for lang in SUPPORTED:
        parts = [part.strip() for part in row.get(f"{lang}_variants", "").split(VARIANT_SEPARATOR)]
        if any(not part for part in parts) and row.get(f"{lang}_variants", ""):
            raise InvalidGlossary(f"{name}:{line}: an empty variant in {lang}_variants (two '|' in a row?)", path=name, line=line)
        kept = tuple(dict.fromkeys(p for p in parts if p and p != terms[lang]))
        if kept and not terms[lang]:
            raise InvalidGlossary(
                f"{name}:{line}: {lang}_variants given but no preferred {lang} term to replace them with",
                path=name,
                line=line,
            )
        variants[lang] = kept
    identifier = row.get("id", "") or f"{Path(name).stem}-{ordinal}"
    return Entry(identifier, terms, variants, row.get("note", ""), f"{name}:{line}")
