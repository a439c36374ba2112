"""Shared fixtures: every test runs with a clean TRIGLOT_* environment and its own home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import CHROMIUM
from tests.redis_server import REDIS_SERVER, RedisServer
from toolkit import Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No TRIGLOT_* variable leaks in from the developer's shell; TRIGLOT_HOME is a fresh folder."""
    for name in list(os.environ):
        if name.startswith("TRIGLOT_"):
            monkeypatch.delenv(name)
    home = tmp_path / "triglot-home"
    monkeypatch.setenv("TRIGLOT_HOME", str(home))
    yield home


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The tiny en↔zh and en↔ru .argosmodel packages (models that copy their input), built once.

    Built by ``tests/argos_packages``, imported here rather than at the top so that a run
    using no model never loads the builder (nor CTranslate2 through it).
    """
    from tests.argos_packages import build_tiny_packages

    return build_tiny_packages(tmp_path_factory.mktemp("tiny-packages"))


@pytest.fixture
def with_models(tiny_packages: dict[tuple[str, str], Path], clean_environment: Path) -> Settings:
    """Settings whose TRIGLOT_HOME has the four tiny packages installed (a fresh copy per test)."""
    from toolkit.translation import install_from_file

    settings = Settings.from_env()
    for archive in tiny_packages.values():
        install_from_file(archive, settings)
    return settings


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium (tests.browser), or a skip; a failure under REQUIRE_CHROMIUM=1. Session-wide,
    so that a module can start one browser for all its tests."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"REQUIRE_CHROMIUM=1 but {CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); set REQUIRE_CHROMIUM=1 to require it")
    return CHROMIUM


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server (Debian's) on a free loopback port, stopped after the test; a skip when it is
    not installed, a failure under REQUIRE_REDIS=1."""
    if not Path(REDIS_SERVER).exists():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but {REDIS_SERVER} is missing; install Debian's redis-server package")
        pytest.skip("redis-server is not installed (apt-get install redis-server); set REQUIRE_REDIS=1 to require it")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
