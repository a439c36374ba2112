"""Sentences and words for English, Chinese and Russian, offline, with exact offsets.

Summaries point back into the article, so every sentence keeps its character
offsets: ``text[s.start:s.end] == s.text``. Sentences come in order, never
overlap, are never empty, and together hold every non-whitespace character.

How a text is cut, in two passes:

1. Lines. A blank line always ends a sentence. A single line break ends one
   too (news puts a headline or a paragraph on a line of its own), unless the
   text is plainly hard-wrapped: the next line starts with a lowercase letter
   and the line before does not end with ``! ? … 。 ！ ？``, or the line before
   ends with a comma or a hyphen (`` , ， 、 - ``), whatever follows. A
   sentence that continues keeps the line break inside its text.
2. Sentences inside each run of lines, by language:

   - ``ru``: ``razdel.sentenize``, patched where it errs on news text: no break
     after an abbreviation when a digit or lowercase word follows
     ("5 дек. 2023 г.", "табл. 2"), nor after "гг." or in "долл. США"; a break
     after a list closer ("и т. д.", "и пр.") when a capital follows.
   - ``zh``: a sentence ends at 。！？ (and the half-width ``! ?``, and ``.``
     straight after a Han character, a common typing slip), together with the
     closing quotes and brackets right after it. "……" and "；" do not end a
     sentence: both pause inside one in Chinese news.
   - ``en``: a rule-based splitter (see ``_en_cuts``). A full stop after a
     known abbreviation, an initial or a dotted acronym ("Mr.", "U.S.",
     "J. K.") ends the sentence only when a capitalised function word ("The",
     "It", "In", ...) follows: "in the U.S. It took effect" is two sentences,
     "Mr. Xi" and "St. Petersburg" are one.

Words (``split_words``) are the tokens summarisation compares sentences by, in
text order, punctuation and spaces dropped, case kept.
"""

from __future__ import annotations

import functools
import re
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .languages import normalize_language
from .scripts import HAN

if TYPE_CHECKING:  # imported for real on first use: jieba loads a 20 MB dictionary
    import jieba

__all__ = ["Sentence", "joiner", "segmenter", "split_sentences", "split_words"]


@dataclass(frozen=True)
class Sentence:
    """One sentence and where it stands in the original text."""

    text: str  # as in the original, stripped of surrounding whitespace
    start: int  # character offset in the original text
    end: int  # original[start:end] == text


def split_sentences(text: str, language: str) -> list[Sentence]:
    """Cut ``text`` into sentences with exact offsets; ``[]`` for blank text.

    ``language`` is "en", "zh" or "ru" (aliases such as "zh-CN" are accepted);
    anything else raises ``UnsupportedLanguage``.
    """
    cuts_of = _CUTTERS[normalize_language(language)]
    sentences: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        previous = 0
        for cut in sorted({c for c in cuts_of(block) if 0 < c < len(block)}) + [len(block)]:
            _emit(text, block_start + previous, block_start + cut, sentences)
            previous = cut
    return sentences


def split_words(text: str, language: str) -> list[str]:
    """The words of ``text`` in order, without punctuation or whitespace, case kept."""
    language = normalize_language(language)
    if language == "en":
        return _EN_WORD.findall(text)
    if language == "ru":
        import razdel

        return [t.text for t in razdel.tokenize(text) if _has_alnum(t.text)]
    return [w for w in _jieba().cut(text, HMM=True) if _has_alnum(w)]


def joiner(language: str) -> str:
    """What goes between two sentences written one after the other: nothing in Chinese, a space otherwise."""
    return "" if normalize_language(language) == "zh" else " "


@functools.lru_cache(maxsize=None)
def segmenter(language: str) -> str:
    """What cuts ``language`` into sentences and words, with versions: for a result's signature."""
    from importlib.metadata import version

    from .._version import __version__

    rules = f"triglot {__version__}"
    language = normalize_language(language)
    if language == "ru":
        return f"{rules} razdel {version('razdel')}"
    if language == "zh":
        return f"{rules} jieba {version('jieba')}"
    return rules


# --- shared -----------------------------------------------------------------

