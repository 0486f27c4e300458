"""Survey building rules: details and links, every question type, options, conditions that point
backwards, order across the whole survey, the life from draft to closed, duplicating, and
protecting what people already answered."""

from datetime import datetime, timedelta

import pytest

from app.demo.surveys import create_ehc_survey
from app.domain.shared.errors import Refused
from app.domain.surveys import builder as survey_builder
from app.domain.surveys import duplicating as survey_copy
from app.domain.surveys import questions as survey_structure
from app.domain.surveys.builder import SurveyDetails
from app.domain.surveys.questions import QuestionDetails, SectionDetails
from app.domain.surveys.recording import record_response
from app.domain.surveys.structure import Structure, SurveyPhase, load_survey, phase
from app.extensions import db
from app.models import (
    Action,
    Area,
    AuditEntry,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyCondition,
    SurveyQuestion,
    SurveySection,
    SurveyStatus,
)
from app.models.base import utcnow

from ..conftest import user_for


@pytest.fixture
def coordinator(app_ctx):
    return user_for("coordinator")


def reload(survey_or_id) -> Survey:
    survey_id = survey_or_id if isinstance(survey_or_id, int) else survey_or_id.id
    db.session.expire_all()
    return load_survey(survey_id)


def audit_actions(survey_id: int) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AuditEntry.action)
            .where(AuditEntry.record_type == "surveys", AuditEntry.record_id == str(survey_id))
            .order_by(AuditEntry.id)
        )
    )


def problems(refused) -> dict[str, str]:
    return dict(refused.value.problems)


def draft(coordinator, title="Short breaks 2027", **overrides) -> Survey:
    survey = survey_builder.create_survey(coordinator, SurveyDetails(title=title, **overrides))
    return reload(survey)


def section(coordinator, survey, title="About you and your child", condition=None) -> SurveySection:
    added = survey_structure.add_section(
        coordinator, survey, SectionDetails(title=title, condition_option_id=condition)
    )
    return added


def question(coordinator, survey, section_, kind, text=None, **fields) -> SurveyQuestion:
    details = QuestionDetails(text=text or f"A {kind.value} question", **fields)
    return survey_structure.add_question(
        coordinator, reload(survey), _same(section_), kind, details
    )


def _same(section_: SurveySection) -> SurveySection:
    """The loaded copy of a section, from a freshly loaded survey."""
    survey = load_survey(section_.survey_id)
    return next(s for s in survey.sections if s.id == section_.id)


def order(survey_id: int) -> list[tuple[str, list[str]]]:
    survey = reload(survey_id)
    return [(s.title, [q.text for q in s.questions]) for s in survey.sections]


def positions_are_consistent(survey_id: int) -> None:
    survey = reload(survey_id)
    flat = [q for s in survey.sections for q in s.questions]
    assert [q.position for q in flat] == list(range(1, len(flat) + 1))
    assert [s.position for s in survey.sections] == list(range(len(survey.sections)))
    assert all(
        q.survey_id == survey.id and q.section_id == s.id
        for s in survey.sections
        for q in s.questions
    )


# Details and links -------------------------------------------------------------------------


def test_slugs_come_from_the_title_and_are_unique(coordinator):
    assert (
        survey_builder.slugify("  Short Breaks & Holiday Activities: 2027! ")
        == "short-breaks-holiday-activities-2027"
    )
    assert survey_builder.slugify("Żółć") == "zoc"
    assert survey_builder.slugify("ای ایچ سی") == ""
    first = draft(coordinator, "Short breaks")
    second = draft(coordinator, "Short breaks")
    third = draft(coordinator, "Short  breaks!")
    assert (first.slug, second.slug, third.slug) == (
        "short-breaks",
        "short-breaks-2",
        "short-breaks-3",
    )
    assert draft(coordinator, "ای ایچ سی").slug == "survey"


