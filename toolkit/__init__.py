"""triglot: summarise news and translate summaries among English, Chinese and Russian, offline.

The public API is what ``__all__`` lists: the functions of the flow (``detect``,
``summarize``, ``translate``, ``process``, ``digest``, ``corpus``, and ``translate_file`` for
whole documents), their result types, the settings and every error. Each name is loaded from
its stage package the first time it is used (PEP 562), so ``import toolkit`` costs nothing
and loads no language data; the stage packages (``toolkit.text``, ``toolkit.detection``,
``toolkit.summarization``, ``toolkit.translation``, ``toolkit.pipeline``,
``toolkit.documents``, ``toolkit.digests``, ``toolkit.corpora``) and ``glossary`` have
the rest, each in its ``__init__``.
"""

from __future__ import annotations

from ._version import __version__

# typing.TYPE_CHECKING without importing typing (a tenth of triglot --help's start): type checkers
# read the names below; at run time __getattr__ loads them.
_TYPE_CHECKING = False
if _TYPE_CHECKING:
    from glossary import Glossary

    from .corpora import Manifest, corpus
    from .detection import Detection, detect
    from .digests import Digest, digest
    from .documents import TranslatedDocument, translate_file
    from .errors import (
        ClusterUnavailable,
        ConfigurationError,
        DataDirectoryError,
        DeadlinePassed,
        EmptyInput,
        InputError,
        InputTooLong,
        InvalidArticle,
        InvalidDocument,
        InvalidGlossary,
        InvalidModelPackage,
        InvalidOption,
        InvalidText,
        ModelDownloadFailed,
        ModelError,
        ModelIndexUnavailable,
        ModelNotAvailable,
        ModelNotInstalled,
        OutputFailed,
        StoreUnavailable,
        TranslationFailed,
        TriglotError,
        UndetectedLanguage,
        UnreadableInput,
        UnsupportedLanguage,
        WorkerLost,
    )
    from .pipeline import Processed, process
    from .settings import Settings
    from .signature import Signature
    from .summarization import Summary, SummaryOptions, SummarySentence, summarize
    from .text import Sentence
    from .translation import Translation, translate, translate_detailed

__all__ = [
    "ClusterUnavailable",
    "ConfigurationError",
    "DataDirectoryError",
    "DeadlinePassed",
    "Detection",
    "Digest",
    "EmptyInput",
    "Glossary",
    "InputError",
    "InputTooLong",
    "InvalidArticle",
    "InvalidDocument",
    "InvalidGlossary",
    "InvalidModelPackage",
    "InvalidOption",
    "InvalidText",
    "Manifest",
    "ModelDownloadFailed",
    "ModelError",
    "ModelIndexUnavailable",
    "ModelNotAvailable",
    "ModelNotInstalled",
    "OutputFailed",
    "Processed",
    "Sentence",
    "Settings",
    "Signature",
    "StoreUnavailable",
    "Summary",
    "SummaryOptions",
    "SummarySentence",
    "TranslatedDocument",
    "Translation",
    "TranslationFailed",
    "TriglotError",
    "UndetectedLanguage",
    "UnreadableInput",
    "UnsupportedLanguage",
    "WorkerLost",
    "__version__",
    "corpus",
    "detect",
    "digest",
    "process",
    "summarize",
    "translate",
    "translate_detailed",
    "translate_file",
]

# Where each public name lives; every name not listed here is an error class.
_HOMES: dict[str, str] = {
    "Manifest": "toolkit.corpora",
    "corpus": "toolkit.corpora",
    "Detection": "toolkit.detection",
    "detect": "toolkit.detection",
    "Digest": "toolkit.digests",
    "digest": "toolkit.digests",
    "Glossary": "glossary",
    "Processed": "toolkit.pipeline",
    "process": "toolkit.pipeline",
    "Sentence": "toolkit.text",
    "Settings": "toolkit.settings",
    "Signature": "toolkit.signature",
    "Summary": "toolkit.summarization",
    "SummaryOptions": "toolkit.summarization",
    "SummarySentence": "toolkit.summarization",
    "summarize": "toolkit.summarization",
    "TranslatedDocument": "toolkit.documents",
    "Translation": "toolkit.translation",
    "translate": "toolkit.translation",
    "translate_detailed": "toolkit.translation",
    "translate_file": "toolkit.documents",
}


def __getattr__(name: str) -> object:
    """Load a public name from its package on first use, and keep it here."""
    import importlib

    if name not in __all__:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES.get(name, "toolkit.errors")), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

