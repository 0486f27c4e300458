"""Staff survey builder pages: the list, creating and changing a survey, sections and questions of
every type, options, conditions, moving things (buttons that post), the life from draft to
closed, duplicating and deleting — with every refusal shown next to its field, and only for
coordinators and admins."""

from datetime import datetime, timedelta

import pytest

from app.demo.surveys import create_ehc_survey
from app.domain.surveys import builder as survey_builder
from app.domain.surveys.builder import SurveyDetails
from app.domain.surveys.recording import record_response
from app.domain.surveys.structure import Structure, SurveyPhase, load_survey, phase
from app.extensions import db
from app.models import Area, AuditEntry, QuestionKind, Survey, SurveyCondition, SurveyStatus
from app.models.base import utcnow

from ..conftest import user_for
from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    notification,
    page,
)

GOOD_SURVEY = {
    "title": "Short breaks and holiday activities 2027",
    "slug": "",
    "summary": "What short breaks were like this year.",
    "audience": "Families of disabled children.",
    "use_of_answers": "PACT and the council read every answer.",
    "estimated_minutes": "8",
    "opens_day-day": "1",
    "opens_day-month": "7",
    "opens_day-year": "2031",
    "opens_time": "09:00",
    "closes_day-day": "31",
    "closes_day-month": "7",
    "closes_day-year": "2031",
    "closes_time": "23:59",
    "young_person_version": "yes",
    "about_you": "yes",
    "ask_consent_to_quote": "no",
}


def survey_form(**changes) -> dict:
    data = dict(GOOD_SURVEY)
    for key, value in changes.items():
        data[key.replace("__", "-")] = value
    return data


def reload(survey_id: int) -> Survey:
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


def make_draft(title="Short breaks 2027") -> Survey:
    survey = survey_builder.create_survey(user_for("coordinator"), SurveyDetails(title=title))
    return reload(survey.id)


def answer_once(survey: Survey) -> None:
    survey = reload(survey.id)
    first = survey.sections[0].questions[0]
    record_response(Structure.of(survey), {str(first.id): first.options[0].id}, check_open=False)


def base(survey: Survey) -> str:
    return f"/manage/surveys/{survey.id}"


# Who may use it ------------------------------------------------------------------------------


def test_an_officer_is_refused(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    signed_in("officer")
    for url in (
        "/manage/surveys",
        "/manage/surveys/new",
        base(survey),
        f"{base(survey)}/details",
        f"{base(survey)}/sections/new",
        f"{base(survey)}/delete",
    ):
        assert client.get(url).status_code == 403, url
    question = survey.sections[0].questions[0]
    assert (
        client.post(
            f"{base(survey)}/questions/{question.id}/move", data={"direction": "down"}
        ).status_code
        == 403
    )
    assert client.post(f"{base(survey)}/duplicate").status_code == 403
    assert db.session.scalar(db.select(db.func.count(Survey.id))) == 1


def test_people_who_are_not_signed_in_are_sent_to_sign_in(client, app_ctx):
    response = client.get("/manage/surveys")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_see_the_survey_pages(client, signed_in, app_ctx, role):
    survey = create_ehc_survey()
    signed_in(role)
    section = survey.sections[0]
    question = section.questions[0]
    for url in (
        "/manage/surveys",
        "/manage/surveys/new",
        base(survey),
        f"{base(survey)}/details",
        f"{base(survey)}/close",
        f"{base(survey)}/sections/new",
        f"{base(survey)}/sections/{section.id}/edit",
        f"{base(survey)}/sections/{section.id}/questions/new",
        f"{base(survey)}/sections/{section.id}/questions/new?kind=rating",
        f"{base(survey)}/questions/{question.id}/edit",
        f"{base(survey)}/questions/{question.id}/type",
        f"{base(survey)}/questions/{question.id}/delete",
        f"{base(survey)}/sections/{section.id}/delete",
        f"{base(survey)}/delete",
    ):
        assert client.get(url).status_code == 200, url
    assert "Surveys" in [
        a.get_text(strip=True)
        for a in page(client.get("/manage/surveys")).select(".govuk-service-navigation__link")
    ]


def test_unknown_surveys_sections_and_questions_are_not_found(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    other = create_ehc_survey(slug="other-ehc")
    signed_in("coordinator")
    foreign_section = other.sections[0].id
    foreign_question = other.sections[0].questions[0].id
    for url in (
        "/manage/surveys/999999",
        "/manage/surveys/99999999999",
        f"{base(survey)}/sections/{foreign_section}/edit",
        f"{base(survey)}/questions/{foreign_question}/edit",
        f"{base(survey)}/questions/99999999999/type",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"{base(survey)}/questions/{foreign_question}/move", data={"direction": "up"}
        ).status_code
        == 404
    )


# The list --------------------------------------------------------------------------------------


def test_the_list_shows_each_survey_with_its_phase_and_responses(client, signed_in, app_ctx):
    open_survey = create_ehc_survey()
    answer_once(open_survey)
    answer_once(open_survey)
    make_draft("Respite care")
    signed_in("coordinator")
    soup = page(client.get("/manage/surveys"))
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in soup.select("tbody tr")
    ]
    assert (
        rows[0][0] == "Your experience of the EHC plan process"
        and rows[0][1] == "Open"
        and rows[0][4] == "2"
    )
    assert (
        rows[1][0] == "Respite care"
        and rows[1][1] == "Draft"
        and rows[1][2] == "Not set"
        and rows[1][4] == "0"
    )


