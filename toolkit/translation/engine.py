"""The translation engine: CTranslate2 over an installed Argos package's model and tokenizer.

Each package is loaded once per process and shared by every thread (CTranslate2
translators are thread-safe). Sentences arrive already split by triglot, so
nothing is downloaded or split here; a whole request's sentences come in one call
per package and go, shortest first, into the package's shared batches of at most
``max_batch_size`` pieces (``gathering``): concurrent callers, a server's requests,
share them. Each batch's decoding length follows its input. A caller's ``Budget``
(if any) holds throughout: a request past its deadline stops, its pieces not
translated. An engine may also rank several translations of each sentence
(``NBestEngine``), which is where alternative translations come from.
"""

from __future__ import annotations

import functools
import html
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, Protocol, runtime_checkable

from ..errors import InputTooLong, TranslationFailed
from ..settings import Settings
from .budget import Budget, current_budget
from .gathering import BatchQueue, Turns
from .observer import BatchObserver
from .packages import InstalledModel

# Argos Translate decodes with these; keeping them gives the same output for the same package.
LENGTH_PENALTY = 0.2
MAX_DECODING_LENGTH = 256
# Decoding steps follow the input: a translation runs at most this many times the
# tokens of its piece, plus a few. No real translation comes near it; a model that
# degenerates on noise (emoji, one word over and over) would otherwise decode all
# 256 steps for every short piece, the costliest thing a client can ask for.
DECODING_RATIO = 2
DECODING_SLACK = 16
# Tokens in one engine batch (besides ``max_batch_size`` pieces): prose never reaches
# it, and a batch of long pieces stays short enough that a deadline stops work soon.
BATCH_TOKENS = 2048
# Vocabulary entries that are not text: a hypothesis holding one is decoding noise.
_SPECIAL_TOKENS = frozenset({"<blank>", "<s>", "</s>", "<unk>"})


@dataclass(frozen=True)
class DecodingOptions:
    """What, besides the package and the sentence, decides a translation."""

    beam_size: int
    compute_type: str
    max_sentence_tokens: int
    length_penalty: float = LENGTH_PENALTY
    max_decoding_length: int = MAX_DECODING_LENGTH
    decoding_ratio: int = DECODING_RATIO
    decoding_slack: int = DECODING_SLACK

    @classmethod
    def from_settings(cls, settings: Settings) -> DecodingOptions:
        return cls(settings.beam_size, settings.compute_type, settings.max_sentence_tokens)

    def key(self) -> str:
        """The options as the translation cache keys its entries: change it and every entry is stale."""
        return (
            f"beam {self.beam_size}|{self.compute_type}|lp {self.length_penalty}|"
            f"max {self.max_decoding_length}|steps {self.decoding_ratio}x+{self.decoding_slack}|"
            f"piece {self.max_sentence_tokens}"
        )

    def decoding_steps(self, longest: int) -> int:
        """The decoding length for a batch whose longest piece has ``longest`` tokens."""
        return min(self.max_decoding_length, self.decoding_ratio * longest + self.decoding_slack)

    def describe(self) -> str:
        """The options as a signature names them."""
        return self.key().replace("|", ", ")


class Engine(Protocol):
    """Translates sentences with one package; a test can put a fake in its place."""

    options: DecodingOptions

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]: ...

    def name(self) -> str: ...


@runtime_checkable
class NBestEngine(Engine, Protocol):
    """An engine that can also rank several translations of a sentence; engines without it give no alternatives."""

    def translate_nbest(self, model: InstalledModel, sentences: Sequence[str], count: int) -> list[list[str]]:
        """Up to ``count`` distinct translations of each sentence, best first; never fewer than one."""
        ...


@dataclass
class _Loaded:
    translator: Any
    tokenizer: Any


