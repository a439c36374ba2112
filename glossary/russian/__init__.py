"""Russian morphology for the glossary: find terms by lemma, and write them in the case and number
the sentence needs.

``morphology`` is pymorphy3 (readings of a word, the case a phrase stands in);
``government`` says which case the words before a phrase call for; ``inflection``
reads a glossary term and puts it into a case and number.
"""

from .government import governed_form
from .inflection import Token, form_of, inflect_term, lemma_choices, term_lemmas, tokenize
from .morphology import CASES

__all__ = ["CASES", "Token", "form_of", "governed_form", "inflect_term", "lemma_choices", "term_lemmas", "tokenize"]