def test_create_stores_every_detail_and_links_and_is_audited(coordinator):
    areas = list(db.session.scalars(db.select(Area).where(Area.number.in_([1, 6]))))
    action = db.session.scalar(db.select(Action).where(Action.reference == "APP-1.2"))
    opens = utcnow().replace(microsecond=0) + timedelta(days=3)
    survey = draft(
        coordinator,
        "Waiting for an assessment",
        summary="What it was like.",
        audience="Parents",
        use_of_answers="We read them all.",
        estimated_minutes=7,
        opens_at=opens,
        closes_at=opens + timedelta(days=30),
        young_person_version=True,
        about_you=False,
        ask_consent_to_quote=False,
        area_ids=[a.id for a in areas],
        action_ids=[action.id],
        slug="waiting-2027",
    )
    assert survey.slug == "waiting-2027" and survey.status == SurveyStatus.DRAFT.value
    assert (survey.summary, survey.audience, survey.use_of_answers, survey.estimated_minutes) == (
        "What it was like.",
        "Parents",
        "We read them all.",
        7,
    )
    assert survey.young_person_version and not survey.about_you and not survey.ask_consent_to_quote
    assert sorted(a.number for a in survey.areas) == [1, 6] and [
        a.reference for a in survey.actions
    ] == ["APP-1.2"]
    assert survey.created_by_id == coordinator.id
    assert phase(survey) == SurveyPhase.DRAFT
    assert audit_actions(survey.id) == ["survey.created"]


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"estimated_minutes": 0}, "estimated_minutes"),
        ({"estimated_minutes": 500}, "estimated_minutes"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "-edge-"}, "slug"),
        ({"slug": "a" * 121}, "slug"),
        (
            {"opens_at": utcnow() + timedelta(days=5), "closes_at": utcnow() + timedelta(days=4)},
            "closes_at",
        ),
        ({"opens_at": datetime(2031, 5, 1, 9), "closes_at": datetime(2031, 5, 1, 9)}, "closes_at"),
    ],
)
def test_bad_details_are_refused_with_the_field(coordinator, overrides, field):
    values = {"title": "A survey", **overrides}
    with pytest.raises(Refused) as refused:
        survey_builder.create_survey(coordinator, SurveyDetails(**values))
    assert field in problems(refused)
    assert db.session.scalar(db.select(Survey).where(Survey.title == values["title"])) is None


def test_a_slug_cannot_be_taken_twice_nor_changed_once_published(coordinator):
    first = draft(coordinator, "First")
    second = draft(coordinator, "Second")
    details = SurveyDetails.of(second)
    details.slug = first.slug
    with pytest.raises(Refused) as refused:
        survey_builder.update_survey(coordinator, second, details)
    assert "already uses the link" in problems(refused)["slug"]
    details.slug = "second-renamed"
    assert "slug" in survey_builder.update_survey(coordinator, second, details)
    published = create_ehc_survey()
    details = SurveyDetails.of(published)
    details.slug = "something-else"
    with pytest.raises(Refused) as refused:
        survey_builder.update_survey(coordinator, reload(published), details)
    assert "cannot change once the survey is published" in problems(refused)["slug"]


def test_update_records_what_changed(coordinator):
    survey = draft(coordinator)
    details = SurveyDetails.of(survey)
    details.title = "Short breaks and holidays"
    details.area_ids = [db.session.scalar(db.select(Area.id).where(Area.number == 4))]
    assert set(survey_builder.update_survey(coordinator, survey, details)) == {"title", "areas"}
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "survey.updated"))
    assert entry.detail["title"] == {"from": "Short breaks 2027", "to": "Short breaks and holidays"}
    assert entry.detail["areas"] == {"from": [], "to": [4]}
    assert (
        survey_builder.update_survey(coordinator, reload(survey), SurveyDetails.of(reload(survey)))
        == []
    )


# Questions of every type ---------------------------------------------------------------------


def test_every_type_of_question(coordinator):
    survey = draft(coordinator)
    page = section(coordinator, survey)
    short = question(
        coordinator, survey, page, QuestionKind.SHORT_TEXT, max_length=80, hint="A few words."
    )
    long_ = question(coordinator, survey, page, QuestionKind.LONG_TEXT)
    single = question(
        coordinator,
        survey,
        page,
        QuestionKind.SINGLE_CHOICE,
        new_options=["Email", " ", "Phone"],
        required=True,
    )
    multiple = question(
        coordinator,
        survey,
        page,
        QuestionKind.MULTIPLE_CHOICE,
        new_options=["Email", "Phone", "Letter"],
        allow_other=True,
    )
    rating = question(
        coordinator,
        survey,
        page,
        QuestionKind.RATING,
        new_options=list(survey_structure.DEFAULT_RATING_POINTS),
    )
    yes_no = question(coordinator, survey, page, QuestionKind.YES_NO)
    number = question(coordinator, survey, page, QuestionKind.NUMBER, min_value=0, max_value=52)
    when = question(coordinator, survey, page, QuestionKind.DATE, max_length=99, min_value=3)
    survey = reload(survey)
    questions = {q.id: q for q in survey.sections[0].questions}
    assert questions[short.id].max_length == 80 and questions[short.id].hint == "A few words."
    assert questions[long_.id].max_length is None  # the default in domain.surveys applies
    assert [o.label for o in questions[single.id].options] == ["Email", "Phone"] and questions[
        single.id
    ].required
    assert questions[multiple.id].allow_other
    assert [o.label for o in questions[rating.id].options] == list(
        survey_structure.DEFAULT_RATING_POINTS
    )
    assert [o.position for o in questions[rating.id].options] == [1, 2, 3, 4, 5]  # 1 is the lowest
    yes, no = questions[yes_no.id].options
    assert (yes.label, no.label) == ("Yes", "No")
    assert yes.translations["pl"]["label"] == "Tak" and no.translations["pl"]["label"] == "Nie"
    assert (questions[number.id].min_value, questions[number.id].max_value) == (0, 52)
    # Settings that do not belong to a type are not stored.
    assert questions[when.id].max_length is None and questions[when.id].min_value is None
    positions_are_consistent(survey.id)
    assert audit_actions(survey.id).count("survey.question_added") == 8


