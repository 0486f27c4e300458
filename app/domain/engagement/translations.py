"""The texts coordinators can give in another language or in young-person wording.

A survey or consultation is listed as groups of texts (the survey itself, each section, each
question with its options; a consultation and its proposals). Staff edit one variant at a time
beside the English; blanks fall back to English for the reader (see `survey_texts`).
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Consultation
from ..people import audit
from ..shared.rich_text import sanitise
from ..shared.wording import VARIANT_YOUNG_PERSON, set_translation

FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "audience": _l("Who it is for"),
    "use_of_answers": _l("What happens with the answers"),
    "description": _l("Description"),
    "text": _l("Question"),
    "hint": _l("Hint"),
    "label": _l("Option"),
    "background_html": _l("Background"),
    "what_we_heard_html": _l("What we heard"),
}


@dataclass
class Text:
    obj: object
    field: str
    max_length: int
    multiline: bool = False
    rich: bool = False  # HTML, cleaned to the rich-text allow-list on save
    name: str = ""  # a label of its own where the field's name is not enough ("Option 2")

    @property
    def key(self) -> str:
        return f"{self.obj.__tablename__}-{self.obj.id}-{self.field}"

    @property
    def label(self) -> str:
        return self.name or str(FIELD_LABELS.get(self.field, self.field))

    @property
    def english(self) -> str:
        return getattr(self.obj, self.field) or ""

    def current(self, variant: str) -> str:
        return ((self.obj.translations or {}).get(variant) or {}).get(self.field, "")


@dataclass
class TextGroup:
    heading: str
    texts: list[Text] = field(default_factory=list)

    def add(self, obj, field_name: str, max_length: int, **kwargs) -> None:
        """Only texts that exist in English can be translated."""
        if (getattr(obj, field_name) or "").strip():
            self.texts.append(Text(obj, field_name, max_length, **kwargs))


@dataclass(frozen=True)
class Variant:
    code: str
    label: str


def variants(young_person: bool) -> list[Variant]:
    """Every configured language, and young-person wording when the thing offers it."""
    languages = {
        code: name for code, name in current_app.config["LANGUAGES"].items() if code != "en"
    }
    found = []
    if young_person:
        found.append(Variant(VARIANT_YOUNG_PERSON, _("Young person's wording (English)")))
    for code, name in languages.items():
        found.append(Variant(code, name))
        if young_person:
            found.append(
                Variant(
                    f"{code}-{VARIANT_YOUNG_PERSON}",
                    _("%(language)s: young person's wording", language=name),
                )
            )
    return found


def find_variant(code: str, young_person: bool) -> Variant | None:
    return next((v for v in variants(young_person) if v.code == code), None)


def survey_groups(survey) -> list[TextGroup]:
    """The survey's texts in the order a respondent meets them (needs sections, questions and
    options loaded, e.g. by `surveys.load_survey`)."""
    about = TextGroup(_("About the survey"))
    for name, limit in (
        ("title", 200),
        ("summary", 5000),
        ("audience", 5000),
        ("use_of_answers", 5000),
    ):
        about.add(survey, name, limit, multiline=name != "title")
    groups = [about]
    number = 0
    for section in survey.sections:
        page = TextGroup(_("Page: %(title)s", title=section.title))
        page.add(section, "title", 200)
        page.add(section, "description", 5000, multiline=True)
        groups.append(page)
        for question in section.questions:
            number += 1
            group = TextGroup(_("Question %(number)d", number=number))
            group.add(question, "text", 500)
            group.add(question, "hint", 5000, multiline=True)
            for position, option in enumerate(question.options, start=1):
                group.add(option, "label", 300, name=_("Option %(number)d", number=position))
            groups.append(group)
    return groups


def consultation_groups(consultation) -> list[TextGroup]:
    about = TextGroup(_("About the consultation"))
    about.add(consultation, "title", 200)
    about.add(consultation, "summary", 5000, multiline=True)
    about.add(consultation, "background_html", 50000, multiline=True, rich=True)
    about.add(consultation, "what_we_heard_html", 50000, multiline=True, rich=True)
    groups = [about]
    for number, proposal in enumerate(consultation.proposals, start=1):
        group = TextGroup(_("Proposal %(number)d", number=number))
        group.add(proposal, "title", 200)
        group.add(proposal, "description", 5000, multiline=True)
        groups.append(group)
    return groups


def progress(groups: list[TextGroup], variant: str) -> tuple[int, int]:
    """(texts given in this variant, texts in all)."""
    texts = [t for g in groups for t in g.texts]
    return sum(1 for t in texts if t.current(variant).strip()), len(texts)


def save(
    actor, subject, groups: list[TextGroup], variant: Variant, submitted: dict[str, str]
) -> int:
    """Store the submitted texts for one variant, audit the change and commit; returns how many
    changed. Rich texts are cleaned the same way as their English originals.
    """
    changed = 0
    for text in (t for g in groups for t in g.texts):
        if text.key not in submitted:
            continue
        value = (submitted[text.key] or "").strip()
        if text.rich:
            value = sanitise(value)
        if value != text.current(variant.code):
            set_translation(text.obj, variant.code, text.field, value)
            changed += 1
    if changed:
        kind = subject.__tablename__.rstrip("s")  # "survey", "consultation"
        audit.record(
            f"{kind}.translated",
            subject,
            actor=actor,
            summary=variant.label,
            detail={"variant": variant.code, "texts_changed": changed},
        )
    db.session.commit()
    return changed


def consultation_with_texts(consultation_id: int):
    """A consultation and its proposals, loaded up front for the translation page."""
    return db.session.scalars(
        select(Consultation)
        .where(Consultation.id == consultation_id)
        .options(selectinload(Consultation.proposals))
    ).first()