# The same boundaries as str.splitlines, so "\u2028" or "\r" behave like "\n".
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# A line ending in one of these is finished even when the next starts lowercase.
_FINAL_MARKS = frozenset("!?…。！？")
# A line ending in one of these is unfinished whatever the next starts with.
_OPEN_ENDINGS = frozenset(",，、﹐､-‐‑")


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of runs of lines that may hold one sentence across line breaks."""
    lines: list[tuple[int, int]] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(text)))
    block_start = 0
    for (prev_start, prev_end), (line_start, line_end) in zip(lines, lines[1:]):
        before = text[prev_start:prev_end].rstrip()
        after = text[line_start:line_end].lstrip()
        if not (before and after and _continues(before[-1], after[0])):
            yield block_start, prev_end
            block_start = line_start
    yield block_start, len(text)


def _continues(last: str, first: str) -> bool:
    """Whether a line ending in ``last`` runs on into a line starting with ``first``."""
    return last in _OPEN_ENDINGS or (first.islower() and last not in _FINAL_MARKS)


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    """Append ``text[start:end]`` stripped of whitespace, unless nothing is left."""
    piece = text[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return
    start += len(piece) - len(stripped)
    stripped = stripped.rstrip()
    out.append(Sentence(stripped, start, start + len(stripped)))


def _has_alnum(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


# --- English ----------------------------------------------------------------

_EN_TERMINALS = ".!?…。！？"
_EN_CLOSERS = "\"'”’»›)]}"
_EN_OPENERS = "\"'“‘«‹([{"
# Full stops after these rarely end a sentence (compared without the stop, case kept).
_EN_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Messrs Mme Dr Prof Sen Rep Gov Gen Lt Col Capt Cmdr Adm Maj Sgt Rev Hon"
    " Pres Fr St Mt Ft Ave Rd Blvd Jr Sr Bros Inc Ltd Co Corp Plc Dept Univ Assn"
    " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
    " No Nos no vs etc approx est Fig fig Vol vol pp Ref ref Art Sec cf al".split()
)
# Words that start sentences but never continue one after an abbreviation.
_EN_STARTERS = frozenset(
    "The A An This That These Those It Its He She We They I You His Her Their Our My"
    " There Here In On At By For From With Without After Before During Since Under"
    " Over Among Between Against Despite Through Into Of To As And But Or Nor Yet So"
    " If When While Although Though Because Once Until Unless Whether Where What"
    " Which Who Whom Whose Why How However Meanwhile Moreover Furthermore"
    " Nevertheless Still Also Then Thus Therefore Instead Indeed Besides Otherwise"
    " Both Each Every All Some Many Most Much Several Few Other Another Such No Not"
    " Only Even Just Now Today Yesterday Tomorrow Earlier Later According Overall".split()
)
_DOTTED = re.compile(r"[A-Za-z](?:\.[A-Za-z])*")  # "J", "U.S", "e.g", "a.m"
_LEADING_LETTERS = re.compile(r"[A-Za-z]+")
_TOKEN = re.compile(r"\S+")
_WORD_CHAR = r"(?:[^\W_]|[\u0300-\u036f])"
_EN_WORD = re.compile(
    rf"{_WORD_CHAR}+(?:(?:['’\-‐‑]|(?<=\d)[.,](?=\d)){_WORD_CHAR}+)*"
)


def _en_cuts(block: str) -> list[int]:
    """Sentence ends in English text, one token (a run of non-spaces) at a time.

    A token ending in ``. ! ? …`` (closing quotes and brackets may follow) ends
    the sentence when the next token does not start with a lowercase letter,
    except that after an abbreviation only a capitalised function word counts.
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(block)]
    cuts: list[int] = []
    for (start, end), (next_start, next_end) in zip(tokens, tokens[1:]):
        token = block[start:end]
        unclosed = token.rstrip(_EN_CLOSERS)
        word = unclosed.rstrip(_EN_TERMINALS)
        marks = unclosed[len(word):]
        if not marks or not word:  # no mark, or a stray mark set off by spaces
            continue
        following = block[next_start:next_end]
        if following.lstrip(_EN_OPENERS)[:1].islower():  # 'said "yes." (and left)'
            continue
        if marks == "." and _is_abbreviation(word.lstrip(_EN_OPENERS)):
            if not _is_starter(following):
                continue
        cuts.append(end)
    return cuts


def _is_abbreviation(word: str) -> bool:
    return word in _EN_ABBREVIATIONS or _DOTTED.fullmatch(word) is not None


def _is_starter(token: str) -> bool:
    """Whether ``token`` is a function word that can only begin a new sentence."""
    token = token.lstrip(_EN_OPENERS)
    match = _LEADING_LETTERS.match(token)
    if match is None:
        return False
    # "A." or "I." after an initial is another initial, not an article or pronoun.
    return match.group() in _EN_STARTERS and token[match.end():match.end() + 1] != "."


# --- Chinese ----------------------------------------------------------------

_ZH_CLOSERS = "”’」』）》〉】〕〗〙〛)]}»›＂＇］｝"
_ZH_END = re.compile(
    rf"(?:[。！？!?｡]|(?<=[{HAN}])\.(?![.\d]))[。！？!?｡.]*"
    rf"(?P<close>[{re.escape(_ZH_CLOSERS)}\"']*)"
)


