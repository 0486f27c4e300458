"""The transactional outbox: an email exists exactly when its change committed, is sent once,
and a failure is retried with back-off until it is given up as failed."""

import email
import email.policy
from datetime import timedelta

import pytest
from flask import current_app

from app.domain.mail import outbox
from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow


class Recorder:
    """A sender that remembers what it was asked to send."""

    def __init__(self):
        self.sent: list[tuple[int, str]] = []

    def send(self, message, built):
        self.sent.append((message.id, built["To"]))


class Broken:
    def __init__(self, error="SMTP server said no"):
        self.error = error
        self.calls = 0

    def send(self, message, built):
        self.calls += 1
        raise ConnectionError(self.error)


@pytest.fixture
def queued(app_ctx):
    """One committed message; nothing else due, so counts are exact."""
    db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.status == "pending").values(status="sent")
    )
    message = outbox.enqueue(
        "test", "parent@example.org", "Your feedback reference", "Thank you.\nRef: FB-123"
    )
    db.session.commit()
    return message


def statuses(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_file_sender_writes_one_eml_with_to_subject_and_body(queued, tmp_path):
    sent = outbox.deliver_due(sender=outbox.FileSender(str(tmp_path)))
    assert sent == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    assert f"-{queued.id:08d}-test-" in files[0].name and files[0].name.endswith(".eml")
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "parent@example.org"
    assert message["Subject"] == "Your feedback reference"
    assert message["From"] == current_app.config["MAIL_FROM"]
    assert message.get_content().strip() == "Thank you.\nRef: FB-123"

    stored = statuses(queued.id)
    assert stored.status == "sent"
    assert stored.attempts == 1
    assert stored.sent_at is not None
    # Sent once: a second run finds nothing to do.
    assert outbox.deliver_due(sender=outbox.FileSender(str(tmp_path))) == 0
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_a_failure_stays_pending_with_a_back_off(queued):
    before = utcnow()
    broken = Broken()
    assert outbox.deliver_due(sender=broken) == 0
    assert broken.calls == 1
    stored = statuses(queued.id)
    assert stored.status == "pending"
    assert stored.attempts == 1
    assert "SMTP server said no" in stored.last_error
    assert stored.next_attempt_at >= before + outbox.backoff(1)
    assert stored.next_attempt_at > utcnow()
    # Not due yet, so an immediate second run does not hammer the mail server.
    assert outbox.deliver_due(sender=broken) == 0
    assert broken.calls == 1


def test_back_off_grows_and_is_capped():
    waits = [outbox.backoff(n) for n in range(1, 20)]
    assert waits[0] == timedelta(seconds=30)
    assert waits[1] == timedelta(seconds=60)
    assert all(later >= earlier for earlier, later in zip(waits, waits[1:], strict=False))
    assert max(waits) == timedelta(hours=6)


def test_after_the_last_attempt_it_is_failed_and_left_alone(queued):
    broken = Broken()
    limit = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    for attempt in range(1, limit + 1):
        stored = statuses(queued.id)
        assert stored.status == "pending", f"gave up after {attempt - 1} attempts"
        stored.next_attempt_at = utcnow() - timedelta(seconds=1)  # make it due now
        db.session.commit()
        outbox.deliver_due(sender=broken)
        assert statuses(queued.id).attempts == attempt
    stored = statuses(queued.id)
    assert stored.status == "failed"
    assert broken.calls == limit
    assert "SMTP server said no" in stored.last_error

    stored.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    outbox.deliver_due(sender=broken)
    assert broken.calls == limit


def test_a_later_success_after_a_failure_sends_it(queued):
    outbox.deliver_due(sender=Broken())
    stored = statuses(queued.id)
    stored.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    recorder = Recorder()
    assert outbox.deliver_due(sender=recorder) == 1
    assert recorder.sent == [(queued.id, "parent@example.org")]
    assert statuses(queued.id).status == "sent"
    assert statuses(queued.id).attempts == 2


def test_two_workers_never_send_the_same_message_twice(queued):
    second = outbox.enqueue("test", "carer@example.org", "Second", "Body")
    db.session.commit()
    first_worker, second_worker = Recorder(), Recorder()
    outbox.deliver_due(sender=first_worker)
    outbox.deliver_due(sender=second_worker)
    assert sorted(first_worker.sent) == [
        (queued.id, "parent@example.org"),
        (second.id, "carer@example.org"),
    ]
    assert second_worker.sent == []


def test_a_claim_can_be_won_only_once(queued):
    first = outbox._claim_next()
    assert first is not None and first.id == queued.id
    assert outbox._claim_next() is None  # the other worker finds nothing left to claim
    stored = statuses(queued.id)
    assert stored.status == "sending"
    assert stored.attempts == 1
    # And a worker that looks for due mail now does not send it.
    recorder = Recorder()
    outbox.deliver_due(sender=recorder)
    assert recorder.sent == []


def test_a_worker_whose_claim_was_taken_over_does_not_record_its_result(queued):
    """Worker A's claim expired and worker B reclaimed the message: A's late result is ignored."""
    worker_a = outbox._claim_next()
    stored = statuses(queued.id)
    stored.claimed_at = utcnow() - outbox.CLAIM_TIMEOUT - timedelta(minutes=1)
    db.session.commit()
    worker_b = outbox._claim_next()
    assert worker_b.attempts == 2
    outbox._finish(worker_a, status="failed", last_error="A gave up")
    assert statuses(queued.id).status == "sending"
    outbox._finish(worker_b, status="sent", sent_at=utcnow())
    assert statuses(queued.id).status == "sent"


def test_a_message_stuck_with_a_dead_worker_is_retried(queued):
    assert outbox._claim_next() is not None
    stored = statuses(queued.id)
    stored.claimed_at = utcnow() - outbox.CLAIM_TIMEOUT - timedelta(minutes=1)
    db.session.commit()
    assert outbox._claim_next() is not None
    assert statuses(queued.id).attempts == 2


def test_nothing_is_sent_when_the_change_rolls_back(app_ctx):
    db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.status == "pending").values(status="sent")
    )
    db.session.commit()
    outbox.enqueue("test", "rolled.back@example.org", "Should never arrive", "Body")
    db.session.flush()
    db.session.rollback()
    recorder = Recorder()
    assert outbox.deliver_due(sender=recorder) == 0
    assert recorder.sent == []
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.to_address == "rolled.back@example.org")
        )
        == 0
    )


def test_a_request_that_queued_no_email_sends_none_after_its_response(client, app_ctx):
    message = outbox.enqueue("test", "someone@example.org", "Queued outside a request", "Body")
    db.session.commit()

    assert client.get("/").status_code == 200

    db.session.refresh(message)
    assert message.status == "pending"  # left for the worker
