"""The content version (app/domain/shared/content_version.py): bumped in the transaction of any
change a public page shows, not by private records or by what the public sends in numbers."""

import pytest
from sqlalchemy import func, select, update

from app.domain.engagement import moderation
from app.domain.people import audit
from app.domain.shared import content_version
from app.domain.shared.wording import Wording
from app.domain.surveys import answering
from app.domain.surveys.structure import Structure, load_survey
from app.extensions import db
from app.models import Action, Contribution, OutboxMessage, SurveyResponse

from ..survey_helpers import Demo
from .test_consultations import make_consultation
from .test_event_registration import make_event, register
from .test_publishing import action, area, contribution
from .test_survey_answering import _complete_answers


@pytest.fixture(autouse=True)
def req(app):
    with app.app_context(), app.test_request_context():
        yield


def version() -> int:
    return content_version.current(db.session)[0]


def test_a_change_to_the_plan_bumps_the_version_in_its_transaction():
    before, changed_before = content_version.current(db.session)
    action("APP-1.1").title = "A new title"
    db.session.commit()
    after, changed_after = content_version.current(db.session)
    assert after == before + 1 and changed_after >= changed_before


def test_a_rolled_back_change_leaves_the_version_as_it_was():
    before = version()
    action("APP-1.1").title = "Never kept"
    db.session.flush()
    assert version() == before + 1
    db.session.rollback()
    assert version() == before


def test_new_feedback_does_not_bump_but_staff_changing_or_deleting_it_does():
    before = version()
    item = contribution(areas=[area(2)], actions=[action("APP-2.1")], state="new")
    item.reference = "FB-TEST-1"  # filled in after the insert, as recording does
    db.session.commit()
    assert version() == before
    item.state = "coded"
    db.session.commit()
    assert version() == before + 1
    db.session.delete(item)
    db.session.commit()
    assert version() == before + 2


def test_sent_survey_answers_do_not_bump():
    demo = Demo.create()
    structure = Structure.of(load_survey(demo.survey.id))
    draft = answering.start_draft(demo.survey, language="en")
    answering.save_draft(draft, _complete_answers(demo), last_page="check-answers")
    before = version()
    answering.send(structure, draft, language="en", wording=Wording("en"))
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert version() == before


def test_a_registration_and_a_comment_bump_because_the_pages_show_them():
    event = make_event(capacity=3)
    before = version()
    register(event)  # "2 places left"
    assert version() > before
    consultation = make_consultation()
    before = version()
    moderation.record_comment(
        consultation, text="Please answer the phone.", consent_to_publish=True, check_open=False
    )
    assert version() > before


def test_private_records_do_not_bump():
    before = version()
    audit.record("test.private", None, actor=None, actor_label="test", summary="Nothing public")
    db.session.add(
        OutboxMessage(kind="test", to_address="a@example.org", subject="Hello", body_text="Hi")
    )
    db.session.commit()
    assert version() == before


def test_bulk_statements_bump_only_for_public_records():
    before = version()
    db.session.execute(update(OutboxMessage).values(subject="Changed"))
    assert version() == before
    db.session.execute(update(Contribution).where(Contribution.id < 0).values(text="Never"))
    assert version() == before + 1
    db.session.execute(update(Action).where(Action.reference == "APP-1.1").values(lead="Someone"))
    assert version() == before + 2


@pytest.mark.parametrize(
    "model, new, public",
    [(Action, True, True), (Contribution, True, False), (Contribution, False, True)],
)
def test_the_rule_in_one_place(model, new, public):
    assert content_version.changes_public_pages(model, new=new) is public