def test_the_list_and_overview_run_a_fixed_number_of_queries(
    client, signed_in, app_ctx, count_queries
):
    first = create_ehc_survey()
    answer_once(first)
    signed_in("coordinator")
    with count_queries() as few:
        client.get("/manage/surveys")
    with count_queries() as overview_few:
        client.get(base(first))
    for n in range(4):
        more = create_ehc_survey(slug=f"ehc-{n}")
        answer_once(more)
    bigger = reload(first.id)
    for n in range(3):
        client.post(
            f"{base(bigger)}/sections/{bigger.sections[1].id}/questions/new?kind=single_choice",
            data={"text": f"Extra {n}", "required": "no", "options": "A\nB", "condition": ""},
        )
    with count_queries() as many:
        client.get("/manage/surveys")
    with count_queries() as overview_many:
        client.get(base(first))
    assert many.count == few.count
    assert overview_many.count == overview_few.count


# Creating and changing a survey --------------------------------------------------------------


def test_create_a_survey_with_uk_times_stored_as_utc(client, signed_in, app_ctx):
    signed_in("coordinator")
    area = db.session.scalar(db.select(Area).where(Area.number == 4))
    response = client.post("/manage/surveys/new", data=survey_form(areas=[str(area.id)]))
    assert response.status_code == 302
    survey = db.session.scalar(db.select(Survey).where(Survey.title == GOOD_SURVEY["title"]))
    assert response.headers["Location"].endswith(f"/manage/surveys/{survey.id}")
    assert survey.slug == "short-breaks-and-holiday-activities-2027"
    # July is British Summer Time: 09:00 in the UK is 08:00 UTC.
    assert survey.opens_at == datetime(2031, 7, 1, 8, 0) and survey.closes_at == datetime(
        2031, 7, 31, 22, 59
    )
    assert (
        survey.estimated_minutes == 8
        and survey.young_person_version
        and not survey.ask_consent_to_quote
    )
    assert [a.number for a in survey.areas] == [4]
    assert survey.status == SurveyStatus.DRAFT.value
    assert audit_actions(survey.id) == ["survey.created"]
    overview = client.get(response.headers["Location"])
    assert "created as a draft" in notification(overview)
    text = main_text(overview)
    assert "9am on 1 July 2031" in text and "11:59pm on 31 July 2031" in text and "Draft" in text
    assert "Add at least one question before you publish" in text


@pytest.mark.parametrize(
    "changes,field_id,message",
    [
        ({"title": "  "}, "title", "Enter a title"),
        ({"slug": "Not a slug!"}, "slug", "lower-case letters, numbers and hyphens"),
        ({"estimated_minutes": "ten"}, "estimated_minutes", "whole number of minutes"),
        ({"estimated_minutes": "0"}, "estimated_minutes", "between 1 and 120"),
        ({"estimated_minutes": ""}, "estimated_minutes", "Enter the estimated time"),
        (
            {"closes_day__day": "30", "closes_day__month": "6"},
            "closes_day",
            "after the opening date",
        ),
        ({"closes_day__day": "31", "closes_day__month": "2"}, "closes_day", "must be a real date"),
        ({"opens_time": "25:00"}, "opens_time", "24-hour clock"),
        ({"opens_time": ""}, "opens_time", "Enter the time the survey opens"),
        (
            {"opens_day__day": "", "opens_day__month": "", "opens_day__year": ""},
            "opens_day",
            "Enter the date the survey opens",
        ),
        ({"young_person_version": "maybe"}, "young_person_version", "Select yes if"),
        ({"areas": ["not-an-area"]}, "areas", "Select areas of weakness from the list"),
        ({"actions": ["99999"]}, "actions", "Select plan actions from the list"),
        ({"summary": "x" * 5001}, "summary", "5000 characters or fewer"),
    ],
)
def test_bad_survey_details_are_shown_next_to_the_field_and_what_was_typed_is_kept(
    client, signed_in, app_ctx, changes, field_id, message
):
    signed_in("coordinator")
    response = client.post("/manage/surveys/new", data=survey_form(**changes))
    assert response.status_code == 200
    assert message in (field_error(response, field_id) or ""), (
        field_error(response, field_id),
        error_summary(response),
    )
    assert any(message in item for item in error_summary(response))
    soup = page(response)
    assert soup.title.get_text().startswith("Error:")
    if field_id != "title":
        assert field_value(soup, "title") == GOOD_SURVEY["title"]
    assert field_value(soup, "audience") == GOOD_SURVEY["audience"]
    assert db.session.scalar(db.select(db.func.count(Survey.id))) == 0


