"""Request and response models: the OpenAPI contract.

Request models are flat (no nested models), so their JSON Schema can be declared
inline for both JSON and form bodies. Limits that operators configure (characters,
texts per batch, alternatives) are not in the schema: they are checked by
``limits`` and answered with a 400 that names the setting.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from toolkit.summarization import SummaryOptions

MAX_CODE_CHARS = 16  # "zh-Hans", "auto"; longer is no language code
MAX_NAME_CHARS = 32
MAX_LABEL_CHARS = 256  # a file name or a publication's name
MAX_URL_CHARS = 2048

Code = Annotated[str, Field(min_length=1, max_length=MAX_CODE_CHARS, examples=["en"])]


class Body(BaseModel):
    """Unknown fields are ignored (clients send their own, e.g. LibreTranslate's ``secret``)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    api_key: str | None = Field(None, max_length=256, description="an API key (or send it in a header)")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class TranslateRequest(Body):
    q: str | list[str] = Field(
        description="a text, or a list of texts (the answer follows the shape); an empty text comes back empty"
    )
    source: Code = Field("auto", description="en, zh (zh-Hans, zh-CN), ru, or auto: each text detected on its own")
    target: Code
    format: Literal["text", "html"] = "text"
    alternatives: int = Field(0, ge=0, description="other translations wanted per text")
    glossary: bool = Field(True, description="enforce the glossary's terms")

    @field_validator("q")
    @classmethod
    def _texts(cls, value: str | list[str]) -> str | list[str]:
        # Empty texts are answered empty (batch clients send a file's empty strings), an empty list is not.
        if isinstance(value, list) and not value:
            raise ValueError("must not be empty")
        return value


class TranslateFileRequest(Body):
    """The form fields around ``file`` (multipart): LibreTranslate asks for both languages."""

    source: Code = Field(description="en, zh (zh-Hans, zh-CN), ru, or auto: the document detected once")
    target: Code


class TranslateFileResponse(BaseModel):
    translatedFileUrl: str = Field(description="GET it for the translated file (kept a limited time)")


class DetectRequest(Body):
    q: str

    _q = field_validator("q")(_not_blank)


class SummarizeRequest(Body):
    text: str
    language: Code | None = Field(None, description="skip detection (en, zh, ru)")
    sentences: int | None = Field(None, ge=1, description="how many sentences")
    ratio: float | None = Field(None, gt=0, le=1, description="or the share of the article's sentences")
    algorithm: str | None = Field(None, max_length=MAX_NAME_CHARS)

    _text = field_validator("text")(_not_blank)

    def options(self) -> SummaryOptions:
        """The summary options these fields ask for (checked: a bad combination raises ``InvalidOption``)."""
        return SummaryOptions(self.sentences, self.ratio, self.algorithm, self.language)


class ProcessRequest(SummarizeRequest):
    targets: list[Code] = Field(["en", "zh", "ru"], min_length=1, max_length=3, description="or, in a form, en,zh")
    glossary: bool = True
    newsletter_html: bool = Field(
        False, description="add the article's block of the email digest, in the digest's HTML, to paste into a newsletter"
    )
    name: str = Field("", max_length=MAX_LABEL_CHARS, description="where the article comes from, shown in that block")
    url: str | None = Field(
        None, max_length=MAX_URL_CHARS, description="the article's address (http or https): that block's title links to it"
    )

    @field_validator("targets", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        # A form or query field is one text: "en,zh".
        return [part.strip() for part in value.split(",")] if isinstance(value, str) else value


class GlossaryRequest(Body):
    source: str
    translation: str
    source_language: Code = Field(alias="from")
    target_language: Code = Field(alias="to")

    _texts = field_validator("source", "translation")(_not_blank)


class Error(BaseModel):
    error: str = Field(description="what was wrong and what to do")


class DetectedLanguage(BaseModel):
    language: str
    confidence: float = Field(ge=0, le=100, description="0 to 100, as LibreTranslate says it")


class TranslateResponse(BaseModel):
    translatedText: str | list[str]
    detectedLanguage: DetectedLanguage | list[DetectedLanguage] | None = None
    alternatives: list[str] | list[list[str]] | None = None


class Language(BaseModel):
    code: str
    name: str
    targets: list[str]


class NamedLanguage(BaseModel):
    code: str
    name: str


class FrontendLanguages(BaseModel):
    source: NamedLanguage
    target: NamedLanguage


class FrontendSettings(BaseModel):
    charLimit: int
    frontendTimeout: int
    apiKeys: bool
    keyRequired: bool
    suggestions: bool
    filesTranslation: bool
    supportedFilesFormat: list[str]
    language: FrontendLanguages


class SummarySentence(BaseModel):
    text: str
    start: int
    end: int
    score: float


class SummaryResponse(BaseModel):
    language: str
    algorithm: str
    title: str | None
    sentences: list[SummarySentence]
    summary: str
    signature: str = Field(description="what made the summary: triglot, the segmenter, the algorithm")


class TermReport(BaseModel):
    id: str
    source: str
    expected: str
    status: Literal["ok", "fixed", "missing"]


class FixResponse(BaseModel):
    fixed: str
    terms: list[TermReport]


class CheckResponse(FixResponse):
    all_preferred: bool


class GlossaryEntry(BaseModel):
    id: str
    en: str
    zh: str
    ru: str
    en_variants: list[str]
    zh_variants: list[str]
    ru_variants: list[str]
    note: str


class Health(BaseModel):
    status: Literal["ok"]


class Ready(BaseModel):
    status: Literal["ready"]
    packages: list[str] = Field(description="the packages loaded at start and still on disk, e.g. en→zh")
    cache: str = Field(description="'ok', 'off' (TRIGLOT_CACHE=0), or why the translation cache is not in use")
    rate_limit: str = Field(
        description="'ok', 'off' (TRIGLOT_RATE_LIMIT=0), or why requests are not counted (the Redis of "
        "TRIGLOT_REDIS_URL is down: they go through or get 503, as TRIGLOT_RATE_LIMIT_ON_REDIS_ERROR says)"
    )


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI requestBody for a route that reads its body itself: JSON, or a form (its fields may
    come in the query string too, as LibreTranslate reads them)."""
    schema = model.model_json_schema(by_alias=True)
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    # A form field is one value: q is a single text, targets comma-separated, and "absent" replaces null.
    properties = {name: _without_null(field) for name, field in schema["properties"].items()}
    if "q" in properties:
        properties["q"] = {"type": "string"}
    if "targets" in properties:
        properties["targets"] = {"type": "string", "examples": ["en,zh"]}
    flat = {"type": "object", "properties": properties, "required": schema.get("required", [])}
    content["application/x-www-form-urlencoded"] = {"schema": flat}
    content["multipart/form-data"] = {"schema": flat}
    description = "JSON alone; or a form, each field of which the URL's query string may give instead (it wins)"
    # Not required: deep-translator sends every field in the query string and no body at all.
    return {"requestBody": {"required": False, "description": description, "content": content}}


def _without_null(field: dict[str, Any]) -> dict[str, Any]:
    variants = [v for v in field.get("anyOf", []) if v.get("type") != "null"]
    if len(variants) == 1:
        return {**{k: v for k, v in field.items() if k not in ("anyOf", "default")}, **variants[0]}
    return field


class Detection(BaseModel):
    language: str
    confidence: float = Field(ge=0, le=1)
    supported: bool


class AlignedSentence(BaseModel):
    text: str = Field(description="a summary sentence in the target language")
    start: int = Field(description="where the sentence it translates starts in the article")
    end: int = Field(description="and where it ends: the article's text[start:end] is that sentence")


class TranslatedSummary(BaseModel):
    title: str | None
    summary: str
    sentences: list[AlignedSentence] = Field(description="the summary sentence by sentence, each aligned with its source")
    terms: list[TermReport]
    signature: str


class ProcessResponse(BaseModel):
    detection: Detection
    title: str | None
    summary: SummaryResponse
    translations: dict[str, TranslatedSummary] = Field(description="per target other than the article's language")
    newsletter_html: str | None = Field(
        None, description="with newsletter_html: the article as the email digest shows it, in a table 640 px wide"
    )
