"""The domain glossary: load and merge glossary files, find terms, enforce them in translations.

Enforcement post-edits the engine's output, whatever the engine did with markup:
for every concept found in the source, the translation is searched for the
preferred target term (in any inflected form: then it is ``ok``), for one of the
concept's variants or for the engine's own rendering of the source term (then
that occurrence is replaced by the preferred term, in Russian in the case and
number the sentence needs: ``fixed``); if none is there the term is ``missing``.
Fixing a fixed text changes nothing; a text without the source term is left alone.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from toolkit.settings import Settings
from toolkit.text import normalize_language

from .entries import Entry, read_glossary
from .matching import Found, Spans, TermMatcher, fold_form, matcher_for

SHIPPED = "domain.tsv"
STATUSES = ("ok", "fixed", "missing")
# A mark that ends a sentence, and what may close around it: the next word starts a sentence.
_SENTENCE_END = ".!?…。！？\n"
_SENTENCE_CLOSERS = "\"'”’»)]"
# Quotation marks: each opening mark and the marks that may close it.
_QUOTES = {"«": "»", "“": "”", "„": "“”", '"': '"'}
# How far back to look for the preposition that governs a Russian replacement.
_GOVERNING_CONTEXT = 40


@dataclass(frozen=True)
class Match:
    """One occurrence of a glossary concept in a text."""

    id: str
    start: int
    end: int
    text: str  # as it stands in the text
    term: str  # the glossary form it matched
    preferred: bool  # whether that form is the preferred term


@dataclass(frozen=True)
class TermReport:
    """What happened to one source term in one translation."""

    id: str
    source: str  # the form found in the source
    expected: str  # the preferred target term
    status: str  # ok | fixed | missing

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "source": self.source, "expected": self.expected, "status": self.status}


@dataclass(frozen=True)
class FixResult:
    text: str
    terms: tuple[TermReport, ...]

    @property
    def all_preferred(self) -> bool:
        """Every term was already rendered as preferred (what ``glossary check`` asks)."""
        return all(term.status == "ok" for term in self.terms)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of a fix, shared by ``triglot glossary fix --jsonl`` and the service."""
        return {"fixed": self.text, "terms": [term.to_dict() for term in self.terms]}


class Glossary:
    """An ordered set of concepts; later files override earlier ones by id or preferred term."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._by_id = {entry.id: entry for entry in self.entries}
        self._matchers: dict[str, TermMatcher] = {}
        self._lock = threading.Lock()

    @classmethod
    def in_use(cls, settings: Settings) -> Glossary:
        """The glossary ``settings`` name: the shipped one (``default_glossary``) with ``glossary``'s files over it."""
        return cls.load(settings.glossary, default=settings.default_glossary)

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), *, default: bool = True) -> Glossary:
        """The shipped glossary (unless ``default`` is False) with the files in ``paths`` merged over it."""
        key = (tuple((str(p), _mtime(p)) for p in paths), default)
        with _loaded_lock:
            cached = _loaded.get(key)
        if cached is not None:
            return cached
        layers: list[list[Entry]] = [shipped_entries()] if default else []
        layers += [read_glossary(Path(p)) for p in paths]
        glossary = cls(merge(layers))
        with _loaded_lock:
            _loaded[key] = glossary
        return glossary

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        """The concept with this id, if the glossary has it."""
        return self._by_id.get(entry_id)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of every concept's terms and variants: what a signature names this glossary by."""
        content = json.dumps([entry.to_dict() for entry in self.entries], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]

    def find(self, text: str, language: str) -> list[Match]:
        """Every occurrence of a glossary term in ``text``, in order, the longest where two overlap."""
        language = normalize_language(language)
        found = self._matcher(language).find(text)
        return [self._match(f, text, language) for f in found]

    def fix(
        self,
        source: str,
        translation: str,
        source_language: str,
        target_language: str,
        *,
        renderings: Mapping[str, Sequence[str]] | None = None,
        source_terms: Sequence[Match] | None = None,
    ) -> FixResult:
        """Put the preferred target term in ``translation`` for every term found in ``source``.

        ``renderings`` maps a concept id to how the engine translates its source form
        on its own; occurrences of those are replaced too. ``source_terms``: what
        ``find(source, source_language)`` gave, when the caller has it already.
        """
        source_language = normalize_language(source_language)
        target_language = normalize_language(target_language)
        if source_terms is None:
            source_terms = self.find(source, source_language)
        wanted: dict[str, str] = {}
        for match in source_terms:
            entry = self._by_id[match.id]
            if entry.preferred(target_language) and match.id not in wanted:
                wanted[match.id] = match.text
        if not wanted:
            return FixResult(translation, ())
        forms = [(key, form) for key in wanted for form in self._by_id[key].forms(target_language)]
        extra = [(key, form.strip()) for key, more in (renderings or {}).items() if key in wanted for form in more]
        extra = [(key, form) for key, form in extra if form]
        occurrences = matcher_for(target_language, forms + extra).find(translation)
        occurrences += _literal(translation, extra, occurrences)
        statuses = {key: "missing" for key in wanted}
        edits: list[tuple[int, int, str]] = []
        for found in occurrences:
            preferred = self._by_id[found.key].preferred(target_language) or ""
            if found.form == preferred:
                statuses[found.key] = "fixed" if statuses[found.key] == "fixed" else "ok"
                continue
            statuses[found.key] = "fixed"
            edits.append((found.start, found.end, _render(preferred, translation, found, target_language)))
        pieces: list[str] = []
        done = 0
        for start, end, replacement in sorted(edits):  # one join: splicing edit by edit is quadratic
            pieces += (translation[done:start], replacement)
            done = end
        fixed = "".join(pieces) + translation[done:]
        reports = tuple(
            TermReport(key, wanted[key], self._by_id[key].preferred(target_language) or "", statuses[key])
            for key in wanted
        )
        return FixResult(fixed, reports)

    def to_list(self) -> list[dict[str, object]]:
        return [entry.to_dict() for entry in self.entries]

    def _matcher(self, language: str) -> TermMatcher:
        matcher = self._matchers.get(language)
        if matcher is None:
            with self._lock:
                matcher = self._matchers.get(language)
                if matcher is None:
                    forms = [(e.id, form) for e in self.entries for form in e.forms(language)]
                    matcher = self._matchers[language] = matcher_for(language, forms)
        return matcher

    def _match(self, found: Found, text: str, language: str) -> Match:
        preferred = self._by_id[found.key].preferred(language)
        return Match(found.key, found.start, found.end, text[found.start : found.end], found.form, found.form == preferred)


