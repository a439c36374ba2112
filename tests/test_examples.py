"""The shipped examples work: README's main job over examples/articles, and examples/newsletter.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import Settings
from toolkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"


def test_the_example_folder_has_every_language_in_every_format() -> None:
    kinds = {(path.stem.rsplit("-", 1)[-1], path.suffix) for path in ARTICLES.iterdir()}
    for language in ("en", "zh", "ru"):
        assert {suffix for lang, suffix in kinds if lang == language} & {".txt", ".md", ".html"}, language
    assert {suffix for _, suffix in kinds} >= {".txt", ".md", ".html"}


@pytest.mark.slow
def test_the_main_job_digests_every_example_into_all_three_languages(
    with_models: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "digest.json"
    assert main(["digest", str(ARTICLES), "--to", "en,zh,ru", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["articles"]) == len(list(ARTICLES.iterdir()))
    assert {a["language"] for a in data["articles"]} == {"en", "zh", "ru"}
    for article in data["articles"]:
        assert "error" not in article, article
        others = {"en", "zh", "ru"} - {article["language"]}
        assert set(article["translations"]) == others, article["source"]
        assert all(t["summary"].strip() for t in article["translations"].values())
    assert data["notices"] == []


@pytest.mark.slow
def test_without_packages_the_main_job_still_writes_the_digest_and_names_the_install_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "digest.html"
    assert main(["digest", str(ARTICLES), "--to", "en,zh,ru", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "triglot models install --all" in html
    assert "Harbin fair brings Russian and Chinese small firms to one table" in html
    assert "黑河大桥货运量创新高" in html and "Коридор через Казахстан" in html
    assert "triglot models install --all" in capsys.readouterr().err


@pytest.mark.slow
def test_the_newsletter_script_publishes_the_weeks_html(with_models: Settings, tmp_path: Path) -> None:
    out = tmp_path / "week.html"
    environment = {**os.environ, "TRIGLOT_HOME": str(with_models.home)}
    script = [sys.executable, str(ROOT / "examples" / "newsletter.py"), str(ARTICLES), "-o", str(out)]
    done = subprocess.run(
        [*script, "--since", "2026-11-01"], capture_output=True, text=True, env=environment, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "中俄边境贸易持续升温" in html  # dated 2026-11: kept
    assert "Малый бизнес России и Китая ищет новые маршруты" not in html  # dated 2026-09: left out
    assert "newsletter:" in done.stderr and str(out) in done.stderr
