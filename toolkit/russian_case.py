"""Russian grammatical case: which case a phrase stands in, and which case the words before it call for.

Also the home of the one pymorphy3 analyzer that ``toolkit.russian`` shares: it
is loaded on first use (about 0.1 s), once per process, under a lock,
and every word's analyses are cached.

``governed_form`` reads the last few words before a noun phrase, in order:

1. a comma or a conjunction ("и", "или") at the end: the phrase is a further
   conjunct and takes the case of the one before it ("с Россией и" → ablt);
2. a compound preposition ("в рамках", "по данным", "в связи с") or a simple
   one ("в", "к", "между") → the case it governs. "в", "на" and "за" govern
   the accusative after a short list of words of motion, direction or aim
   ("вступить в", "экспорт в", "пошлины на", "голосовать за"), otherwise
   "в"/"на" → loct and "за" → ablt. "с" is taken as "with" (ablt), never as
   "from" (gent, "с 2020 года"); "по" as datv, never as "по прибытии" (loct);
3. a noun that takes a genitive complement ("развитие", "министерство",
   "страны", "секретарь", "несколько"), or an abstract noun in -ние, -тие,
   -ция, -ство ("сопряжение") → gent. A person's name after a post
   ("президент Владимир Путин") is in apposition instead, but shows its case
   in its own endings, which ``form_of`` reads;
4. a verb: transitive → accs, unless it reports speech ("заявил", "отметил"),
   after which the subject usually follows; a few verbs govern ablt
   ("является", "стал"), datv ("способствовать") or gent ("достичь").

Anything else gives None, and the caller writes the nominative.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CASES", "CONJUNCTIONS", "MODIFIER_POS", "NUMBERS", "WORD", "Reading", "agrees", "fold", "governed_form",
    "is_indeclinable", "is_known", "normal_forms", "phrase_forms", "readings",
]

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NUMBERS = ("sing", "plur")

# pymorphy3's second genitive, locative and accusative ("чаю", "в году") fold
# into the six cases a glossary term is written in; the vocative has no place there.
_CASE_OF = {"gen1": "gent", "gen2": "gent", "loc1": "loct", "loc2": "loct", "acc2": "accs", **{c: c for c in CASES}}
_PERSON = frozenset({"Name", "Surn", "Patr"})
_GENDERS = frozenset({"masc", "femn", "neut", "ms-f"})
_POS = frozenset("NOUN ADJF ADJS COMP VERB INFN PRTF PRTS GRND NUMR ADVB NPRO PRED PREP CONJ PRCL INTJ".split())
MODIFIER_POS = frozenset({"ADJF", "PRTF"})  # adjectives, participles, ordinals ("15-й"), "наш", "этот"
CONJUNCTIONS = frozenset({"и", "или", "либо"})
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")


@dataclass(frozen=True)
class Reading:
    """One pymorphy3 analysis of a word, with the grammemes triglot reads from it."""

    lemma: str  # normal form, lowercase, "ё" folded to "е"
    pos: str | None
    case: str | None  # one of CASES, or None for words without case
    number: str | None
    gender: str | None  # masc, femn, neut, ms-f (common gender) or None
    animacy: str | None
    grammemes: frozenset[str]
    score: float
    parse: Any  # the pymorphy3 Parse, kept for inflecting

    def inflect(self, grammemes: Iterable[str]) -> str | None:
        """This word's form with ``grammemes``, lowercase; None when pymorphy3 has none."""
        form = self.parse.inflect(set(grammemes))
        return None if form is None else str(form.word)


def fold(word: str) -> str:
    """Lowercase with "ё" as "е": the spelling lemmas are compared in."""
    return word.lower().replace("ё", "е")


_analyzer_lock = threading.Lock()
_analyzer: Any = None


def _morph() -> Any:
    """pymorphy3's analyzer, loaded on first use and shared by every thread."""
    global _analyzer
    if _analyzer is None:
        with _analyzer_lock:
            if _analyzer is None:
                import pymorphy3

                _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