def merge(layers: Iterable[Iterable[Entry]]) -> list[Entry]:
    """Entries of every layer in order; one with the id or a preferred term of an earlier one replaces it.

    Kept entries are indexed by id and by (language, preferred term), so each entry
    finds the ones it replaces in constant time: a 100k-row file over the shipped
    glossary merges in time that follows its length, not its square. No two kept
    entries share a key (the later one removed the earlier), so a key names one entry.
    """
    kept: dict[int, Entry] = {}  # insertion order is the merged order; a number per entry seen
    owner: dict[tuple[str, str], int] = {}  # ("", id) or (language, folded preferred term) -> number
    for number, entry in enumerate(entry for layer in layers for entry in layer):
        keys = _merge_keys(entry)
        for replaced in {owner[key] for key in keys if key in owner}:
            for key in _merge_keys(kept.pop(replaced)):
                del owner[key]
        kept[number] = entry
        owner.update(dict.fromkeys(keys, number))
    return list(kept.values())


def _merge_keys(entry: Entry) -> list[tuple[str, str]]:
    """What makes two entries the same concept when merging: the id, or a preferred term in one language."""
    # "" for the id: no language code is empty, so an id never meets a term.
    return [("", entry.id)] + [(lang, term.casefold()) for lang, term in entry.terms.items() if term]


def resolve(choice: Glossary | bool, settings: Settings) -> Glossary | None:
    """The glossary a ``glossary=`` argument asks for: True the one in use (``Glossary.in_use``),
    a ``Glossary`` that one, False none."""
    if isinstance(choice, Glossary):
        return choice
    return Glossary.in_use(settings) if choice else None


def merge_reports(reports: Iterable[Sequence[TermReport]]) -> tuple[TermReport, ...]:
    """One line per term over several parts of one text (sentences, HTML text nodes), in first-seen
    order, the worst status winning: missing, then fixed, then ok."""
    merged: dict[str, TermReport] = {}
    for part in reports:
        for report in part:
            old = merged.get(report.id)
            if old is None:
                merged[report.id] = report
            elif STATUSES.index(report.status) > STATUSES.index(old.status):
                merged[report.id] = dataclasses.replace(old, status=report.status)
    return tuple(merged.values())


def conflicts(glossary: Glossary) -> list[str]:
    """Forms listed for two concepts in the same language: the matcher could not tell them apart."""
    russian = _russian_forms_that_may_clash(glossary.entries)
    seen: dict[tuple[str, str], Entry] = {}
    problems = []
    for entry in glossary.entries:
        for language in entry.terms:
            for form in entry.forms(language):
                if language == "ru" and form not in russian:
                    continue  # no other form can have its lemmas
                key = (language, fold_form(form, language))
                other = seen.setdefault(key, entry)
                if other is not entry:
                    problems.append(
                        f"{entry.origin}: {form!r} ({language}) is also a term of {other.id!r} ({other.origin}); "
                        "a form can name only one concept"
                    )
    return problems


