"""The texts coordinators can give in another language or in young-person wording.

A survey or consultation is listed as groups of texts (the survey itself, each section, each
question with its options; a consultation and its proposals); so are an area of weakness, a
plan action with its progress updates, a "You said, we did" response and an event. Staff edit
one variant at a time beside the English; blanks fall back to English for the reader (see
`shared.wording`). Who may: `roles.TRANSLATORS`. A response's translation meets the two-person
rule as `thread.publishing.translation_changed` says.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    ApprovalState,
    Area,
    Consultation,
    Event,
    Survey,
    YouSaidWeDid,
)
from ..people import audit
from ..plan import rules as plan_rules
from ..shared.dates import day
from ..shared.rich_text import sanitise
from ..shared.wording import VARIANT_YOUNG_PERSON, set_translation
from ..thread import publishing

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
    "finding": _l("What the inspectors found"),
    "plain_summary": _l("In plain English"),
    "young_person_summary": _l("For young people"),
    "note": _l("Progress note"),
    "you_said": _l("You said"),
    "we_did": _l("We did"),
    "status_reason": _l("Why this is not possible"),
    "withdrawn_reason": _l("Why it was withdrawn"),
    "venue": _l("Venue"),
    "address": _l("Address"),
    "access_notes": _l("Access information"),
}

# An event's texts and their limits (those of the English), in the order its page shows them.
EVENT_TEXTS = {"title": 300, "description": 5000, "venue": 300, "address": 1000}
EVENT_TEXTS |= {"access_notes": 2000}
MULTILINE_EVENT_TEXTS = {"description", "address", "access_notes"}


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


def area_groups(area) -> list[TextGroup]:
    """An area of weakness: its title, the finding, the plain-English and young-person texts
    (each language has its own young-person text, so no "yp" variants here)."""
    about = TextGroup(_("Area %(number)d", number=area.number))
    about.add(area, "title", plan_rules.TITLE_MAX)
    about.add(area, "finding", plan_rules.FINDING_MAX, multiline=True)
    about.add(area, "plain_summary", plan_rules.SUMMARY_MAX, multiline=True)
    about.add(area, "young_person_summary", plan_rules.SUMMARY_MAX, multiline=True)
    return [about]


def action_groups(action) -> list[TextGroup]:
    """A plan action and the notes of its progress updates, newest first as the public page."""
    about = TextGroup(_("Action %(reference)s", reference=action.reference))
    about.add(action, "title", plan_rules.TITLE_MAX)
    about.add(action, "description", plan_rules.DESCRIPTION_MAX, multiline=True)
    groups = [about]
    for update in action.updates:
        group = TextGroup(_("Progress update of %(date)s", date=day(update.created_at)))
        group.add(update, "note", plan_rules.NOTE_MAX, multiline=True)
        groups.append(group)
    return groups


def response_groups(response) -> list[TextGroup]:
    """Every text of a "You said, we did" response the public page can show."""
    about = TextGroup(_("The response"))
    about.add(response, "title", publishing.TITLE_MAX)
    about.add(response, "we_did", publishing.TEXT_MAX, multiline=True)
    about.add(response, "status_reason", publishing.REASON_MAX, multiline=True)
    about.add(response, "you_said", publishing.TEXT_MAX, multiline=True)
    about.add(response, "withdrawn_reason", publishing.REASON_MAX, multiline=True)
    return [about]


def event_groups(event) -> list[TextGroup]:
    """What an event's public page shows in words: title, description, place, access."""
    about = TextGroup(_("The event"))
    for name, limit in EVENT_TEXTS.items():
        about.add(event, name, limit, multiline=name in MULTILINE_EVENT_TEXTS)
    return [about]


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
    before_after = {}
    for text in (t for g in groups for t in g.texts):
        if text.key not in submitted:
            continue
        value = (submitted[text.key] or "").strip()
        if text.rich:
            value = sanitise(value)
        before = text.current(variant.code)
        if value != before:
            set_translation(text.obj, variant.code, text.field, value)
            changed += 1
            before_after[text.key] = {"before": before, "after": value}
    if changed:
        kind = subject.__tablename__.rstrip("s")  # "survey", "consultation", "area", "event"…
        detail = {"variant": variant.code, "texts_changed": changed}
        if isinstance(subject, YouSaidWeDid):
            # Public words in the council's name: what changed is kept for a second person.
            detail["changes"] = before_after
            publishing.translation_changed(actor, subject)
        audit.record(
            f"{kind}.translated",
            subject,
            actor=actor,
            summary=variant.label,
            detail=detail,
        )
    db.session.commit()
    return changed


@dataclass
class Translatable:
    """Everything staff can translate, for the translations index: six queries in all."""

    surveys: list
    consultations: list
    areas: list
    actions: list
    responses: list
    events: list


def everything() -> Translatable:
    """Surveys and consultations newest first, the plan in its order, responses not withdrawn
    (most recently changed first) and events not cancelled (latest first)."""
    return Translatable(
        surveys=list(db.session.scalars(select(Survey).order_by(Survey.id.desc()))),
        consultations=list(
            db.session.scalars(select(Consultation).order_by(Consultation.id.desc()))
        ),
        areas=list(db.session.scalars(select(Area).order_by(Area.number))),
        actions=list(db.session.scalars(select(Action).order_by(Action.reference))),
        responses=list(
            db.session.scalars(
                select(YouSaidWeDid)
                .where(YouSaidWeDid.state != ApprovalState.WITHDRAWN.value)
                .order_by(YouSaidWeDid.updated_at.desc(), YouSaidWeDid.id.desc())
            )
        ),
        events=list(
            db.session.scalars(
                select(Event)
                .where(Event.cancelled_at.is_(None))
                .order_by(Event.starts_at.desc(), Event.id.desc())
            )
        ),
    )


def consultation_with_texts(consultation_id: int):
    """A consultation and its proposals, loaded up front for the translation page."""
    return db.session.scalars(
        select(Consultation)
        .where(Consultation.id == consultation_id)
        .options(selectinload(Consultation.proposals))
    ).first()