class CTranslate2Engine:
    """CTranslate2 on the CPU, every package loaded once and kept."""

    def __init__(self, settings: Settings) -> None:
        self.options = DecodingOptions.from_settings(settings)
        self._threads = (settings.inter_threads, settings.intra_threads)
        self._max_batch_size = settings.max_batch_size
        self._max_pieces = settings.max_sentence_pieces
        self._window = settings.batch_window_ms / 1000
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._queues: dict[tuple[str, str, int], BatchQueue] = {}
        self._turns = Turns(settings.batches_at_once)  # shared by every package's queue
        self.observer: BatchObserver | None = None  # told about each shared batch (the service's metrics)
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def name(self) -> str:
        return _name()

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        """Translate every sentence with ``model`` in one batch; output order follows input order."""
        return [ranked[0] for ranked in self._decode(model, sentences, 1)]

    def translate_nbest(self, model: InstalledModel, sentences: Sequence[str], count: int) -> list[list[str]]:
        """Up to ``count`` distinct translations of each sentence, best first, from one batch.

        The beam is widened to ``count`` where it is narrower (CTranslate2 cannot return
        more hypotheses than it keeps), so the first may differ from ``translate``'s.
        Hypotheses that are decoding noise (a special token, a control character the
        sentence does not have) are left out; the first is always kept.
        """
        return self._decode(model, sentences, max(count, 1))

    def _decode(self, model: InstalledModel, sentences: Sequence[str], count: int) -> list[list[str]]:
        if not sentences:
            return []
        loaded = self._load(model)
        pieces, owners = self._encode(loaded, sentences)
        budget = current_budget()
        if budget is not None:
            budget.charge(sum(len(piece) for piece in pieces))
        results = self._run_batches(loaded, model, pieces, count, budget)
        # A sentence sent in parts comes back as one: its parts' pieces are decoded
        # together, so SentencePiece puts the spaces where they belong.
        parts: list[list[list[list[str]]]] = [[] for _ in sentences]  # sentence → part → hypothesis → tokens
        for owner, result in zip(owners, results):
            hypotheses = []
            for tokens in result.hypotheses:
                if model.target_prefix and tokens[:1] == [model.target_prefix]:
                    tokens = tokens[1:]
                hypotheses.append(tokens)
            parts[owner].append(hypotheses)
        ranked: list[list[str]] = []
        for sentence, sentence_parts in zip(sentences, parts):
            texts: list[str] = []
            for rank in range(max(len(part) for part in sentence_parts)):
                # Hypothesis ``rank`` of a sentence: that of each part, the part's best where it has fewer.
                tokens = [token for part in sentence_parts for token in part[rank if rank < len(part) else 0]]
                text = _clean(loaded.tokenizer.decode_pieces(tokens))
                if rank == 0 or not _noise(tokens, text, sentence):
                    texts.append(text)
            ranked.append(list(dict.fromkeys(texts)))
        return ranked

    def _run_batches(
        self, loaded: _Loaded, model: InstalledModel, pieces: list[list[str]], count: int, budget: Budget | None
    ) -> list[Any]:
        """Every piece through CTranslate2, shortest first, in the package's shared batches (``gathering``):
        concurrent callers' pieces share them, and the budget's deadline holds while they wait."""
        order = sorted(range(len(pieces)), key=lambda index: len(pieces[index]))
        return self._queue(loaded, model, count).translate(pieces, order, budget)

    def _translate_batch(self, loaded: _Loaded, model: InstalledModel, count: int, batch: list[list[str]]) -> list[Any]:
        """One CTranslate2 batch; its decoding length follows its longest piece."""
        prefix = [[model.target_prefix]] * len(batch) if model.target_prefix else None
        try:
            return list(
                loaded.translator.translate_batch(
                    batch,
                    target_prefix=prefix,
                    beam_size=max(self.options.beam_size, count),
                    num_hypotheses=count,
                    length_penalty=self.options.length_penalty,
                    max_decoding_length=self.options.decoding_steps(max(len(piece) for piece in batch)),
                    max_batch_size=self._max_batch_size,
                    replace_unknowns=True,
                )
            )
        except (RuntimeError, ValueError) as error:
            raise _failed(model, error) from None

    def _queue(self, loaded: _Loaded, model: InstalledModel, count: int) -> BatchQueue:
        key = (str(model.path), model.fingerprint, count)
        with self._guard:
            queue = self._queues.get(key)
            if queue is None:
                queue = self._queues[key] = BatchQueue(
                    f"{model.source}→{model.target}",
                    functools.partial(self._translate_batch, loaded, model, count),
                    max_pieces=self._max_batch_size,
                    max_tokens=BATCH_TOKENS,
                    window=self._window,
                    # CTranslate2 runs ``inter_threads`` batches at once: as many runners.
                    max_runners=self._threads[0],
                    turns=self._turns,
                    observer=lambda: self.observer,
                )
            return queue

    def _encode(self, loaded: _Loaded, sentences: Sequence[str]) -> tuple[list[list[str]], list[int]]:
        """Pieces per batch entry and the sentence each entry belongs to; long sentences go in parts,
        and one that needs more than ``max_sentence_pieces`` is refused before anything is translated."""
        limit = self.options.max_sentence_tokens
        pieces: list[list[str]] = []
        owners: list[int] = []
        for index, sentence in enumerate(sentences):
            tokens = loaded.tokenizer.encode(sentence, out_type=str)
            if len(tokens) > limit * self._max_pieces:
                raise InputTooLong(
                    f"a sentence of {len(tokens)} tokens is too long to translate: at most {self._max_pieces} "
                    f"pieces of {limit} tokens (TRIGLOT_MAX_SENTENCE_PIECES); break it into sentences",
                    limit=limit * self._max_pieces,
                    actual=len(tokens),
                )
            for start in range(0, max(len(tokens), 1), limit):
                pieces.append(tokens[start : start + limit])
                owners.append(index)
        return pieces, owners

    def _load(self, model: InstalledModel) -> _Loaded:
        key = (str(model.path), model.fingerprint)
        loaded = self._loaded.get(key)
        if loaded is not None:
            return loaded
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one load per package, whichever thread comes first
            loaded = self._loaded.get(key)
            if loaded is None:
                loaded = self._loaded[key] = self._open(model)
        return loaded

    def _open(self, model: InstalledModel) -> _Loaded:
        import ctranslate2
        import sentencepiece

        inter, intra = self._threads
        try:
            translator = ctranslate2.Translator(
                str(model.path / "model"),
                device="cpu",
                compute_type=self.options.compute_type,
                inter_threads=inter,
                intra_threads=intra,
            )
            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
        except Exception as error:  # noqa: BLE001 - CTranslate2 raises IndexError too (a zeroed model.bin)
            raise _failed(model, error) from None
        return _Loaded(translator, tokenizer)


