"""sumy as a user would run it without triglot: given sentences, a plain regex word splitter,
sumy's own (NLTK Snowball) stemmer and stop words. The baseline triglot is compared with.

sumy's bundled English tokenizer needs NLTK's punkt data, which cannot be downloaded
here, so the words come from sumy's own word pattern over a whitespace/punctuation split.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Any

from toolkit.summarization import SUMY_ALGORITHMS

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*")
_LANGUAGE = {"en": "english", "ru": "russian", "zh": "chinese"}


class _PlainWords:
    language = "english"

    def to_words(self, text: str) -> list[str]:
        return _WORD.findall(text)


def document(sentences: Sequence[str]) -> Any:
    """A sumy document with one paragraph holding the given sentences."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    words = _PlainWords()
    return ObjectDocumentModel([Paragraph([Sentence(s, words) for s in sentences])])


def summarizer(algorithm: str, language: str = "en") -> Any:
    """sumy's summarizer with its own stemmer and stop words, as its README shows."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    module_name, class_name = SUMY_ALGORITHMS[algorithm]
    cls = getattr(importlib.import_module(module_name), class_name)
    instance = cls(Stemmer(_LANGUAGE[language]))
    stop_words = get_stop_words(_LANGUAGE[language])
    if algorithm == "edmundson":
        instance = cls(Stemmer(_LANGUAGE[language]), cue_weight=0.0, key_weight=0.0)
        instance.null_words = stop_words
    else:
        instance.stop_words = stop_words
    return instance


def summarize_lines(sentences: Sequence[str], k: int, algorithm: str) -> list[str]:
    """The k sentences sumy picks, in document order."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        picked = summarizer(algorithm)(document(sentences), k)
    return [str(s) for s in picked]
