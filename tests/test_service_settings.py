"""The service's settings (TRIGLOT_* variables, finite defaults) and the serve command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from service import ServiceSettings, hash_key, library_settings_for, uvicorn_options
from service.config import (
    DEFAULT_KEEP_FILES_MINUTES,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MAX_FILE_CHARS,
    DEFAULT_MAX_TEXT_CHARS,
)
from tests.service_server import _wait_for, free_port, library_settings
from toolkit.cli import main
from toolkit.errors import ConfigurationError


def test_defaults_are_finite_and_bind_loopback() -> None:
    settings = ServiceSettings.from_env({})
    assert (settings.host, settings.port) == ("127.0.0.1", 5000)
    assert settings.max_body_bytes == DEFAULT_MAX_BODY_BYTES == 256 * 1024
    assert settings.max_text_chars == DEFAULT_MAX_TEXT_CHARS
    assert settings.api_keys == () and settings.cors_origins == ()
    assert 0 < settings.slot_wait < float("inf") and 0 < settings.deadline < float("inf")
    assert (settings.max_file_bytes, settings.max_file_chars) == (DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILE_CHARS)
    assert settings.keep_files_minutes == DEFAULT_KEEP_FILES_MINUTES == 30


def test_variables_are_read_with_the_same_parser_as_the_library_settings() -> None:
    digest = hash_key("k")
    settings = ServiceSettings.from_env(
        {
            "TRIGLOT_MAX_BATCH": "5",
            "TRIGLOT_DEADLINE": "2.5",
            "TRIGLOT_API_KEYS": f" {digest} ,",
            "TRIGLOT_API_KEY_REQUIRED": "no",
            "TRIGLOT_CORS_ORIGINS": "https://a.example, https://b.example",
            "TRIGLOT_PRELOAD": "en,zh-Hans",
        }
    )
    assert (settings.max_batch, settings.deadline, settings.api_keys) == (5, 2.5, (digest,))
    assert settings.api_key_required is False
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.preload == ("en", "zh-Hans")


def test_settings_travel_to_workers_through_the_environment() -> None:
    settings = ServiceSettings(port=8080, preload=("en", "ru"), api_keys=(hash_key("k"),), api_key_required=False)
    assert ServiceSettings.from_env(settings.to_env()) == settings


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({"TRIGLOT_MAX_BATCH": "0"}, "TRIGLOT_MAX_BATCH must be at least 1"),
        ({"TRIGLOT_MAX_TEXT_CHARS": "many"}, "TRIGLOT_MAX_TEXT_CHARS must be a whole number"),
        ({"TRIGLOT_DEADLINE": "0"}, "TRIGLOT_DEADLINE must be above 0"),
        ({"TRIGLOT_API_KEYS": "my-secret-key"}, "SHA-256 hex digests"),
        ({"TRIGLOT_PRELOAD": "de"}, "TRIGLOT_PRELOAD: unsupported language 'de'"),
        ({"TRIGLOT_API_KEY_REQUIRED": "maybe"}, "must be 1 or 0"),
        ({"TRIGLOT_MAX_FILE_BYTES": "0"}, "TRIGLOT_MAX_FILE_BYTES must be at least 1"),
        ({"TRIGLOT_MAX_FILE_CHARS": "0"}, "TRIGLOT_MAX_FILE_CHARS must be at least 1"),
        ({"TRIGLOT_KEEP_FILES_MINUTES": "0"}, "TRIGLOT_KEEP_FILES_MINUTES must be above 0"),
        ({"TRIGLOT_KEEP_FILES_MINUTES": "soon"}, "TRIGLOT_KEEP_FILES_MINUTES must be a number"),
        ({"TRIGLOT_FILE_TRANSLATION": "maybe"}, "must be 1 or 0"),
    ],
)
def test_bad_values_name_the_variable(environ: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigurationError, match=words):
        ServiceSettings.from_env(environ)


def test_a_raw_key_in_api_keys_is_not_echoed() -> None:
    with pytest.raises(ConfigurationError) as error:
        ServiceSettings.from_env({"TRIGLOT_API_KEYS": "my-secret-key"})
    assert "my-secret-key" not in str(error.value)


def test_hash_key_prints_the_digest_api_keys_takes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret\n"))
    assert main(["serve", "--hash-key"]) == 0
    assert capsys.readouterr().out.strip() == hash_key("s3cret") == ServiceSettings(api_keys=(hash_key("s3cret"),)).api_keys[0]


def test_hash_key_without_a_key_is_an_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["serve", "--hash-key"]) == 1
    assert "give the key on standard input" in capsys.readouterr().err



@pytest.mark.parametrize(
    ("workers", "environ", "threads", "per_package", "at_once"),
    [
        (1, {}, 1, 4, 4),  # a thread a batch, a batch per core, all of them for one package if need be
        (2, {}, 1, 2, 2),  # the workers split the cores
        (3, {}, 1, 1, 1),
        (8, {}, 1, 1, 1),
        (1, {"TRIGLOT_INTRA_THREADS": "2"}, 2, 2, 2),
        (2, {"TRIGLOT_INTRA_THREADS": "0"}, 0, 1, 1),
        (2, {"TRIGLOT_CONCURRENT_BATCHES": "3"}, 1, 2, 3),
        (1, {"TRIGLOT_INTER_THREADS": "1"}, 1, 1, 4),
    ],
)
def test_a_server_runs_a_thread_per_batch_and_its_workers_share_the_cores_unless_told_otherwise(
    workers: int, environ: dict[str, str], threads: int, per_package: int, at_once: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import toolkit.settings

    monkeypatch.setattr(toolkit.settings, "available_cores", lambda: 4)
    library = library_settings_for(ServiceSettings(workers=workers), environ)
    assert (library.intra_threads, library.inter_threads, library.batches_at_once) == (threads, per_package, at_once)


def test_serve_with_one_worker_runs_the_app_it_built(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    monkeypatch.setenv("TRIGLOT_MAX_BATCH", "7")
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--preload", "en,ru"]) == 0
    ((app, options),) = calls
    state = app.state.service  # type: ignore[attr-defined]
    assert options == {"host": "0.0.0.0", "port": 8123, **uvicorn_options(state.settings)}
    assert state.settings.max_batch == 7 and state.settings.preload == ("en", "ru")
    assert state.library.intra_threads == 1  # a server's threading (library_settings_for)


@pytest.mark.slow
def test_triglot_serve_with_workers_passes_its_settings_through_the_environment(
    tiny_packages: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    workers = 2
    from libretranslatepy import LibreTranslateAPI

    home = tmp_path / "home"
    library_settings(home, tiny_packages)
    port = free_port()
    env = {**os.environ, "TRIGLOT_HOME": str(home), "TRIGLOT_MAX_BATCH": "7"}
    command = [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(url + "/ready")
        assert LibreTranslateAPI(url).translate("Trade with the EAEU grew.", "en", "ru").startswith("Trade with the")
        too_many = httpx.post(url + "/translate", json={"q": ["a"] * 8, "source": "en", "target": "zh"})
        assert "at most 7 per request" in too_many.json()["error"]  # the workers read the environment
    finally:
        server.terminate()
        server.wait(timeout=30)
