"""format="html": markup kept byte for byte, text nodes translated, escaped, glossary-checked, detected as a whole.

The tiny packages copy their input, so a node's translation is its own text (with the
glossary off): whatever changes between input and output is triglot's doing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import Settings, translate, translate_detailed
from toolkit.translation import CTranslate2Engine
from toolkit.errors import InvalidOption, InvalidText
from toolkit.translation.markup import TextNode, parse
from toolkit.translation import InstalledModel

# HTML that comes back exactly as it went in: the markup untouched, the copied text
# re-escaped the way it was written.
UNCHANGED = [
    pytest.param('<p class="lead" data-x=\'a>b\' hidden>Trade grew.</p>', id="attributes"),
    pytest.param("<P CLASS=lead>Trade grew.</P >", id="case-and-spacing-of-tags"),
    pytest.param(
        '<p>Trade <b>grew <i>fast</i></b> in <a href="/x?a=1&amp;b=2" title="Trade">Harbin</a>.</p>', id="nested-inline"
    ),
    pytest.param("<p>Tom &amp; Jerry &lt;3 trade.</p>", id="escaped-entities"),
    pytest.param('<script>if (a < b && c) { x = "<p>Trade grew.</p>"; }</script><p>Trade grew.</p>', id="script"),
    pytest.param("<style>p > b { content: 'Trade & grew' }</style>", id="style"),
    pytest.param("<pre>Trade   grew.\n  Banks &amp; <b>firms</b></pre>", id="pre"),
    pytest.param("<p>Run <code>trade &amp;&amp;  grow</code> now.</p>", id="code"),
    pytest.param("<!-- Trade   grew. --><p>Trade grew.</p><!---->", id="comments"),
    pytest.param(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trade</title></head>'
        '<body><img src="a.png" alt="Trade grew"><br/></body></html>',
        id="document",
    ),
    pytest.param('<p><span translate="no">Trade   grew.</span> Banks were slow.</p>', id="translate-no"),
    pytest.param("  <p>\n  Trade grew.\n</p>\n", id="whitespace-around-nodes"),
]


@pytest.mark.parametrize("html", UNCHANGED)
def test_markup_is_kept_byte_for_byte(with_models: Settings, html: str) -> None:
    assert translate(html, source="en", target="ru", settings=with_models, glossary=False, format="html") == html


# (input, output): what the text of a node becomes on its way through.
CHANGED = [
    pytest.param(
        "<p>Tom &quot;Jerry&quot; &eacute;tait &#169; here.</p>", '<p>Tom "Jerry" était © here.</p>', id="entities-decoded"
    ),
    pytest.param("<p>5 < 6 & 7 > 2 in trade.</p>", "<p>5 &lt; 6 &amp; 7 &gt; 2 in trade.</p>", id="text-escaped"),
    pytest.param("<p>Trade\n    grew.</p>", "<p>Trade grew.</p>", id="inner-whitespace-as-shown"),
    pytest.param("<li>Trade grew. Banks were slow.</li>", "<li>Trade grew.Banks were slow.</li>", id="sentences-as-zh"),
]


@pytest.mark.parametrize(("html", "expected"), CHANGED)
def test_text_between_tags_is_decoded_translated_and_escaped(with_models: Settings, html: str, expected: str) -> None:
    assert translate(html, source="en", target="zh", settings=with_models, glossary=False, format="html") == expected


class EscapingEngine:
    """The real engine, its output given characters that must be escaped in HTML."""

    def __init__(self, inner: CTranslate2Engine) -> None:
        self.inner = inner
        self.options = inner.options

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        return [f"<{s}> & {s}" for s in self.inner.translate(model, sentences)]

    def name(self) -> str:
        return self.inner.name()


def test_markup_in_a_translation_comes_out_as_text(with_models: Settings) -> None:
    engine = EscapingEngine(CTranslate2Engine(with_models))
    uncached = Settings.from_env(home=with_models.home, cache=False)
    result = translate(
        "<p>Trade <b>grew.</b></p>", source="en", target="ru", settings=uncached, engine=engine, glossary=False, format="html"
    )
    assert result == "<p>&lt;Trade&gt; &amp; Trade <b>&lt;grew.&gt; &amp; grew.</b></p>"


GLOSSARY = [
    pytest.param(
        "<p>Trade with the <b>Eurasian Economic Union</b> grew.</p>",
        "<p>Trade with the <b>欧亚经济联盟</b> grew.</p>",
        {"eaeu": "fixed"},
        id="term-in-an-inline-tag",
    ),
    pytest.param(
        '<p title="Eurasian Economic Union">Eurasian Economic Union</p>',
        '<p title="Eurasian Economic Union">欧亚经济联盟</p>',
        {"eaeu": "fixed"},
        id="attribute-left-alone",
    ),
    pytest.param(
        "<p>Harbin and the Eurasian Economic Union.</p><p>欧亚经济联盟 and Harbin.</p>",
        "<p>哈尔滨 and the 欧亚经济联盟.</p><p>欧亚经济联盟 and 哈尔滨.</p>",
        {"harbin": "fixed", "eaeu": "fixed"},
        id="reports-merged-over-nodes",
    ),
    pytest.param(
        "<p>Eurasian <b>Economic</b> Union</p>", "<p>Eurasian <b>Economic</b> Union</p>", {}, id="term-split-by-a-tag"
    ),
]


@pytest.mark.parametrize(("html", "expected", "statuses"), GLOSSARY)
def test_the_glossary_is_enforced_on_the_text_of_each_node(
    with_models: Settings, html: str, expected: str, statuses: dict[str, str]
) -> None:
    result = translate_detailed([html], source="en", target="zh", settings=with_models, format="html")[0]
    assert result.text == expected
    assert {term.id: term.status for term in result.terms} == statuses


def test_auto_detects_a_document_on_its_visible_text_not_its_markup_or_nodes(with_models: Settings) -> None:
    html = (
        '<div class="trade-news" title="Trade news from Harbin, in English and for English readers">'
        '<script>var note = "the trade between the two countries grew quickly in the last year";</script>'
        "<p>Торговля</p><p><b>растёт</b> быстро, и малый бизнес тоже.</p></div>"
    )
    result = translate_detailed([html], source="auto", target="en", settings=with_models, format="html")[0]
    assert result.source == "ru" and result.detection is not None and result.detection.language == "ru"
    assert result.route == ("ru", "en")
    assert result.text == html
    assert result.sentences == 3


def test_auto_detects_each_document_of_a_batch_on_its_own(with_models: Settings) -> None:
    texts = ["<p>Trade grew in <b>Harbin</b>.</p>", "<p>Торговля <i>растёт</i>.</p>", "<p>贸易<b>增长</b>了。</p>"]
    results = translate_detailed(texts, source="auto", target="ru", settings=with_models, glossary=False, format="html")
    assert [r.source for r in results] == ["en", "ru", "zh"]
    assert [r.route for r in results] == [("en", "ru"), ("ru",), ("zh", "en", "ru")]
    assert [r.text for r in results] == texts


NOTHING_TO_TRANSLATE = ["", "   \n\t", "<br>", "<p></p><!-- Trade grew. --><script>trade()</script>", "<p> 2024 — 42% </p>"]


@pytest.mark.parametrize("html", NOTHING_TO_TRANSLATE)
@pytest.mark.parametrize("source", ["en", "auto"])
def test_html_without_text_comes_back_unchanged(with_models: Settings, html: str, source: str) -> None:
    result = translate_detailed([html], source=source, target="ru", settings=with_models, format="html")[0]
    assert result.text == html
    assert result.sentences == 0 and result.terms == ()
    # The same route a plain empty text gets: the package when the source is given, none when detected.
    assert result.route == (("en", "ru") if source == "en" else ("ru",))


class CountingEngine:
    def __init__(self, inner: CTranslate2Engine) -> None:
        self.inner = inner
        self.options = inner.options
        self.batches: list[list[str]] = []

    def translate(self, model: InstalledModel, sentences: Sequence[str]) -> list[str]:
        self.batches.append(list(sentences))
        return self.inner.translate(model, sentences)

    def name(self) -> str:
        return self.inner.name()


def test_every_node_of_every_document_goes_to_the_package_in_one_batch(with_models: Settings) -> None:
    engine = CountingEngine(CTranslate2Engine(with_models))
    uncached = Settings.from_env(home=with_models.home, cache=False)
    texts = ["<h1>Trade grew.</h1><p>Banks were <em>slow</em>.</p>", "<p>Firms signed deals.</p>", "<br>", "Plain words."]
    results = translate(texts, source="en", target="ru", settings=uncached, engine=engine, glossary=False, format="html")
    assert results == texts
    assert engine.batches == [["Trade grew.", "Banks were", "slow", "Firms signed deals.", "Plain words."]]


def test_counts_add_up_over_the_nodes_and_the_cache_serves_them(with_models: Settings) -> None:
    html = "<p>Trade grew. Banks were slow.</p><p>Firms <b>signed</b> deals.</p>"
    first, second = (
        translate_detailed([html], source="en", target="ru", settings=with_models, format="html")[0] for _ in range(2)
    )
    assert (first.sentences, first.cached_sentences) == (5, 0)
    assert (second.sentences, second.cached_sentences) == (5, 5)
    assert second.text == first.text == html


@pytest.mark.parametrize("value", ["HTML", "markdown", "", "text/html"])
def test_an_unknown_format_is_refused_before_any_work(value: str) -> None:
    # No package is installed: the format is checked first, so it is what the error is about.
    with pytest.raises(InvalidOption, match="unknown format"):
        translate("<p>Trade grew.</p>", source="en", target="zh", format=value)
    with pytest.raises(InvalidOption, match="text, html"):
        translate_detailed(["Trade grew."], source="en", target="zh", format=value)


def test_a_lone_surrogate_in_html_is_refused_with_its_place(with_models: Settings) -> None:
    with pytest.raises(InvalidText, match="at offset 9"):
        translate("<p>Trade \ud800</p>", source="en", target="ru", settings=with_models, format="html")


PARSED = [
    ("<p>a &lt; b</p>", ["<p>", TextNode("", "a < b", ""), "</p>"]),
    ("x</>y<p>", ["x</>y<p>"]),  # the parser drops "</>": kept as written, not translated
    ("<b>open <i", ["<b>", TextNode("", "open <i", "")]),
    (" \n<p>\u00a0Trade\r\n grew </p>", [" \n<p>", TextNode("", "\u00a0Trade grew", " "), "</p>"]),
    ("<pre>a<pre>b</pre>c</pre>d", ["<pre>a<pre>b</pre>c</pre>", TextNode("", "d", "")]),
]


@pytest.mark.parametrize(("html", "pieces"), PARSED)
def test_parse_cuts_html_into_markup_and_text_nodes(html: str, pieces: list[object]) -> None:
    assert list(parse(html).pieces) == pieces


_HTML_BITS = st.sampled_from(
    ["<p>", "</p>", "<b>", "</b>", "<br/>", "<script>", "</script>", "<!-- c -->", "&amp;", "&lt;", "&", "<", ">",
     " ", "\n", "Trade", "grew.", "Торговля", "贸易", '<a href="x">', "</a>", "<pre>", "</pre>", "</>", "<!x>"]
)


@settings(max_examples=200, deadline=None)
@given(bits=st.lists(_HTML_BITS | st.text(max_size=5), max_size=20))
def test_rendering_the_texts_back_gives_html_that_parses_to_the_same_texts(bits: list[str]) -> None:
    document = parse("".join(bits))
    rendered = document.render(document.texts)
    assert parse(rendered).texts == document.texts
    assert all(isinstance(piece, TextNode) or piece for piece in document.pieces)
