"""Rendering a digest: JSON as its schema says, HTML for email and Markdown through Jinja2 templates.

The renderer takes the digest's JSON document (``Digest.to_dict()``), never the
dataclasses: templates see plain data (``template_context``), so a user's
``--template`` depends on a documented shape only. HTML templates are autoescaped:
article text is data and stays inert whatever it holds (``<script>`` stays text);
Markdown templates escape with the ``md`` filter. Jinja2 is imported on first render.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._version import __version__
from ..errors import InvalidOption
from ..pipeline import missing_translations_line
from ..text import read_text

if TYPE_CHECKING:
    import jinja2

FORMATS = ("html", "md", "json")
TEMPLATES = Path(__file__).parent / "templates"
SCHEMA = Path(__file__).parent / "digest.schema.json"
TEMPLATE_LIMIT_BYTES = 1024 * 1024  # a template is a page of markup, not a data file

# Each language its own name, so a reader finds their block without knowing the others.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh": "中文", "ru": "Русский"}

# Font stacks mail clients know: system fonts first, then what Linux, Android, Windows and
# macOS carry for Han and Cyrillic; Arial and Segoe UI cover Cyrillic themselves.
_LATIN = "Arial, 'Helvetica Neue', Helvetica, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans'"
_HAN = "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', " \
    "'Source Han Sans SC', 'WenQuanYi Micro Hei', SimSun"
FONTS: dict[str, str] = {
    "all": f"{_LATIN}, {_HAN}, sans-serif",
    "en": f"{_LATIN}, sans-serif",
    "ru": f"{_LATIN}, sans-serif",
    "zh": f"{_HAN}, {_LATIN}, sans-serif",
}

_MD_ACTIVE = re.compile(r"([\\`*_\[\]<>|~#])")
_MD_LINE_START = re.compile(r"^(\d+)([.)])|^([+\-=])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_WEB_URL = re.compile(r"^https?://[^\s<>\"']+$", re.I)


def render(digest: dict[str, Any], format: str, template: str | Path | None = None) -> str:
    """The digest document ``digest`` as ``format`` (html, md, json); ``template`` replaces the shipped
    html/md template."""
    if format not in FORMATS:
        raise InvalidOption(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
    if format == "json":
        if template is not None:
            raise InvalidOption("--template works with the html and md formats, not json")
        return json.dumps(digest, ensure_ascii=False, indent=2) + "\n"
    return _render_template(digest, format, Path(template) if template is not None else None)


def render_article(article: dict[str, Any], targets: Sequence[str]) -> str:
    """One article of a digest document (``DigestArticle.to_dict()``) as the HTML digest shows it, in a
    table of the digest's width (``templates/article.html.j2``): a block to paste into a newsletter."""
    document = {"generated": "", "targets": list(targets), "articles": [article], "notices": []}
    return _environment("html").get_template("article.html.j2").render(template_context(document))


def template_context(digest: dict[str, Any]) -> dict[str, Any]:
    """What a template sees: ``generated``, ``targets``, ``articles`` (dicts with ``blocks``),
    ``notices`` (one per missing pair), ``notice_line`` (all of them in one line), ``failed`` (count), ``names`` (language names), ``fonts``, ``version``."""
    targets = list(digest["targets"])
    articles = [_article_view(article, targets) for article in digest["articles"]]
    return {
        "generated": digest["generated"],
        "targets": targets,
        "articles": articles,
        "notices": digest["notices"],
        "notice_line": missing_translations_line(n["target"] for n in digest["notices"]) if digest["notices"] else "",
        "failed": sum(1 for a in articles if a["error"]),
        "names": LANGUAGE_NAMES,
        "fonts": FONTS,
        "version": __version__,
    }


def md_escape(value: object) -> str:
    """Text safe in Markdown: one line, its active characters backslash-escaped."""
    text = " ".join(str(value if value is not None else "").split())
    text = _MD_ACTIVE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)


def md_url(value: object) -> str:
    """A web address fit for ``[text](url)``; anything else is not a link and gives ''."""
    url = str(value or "")
    return quote(url, safe=":/?#[]@!$&'*+,;=%~") if _WEB_URL.match(url) else ""


def web_url(value: object) -> str:
    """An http(s) address for ``href``, or '' — a ``javascript:`` URL in an article is no link."""
    url = str(value or "")
    return url if _WEB_URL.match(url) else ""


def _article_view(article: dict[str, Any], targets: list[str]) -> dict[str, Any]:
    translations = article["translations"]
    language = article["language"]
    blocks = []
    if language is not None and language not in targets:
        blocks.append(_block(language, article["title"], article["summary"], original=True))
    for target in targets:
        if target == language:
            blocks.append(_block(target, article["title"], article["summary"], original=True))
        elif target in translations:
            done = translations[target]
            blocks.append(_block(target, done["title"], done["summary"], original=False))
    return {
        **article,
        "error": article.get("error"),
        "language_name": LANGUAGE_NAMES.get(language or "", ""),
        "blocks": blocks,
        "missing": [t for t in targets if t != language and t not in translations],
    }


def _block(language: str, title: str | None, summary: str | None, *, original: bool) -> dict[str, Any]:
    return {
        "lang": language,
        "name": LANGUAGE_NAMES.get(language, language),
        "title": title,
        "summary": summary or "",
        "original": original,
    }


def _environment(format: str) -> jinja2.Environment:
    """Jinja2 over the shipped templates, autoescaping HTML, with the filters templates use."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=format == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update({"md": md_escape, "md_url": md_url, "web_url": web_url})
    return environment


def _render_template(digest: dict[str, Any], format: str, template: Path | None) -> str:
    import jinja2

    environment = _environment(format)
    name = str(template) if template is not None else f"digest.{format}.j2"
    try:
        if template is not None:
            compiled = environment.from_string(read_text(template, limit=TEMPLATE_LIMIT_BYTES))
        else:
            compiled = environment.get_template(name)
        return compiled.render(template_context(digest))
    except jinja2.TemplateSyntaxError as error:
        raise InvalidOption(f"{name}: template error at line {error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise InvalidOption(f"{name}: the template failed: {error.message}") from None
