"""Coordinators enter a survey's or consultation's texts in other languages and young-person
wording."""

from datetime import timedelta

import pytest

from app.demo.surveys import create_ehc_survey
from app.extensions import db
from app.models import AuditEntry, Consultation, Proposal, Survey
from app.models.base import utcnow

from ..conftest import sign_in_as
from ..helpers import error_summary, field_error, field_value, heading, main_text, page


@pytest.fixture
def survey(app_ctx):
    return create_ehc_survey(slug="translation-test")


@pytest.fixture
def consultation(app_ctx):
    now = utcnow()
    consultation = Consultation(
        slug="hub-design",
        title="Designing the enquiries hub",
        summary="How it answers you",
        background_html="<p>Why</p>",
        opens_at=now,
        closes_at=now + timedelta(days=30),
    )
    consultation.proposals = [
        Proposal(title="One phone number", description="A single number", position=1)
    ]
    db.session.add(consultation)
    db.session.commit()
    return consultation


def _survey_field_name(survey, field):
    return f"surveys-{survey.id}-{field}"


def test_index_lists_each_language_and_young_person_wording_with_progress(client, survey):
    sign_in_as(client, "coordinator")
    response = client.get(f"/manage/surveys/{survey.id}/translations")
    assert response.status_code == 200
    text = main_text(page(response))
    for label in (
        "Young person's wording (English)",
        "Polski",
        "Polski: young person's wording",
        "اردو",
    ):
        assert label in text
    # The demo survey has a Polish title and summary, so Polski is partly written.
    assert "Polski" in text and " of " in text


def test_saving_a_translation_stores_it_and_audits(client, survey):
    sign_in_as(client, "coordinator")
    url = f"/manage/surveys/{survey.id}/translations/ur"
    response = client.get(url)
    assert heading(page(response)) == "اردو"
    question = survey.sections[0].questions[0]
    response = client.post(
        url,
        data={
            _survey_field_name(survey, "title"): "سروے کا عنوان",
            f"survey_questions-{question.id}-text": "  کس نے پوچھا؟  ",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Survey, survey.id)
    assert stored.translations["ur"]["title"] == "سروے کا عنوان"
    assert db.session.get(type(question), question.id).translations["ur"]["text"] == "کس نے پوچھا؟"
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "survey.translated")
    ).one()
    assert entry.detail["variant"] == "ur"


def test_blank_clears_a_translation_so_english_shows(client, survey):
    sign_in_as(client, "coordinator")
    assert survey.translations["pl"]["title"]
    client.post(
        f"/manage/surveys/{survey.id}/translations/pl",
        data={_survey_field_name(survey, "title"): ""},
    )
    db.session.expire_all()
    assert "title" not in db.session.get(Survey, survey.id).translations.get("pl", {})


def test_too_long_text_is_refused_next_to_the_field_and_kept(client, survey):
    sign_in_as(client, "coordinator")
    name = _survey_field_name(survey, "title")
    long_title = "x" * 201
    response = client.post(f"/manage/surveys/{survey.id}/translations/pl", data={name: long_title})
    assert response.status_code == 200
    document = page(response)
    assert "200 characters or fewer" in error_summary(document)[0]
    assert "You have entered 201 characters" in field_error(document, name)
    assert field_value(document, name) == long_title


def test_unknown_variant_is_not_found(client, survey):
    sign_in_as(client, "coordinator")
    assert client.get(f"/manage/surveys/{survey.id}/translations/de").status_code == 404
    assert client.get("/manage/surveys/999999/translations").status_code == 404


def test_young_person_wording_is_offered_only_when_the_survey_has_that_version(client, survey):
    survey.young_person_version = False
    db.session.commit()
    sign_in_as(client, "coordinator")
    assert "Young person" not in main_text(
        page(client.get(f"/manage/surveys/{survey.id}/translations"))
    )
    assert client.get(f"/manage/surveys/{survey.id}/translations/yp").status_code == 404


def test_consultation_background_translation_is_cleaned(client, consultation):
    sign_in_as(client, "coordinator")
    response = client.post(
        f"/manage/consultations/{consultation.id}/translations/pl",
        data={
            f"consultations-{consultation.id}-background_html": (
                '<p onclick="x()">Dlaczego</p><script>alert(1)</script>'
            ),
            f"consultation_proposals-{consultation.proposals[0].id}-title": "Jeden numer telefonu",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Consultation, consultation.id)
    assert stored.translations["pl"]["background_html"] == "<p>Dlaczego</p>"
    assert stored.proposals[0].translations["pl"]["title"] == "Jeden numer telefonu"


def test_officers_cannot_translate(client, survey):
    sign_in_as(client, "officer")
    assert client.get(f"/manage/surveys/{survey.id}/translations").status_code == 403
    assert client.post(f"/manage/surveys/{survey.id}/translations/pl", data={}).status_code == 403
