"""The digest: a newsletter section from a pile of articles, every one summarised in its own language
and translated into the others, as an email-fit HTML page, Markdown or JSON.

``build`` makes a ``Digest`` (``model``) from files and folders through the pipeline;
``render`` turns its JSON document into any format, through the shipped ``templates/``
or a user's; ``digest.schema.json`` describes every field of the JSON.
"""

from .build import SORTS, digest, newsletter_block
from .model import Digest, DigestArticle
from .render import FORMATS, SCHEMA, render

__all__ = [
    "FORMATS",
    "SCHEMA",
    "SORTS",
    "Digest",
    "DigestArticle",
    "digest",
    "newsletter_block",
    "render",
]
