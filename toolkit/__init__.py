"""triglot: summarise news and translate summaries among English, Chinese and Russian."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
