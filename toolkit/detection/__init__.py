"""Language detection: which of the world's languages a text is in, and whether triglot works in it."""

from .detector import MAX_CANDIDATES, UNDETERMINED, Detection, candidates, detect, detect_known, detect_supported, language_of

__all__ = [
    "MAX_CANDIDATES",
    "UNDETERMINED",
    "Detection",
    "candidates",
    "detect",
    "detect_known",
    "detect_supported",
    "language_of",
]
