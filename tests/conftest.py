"""Shared fixtures: every test runs with a clean TRIGLOT_* environment and its own home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No TRIGLOT_* variable leaks in from the developer's shell; TRIGLOT_HOME is a fresh folder."""
    for name in list(os.environ):
        if name.startswith("TRIGLOT_"):
            monkeypatch.delenv(name)
    home = tmp_path / "triglot-home"
    monkeypatch.setenv("TRIGLOT_HOME", str(home))
    yield home