def _zh_cuts(block: str) -> list[int]:
    """Sentence ends in Chinese text: after each terminal mark and its closing quotes.

    A straight quote (" or ') after the mark is taken as closing only when the
    sentence so far holds an odd number of them, i.e. one is open.
    """
    cuts: list[int] = []
    previous = 0
    for match in _ZH_END.finditer(block):
        cut = match.end()
        close = match.group("close")
        for i, ch in enumerate(close):
            if ch in "\"'" and block.count(ch, previous, match.start("close") + i) % 2 == 0:
                cut = match.start("close") + i
                break
        cuts.append(cut)
        previous = cut
    return cuts


# --- Russian ----------------------------------------------------------------

# Abbreviations (lower case, no stop) that razdel sometimes takes for a
# sentence end before a digit or a lowercase word ("5 дек. 2023 г.", "табл. 2").
_RU_ABBREVIATIONS = frozenset(
    "г гг в вв др пр им ул д кв пл наб обл пос с ст стр см табл рис прим ок ч мин"
    " тыс млн млрд трлн руб коп долл проф акад зам ген янв февр мар апр авг сент"
    " окт нояб дек".split()
)
# "и т. д.", "и т.п.", "и др.", "и пр." close a list: a capital after them starts a sentence.
_RU_LIST_END = re.compile(r"(?<!\w)и\s+(?:т\.\s?[дп]|др|пр)$")
_RU_CAPITAL = re.compile(r"\s+[А-ЯЁA-Z]")


@functools.cache
def _ru_segmenter() -> Callable[[str], Iterable[Any]]:
    """razdel's sentence segmenter, with triglot's rules put before its own.

    The rules hook into razdel's ``SentSegmenter`` (read from its source): a
    patch after the fact cannot undo what razdel decides next from a wrong
    split (after "табл." it takes "2). Так." for a list item).
    """
    from razdel.rule import FunctionRule
    from razdel.segmenters.sentenize import RULES, SentSegmenter

    class Segmenter(SentSegmenter):  # type: ignore[misc]
        # razdel grows a sentence by ``buffer + delimiter + right``: quadratic in
        # its length ("т.е. " * 50_000 took seconds). Its rules read the buffer
        # only to see if it is as short as a list bullet, so a tail will do.
        def segment(self, parts: Iterator[Any]) -> Iterator[str]:
            pieces = [next(parts, "")]
            size = len(pieces[0])
            for split in parts:
                right = next(parts)
                split.buffer = _tail(pieces, size)
                if self.join(split):
                    pieces += (split.delimiter, right)
                    size += len(split.delimiter) + len(right)
                else:
                    yield "".join(pieces) + split.delimiter
                    pieces, size = [right], len(right)
            yield "".join(pieces)

    return Segmenter(rules=[FunctionRule(_ru_rule), *RULES])


def _tail(pieces: list[str], size: int, keep: int = 32) -> str:
    """The last ``keep`` or more characters of ``"".join(pieces)``, in time independent of ``size``."""
    if size <= keep:
        return "".join(pieces)
    tail: list[str] = []
    length = 0
    for piece in reversed(pieces):
        tail.append(piece[-keep:])
        length += len(tail[-1])
        if length >= keep:
            break
    return "".join(reversed(tail))


def _ru_rule(split: Any) -> object:
    """JOIN or SPLIT at a full stop razdel gets wrong in news text; None to let razdel decide."""
    from razdel.rule import JOIN, SPLIT

    if split.delimiter != ".":
        return None
    left = (split.left_token or "").lower()
    right = split.right_token or ""
    if _RU_LIST_END.search(split.left) and _RU_CAPITAL.match(split.right):
        return SPLIT
    if left == "гг" or (left == "долл" and right == "США"):
        return JOIN
    if left in _RU_ABBREVIATIONS and (right.isdigit() or right.islower()):
        return JOIN
    return None


def _ru_cuts(block: str) -> list[int]:
    """Sentence ends in Russian text: where (patched) razdel starts each sentence."""
    return [sentence.start for sentence in _ru_segmenter()(block)]


# --- jieba ------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_tokenizer: jieba.Tokenizer | None = None


def _jieba() -> jieba.Tokenizer:
    """triglot's own jieba tokenizer, its dictionary loaded once per process."""
    global _jieba_tokenizer
    if _jieba_tokenizer is not None:  # the common case needs no lock
        return _jieba_tokenizer
    with _jieba_lock:
        if _jieba_tokenizer is None:
            with warnings.catch_warnings():
                # jieba imports the deprecated pkg_resources; not ours to fix.
                warnings.filterwarnings("ignore", message=".*pkg_resources", category=UserWarning)
                warnings.filterwarnings("ignore", category=DeprecationWarning)
                import jieba
            import logging

            # jieba logs "Building prefix dict ..." to stderr at DEBUG.
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _jieba_tokenizer = tokenizer
        return _jieba_tokenizer


_CUTTERS: dict[str, Callable[[str], list[int]]] = {"en": _en_cuts, "zh": _zh_cuts, "ru": _ru_cuts}