def test_a_duplicate_link_is_refused_next_to_the_link(client, signed_in, app_ctx):
    create_ehc_survey()
    signed_in("coordinator")
    response = client.post("/manage/surveys/new", data=survey_form(slug="ehc-plan-experience"))
    assert "Another survey already uses the link “ehc-plan-experience”" in field_error(
        response, "slug"
    )
    assert (
        error_summary_links(response)["Another survey already uses the link “ehc-plan-experience”"]
        == "#slug"
    )
    assert field_value(response, "slug") == "ehc-plan-experience"


def test_change_a_drafts_details_and_link(client, signed_in, app_ctx):
    survey = make_draft()
    signed_in("coordinator")
    form = client.get(f"{base(survey)}/details")
    assert (
        field_value(form, "title") == "Short breaks 2027"
        and field_value(form, "slug") == "short-breaks-2027"
    )
    response = client.post(
        f"{base(survey)}/details", data=survey_form(title="Short breaks", slug="short-breaks")
    )
    assert response.status_code == 302
    survey = reload(survey.id)
    assert (survey.title, survey.slug) == ("Short breaks", "short-breaks")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "survey.updated"))
    assert entry.detail["slug"] == {"from": "short-breaks-2027", "to": "short-breaks"}
    response = client.post(f"{base(survey)}/details", data=survey_form(slug=""))
    assert "Enter the link" in field_error(response, "slug")


