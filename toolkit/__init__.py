"""triglot: summarise news and translate summaries among English, Chinese and Russian, offline.

The public API is what ``__all__`` lists; every other module is private to the
package. Nothing is loaded at import time: language data is read on first use.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

from .detect import Detection, detect  # noqa: E402
from .digest import Digest, digest  # noqa: E402
from .errors import TriglotError  # noqa: E402
from .glossary import Glossary  # noqa: E402
from .pipeline import Processed, process  # noqa: E402
from .segment import Sentence  # noqa: E402
from .settings import Settings  # noqa: E402
from .summarize import Summary, SummarySentence, summarize  # noqa: E402
from .translate import Translation, translate, translate_detailed  # noqa: E402

__all__ = [
    "Detection",
    "Digest",
    "Glossary",
    "Processed",
    "Sentence",
    "Settings",
    "Summary",
    "SummarySentence",
    "Translation",
    "TriglotError",
    "__version__",
    "detect",
    "digest",
    "process",
    "summarize",
    "translate",
    "translate_detailed",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
