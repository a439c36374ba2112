"""``python -m tests.argos_packages --out DIR [--version V]``: build the tiny packages."""

from __future__ import annotations

import sys

from tests.argos_packages.cli import main

if __name__ == "__main__":
    sys.exit(main())
