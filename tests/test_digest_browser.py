"""The HTML digest in a real browser: headless Chromium renders the three scripts and a sane page.

Skips when Debian's chromium is not installed, unless REQUIRE_CHROMIUM=1 (CI sets it
and installs chromium), in which case a missing browser is a failure.
"""

from __future__ import annotations

import os
import struct
import subprocess
from pathlib import Path

import pytest

from tests.test_digest import write_articles
from toolkit import Settings, digest

CHROMIUM = Path("/usr/bin/chromium")
TITLES = (
    "Eurasian Economic Union simplifies customs for small exporters",
    "中俄中小企业用人民币结算",
    "Инициатива «Пояс и путь» открывает новые маршруты для малого бизнеса",
)


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"REQUIRE_CHROMIUM=1 but {CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); set REQUIRE_CHROMIUM=1 to require it")
    return CHROMIUM


def browse(chromium: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    command = [
        str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *arguments,
    ]
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(profile), "LANG": "C.UTF-8"}
    return subprocess.run(command, capture_output=True, timeout=180, check=False, env=environment)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.slow
def test_chromium_renders_the_digest_in_three_scripts(chromium: Path, with_models: Settings, tmp_path: Path) -> None:
    page = tmp_path / "digest.html"
    page.write_text(digest([write_articles(tmp_path / "in")], settings=with_models).render("html"), encoding="utf-8")

    dom = browse(chromium, tmp_path / "profile-dom", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    rendered = dom.stdout.decode("utf-8")
    for title in TITLES:
        assert title in rendered
    assert "欧亚经济联盟" in rendered and "Евразийский экономический союз" in rendered

    shot = tmp_path / "shot.png"
    taken = browse(chromium, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=800,2000",
                   page.as_uri())
    assert taken.returncode == 0 and shot.exists(), taken.stderr.decode(errors="replace")[-2000:]
    width, height = png_size(shot)
    assert (width, height) == (800, 2000)
    assert shot.stat().st_size > 10_000  # a blank page compresses to a few hundred bytes
