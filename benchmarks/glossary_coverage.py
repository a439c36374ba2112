"""Coverage and consistency of the shipped domain glossary (glossary/domain.tsv).

    python -m benchmarks.glossary_coverage

Reports the glossary's size; which concepts occur in each seed article of
``../shared/seeds/`` and which capitalised names there no entry covers; whether the
glossary's countries agree with the UNTERM short names; and whether its terms agree
with the UNBIS Thesaurus where both hold the same English term. Prints the report,
rewrites the "glossary-coverage" section of docs/benchmarks.md, and exits non-zero
if the file breaks the format (columns, duplicates, stray whitespace, Traditional
characters) or a mismatch appears that is not explained below.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ._report import REPO, SHARED, require_eval, write_section

COMMAND = "python -m benchmarks.glossary_coverage"
GLOSSARY = REPO / "glossary" / "domain.tsv"
COLUMNS = ["id", "en", "zh", "ru", "en_variants", "zh_variants", "ru_variants", "note"]
LANGS = ("en", "zh", "ru")

# Known differences from the reference lists, each a decision taken on purpose.
# Keys: (concept id, language) for UNTERM; (concept id, UNBIS English term, language) for UNBIS.
UNTERM_EXPLAINED = {
    ("russia", "zh"): "news short name 俄罗斯 preferred; UNTERM's 俄罗斯联邦 (its short = formal name) is a variant",
    ("russia", "ru"): "news short name Россия preferred; UNTERM's Российская Федерация is a variant",
    ("korea", "zh"): "Chinese news writes 韩国; UNTERM's 大韩民国 is a variant",
    ("mongolia", "zh"): "Xinhua writes 蒙古国 (UNTERM's formal name); 蒙古 alone also means the Mongols "
    "or sits inside 内蒙古, so it is not listed",
}
UNBIS_EXPLAINED = {
    ("russia", "russia", "zh"): "UNBIS 'russia' is the historical Russian Empire (俄罗斯帝国); "
    "the modern state is UNBIS 'russian federation', which agrees",
    ("mongolia", "mongolia", "zh"): "as for UNTERM: 蒙古国 preferred, 蒙古 ambiguous",
    ("joint-venture", "joint ventures", "zh"): "UNBIS 联合企业 is an older rendering that today also means "
    "'combine/conglomerate'; MOFCOM and Xinhua write 合资企业",
}
# Capitalised words that are never a name on their own: sentence openers, demonyms,
# titles, months and days.
NOT_NAMES = set(
    """a an the but and or in on at of for to from by with as if so he she it they we i this that these
    those all both more most some such according despite during earlier later participants pragmatic
    russian russians chinese premier prime minister president vice deputy governor chairman chief
    interview source editor updated app mr ms jan feb mar apr may jun jul aug sep sept oct nov dec
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# Seed names deliberately not in the glossary, with the reason (matched on the uncovered words).
LEFT_OUT = {
    "East": "'East China' (华东) not listed: a bare 'East China' entry would also fire inside "
    "'East China Sea'; Jiangxi itself is covered",
    "Li’s": "surname alone ('Premier Li') not listed: Li is the commonest Chinese surname; "
    "Li Keqiang and Li Qiang are listed by full name",
    "Li's": "surname alone not listed: Li is the commonest Chinese surname",
    "Li": "surname alone not listed: Li is the commonest Chinese surname",
}


@dataclass
class Concept:
    id: str
    terms: dict[str, str]
    variants: dict[str, list[str]]
    note: str

    def forms(self, lang: str) -> list[str]:
        """Preferred term first, then the variants."""
        return ([self.terms[lang]] if self.terms[lang] else []) + self.variants[lang]