def test_a_published_surveys_link_is_fixed_but_its_wording_can_change(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    signed_in("coordinator")
    form = client.get(f"{base(survey)}/details")
    assert field_value(form, "slug") is None
    assert "/surveys/ehc-plan-experience" in main_text(form)
    assert "cannot change once the survey is published" in main_text(form)
    response = client.post(
        f"{base(survey)}/details", data=survey_form(slug="sneaky-new-link", title="EHC plans")
    )
    assert response.status_code == 302
    survey = reload(survey.id)
    assert (survey.slug, survey.title) == ("ehc-plan-experience", "EHC plans")
    response = client.post(
        f"{base(survey)}/details",
        data=survey_form(opens_day__day="", opens_day__month="", opens_day__year="", opens_time=""),
    )
    assert "it is already published" in field_error(response, "opens_day")


# Sections ------------------------------------------------------------------------------------


def test_add_change_and_delete_a_section(client, signed_in, app_ctx):
    survey = make_draft()
    signed_in("coordinator")
    form = client.get(f"{base(survey)}/sections/new")
    assert "there is none yet" in main_text(form)
    response = client.post(
        f"{base(survey)}/sections/new", data={"title": "", "description": "", "condition": ""}
    )
    assert field_error(response, "title") == "Enter a title for the section"
    response = client.post(
        f"{base(survey)}/sections/new",
        data={"title": "Your child", "description": "About them.", "condition": ""},
    )
    survey = reload(survey.id)
    section = survey.sections[0]
    assert response.headers["Location"].endswith(
        f"/manage/surveys/{survey.id}#section-{section.id}"
    )
    assert (section.title, section.description, section.position) == (
        "Your child",
        "About them.",
        0,
    )
    client.post(
        f"{base(survey)}/sections/{section.id}/edit", data={"title": "Your family", "condition": ""}
    )
    assert reload(survey.id).sections[0].title == "Your family"
    confirm = client.get(f"{base(survey)}/sections/{section.id}/delete")
    assert heading(confirm) == "Are you sure you want to delete this section?"
    assert client.post(f"{base(survey)}/sections/{section.id}/delete").status_code == 302
    assert reload(survey.id).sections == []
    assert audit_actions(survey.id)[1:] == [
        "survey.section_added",
        "survey.section_changed",
        "survey.section_deleted",
    ]


def test_a_section_shown_only_for_an_earlier_answer(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    signed_in("coordinator")
    last = survey.sections[3]
    plan_outcome = survey.sections[1].questions[3]  # "Is there an EHC plan now?"
    form = page(client.get(f"{base(survey)}/sections/{last.id}/edit"))
    offered = [o.get_text(strip=True) for o in form.select("#condition option")]
    assert offered[0] == "Always"
    assert "Only when the answer to question 7, “Is there an EHC plan now?”, is “Yes”" in offered
    assert not any(
        "IASK" in label for label in offered
    )  # questions in the same section come after it
    response = client.post(
        f"{base(survey)}/sections/{last.id}/edit",
        data={"title": last.title, "condition": str(plan_outcome.options[2].id)},
    )
    assert response.status_code == 302
    overview = main_text(client.get(base(survey)))
    assert "Shown only when “Is there an EHC plan now?” is “We are still waiting”" in overview
    # An answer given later in the survey is refused, with why.
    iask = survey.sections[3].questions[0]
    first = survey.sections[0]
    response = client.post(
        f"{base(survey)}/sections/{first.id}/edit",
        data={"title": first.title, "condition": str(iask.options[0].id)},
    )
    assert "must come after the section that asks that question" in field_error(
        response, "condition"
    )
    response = client.post(
        f"{base(survey)}/sections/{first.id}/edit", data={"title": first.title, "condition": "abc"}
    )
    assert field_error(response, "condition") == "Choose when to show this section from the list"


# Questions -----------------------------------------------------------------------------------


@pytest.fixture
def one_section(client, signed_in, app_ctx):
    survey = make_draft()
    signed_in("coordinator")
    client.post(f"{base(survey)}/sections/new", data={"title": "Your experience", "condition": ""})
    survey = reload(survey.id)
    return survey, survey.sections[0]


def new_question_url(survey, section, kind=None) -> str:
    url = f"{base(survey)}/sections/{section.id}/questions/new"
    return f"{url}?kind={kind}" if kind else url


def test_choosing_the_type_of_a_new_question(client, one_section):
    survey, section = one_section
    picker = page(client.get(new_question_url(survey, section)))
    assert picker.select_one("main form")["method"] == "get"
    assert [i["value"] for i in picker.select("input[name=kind]")] == [
        k.value for k in QuestionKind
    ]
    refused = client.get(new_question_url(survey, section, "essay"))
    assert field_error(refused, "kind") == "Select the type of question"
    rating = client.get(new_question_url(survey, section, "rating"))
    assert (
        field_value(rating, "options") == "Very poor\nPoor\nNeither good nor poor\nGood\nVery good"
    )
    assert "Points on the scale" in main_text(rating)
    assert "People choose “Yes” or “No”" in main_text(
        client.get(new_question_url(survey, section, "yes_no"))
    )


@pytest.mark.parametrize(
    "kind,extra,check",
    [
        ("short_text", {"max_length": "120"}, lambda q: q.max_length == 120),
        ("long_text", {"max_length": ""}, lambda q: q.max_length is None),
        (
            "single_choice",
            {"options": "Email\r\nPhone\r\n\r\nLetter"},
            lambda q: [o.label for o in q.options] == ["Email", "Phone", "Letter"],
        ),
        (
            "multiple_choice",
            {"options": "Email\nPhone", "allow_other": "y"},
            lambda q: q.allow_other and len(q.options) == 2,
        ),
        (
            "rating",
            {"options": "Bad\nOK\nGood"},
            lambda q: (
                [(o.position, o.label) for o in q.options] == [(1, "Bad"), (2, "OK"), (3, "Good")]
            ),
        ),
        ("yes_no", {}, lambda q: [o.label for o in q.options] == ["Yes", "No"]),
        (
            "number",
            {"min_value": "0", "max_value": "40"},
            lambda q: (q.min_value, q.max_value) == (0, 40),
        ),
        ("date", {}, lambda q: q.options == []),
    ],
)
def test_add_a_question_of_each_type(client, one_section, kind, extra, check):
    survey, section = one_section
    data = {
        "text": "What happened?",
        "hint": "Tell us in your own words.",
        "required": "yes",
        "condition": "",
        **extra,
    }
    response = client.post(new_question_url(survey, section, kind), data=data)
    assert response.status_code == 302, error_summary(response)
    question = reload(survey.id).sections[0].questions[0]
    assert response.headers["Location"].endswith(f"#question-{question.id}")
    assert (question.kind, question.text, question.hint, question.required, question.position) == (
        kind,
        "What happened?",
        "Tell us in your own words.",
        True,
        1,
    )
    assert check(question)
    assert audit_actions(survey.id)[-1] == "survey.question_added"
    assert "What happened?" in main_text(client.get(base(survey)))


@pytest.mark.parametrize(
    "kind,data,field_id,message",
    [
        ("single_choice", {"options": ""}, "options", "Enter at least 2 options"),
        ("rating", {"options": "Only"}, "options", "Enter at least 2 points on the scale"),
        ("multiple_choice", {"options": "Email\nEmail"}, "options", "more than once"),
        (
            "number",
            {"min_value": "10", "max_value": "2"},
            "max_value",
            "same as or more than the lowest",
        ),
        ("number", {"min_value": "ten"}, "min_value", "must be a whole number"),
        ("short_text", {"max_length": "0"}, "max_length", "between 1 and 20,000"),
        ("date", {"text": ""}, "text", "Enter the question"),
        ("date", {"required": ""}, "required", "Select yes if people must answer"),
        ("date", {"condition": "9999999"}, "condition", "in this survey"),
        ("date", {"areas": ["0"]}, "areas", "Select areas of weakness from the list"),
    ],
)
def test_bad_questions_are_refused_next_to_the_field(
    client, one_section, kind, data, field_id, message
):
    survey, section = one_section
    form = {"text": "How many times?", "required": "no", "condition": "", **data}
    response = client.post(new_question_url(survey, section, kind), data=form)
    assert response.status_code == 200
    assert message in (field_error(response, field_id) or ""), (
        field_error(response, field_id),
        error_summary(response),
    )
    if field_id != "text":
        assert field_value(response, "text") == "How many times?"
    assert reload(survey.id).sections[0].questions == []


def test_edit_options_in_place_add_and_remove(client, one_section):
    survey, section = one_section
    client.post(
        new_question_url(survey, section, "single_choice"),
        data={
            "text": "How did they contact you?",
            "required": "no",
            "options": "Emial\nPhone\nFax",
            "condition": "",
        },
    )
    question = reload(survey.id).sections[0].questions[0]
    email, phone, fax = question.options
    url = f"{base(survey)}/questions/{question.id}/edit"
    form = client.get(url)
    assert field_value(form, f"option_{email.id}") == "Emial"
    data = {
        "text": question.text,
        "required": "no",
        "condition": "",
        "section": str(section.id),
        f"option_{email.id}": "Email",
        f"option_{phone.id}": "Phone",
        f"option_{fax.id}": "Fax",
        f"remove_{fax.id}": "y",
        "options": "Letter\nText message",
    }
    response = client.post(url, data=data)
    assert response.status_code == 302, error_summary(response)
    question = reload(survey.id).sections[0].questions[0]
    assert [o.label for o in question.options] == ["Email", "Phone", "Letter", "Text message"]
    assert question.options[0].id == email.id
    # Emptying an option's wording without removing it is refused next to it.
    data = {
        "text": question.text,
        "required": "no",
        "condition": "",
        "section": str(section.id),
        **{f"option_{o.id}": o.label for o in question.options},
        f"option_{email.id}": "",
    }
    response = client.post(url, data=data)
    assert (
        field_error(response, f"option_{email.id}") == "Enter the wording of option 1, or remove it"
    )
    assert (
        error_summary_links(response)["Enter the wording of option 1, or remove it"]
        == f"#option_{email.id}"
    )


def test_once_answered_options_cannot_be_removed_and_the_type_cannot_change(
    client, signed_in, app_ctx
):
    survey = create_ehc_survey()
    answer_once(survey)
    signed_in("coordinator")
    question = survey.sections[0].questions[0]
    url = f"{base(survey)}/questions/{question.id}/edit"
    form = client.get(url)
    assert "cannot change and its options cannot be removed" in main_text(form)
    assert page(form).find(attrs={"name": f"remove_{question.options[0].id}"}) is None
    last = question.options[-1]
    data = {
        "text": question.text,
        "required": "yes",
        "condition": "",
        "section": str(question.section_id),
        **{f"option_{o.id}": o.label for o in question.options},
        f"remove_{last.id}": "y",
    }
    response = client.post(url, data=data)
    assert "already answered" in field_error(response, f"remove_{last.id}")
    data.pop(f"remove_{last.id}")
    data[f"option_{last.id}"] = "I am not sure"
    assert client.post(url, data=data).status_code == 302
    assert reload(survey.id).sections[0].questions[0].options[-1].label == "I am not sure"
    kind_page = client.get(f"{base(survey)}/questions/{question.id}/type")
    assert (
        "cannot change" in main_text(kind_page)
        and page(kind_page).select_one("main form[method=post]") is None
    )
    client.post(f"{base(survey)}/questions/{question.id}/type", data={"kind": "short_text"})
    assert reload(survey.id).sections[0].questions[0].kind == "single_choice"
    delete_page = client.get(f"{base(survey)}/questions/{question.id}/delete")
    assert heading(delete_page) == "You cannot delete this question"
    assert client.post(f"{base(survey)}/questions/{question.id}/delete").status_code == 200
    assert len(reload(survey.id).sections[0].questions) == 3
    overview = main_text(client.get(base(survey)))
    assert "1 person has answered this survey" in overview


def test_change_the_type_of_a_question(client, one_section):
    survey, section = one_section
    client.post(
        new_question_url(survey, section, "short_text"),
        data={"text": "Who helped?", "required": "no", "condition": ""},
    )
    question = reload(survey.id).sections[0].questions[0]
    url = f"{base(survey)}/questions/{question.id}/type"
    response = client.post(url, data={"kind": "single_choice", "options": ""})
    assert "Enter at least 2 options" in field_error(response, "options")
    response = client.post(url, data={"kind": "nonsense"})
    assert field_error(response, "kind") == "Select the type of question"
    response = client.post(url, data={"kind": "single_choice", "options": "IASK\nSchool"})
    assert response.headers["Location"].endswith(f"/questions/{question.id}/edit")
    question = reload(survey.id).sections[0].questions[0]
    assert question.kind == "single_choice" and [o.label for o in question.options] == [
        "IASK",
        "School",
    ]


def test_a_question_shown_only_for_an_earlier_answer(client, signed_in, app_ctx):
    survey = make_draft()
    signed_in("coordinator")
    client.post(f"{base(survey)}/sections/new", data={"title": "Help", "condition": ""})
    section = reload(survey.id).sections[0]
    client.post(
        new_question_url(survey, section, "yes_no"),
        data={"text": "Did you get help?", "required": "yes", "condition": ""},
    )
    yes = reload(survey.id).sections[0].questions[0].options[0]
    form = page(client.get(new_question_url(survey, section, "short_text")))
    assert "Only when the answer to question 1, “Did you get help?”, is “Yes”" in [
        o.get_text(strip=True) for o in form.select("#condition option")
    ]
    client.post(
        new_question_url(survey, section, "short_text"),
        data={"text": "Who helped?", "required": "no", "condition": str(yes.id)},
    )
    survey = reload(survey.id)
    helped, who = survey.sections[0].questions
    assert (
        db.session.scalar(
            db.select(SurveyCondition.option_id).where(SurveyCondition.question_id == who.id)
        )
        == yes.id
    )
    # The first question cannot depend on the second's answer (nor on its own).
    data = {
        "text": helped.text,
        "required": "yes",
        "condition": str(yes.id),
        "section": str(section.id),
        **{f"option_{o.id}": o.label for o in helped.options},
    }
    response = client.post(f"{base(survey)}/questions/{helped.id}/edit", data=data)
    assert field_error(response, "condition") == "A question cannot depend on its own answer"
    # Moving "Who helped?" above the question it depends on is refused, with why.
    response = client.post(
        f"{base(survey)}/questions/{who.id}/move", data={"direction": "up"}, follow_redirects=True
    )
    assert (
        "That move was not made. “Who helped?” is shown only when the answer to “Did you get "
        "help?” is “Yes”, "
        "so it must come after that question." in main_text(response)
    )
    assert [q.text for q in reload(survey.id).sections[0].questions] == [
        "Did you get help?",
        "Who helped?",
    ]
    # The answer it depends on cannot be deleted.
    delete_page = client.get(f"{base(survey)}/questions/{helped.id}/delete")
    assert "“Who helped?”" in main_text(
        delete_page
    ) and "Change those conditions first" in main_text(delete_page)


def test_move_buttons_post_and_reorder_across_sections(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    signed_in("coordinator")
    overview = page(client.get(base(survey)))
    first = survey.sections[0].questions[0]
    buttons = overview.select(
        f"form[action='/manage/surveys/{survey.id}/questions/{first.id}/move']"
    )
    assert [b.find("input", attrs={"name": "direction"})["value"] for b in buttons] == ["down"]
    assert buttons[0].find("button").get_text(" ", strip=True) == "Move down question 1"
    # A section depending on an answer in the section before it cannot go above that section.
    plan_section = survey.sections[2]
    response = client.post(
        f"{base(survey)}/sections/{plan_section.id}/move",
        data={"direction": "up"},
        follow_redirects=True,
    )
    assert (
        "That move was not made. The section “The plan” is shown only when the answer to “Is there "
        "an EHC plan "
        "now?” is “Yes”, so it must come after the section that asks that question."
        in main_text(response)
    )
    last_in_first = survey.sections[0].questions[-1]
    response = client.post(
        f"{base(survey)}/questions/{last_in_first.id}/move", data={"direction": "down"}
    )
    assert response.headers["Location"].endswith(f"#question-{last_in_first.id}")
    survey = reload(survey.id)
    assert survey.sections[1].questions[0].id == last_in_first.id
    flat = [q for s in survey.sections for q in s.questions]
    assert [q.position for q in flat] == list(range(1, len(flat) + 1))
    client.post(f"{base(survey)}/sections/{survey.sections[1].id}/move", data={"direction": "up"})
    survey = reload(survey.id)
    assert [s.title for s in survey.sections][:2] == [
        "Keeping you informed",
        "Asking for an assessment",
    ]
    # Nonsense does nothing and never fails.
    assert (
        client.post(
            f"{base(survey)}/sections/{plan_section.id}/move", data={"direction": "sideways"}
        ).status_code
        == 302
    )
    assert audit_actions(survey.id) == ["survey.question_moved", "survey.section_moved"]


def test_move_a_question_to_another_section_from_its_page(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    signed_in("coordinator")
    question = survey.sections[0].questions[1]  # the date question
    target = survey.sections[3]
    data = {
        "text": question.text,
        "hint": question.hint,
        "required": "no",
        "condition": "",
        "section": str(target.id),
    }
    assert client.post(f"{base(survey)}/questions/{question.id}/edit", data=data).status_code == 302
    survey = reload(survey.id)
    assert survey.sections[3].questions[-1].id == question.id
    assert [q.position for s in survey.sections for q in s.questions] == list(range(1, 13))
    data["section"] = "not-a-section"
    response = client.post(f"{base(survey)}/questions/{question.id}/edit", data=data)
    assert field_error(response, "section") == "Choose a section from the list"


def test_the_overview_shows_the_structure(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    signed_in("coordinator")
    soup = page(client.get(base(survey)))
    cards = soup.select(".govuk-summary-card")
    assert [c.select_one(".govuk-summary-card__title").get_text(strip=True) for c in cards] == [
        "Section 1: Asking for an assessment",
        "Section 2: Keeping you informed",
        "Section 3: The plan",
        "Section 4: Anything else",
    ]
    assert "Shown only when “Is there an EHC plan now?” is “Yes”" in cards[2].get_text(
        " ", strip=True
    )
    rating = soup.find(id=f"question-{survey.sections[1].questions[0].id}").get_text(
        " ", strip=True
    )
    assert "4. How well were you kept informed while you waited?" in rating
    assert (
        "Rating scale · Required" in rating
        and "Very poor" in rating
        and "Linked to: Area 1, APP-1.2" in rating
    )
    details = soup.select_one(".govuk-summary-list")
    changes = {a.get_text(" ", strip=True): a["href"] for a in details.select("a")}
    assert changes["Change title"] == f"/manage/surveys/{survey.id}/details#title"
    assert "Change link" not in changes  # fixed once published


# From draft to closed ------------------------------------------------------------------------


@pytest.fixture
def ready_draft(client, signed_in, app_ctx):
    survey = make_draft()
    signed_in("coordinator")
    client.post(f"{base(survey)}/sections/new", data={"title": "Page one", "condition": ""})
    section = reload(survey.id).sections[0]
    client.post(
        new_question_url(survey, section, "long_text"),
        data={"text": "Tell us", "required": "yes", "condition": ""},
    )
    return reload(survey.id)


def test_publish_now(client, ready_draft):
    survey = ready_draft
    form = client.get(f"{base(survey)}/publish")
    assert field_value(
        form, "opens_time"
    ) == "" and "Leave the opening date empty to open the survey now" in main_text(form)
    response = client.post(f"{base(survey)}/publish", data={})
    assert response.status_code == 302
    survey = reload(survey.id)
    assert phase(survey) == SurveyPhase.OPEN and survey.closes_at is None
    assert "is open" in notification(client.get(response.headers["Location"]))
    assert client.get(f"{base(survey)}/publish").status_code == 302  # already published


def test_schedule_for_later_is_forthcoming_then_open_now(client, ready_draft):
    survey = ready_draft
    response = client.post(
        f"{base(survey)}/publish",
        data={
            "opens_day-day": "1",
            "opens_day-month": "1",
            "opens_day-year": "2031",
            "opens_time": "09:00",
            "closes_day-day": "31",
            "closes_day-month": "1",
            "closes_day-year": "2031",
            "closes_time": "17:00",
        },
    )
    assert response.status_code == 302
    survey = reload(survey.id)
    # January is GMT: UK time is UTC.
    assert survey.opens_at == datetime(2031, 1, 1, 9, 0) and survey.closes_at == datetime(
        2031, 1, 31, 17, 0
    )
    assert phase(survey) == SurveyPhase.FORTHCOMING
    overview = client.get(base(survey))
    assert "Forthcoming" in main_text(
        overview
    ) and "It opens at 9am on 1 January 2031" in main_text(overview)
    client.post(f"{base(survey)}/open")
    assert phase(reload(survey.id)) == SurveyPhase.OPEN
    assert audit_actions(survey.id)[-2:] == ["survey.scheduled", "survey.opened"]


@pytest.mark.parametrize(
    "data,field_id,message",
    [
        (
            {"opens_day-day": "1", "opens_day-month": "1", "opens_day-year": "2031"},
            "opens_time",
            "Enter the time the survey opens",
        ),
        ({"opens_time": "10:00"}, "opens_day", "Enter the date the survey opens"),
        (
            {
                "opens_day-day": "31",
                "opens_day-month": "9",
                "opens_day-year": "2031",
                "opens_time": "10:00",
            },
            "opens_day",
            "must be a real date",
        ),
        (
            {
                "closes_day-day": "1",
                "closes_day-month": "1",
                "closes_day-year": "2020",
                "closes_time": "10:00",
            },
            "closes_day",
            "must be in the future",
        ),
        (
            {
                "opens_day-day": "2",
                "opens_day-month": "1",
                "opens_day-year": "2031",
                "opens_time": "10:00",
                "closes_day-day": "1",
                "closes_day-month": "1",
                "closes_day-year": "2031",
                "closes_time": "10:00",
            },
            "closes_day",
            "after the opening date",
        ),
    ],
)
def test_bad_publishing_dates_are_refused(client, ready_draft, data, field_id, message):
    survey = ready_draft
    response = client.post(f"{base(survey)}/publish", data=data)
    assert response.status_code == 200
    assert message in (field_error(response, field_id) or ""), (
        field_error(response, field_id),
        error_summary(response),
    )
    assert reload(survey.id).status == SurveyStatus.DRAFT.value


def test_a_draft_without_questions_cannot_be_published(client, signed_in, app_ctx):
    survey = make_draft()
    signed_in("coordinator")
    assert "Add at least one question" in main_text(client.get(f"{base(survey)}/publish"))
    assert client.post(f"{base(survey)}/publish", data={}).status_code == 200
    assert reload(survey.id).status == SurveyStatus.DRAFT.value


def test_close_after_confirming_then_reopen(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    signed_in("coordinator")
    confirm = client.get(f"{base(survey)}/close")
    assert heading(confirm) == "Are you sure you want to close this survey now?"
    client.post(f"{base(survey)}/close")
    survey = reload(survey.id)
    assert phase(survey) == SurveyPhase.CLOSED
    assert client.get(f"{base(survey)}/close").status_code == 302  # not open any more
    response = client.post(f"{base(survey)}/reopen", data={})
    assert "Enter the new closing date" in field_error(response, "closes_day")
    response = client.post(
        f"{base(survey)}/reopen",
        data={
            "closes_day-day": "1",
            "closes_day-month": "1",
            "closes_day-year": "2020",
            "closes_time": "10:00",
        },
    )
    assert "in the future" in field_error(response, "closes_day")
    response = client.post(
        f"{base(survey)}/reopen",
        data={
            "closes_day-day": "1",
            "closes_day-month": "12",
            "closes_day-year": "2031",
            "closes_time": "12:00",
        },
    )
    assert response.status_code == 302
    survey = reload(survey.id)
    assert phase(survey) == SurveyPhase.OPEN and survey.closes_at == datetime(2031, 12, 1, 12, 0)
    assert audit_actions(survey.id)[-2:] == ["survey.closed", "survey.reopened"]


def test_return_a_forthcoming_survey_to_draft(client, ready_draft):
    survey = ready_draft
    client.post(
        f"{base(survey)}/publish",
        data={
            "opens_day-day": "1",
            "opens_day-month": "1",
            "opens_day-year": "2031",
            "opens_time": "09:00",
        },
    )
    client.post(f"{base(survey)}/return-to-draft")
    assert reload(survey.id).status == SurveyStatus.DRAFT.value
    response = client.post(f"{base(survey)}/return-to-draft", follow_redirects=True)
    assert "Only a survey that has not opened yet can go back to draft." in main_text(response)


def test_duplicate_makes_a_new_draft(client, signed_in, app_ctx):
    survey = create_ehc_survey()
    answer_once(survey)
    signed_in("coordinator")
    response = client.post(f"{base(survey)}/duplicate")
    twin = db.session.scalar(db.select(Survey).where(Survey.duplicated_from_id == survey.id))
    assert response.headers["Location"].endswith(f"/manage/surveys/{twin.id}")
    twin = reload(twin.id)
    assert (
        twin.title == "Copy of Your experience of the EHC plan process" and twin.status == "draft"
    )
    assert sum(len(s.questions) for s in twin.sections) == 12
    structure = Structure.of(twin)
    assert set(structure.section_conditions.values()) | set(
        structure.question_conditions.values()
    ) <= set(structure.options)
    overview = client.get(response.headers["Location"])
    assert "new draft copy" in notification(overview) and "0 responses" in main_text(overview)


def test_delete_a_draft_after_confirming_but_never_a_published_survey(client, ready_draft):
    survey = ready_draft
    confirm = client.get(f"{base(survey)}/delete")
    assert heading(confirm) == "Are you sure you want to delete this survey?"
    response = client.post(f"{base(survey)}/delete")
    assert response.headers["Location"].endswith("/manage/surveys")
    assert db.session.get(Survey, survey.id) is None
    assert audit_actions(survey.id)[-1] == "survey.deleted"
    published = create_ehc_survey()
    refusal = client.get(f"{base(published)}/delete")
    assert heading(refusal) == "You cannot delete this survey" and "Close it instead" in main_text(
        refusal
    )
    assert page(refusal).select_one("main form[method=post]") is None
    assert client.post(f"{base(published)}/delete").status_code == 200
    assert db.session.get(Survey, published.id) is not None


def test_every_change_is_audited_with_a_label(client, ready_draft):
    from app.domain.people.audit import ACTION_LABELS

    survey = ready_draft
    client.post(f"{base(survey)}/publish", data={})
    actions = audit_actions(survey.id)
    assert actions == [
        "survey.created",
        "survey.section_added",
        "survey.question_added",
        "survey.opened",
    ]
    assert all(action in ACTION_LABELS for action in actions)
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "survey.question_added")
    )
    assert entry.actor_id == user_for("coordinator").id and entry.detail["kind"] == "long_text"


def test_an_opening_time_after_closing_for_a_reopened_survey_is_not_needed(
    client, signed_in, app_ctx
):
    """Reopening a survey that had no opening date opens it now."""
    survey = create_ehc_survey()
    survey.opens_at = utcnow() - timedelta(days=3)
    survey.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    signed_in("coordinator")
    client.post(
        f"{base(survey)}/reopen",
        data={
            "closes_day-day": "1",
            "closes_day-month": "12",
            "closes_day-year": "2031",
            "closes_time": "12:00",
        },
    )
    assert phase(reload(survey.id)) == SurveyPhase.OPEN