@pytest.mark.parametrize(
    "kind,fields,field,words",
    [
        (QuestionKind.SINGLE_CHOICE, {"new_options": []}, "options", "at least 2"),
        (QuestionKind.MULTIPLE_CHOICE, {"new_options": ["Only one"]}, "options", "at least 2"),
        (QuestionKind.RATING, {"new_options": ["Bad"]}, "options", "at least 2 points"),
        (QuestionKind.RATING, {"new_options": [str(n) for n in range(12)]}, "options", "up to 11"),
        (
            QuestionKind.SINGLE_CHOICE,
            {"new_options": ["Email", "email"]},
            "options",
            "more than once",
        ),
        (
            QuestionKind.SINGLE_CHOICE,
            {"new_options": ["x" * 301, "y"]},
            "options",
            "300 characters",
        ),
        (
            QuestionKind.NUMBER,
            {"min_value": 10, "max_value": 5},
            "max_value",
            "same as or more than",
        ),
        (QuestionKind.NUMBER, {"min_value": -(10**12)}, "min_value", "between"),
        (QuestionKind.SHORT_TEXT, {"max_length": 0}, "max_length", "between 1"),
        (QuestionKind.LONG_TEXT, {"max_length": 10**6}, "max_length", "between 1"),
        (QuestionKind.DATE, {"text": " "}, "text", "Enter the question"),
        (QuestionKind.DATE, {"text": "x" * 501}, "text", "500 characters"),
    ],
)
def test_bad_questions_are_refused_with_the_field(coordinator, kind, fields, field, words):
    survey = draft(coordinator)
    page = section(coordinator, survey)
    fields = {"text": "What happened?", **fields}
    with pytest.raises(Refused) as refused:
        survey_structure.add_question(
            coordinator, reload(survey), _same(page), kind, QuestionDetails(**fields)
        )
    assert words in problems(refused)[field]
    assert reload(survey).sections[0].questions == []


# Options -------------------------------------------------------------------------------------


def test_options_are_corrected_in_place_added_and_removed(coordinator):
    survey = draft(coordinator)
    page = section(coordinator, survey)
    asked = question(
        coordinator, survey, page, QuestionKind.SINGLE_CHOICE, new_options=["Emial", "Phone", "Fax"]
    )
    survey = reload(survey)
    asked = survey.sections[0].questions[0]
    email, phone, fax = asked.options
    details = QuestionDetails(
        text=asked.text,
        option_labels={email.id: "Email", phone.id: "Phone", fax.id: "Fax"},
        remove_option_ids={fax.id},
        new_options=["Letter", ""],
    )
    changed = survey_structure.update_question(coordinator, survey, asked, details)
    assert "options" in changed
    asked = reload(survey).sections[0].questions[0]
    assert [(o.id, o.label, o.position) for o in asked.options] == [
        (email.id, "Email", 1),
        (phone.id, "Phone", 2),
        (asked.options[2].id, "Letter", 3),
    ]
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "survey.question_changed")
    )
    assert {"from": "Emial", "to": "Email"} in entry.detail["options"]
    assert {"removed": "Fax"} in entry.detail["options"] and {"added": "Letter"} in entry.detail[
        "options"
    ]


def test_option_problems_are_named_by_option(coordinator):
    survey = draft(coordinator)
    page = section(coordinator, survey)
    question(coordinator, survey, page, QuestionKind.SINGLE_CHOICE, new_options=["Email", "Phone"])
    question(coordinator, survey, page, QuestionKind.YES_NO)
    survey = reload(survey)
    asked, yes_no = survey.sections[0].questions
    email, phone = asked.options
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            asked,
            QuestionDetails(text=asked.text, option_labels={email.id: " ", phone.id: "Phone"}),
        )
    assert "option 1" in problems(refused)[f"option_{email.id}"]
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            asked,
            QuestionDetails(text=asked.text, remove_option_ids={email.id}),
        )
    assert "at least 2" in problems(refused)["options"]
    yes = yes_no.options[0]
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            yes_no,
            QuestionDetails(text=yes_no.text, remove_option_ids={yes.id}, new_options=["Maybe"]),
        )
    assert "two options" in problems(refused)[f"remove_{yes.id}"]
    assert "two options" in problems(refused)["options"]
    # Yes and no can be reworded.
    survey_structure.update_question(
        coordinator,
        survey,
        yes_no,
        QuestionDetails(text=yes_no.text, option_labels={yes.id: "Yes, I did"}),
    )
    assert reload(survey).sections[0].questions[1].options[0].label == "Yes, I did"