def load(path: Path = GLOSSARY) -> tuple[list[Concept], list[str]]:
    """The concepts and a list of format problems (empty when the file is clean)."""
    problems: list[str] = []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != COLUMNS:
        return [], [f"header is {rows[0] if rows else None}, expected {COLUMNS}"]
    concepts: list[Concept] = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) != len(COLUMNS):
            problems.append(f"row {n} ({row[:1]}): {len(row)} cells, expected {len(COLUMNS)}")
            continue
        cells = dict(zip(COLUMNS, row))
        for name, cell in cells.items():
            if cell != cell.strip():
                problems.append(f"{cells['id']}: leading/trailing space in {name}")
        variants = {
            lang: [v for v in cells[f"{lang}_variants"].split("|")] if cells[f"{lang}_variants"] else []
            for lang in LANGS
        }
        for lang, vs in variants.items():
            for v in vs:
                if not v or v != v.strip():
                    problems.append(f"{cells['id']}: empty or padded {lang} variant {v!r}")
        concept = Concept(cells["id"], {lang: cells[lang] for lang in LANGS}, variants, cells["note"])
        if sum(1 for lang in LANGS if concept.terms[lang]) < 2:
            problems.append(f"{concept.id}: fewer than two languages filled")
        concepts.append(concept)
    problems += _duplicates(concepts) + _traditional(concepts)
    return concepts, problems


def _duplicates(concepts: list[Concept]) -> list[str]:
    problems: list[str] = []
    ids: set[str] = set()
    owner: dict[tuple[str, str], str] = {}
    for c in concepts:
        if c.id in ids:
            problems.append(f"duplicate id {c.id}")
        ids.add(c.id)
        for lang in LANGS:
            for form in c.forms(lang):
                key = (lang, form.casefold())
                if key in owner and owner[key] != c.id:
                    problems.append(f"{lang} {form!r} belongs to both {owner[key]} and {c.id}")
                owner[key] = c.id
    return problems


def _traditional(concepts: list[Concept]) -> list[str]:
    try:
        import opencc
    except ImportError:
        return []
    t2s = opencc.OpenCC("t2s")
    return [
        f"{c.id}: zh {form!r} is not Simplified ({t2s.convert(form)!r})"
        for c in concepts
        for form in c.forms("zh")
        if t2s.convert(form) != form
    ]


def _en_pattern(form: str) -> re.Pattern[str]:
    """Case-insensitive, word-bounded, with an optional plural or possessive ending."""
    words = form.split()
    if len(words[-1]) > 3 and words[-1].endswith("s"):  # "SMEs" also finds "SME cooperation"
        words[-1] = words[-1][:-1]
    body = r"[\s\u00a0]+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![\w-]){body}(?:s|es|'s|’s|s'|s’)?(?![\w])", re.I)


def seed_matches(text: str, concepts: list[Concept]) -> tuple[dict[str, list[str]], list[tuple[int, int]]]:
    """Concept id -> the English forms found, and the character spans they cover."""
    found: dict[str, list[str]] = {}
    spans: list[tuple[int, int]] = []
    for c in concepts:
        for form in c.forms("en"):
            hits = list(_en_pattern(form).finditer(text))
            if hits:
                found.setdefault(c.id, []).append(form)
                spans += [m.span() for m in hits]
    return found, spans


# A capitalised word (dots only in the abbreviations St. and U.S.), and runs of them on
# one line, joined by spaces and the small words inside names.
_WORD = r"(?:St\.|U\.S\.|[A-Z][\w'’\-]*)"
_NAME = re.compile(rf"{_WORD}(?:[ \u00a0]+(?:(?:of|the|and|on|for)[ \u00a0]+)*{_WORD})+")


def uncovered_names(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, list[str]]]:
    """Runs of two or more capitalised words with a word no glossary match covers."""
    out = []
    for m in _NAME.finditer(text):
        words = list(re.finditer(_WORD, m.group()))
        if len(words) < 2:
            continue
        missing = []
        # Hyphenated words count part by part: "China-proposed" is covered by "China".
        parts = [
            (m.start() + word.start() + part.start(), part.group())
            for word in words
            for part in re.finditer(r"[^-]+", word.group())
        ]
        for start, part in parts:
            if not part[0].isupper() or part.lower() in NOT_NAMES:
                continue
            if not any(s <= start and start + len(part) <= e for s, e in spans):
                missing.append(part)
        if missing:
            out.append((m.group(), missing))
    return out


