""" "About you": several areas of need, stored as codes joined by commas, read back as a list."""

from app.domain.thread import about_you


def test_needs_are_kept_in_the_listed_order_without_unknown_codes():
    assert about_you.needs(["sensory_physical", "x", "communication_interaction"]) == [
        "communication_interaction",
        "sensory_physical",
    ]
    assert about_you.needs("cognition_learning") == ["cognition_learning"]  # stored before
    assert about_you.needs("") == [] and about_you.needs(None) == []
    assert about_you.stored_needs(["not_sure"]) == "not_sure"
    assert about_you.stored_needs(["nonsense"]) is None


def test_labels_and_cleaning(app_ctx):
    assert about_you.label("need", "communication_interaction,sensory_physical") == (
        "Communication and interaction, Sensory and/or physical needs"
    )
    assert about_you.clean(
        {"need": ["sensory_physical"], "age_group": "99", "ehc_plan": "yes", "other": "x"}
    ) == {"need": "sensory_physical", "ehc_plan": "yes"}