# Conditions ----------------------------------------------------------------------------------


@pytest.fixture
def branching(coordinator):
    """Two sections: "Did you get help?" (yes/no) then "Who helped?" in section 1; section 2
    with one question."""
    survey = draft(coordinator)
    first = section(coordinator, survey, "Help")
    helped = question(coordinator, survey, first, QuestionKind.YES_NO, "Did you get help?")
    who = question(coordinator, survey, first, QuestionKind.SHORT_TEXT, "Who helped?")
    rating = question(
        coordinator,
        survey,
        first,
        QuestionKind.RATING,
        "How good was it?",
        new_options=["Bad", "OK", "Good"],
    )
    second = section(coordinator, reload(survey), "Afterwards")
    after = question(coordinator, survey, second, QuestionKind.LONG_TEXT, "What happened next?")
    return {
        "survey": reload(survey),
        "first": first,
        "second": second,
        "helped": helped,
        "who": who,
        "rating": rating,
        "after": after,
    }


def _q(survey, question_id) -> SurveyQuestion:
    return next(q for s in survey.sections for q in s.questions if q.id == question_id)


def _s(survey, section_id) -> SurveySection:
    return next(s for s in survey.sections if s.id == section_id)


def test_a_question_can_depend_on_an_earlier_yes_no_or_single_choice_answer(coordinator, branching):
    survey = branching["survey"]
    yes = _q(survey, branching["helped"].id).options[0]
    who = _q(survey, branching["who"].id)
    survey_structure.update_question(
        coordinator, survey, who, QuestionDetails(text=who.text, condition_option_id=yes.id)
    )
    survey = reload(survey)
    structure = Structure.of(survey)
    assert structure.question_conditions == {who.id: yes.id}
    assert structure.question_shown(_q(survey, who.id), {str(branching["helped"].id): yes.id})
    assert not structure.question_shown(_q(survey, who.id), {})
    # ... and a whole section can depend on it.
    second = _s(survey, branching["second"].id)
    survey_structure.update_section(
        coordinator, survey, second, SectionDetails(title=second.title, condition_option_id=yes.id)
    )
    assert Structure.of(reload(survey)).section_conditions == {second.id: yes.id}
    # Clearing a condition removes it.
    survey = reload(survey)
    survey_structure.update_question(
        coordinator, survey, _q(survey, who.id), QuestionDetails(text=who.text)
    )
    assert Structure.of(reload(survey)).question_conditions == {}


def test_conditions_that_do_not_point_at_an_earlier_choice_are_refused(coordinator, branching):
    survey = branching["survey"]
    helped = _q(survey, branching["helped"].id)
    who = _q(survey, branching["who"].id)
    rating = _q(survey, branching["rating"].id)
    after = _q(survey, branching["after"].id)
    first = _s(survey, branching["first"].id)
    survey_yes = helped.options[0]
    survey_structure.update_question(
        coordinator, survey, who, QuestionDetails(text=who.text, condition_option_id=survey_yes.id)
    )  # fine: an earlier yes/no question
    survey = reload(survey)
    rating = _q(survey, rating.id)
    # A rating scale is not a single choice.
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            _q(survey, after.id),
            QuestionDetails(text=after.text, condition_option_id=rating.options[0].id),
        )
    assert "single-choice or yes or no" in problems(refused)["condition"]
    # its own answer
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            _q(survey, helped.id),
            QuestionDetails(text=helped.text, condition_option_id=survey_yes.id),
        )
    assert "its own answer" in problems(refused)["condition"]
    # a later question: make "What happened next?" a yes/no then point the first question at it
    survey_structure.change_kind(coordinator, survey, _q(survey, after.id), QuestionKind.YES_NO)
    survey = reload(survey)
    later_yes = _q(survey, after.id).options[0]
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            _q(survey, helped.id),
            QuestionDetails(text=helped.text, condition_option_id=later_yes.id),
        )
    assert "must come after that question" in problems(refused)["condition"]
    # a section that depends on a question inside itself or later
    with pytest.raises(Refused) as refused:
        survey_structure.update_section(
            coordinator,
            survey,
            _s(survey, first.id),
            SectionDetails(title=first.title, condition_option_id=survey_yes.id),
        )
    assert "must come after the section that asks that question" in problems(refused)["condition"]
    # an option from another survey
    other = create_ehc_survey(slug="another-ehc")
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            reload(survey),
            _q(reload(survey), who.id),
            QuestionDetails(
                text=who.text, condition_option_id=other.sections[0].questions[0].options[0].id
            ),
        )
    assert "in this survey" in problems(refused)["condition"]


