"""Staff typing in "Tell us" feedback that came by phone, email, letter, in person or at an event
(/manage/feedback/new): the public form's questions and messages, plus the channel, the day it
reached us and the person's agreement; the reference to read back; audited; once per form."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.shared.dates import local_today
from app.domain.thread.safeguarding import seed_default_phrases
from app.extensions import db
from app.models import AuditEntry, Contribution, FeedbackEntry
from tests.helpers import error_summary, field_error, field_value, heading, main_text, page

URL = "/manage/feedback/new"


def token_from(response) -> str:
    return page(response).find("input", attrs={"name": "token"})["value"]


def entry_data(token: str, received=None, **changes) -> dict:
    received = received or local_today()
    data = {
        "channel": "phone",
        "received_on-day": str(received.day),
        "received_on-month": str(received.month),
        "received_on-year": str(received.year),
        "language": "en",
        "topic": "ehc_plan",
        "text": "Mum rang: the annual review of her son's plan is a year late.",
        "wants_contact": "no",
        "agreed_to_record": "y",
        "token": token,
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def entered() -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution)
            .join(FeedbackEntry, FeedbackEntry.contribution_id == Contribution.id)
            .order_by(Contribution.id)
        )
    )


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution))


def test_smoke(client, app_ctx, signed_in):
    signed_in("officer")
    response = client.get(URL)
    assert response.status_code == 200, response.get_data(as_text=True)[-3000:]
    token = token_from(response)
    response = client.post(URL, data=entry_data(token))
    assert response.status_code == 302, error_summary(response)
    done = client.get(response.location)
    print(main_text(done))
