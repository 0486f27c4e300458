"""The helpers every part of the domain shares: refusing, paging, loading chosen records, and
setting fields while noting what changed."""

from datetime import date, datetime

import pytest

from app.domain.people import audit
from app.domain.plan import rules
from app.domain.shared.errors import NotAllowed, Problems, Refused
from app.domain.shared.paging import page_of
from app.domain.shared.records import by_ids
from app.extensions import db
from app.models import Action, Area

# ------------------------------------------------------------------------------------ refusing


def test_a_refusal_names_the_field_of_each_problem():
    refused = Refused(("title", "Enter a title"), ("", "Something about the whole change"))
    assert refused.problems == [
        ("title", "Enter a title"),
        ("", "Something about the whole change"),
    ]
    assert refused.field == "title" and refused.message == "Enter a title"
    assert refused.messages == ["Enter a title", "Something about the whole change"]
    assert str(refused) == "Enter a title; Something about the whole change"


def test_a_refusal_of_one_message_is_about_the_field_given_or_none():
    assert Refused("Enter why", field="reason").problems == [("reason", "Enter why")]
    assert Refused("Only a draft can be sent").field == ""
    assert isinstance(Refused("x"), ValueError)
    assert not issubclass(NotAllowed, Refused)  # a different answer: 403, not a message


def test_problems_are_collected_and_raised_together():
    problems = Problems()
    problems.raise_if_any()  # nothing to say: nothing raised
    problems.add("title", "Enter a title")
    problems.add("finding", "Enter the finding")
    with pytest.raises(Refused) as refused:
        problems.raise_if_any()
    assert dict(refused.value.problems) == {
        "title": "Enter a title",
        "finding": "Enter the finding",
    }


# ------------------------------------------------------------------------------------- paging


def test_a_page_of_a_query_knows_the_total_and_keeps_the_page_in_range(app_ctx):
    query = db.select(Action).order_by(Action.reference)
    everything = list(db.session.scalars(query))
    first = page_of(query, 1, 10)
    assert first.total == len(everything) and first.pages == -(-len(everything) // 10)
    assert first.items == everything[:10]
    second = page_of(query, 2, 10)
    assert second.items == everything[10:20]
    assert page_of(query, 10_000, 10).page == first.pages  # past the end: the last page
    assert page_of(query, -3, 10).page == 1


def test_an_empty_list_has_one_empty_page(app_ctx):
    found = page_of(db.select(Action).where(Action.reference == "nothing"), 4, 10)
    assert (found.items, found.total, found.page, found.pages) == ([], 0, 1, 1)


# ---------------------------------------------------------------------------- records by ids


def test_records_by_ids_keep_the_order_asked_for_and_leave_out_the_unknown(app_ctx):
    areas = list(db.session.scalars(db.select(Area).order_by(Area.number)))
    wanted = [areas[2].id, areas[0].id, 999_999, None, areas[2].id]
    assert by_ids(Area, wanted) == [areas[2], areas[0]]
    assert by_ids(Area, wanted, order_by=Area.number) == [areas[0], areas[2]]
    assert by_ids(Area, []) == [] and by_ids(Area, None) == []


# --------------------------------------------------------------------- setting and auditing


def test_apply_changes_sets_the_fields_and_says_what_changed(app_ctx):
    area = db.session.scalar(db.select(Area).order_by(Area.number))
    changed = audit.apply_changes(area, {"title": "A new title", "number": area.number})
    assert area.title == "A new title"
    assert list(changed) == ["title"]
    assert changed["title"]["to"] == "A new title"
    assert audit.apply_changes(area, {"title": "A new title"}) == {}


def test_audit_values_keep_times_to_the_minute_and_everything_else_as_it_is():
    assert audit.audit_value(datetime(2026, 3, 1, 9, 30, 59)) == "2026-03-01T09:30"
    assert audit.audit_value(date(2026, 3, 1)) == date(2026, 3, 1)
    assert audit.audit_value("text") == "text" and audit.audit_value(None) is None


# -------------------------------------------------------------------------------- plan rules


def test_plan_rules_say_every_problem_with_the_limit_in_the_message(app_ctx):
    problems = Problems()
    rules.check_action_text(
        problems,
        reference="x" * (rules.REFERENCE_MAX + 1),
        title="t" * (rules.TITLE_MAX + 1),
        description="d" * (rules.DESCRIPTION_MAX + 1),
        lead="",
    )
    assert dict(problems.items) == {
        "reference": "Reference must be 30 characters or fewer",
        "title": "Title must be 300 characters or fewer",
        "description": "Description must be 5,000 characters or fewer",
    }


def test_plan_rules_for_areas_and_progress(app_ctx):
    problems = Problems()
    rules.check_area(
        problems, number=100, title=" ", finding="f", plain_summary="", young_person_summary=""
    )
    rules.check_progress(problems, 101)
    rules.check_note(problems, "n" * (rules.NOTE_MAX + 1))
    assert dict(problems.items) == {
        "number": "Area number must be between 1 and 99",
        "title": "Enter a title",
        "progress": "Progress must be between 0 and 100",
        "note": "What has changed must be 2,000 characters or fewer",
    }
    taken = db.session.scalar(db.select(Area.number).order_by(Area.number))
    problems = Problems()
    rules.check_area(
        problems, number=taken, title="t", finding="f", plain_summary="", young_person_summary=""
    )
    assert problems.items == [("number", f"Area {taken} already exists")]