def test_condition_choices_offer_only_earlier_choice_answers(coordinator, branching):
    survey = branching["survey"]
    helped = _q(survey, branching["helped"].id)
    choices = survey_structure.condition_choices(survey, question=_q(survey, branching["who"].id))
    assert [(c.option_id, c.question_number, c.option_label) for c in choices] == [
        (helped.options[0].id, 1, "Yes"),
        (helped.options[1].id, 1, "No"),
    ]
    assert survey_structure.condition_choices(survey, question=helped) == []
    assert (
        survey_structure.condition_choices(survey, section=_s(survey, branching["first"].id)) == []
    )
    assert (
        len(survey_structure.condition_choices(survey, section=_s(survey, branching["second"].id)))
        == 2
    )
    assert len(survey_structure.condition_choices(survey, new_section=True)) == 2


# Order ---------------------------------------------------------------------------------------


def test_questions_move_up_and_down_and_across_sections(coordinator, branching):
    survey = branching["survey"]
    survey_structure.move_question(coordinator, survey, _q(survey, branching["who"].id), "up")
    assert order(survey.id) == [
        ("Help", ["Who helped?", "Did you get help?", "How good was it?"]),
        ("Afterwards", ["What happened next?"]),
    ]
    survey = reload(survey)
    survey_structure.move_question(coordinator, survey, _q(survey, branching["rating"].id), "down")
    assert order(survey.id) == [
        ("Help", ["Who helped?", "Did you get help?"]),
        ("Afterwards", ["How good was it?", "What happened next?"]),
    ]
    survey = reload(survey)
    survey_structure.move_question(coordinator, survey, _q(survey, branching["rating"].id), "up")
    assert order(survey.id)[0][1][-1] == "How good was it?"
    survey = reload(survey)
    assert (
        survey_structure.move_question(coordinator, survey, _q(survey, branching["who"].id), "up")
        is False
    )
    assert (
        survey_structure.move_question(
            coordinator, survey, _q(survey, branching["after"].id), "down"
        )
        is False
    )
    assert (
        survey_structure.move_question(
            coordinator, survey, _q(survey, branching["after"].id), "sideways"
        )
        is False
    )
    positions_are_consistent(survey.id)
    assert audit_actions(survey.id).count("survey.question_moved") == 3


def test_sections_move_with_their_questions(coordinator, branching):
    survey = branching["survey"]
    survey_structure.move_section(coordinator, survey, _s(survey, branching["second"].id), "up")
    assert order(survey.id) == [
        ("Afterwards", ["What happened next?"]),
        ("Help", ["Did you get help?", "Who helped?", "How good was it?"]),
    ]
    positions_are_consistent(survey.id)
    survey = reload(survey)
    assert (
        survey_structure.move_section(coordinator, survey, _s(survey, branching["second"].id), "up")
        is False
    )


def test_a_question_moves_to_another_section(coordinator, branching):
    survey = branching["survey"]
    who = _q(survey, branching["who"].id)
    survey_structure.update_question(
        coordinator, survey, who, QuestionDetails(text=who.text, section_id=branching["second"].id)
    )
    assert order(survey.id) == [
        ("Help", ["Did you get help?", "How good was it?"]),
        ("Afterwards", ["What happened next?", "Who helped?"]),
    ]
    positions_are_consistent(survey.id)
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            reload(survey),
            _q(reload(survey), who.id),
            QuestionDetails(text=who.text, section_id=10**6),
        )
    assert "section" in problems(refused)


def test_moves_that_would_put_a_condition_before_its_question_are_refused(coordinator, branching):
    survey = branching["survey"]
    yes = _q(survey, branching["helped"].id).options[0]
    survey_structure.update_question(
        coordinator,
        survey,
        _q(survey, branching["who"].id),
        QuestionDetails(text="Who helped?", condition_option_id=yes.id),
    )
    survey = reload(survey)
    survey_structure.update_section(
        coordinator,
        survey,
        _s(survey, branching["second"].id),
        SectionDetails(title="Afterwards", condition_option_id=yes.id),
    )
    before = order(survey.id)
    survey = reload(survey)
    with pytest.raises(Refused) as refused:
        survey_structure.move_question(coordinator, survey, _q(survey, branching["who"].id), "up")
    assert (
        "“Who helped?” is shown only when the answer to “Did you get help?” is “Yes”"
        in refused.value.messages[0]
    )
    survey = reload(survey)
    with pytest.raises(Refused):
        survey_structure.move_question(
            coordinator, survey, _q(survey, branching["helped"].id), "down"
        )
    survey = reload(survey)
    with pytest.raises(Refused) as refused:
        survey_structure.move_section(coordinator, survey, _s(survey, branching["second"].id), "up")
    assert "must come after the section that asks that question" in refused.value.messages[0]
    survey = reload(survey)
    with pytest.raises(Refused):  # moving the source question into the section it controls
        survey_structure.update_question(
            coordinator,
            survey,
            _q(survey, branching["helped"].id),
            QuestionDetails(text="Did you get help?", section_id=branching["second"].id),
        )
    assert order(survey.id) == before
    assert "survey.question_moved" not in audit_actions(survey.id)


