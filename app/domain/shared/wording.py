"""Which wording a respondent reads: their language, young-person wording, or English.

Each text falls back on its own, so a half-translated survey still reads whole: a Polish
young person sees "pl-yp", then "pl", then "yp", then the English column. Consultations and
proposals store their wording the same way, and so do areas, actions, progress updates, "You
said, we did" responses and events.

Which text, in which language, is decided here and nowhere else: `worded` gives the text with
the language it is in, and `marked` (the `|marked` filter on every page) wraps a text that is not
in the page's language in `lang` (and `dir`), so a screen reader switches voice and punctuation
sits at the right end of a right-to-left line.
"""

from markupsafe import Markup, escape

VARIANT_YOUNG_PERSON = "yp"


def variants(language: str, young_person: bool) -> list[str]:
    """Translation keys to try, best first (English itself is the columns)."""
    keys = []
    if young_person and language != "en":
        keys.append(f"{language}-{VARIANT_YOUNG_PERSON}")
    if language != "en":
        keys.append(language)
    if young_person:
        keys.append(VARIANT_YOUNG_PERSON)
    return keys


def localised(obj, field: str, language: str = "en", young_person: bool = False) -> str:
    """The best wording of `obj.field` for this reader; blank translations do not count."""
    return localised_with_language(obj, field, language, young_person)[0]


def localised_with_language(
    obj, field: str, language: str = "en", young_person: bool = False
) -> tuple[str, str]:
    """The best wording and the language it is in ("en" when it fell back to the English
    column), so a page can mark text that is not in the page's language."""
    translations = getattr(obj, "translations", None) or {}
    for key in variants(language, young_person):
        text = (translations.get(key) or {}).get(field)
        if isinstance(text, str) and text.strip():
            return text, ("en" if key == VARIANT_YOUNG_PERSON else key.split("-")[0])
    return getattr(obj, field) or "", "en"


class Worded(str):
    """A text that knows the language it is written in (a str, so it reads as one)."""

    language: str

    def __new__(cls, text: str, language: str = "en"):
        worded_text = super().__new__(cls, text or "")
        worded_text.language = language
        return worded_text


def worded(obj, field: str, language: str = "en", young_person: bool = False) -> Worded:
    """The best wording of `obj.field` for this reader, with the language it is in."""
    return Worded(*localised_with_language(obj, field, language, young_person))


_BLOCK_TAGS = {"div", "p"}


def marked(
    text, page_language: str, rtl_languages=(), tag: str = "span", rich: bool = False
) -> Markup:
    """The text as HTML, wrapped in `<tag lang dir>` when it is in another language than the
    page (a `Worded` text knows its language; any other text is taken to be the page's).
    `rich` text is already-sanitised HTML (kept as it is), anything else is escaped; rich text
    is wrapped in a `div` (a block may not sit in a `span`)."""
    body = Markup(text) if rich else escape(text or "")
    language = getattr(text, "language", page_language)
    if not str(text or "").strip() or language == page_language:
        return body
    if rich and tag not in _BLOCK_TAGS:
        tag = "div"
    direction = "rtl" if language in rtl_languages else "ltr"
    return Markup('<{tag} lang="{language}" dir="{direction}">{body}</{tag}>').format(
        tag=Markup(tag), language=language, direction=direction, body=body
    )


def set_translation(obj, variant: str, field: str, text: str) -> None:
    """Store (or clear, when blank) one translated text; reassigns the JSON so it is saved."""
    translations = {key: dict(value) for key, value in (obj.translations or {}).items()}
    texts = translations.setdefault(variant, {})
    if text and text.strip():
        texts[field] = text.strip()
    else:
        texts.pop(field, None)
    obj.translations = {key: value for key, value in translations.items() if value}


class Wording:
    """Bind a reader's language and mode once, then ask for texts: `w(question, "text")`."""

    def __init__(self, language: str = "en", young_person: bool = False):
        self.language = language
        self.young_person = young_person

    def __call__(self, obj, field: str) -> Worded:
        return worded(obj, field, self.language, self.young_person)