def _russian_forms_that_may_clash(entries: Sequence[Entry]) -> set[str]:
    """The Russian forms that may have the lemmas of another form: the only ones worth reading whole.

    Reading a Russian term's lemmas takes its words' analyses and its grammar (~50 µs a
    form, most of the time a 100k-row glossary takes to check). Two forms can only share
    lemmas if, word by word, their words can share one; so the lemmas any word can have
    are joined into classes (two words that can share a lemma are in one class), and a
    form whose words' classes no other form has clashes with nothing.
    """
    from .russian import lemma_choices

    forms = [form for entry in entries if "ru" in entry.terms for form in entry.forms("ru")]
    choices = {form: lemma_choices(form) for form in forms}
    words = {lemmas for per_word in choices.values() for lemmas in per_word}  # a glossary repeats its words
    classes = _Classes()
    for lemmas in words:
        classes.join(lemmas)
    class_of = {lemmas: classes.of(next(iter(lemmas))) for lemmas in words}
    shape = {form: tuple(class_of[lemmas] for lemmas in per_word) for form, per_word in choices.items()}
    count = Counter(shape[form] for form in forms)  # a form listed twice counts twice
    return {form for form in forms if count[shape[form]] > 1}


class _Classes:
    """Disjoint sets of strings (union-find): ``join`` puts strings in one class, ``of`` names a string's class."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def of(self, item: str) -> str:
        parent = self._parent.setdefault(item, item)
        while parent != item:
            grandparent = self._parent[parent]
            self._parent[item] = grandparent  # halve the path: later look-ups are shorter
            item, parent = parent, grandparent
        return item

    def join(self, items: Iterable[str]) -> None:
        roots = [self.of(item) for item in items]
        for root in roots[1:]:
            self._parent[root] = roots[0]


def shipped_entries() -> list[Entry]:
    """The glossary that comes with triglot."""
    with resources.as_file(resources.files("glossary").joinpath(SHIPPED)) as path:
        return read_glossary(path)


def _literal(text: str, forms: Sequence[tuple[str, str]], taken: Sequence[Found]) -> list[Found]:
    """Exact occurrences of the engine's renderings that the language matcher cannot see
    (a rendering left in the source script), outside what was already found."""
    spans = Spans(taken)
    found = []
    for key, form in sorted(forms, key=lambda item: -len(item[1])):
        start = text.find(form)
        while start != -1:
            occurrence = Found(key, form, start, start + len(form))
            if spans.add_if_free(occurrence):
                found.append(occurrence)
            start = text.find(form, occurrence.end)
    return found


def _render(preferred: str, text: str, found: Found, language: str) -> str:
    """The preferred term as it must stand where ``found`` was: inflected in Russian, capitalised at a sentence start."""
    replacement = preferred
    if language == "ru":
        from .russian import form_of, governed_form, inflect_term, tokenize

        # Quoted names do not decline: only the words outside quotes show the case.
        unquoted = _without_quotations(text[found.start : found.end])
        words = [token.text for token in tokenize(unquoted)]
        form = form_of(words, found.form) if words else None
        case, number = form if form else (None, None)
        if case is None:
            case = governed_form(text[max(0, found.start - _GOVERNING_CONTEXT) : found.start])
        if case is not None:
            replacement = inflect_term(preferred, case, number)
    elif language == "en" and re.search(r"['’][sS]$", text[found.start : found.end]):
        replacement += text[found.end - 2 : found.end]
    if language != "zh" and replacement[:1].islower() and _starts_sentence(text, found.start):
        replacement = replacement[0].upper() + replacement[1:]
    return replacement


def _starts_sentence(text: str, at: int) -> bool:
    """Whether ``text[at:]`` starts a sentence: only whitespace before it, or whitespace holding
    a line break, or a sentence end and its closing quotes and brackets.

    Read backwards from ``at``, so a fix costs what stands just before each term, not the
    whole text before it (a pattern searched in ``text[:at]`` read it all, and backtracked
    over runs of line breaks: quadratic).
    """
    i = at
    while i > 0 and text[i - 1].isspace():
        if text[i - 1] == "\n":
            return True
        i -= 1
    if i == 0:
        return True
    while i > 0 and text[i - 1] in _SENTENCE_CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _SENTENCE_END


def _without_quotations(text: str) -> str:
    """``text`` with each quotation (an opening mark to the first mark that closes it) as one space.

    A mark left open quotes nothing. Where each closing mark next stands is remembered
    while the scan moves on: a pattern such as ``«[^»]*»`` reads the rest of the text
    again from every unclosed mark, quadratic in a run of them.
    """
    upcoming: dict[str, int] = {}  # closing mark -> where it next stands, from the scan on (-1: nowhere)

    def next_closer(closer: str, start: int) -> int:
        at = upcoming.get(closer, -2)
        if at == -2 or -1 < at < start:
            at = upcoming[closer] = text.find(closer, start)
        return at

    pieces: list[str] = []
    done = i = 0
    while i < len(text):
        closers = _QUOTES.get(text[i])
        ends = [at for closer in closers or () if (at := next_closer(closer, i + 1)) != -1]
        if not ends:
            i += 1
            continue
        pieces += (text[done:i], " ")
        done = i = min(ends) + 1
    pieces.append(text[done:])
    return "".join(pieces)


def _mtime(path: str | Path) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return -1.0


_loaded: dict[object, Glossary] = {}
_loaded_lock = threading.Lock()