# Deleting --------------------------------------------------------------------------------------


def test_deleting_questions_and_sections_keeps_the_order(coordinator, branching):
    survey = branching["survey"]
    survey_structure.delete_question(coordinator, survey, _q(survey, branching["who"].id))
    assert order(survey.id)[0][1] == ["Did you get help?", "How good was it?"]
    positions_are_consistent(survey.id)
    survey = reload(survey)
    survey_structure.delete_section(coordinator, survey, _s(survey, branching["first"].id))
    assert order(survey.id) == [("Afterwards", ["What happened next?"])]
    positions_are_consistent(survey.id)
    assert (
        db.session.scalar(
            db.select(SurveyQuestion).where(SurveyQuestion.id == branching["helped"].id)
        )
        is None
    )
    actions = audit_actions(survey.id)
    assert "survey.question_deleted" in actions and "survey.section_deleted" in actions


def test_what_a_condition_depends_on_cannot_be_deleted(coordinator, branching):
    survey = branching["survey"]
    helped = _q(survey, branching["helped"].id)
    yes = helped.options[0]
    survey_structure.update_section(
        coordinator,
        survey,
        _s(survey, branching["second"].id),
        SectionDetails(title="Afterwards", condition_option_id=yes.id),
    )
    survey = reload(survey)
    helped = _q(survey, helped.id)
    reasons = survey_structure.question_deletion_blockers(survey, helped)
    assert "the section “Afterwards”" in reasons[0]
    with pytest.raises(Refused):
        survey_structure.delete_question(coordinator, survey, helped)
    with pytest.raises(Refused):
        survey_structure.delete_section(coordinator, survey, _s(survey, branching["first"].id))
    with pytest.raises(Refused) as refused:
        survey_structure.change_kind(coordinator, survey, helped, QuestionKind.SHORT_TEXT)
    assert "Change those conditions first" in problems(refused)["kind"]
    # A condition inside the section being deleted goes with it.
    survey = reload(survey)
    survey_structure.update_section(
        coordinator, survey, _s(survey, branching["second"].id), SectionDetails(title="Afterwards")
    )
    survey = reload(survey)
    survey_structure.update_question(
        coordinator,
        survey,
        _q(survey, branching["who"].id),
        QuestionDetails(text="Who helped?", condition_option_id=yes.id),
    )
    survey = reload(survey)
    survey_structure.delete_section(coordinator, survey, _s(survey, branching["first"].id))
    assert (
        db.session.scalars(
            db.select(SurveyCondition).where(SurveyCondition.survey_id == survey.id)
        ).all()
        == []
    )


def test_an_option_a_condition_uses_cannot_be_removed(coordinator, branching):
    survey = branching["survey"]
    helped = _q(survey, branching["helped"].id)
    survey_structure.change_kind(
        coordinator, survey, helped, QuestionKind.SINGLE_CHOICE
    )  # keeps Yes and No
    survey = reload(survey)
    helped = _q(survey, helped.id)
    assert [o.label for o in helped.options] == ["Yes", "No"]
    survey_structure.update_question(
        coordinator, survey, helped, QuestionDetails(text=helped.text, new_options=["Not sure"])
    )
    survey = reload(survey)
    yes = _q(survey, helped.id).options[0]
    survey_structure.update_question(
        coordinator,
        survey,
        _q(survey, branching["who"].id),
        QuestionDetails(text="Who helped?", condition_option_id=yes.id),
    )
    survey = reload(survey)
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            _q(survey, helped.id),
            QuestionDetails(text=helped.text, remove_option_ids={yes.id}),
        )
    assert "“Who helped?”" in problems(refused)[f"remove_{yes.id}"]


# Changing the type ---------------------------------------------------------------------------


def test_changing_the_type_keeps_or_asks_for_options(coordinator, branching):
    survey = branching["survey"]
    who = _q(survey, branching["who"].id)
    with pytest.raises(Refused) as refused:
        survey_structure.change_kind(
            coordinator, survey, who, QuestionKind.MULTIPLE_CHOICE, ["Only one"]
        )
    assert "at least 2" in problems(refused)["options"]
    survey_structure.change_kind(
        coordinator, survey, who, QuestionKind.MULTIPLE_CHOICE, ["IASK", "School", ""]
    )
    survey = reload(survey)
    assert [o.label for o in _q(survey, who.id).options] == ["IASK", "School"]
    survey_structure.change_kind(coordinator, survey, _q(survey, who.id), QuestionKind.NUMBER)
    survey = reload(survey)
    assert _q(survey, who.id).options == [] and _q(survey, who.id).kind == "number"
    rating = _q(survey, branching["rating"].id)
    survey_structure.change_kind(coordinator, survey, rating, QuestionKind.YES_NO)
    assert [o.label for o in _q(reload(survey), rating.id).options] == ["Yes", "No"]
    assert (
        survey_structure.change_kind(
            coordinator, reload(survey), _q(reload(survey), rating.id), QuestionKind.YES_NO
        )
        is False
    )
    assert audit_actions(survey.id).count("survey.question_type_changed") == 3


