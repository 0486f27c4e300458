"""The optional "About you" questions, shared by "Tell us" feedback and surveys.

Stored values are short codes (the AboutYou columns); labels are translated. Districts are
configuration (DISTRICTS) so another local area can use its own.

Areas of need allow several answers: they are stored as their codes joined by commas, in the
order of NEEDS ("communication_interaction,sensory_physical"), so a single answer stored before
is still a list of one. `needs`, `stored_needs` and `need_matches` are the only readers and
writers of that form.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import literal

RELATIONSHIPS = [
    ("parent_carer", _l("Parent or carer")),
    ("young_person", _l("Young person")),
    ("professional", _l("Professional")),
]

AGE_GROUPS = [
    ("0-4", _l("0 to 4")),
    ("5-10", _l("5 to 10")),
    ("11-15", _l("11 to 15")),
    ("16-18", _l("16 to 18")),
    ("19-25", _l("19 to 25")),
]

# The four broad areas of need in the SEND Code of Practice (a child may have more than one).
NEEDS = [
    ("communication_interaction", _l("Communication and interaction")),
    ("cognition_learning", _l("Cognition and learning")),
    ("social_emotional_mental_health", _l("Social, emotional and mental health")),
    ("sensory_physical", _l("Sensory and/or physical needs")),
    ("not_sure", _l("Not sure")),
]

SETTINGS = [
    ("early_years", _l("Early years")),
    ("mainstream_school", _l("Mainstream school")),
    ("special_school", _l("Special school")),
    ("college", _l("College")),
    ("not_in_education", _l("Not in education")),
    ("other", _l("Other")),
]

EHC_PLAN = [
    ("yes", _l("Yes")),
    ("no", _l("No")),
    ("not_sure", _l("Not sure")),
]


FIELDS = ("relationship_to_child", "district", "age_group", "need", "setting", "ehc_plan")


def districts() -> list[tuple[str, str]]:
    """The configured districts; the stored value is the district's name."""
    return [(name, name) for name in current_app.config.get("DISTRICTS", [])]


def choices(field: str) -> list[tuple[str, str]]:
    """The choices for one AboutYou field, by its attribute name."""
    if field == "district":
        return districts()
    return {
        "relationship_to_child": RELATIONSHIPS,
        "age_group": AGE_GROUPS,
        "need": NEEDS,
        "setting": SETTINGS,
        "ehc_plan": EHC_PLAN,
    }[field]


NEED_SEPARATOR = ","


def needs(value) -> list[str]:
    """The known need codes in a stored value (a comma-joined string) or a form's list, in the
    order of NEEDS; anything unknown is dropped."""
    if not value:
        return []
    given = value.split(NEED_SEPARATOR) if isinstance(value, str) else list(value)
    given = {str(code).strip() for code in given}
    return [code for code, _label in NEEDS if code in given]


def stored_needs(value) -> str | None:
    """Needs as they are stored: codes joined by commas, or None when none was chosen."""
    return NEED_SEPARATOR.join(needs(value)) or None


def need_matches(column, code: str):
    """SQL: the stored needs in `column` include `code` (for filters and counts). One LIKE over
    the value with a comma added at each end, so it stays cheap when many codes are counted."""
    return (literal(NEED_SEPARATOR) + column + literal(NEED_SEPARATOR)).like(
        f"%{NEED_SEPARATOR}{code}{NEED_SEPARATOR}%"
    )


def clean(answers: dict | None) -> dict[str, str]:
    """Only known fields with one of their listed values, as stored (needs joined); anything else
    is dropped, so a changed page or a hand-made request stores nothing wrong."""
    kept = {}
    for field, value in (answers or {}).items():
        if field == "need":
            if stored := stored_needs(value):
                kept[field] = stored
        elif field in FIELDS and isinstance(value, str) and value in dict(choices(field)):
            kept[field] = value
    return kept


def label(field: str, value) -> str:
    """The translated label for a stored value ("" when not answered); needs joined by commas."""
    if not value:
        return ""
    if field == "need":
        names = dict(NEEDS)
        return ", ".join(str(names[code]) for code in needs(value)) or str(value)
    return str(dict(choices(field)).get(value, value))


# The young person's version asks the same questions of the person answering, in the first
# person ("Me", "My parent or carer"); the stored codes are the same, so reach counts them together.
YOUNG_PERSON_QUESTIONS = {
    "relationship_to_child": _l("Who is answering?"),
    "district": _l("Where do you live?"),
    "age_group": _l("How old are you?"),
    "need": _l("What do you need most help with?"),
    "setting": _l("Where do you learn?"),
    "ehc_plan": _l("Do you have an EHC plan?"),
}

YOUNG_PERSON_CHOICES = {
    "relationship_to_child": [
        ("young_person", _l("Me")),
        ("parent_carer", _l("My parent or carer, helping me")),
        ("professional", _l("Someone from my school, college or another service, helping me")),
    ],
    "age_group": [
        ("11-15", _l("11 to 15")),
        ("16-18", _l("16 to 18")),
        ("19-25", _l("19 to 25")),
        ("5-10", _l("10 or younger")),
    ],
    "need": [
        ("communication_interaction", _l("Talking, listening and understanding other people")),
        ("cognition_learning", _l("Learning, reading or remembering")),
        ("social_emotional_mental_health", _l("My feelings and mental health")),
        ("sensory_physical", _l("Seeing, hearing or moving about")),
        ("not_sure", _l("I am not sure")),
    ],
    "setting": [
        ("mainstream_school", _l("My school (a mainstream school)")),
        ("special_school", _l("My special school")),
        ("college", _l("My college")),
        ("not_in_education", _l("I am not at school or college")),
        ("other", _l("Somewhere else")),
    ],
    "ehc_plan": [
        ("yes", _l("Yes")),
        ("no", _l("No")),
        ("not_sure", _l("I am not sure")),
    ],
}


def young_person_choices(field: str) -> list[tuple[str, str]]:
    """The choices for one AboutYou field as the young person's version words them."""
    return YOUNG_PERSON_CHOICES.get(field) or choices(field)


def label_for(field: str, value: str | None, young_person: bool = False) -> str:
    """`label`, in the young person's words when they answered the young person's version."""
    if young_person and value:
        found = dict(young_person_choices(field)).get(value)
        if found is not None:
            return str(found)
    return label(field, value)
