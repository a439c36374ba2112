"""A damaged cache is said once, reported by ``cache stats`` and ``/ready``, and repaired by ``cache clear``;
``/ready`` follows the packages on disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, create_app
from tests.service_server import running
from toolkit import Settings
from toolkit.cli import main

Captured = pytest.CaptureFixture[str]
SENTENCE = "Trade between small firms in Harbin grew again."


def damage(settings: Settings) -> None:
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.cache_path.write_bytes(b"this is not an SQLite database, whatever its name says" * 20)


def test_the_cli_says_once_that_the_cache_is_damaged_and_cache_clear_repairs_it(
    with_models: Settings, tmp_path: Path, capsys: Captured
) -> None:
    damage(with_models)
    article = tmp_path / "article.txt"
    article.write_text(" ".join([SENTENCE] * 3), encoding="utf-8")
    assert main(["translate", str(article), "--from", "en", "--to", "zh"]) == 0
    captured = capsys.readouterr()
    assert "Harbin" in captured.out or "哈尔滨" in captured.out
    warnings = [line for line in captured.err.splitlines() if line.startswith("triglot: warning:")]
    assert len(warnings) == 1 and "triglot cache clear" in warnings[0]

    assert main(["cache", "stats", "--format", "json"]) == 1
    stats = json.loads(capsys.readouterr().out)
    assert stats["problem"].startswith("cannot open it (file is not a database)")

    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out == "removed the damaged cache; a new one starts with the next translation\n"
    assert main(["cache", "stats", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["problem"] is None


def test_ready_reports_a_damaged_cache_and_follows_the_packages_on_disk(with_models: Settings) -> None:
    damage(with_models)
    with running(create_app(ServiceSettings(), library=with_models)) as url:
        answer = httpx.post(url + "/translate", json={"q": SENTENCE, "source": "en", "target": "zh"})
        assert answer.status_code == 200
        ready = httpx.get(url + "/ready")
        assert ready.status_code == 200 and ready.json()["cache"].startswith("not in use: cannot open it")
        shutil.rmtree(with_models.packages_dir)
        gone = httpx.get(url + "/ready")
        assert gone.status_code == 503 and "no translation packages are installed" in gone.json()["error"]