def untermed(concepts: list[Concept], eval_dir: Path) -> tuple[list[list[str]], list[str]]:
    """Rows (id, UNTERM name, lang, glossary, UNTERM, verdict) and unexplained mismatches."""
    table = eval_dir / "terms" / "un_country_names" / "unterm_country_names_en_zh_ru.tsv"
    by_name: dict[str, dict[str, str]] = {}
    with table.open(encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            short = re.sub(r"\s*\(the\)$", "", rec["en_short"]).strip()
            formal = re.sub(r"^the\s+", "", rec["en_formal"]).strip()
            for name in (short, formal):
                by_name.setdefault(name.lower(), rec)
    rows, unexplained = [], []
    for c in concepts:
        hits = [by_name[f.lower()] for f in c.forms("en") if f.lower() in by_name]
        if not hits:
            continue
        rec = hits[0]
        for lang in ("zh", "ru"):
            want = rec[f"{lang}_short"]
            if c.terms[lang] == want:
                verdict = "match"
            else:
                why = UNTERM_EXPLAINED.get((c.id, lang))
                where = "variant" if want in c.variants[lang] else "absent"
                verdict = f"differs ({where}): {why}" if why else f"MISMATCH ({where})"
                if not why:
                    unexplained.append(f"UNTERM {c.id} {lang}: {c.terms[lang]} vs {want}")
            rows.append([c.id, re.sub(r"\s*\(the\)$", "", rec["en_short"]), lang, c.terms[lang], want, verdict])
    return rows, unexplained


def _ru_key(text: str, morph: object | None) -> str:
    words = re.findall(r"[\w-]+", text.casefold().replace("ё", "е"))
    if morph is not None:
        words = [morph.parse(w)[0].normal_form.replace("ё", "е") for w in words]  # type: ignore[attr-defined]
    return " ".join(words)


def _plurals(form: str) -> Iterable[str]:
    yield form
    yield form + "s"
    yield form + "es"
    if form.endswith("y"):
        yield form[:-1] + "ies"


def unbised(concepts: list[Concept], eval_dir: Path) -> tuple[list[list[str]], list[str], int]:
    """Rows (id, UNBIS term, lang, glossary, UNBIS, verdict), unexplained disagreements, terms compared."""
    table = eval_dir / "terms" / "unbis_thesaurus" / "unbis_terms_en_zh_ru.tsv"
    unbis: dict[str, dict[str, str]] = {}
    with table.open(encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            unbis.setdefault(rec["en"].strip().lower(), rec)
    try:
        import pymorphy3  # type: ignore[import-untyped]

        morph: object | None = pymorphy3.MorphAnalyzer()
    except ImportError:
        morph = None
    rows, unexplained, compared = [], [], 0
    for c in concepts:
        terms_seen: set[str] = set()
        for form in c.forms("en"):
            for cand in _plurals(form.lower()):
                if cand not in unbis or cand in terms_seen:
                    continue
                terms_seen.add(cand)
                compared += 1
                rec = unbis[cand]
                for lang in ("zh", "ru"):
                    ours, theirs = c.forms(lang), rec[lang].strip()
                    if not ours:
                        continue
                    if lang == "zh":
                        agree = theirs in ours
                    else:
                        agree = _ru_key(theirs, morph) in {_ru_key(o, morph) for o in ours}
                    if agree:
                        verdict = "agrees" if (lang == "ru" or theirs == ours[0]) else "agrees (variant)"
                    else:
                        why = UNBIS_EXPLAINED.get((c.id, cand, lang))
                        verdict = f"differs: {why}" if why else "DISAGREES"
                        if not why:
                            unexplained.append(f"UNBIS {c.id} '{cand}' {lang}: {ours[0]} vs {theirs}")
                    rows.append([c.id, cand, lang, ours[0], theirs, verdict])
    return rows, unexplained, compared


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    eval_dir = require_eval()
    concepts, problems = load()
    out = [
        "## Glossary coverage",
        "",
        f"`{COMMAND}` checks `glossary/domain.tsv` against the seed articles in `../shared/seeds/` "
        "and the UNTERM / UNBIS term lists in `../shared/eval/terms/`.",
        "",
        f"**Size.** {len(concepts)} concepts.",
        "",
    ]
    out.append(_table(
        ["language", "preferred terms", "variants"],
        [[lang, str(sum(1 for c in concepts if c.terms[lang])), str(sum(len(c.variants[lang]) for c in concepts))]
         for lang in LANGS],
    ))
    out += ["", "**Format.** " + ("clean (columns, ids, duplicates, whitespace, Simplified Chinese)." if not problems
                                  else f"{len(problems)} problem(s):")]
    out += [f"- {p}" for p in problems]

    out += ["", "### Seed articles", "",
            "Concepts found by case-insensitive English matching (preferred term or variant, plural/possessive "
            "allowed), and runs of capitalised words in which some word no entry covers.", ""]
    unexplained: list[str] = []
    seeds = sorted(p for p in (SHARED / "seeds").glob("*.txt"))
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        found, spans = seed_matches(text, concepts)
        out.append(f"**{seed.name}**: {len(found)} concepts: " + ", ".join(
            f"`{cid}`" for cid in sorted(found)))
        names = uncovered_names(text, spans)
        if names:
            out.append("")
        for name, missing in names:
            reasons = [LEFT_OUT[m] for m in missing if m in LEFT_OUT]
            if len(reasons) == len(missing):
                out.append(f"- left out: “{name}”: {'; '.join(dict.fromkeys(reasons))}")
            else:
                out.append(f"- NOT COVERED: “{name}” (uncovered: {', '.join(missing)})")
                unexplained.append(f"seed {seed.name}: {name}")
        out.append("")

    rows, bad = untermed(concepts, eval_dir)
    unexplained += bad
    out += ["### UNTERM country names", "",
            f"{len({r[0] for r in rows})} glossary countries have an English name in the UNTERM table "
            "(short or formal); their preferred zh/ru compared with UNTERM's short names.", ""]
    out.append(_table(["id", "UNTERM", "lang", "glossary", "UNTERM short", "verdict"],
                      [r for r in rows if r[5] != "match"]) if any(r[5] != "match" for r in rows) else "All match.")
    matched = sorted({r[0] for r in rows} - {r[0] for r in rows if r[5] != "match"})
    out += ["", "Exact matches in both languages: " + ", ".join(f"`{m}`" for m in matched) + ".", ""]

    rows, bad, compared = unbised(concepts, eval_dir)
    unexplained += bad
    agree = sorted({r[0] for r in rows} - {r[0] for r in rows if not r[5].startswith("agrees")})
    out += ["### UNBIS Thesaurus", "",
            f"{compared} UNBIS English terms equal a glossary term or variant (or its plural). Russian is compared "
            "on lemmas (UNBIS uses sentence case and plural headings, the glossary the dictionary form) with ё "
            "folded to е.", ""]
    differing = [r for r in rows if not r[5].startswith("agrees")]
    out.append(_table(["id", "UNBIS term", "lang", "glossary", "UNBIS", "verdict"], differing)
               if differing else "All agree.")
    out += ["", "Agree in zh and ru: " + ", ".join(f"`{a}`" for a in agree) + ".", ""]
    out += ["**Unexplained items:** " + (str(len(unexplained)) if unexplained else "none.")]
    out += [f"- {u}" for u in unexplained]

    markdown = "\n".join(out)
    print(markdown)
    write_section("glossary-coverage", markdown)
    return 1 if problems or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
