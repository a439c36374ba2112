"""The translate, models and cache commands, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import Settings
from toolkit.cli import main

Packages = dict[tuple[str, str], Path]


def run(*argv: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", *argv],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def test_translate_prints_the_translation(with_models: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ru.txt"
    path.write_text("Торговля растёт.\n\nМалый бизнес тоже.", encoding="utf-8")
    assert main(["translate", "--to", "en", str(path)]) == 0
    assert capsys.readouterr().out == "Торговля растёт.\n\nМалый бизнес тоже.\n"


def test_translate_json_carries_route_and_signature(with_models: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text("贸易增长了。", encoding="utf-8")
    assert main(["translate", "--from", "zh", "--to", "ru", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["translation"] == "贸易增长了。"
    assert data["route"] == ["zh", "en", "ru"]
    assert {"source", "target", "translation", "route", "signature"} <= set(data)


def test_translate_reads_stdin_and_no_cache_leaves_no_cache(with_models: Settings) -> None:
    code, out, err = run("translate", "--to", "zh", "--no-cache", "-", stdin="Trade grew.".encode())
    assert (code, out) == (0, "Trade grew.\n"), err
    assert not with_models.cache_path.exists()


def test_translate_without_the_package_prints_the_install_command(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("Trade grew.", encoding="utf-8")
    code, out, err = run("translate", "--to", "zh", str(path))
    assert code == 1 and out == ""
    assert err == "triglot: error: no en→zh model; run 'triglot models install en zh'\n"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["translate", "--to", "fr"], "en, zh, ru"),
        (["translate", "--to", "zh", "--from", "xx"], "unsupported language 'xx'"),
    ],
)
def test_translate_bad_languages_are_one_line_errors(tmp_path: Path, argv: list[str], words: str) -> None:
    path = tmp_path / "en.txt"
    path.write_text("Trade grew.", encoding="utf-8")
    code, _, err = run(*argv, str(path))
    assert code == 1 and words in err and err.count("\n") == 1 and "Traceback" not in err


def test_models_install_list_and_remove_from_a_file(tiny_packages: Packages, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "install", "--file", str(tiny_packages[("en", "ru")])]) == 0
    assert capsys.readouterr().out.startswith("installed en→ru 1.0 in ")
    assert main(["models", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["from"], m["to"], m["version"]) for m in listed] == [("en", "ru", "1.0")]
    assert set(listed[0]) == {"from", "to", "version", "path"}
    assert main(["models", "list"]) == 0
    assert capsys.readouterr().out.startswith("en\tru\t1.0\t")
    assert main(["models", "remove", "en", "ru"]) == 0
    assert main(["models", "list", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1]) == []


def test_models_install_all_from_a_local_index(tiny_packages: Packages, tmp_path: Path) -> None:
    entries = [
        {"from_code": s, "to_code": t, "package_version": "1.0", "type": "translate", "links": [p.as_uri()]}
        for (s, t), p in tiny_packages.items()
    ]
    index = tmp_path / "index.json"
    index.write_text(json.dumps(entries), encoding="utf-8")
    code, out, err = run("models", "install", "--all", env={"TRIGLOT_MODEL_INDEX": index.as_uri()})
    assert code == 0, err
    assert out.count("installed ") == 4
    assert err == ""  # no progress bar when stderr is not a terminal


def test_models_install_from_an_unreachable_index_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("models", "install", "en", "zh", env={"TRIGLOT_MODEL_INDEX": (tmp_path / "none.json").as_uri()})
    assert code == 1 and err.startswith("triglot: error: could not fetch the model index") and err.count("\n") == 1


@pytest.mark.parametrize("argv", [["models", "install"], ["models", "install", "en"], ["models", "install", "--all", "en", "zh"]])
def test_models_install_needs_exactly_one_thing_to_install(argv: list[str]) -> None:
    code, _, err = run(*argv)
    assert code == 1 and "say what to install" in err


def test_a_bad_package_file_is_one_line_and_installs_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"not a zip")
    code, _, err = run("models", "install", "--file", str(bad))
    assert code == 1 and "not a zip" in err and "Traceback" not in err
    assert run("models", "list", "--format", "json")[1].strip() == "[]"


def test_cache_stats_and_clear(with_models: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "stats", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 0
    assert not with_models.cache_path.exists()  # looking does not create it
    from toolkit import translate

    translate("Trade grew. Firms signed deals.", source="en", target="ru")
    assert main(["cache", "stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["entries"] == 2 and stats["size_bytes"] > 0
    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out == "removed 2 cached sentences\n"
    assert main(["cache", "stats"]) == 0
    assert capsys.readouterr().out.startswith("0 cached sentences")


@pytest.mark.parametrize("argv", [["translate"], ["models"], ["models", "install"], ["models", "list"], ["cache"], ["cache", "stats"]])
def test_every_translation_command_has_help(argv: list[str]) -> None:
    code, out, _ = run(*argv, "--help")
    assert code == 0 and f"usage: triglot {' '.join(argv)}" in out


def test_translate_help_imports_no_engine() -> None:
    probe = (
        "import sys\nfrom toolkit.cli import main\n"
        "try:\n    main(['translate', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('torch', 'ctranslate2', 'argostranslate', 'sentencepiece') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stderr.strip() == "[]"


def test_translate_writes_a_word_document_with_its_formatting(with_models: Settings, tmp_path: Path) -> None:
    from tests.test_documents import EAEU_RU, runs, word_document

    source, output = tmp_path / "report.docx", tmp_path / "report_ru.docx"
    source.write_bytes(word_document())
    code, out, err = run("translate", str(source), "--to", "ru", "-o", str(output))
    assert (code, out, err) == (0, f"wrote {output} (en→ru)\n", "")
    import docx

    assert runs(docx.Document(str(output)).paragraphs[0])[:2] == [("Trade with the ", None, None), (EAEU_RU, True, None)]


def test_translate_writes_markdown_as_markdown_and_reports_json(
    with_models: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = tmp_path / "notes.md", tmp_path / "notes.zh.md"
    source.write_text("# Notes\n\nTrade with the **Eurasian Economic Union** grew.\n", encoding="utf-8")
    assert main(["translate", str(source), "--to", "zh", "-o", str(output), "--format", "json"]) == 0
    assert output.read_text(encoding="utf-8") == "# Notes\n\nTrade with the **欧亚经济联盟** grew.\n"
    report = json.loads(capsys.readouterr().out)
    assert (report["source"], report["target"], report["output"]) == ("en", "zh", str(output))
    assert [term["id"] for term in report["terms"]] == ["eaeu"]


@pytest.mark.parametrize(
    ("name", "data", "extra", "words"),
    [
        ("report.docx", b"", [], "give -o OUT.docx"),
        ("report.docx", b"PK\x03\x04 damaged", ["-o", "out.docx"], "not a readable .docx file"),
        ("report.docx", b"", ["-o", "out.txt"], "write a .docx document to a .docx file"),
        ("slides.pdf", b"%PDF", ["-o", "out.pdf"], "'.pdf' is not a document format"),
        ("notes.txt", "Торговля".encode("cp1251"), ["-o", "out.txt"], "not UTF-8"),
    ],
)
def test_a_document_that_cannot_be_translated_is_one_line_and_writes_nothing(
    tmp_path: Path, name: str, data: bytes, extra: list[str], words: str
) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    output = [str(tmp_path / option) if option.startswith("out") else option for option in extra]
    code, out, err = run("translate", str(source), "--to", "ru", *output)
    assert code == 1 and out == "" and words in err and err.count("\n") == 1 and "Traceback" not in err
    assert not any(path.name.startswith(("out", ".out")) for path in tmp_path.iterdir())
