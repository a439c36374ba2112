"""Glossary files: the format, every fault named by file and line, merging, the shipped glossary."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from toolkit import Glossary
from toolkit.errors import InvalidGlossary
from glossary import COLUMNS, conflicts, parse_glossary, read_glossary
from glossary.enforce import merge

HEADER = "\t".join(COLUMNS)


def tsv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_row_gives_preferred_terms_variants_and_note(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.tsv",
        "# trade terms\n"
        + tsv("sme\tsmall and medium-sized enterprises\t中小企业\tмалые и средние предприятия\tSMEs|small businesses\t\tМСП\tcore"),
    )
    (entry,) = read_glossary(path)
    assert entry.id == "sme"
    assert entry.preferred("zh") == "中小企业"
    assert entry.variants["en"] == ("SMEs", "small businesses")
    assert entry.forms("ru") == ("малые и средние предприятия", "МСП")
    assert entry.note == "core" and entry.origin == f"{path}:3"


def test_csv_by_extension_with_quotes_and_a_bom(tmp_path: Path) -> None:
    text = "\ufeffid,en,zh,ru,en_variants\nbri,Belt and Road Initiative,一带一路倡议,инициатива «Пояс и путь»,\"BRI|One Belt, One Road\"\n"
    (entry,) = read_glossary(write(tmp_path, "g.csv", text))
    assert entry.variants["en"] == ("BRI", "One Belt, One Road")


def test_missing_ids_are_made_up_and_columns_may_be_fewer(tmp_path: Path) -> None:
    entries = read_glossary(write(tmp_path, "mine.tsv", "en\tru\nHarbin\tХарбин\nHeihe\tХэйхэ\n"))
    assert [e.id for e in entries] == ["mine-1", "mine-2"]
    assert entries[0].preferred("zh") is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "no header row"),
        ("id\ten\tfr\n", 1, "unknown column 'fr'"),
        ("id\ten\ten\n", 1, "named twice"),
        ("id\ten\tnote\n", 1, "at least two of the columns"),
        (tsv("a\tHarbin\t\t\t\t\t\t"), 2, "at least two of en, zh, ru"),
        (tsv("a\tHarbin\t哈尔滨\t\t\t\tХарбин-Сити\t"), 2, "ru_variants given but no preferred ru term"),
        (tsv("a\tHarbin\t哈尔滨\t\tHrb||Harbin City\t\t\t"), 2, "an empty variant"),
        (tsv("a\tHarbin\t哈尔滨\t\t\t\t\t", "a\tHeihe\t黑河\t\t\t\t\t"), 3, "already used on line 2"),
        (tsv("a\tHarbin\t哈尔滨\t\t\t\t\tnote\textra"), 2, "a stray separator"),
        ("# only a comment\n\n", None, "no header row"),
    ],
)
def test_every_fault_names_the_file_and_the_line(text: str, line: int | None, words: str) -> None:
    with pytest.raises(InvalidGlossary, match=words) as caught:
        parse_glossary(text, "mine.tsv")
    assert caught.value.path == "mine.tsv" and caught.value.line == line
    assert str(caught.value).startswith("mine.tsv" + (f":{line}:" if line else ":"))


def test_files_that_cannot_be_used_say_why(tmp_path: Path) -> None:
    with pytest.raises(InvalidGlossary, match="must be a .tsv or .csv"):
        read_glossary(write(tmp_path, "g.txt", "x"))
    with pytest.raises(InvalidGlossary, match="none.tsv: no such file"):
        read_glossary(tmp_path / "none.tsv")
    fifo = tmp_path / "pipe.tsv"
    os.mkfifo(fifo)
    with pytest.raises(InvalidGlossary, match=r"pipe.tsv is a named pipe \(FIFO\), not a regular file"):
        read_glossary(fifo)
    bad = tmp_path / "g.tsv"
    bad.write_bytes(HEADER.encode() + b"\nx\tHarbin\t\xff\xfe\n")
    with pytest.raises(InvalidGlossary, match=r"g.tsv:2: not UTF-8"):
        read_glossary(bad)


def test_merging_overrides_by_id_or_by_preferred_term() -> None:
    shipped = parse_glossary(tsv("a\tHarbin\t哈尔滨\tХарбин\t\t\t\t", "b\tHeihe\t黑河\tХэйхэ\t\t\t\t"), "shipped.tsv")
    mine = parse_glossary(tsv("a\tHarbin\t哈尔滨市\tХарбин\t\t\t\t", "c\tHeihe City\t黑河\tХэйхэ\t\t\t\t"), "mine.tsv")
    merged = merge([shipped, mine])
    assert [(e.id, e.terms["en"]) for e in merged] == [("a", "Harbin"), ("c", "Heihe City")]
    assert merged[0].terms["zh"] == "哈尔滨市"


def test_load_merges_user_files_over_the_shipped_glossary_or_replaces_it(tmp_path: Path) -> None:
    shipped = Glossary.load()
    mine = write(tmp_path, "mine.tsv", tsv("my-term\tcross-border tea trade\t跨境茶叶贸易\tтрансграничная торговля чаем\t\t\t\t"))
    merged = Glossary.load([mine])
    assert len(merged) == len(shipped) + 1 and merged.get("my-term") is not None
    alone = Glossary.load([mine], default=False)
    assert [e.id for e in alone.entries] == ["my-term"]


def test_conflicts_name_both_lines() -> None:
    glossary = Glossary(parse_glossary(tsv("a\tHarbin\t哈尔滨\t\t\t\t\t", "b\tHarbin City\t哈尔滨市\t\tharbin\t哈爾濱\t\t"), "g.tsv"))
    problems = conflicts(glossary)
    assert len(problems) == 2
    assert all(p.startswith("g.tsv:3:") and "'a' (g.tsv:2)" in p for p in problems)


def test_the_shipped_glossary_is_valid_and_holds_the_domain() -> None:
    glossary = Glossary.load()
    assert len(glossary) >= 60
    assert conflicts(glossary) == []
    english = {e.terms.get("en") for e in glossary.entries}
    assert {"Belt and Road Initiative", "Eurasian Economic Union"} <= english
    for entry in glossary.entries:
        assert sum(bool(entry.terms.get(lang)) for lang in ("en", "zh", "ru")) >= 2, entry.id
    json.dumps(glossary.to_list(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Holders of securities met.", ["securities"]),
        ("The Security Council met.", []),  # not the plural term's singular
        ("They will sign wills.", ["wills"]),
        ("An enterprise and two enterprises.", ["enterprise", "enterprises"]),  # a singular term takes plurals
        ("The SME and the SMEs.", ["SME", "SMEs"]),
        ("The US and us.", ["US"]),  # acronyms only in capitals
        ("Harbinger", []),
    ],
)
def test_english_matching_folds_case_plural_and_possessive_but_not_a_plural_terms_singular(
    text: str, found: list[str]
) -> None:
    rows = ["sec\tsecurities\t证券\t\t\t\t\t", "wills\twills\t遗嘱\t\t\t\t\t", "ent\tenterprise\t企业\t\t\t\t\t",
            "sme\tSMEs\t中小企业\t\t\t\t\t", "us\tUS\t美国\t\t\t\t\t", "hrb\tHarbin\t哈尔滨\t\t\t\t\t"]
    glossary = Glossary(parse_glossary(tsv(*rows), "g.tsv"))
    assert [m.text for m in glossary.find(text, "en")] == found


def test_overlapping_matches_keep_the_longest_and_cost_follows_the_text() -> None:
    rows = ["a\tEconomic Union\t经济联盟\t\t\t\t\t", "b\tEurasian Economic Union\t欧亚经济联盟\t\t\t\t\t",
            "c\tUnion summit\t联盟峰会\t\t\t\t\t"]
    glossary = Glossary(parse_glossary(tsv(*rows), "g.tsv"))
    matches = glossary.find("The Eurasian Economic Union summit and the Economic Union.", "en")
    assert [(m.id, m.text) for m in matches] == [("b", "Eurasian Economic Union"), ("a", "Economic Union")]
    zh = glossary.find("欧亚经济联盟峰会", "zh")
    assert [(m.id, m.text) for m in zh] == [("b", "欧亚经济联盟")]


def test_a_brand_written_the_same_everywhere_stays_as_written_whatever_the_engine_made_of_it() -> None:
    glossary = Glossary(parse_glossary(tsv("yandex\tYandex\tYandex\tYandex\t\t\t\t"), "g.tsv"))
    fixed = glossary.fix("Yandex opened an office.", "Яндекс открыл офис.", "en", "ru", renderings={"yandex": ["Яндекс"]})
    assert fixed.text == "Yandex открыл офис."
    assert [t.status for t in fixed.terms] == ["fixed"]
    kept = glossary.fix("Yandex opened an office.", "Yandex открыл офис.", "en", "ru")
    assert [t.status for t in kept.terms] == ["ok"]