# Once people have answered -----------------------------------------------------------------


def test_once_answered_nothing_answers_point_at_can_go_but_wording_can_change(coordinator):
    survey = create_ehc_survey()
    survey = reload(survey)
    structure = Structure.of(survey)
    who = survey.sections[0].questions[0]
    record_response(structure, {str(who.id): who.options[0].id}, check_open=False)
    survey = reload(survey)
    who = survey.sections[0].questions[0]
    unanswered = survey.sections[3].questions[2]
    for blockers in (
        survey_structure.question_deletion_blockers(survey, unanswered),
        survey_structure.section_deletion_blockers(survey, survey.sections[3]),
        survey_structure.kind_change_blockers(survey, who),
    ):
        assert "already answered" in blockers[0]
    with pytest.raises(Refused):
        survey_structure.delete_question(coordinator, survey, unanswered)
    with pytest.raises(Refused):
        survey_structure.delete_section(coordinator, survey, survey.sections[3])
    with pytest.raises(Refused):
        survey_structure.change_kind(coordinator, survey, who, QuestionKind.MULTIPLE_CHOICE)
    last = who.options[-1]
    with pytest.raises(Refused) as refused:
        survey_structure.update_question(
            coordinator,
            survey,
            who,
            QuestionDetails(text=who.text, required=True, remove_option_ids={last.id}),
        )
    assert "already answered" in problems(refused)[f"remove_{last.id}"]
    with pytest.raises(Refused):
        survey_builder.delete_survey(coordinator, survey)
    # Wording, new options and new questions are fine.
    survey_structure.update_question(
        coordinator,
        survey,
        who,
        QuestionDetails(
            text="Who asked for the assessment?",
            required=True,
            option_labels={last.id: "I am not sure"},
            new_options=["A social worker"],
        ),
    )
    survey = reload(survey)
    assert survey.sections[0].questions[0].text == "Who asked for the assessment?"
    assert [o.label for o in survey.sections[0].questions[0].options][-2:] == [
        "I am not sure",
        "A social worker",
    ]
    question(coordinator, survey, survey.sections[1], QuestionKind.SHORT_TEXT, "Anything to add?")
    positions_are_consistent(survey.id)
    # An empty section can still be deleted.
    empty = section(coordinator, reload(survey), "Spare page")
    survey_structure.delete_section(coordinator, reload(survey), _s(reload(survey), empty.id))


# From draft to closed ------------------------------------------------------------------------


def test_a_draft_with_no_questions_cannot_be_published(coordinator):
    survey = draft(coordinator)
    section(coordinator, survey)
    with pytest.raises(Refused) as refused:
        survey_builder.publish(coordinator, reload(survey), None, None)
    assert "at least one question" in refused.value.messages[0]


def test_schedule_open_close_and_reopen(coordinator):
    survey = draft(coordinator)
    question(coordinator, survey, section(coordinator, survey), QuestionKind.SHORT_TEXT)
    now = utcnow().replace(microsecond=0)
    with pytest.raises(Refused) as refused:
        survey_builder.publish(
            coordinator, reload(survey), now + timedelta(days=2), now + timedelta(days=1)
        )
    assert "after the opening" in problems(refused)["closes_at"]
    with pytest.raises(Refused) as refused:
        survey_builder.publish(coordinator, reload(survey), None, now - timedelta(days=1))
    assert "in the future" in problems(refused)["closes_at"]
    result = survey_builder.publish(
        coordinator, reload(survey), now + timedelta(days=2), now + timedelta(days=9)
    )
    survey = reload(survey)
    assert result == SurveyPhase.FORTHCOMING and phase(survey) == SurveyPhase.FORTHCOMING
    assert survey.opens_at == now + timedelta(days=2)
    with pytest.raises(Refused):
        survey_builder.publish(coordinator, survey, None, None)
    with pytest.raises(Refused):
        survey_builder.close_now(coordinator, survey)
    survey_builder.open_now(coordinator, survey)
    survey = reload(survey)
    assert phase(survey) == SurveyPhase.OPEN
    with pytest.raises(Refused):
        survey_builder.reopen(coordinator, survey, now + timedelta(days=20))
    survey_builder.close_now(coordinator, survey)
    survey = reload(survey)
    assert phase(survey) == SurveyPhase.CLOSED
    with pytest.raises(Refused) as refused:
        survey_builder.reopen(coordinator, survey, now - timedelta(hours=1))
    assert "in the future" in problems(refused)["closes_at"]
    survey_builder.reopen(coordinator, survey, now + timedelta(days=20))
    survey = reload(survey)
    assert phase(survey) == SurveyPhase.OPEN and survey.closes_at == now + timedelta(days=20)
    assert audit_actions(survey.id)[-4:] == [
        "survey.scheduled",
        "survey.opened",
        "survey.closed",
        "survey.reopened",
    ]


