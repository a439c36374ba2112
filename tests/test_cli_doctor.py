"""``triglot doctor``: what triglot sees, and exit 1 when a direction or the glossary is missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolkit import Settings
from toolkit.cli import main

Captured = pytest.CaptureFixture[str]
PAIRS = {("en", "zh"), ("en", "ru"), ("zh", "en"), ("zh", "ru"), ("ru", "en"), ("ru", "zh")}
HEADER = "id\ten\tzh\tru\ten_variants\tzh_variants\tru_variants\tnote\n"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """doctor looks at the model index: never the public one from a test (a test may point it elsewhere)."""
    monkeypatch.setenv("TRIGLOT_MODEL_INDEX", "file:///nowhere/at/all/index.json")


def doctor(capsys: Captured, *arguments: str) -> tuple[int, Any]:
    """The exit status, and the report: parsed with ``--format json``, else the text."""
    status = main(["doctor", "--timeout", "2", *arguments])
    out = capsys.readouterr().out
    return status, json.loads(out) if "json" in arguments else out


def test_with_nothing_installed_it_says_what_to_run_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Captured
) -> None:
    index = tmp_path / "index.json"
    index.write_text(json.dumps([{"type": "translate", "from_code": "en", "to_code": "zh"}]), encoding="utf-8")
    monkeypatch.setenv("TRIGLOT_MODEL_INDEX", index.as_uri())
    status, report = doctor(capsys, "--format", "json")
    assert status == 1
    assert report["ok"] is False and report["packages"] == []
    assert {(d["from"], d["to"]) for d in report["directions"] if d["via"] is None} == PAIRS
    assert report["model_index"] == {"url": index.as_uri(), "timeout_s": 2.0, "reachable": True, "packages": 1,
                                     "error": None}
    assert "triglot models install --all" in report["advice"][0]
    status, text = doctor(capsys)
    assert status == 1 and "MISSING" in text and "to do        run 'triglot models install --all'" in text


def test_with_the_four_packages_every_direction_works_and_it_exits_0(with_models: Settings, capsys: Captured,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIGLOT_MODEL_INDEX", "file:///nowhere/at/all/index.json")
    status, report = doctor(capsys, "--format", "json")
    assert status == 0 and report["ok"] is True
    via = {(d["from"], d["to"]): d["via"] for d in report["directions"]}
    assert via == {("en", "zh"): "direct", ("en", "ru"): "direct", ("zh", "en"): "direct", ("ru", "en"): "direct",
                   ("zh", "ru"): "en", ("ru", "zh"): "en"}
    assert len(report["packages"]) == 4 and report["home"]["size_bytes"] > 0
    assert report["model_index"]["reachable"] is False and "could not fetch" in report["model_index"]["error"]
    assert report["cache"]["enabled"] is True
    status, text = doctor(capsys)
    assert status == 0 and "zh→ru      through en" in text and "nothing: all six directions work" in text


def test_a_broken_glossary_file_is_reported_not_raised(with_models: Settings, tmp_path: Path, capsys: Captured,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "mine.tsv"
    broken.write_text("id\ten\n", encoding="utf-8")
    monkeypatch.setenv("TRIGLOT_GLOSSARY", str(broken))
    status, report = doctor(capsys, "--format", "json")
    assert status == 1
    assert str(broken) in report["glossary"]["error"]
    assert "fix the glossary file" in report["advice"][0]


def test_glossary_conflicts_are_listed(with_models: Settings, tmp_path: Path, capsys: Captured,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.tsv"
    rows = "port\tdry port\t陆港\tсухой порт\t\t\t\t\n" "hub\tlogistics hub\t物流枢纽\tхаб\tdry port\t\t\t\n"
    mine.write_text(HEADER + rows, encoding="utf-8")
    monkeypatch.setenv("TRIGLOT_GLOSSARY", str(mine))
    status, report = doctor(capsys, "--format", "json")
    assert status == 0
    glossary = report["glossary"]
    assert glossary["files"] == ["shipped", str(mine)] and glossary["error"] is None
    assert any("'dry port'" in c for c in glossary["conflicts"])
    assert "resolve the glossary's conflicts" in " ".join(report["advice"])