@functools.lru_cache(maxsize=1 << 16)
def readings(word: str) -> tuple[Reading, ...]:
    """Every analysis pymorphy3 gives ``word``, most likely first; () for text it cannot take."""
    try:
        parses = _morph().parse(word) if word else []
    except ValueError:  # pymorphy3 fails on lone surrogates and on letters Unicode has no name for
        return ()
    out = []
    for parse in parses:
        # Tag attributes are pymorphy3 string types whose == raises on unknown
        # grammemes ("ms-f"), so everything is read as plain str.
        grammemes = frozenset(str(g) for g in parse.tag.grammemes)
        case = next((_CASE_OF[g] for g in grammemes if g in _CASE_OF), None)
        out.append(
            Reading(
                lemma=fold(parse.normal_form),
                pos=next((g for g in grammemes if g in _POS), None),
                case=case,
                number=next((g for g in grammemes if g in NUMBERS), None),
                gender=next((g for g in grammemes if g in _GENDERS), None),
                animacy=next((g for g in grammemes if g in ("anim", "inan")), None),
                grammemes=grammemes,
                score=float(parse.score),
                parse=parse,
            )
        )
    return tuple(out)


def normal_forms(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 gives ``word``, folded: the cheap path for long texts, not cached here."""
    try:
        return frozenset(fold(form) for form in _morph().normal_forms(word)) if word else frozenset()
    except ValueError:  # as in readings()
        return frozenset()


def is_known(word: str) -> bool:
    """Whether pymorphy3's dictionary has ``word`` (its analyses of other words are guesses)."""
    try:
        return bool(word) and bool(_morph().word_is_known(word.lower()))
    except ValueError:  # as in readings()
        return False


def is_indeclinable(word: str) -> bool:
    """Whether ``word`` keeps one form in every case: Latin, digits, abbreviations ("ЕАЭС"), "Fixd" words."""
    if not _CYRILLIC.search(word):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    # Short all-capital words are abbreviations; pymorphy3 guesses a paradigm
    # for unknown ones ("БРИКС" → "БРИКСа"), which news Russian does not use.
    if len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(letters) <= 6:
        return True
    # A ministry named "Мин" + a genitive ("Минкоммерции", "Минцифры") keeps one
    # form, though pymorphy3 may guess a paradigm for it; "Минфин", "Минтранс" decline.
    if word.startswith("Мин") and len(word) > 6:
        if any("Fixd" in r.grammemes for r in readings(word)):
            return True
        tail = word[3:].lower()
        genitive = any((r.case, r.number) == ("gent", "sing") for r in readings(tail))
        if genitive and not is_known(word) and is_known(tail):
            return True
    cased = [r for r in readings(word) if r.case]
    return not cased or all("Fixd" in r.grammemes for r in cased)


def agrees(modifier: Reading, head: Reading) -> bool:
    """Whether an adjective-like ``modifier`` reading agrees with a noun ``head`` reading."""
    if modifier.case != head.case or modifier.number != head.number:
        return False
    if head.number == "sing" and head.gender in ("masc", "femn", "neut") and modifier.gender != head.gender:
        return False
    # Accusative masculine singular and plural adjectives split by animacy.
    return modifier.animacy is None or head.animacy is None or modifier.animacy == head.animacy


def phrase_forms(
    words: Sequence[str], lemmas: frozenset[str] = frozenset(), head_lemma: str | None = None
) -> dict[tuple[str, str], float]:
    """How likely each (case, number) is for the noun phrase ``words``, read from their endings.

    The head noun and the adjectives before it must agree, which settles most
    ambiguity ("малым и средним предприятиям" can only be dative plural).
    ``lemmas``, when given, are the lemmas the phrase is known to contain: a
    word's analyses are narrowed to those, so "Чепе" is read as "Чепа", not "чеп".
    {} when no word shows case.
    """
    words = [word for item in words for word in WORD.findall(item)]
    options = []
    for word in words:
        found = [] if is_indeclinable(word) else [r for r in readings(word) if r.case and r.number]
        known = [r for r in found if r.lemma in lemmas]
        options.append(known or found)
    if not words:
        return {}
    head = _head_index(words, options, head_lemma)
    modifiers = [options[i] for i in range(head) if fold(words[i]) not in CONJUNCTIONS]
    modifiers = [[r for r in opts if r.pos in MODIFIER_POS] for opts in modifiers]
    heads = options[head]
    # The rest of a person's name agrees with its first word: "Алексея Чепу" is accusative.
    names = []
    for word, opts in zip(words[head + 1 :], options[head + 1 :]):
        if not (word[:1].isupper() and opts):
            break
        names.append(opts)
    if not heads:  # an indeclinable head: its adjectives alone may tell ("нового БРИКС")
        if not any(modifiers):
            return {}
        heads, modifiers = modifiers[-1], modifiers[:-1]
    scores: dict[tuple[str, str], float] = {}
    for reading in heads:
        score = reading.score
        for opts in modifiers:
            if opts:
                score *= max((m.score for m in opts if agrees(m, reading)), default=0.0)
        if reading.grammemes & _PERSON:
            for opts in names:
                same = (n.score for n in opts if (n.case, n.number) == (reading.case, reading.number))
                score *= max(same, default=0.0)
        if score > 0 and reading.case and reading.number:
            key = (reading.case, reading.number)
            scores[key] = scores.get(key, 0.0) + score
    if not scores:  # nothing agrees (a typo, an odd phrase): trust the head alone
        for reading in heads:
            if reading.case and reading.number:
                key = (reading.case, reading.number)
                scores[key] = scores.get(key, 0.0) + reading.score
    return scores


def _head_index(words: Sequence[str], options: Sequence[Sequence[Reading]], head_lemma: str | None) -> int:
    """Where the head noun of ``words`` stands: the known lemma, else after the leading adjectives."""
    if head_lemma:
        for i, opts in enumerate(options):
            if any(r.lemma == head_lemma for r in opts) or fold(words[i]) == head_lemma:
                return i
    head = 0
    for i, word in enumerate(words):
        if i and fold(words[i - 1]) not in CONJUNCTIONS and not any(r.pos in MODIFIER_POS for r in options[i - 1]):
            break  # the run of adjectives (and conjunctions) before the head has ended
        if fold(word) in CONJUNCTIONS:
            continue
        nouns = [r for r in options[i] if r.pos == "NOUN"] or (options[i] if i == 0 else [])
        mods = [[r for r in options[j] if r.pos in MODIFIER_POS] for j in range(i)]
        mods = [ms for j, ms in enumerate(mods) if fold(words[j]) not in CONJUNCTIONS]
        if is_indeclinable(word) or any(all(any(agrees(m, n) for m in ms) for ms in mods) for n in nouns):
            head = i
    return head


def governed_form(preceding: str) -> str | None:
    """The case a noun phrase takes after ``preceding`` (the few words before it); None when nothing tells."""
    return _case_after(_tail_tokens(preceding))


_TOKEN = re.compile(rf"{WORD.pattern}|[^\w\s]")
_OPENERS = "«„“\"'‘‹"


def _tail_tokens(text: str) -> list[str]:
    """The last dozen words and marks of ``text``; an opening quote at the very end is dropped."""
    text = text[-400:].rstrip().rstrip(_OPENERS).rstrip()
    return _TOKEN.findall(text)[-12:]


def _case_after(tokens: Sequence[str]) -> str | None:
    """The case after ``tokens`` (words as written, so "БРИКС" is still an abbreviation)."""
    folded = tuple(fold(t) for t in tokens)
    if not folded:
        return None
    last = folded[-1]
    if last == "," or last in CONJUNCTIONS:
        return _coordinated(tokens[:-1])
    if not WORD.fullmatch(last):
        return None  # a full stop, colon, dash or bracket: a new clause starts
    if folded[-3:] == ("в", "том", "числе"):
        return None  # "including": the case of whatever it lists
    for size in (4, 3, 2):
        case = _COMPOUND_PREPOSITIONS.get(folded[-size:])
        if case:
            return case
    if last in _PREPOSITIONS:
        governor = tokens[-2] if len(tokens) > 1 else ""
        if any(r.lemma in _ACCUSATIVE_AFTER.get(_BARE.get(last, last), ()) for r in readings(governor)):
            return "accs"
        return _PREPOSITIONS[last]
    return _case_after_word(tokens[-1])


def _case_after_word(word: str) -> str | None:
    """The case a noun or verb ``word`` governs in the phrase right after it."""
    found = readings(word)
    if any(r.pos in ("NOUN", "NUMR") and (r.lemma in _GENITIVE_HEADS or r.lemma.endswith(_ABSTRACT)) for r in found):
        return "gent"
    verb = next((r for r in found if r.pos in ("VERB", "INFN", "GRND")), None)
    if verb is None or found[0].pos not in ("VERB", "INFN", "GRND"):
        return None
    for case, lemmas in _VERB_CASES.items():
        if verb.lemma in lemmas:
            return case
    if "tran" in verb.grammemes and verb.lemma not in _SPEECH_VERBS:
        return "accs"
    return None


def _coordinated(tokens: Sequence[str]) -> str | None:
    """The case of a further conjunct: that of the phrase before the conjunction."""
    start = len(tokens)
    while start > 0 and len(tokens) - start < 6 and _in_noun_phrase(tokens[start - 1]):
        start -= 1
    phrase = tokens[start:]
    if not phrase:
        return None
    # The conjunct before is the last noun and the adjectives before it.
    last = len(phrase) - 1
    while last > 0 and not _is_noun(phrase[last - 1]) and _in_noun_phrase(phrase[last - 1]):
        last -= 1
    cases = {case for case, _ in phrase_forms(phrase[last:])}
    if last > 0 and (not cases or "gent" in cases):
        return "gent"  # "к развитию России и", "страны БРИКС и": the conjunct pairs with the genitive complement
    outer = _case_after(tokens[:start]) if start else None
    if outer in cases:
        return outer
    return next(iter(cases)) if len(cases) == 1 else None


def _in_noun_phrase(token: str) -> bool:
    if not WORD.fullmatch(token) or fold(token) in _PREPOSITIONS or fold(token) in CONJUNCTIONS:
        return False
    return is_indeclinable(token) or any(r.pos in ("NOUN", "ADJF", "PRTF", "NUMR") for r in readings(token)[:2])


def _is_noun(token: str) -> bool:
    found = readings(token)
    return is_indeclinable(token) or bool(found and found[0].pos == "NOUN")


def _table(groups: Mapping[str, str]) -> dict[str, str]:
    """{word: case} from {case: "word word ..."}."""
    return {word: case for case, words in groups.items() for word in words.split()}


_PREPOSITIONS = _table(
    {
        "gent": "для из изо от ото до без безо у после около против среди вокруг кроме вместо возле вне"
        " ради из-за из-под помимо внутри посредством путем накануне вдоль мимо сверх свыше близ"
        " напротив вследствие ввиду насчет относительно касательно наподобие",
        "datv": "к ко по согласно благодаря вопреки навстречу подобно",
        "accs": "через про сквозь",
        "ablt": "с со за под подо над перед передо пред между меж",
        "loct": "в во на о об обо при",
    }
)

_COMPOUND_PREPOSITIONS = {
    tuple(phrase.split()): case
    for case, phrases in {
        "gent": "в рамках|в ходе|по данным|со стороны|по словам|по мнению|по оценкам|по информации|по прогнозам"
        "|по итогам|по линии|по инициативе|по приглашению|по решению|по просьбе|по случаю|по поводу"
        "|по завершении|по окончании|по истечении|в области|в сфере|в целях|с целью|в течение|в результате"
        "|в качестве|в отношении|в пользу|в адрес|в интересах|в составе|во время|в преддверии|в лице|в честь"
        "|в период|в случае|в условиях|в пределах|в направлении|в виде|в форме|в масштабах|на основе"
        "|на базе|на территории|на фоне|на уровне|на протяжении|при поддержке|при помощи|при участии"
        "|с помощью|с участием|за счет|за пределами|под руководством|под эгидой|под председательством"
        "|в отличие от|в зависимости от|независимо от|вплоть до",
        "datv": "по отношению к|в дополнение к|применительно к",
        "accs": "в ответ на|несмотря на|невзирая на|в обмен на",
        "ablt": "в связи с|в соответствии с|по сравнению с|наряду с|вместе с|рядом с|в сотрудничестве с"
        "|согласно с|вслед за",
    }.items()
    for phrase in phrases.split("|")
}

# Words (lemmas, "ё" folded) after which "в", "на" or "за" govern the accusative.
_ACCUSATIVE_AFTER = {
    prep: frozenset(words.split())
    for prep, words in {
        "в": "вступить вступать вступление войти входить вхождение вложить вкладывать вложение инвестировать"
        " инвестиция экспорт экспортировать импорт импортировать поставка поставлять поставить направить"
        " направлять отправить отправлять поездка визит приехать приезжать прибыть прибывать поехать"
        " переход перейти переходить превратиться превращаться превратить включить включать включение"
        " принять принимать прием интеграция интегрироваться перевести переводить вернуться возвращаться"
        " обратиться обращаться прилететь вылететь приглашение пригласить",
        "на": "влиять повлиять влияние воздействие ответ ответить отвечать пошлина цена спрос запрет налог"
        " квота право надеяться рассчитывать претендовать согласиться соглашаться переход перейти"
        " переходить перевести ставка расход потратить тратить выделить выделять опираться опора"
        " обратить обращать указать указывать акцент заявка лицензия разрешение направить направлять"
        " нацелить нацеленный ориентироваться",
        "за": "голосовать проголосовать выступать выступить бороться борьба ответственность отвечать"
        " благодарить поблагодарить благодарность платить заплатить оплата плата штраф",
    }.items()
}
_BARE = {"во": "в"}  # "во" is "в" before some consonant clusters

# Nouns (lemmas) whose complement is in the genitive: institutions, posts,
# processes, parts and quantities that news Russian puts before a term; and
# abstract nouns by their suffix ("сопряжение", "интеграция", "партнерство").
_ABSTRACT = ("ние", "тие", "ция", "ство")
_GENITIVE_HEADS = frozenset(
    "комитет секретариат комиссия аппарат штаб-квартира секретарь генсек президент глава председатель премьер"
    " премьер-министр министр директор руководитель посол заместитель лидер спикер губернатор мэр советник"
    " основатель вице-премьер вице-президент поддержка запуск защита безопасность стабильность рост объем"
    " уровень доля часть ряд число половина треть четверть несколько много мало немало тысяча миллион миллиард"
    " процент член участник страна саммит форум встреча работа деятельность роль экономика рынок политика"
    " стратегия программа проект план повестка идея механизм система инфраструктура территория граница регион"
    " центр устав доклад итог результат цель задача принцип основа формат модель интерес представитель партнер"
    " экспорт импорт поставка товарооборот курс стоимость бюджет сектор отрасль два две три четыре пять шесть"
    " семь восемь девять десять".split()
)

_SPEECH_VERBS = frozenset(
    "заявить заявлять сказать сообщить сообщать отметить отмечать подчеркнуть подчеркивать добавить"
    " добавлять пояснить пояснять рассказать рассказывать напомнить напоминать уточнить уточнять"
    " объявить объявлять написать писать передать передавать признать признавать предупредить"
    " предупреждать констатировать резюмировать подытожить заметить замечать ответить отвечать"
    " процитировать цитировать считать сообщать указать указывать говорить".split()
)

_VERB_CASES = {
    "ablt": frozenset(
        "являться стать становиться руководить управлять заниматься обладать владеть считаться"
        " называться служить остаться оставаться торговать".split()
    ),
    "datv": frozenset(
        "способствовать содействовать помогать помочь угрожать противостоять принадлежать соответствовать"
        " препятствовать".split()
    ),
    "gent": frozenset("достигнуть достичь достигать добиться добиваться касаться коснуться избегать лишиться".split()),
}
