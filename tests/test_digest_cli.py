"""`triglot digest` as a user runs it: formats, exit codes, stderr, atomic output, progress."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from tests.test_digest import write_articles
from toolkit import Settings
from toolkit.cli import main
from toolkit.cli.digest import EXIT_SOME_FAILED
from toolkit.cli.progress import ProgressBar, items

Captured = pytest.CaptureFixture[str]


def test_writes_html_chosen_by_the_output_extension(with_models: Settings, tmp_path: Path, capsys: Captured) -> None:
    articles = write_articles(tmp_path / "in")
    out = tmp_path / "digest.html"
    assert main(["digest", str(articles), "--to", "en,zh,ru", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "欧亚经济联盟" in html
    captured = capsys.readouterr()
    # No progress bar (stderr is not a terminal), only what was written.
    assert captured.out == "" and captured.err == f"triglot: wrote {out}: 4 of 4 articles\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # a digest is for publishing, not private


def test_markdown_on_stdout_by_default_and_json_on_request(with_models: Settings, tmp_path: Path,
                                                           capsys: Captured) -> None:
    articles = write_articles(tmp_path / "in")
    assert main(["digest", str(articles), "--to", "en"]) == 0
    assert capsys.readouterr().out.startswith("# News digest")
    assert main(["digest", str(articles / "1-customs-en.txt"), "--to", "zh", "--format", "json", "--sentences", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["targets"] == ["zh"] and data["articles"][0]["summary"].count(".") == 1


def test_without_packages_the_digest_is_written_with_a_notice_and_exit_0(tmp_path: Path, capsys: Captured) -> None:
    articles = write_articles(tmp_path / "in")
    out = tmp_path / "digest.md"
    assert main(["digest", str(articles), "--to", "en,zh,ru", "-o", str(out)]) == 0
    md = out.read_text(encoding="utf-8")
    assert "Eurasian Economic Union simplifies customs" in md and "中俄中小企业用人民币结算" in md
    # One notice for all six pairs, in the digest and on stderr: the languages and the one command.
    (notice,) = [line for line in md.splitlines() if "Notice" in line]
    assert "en, zh, ru" in notice and "'triglot models install --all'" in notice
    notices = [line for line in capsys.readouterr().err.splitlines() if "notice" in line]
    assert len(notices) == 1 and "en, zh, ru" in notices[0] and "'triglot models install --all'" in notices[0]
    assert "--verbose" in notices[0]


def test_verbose_and_json_name_each_missing_pair(tmp_path: Path, capsys: Captured) -> None:
    articles = write_articles(tmp_path / "in")
    out = tmp_path / "digest.json"
    assert main(["digest", str(articles), "--to", "zh,ru", "-o", str(out), "--verbose"]) == 0
    notices = [line for line in capsys.readouterr().err.splitlines() if "notice" in line]
    assert "zh, ru" in notices[0] and "--verbose" not in notices[0]
    pairs = {("en", "zh"), ("ru", "zh"), ("en", "ru"), ("zh", "ru")}
    assert len(notices) == 1 + len(pairs)
    assert "'triglot models install ru en' and 'triglot models install en zh'" in " ".join(notices)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {(n["source"], n["target"]) for n in data["notices"]} == pairs


def test_a_failed_article_is_named_on_stderr_listed_in_the_output_and_exits_3(
    with_models: Settings, tmp_path: Path, capsys: Captured
) -> None:
    articles = write_articles(tmp_path / "in")
    (articles / "broken.txt").write_bytes("Заголовок\n\nТекст.".encode("cp1251"))
    (articles / "feed.jsonl").write_text('{"title": "Note", "text": "Trade between the two countries rose again in May."}\n{oops\n', encoding="utf-8")
    out = tmp_path / "digest.json"
    assert main(["digest", str(articles), "--to", "en,zh", "-o", str(out)]) == EXIT_SOME_FAILED == 3
    err = capsys.readouterr().err
    assert f"triglot: failed: {articles / 'broken.txt'} is not UTF-8 text" in err
    assert f"triglot: failed: {articles / 'feed.jsonl'}:2: not valid JSON" in err
    data = json.loads(out.read_text(encoding="utf-8"))
    errors = [a for a in data["articles"] if "error" in a]
    assert [Path(a["source"]).name for a in errors] == ["broken.txt", "feed.jsonl:2"]
    assert len(data["articles"]) - len(errors) == 5


def test_a_run_that_fails_before_writing_leaves_the_old_file_alone(tmp_path: Path, capsys: Captured) -> None:
    out = tmp_path / "digest.html"
    out.write_text("last week's digest", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"PK")
    assert main(["digest", str(empty), "-o", str(out)]) == 1
    assert main(["digest", str(tmp_path / "missing"), "-o", str(out)]) == 1
    assert main(["digest", str(empty), "--to", "de", "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"triglot: error: {empty}: no articles found; a folder needs .txt, .md, .html, .htm or .jsonl files"
    assert err[1] == f"triglot: error: {tmp_path / 'missing'}: no such file or folder"
    assert out.read_text(encoding="utf-8") == "last week's digest"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.html", "empty"]


def test_a_write_that_fails_leaves_no_partial_file(tmp_path: Path, capsys: Captured,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    articles = write_articles(tmp_path / "in")
    out = tmp_path / "out" / "digest.md"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")

    def full_disk(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert main(["digest", str(articles / "1-customs-en.txt"), "--to", "en", "-o", str(out)]) == 1
    assert "cannot write the digest (No space left on device)" in capsys.readouterr().err
    assert [p.name for p in out.parent.iterdir()] == ["digest.md"] and out.read_text(encoding="utf-8") == "old"
    monkeypatch.undo()
    assert main(["digest", str(articles / "1-customs-en.txt"), "--to", "en", "-o", str(tmp_path / "no" / "x.md")]) == 1


def test_sort_by_date_and_a_user_template(with_models: Settings, tmp_path: Path, capsys: Captured) -> None:
    articles = write_articles(tmp_path / "in")
    template = tmp_path / "list.md.j2"
    template.write_text("{% for a in articles %}{{ a.date or '-' }} {{ a.title|md }}\n{% endfor %}", encoding="utf-8")
    assert main(["digest", str(articles), "--to", "en", "--sort", "date", "--template", str(template)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2026-11-02 Border trade at Manzhouli") and lines[1].startswith("2026-10-05 ")
    assert lines[2].startswith("- Eurasian Economic Union") and len(lines) == 4


def test_a_glossary_file_is_applied(with_models: Settings, tmp_path: Path, capsys: Captured) -> None:
    articles = write_articles(tmp_path / "in")
    assert main(["digest", str(articles / "1-customs-en.txt"), "--to", "zh", "--format", "json",
                 "--no-default-glossary"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"][0]["terms"] == []


def test_help_documents_the_exit_status(capsys: Captured) -> None:
    with pytest.raises(SystemExit):
        main(["digest", "--help"])
    assert "Exit status: 0" in " ".join(capsys.readouterr().out.split())


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_counts_items_or_megabytes() -> None:
    stream = Terminal()
    bar = ProgressBar("digest", stream, counter=items("articles"))
    bar(3, 6)
    bar.close()
    assert stream.getvalue() == "\rdigest [###############---------------]  50% 3 of 6 articles\n"
    download = Terminal()
    ProgressBar("en→zh", download)(1_048_576, 2_097_152)
    assert download.getvalue().endswith(" 50% 1.0 MB of 2.0 MB")
