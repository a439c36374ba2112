"""Russian case government: which case the words before a noun phrase call for.

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

import re
from collections.abc import Mapping, Sequence

from .morphology import CONJUNCTIONS, WORD, fold, is_indeclinable, phrase_forms, readings

__all__ = ["governed_form"]


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
