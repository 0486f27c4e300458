"""Open engagement lists only what people can take part in now, closing soonest first."""

from datetime import timedelta

from app.demo.surveys import create_ehc_survey, create_short_breaks_survey
from app.domain.engagement.open_now import open_activities
from app.extensions import db
from app.models import Area, Consultation, Stage, SurveyStatus
from app.models.base import utcnow


def _consultation(slug, **fields):
    now = utcnow()
    values = {
        "title": slug,
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "published": True,
    } | fields
    consultation = Consultation(slug=slug, **values)
    db.session.add(consultation)
    db.session.commit()
    return consultation


def test_open_surveys_and_consultations_are_listed_closing_soonest_first(app_ctx):
    survey = create_ehc_survey(slug="open-survey")  # closes in 40 days
    create_short_breaks_survey(slug="closed-survey")
    soon = _consultation("closes-soon", closes_at=utcnow() + timedelta(days=3))
    _consultation("not-yet", opens_at=utcnow() + timedelta(days=2))
    _consultation("unpublished", published=False)
    _consultation("reported", stage_override=Stage.REVIEWING.value)
    found = open_activities()
    assert [(a.kind, a.slug) for a in found] == [
        ("consultation", soon.slug),
        ("survey", survey.slug),
    ]


def test_a_draft_or_forthcoming_survey_is_not_open(app_ctx):
    survey = create_ehc_survey(slug="draft-survey")
    survey.status = SurveyStatus.DRAFT.value
    db.session.commit()
    assert open_activities() == []
    survey.status = SurveyStatus.PUBLISHED.value
    survey.opens_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert open_activities() == []


def test_a_consultation_moved_to_open_by_hand_is_listed(app_ctx):
    _consultation(
        "reopened",
        opens_at=utcnow() - timedelta(days=30),
        closes_at=utcnow() - timedelta(days=1),
        stage_override=Stage.OPEN.value,
    )
    assert [a.slug for a in open_activities()] == ["reopened"]


def test_linked_to_an_area_and_in_the_reader_s_language(app_ctx):
    create_ehc_survey(slug="linked")  # linked to areas 1 and 6
    area_1 = db.session.scalar(db.select(Area).where(Area.number == 1))
    area_2 = db.session.scalar(db.select(Area).where(Area.number == 2))
    assert [a.slug for a in open_activities(area_id=area_1.id)] == ["linked"]
    assert open_activities(area_id=area_2.id) == []
    assert open_activities("pl")[0].title == "Twoje doświadczenia z procesem planu EHC"


def test_open_counts_match_the_listing(app_ctx):
    from app.domain.engagement.open_now import open_counts

    create_ehc_survey(slug="counted")
    create_short_breaks_survey(slug="closed-not-counted")
    _consultation("open-one")
    _consultation("upcoming-one", opens_at=utcnow() + timedelta(days=2))
    assert open_counts() == (1, 1)
