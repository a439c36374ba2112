"""Translation: texts among English, Chinese and Russian on installed Argos Translate packages.

``api`` is the stage's front (``translate``, ``translate_detailed``); ``plain`` and
``markup`` turn texts and HTML documents into jobs for the batching core
(``batching``), with the glossary's terms (``terms``) and alternatives
(``alternatives``) in the same batches; ``routing`` says which packages lead from one
language to another; ``engine`` runs CTranslate2 within the caller's ``budget``
(tokens, deadline), concurrent callers sharing its batches (``gathering``), which a
``BatchObserver`` (``observer``) hears about; ``cache`` keeps translated sentences (in
SQLite, or in Redis with ``redis_cache``; ``caches.cache_for`` picks), ``packages``
installs, lists and removes the packages.
"""

from .alternatives import MAX_ALTERNATIVES
from .api import FORMATS, translate, translate_detailed, translate_documents
from .batching import Translation
from .budget import Budget, spending
from .cache import Cache, CacheStats, TranslationCache, open_cache
from .caches import cache_for, new_cache
from .engine import CTranslate2Engine, DecodingOptions, Engine, NBestEngine, engine_for
from .gathering import finish_running_batches
from .markup import Document, TextNode, merge_markup
from .markup import parse as parse_html
from .observer import BatchObserver
from .packages import (
    ALL_DIRECTIONS,
    InstalledModel,
    fetch_index,
    find_model,
    install_from_file,
    install_from_index,
    list_models,
    remove_model,
)
from .routing import reachable, route

__all__ = [
    "ALL_DIRECTIONS",
    "FORMATS",
    "MAX_ALTERNATIVES",
    "BatchObserver",
    "Budget",
    "CTranslate2Engine",
    "Cache",
    "CacheStats",
    "DecodingOptions",
    "Document",
    "Engine",
    "InstalledModel",
    "NBestEngine",
    "TextNode",
    "Translation",
    "TranslationCache",
    "cache_for",
    "engine_for",
    "fetch_index",
    "finish_running_batches",
    "find_model",
    "install_from_file",
    "install_from_index",
    "list_models",
    "merge_markup",
    "new_cache",
    "open_cache",
    "parse_html",
    "reachable",
    "remove_model",
    "route",
    "spending",
    "translate",
    "translate_detailed",
    "translate_documents",
]
