"""The text layer: language codes, writing systems, reading and writing files, sentences and words.

Everything above it (detection, the glossary, summarisation, translation) reads text
through these names; this layer imports nothing of triglot but its errors and version.
"""

from .files import decode, open_regular, process_running, read_bytes, read_text, write_atomically, write_bytes_atomically
from .languages import AUTO, NAMES, SUPPORTED, normalize_language, normalize_targets, source_language
from .scripts import HAN, one_line, simplified_converter, to_simplified
from .segment import Sentence, joiner, segmenter, split_sentences, split_words

__all__ = [
    "AUTO",
    "HAN",
    "NAMES",
    "SUPPORTED",
    "Sentence",
    "decode",
    "joiner",
    "normalize_language",
    "normalize_targets",
    "one_line",
    "process_running",
    "open_regular",
    "read_bytes",
    "read_text",
    "segmenter",
    "simplified_converter",
    "source_language",
    "split_sentences",
    "split_words",
    "to_simplified",
    "write_atomically",
    "write_bytes_atomically",
]