def test_publish_now_and_return_to_draft(coordinator):
    survey = draft(coordinator)
    question(coordinator, survey, section(coordinator, survey), QuestionKind.SHORT_TEXT)
    assert survey_builder.publish(coordinator, reload(survey), None, None) == SurveyPhase.OPEN
    with pytest.raises(Refused):
        survey_builder.return_to_draft(coordinator, reload(survey))
    other = draft(coordinator, "Later")
    question(coordinator, other, section(coordinator, other), QuestionKind.SHORT_TEXT)
    survey_builder.publish(coordinator, reload(other), utcnow() + timedelta(days=1), None)
    survey_builder.return_to_draft(coordinator, reload(other))
    assert phase(reload(other)) == SurveyPhase.DRAFT
    assert "survey.returned_to_draft" in audit_actions(other.id)


def test_only_an_unanswered_draft_can_be_deleted(coordinator):
    survey = draft(coordinator)
    question(coordinator, survey, section(coordinator, survey), QuestionKind.YES_NO)
    survey = reload(survey)
    survey_id = survey.id
    survey_builder.delete_survey(coordinator, survey)
    assert db.session.get(Survey, survey_id) is None
    assert (
        db.session.scalars(
            db.select(QuestionOption)
            .join(SurveyQuestion)
            .where(SurveyQuestion.survey_id == survey_id)
        ).all()
        == []
    )
    assert audit_actions(survey_id)[-1] == "survey.deleted"
    published = reload(create_ehc_survey())
    assert "published" in survey_builder.deletion_blockers(published)[0]


# Duplicating ---------------------------------------------------------------------------------


def test_duplicate_is_a_deep_draft_copy_with_conditions_pointing_at_the_copies(coordinator):
    original = reload(create_ehc_survey())
    record_response(Structure.of(original), {}, check_open=False)
    twin = survey_copy.duplicate_survey(coordinator, original)
    twin = reload(twin)
    original = reload(original)
    assert twin.title == "Copy of Your experience of the EHC plan process"
    assert twin.slug == "copy-of-your-experience-of-the-ehc-plan-process"
    assert (
        twin.status == SurveyStatus.DRAFT.value and twin.opens_at is None and twin.closes_at is None
    )
    assert twin.duplicated_from_id == original.id and twin.translations == original.translations
    assert [a.id for a in twin.areas] == [a.id for a in original.areas]
    assert survey_builder.response_count(twin) == 0

    def shape(survey):
        return [
            (
                s.title,
                s.translations,
                [
                    (
                        q.kind,
                        q.text,
                        q.position,
                        q.required,
                        q.max_length,
                        q.translations,
                        [a.id for a in q.areas],
                        [(o.label, o.position, o.translations) for o in q.options],
                    )
                    for q in s.questions
                ],
            )
            for s in survey.sections
        ]

    assert shape(twin) == shape(original)
    twin_ids = {q.id for s in twin.sections for q in s.questions} | {
        o.id for s in twin.sections for q in s.questions for o in q.options
    }
    structure = Structure.of(twin)
    assert len(structure.section_conditions) == 1 and len(structure.question_conditions) == 1
    for option_id in [
        *structure.section_conditions.values(),
        *structure.question_conditions.values(),
    ]:
        assert option_id in twin_ids
    plan_section = twin.sections[2]
    option = structure.options[structure.section_conditions[plan_section.id]]
    assert (option.label, structure.questions[option.question_id].text) == (
        "Yes",
        "Is there an EHC plan now?",
    )
    iask_help = twin.sections[3].questions[1]
    assert (
        structure.options[structure.question_conditions[iask_help.id]].question_id
        == twin.sections[3].questions[0].id
    )
    positions_are_consistent(twin.id)
    assert audit_actions(twin.id) == ["survey.duplicated"]
    again = survey_copy.duplicate_survey(coordinator, original)
    assert again.slug == "copy-of-your-experience-of-the-ehc-plan-process-2"
    assert (
        survey_copy.copy_title("x" * 200).endswith("…")
        and len(survey_copy.copy_title("x" * 200)) == 200
    )