@functools.lru_cache(maxsize=1)
def _name() -> str:
    return f"ctranslate2 {version('ctranslate2')}"  # from the installed metadata, without importing it


def _clean(text: str) -> str:
    # The public models learned from web text and emit &quot; and friends.
    return html.unescape(text).strip()


def _noise(tokens: Sequence[str], text: str, sentence: str) -> bool:
    """A hypothesis no reader should see: it holds a special token or a control character the source lacks."""
    if any(token in _SPECIAL_TOKENS for token in tokens):
        return True
    return any(unicodedata.category(char) == "Cc" and char not in sentence for char in text)


def _failed(model: InstalledModel, error: Exception) -> TranslationFailed:
    return TranslationFailed(
        f"the {model.source}→{model.target} package at {model.path} failed ({error}); "
        f"reinstall it: 'triglot models install {model.source} {model.target}'"
    )


_engines: dict[tuple[Any, ...], CTranslate2Engine] = {}
_engines_lock = threading.Lock()


def engine_for(settings: Settings) -> CTranslate2Engine:
    """The process's engine for these settings: loaded packages are shared by every call."""
    key = (
        settings.beam_size,
        settings.compute_type,
        settings.inter_threads,
        settings.intra_threads,
        settings.batches_at_once,
        settings.max_batch_size,
        settings.max_sentence_tokens,
        settings.max_sentence_pieces,
        settings.batch_window_ms,
    )
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = CTranslate2Engine(settings)
        return engine

