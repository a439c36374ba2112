"""The HTML digest in a real browser: headless Chromium renders the three scripts and a sane page."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.browser import browse
from tests.test_digest import write_articles
from toolkit import Settings, digest

TITLES = (
    "Eurasian Economic Union simplifies customs for small exporters",
    "中俄中小企业用人民币结算",
    "Инициатива «Пояс и путь» открывает новые маршруты для малого бизнеса",
)


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
