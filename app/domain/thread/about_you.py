"""The optional "About you" questions, shared by "Tell us" feedback and surveys.

Stored values are short codes (the AboutYou columns); labels are translated. Districts are
configuration (DISTRICTS) so another local area can use its own.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l

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

# The four broad areas of need in the SEND Code of Practice.
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


def label(field: str, value: str | None) -> str:
    """The translated label for a stored value ("" when not answered)."""
    if not value:
        return ""
    return str(dict(choices(field)).get(value, value))
