"""The triglot command line: outputs, input decoding, and one-line errors with non-zero exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.texts import CHINESE_ARTICLE, ENGLISH_ARTICLE, GERMAN_TEXT, RUSSIAN_ARTICLE
from toolkit import __version__
from toolkit.cli import main

COMMANDS = ("detect", "summarize")


def run(*argv: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a real subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *argv],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )  # type: ignore[call-overload]


def decoded(result: subprocess.CompletedProcess) -> tuple[str, str]:
    return result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ENGLISH_ARTICLE, encoding="utf-8")
    return path


def test_detect_prints_code_confidence_and_support(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["detect", str(article)]) == 0
    code, confidence, support = capsys.readouterr().out.strip().split("\t")
    assert code == "en" and 0 < float(confidence) <= 1 and support == "supported"


def test_detect_json_has_the_documented_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ru.txt"
    path.write_text(RUSSIAN_ARTICLE, encoding="utf-8")
    assert main(["detect", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"language", "confidence", "supported"}
    assert data["language"] == "ru" and data["supported"] is True


def test_detect_names_an_unsupported_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "de.txt"
    path.write_text(GERMAN_TEXT, encoding="utf-8")
    assert main(["detect", str(path)]) == 0
    assert capsys.readouterr().out.startswith("de\t")


def test_summarize_json_points_back_into_the_file(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "--format", "json", "--sentences", "2", str(article)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"language", "algorithm", "sentences", "summary"} <= set(data)
    assert len(data["sentences"]) == 2
    for sentence in data["sentences"]:
        assert ENGLISH_ARTICLE[sentence["start"] : sentence["end"]] == sentence["text"]


def test_summarize_text_prints_one_sentence_per_line(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "--sentences", "3", "--algorithm", "lead", str(article)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("Small and medium-sized enterprises")


def test_summarize_markdown_has_title_and_bullets(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "--format", "md", "--ratio", "0.3", str(article)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Border trade lifts small exporters in the Far East\n")
    assert out.count("\n- ") == 2


def test_summarize_reads_standard_input_in_a_subprocess() -> None:
    result = run("summarize", "--sentences", "1", "-", stdin=CHINESE_ARTICLE.encode("utf-8"))
    out, err = decoded(result)
    assert result.returncode == 0, err
    assert out.strip() in CHINESE_ARTICLE


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_utf8_and_bom_marked_utf16_files_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, prefix: bytes
) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(prefix + RUSSIAN_ARTICLE.encode(encoding))
    assert main(["summarize", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "ru"
    assert all(s["text"] in RUSSIAN_ARTICLE for s in data["sentences"])


def bad_input(tmp_path: Path, kind: str) -> str:
    if kind == "missing":
        return str(tmp_path / "nowhere.txt")
    if kind == "folder":
        return str(tmp_path)
    path = tmp_path / f"{kind}.txt"
    data = {
        "empty": b"",
        "blank": b" \n\t\n",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "cp1251": "Торговля растёт".encode("cp1251"),
        "digits": b"12 345 678",
        "german": GERMAN_TEXT.encode("utf-8"),
        "bad-utf16": b"\xff\xfe\x00\xd8",
    }[kind]
    path.write_bytes(data)
    return str(path)


BAD_INPUTS = [
    ("missing", "no such file"),
    ("folder", "is a folder"),
    ("empty", "is empty"),
    ("blank", "is empty"),
    ("binary", "binary file"),
    ("cp1251", "not UTF-8"),
    ("bad-utf16", "UTF-16"),
    ("digits", "could not tell the language"),
]


@pytest.mark.parametrize(
    ("command", "kind", "words"),
    [(command, *case) for command in COMMANDS for case in BAD_INPUTS]
    # detect answers for any language; only summarize refuses German.
    + [("summarize", "german", "'de'")],
)
def test_bad_input_is_one_line_on_stderr_and_exit_1(tmp_path: Path, command: str, kind: str, words: str) -> None:
    result = run(command, bad_input(tmp_path, kind))
    out, err = decoded(result)
    assert result.returncode == 1
    assert out == ""
    assert err.startswith("triglot: error: ") and err.count("\n") == 1, err
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["summarize", "--sentences", "0"], "at least 1"),
        (["summarize", "--ratio", "2"], "ratio"),
        (["summarize", "--language", "fr"], "en, zh, ru"),
    ],
)
def test_bad_options_are_errors_not_tracebacks(article: Path, argv: list[str], words: str) -> None:
    result = run(*argv, str(article))
    _, err = decoded(result)
    assert result.returncode == 1 and words in err and "Traceback" not in err


def test_usage_errors_exit_2() -> None:
    assert run("summarize", "--algorithm", "bert", "x").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2


def test_version_prints_the_package_version() -> None:
    out, _ = decoded(run("--version"))
    assert out.strip() == f"triglot {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    out, _ = decoded(result)
    assert result.returncode == 0 and f"usage: triglot {command}" in out and "--format" in out


def test_output_is_utf8_even_under_an_ascii_locale(article: Path, tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text(CHINESE_ARTICLE, encoding="utf-8")
    result = run("summarize", str(path), env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"})
    out, err = decoded(result)
    assert result.returncode == 0, err
    assert "中小企业" in out or "出口" in out


HEAVY_MODULES = (
    "torch", "argostranslate", "stanza", "ctranslate2", "sumy", "nltk", "numpy", "jieba", "langdetect", "wordfreq",
    "fastapi", "starlette", "uvicorn", "pydantic",
)


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["--help"], set()),
        (["detect", "--help"], set()),
        (["serve", "--help"], set()),
        (["detect", "ARTICLE"], {"langdetect", "wordfreq", "numpy"}),
        (["summarize", "ARTICLE"], {"langdetect", "wordfreq", "numpy", "sumy", "nltk"}),
    ],
)
def test_commands_import_nothing_heavy_they_do_not_use(article: Path, argv: list[str], allowed: set[str]) -> None:
    argv = [str(article) if a == "ARTICLE" else a for a in argv]
    probe = (
        "import sys\nfrom toolkit.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(result.stderr.split())
    assert (loaded & set(HEAVY_MODULES)) - allowed == set()
