"""Debian's headless Chromium for the tests that look at a page as a reader's browser does.

Tests take the ``chromium`` fixture (conftest): it skips when the browser is not
installed, unless REQUIRE_CHROMIUM=1 (CI sets it and installs chromium): then it fails.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def browse(chromium: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    command = [
        str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *arguments,
    ]
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(profile), "LANG": "C.UTF-8"}
    return subprocess.run(command, capture_output=True, timeout=180, check=False, env=environment)
