"""The glossary: a domain's concepts with their preferred terms in English, Chinese and Russian,
found in a source text and enforced in its translation.

``domain.tsv`` beside this file is the shipped glossary. ``entries`` reads glossary
files, ``matching`` finds terms in text (Russian by lemma, Chinese in Traditional or
full-width writing too), ``enforce`` holds the ``Glossary`` that merges files, finds
terms and puts the preferred ones into a translation, and ``russian`` writes a Russian
term in the case and number the sentence needs. It builds on toolkit's text layer and
error tree; toolkit's translation stage uses it.
"""

from .entries import COLUMNS, Entry, parse_glossary, read_glossary
from .enforce import FixResult, Glossary, Match, TermReport, conflicts, merge_reports, resolve

__all__ = [
    "COLUMNS",
    "Entry",
    "FixResult",
    "Glossary",
    "Match",
    "TermReport",
    "conflicts",
    "merge_reports",
    "parse_glossary",
    "read_glossary",
    "resolve",
]
