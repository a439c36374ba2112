"""Language detection: which of the world's languages a text is in, and whether triglot works in it."""

from .detector import Detection, detect, detect_known, detect_supported, language_of

__all__ = ["Detection", "detect", "detect_known", "detect_supported", "language_of"]
