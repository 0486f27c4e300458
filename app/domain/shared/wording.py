"""Which wording a respondent reads: their language, young-person wording, or English.

Each text falls back on its own, so a half-translated survey still reads whole: a Polish
young person sees "pl-yp", then "pl", then "yp", then the English column. Consultations and
proposals store their wording the same way.
"""

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

    def __call__(self, obj, field: str) -> str:
        return localised(obj, field, self.language, self.young_person)
