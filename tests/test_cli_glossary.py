"""The glossary commands: fix, check, validate, list, with user glossaries and JSONL batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.cli import main
from glossary import COLUMNS

SOURCE = "Trade with the Eurasian Economic Union grew."
RAW = "Торговля с ЕАЭС выросла."
FIXED = "Торговля с Евразийским экономическим союзом выросла."


def our_glossary(tmp_path: Path) -> Path:
    path = tmp_path / "ours.tsv"
    rows = [COLUMNS, ("tea", "tea trade", "茶叶贸易", "торговля чаем", "tea business", "", "чайная торговля", "ours")]
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_fix_prints_the_corrected_translation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "fix", "--from", "en", "--to", "ru", SOURCE, RAW]) == 0
    assert capsys.readouterr().out == FIXED + "\n"


def test_check_reports_each_term_and_exits_1_unless_all_are_preferred(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "check", "--from", "en", "--to", "ru", SOURCE, RAW]) == 1
    assert capsys.readouterr().out == "fixed\teaeu\tEurasian Economic Union → Евразийский экономический союз\n"
    assert main(["glossary", "check", "--from", "en", "--to", "ru", SOURCE, FIXED]) == 0
    assert capsys.readouterr().out.startswith("ok\teaeu\t")
    assert main(["glossary", "check", "--from", "en", "--to", "ru", SOURCE, "Торговля выросла."]) == 1
    assert capsys.readouterr().out.startswith("missing\teaeu\t")


def test_jsonl_lines_come_back_with_fixed_and_terms_and_may_name_their_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [
        {"source": SOURCE, "translation": RAW, "id": 7},
        {"source": "上合组织峰会。", "translation": "The SCO summit.", "from": "zh", "to": "en"},
        {"source": "Prices rose.", "translation": "Цены выросли."},
    ]
    batch.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    assert main(["glossary", "fix", "--from", "en", "--to", "ru", "--jsonl", str(batch)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["fixed"] for o in out] == [FIXED, "The Shanghai Cooperation Organisation summit.", "Цены выросли."]
    assert out[0]["id"] == 7 and out[0]["terms"] == [
        {"id": "eaeu", "source": "Eurasian Economic Union", "expected": "Евразийский экономический союз", "status": "fixed"}
    ]
    assert out[2]["terms"] == []
    assert main(["glossary", "check", "--from", "en", "--to", "ru", "--jsonl", str(batch)]) == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json\n", "batch.jsonl:1: not JSON"),
        ('{"source": "a"}\n', 'batch.jsonl:1: each line needs "source" and "translation"'),
    ],
)
def test_bad_jsonl_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(content, encoding="utf-8")
    assert main(["glossary", "fix", "--from", "en", "--to", "ru", "--jsonl", str(batch)]) == 1
    assert words in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["glossary", "fix", "--from", "en", SOURCE, RAW], "say the languages"),
        (["glossary", "fix", "--from", "en", "--to", "ru", SOURCE], "give SOURCE and TRANSLATION"),
        (["glossary", "fix", "--from", "en", "--to", "de", SOURCE, RAW], "en, zh, ru"),
    ],
)
def test_missing_or_bad_arguments_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_user_glossaries_merge_over_the_shipped_one_or_replace_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = our_glossary(tmp_path)
    argv = ["glossary", "fix", "--from", "en", "--to", "ru", "The EAEU tea business grew.", "ЕАЭС: чайная торговля растёт."]
    assert main([*argv, "--glossary", str(ours)]) == 0
    assert capsys.readouterr().out == "Евразийский экономический союз: торговля чаем растёт.\n"
    assert main([*argv, "--glossary", str(ours), "--no-default-glossary"]) == 0
    assert capsys.readouterr().out == "ЕАЭС: торговля чаем растёт.\n"
    monkeypatch.setenv("TRIGLOT_GLOSSARY", str(ours))
    monkeypatch.setenv("TRIGLOT_DEFAULT_GLOSSARY", "0")
    assert main(argv) == 0
    assert capsys.readouterr().out == "ЕАЭС: торговля чаем растёт.\n"


def test_validate_accepts_a_good_file_and_names_the_line_of_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["glossary", "validate", str(our_glossary(tmp_path))]) == 0
    assert "1 concepts, no faults" in capsys.readouterr().out
    bad = tmp_path / "bad.tsv"
    bad.write_text("\t".join(COLUMNS) + "\nx\tHarbin\t\t\t\t\t\t\n", encoding="utf-8")
    assert main(["glossary", "validate", str(bad)]) == 1
    assert f"{bad}:2:" in capsys.readouterr().err
    clash = tmp_path / "clash.tsv"
    clash.write_text(
        "\t".join(COLUMNS) + "\na\tHarbin\t哈尔滨\t\t\t\t\t\nb\tHarbin City\t哈尔滨市\t\tHarbin\t\t\t\n", encoding="utf-8"
    )
    assert main(["glossary", "validate", str(clash)]) == 1
    assert f"{clash}:3:" in capsys.readouterr().err


def test_list_shows_the_glossary_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "list", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) >= 60
    assert set(entries[0]) == {"id", "en", "zh", "ru", "en_variants", "zh_variants", "ru_variants", "note"}
    assert main(["glossary", "list", "--no-default-glossary", "--glossary", str(our_glossary(tmp_path))]) == 0
    assert capsys.readouterr().out == "tea\ttea trade\t茶叶贸易\tторговля чаем\n"
