"""triglot's own endpoints, readiness, and the OpenAPI contract (checked by schemathesis)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from hypothesis import HealthCheck, given, settings

from service import ServiceSettings, create_app
from tests.service_server import library_settings, running
from tests.texts import ENGLISH_ARTICLE
from toolkit import Settings, summarize
from toolkit.cli import main

Packages = dict[tuple[str, str], Path]
# Enough to reach every field and type; the whole run stays within seconds on two cores.
EXAMPLES_PER_OPERATION = 40


@pytest.fixture(scope="module")
def library(tiny_packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return library_settings(tmp_path_factory.mktemp("home"), tiny_packages)


@pytest.fixture(scope="module")
def url(library: Settings) -> Iterator[str]:
    with running(create_app(ServiceSettings(), library=library)) as base:
        yield base


def test_summarize_answers_what_the_cli_prints(url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    answer = httpx.post(url + "/summarize", json={"text": ENGLISH_ARTICLE, "sentences": 2})
    assert answer.status_code == 200
    article = tmp_path / "article.txt"
    article.write_text(ENGLISH_ARTICLE, encoding="utf-8")
    assert main(["summarize", "--sentences", "2", "--format", "json", str(article)]) == 0
    assert answer.json() == json.loads(capsys.readouterr().out)
    assert answer.json() == summarize(ENGLISH_ARTICLE, sentences=2).to_dict()


def test_process_gives_detection_summary_and_each_target_with_its_glossary_report(url: str) -> None:
    text = "Trade with the Eurasian Economic Union grew. Exports rose. Imports fell. Prices held."
    answer = httpx.post(url + "/process", json={"text": text, "targets": ["en", "zh-Hans", "ru"], "sentences": 1})
    assert answer.status_code == 200, answer.text
    processed = answer.json()
    assert processed["detection"]["language"] == "en"
    assert processed["summary"]["summary"] == "Trade with the Eurasian Economic Union grew."
    assert set(processed["translations"]) == {"zh", "ru"}
    zh = processed["translations"]["zh"]
    assert "欧亚经济联盟" in zh["summary"]
    assert [term["id"] for term in zh["terms"]] == ["eaeu"]
    # Each translated sentence points to its source in the article sent.
    (sentence,) = zh["sentences"]
    assert text[sentence["start"] : sentence["end"]] == "Trade with the Eurasian Economic Union grew."
    assert sentence["text"] == zh["summary"]


def test_glossary_lists_fixes_and_checks_like_the_cli(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = httpx.get(url + "/glossary").json()
    assert any(entry["id"] == "eaeu" for entry in entries)
    item = {"source": "Trade with the EAEU grew.", "translation": "Торговля с ЕАЭС выросла.", "from": "en", "to": "ru"}
    fixed = httpx.post(url + "/glossary/fix", json=item).json()
    lines = tmp_path / "pairs.jsonl"
    lines.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["glossary", "fix", "--jsonl", str(lines)]) == 0
    assert json.loads(capsys.readouterr().out) == {**item, **fixed}
    assert fixed["fixed"] == "Торговля с Евразийским экономическим союзом выросла."
    checked = httpx.post(url + "/glossary/check", json=item).json()
    assert checked["all_preferred"] is False and checked["terms"] == fixed["terms"]
    good = {**item, "translation": fixed["fixed"]}
    assert httpx.post(url + "/glossary/check", json=good).json()["all_preferred"] is True


def test_health_and_ready(url: str) -> None:
    assert httpx.get(url + "/health").json() == {"status": "ok"}
    ready = httpx.get(url + "/ready").json()
    assert ready["status"] == "ready" and sorted(ready["packages"]) == ["en→ru", "en→zh", "ru→en", "zh→en"]


def test_preload_warms_only_the_languages_named(library: Settings) -> None:
    with running(create_app(ServiceSettings(preload=("en", "zh-Hans")), library=library)) as base:
        assert sorted(httpx.get(base + "/ready").json()["packages"]) == ["en→zh", "zh→en"]


def test_without_packages_the_server_is_alive_but_not_ready(tmp_path: Path) -> None:
    empty = Settings.from_env({}, home=tmp_path)
    with running(create_app(ServiceSettings(), library=empty), ready=False) as base:
        for _ in range(100):
            answer = httpx.get(base + "/ready")
            if "still loading" not in answer.text:
                break
        assert answer.status_code == 503 and "retry-after" in answer.headers
        assert answer.json() == {
            "error": "not ready: no translation packages are installed; run 'triglot models install --all'"
        }
        assert httpx.get(base + "/languages").json() == []
        missing = httpx.post(base + "/translate", json={"q": "Trade.", "source": "en", "target": "zh"})
        assert missing.status_code == 400 and "triglot models install en zh" in missing.json()["error"]


EXPECTED_CODES = {
    ("post", "/translate"): {"200", "400", "401", "403", "413", "429", "500", "503"},
    ("post", "/detect"): {"200", "400", "401", "403", "413", "429", "500", "503"},
    ("post", "/summarize"): {"200", "400", "401", "403", "413", "429", "500", "503"},
    ("post", "/process"): {"200", "400", "401", "403", "413", "429", "500", "503"},
    ("post", "/glossary/fix"): {"200", "400", "401", "403", "413", "429", "500", "503"},
    ("post", "/glossary/check"): {"200", "400", "401", "403", "413", "429", "500", "503"},
    ("post", "/translate_file"): {"200", "400", "401", "403", "413", "429", "500", "503"},
    ("get", "/download_file/{filename}"): {"200", "400", "404", "413", "500"},
    ("get", "/languages"): {"200", "413", "500"},
    ("get", "/frontend/settings"): {"200", "413", "500"},
    ("get", "/glossary"): {"200", "413", "500"},
    ("get", "/health"): {"200", "413", "500"},
    ("get", "/ready"): {"200", "413", "500", "503"},
}


def test_openapi_declares_every_status_and_both_body_kinds(url: str) -> None:
    spec = httpx.get(url + "/openapi.json").json()
    declared = {
        (method, path): set(operation["responses"])
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }
    assert declared == EXPECTED_CODES
    for path, methods in spec["paths"].items():
        if "post" in methods:  # every POST reads JSON or a form (and the query string), as LibreTranslate does
            content = methods["post"]["requestBody"]["content"]
            # A file comes only in a multipart form.
            kinds = {"multipart/form-data"} if path == "/translate_file" else {
                "application/json", "application/x-www-form-urlencoded", "multipart/form-data"
            }
            assert set(content) == kinds, path
    assert "422" not in json.dumps(spec["paths"])  # errors are 400, as LibreTranslate answers


@pytest.mark.slow
def test_the_api_keeps_its_contract_for_generated_requests(url: str) -> None:
    """schemathesis generates requests from /openapi.json: no 5xx, every answer as declared.

    Not checked: that every schema-valid request succeeds. Languages are codes the schema
    cannot list (zh-Hans, zh-CN, ...), limits are the operator's, and text whose language
    cannot be told is refused; each of those is a 400 by design."""
    api = schemathesis.openapi.from_url(url + "/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == len(EXPECTED_CODES)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_contract(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=url, timeout=30, excluded_checks=[positive_data_acceptance])

        keeps_contract()
