"""The reply the "Tell us" confirmation promises: when a coordinator first reads and links a piece
of feedback, whoever left an email for a reply is told, once, with what it was linked to."""

from sqlalchemy import select

from app.domain.thread import feedback
from app.domain.thread.contributions import Coding, code_contributions
from app.extensions import db
from app.models import Area, OutboxMessage
from tests.conftest import user_for


def _emails_to(address: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address))
    )


def test_reading_feedback_emails_the_person_once(app, app_ctx):
    with app.test_request_context():
        sent = feedback.submit_feedback(
            topic="health",
            text="Two years on the waiting list.",
            language="en",
            contact_email="waiting@example.org",
        )
        assert _emails_to("waiting@example.org") == []
        coordinator = user_for("coordinator")
        eight = db.session.scalar(select(Area).where(Area.number == 8))
        code_contributions(coordinator, [sent.id], Coding(area_ids=[eight.id]))
        emails = _emails_to("waiting@example.org")
        assert len(emails) == 1
        assert emails[0].subject == "SEND Voice: we have read your feedback"
        assert sent.reference in emails[0].body_text and eight.title in emails[0].body_text
        assert f"/track?reference={sent.reference}" in emails[0].body_text
        # Coding it again later sends nothing more.
        code_contributions(coordinator, [sent.id], Coding(note="Checked again"))
        assert len(_emails_to("waiting@example.org")) == 1


def test_no_email_without_an_address(app, app_ctx):
    with app.test_request_context():
        sent = feedback.submit_feedback(topic="other", text="Nobody called back.", language="en")
        before = db.session.query(OutboxMessage).count()
        code_contributions(
            user_for("coordinator"),
            [sent.id],
            Coding(area_ids=[db.session.scalar(select(Area.id).where(Area.number == 1))]),
        )
        assert db.session.query(OutboxMessage).count() == before
