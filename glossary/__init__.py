"""The shipped domain glossary (data) and the code that locates it once installed."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
